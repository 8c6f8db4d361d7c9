//! `sigdoctor sign` (not built yet).

use crate::cli::{GlobalArgs, SignArgs};
use crate::error::Error;

/// Runs `sign`.
pub fn run(_args: SignArgs, _global: &GlobalArgs) -> Result<u8, Error> {
    Err(Error::input("`sign` is not implemented yet"))
}
