//! `sigdoctor check`: the CI gate. One signed request; the sweep only when it fails;
//! `--expect-base-address`; several targets from `--config checks.toml`.

use serde::Deserialize;

use crate::cli::{CheckArgs, Format, GlobalArgs, Profile};
use crate::error::{exit, Error};
use crate::probe::report::{self, CheckResult};
use crate::probe::{self, Verdict};
use crate::request::RawUrl;
use crate::rfc5849::{base_uri, UriForm};

/// `checks.toml`: `[[target]]` tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChecksFile {
    target: Vec<TargetSpec>,
}

/// One `[[target]]`: what `check URL` takes on the command line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetSpec {
    url: String,
    profile: Option<String>,
    consumer_key: Option<String>,
    /// A secret source (`env:VAR`, `file:PATH`), never the secret in a checked-in file.
    consumer_secret: Option<String>,
    expect_base_address: Option<String>,
    admin: Option<bool>,
    #[serde(default)]
    host_aliases: Vec<String>,
    /// 3-legged: the access token, and its secret's source (`env:VAR`, `file:PATH`).
    token: Option<String>,
    token_secret: Option<String>,
    #[serde(default)]
    path_prefixes: Vec<String>,
    #[serde(default)]
    base_uris: Vec<String>,
}

/// Runs `check` over one URL or every `[[target]]`; exit code is the worst of them.
pub fn run(args: CheckArgs, global: &GlobalArgs) -> Result<u8, Error> {
    let color = args.format == Format::Human && crate::app::setup_color(global);
    colored::control::set_override(color);
    let specs = match (&args.config, &args.url) {
        (Some(path), _) => read_config(path)?,
        (None, Some(url)) => vec![TargetSpec {
            url: url.clone(),
            profile: None,
            consumer_key: None,
            consumer_secret: None,
            expect_base_address: args.expect_base_address.clone(),
            admin: None,
            host_aliases: Vec::new(),
            token: None,
            token_secret: None,
            path_prefixes: Vec::new(),
            base_uris: Vec::new(),
        }],
        (None, None) => return Err(Error::input("check needs a URL or --config FILE")),
    };
    let several = args.config.is_some();
    let mut results = Vec::new();
    for spec in &specs {
        let mut opts = args.options.clone();
        if let Some(p) = &spec.profile {
            opts.profile = <Profile as clap::ValueEnum>::from_str(p, true).map_err(|_| {
                Error::input(format!(
                    "check config: target {}: profile `{p}` (expected auto, alteryx, netsuite, woocommerce, lti, magento, twitter, flickr, jira or generic)",
                    spec.url
                ))
            })?;
        }
        opts.admin |= spec.admin.unwrap_or(false);
        opts.host_aliases.extend(spec.host_aliases.iter().cloned());
        opts.path_prefixes
            .extend(spec.path_prefixes.iter().cloned());
        opts.base_uris.extend(spec.base_uris.iter().cloned());
        if spec.token.is_some() {
            opts.token.clone_from(&spec.token);
        }
        if spec.token_secret.is_some() {
            opts.credentials.token_secret.clone_from(&spec.token_secret);
        }
        let written_in = args
            .config
            .as_ref()
            .map(|p| format!("--config `{}` (target {})", p.display(), spec.url))
            .unwrap_or_default();
        let config = crate::app::probe::config(
            &spec.url,
            &opts,
            spec.consumer_key.as_deref(),
            spec.consumer_secret
                .as_deref()
                .map(|s| (s, written_in.as_str())),
        );
        let outcome = match config {
            Ok(c) if opts.dry_run => {
                crate::app::emit(&probe::dry_run_plan(&c)?)?;
                continue;
            }
            Ok(c) => probe::probe(&c)
                .map(|mut r| {
                    crate::profile::advise(&mut r);
                    r
                })
                .map_err(|e| e.one_line()),
            // One bad target must not hide the others' results in a multi-target run.
            Err(e) if several => Err(e.one_line()),
            Err(e) => return Err(e),
        };
        let assertion = match (&outcome, &spec.expect_base_address) {
            (Ok(r), Some(want)) => assert_base(r, want)?,
            _ => None,
        };
        // A failed assertion is a mismatch everywhere: headline, JSON verdict, JUnit, exit.
        let outcome = match (outcome, &assertion) {
            (Ok(mut r), Some(a)) => {
                if r.verdict == Verdict::Ok {
                    r.verdict = Verdict::Mismatch;
                }
                r.findings.insert(
                    0,
                    report::Finding {
                        id: "expect-base-address".into(),
                        message: a.clone(),
                        fix: Some("set the server's Base Address to the expected one, or update --expect-base-address".into()),
                        client_base_string: None,
                        server_base_string: None,
                    },
                );
                Ok(r)
            }
            (o, _) => o,
        };
        results.push(CheckResult {
            name: spec.url.clone(),
            outcome,
            assertion,
        });
    }
    if args.options.dry_run {
        return Ok(exit::OK);
    }
    let text = render(&results, args.format, several, global.verbose);
    crate::app::emit(&share(text, &args, &results, global.verbose))?;
    Ok(results.iter().map(code).max().unwrap_or(exit::OK))
}

/// Human and markdown: the fixes at the end, redaction, the terminal's width.
fn share(text: String, args: &CheckArgs, results: &[CheckResult], verbose: bool) -> String {
    let key = args
        .options
        .credentials
        .consumer_key
        .as_deref()
        .unwrap_or("");
    let url = args.url.as_deref().unwrap_or("");
    let red = crate::app::share::redactor(url, key, &args.options.host_aliases, &args.redact);
    match args.format {
        Format::Human => {
            let human = || {
                let mut out = String::new();
                for c in results {
                    match &c.outcome {
                        Ok(r) => out.push_str(&crate::app::share::human(r, verbose, "check", None)),
                        Err(e) => out.push_str(&format!("check {}: error: {e}\n", c.name)),
                    }
                    if let Some(a) = &c.assertion {
                        out.push_str(&format!("  assertion failed: {a}\n"));
                    }
                }
                let redact = args.redact.redact || args.redact.redact_host;
                if redact {
                    red.apply(&out)
                } else {
                    out
                }
            };
            let safe = crate::report::sanitize::for_terminal(human);
            crate::report::layout::fit(&safe, crate::report::layout::width())
        }
        Format::Markdown => {
            let mut out = String::new();
            for c in results {
                match &c.outcome {
                    Ok(r) => out.push_str(&crate::app::share::markdown(r, "check", &red)),
                    Err(e) => out.push_str(&red.apply(&format!("check {}: error: {e}\n", c.name))),
                }
                if let Some(a) = &c.assertion {
                    out.push_str(&red.apply(&format!("\n**Assertion failed:** {a}\n")));
                }
            }
            out
        }
        _ => text,
    }
}

fn code(c: &CheckResult) -> u8 {
    match &c.outcome {
        Err(_) => exit::USAGE,
        Ok(r) => r.exit_code(),
    }
}

fn render(results: &[CheckResult], format: Format, several: bool, verbose: bool) -> String {
    match format {
        Format::Junit => format!("{}\n", report::junit(results)),
        Format::Json => {
            let values: Vec<serde_json::Value> = results
                .iter()
                .map(|c| match &c.outcome {
                    Ok(r) => {
                        let mut v = serde_json::to_value(r).unwrap_or_default();
                        if let (Some(a), Some(obj)) = (&c.assertion, v.as_object_mut()) {
                            obj.insert("assertion_failed".into(), a.clone().into());
                        }
                        v
                    }
                    Err(e) => serde_json::json!({"schema": "sigdoctor.probe.v1", "target": c.name, "error": e}),
                })
                .collect();
            let out = if several {
                serde_json::Value::Array(values)
            } else {
                values.into_iter().next().unwrap_or_default()
            };
            format!(
                "{}\n",
                serde_json::to_string_pretty(&out).unwrap_or_default()
            )
        }
        _ => {
            let mut text = String::new();
            for c in results {
                match &c.outcome {
                    Ok(r) => text.push_str(&report::human_as(r, verbose, "check")),
                    Err(e) => text.push_str(&format!("check {}: error: {e}\n", c.name)),
                }
                if let Some(a) = &c.assertion {
                    text.push_str(&format!("  assertion failed: {a}\n"));
                }
            }
            text
        }
    }
}

/// `--expect-base-address`: compares RFC-normalised forms, so `https://h:443/gallery/`
/// and `https://H/gallery/` agree. The discovered address is the called one when the
/// request authenticates as called, else the inferred one.
fn assert_base(r: &probe::ProbeReport, want: &str) -> Result<Option<String>, Error> {
    let norm = |s: &str| -> Result<String, Error> {
        Ok(base_uri(&RawUrl::parse(s)?, &UriForm::default(), &[]))
    };
    let want_n =
        norm(want).map_err(|e| Error::input(format!("--expect-base-address: {}", e.one_line())))?;
    Ok(match &r.base_address {
        Some(got) if norm(got).ok().as_deref() == Some(want_n.as_str()) => None,
        Some(got) => Some(format!(
            "expected Base Address {want}, the server signs against {got}"
        )),
        None => Some(format!(
            "expected Base Address {want}, but no Base Address could be inferred ({})",
            r.verdict.as_str()
        )),
    })
}

fn read_config(path: &std::path::Path) -> Result<Vec<TargetSpec>, Error> {
    let source = format!("--config `{}`", path.display());
    let bytes = crate::bounded::read_file(path, crate::bounded::CONFIG_BYTES, &source)?;
    let text =
        String::from_utf8(bytes).map_err(|_| Error::input(format!("{source} is not UTF-8")))?;
    let file: ChecksFile = toml::from_str(&text).map_err(|e| {
        Error::input(format!(
            "--config `{}`: {}",
            path.display(),
            e.to_string().replace('\n', " ")
        ))
    })?;
    if file.target.is_empty() {
        return Err(Error::input(format!(
            "--config `{}`: no [[target]]",
            path.display()
        )));
    }
    Ok(file.target)
}
