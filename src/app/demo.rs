//! `sigdoctor demo` (not built yet).

use crate::cli::{DemoArgs, GlobalArgs};
use crate::error::Error;

/// Runs `demo`.
pub fn run(_args: DemoArgs, _global: &GlobalArgs) -> Result<u8, Error> {
    Err(Error::input("`demo` is not implemented yet"))
}
