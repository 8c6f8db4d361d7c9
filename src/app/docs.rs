//! `sigdoctor completions SHELL` and `sigdoctor man`: generated from the clap definition, so
//! a `cargo install` user gets both with one command each and they never drift from `--help`.

use clap::CommandFactory;

use crate::cli::Cli;
use crate::error::Error;

/// Prints the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Result<u8, Error> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "sigdoctor", &mut out);
    crate::app::emit(&String::from_utf8_lossy(&out))?;
    Ok(0)
}

/// Prints the man page (roff): the top page, then a section per subcommand with its
/// synopsis, description and options, so `man sigdoctor` alone documents every flag.
pub fn man() -> Result<u8, Error> {
    let cmd = Cli::command();
    let fail = |e: std::io::Error| Error::Io(format!("cannot render the man page: {e}"));
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd.clone())
        .render(&mut out)
        .map_err(fail)?;
    for sub in cmd.get_subcommands() {
        let name = sub.get_name().to_string();
        let page = clap_mangen::Man::new(sub.clone().name(format!("sigdoctor {name}")));
        let mut part = Vec::new();
        page.render_synopsis_section(&mut part).map_err(fail)?;
        page.render_description_section(&mut part).map_err(fail)?;
        page.render_options_section(&mut part).map_err(fail)?;
        page.render_extra_section(&mut part).map_err(fail)?;
        out.extend_from_slice(format!(".SH \"SIGDOCTOR {}\"\n", name.to_uppercase()).as_bytes());
        // Demote the sub-page's headings so they nest under the command's section.
        let text = String::from_utf8_lossy(&part).replace("\n.SH ", "\n.SS ");
        let text = text
            .strip_prefix(".SH ")
            .map_or(text.clone(), |t| format!(".SS {t}"));
        out.extend_from_slice(text.as_bytes());
    }
    crate::app::emit(&String::from_utf8_lossy(&out))?;
    Ok(0)
}
