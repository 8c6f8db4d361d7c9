//! `probe`, `check` and `sign` against OAuth 1.0a verifiers other people wrote (PHP PECL
//! `OAuthProvider`, Python oauthlib's stock endpoints, the Ruby oauth gem, Perl's Net::OAuth,
//! node's passport-http-oauth; tools/verifiers/) behind a real nginx whose configuration
//! creates the field's deployment faults. Expected outcomes come from the nginx configuration
//! and the verifiers' own URL rules, never from sigdoctor's output.
//!
//! One test drives every (deployment, verifier) case in parallel against one shared lab and
//! reports every failure at once, with the table of verdicts, faults and requests sent
//! (`cargo test --test real_verifiers -- --nocapture` prints it).
//!
//! Needs nginx, openssl, php-cli + php-oauth, ruby + ruby-oauth + ruby-rack + ruby-webrick,
//! libnet-oauth-perl + libplack-perl + libplack-middleware-reverseproxy-perl, python3 with
//! oauthlib and werkzeug, node with `npm ci` in tools/verifiers/node (`.ci/run` does all
//! that); set SIGDOCTOR_SKIP_REAL_VERIFIERS=1 to skip where they cannot be installed.

#[path = "real_verifiers/judge.rs"]
mod judge;
#[path = "real_verifiers/lab.rs"]
mod lab;
mod support;

use std::io::{Read, Write};
use std::sync::Mutex;

use judge::{judge_one, mismatch, not_found, ok, Expect, Outcome};
use lab::{Deployment, Lab, Verifier, ENDPOINT, KEY, MACHINE, SECRET, TOKEN, TOKEN_SECRET};
use serde_json::Value;

const SECRET_VAR: &str = "SIGDOCTOR_VERIFIER_TEST_SECRET";
const TOKEN_SECRET_VAR: &str = "SIGDOCTOR_VERIFIER_TEST_TOKEN_SECRET";

/// One run of sigdoctor.
#[derive(Clone, Debug)]
struct Case {
    verifier: Verifier,
    deployment: Deployment,
    /// Which variant of the deployment ("", "no --token", ...).
    variant: &'static str,
    command: &'static str,
    url: String,
    args: Vec<String>,
    env: Vec<(&'static str, String)>,
    secret: String,
    expect: Expect,
}

/// (deployment, variant, also run `check`, URL, arguments, environment, secret, expected).
type Row = (
    Deployment,
    &'static str,
    bool,
    String,
    Vec<String>,
    Vec<(&'static str, String)>,
    String,
    Expect,
);

/// Every case of one verifier: the deployments of issue 9, and the same deployments without
/// the flag that makes them solvable (the advice must name that flag).
fn cases(lab: &Lab, v: Verifier) -> Vec<Case> {
    let port = |d| lab.port(v, d);
    let http = |d, path: &str| format!("http://127.0.0.1:{}{path}", port(d));
    let https = |d, path: &str| format!("https://127.0.0.1:{}{path}", port(d));
    let items = "/rest/items";
    let cacert = vec!["--cacert".to_string(), lab.path("ca.pem")];
    let token = vec![
        "--token".to_string(),
        TOKEN.to_string(),
        "--token-secret".to_string(),
        format!("env:{TOKEN_SECRET_VAR}"),
    ];
    let oneliner = vec!["--cacert".to_string(), lab.path("oneliner.pem")];
    let ssl_cert_file = vec![("SSL_CERT_FILE", lab.path("ca.pem"))];
    let prefix = vec!["--path-prefix".to_string(), "/mount".to_string()];
    let hour_ago = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
        - 3600;
    let stale = vec!["--now".to_string(), hour_ago.to_string()];
    // An LTI-1.1-like launch: form parameters are signed, `+` is a space (RFC 5849 3.4.1.3.1).
    let post: Vec<String> = [
        "-X",
        "POST",
        "-d",
        "lti_message_type=basic-lti-launch-request&resource_link_id=link+1&user_id=42",
        "--allow-post",
    ]
    .map(String::from)
    .to_vec();
    use Deployment as D;
    #[rustfmt::skip]
    let mut rows: Vec<Row> = vec![
        (D::Healthy, "", true, http(D::Healthy, ENDPOINT), vec![], vec![], SECRET.into(), ok()),
        (D::Healthy, "POST form body", true, http(D::Healthy, ENDPOINT), post.clone(), vec![], SECRET.into(), ok()),
        (D::TlsTerminated, "POST form body", true, https(D::TlsTerminated, ENDPOINT), [cacert.clone(), post].concat(),
            vec![], SECRET.into(),
            mismatch(&["base-address-scheme"], http(D::TlsTerminated, items), "X-Forwarded-Proto")),
        (D::PrefixAdded, "--base-uri", false, http(D::PrefixAdded, ENDPOINT),
            vec!["--base-uri".into(), http(D::PrefixAdded, &format!("/mount{items}"))], vec![], SECRET.into(),
            Expect { first_candidate: Some(http(D::PrefixAdded, &format!("/mount{items}"))),
                     ..mismatch(&["base-address-path"], http(D::PrefixAdded, &format!("/mount{items}")), "/mount") }),
        (D::TlsTerminated, "", true, https(D::TlsTerminated, ENDPOINT), cacert.clone(), vec![], SECRET.into(),
            mismatch(&["base-address-scheme"], http(D::TlsTerminated, items), "X-Forwarded-Proto")),
        (D::BackendPort, "", true, http(D::BackendPort, ENDPOINT), vec![], vec![], SECRET.into(),
            mismatch(&["base-address-port"], format!("http://127.0.0.1:8080{items}"), ":8080")),
        (D::CertificateName, "", true, https(D::CertificateName, ENDPOINT), cacert.clone(), vec![], SECRET.into(),
            mismatch(&["base-address-host"], format!("https://{MACHINE}:{}{items}", port(D::CertificateName)), MACHINE)),
        (D::PrefixStripped, "", true, http(D::PrefixStripped, &format!("/api{ENDPOINT}")), vec![], vec![], SECRET.into(),
            mismatch(&["base-address-path"], http(D::PrefixStripped, items), items)),
        (D::PrefixAdded, "--path-prefix /mount", true, http(D::PrefixAdded, ENDPOINT), prefix, vec![], SECRET.into(),
            mismatch(&["base-address-path"], http(D::PrefixAdded, &format!("/mount{items}")), "/mount")),
        (D::PrefixAdded, "no --path-prefix", false, http(D::PrefixAdded, ENDPOINT), vec![], vec![], SECRET.into(),
            not_found("inconclusive", 3, "--path-prefix")),
        (D::ThreeLegged, "--token", true, http(D::ThreeLegged, ENDPOINT), token, vec![], SECRET.into(), ok()),
        (D::ThreeLegged, "no --token", false, http(D::ThreeLegged, ENDPOINT), vec![], vec![], SECRET.into(),
            not_found("inconclusive", 3, "--token")),
        (D::Healthy, "secret + trailing space", true, http(D::Healthy, ENDPOINT), vec![], vec![], format!("{SECRET} "),
            Expect { first_finding: Some("key-secret-whitespace"),
                     ..mismatch(&["key-secret-whitespace"], http(D::Healthy, items), "trailing") }),
        (D::Healthy, "clock 1 h behind", true, http(D::Healthy, ENDPOINT), stale, vec![], SECRET.into(),
            Expect { max_requests: Some(4), refusals: Some("timestamp"),
                     ..mismatch(&["clock-skew"], http(D::Healthy, items), "clock") }),
        (D::OneLinerCert, "--cacert cert.pem", true, format!("https://localhost:{}{ENDPOINT}", port(D::OneLinerCert)),
            oneliner, vec![], SECRET.into(), ok()),
        (D::OneLinerCert, "no --cacert", false, format!("https://localhost:{}{ENDPOINT}", port(D::OneLinerCert)),
            vec![], vec![], SECRET.into(), not_found("unreachable", 4, "--cacert")),
        (D::PrivateCa, "SSL_CERT_FILE=ca.pem", true, https(D::PrivateCa, ENDPOINT), vec![], ssl_cert_file, SECRET.into(), ok()),
        (D::PrivateCa, "no SSL_CERT_FILE", false, https(D::PrivateCa, ENDPOINT), vec![], vec![], SECRET.into(),
            not_found("unreachable", 4, "--cacert")),
    ];
    // Where the server's refusal says the token is missing or wrong (all but oauthlib's
    // resource endpoint, which refuses silently), the first finding must say --token.
    if v != Verifier::Oauthlib {
        for row in rows.iter_mut() {
            if row.0 == D::ThreeLegged && row.1 == "no --token" {
                row.7.needle_in_first = true;
            }
        }
    }
    if v == Verifier::Passport {
        // passport-http-oauth answers a stale timestamp with oauth_problem=nonce_used (one
        // callback judges both): the server's Date header still says the clock is the cause.
        for row in rows.iter_mut() {
            if row.1 == "clock 1 h behind" {
                let mut alt = not_found("inconclusive", 3, "clock");
                alt.needle_in_first = true;
                row.7.refusals = Some("nonce");
                row.7.or = Some(Box::new(alt));
            }
        }
    }
    if v == Verifier::Pecl {
        // PECL's 401 shows its base string (debug_sbs): the sweep ends on it, and a path
        // prefix nobody named is read from it instead of being left to --path-prefix.
        let mounted = http(D::PrefixAdded, &format!("/mount{items}"));
        for row in rows.iter_mut() {
            let e = &mut row.7;
            if e.faults
                .first()
                .is_some_and(|f| f.starts_with("base-address"))
            {
                e.max_requests = Some(4);
            }
            if row.0 == D::PrefixAdded && row.1 == "no --path-prefix" {
                let mut alt = mismatch(&["base-address-path"], mounted.clone(), "/mount");
                alt.max_requests = Some(4);
                e.or = Some(Box::new(alt));
            }
        }
    }
    let mut out = Vec::new();
    for (deployment, variant, with_check, url, args, env, secret, expect) in rows {
        let commands: &[&str] = if with_check {
            &["probe", "check"]
        } else {
            &["probe"]
        };
        for command in commands {
            out.push(Case {
                verifier: v,
                deployment,
                variant,
                command,
                url: url.clone(),
                args: args.clone(),
                env: env.clone(),
                secret: secret.clone(),
                expect: expect.clone(),
            });
        }
    }
    out
}

/// `check` says the same in every format: the human headline, JUnit and the exit code agree
/// with the JSON verdict.
fn check_agrees(case: &Case, json_args: &[String], json: &Outcome) -> Vec<String> {
    let verdict = json.json["verdict"].as_str().unwrap_or("?").to_string();
    let mut bad = Vec::new();
    for format in ["human", "junit"] {
        let args: Vec<String> = json_args
            .iter()
            .map(|a| {
                if a == "json" {
                    format.to_string()
                } else {
                    a.clone()
                }
            })
            .collect();
        let o = run_sigdoctor(&args, &case.env, &case.secret);
        if o.exit != json.exit {
            bad.push(format!(
                "check --format {format} exits {} but json {}",
                o.exit, json.exit
            ));
        }
        if format == "human" {
            let head = o
                .stdout
                .lines()
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            if !head.starts_with("check") || !head.contains(&verdict) {
                bad.push(format!(
                    "check's headline `{head}` does not say check {verdict}"
                ));
            }
            // The table shows the server's own words too, not only the JSON.
            let reason = json.json["probes"]
                .as_array()
                .into_iter()
                .flatten()
                .find_map(|p| p["reason"].as_str().filter(|_| p["status"] == 401));
            if let Some(r) = reason {
                let start: String = r.chars().take(20).collect();
                if !o.stdout.contains(&start) {
                    bad.push(format!(
                        "the human table lacks the server's reason `{start}`"
                    ));
                }
            }
        } else {
            let count = |attr: &str| {
                o.stdout
                    .split(&format!("{attr}=\""))
                    .nth(1)
                    .and_then(|r| r.split('"').next())
                    .and_then(|n| n.parse::<u32>().ok())
            };
            let failed = count("failures").unwrap_or(0) + count("errors").unwrap_or(0);
            if count("failures").is_none() || (failed == 0) != (verdict == "ok") {
                bad.push(format!(
                    "JUnit says {failed} failures for verdict {verdict}"
                ));
            }
        }
    }
    bad
}

fn run_sigdoctor(args: &[String], env: &[(&str, String)], secret: &str) -> Outcome {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_sigdoctor"));
    cmd.args(args)
        .env(SECRET_VAR, secret)
        .env(TOKEN_SECRET_VAR, TOKEN_SECRET)
        .env("NO_COLOR", "1")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .stdin(std::process::Stdio::null());
    for var in [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "SIGDOCTOR_CONSUMER_SECRET",
        "SIGDOCTOR_TOKEN_SECRET",
    ] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().map(|(k, v)| (k, v)));
    let out = cmd.output().expect("run sigdoctor");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    Outcome {
        exit: out.status.code().unwrap_or(-1),
        json: serde_json::from_str(&stdout).unwrap_or(Value::Null),
        stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Checks one outcome against the expectation or its alternative.
fn judge(case: &Case, o: &Outcome) -> Vec<String> {
    let bad = judge_one(&case.expect, o);
    match &case.expect.or {
        Some(alt) if !bad.is_empty() && judge_one(alt, o).is_empty() => Vec::new(),
        _ => bad,
    }
}

/// The closing note's table: a row per deployment, a column per verifier, each cell the
/// probe's verdict, faults and requests sent.
fn matrix(all: &[Case], results: &[(usize, Outcome, Vec<String>)]) -> String {
    let mut rows: Vec<String> = Vec::new();
    let mut cells: std::collections::HashMap<(String, &str), String> = Default::default();
    for (i, o, bad) in results {
        let c = &all[*i];
        if c.command != "probe" {
            continue;
        }
        let dep = format!("{:?} {}", c.deployment, c.variant)
            .trim()
            .to_string();
        if !rows.contains(&dep) {
            rows.push(dep.clone());
        }
        let cell = format!(
            "{} ({}) {}{}",
            o.json["verdict"].as_str().unwrap_or("?"),
            faults_cell(&o.json),
            o.json["requests_sent"],
            if bad.is_empty() { "" } else { " FAIL" }
        );
        cells.insert((dep, c.verifier.name()), cell);
    }
    let names: Vec<&str> = lab::VERIFIERS.iter().map(|v| v.name()).collect();
    let mut out = format!(
        "| deployment | {} |\n|---|{}\n",
        names.join(" | "),
        "---|".repeat(names.len())
    );
    for dep in rows {
        let row: Vec<String> = names
            .iter()
            .map(|n| cells.get(&(dep.clone(), *n)).cloned().unwrap_or_default())
            .collect();
        out.push_str(&format!("| {dep} | {} |\n", row.join(" | ")));
    }
    out
}

fn faults_cell(j: &Value) -> String {
    let list: Vec<&str> = j["authenticated"]["faults"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if list.is_empty() {
        "-".into()
    } else {
        list.join(", ")
    }
}

/// `sign`'s output, sent as is to the verifier: the proof that its nonces and timestamps pass
/// every stock validator (issue 9 section 2).
fn sign_and_send(lab: &Lab, v: Verifier, placement: &str, three_legged: bool) -> Vec<String> {
    let d = if three_legged {
        Deployment::ThreeLegged
    } else {
        Deployment::Healthy
    };
    let port = lab.port(v, d);
    let url = format!("http://127.0.0.1:{port}{ENDPOINT}");
    let mut args: Vec<String> = ["sign", &url, "--consumer-key", KEY, "--consumer-secret"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.push(format!("env:{SECRET_VAR}"));
    args.extend(["--output", "json", "--placement", placement].map(String::from));
    if three_legged {
        args.extend(["--token".into(), TOKEN.into(), "--token-secret".into()]);
        args.push(format!("env:{TOKEN_SECRET_VAR}"));
    }
    let o = run_sigdoctor(&args, &[], SECRET);
    let Some(signed) = o.json["signed_url"].as_str() else {
        return vec![format!(
            "sign gave no signed_url: {} {}",
            o.stdout, o.stderr
        )];
    };
    let target = signed
        .strip_prefix(&format!("http://127.0.0.1:{port}"))
        .unwrap_or(signed);
    let auth = o.json["authorization"]
        .as_str()
        .map(|a| format!("Authorization: {a}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "GET {target} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n{auth}Connection: close\r\n\r\n"
    );
    let mut answer = String::new();
    let sent = std::net::TcpStream::connect(("127.0.0.1", port)).and_then(|mut s| {
        s.write_all(request.as_bytes())?;
        s.take(64 * 1024).read_to_string(&mut answer)
    });
    match sent {
        Ok(_) if answer.starts_with("HTTP/1.1 200") || answer.starts_with("HTTP/1.0 200") => {
            Vec::new()
        }
        _ => vec![format!(
            "the verifier refused sign's request ({placement}): {}",
            answer.lines().last().unwrap_or_default()
        )],
    }
}

/// The first tool the lab needs that is missing, with the command that showed it.
fn tools_missing() -> Option<String> {
    if lab::nginx_binary().is_none() {
        return Some("nginx".into());
    }
    let passport = lab::tools().join("node/node_modules/passport-http-oauth");
    let checks: [(&str, Vec<String>); 6] = [
        (
            "php",
            vec![
                "-r".into(),
                "exit(class_exists('OAuthProvider') ? 0 : 1);".into(),
            ],
        ),
        (
            "ruby",
            vec![
                "-e".into(),
                "require 'oauth'; require 'rack'; require 'webrick'".into(),
            ],
        ),
        (
            "python3",
            vec!["-c".into(), "import oauthlib, werkzeug".into()],
        ),
        (
            "perl",
            vec![
                "-e".into(),
                "use Net::OAuth; use Plack::Middleware::ReverseProxy;".into(),
            ],
        ),
        (
            "node",
            vec![
                "-e".into(),
                "require(process.argv[1])".into(),
                passport.to_string_lossy().into(),
            ],
        ),
        ("openssl", vec!["version".into()]),
    ];
    checks.into_iter().find_map(|(c, args)| {
        let ok = std::process::Command::new(c)
            .args(&args)
            .output()
            .is_ok_and(|o| o.status.success());
        (!ok).then(|| format!("{c} {}", args.join(" ")))
    })
}

#[test]
fn real_verifiers_behind_nginx() {
    if let Some(missing) = tools_missing() {
        if std::env::var("SIGDOCTOR_SKIP_REAL_VERIFIERS").as_deref() == Ok("1") {
            eprintln!("{missing} missing; skipped (SIGDOCTOR_SKIP_REAL_VERIFIERS=1)");
            return;
        }
        panic!("{missing} is missing: run .ci/run's install step (or set SIGDOCTOR_SKIP_REAL_VERIFIERS=1)");
    }
    let lab = Lab::start();
    let all: Vec<Case> = lab::VERIFIERS
        .iter()
        .flat_map(|v| cases(&lab, *v))
        .collect();
    let results: Mutex<Vec<(usize, Outcome, Vec<String>)>> = Mutex::new(Vec::new());
    let next = Mutex::new(0usize);
    let mut sign_failures = Vec::new();
    std::thread::scope(|s| {
        for _ in 0..6 {
            s.spawn(|| loop {
                let i = {
                    let mut n = next.lock().expect("lock");
                    *n += 1;
                    *n - 1
                };
                let Some(case) = all.get(i) else { break };
                let mut args: Vec<String> = [case.command, &case.url, "--consumer-key", KEY]
                    .iter()
                    .map(|s| s.to_string())
                    .collect();
                args.push("--consumer-secret".into());
                args.push(format!("env:{SECRET_VAR}"));
                args.extend(
                    ["--profile", "generic", "--format", "json", "--rate", "50"].map(String::from),
                );
                args.extend(case.args.iter().cloned());
                let o = run_sigdoctor(&args, &case.env, &case.secret);
                let mut bad = judge(case, &o);
                if case.command == "check" {
                    bad.extend(check_agrees(case, &args, &o));
                }
                results.lock().expect("lock").push((i, o, bad));
            });
        }
        for v in lab::VERIFIERS {
            for (placement, three) in [
                ("query", false),
                ("header", false),
                ("query", true),
                ("header", true),
            ] {
                for b in sign_and_send(&lab, v, placement, three) {
                    let legs = if three { "3-legged" } else { "2-legged" };
                    sign_failures.push(format!("sign -> {} ({legs}): {b}", v.name()));
                }
            }
        }
    });
    let mut results = results.into_inner().expect("lock");
    results.sort_by_key(|(i, _, _)| {
        let c = &all[*i];
        (c.deployment, c.variant, c.verifier, c.command)
    });
    let mut table = String::from(
        "| deployment | verifier | command | verdict | exit | faults | requests_sent | first finding | |\n|---|---|---|---|---|---|---|---|---|\n",
    );
    let signs = 4 * lab::VERIFIERS.len();
    let failed_cases = sign_failures.len() + results.iter().filter(|r| !r.2.is_empty()).count();
    let mut failures = sign_failures;
    for (i, o, bad) in &results {
        let c = &all[*i];
        let dep = if c.variant.is_empty() {
            format!("{:?}", c.deployment)
        } else {
            format!("{:?} ({})", c.deployment, c.variant)
        };
        table.push_str(&format!(
            "| {dep} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            c.verifier.name(),
            c.command,
            o.json["verdict"].as_str().unwrap_or("?"),
            o.exit,
            faults_cell(&o.json),
            o.json["requests_sent"],
            o.json["findings"][0]["id"].as_str().unwrap_or("-"),
            if bad.is_empty() { "ok" } else { "FAIL" }
        ));
        for b in bad {
            failures.push(format!(
                "{dep} / {} / {}: {b}",
                c.verifier.name(),
                c.command
            ));
        }
    }
    eprintln!("{table}");
    eprintln!("{}", matrix(&all, &results));
    assert!(
        failures.is_empty(),
        "{failed_cases} of {} runs failed:\n{}",
        results.len() + signs,
        failures.join("\n")
    );
}
