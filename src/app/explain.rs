//! `sigdoctor explain`: read the captured request(s), resolve the credentials, run
//! [`crate::search::explain`] on each, print the report, return the exit code.

use crate::cli::{ExplainArgs, Format, GlobalArgs};
use crate::error::Error;
use crate::report::{human, json, ExplainReport};
use crate::search::ExplainOptions;

/// Runs `explain` and returns its exit code (0 valid, 1 explained, 3 unexplained; several
/// requests: the worst).
pub fn run(args: ExplainArgs, global: &GlobalArgs) -> Result<u8, Error> {
    if matches!(args.format, Format::Junit) {
        return Err(Error::input(
            "--format junit is for `check`; explain writes human or json",
        ));
    }
    crate::app::explain_evidence::one_stdin(&args.input.request, &args.evidence)?;
    let (mut requests, placeholders) = crate::app::explain_placeholders::capture(&args.input)?;
    // Several requests (a HAR): only those carrying OAuth are examined.
    if requests.len() > 1 {
        requests.retain(crate::request::Request::has_oauth);
    }
    let Some(first) = requests.first() else {
        return Err(Error::input(
            "the input holds no request with OAuth parameters",
        ));
    };
    if !first.has_oauth() {
        return Err(Error::input(format!(
            "no OAuth parameter in the query, Authorization header or form body of `{}`",
            crate::input::placeholder::unmask(&first.url.text, &placeholders)
        )));
    }
    let consumer_secret = crate::app::load_secret(
        args.credentials.consumer_secret.as_deref(),
        crate::app::CONSUMER_SECRET_ENV,
        "consumer secret",
    )?;
    let token_secret = crate::app::load_secret(
        args.credentials.token_secret.as_deref(),
        crate::app::TOKEN_SECRET_ENV,
        "token secret",
    )?;
    let now = args.now.unwrap_or_else(crate::fresh::unix_now);
    let base_strings = crate::app::explain_evidence::load(&args.evidence)?;
    let reference = crate::app::explain_reference::load(&args.evidence)?;
    let public_key = args
        .public_key
        .as_deref()
        .map(crate::app::keys::public_key)
        .transpose()?;
    let given = crate::evidence::Given {
        profile: args.profile,
        options: ExplainOptions {
            consumer_key: args.credentials.consumer_key.clone(),
            consumer_secret,
            token_secret,
            host_aliases: args.host_aliases.clone(),
            now,
            max_faults: args.max_faults,
            alteryx: false,
            profile: args.profile,
            public_key,
        },
        placeholders: &placeholders,
        evidence: &args.evidence,
        base_strings: &base_strings,
        reference: reference.as_ref(),
    };
    let reports = requests
        .iter()
        .map(|req| crate::evidence::explain_one(req, &given))
        .collect::<Result<Vec<ExplainReport>, Error>>()?;
    let mut text = String::new();
    match args.format {
        Format::Json => {
            text.push_str(&json::render(&reports));
            text.push('\n');
        }
        _ => {
            crate::app::setup_color(global);
            for (i, r) in reports.iter().enumerate() {
                if reports.len() > 1 {
                    text.push_str(&format!("=== request {} of {} ===\n", i + 1, reports.len()));
                }
                text.push_str(&crate::report::sanitize::for_terminal(|| human::render(r)));
            }
        }
    }
    crate::app::emit(&text)?;
    if global.verbose {
        for r in &reports {
            for line in &r.considered {
                crate::eline!("sigdoctor: considered {line}");
            }
            crate::eline!(
                "sigdoctor: searched {} hypotheses in {:.2} ms",
                r.search.hypotheses,
                r.search.elapsed_ms
            );
        }
    }
    Ok(reports
        .iter()
        .map(ExplainReport::exit_code)
        .max()
        .unwrap_or(0))
}
