//! `sigdoctor demo`: a Gallery behind a TLS-terminating load balancer, simulated on loopback.
//!
//! The server (`serve`, in-process on 127.0.0.1:0) has the Base Address `http://gallery01/
//! gallery/`, while clients call `https://gallery.example.com/gallery/`. There is no TLS and
//! no DNS on loopback, so each client signs its request for the public URL exactly as that
//! client would, and the demo then delivers it to the loopback port (as the load balancer
//! would forward it). The broken clients are the field's, each built from the core's
//! switches (`Variant`, `KeyForm`, `OutputForm`): the client model *is* the fault catalogue.
//! Every failure goes to `explain`; `probe` then sweeps the server for its Base Address.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use crate::cli::{Cli, Command, DemoArgs, GlobalArgs};
use crate::error::Error;
use crate::request::Request;
use crate::rfc5849::encode::pct;
use crate::rfc5849::{
    self, Context, KeyForm, KeyMaterial, OutputForm, ParamEncoding, ParamOrder, PortForm,
    SignatureMethod, Variant, Whitespace,
};
use crate::secret::Secret;
use crate::serve::{self, KeyPair, Role, ServeConfig};

/// `println!` for the demo, fitted to the terminal (layout): a reader that has gone
/// (`sigdoctor demo | head -1`) ends the demo quietly (exit 0) instead of a panic, and a
/// full stdout is an error.
macro_rules! say {
    () => { say!("") };
    ($($arg:tt)*) => {{
        let text = crate::report::layout::fit(
            &format!("{}\n", format_args!($($arg)*)),
            crate::report::layout::width(),
        );
        if !crate::out::stdout(&text)? {
            return Ok(Default::default());
        }
    }};
}

const PUBLIC: &str = "https://gallery.example.com/gallery/";
const BASE_ADDRESS: &str = "http://gallery01/gallery/";
const SUB_KEY: &str = "5CA1AB1E0DDBA11D";
const ADMIN_KEY: &str = "ADM1N0FF1CE5EED5";
/// Demo secrets: made up, printed nowhere, handed to explain and probe through the
/// environment exactly as a user would (`env:VAR`).
const SUB_SECRET: &str = "pq7Rk2vWx9LmN4sT8yZb3cFh6jDg1eAa";
const ADMIN_SECRET: &str = "Zu8Hn3Qp6Ws1Yc4Ve7Bt2Mk5Xr9Gf0Ld";
const SECRET_ENV: &str = "SIGDOCTOR_DEMO_SECRET";
const ADMIN_SECRET_ENV: &str = "SIGDOCTOR_DEMO_ADMIN_SECRET";

/// One client of the field: what it calls and how it signs.
struct Client {
    title: &'static str,
    evidence: &'static str,
    /// Path and query under the Gallery, as the client writes them.
    endpoint: &'static str,
    /// Write `:443` in the URL (the client that keeps it signs it too).
    port_443: bool,
    admin: bool,
    /// OAuth parameters before the other query parameters (the Python dict order is after).
    oauth_first: bool,
    variant: Variant,
    key_form: KeyForm,
    output: OutputForm,
}

fn clients() -> Vec<Client> {
    let rfc = Variant::default();
    let mut port_kept = rfc;
    port_kept.uri.port = PortForm::DefaultKept;
    let mut unsorted = rfc;
    unsorted.params.order = ParamOrder::Unsorted;
    let mut plus = rfc;
    plus.params.encoding = ParamEncoding::PlusForSpace;
    let base = Client {
        title: "",
        evidence: "",
        endpoint: "api/v1/workflows/subscription/",
        port_443: false,
        admin: false,
        oauth_first: true,
        variant: rfc,
        key_form: KeyForm::Rfc,
        output: OutputForm::Base64,
    };
    vec![
        Client {
            title: "keeps :443 in the URL it signs",
            evidence: "Alteryx Community, \"Cannot use Gallery API: Invalid Signature\"",
            port_443: true,
            variant: port_kept,
            ..base
        },
        Client {
            title: "leaves parameters unsorted and writes URL-safe base64",
            evidence: "Alteryx Community, \"Connecting to Alteryx ADMIN API\" (Python)",
            endpoint: "api/admin/v1/workflows/?page=1&pageSize=10",
            admin: true,
            oauth_first: false,
            variant: unsorted,
            output: OutputForm::UrlsafeBase64,
            ..base
        },
        Client {
            title: "signs a space as `+` (Python urllib.parse.urlencode)",
            evidence: "Python urlencode and Java URLEncoder users; alterryx (R) 0.3.1 NEWS",
            endpoint: "api/v1/workflows/subscription/?search=Sales+Forecast",
            oauth_first: false,
            variant: plus,
            ..base
        },
        Client {
            title: "signs with a trailing space pasted after the secret",
            evidence: "Alteryx Community, \"Cannot use Gallery API: Invalid Signature\"",
            key_form: KeyForm::Whitespace(Whitespace::TrailingSpace),
            ..base
        },
        Client {
            title: "signs correctly (RFC 5849)",
            evidence: "the reference client",
            ..base
        },
    ]
}

/// The URL the client sends (public origin), signed the client's way.
fn signed_url(c: &Client, base: &str, nonce: &str, now: i64) -> Result<String, Error> {
    let (key, secret) = if c.admin {
        (ADMIN_KEY, ADMIN_SECRET)
    } else {
        (SUB_KEY, SUB_SECRET)
    };
    let (path, query) = match c.endpoint.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (c.endpoint, None),
    };
    let oauth = format!(
        "oauth_consumer_key={}&oauth_nonce={}&oauth_signature_method=HMAC-SHA1&oauth_timestamp={now}&oauth_version=1.0",
        pct(key.as_bytes()),
        pct(nonce.as_bytes())
    );
    let query = match (query, c.oauth_first) {
        (None, _) => oauth,
        (Some(q), true) => format!("{oauth}&{q}"),
        (Some(q), false) => format!("{q}&{oauth}"),
    };
    let url = format!("{base}{path}?{query}");
    let req = Request::new("GET", &url, Vec::new(), None)?;
    let km = KeyMaterial {
        consumer_key: key,
        consumer_secret: secret,
        token_secret: None,
        has_token: false,
    };
    // The core's switches are the client model: base string, key and output form.
    let signed = rfc5849::sign_with(
        &req,
        &km,
        SignatureMethod::HmacSha1,
        &c.variant,
        c.key_form,
        &Context::default(),
    );
    let sig = if c.output == OutputForm::Base64 {
        signed.signature
    } else {
        let key = rfc5849::signing_key(&km, c.key_form);
        let raw = rfc5849::raw_signature(
            SignatureMethod::HmacSha1,
            &key,
            signed.base_string.as_bytes(),
        );
        rfc5849::encode_signature(SignatureMethod::HmacSha1, &raw, c.output)
    };
    Ok(format!("{url}&oauth_signature={}", pct(sig.as_bytes())))
}

/// Delivers `url` to the loopback server as the load balancer would: same path and query,
/// the public Host header. Returns the status and the Gallery's message.
fn deliver(addr: SocketAddr, url: &str) -> Result<(u16, String), Error> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let (host, target) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let net = |e: std::io::Error| Error::network(format!("demo: loopback request failed: {e}"));
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).map_err(net)?;
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(net)?;
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: {host}\r\nX-Forwarded-Proto: https\r\nConnection: close\r\n\r\n"
    )
    .map_err(net)?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).map_err(net)?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let message = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("message")?.as_str().map(str::to_string))
        .unwrap_or_else(|| format!("{} bytes of data", body.len()));
    Ok((status, message))
}

/// Runs another command through its own argument parser, so the demo keeps working when
/// that command gains flags.
fn run_command(argv: &[&str], global: &GlobalArgs) -> Result<u8, Error> {
    use clap::Parser;
    let cli = Cli::try_parse_from(argv).map_err(|e| Error::input(e.to_string()))?;
    match cli.command {
        Command::Explain(a) => super::explain::run(a, global),
        Command::Probe(a) => super::probe::run(a, global),
        _ => Err(Error::input("demo runs explain and probe only")),
    }
}

fn report_command(what: &str, result: Result<u8, Error>) -> Result<(), Error> {
    match result {
        Ok(code) => say!("   ({what} exited {code})"),
        Err(e) => say!("   {what}: {}", e.one_line()),
    }
    Ok(())
}

fn start(base_address: &str) -> Result<serve::ServerHandle, Error> {
    let keys = vec![
        KeyPair {
            consumer_key: SUB_KEY.into(),
            consumer_secret: Secret::new(SUB_SECRET),
            role: Role::Subscription,
        },
        KeyPair {
            consumer_key: ADMIN_KEY.into(),
            consumer_secret: Secret::new(ADMIN_SECRET),
            role: Role::Admin,
        },
    ];
    let mut cfg = ServeConfig::new(base_address, keys);
    cfg.workers = 1;
    serve::start(cfg)
}

/// Signs for `c`, drawing nonces until a URL-safe client's signature really carries `-` or
/// `_`: otherwise both alphabets agree and there would be no output fault to show.
fn shows_its_output_form(c: &Client, public: &str, now: i64) -> Result<String, Error> {
    let mut url = signed_url(c, public, &crate::fresh::random_nonce(), now)?;
    for _ in 0..64 {
        let signature = url.rsplit("oauth_signature=").next().unwrap_or("");
        if c.output != OutputForm::UrlsafeBase64 || signature.contains(['-', '_']) {
            break;
        }
        url = signed_url(c, public, &crate::fresh::random_nonce(), now)?;
    }
    Ok(url)
}

/// Runs `demo`.
pub fn run(_args: DemoArgs, global: &GlobalArgs) -> Result<u8, Error> {
    super::setup_color(global);
    // Set before any server thread starts: explain and probe read the secrets as a user's
    // shell would hand them over.
    std::env::set_var(SECRET_ENV, SUB_SECRET);
    std::env::set_var(ADMIN_SECRET_ENV, ADMIN_SECRET);
    let server = start(BASE_ADDRESS)?;
    let addr = server.local_addr();
    let now = crate::fresh::unix_now();
    say!("sigdoctor demo: a Gallery behind a TLS-terminating load balancer, on loopback\n");
    say!("  server     sigdoctor serve at http://{addr}, Base Address {BASE_ADDRESS} (a Gallery signs its configured Base Address, not the URL clients call)");
    say!("  clients    call {PUBLIC}");
    say!("  simulated  there is no TLS or DNS here. Each request is signed for the public URL exactly as that client signs it, then delivered to the loopback port with the public Host header, as the load balancer would forward it.\n");
    let mut failures = Vec::new();
    for (i, c) in clients().iter().enumerate() {
        let public = if c.port_443 {
            PUBLIC.replacen(".com/", ".com:443/", 1)
        } else {
            PUBLIC.to_string()
        };
        let url = shows_its_output_form(c, &public, now)?;
        let (status, message) = deliver(addr, &url)?;
        say!("{}. A client that {}.", i + 1, c.title);
        say!("   seen in: {}", c.evidence);
        say!("   GET {url}");
        say!("   -> {status} {message}");
        if status != 200 {
            failures.push((i + 1, url, c.admin));
        }
        say!();
    }
    say!("All five get the same 401, even the correct client (5): the server signs its Base Address, http://gallery01/..., not https://gallery.example.com/.... explain tells the client faults apart offline, with the secret; where it finds a request valid, the fault is the server's configuration, and probe finds which Base Address it signs.\n");
    for (n, url, admin) in &failures {
        say!("--- sigdoctor explain (request {n}) ---");
        let secret = if *admin { ADMIN_SECRET_ENV } else { SECRET_ENV };
        let src = format!("env:{secret}");
        let now_s = now.to_string();
        let argv = [
            "sigdoctor",
            "explain",
            url,
            "--consumer-secret",
            &src,
            "--profile",
            "alteryx",
            "--now",
            &now_s,
        ];
        report_command("explain", run_command(&argv, global))?;
        say!();
    }
    say!("--- sigdoctor probe ---");
    say!("   (pointed at the loopback address, since gallery.example.com does not exist here; in the field: sigdoctor probe {PUBLIC} --host-alias gallery01)");
    let target = server.loopback_base();
    let src = format!("env:{SECRET_ENV}");
    let argv = [
        "sigdoctor",
        "probe",
        &target,
        "--consumer-key",
        SUB_KEY,
        "--consumer-secret",
        &src,
        "--host-alias",
        "gallery01",
        "--host-alias",
        "gallery.example.com",
        "--profile",
        "alteryx",
        "--rate",
        "500",
        "--timeout",
        "5",
    ];
    report_command("probe", run_command(&argv, global))?;
    server.shutdown();
    say!();
    fixed(now)?;
    Ok(crate::error::exit::OK)
}

/// The fix: the Base Address set to the public URL. The correct client now passes; the
/// broken ones still fail, for their own reasons.
fn fixed(now: i64) -> Result<(), Error> {
    let server = start(PUBLIC)?;
    say!("--- after the fix: Base Address {PUBLIC} ---");
    for (i, c) in clients().iter().enumerate() {
        let public = if c.port_443 {
            PUBLIC.replacen(".com/", ".com:443/", 1)
        } else {
            PUBLIC.to_string()
        };
        let url = signed_url(c, &public, &crate::fresh::random_nonce(), now)?;
        let (status, message) = deliver(server.local_addr(), &url)?;
        let message = if status == 200 { "OK" } else { &message };
        say!("{}. {:<66} -> {status} {message}", i + 1, c.title);
    }
    server.shutdown();
    Ok(())
}
