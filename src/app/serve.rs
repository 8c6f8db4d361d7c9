//! `sigdoctor serve` (not built yet).

use crate::cli::{GlobalArgs, ServeArgs};
use crate::error::Error;

/// Runs `serve`.
pub fn run(_args: ServeArgs, _global: &GlobalArgs) -> Result<u8, Error> {
    Err(Error::input("`serve` is not implemented yet"))
}
