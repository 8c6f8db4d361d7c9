//! `sigdoctor probe`: sweep a live server for the base URI it signs against.

use crate::cli::{Format, GlobalArgs, ProbeArgs, ProbeOptions};
use crate::error::Error;
use crate::probe::{self, report, Limits, ProbeConfig, TransportOptions};
use crate::secret::Secret;

/// Runs `probe`: prints the report (or the plan with `--dry-run`), returns the SPEC exit code.
pub fn run(args: ProbeArgs, global: &GlobalArgs) -> Result<u8, Error> {
    if args.format == Format::Junit {
        return Err(Error::input(
            "--format junit is for `check`; probe takes human or json",
        ));
    }
    let color = args.format == Format::Human && crate::app::setup_color(global);
    colored::control::set_override(color);
    let config = config(&args.url, &args.options, None, None)?;
    if args.options.dry_run {
        crate::app::emit(&probe::dry_run_plan(&config)?)?;
        return Ok(crate::error::exit::OK);
    }
    let mut r = probe::probe(&config)?;
    crate::profile::advise(&mut r);
    if global.verbose {
        for n in &r.notes {
            crate::eline!("sigdoctor: probe: {n}");
        }
    }
    let redactor = crate::app::share::redactor(
        &args.url,
        &config.consumer_key,
        &config.host_aliases,
        &args.redact,
    );
    let redact = args.redact.redact || args.redact.redact_host;
    crate::app::emit(&match args.format {
        Format::Json => format!("{}\n", report::json(&r)),
        Format::Markdown => crate::app::share::markdown(&r, "probe", &redactor),
        _ => crate::report::layout::fit(
            &crate::report::sanitize::for_terminal(|| {
                crate::app::share::human(&r, global.verbose, "probe", redact.then_some(&redactor))
            }),
            crate::report::layout::width(),
        ),
    })?;
    Ok(r.exit_code())
}

/// Most requests in flight at once: a probe is a polite sweep, not a load test.
const MAX_CONCURRENCY: usize = 256;
/// Most requests in one sweep.
const MAX_PROBES: usize = 10_000;

/// Builds a [`ProbeConfig`] from the shared options; `key` and `secret_src` override the
/// command-line credentials (a `check --config` target brings its own: `(source, where it
/// is written)`).
pub fn config(
    url: &str,
    o: &ProbeOptions,
    key: Option<&str>,
    secret_src: Option<(&str, &str)>,
) -> Result<ProbeConfig, Error> {
    let consumer_key = key
        .map(str::to_string)
        .or_else(|| o.credentials.consumer_key.clone())
        .ok_or_else(|| Error::input("probe needs --consumer-key KEY"))?;
    let consumer_secret = match secret_src {
        // Written in a file, a literal is not in the process list, but in every copy of
        // the file (and every commit of it).
        Some((src, file)) => Some(Secret::from_source(src, "consumer secret", &mut |_| {
            crate::eline!(
                "sigdoctor: warning: the consumer secret is written literally in {file}: anyone who can read the file has it; write env:VAR or file:PATH there instead"
            )
        })?),
        None => crate::app::load_secret(
            o.credentials.consumer_secret.as_deref(),
            crate::app::CONSUMER_SECRET_ENV,
            "consumer secret",
        )?,
    };
    let consumer_secret = consumer_secret.ok_or_else(|| {
        Error::input("probe needs --consumer-secret SRC (env:VAR, file:PATH, stdin, prompt) or SIGDOCTOR_CONSUMER_SECRET")
    })?;
    crate::app::warn_empty(Some(&consumer_secret), "consumer secret");
    if !(1..=MAX_CONCURRENCY).contains(&o.concurrency) {
        return Err(Error::input(format!(
            "--concurrency {}: expected 1 to {MAX_CONCURRENCY} requests in flight",
            o.concurrency
        )));
    }
    if !(o.rate.is_finite() && (0.0..=probe::pace::MAX_RATE).contains(&o.rate)) {
        return Err(Error::input(format!(
            "--rate {}: expected requests per second, at most {} (0: no limit)",
            o.rate,
            probe::pace::MAX_RATE
        )));
    }
    if !(1..=MAX_PROBES).contains(&o.max_probes) {
        return Err(Error::input(format!(
            "--max-probes {}: expected 1 to {MAX_PROBES}",
            o.max_probes
        )));
    }
    let token = match &o.token {
        Some(t) => {
            let secret = crate::app::load_secret(
                o.credentials.token_secret.as_deref(),
                crate::app::TOKEN_SECRET_ENV,
                "token secret",
            )?
            .ok_or_else(|| {
                Error::input("--token needs --token-secret SRC (env:VAR, file:PATH, stdin, prompt) or SIGDOCTOR_TOKEN_SECRET")
            })?;
            Some((t.clone(), secret))
        }
        None if o.credentials.token_secret.is_some() => return Err(Error::input(
            "--token-secret was given without --token: pass the access token too (--token TOKEN)",
        )),
        None => None,
    };
    let (method, body) = method_and_body(o)?;
    for b in &o.base_uris {
        crate::request::RawUrl::parse(b)
            .map_err(|e| Error::input(format!("--base-uri `{b}`: {}", e.one_line())))?;
    }
    Ok(ProbeConfig {
        url: url.to_string(),
        profile: o.profile,
        admin: o.admin,
        consumer_key,
        consumer_secret,
        host_aliases: o.host_aliases.clone(),
        path_prefixes: o.path_prefixes.clone(),
        base_uris: o.base_uris.clone(),
        token,
        method,
        body,
        limits: Limits {
            concurrency: o.concurrency,
            rate: o.rate,
            max_probes: o.max_probes,
        },
        transport: TransportOptions {
            timeout: probe::timeout_from_secs(o.timeout)?,
            insecure: o.insecure,
            cacert: o.cacert.clone(),
        },
        now: o.now,
    })
}

/// `-X` and `-d`: GET or HEAD by default; POST (with a form body) only with `--allow-post`,
/// because a probe sends many requests and must not change data unless told it may.
fn method_and_body(o: &ProbeOptions) -> Result<(String, Option<String>), Error> {
    let method = o
        .method
        .as_deref()
        .map(|m| m.trim().to_ascii_uppercase())
        .unwrap_or_else(|| if o.data.is_some() { "POST" } else { "GET" }.into());
    match method.as_str() {
        "GET" | "HEAD" if o.data.is_some() => Err(Error::input(format!(
            "-d BODY is sent only with -X POST --allow-post (not with {method})"
        ))),
        "GET" | "HEAD" => Ok((method, None)),
        "POST" if !o.allow_post => Err(Error::input(
            "-X POST needs --allow-post: every probe request is sent for real and may change data",
        )),
        "POST" => Ok((method, Some(o.data.clone().unwrap_or_default()))),
        other => Err(Error::input(format!(
            "-X {other}: probe sends GET, HEAD, or POST with --allow-post"
        ))),
    }
}

/// [`ProbeOptions`] with SPEC's defaults and the given key and secret source (`env:VAR`):
/// for callers that build a probe in code (`demo`) rather than from a command line.
pub fn default_options(consumer_key: &str, consumer_secret_src: &str) -> ProbeOptions {
    ProbeOptions {
        credentials: crate::cli::Credentials {
            consumer_key: Some(consumer_key.to_string()),
            consumer_secret: Some(consumer_secret_src.to_string()),
            token_secret: None,
        },
        host_aliases: Vec::new(),
        profile: crate::cli::Profile::Auto,
        admin: false,
        concurrency: 4,
        rate: 5.0,
        timeout: 10.0,
        max_probes: 64,
        dry_run: false,
        insecure: false,
        cacert: None,
        now: None,
        token: None,
        path_prefixes: Vec::new(),
        base_uris: Vec::new(),
        method: None,
        data: None,
        allow_post: false,
    }
}
