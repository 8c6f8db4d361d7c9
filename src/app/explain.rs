//! `sigdoctor explain` (not built yet).

use crate::cli::{ExplainArgs, GlobalArgs};
use crate::error::Error;

/// Runs `explain`.
pub fn run(_args: ExplainArgs, _global: &GlobalArgs) -> Result<u8, Error> {
    Err(Error::input("`explain` is not implemented yet"))
}
