//! `sigdoctor explain`: read the captured request(s), resolve the credentials, run
//! [`crate::search::explain`] on each, print the report, return the exit code.

use crate::cli::{ExplainArgs, Format, GlobalArgs};
use crate::error::Error;
use crate::report::redact::Redactor;
use crate::report::{change, client_fix, human, json, layout, markdown, ExplainReport};
use crate::search::ExplainOptions;

/// Runs `explain` and returns its exit code (0 valid, 1 explained, 3 unexplained,
/// 5 unverifiable; several requests: the worst).
pub fn run(args: ExplainArgs, global: &GlobalArgs) -> Result<u8, Error> {
    if matches!(args.format, Format::Junit) {
        return Err(Error::input(
            "--format junit is for `check`; explain writes human or json",
        ));
    }
    crate::app::refuse_stdin_twice(&args.input.request, &args.credentials)?;
    crate::evidence::base_strings::one_stdin(&args.input.request, &args.evidence)?;
    let (mut requests, placeholders) = crate::evidence::placeholders::capture(&args.input)?;
    // Several requests (a HAR): only those carrying OAuth are examined.
    if requests.len() > 1 {
        requests.retain(crate::request::Request::has_oauth);
    }
    let Some(first) = requests.first() else {
        return Err(Error::input(
            "the input holds no request with OAuth parameters",
        ));
    };
    crate::app::first_contact::check_request(first, &args.input.request)?;
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
    crate::app::warn_empty(consumer_secret.as_ref(), "consumer secret");
    let now = args.now.unwrap_or_else(crate::fresh::unix_now);
    let base_strings = crate::evidence::base_strings::load(&args.evidence)?;
    let reference = crate::evidence::reference::load(&args.evidence)?;
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
        client: args.client,
    };
    let mut reports: Vec<ExplainReport> = Vec::with_capacity(requests.len());
    let mut clients: Vec<Option<&'static str>> = Vec::with_capacity(requests.len());
    for req in &requests {
        let (report, client) = crate::evidence::explain_one(req, &given)?;
        clients.push(client.map(client_fix::name));
        reports.push(report);
    }
    let mut text = String::new();
    match args.format {
        Format::Json => {
            text.push_str(&json::render(&reports));
            text.push('\n');
        }
        Format::Markdown => {
            for (r, (req, c)) in reports.iter().zip(requests.iter().zip(&clients)) {
                let redactor = Redactor::for_request(req, args.redact.redact_host);
                let md = redactor.apply(&markdown::render(r, *c));
                text.push_str(&crate::report::sanitize::escape_text(&md));
            }
        }
        _ => {
            crate::app::setup_color(global);
            for (i, (r, c)) in reports.iter().zip(&clients).enumerate() {
                let mut one = String::new();
                if reports.len() > 1 {
                    one.push_str(&format!("=== request {} of {} ===\n", i + 1, reports.len()));
                }
                let redact = (args.redact.redact || args.redact.redact_host)
                    .then(|| Redactor::for_request(&requests[i], args.redact.redact_host));
                one.push_str(&crate::report::sanitize::for_terminal(|| {
                    let text = human::render(r) + &change::block(r, *c);
                    redact.as_ref().map_or(text.clone(), |red| red.apply(&text))
                }));
                text.push_str(&layout::fit(&one, layout::width()));
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
