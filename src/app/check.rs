//! `sigdoctor check` (not built yet).

use crate::cli::{CheckArgs, GlobalArgs};
use crate::error::Error;

/// Runs `check`.
pub fn run(_args: CheckArgs, _global: &GlobalArgs) -> Result<u8, Error> {
    Err(Error::input("`check` is not implemented yet"))
}
