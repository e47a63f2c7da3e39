//! The real files of other researchers that the tests read (`../shared/corpora`, beside the
//! repository, or `/work/shared/corpora` on the project's machines). Not for users: it is
//! public only so that the integration tests and the unit tests share one rule.

use std::path::PathBuf;

/// The environment variable CI sets (`.ci/run`): the shared corpora must be there, and a
/// test that needs them fails instead of skipping.
pub const REQUIRE: &str = "QUALKIT_REQUIRE_SHARED";

/// `corpora/SUB` of the shared folder (a file or a folder), when it is there. When it is
/// not, the test is skipped on a developer's machine (with a note) and fails in CI.
pub fn path(sub: &str) -> Option<PathBuf> {
    let beside = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
    let roots = [beside, PathBuf::from("/work/shared/corpora")];
    if let Some(found) = roots.iter().map(|r| r.join(sub)).find(|p| p.exists()) {
        return Some(found);
    }
    let wanted = roots[0].join(sub);
    if std::env::var_os(REQUIRE).is_some() {
        panic!("{} is missing, and {REQUIRE} says it must be there", wanted.display());
    }
    eprintln!("skipped: {} is absent", wanted.display());
    None
}
