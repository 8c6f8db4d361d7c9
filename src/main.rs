//! The `sigdoctor` binary: parse arguments, run, map the outcome to an exit code.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use clap::Parser;
use sigdoctor::cli::Cli;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            // --help and --version go to stdout; usage errors to stderr (clap decides).
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match sigdoctor::app::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            sigdoctor::out::stderr_line(&format!("sigdoctor: error: {}", e.one_line()));
            ExitCode::from(e.exit_code())
        }
    }
}
