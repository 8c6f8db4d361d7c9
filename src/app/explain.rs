//! `sigdoctor explain`: read the captured request(s), resolve the credentials, run
//! [`crate::search::explain`] on each, print the report, return the exit code.

use crate::cli::{ExplainArgs, Format, GlobalArgs, Profile};
use crate::error::Error;
use crate::report::redact::Redactor;
use crate::report::{change, client_fix, human, json, layout, markdown, ExplainReport};
use crate::search::{explain, looks_like_alteryx, ExplainOptions};

/// Runs `explain` and returns its exit code (0 valid, 1 explained, 3 unexplained,
/// 5 unverifiable; several requests: the worst).
pub fn run(args: ExplainArgs, global: &GlobalArgs) -> Result<u8, Error> {
    if matches!(args.format, Format::Junit) {
        return Err(Error::input(
            "--format junit is for `check`; explain writes human or json",
        ));
    }
    crate::app::refuse_stdin_twice(&args.input.request, &args.credentials)?;
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
    let base_strings = crate::app::explain_evidence::load(&args.evidence)?;
    let reference = crate::app::explain_reference::load(&args.evidence)?;
    let public_key = args
        .public_key
        .as_deref()
        .map(crate::app::keys::public_key)
        .transpose()?;
    let mut reports: Vec<ExplainReport> = Vec::with_capacity(requests.len());
    let mut clients: Vec<Option<&'static str>> = Vec::with_capacity(requests.len());
    for req in &requests {
        let mut req = req.clone();
        let (filled, blocked) = crate::app::explain_placeholders::fill(
            &mut req,
            &placeholders,
            &args.evidence,
            args.credentials.consumer_key.as_deref(),
        )?;
        let req = &req;
        let mut profile = crate::profile::detect(args.profile, req);
        if args.profile == Profile::Auto && looks_like_alteryx(req) {
            profile = Profile::Alteryx;
        }
        let mut host_aliases = args.host_aliases.clone();
        if profile == Profile::Woocommerce {
            // WooCommerce signs its home URL: `www.` on one side only is the classic miss.
            let host = req.url.host.to_ascii_lowercase();
            host_aliases.push(match host.strip_prefix("www.") {
                Some(bare) => bare.to_string(),
                None => format!("www.{host}"),
            });
        }
        let mut opts = ExplainOptions {
            consumer_key: args.credentials.consumer_key.clone(),
            consumer_secret: consumer_secret.clone(),
            token_secret: token_secret.clone(),
            host_aliases,
            now,
            max_faults: args.max_faults,
            alteryx: profile == Profile::Alteryx,
            profile,
            public_key: public_key.clone(),
        };
        if blocked {
            // A removed value is signed: no signature can be checked without it.
            opts.consumer_secret = None;
        }
        let mut report = explain(req, &opts);
        report.placeholders = filled;
        crate::app::explain_evidence::apply(&mut report, req, &opts, &base_strings);
        if let Some(good) = &reference {
            crate::app::explain_reference::apply(&mut report, req, &opts, good);
        }
        crate::app::explain_placeholders::restore(&mut report, &placeholders);
        let client = args.client.or_else(|| client_fix::detect(req));
        if let Some(c) = client {
            for f in &mut report.faults {
                if let Some(t) = client_fix::fix(f.id.as_str(), c) {
                    f.fix = t.to_string();
                }
            }
        }
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
