//! LIWC dictionaries (`.dic`): reading and writing. Not implemented yet.

use std::path::Path;

use super::{Codebook, Exported, ImportOptions, RawCodebook};
use crate::error::{Error, Result};

pub(super) fn parse(path: &Path, _text: &str, _options: &ImportOptions) -> Result<RawCodebook> {
    Err(Error::codebook(path, None, None, "LIWC dictionaries cannot be read yet"))
}

pub(super) fn write(cb: &Codebook) -> Result<Exported> {
    Err(Error::codebook(&cb.path, None, None, "LIWC dictionaries cannot be written yet"))
}
