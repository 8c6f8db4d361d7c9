//! `sigdoctor probe` (not built yet).

use crate::cli::{GlobalArgs, ProbeArgs};
use crate::error::Error;

/// Runs `probe`.
pub fn run(_args: ProbeArgs, _global: &GlobalArgs) -> Result<u8, Error> {
    Err(Error::input("`probe` is not implemented yet"))
}
