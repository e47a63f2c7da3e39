//! REFI-QDA codebooks (`.qdc`): reading and writing. Not implemented yet.

use std::path::Path;

use super::{Codebook, RawCodebook};
use crate::error::{Error, Result};

pub(super) fn parse(path: &Path, _text: &str) -> Result<RawCodebook> {
    Err(Error::codebook(path, None, None, "REFI-QDA codebooks cannot be read yet"))
}

pub(super) fn write(cb: &Codebook) -> Result<String> {
    Err(Error::codebook(&cb.path, None, None, "REFI-QDA codebooks cannot be written yet"))
}
