//! Sending one request: a small trait so unit tests can inject a fake, and its reqwest
//! implementation (rustls, no automatic redirects, the peer certificate kept for its names).

use std::future::Future;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::tls::{SeenCell, TlsFailure, TlsKind};
use crate::error::Error;

/// A request to send, fully formed (the signature already in it).
#[derive(Clone, Debug)]
pub struct HttpRequest {
    /// Method (GET, HEAD).
    pub method: String,
    /// Absolute URL.
    pub url: String,
    /// Extra headers (the Authorization header for header placement).
    pub headers: Vec<(String, String)>,
    /// A form body (POST with `--allow-post` only).
    pub body: Option<String>,
}

/// What came back.
#[derive(Clone, Debug, Default)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The start of the body (at most [`BODY_LIMIT`] bytes), lossily decoded.
    pub body: String,
    /// The server's leaf certificate (DER) when the connection used TLS.
    pub peer_certificate: Option<Vec<u8>>,
    /// Time from sending to the end of the (truncated) body.
    pub elapsed: Duration,
}

impl HttpResponse {
    /// The first header named `name` (lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// How a request failed before any answer: each maps to a different piece of advice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportError {
    /// Nothing accepted the connection.
    Connect(String),
    /// The host name did not resolve.
    Dns(String),
    /// The TLS handshake failed: its kind and the fix.
    Tls(TlsFailure),
    /// No answer within the timeout.
    Timeout,
    /// Anything else.
    Other(String),
}

impl std::fmt::Display for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Connect(m) => write!(f, "connection failed: {m}"),
            Self::Dns(m) => write!(f, "name resolution failed: {m}"),
            Self::Tls(t) => write!(f, "TLS failed: {t}"),
            Self::Timeout => write!(f, "timed out"),
            Self::Other(m) => write!(f, "{m}"),
        }
    }
}

/// Most body bytes kept: enough for any error message, little memory per probe.
pub const BODY_LIMIT: usize = 64 * 1024;

/// Sends one request. Implementations never follow redirects.
pub trait Transport: Send + Sync + 'static {
    /// Sends `req` and returns the answer or why there is none.
    fn send(
        &self,
        req: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send;
}

/// TLS and timeout settings.
#[derive(Clone, Debug, Default)]
pub struct TransportOptions {
    /// Per-request timeout.
    pub timeout: Duration,
    /// Accept any certificate.
    pub insecure: bool,
    /// An extra PEM CA certificate to trust.
    pub cacert: Option<PathBuf>,
}

/// The real transport: reqwest over rustls (trust as in [`super::tls`]), proxies from the
/// environment.
#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    seen: SeenCell,
}

impl ReqwestTransport {
    /// Builds the client; a bad `--cacert` is an input error.
    pub fn new(opts: &TransportOptions) -> Result<Self, Error> {
        let cacert = match &opts.cacert {
            Some(path) => super::tls::read_cacert(path)?,
            None => Vec::new(),
        };
        let seen = SeenCell::default();
        let tls = super::tls::client_config(&cacert, opts.insecure, seen.clone())?;
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .tls_info(true)
            .timeout(opts.timeout)
            .user_agent(concat!("sigdoctor/", env!("CARGO_PKG_VERSION")))
            .use_preconfigured_tls(tls)
            .build()
            .map_err(|e| Error::network(format!("cannot set up the HTTP client: {e}")))?;
        Ok(Self { client, seen })
    }

    /// The TLS refusal the verifier recorded, if this error is one.
    fn refine(&self, e: TransportError) -> TransportError {
        match e {
            TransportError::Tls(t) if t.kind == TlsKind::Other => {
                let recorded = self.seen.lock().ok().and_then(|mut s| s.failure.take());
                TransportError::Tls(recorded.unwrap_or(t))
            }
            e => e,
        }
    }
}

impl Transport for ReqwestTransport {
    fn send(
        &self,
        req: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send {
        let client = self.client.clone();
        let this = self.clone();
        async move {
            let method = reqwest::Method::from_bytes(req.method.as_bytes())
                .map_err(|e| TransportError::Other(format!("bad method: {e}")))?;
            let mut rb = client.request(method, &req.url);
            for (n, v) in &req.headers {
                rb = rb.header(n, v);
            }
            if let Some(b) = &req.body {
                rb = rb.body(b.clone());
            }
            let start = Instant::now();
            let mut resp = rb.send().await.map_err(|e| this.refine(classify(e)))?;
            let status = resp.status().as_u16();
            let headers = resp
                .headers()
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_ascii_lowercase(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            // Through a proxy's CONNECT tunnel the HTTP layer may not expose the peer
            // certificate; the verifier saw it either way.
            let peer_certificate = resp
                .extensions()
                .get::<reqwest::tls::TlsInfo>()
                .and_then(|i| i.peer_certificate())
                .map(<[u8]>::to_vec)
                .or_else(|| {
                    (req.url.len() > 8 && req.url[..8].eq_ignore_ascii_case("https://"))
                        .then(|| this.seen.lock().ok().and_then(|s| s.leaf.clone()))
                        .flatten()
                });
            let mut body = Vec::new();
            while body.len() < BODY_LIMIT {
                match resp.chunk().await {
                    Ok(Some(c)) => body.extend_from_slice(&c),
                    Ok(None) => break,
                    Err(e) => return Err(classify(e)),
                }
            }
            body.truncate(BODY_LIMIT);
            Ok(HttpResponse {
                status,
                headers,
                body: String::from_utf8_lossy(&body).into_owned(),
                peer_certificate,
                elapsed: start.elapsed(),
            })
        }
    }
}

/// Sorts a reqwest error into the advice it needs, from the whole source chain.
fn classify(e: reqwest::Error) -> TransportError {
    if e.is_timeout() {
        return TransportError::Timeout;
    }
    // The URL carries the signed query: noise in a message, and not ours to repeat.
    let e = e.without_url();
    let mut chain = Vec::new();
    let mut src: Option<&dyn std::error::Error> = Some(&e);
    while let Some(s) = src {
        chain.push(s.to_string());
        src = s.source();
    }
    let text = chain.join(": ");
    let lower = text.to_ascii_lowercase();
    if lower.contains("connection refused") {
        TransportError::Connect(text)
    } else if lower.contains("invalidcontenttype") || lower.contains("corrupt message") {
        TransportError::Tls(TlsFailure {
            kind: TlsKind::NotTls,
            message: format!("the server does not speak TLS here: {text}"),
            fix: "call it over http:// (or the port where TLS is served)".into(),
        })
    } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake")
    {
        TransportError::Tls(TlsFailure {
            kind: TlsKind::Other,
            message: text,
            fix: "check the server's TLS set-up (--insecure skips verification: a last resort)"
                .into(),
        })
    } else if lower.contains("dns") || lower.contains("lookup") || lower.contains("resolve") {
        TransportError::Dns(text)
    } else if e.is_connect() {
        TransportError::Connect(text)
    } else if lower.contains("timed out") {
        TransportError::Timeout
    } else {
        TransportError::Other(text)
    }
}

/// Every name a certificate carries, wildcards included, else its subject CN: what a name
/// mismatch must show.
pub fn certificate_names_all(der: &[u8]) -> Vec<String> {
    use x509_parser::extensions::GeneralName;
    use x509_parser::prelude::*;
    let Ok((_, cert)) = X509Certificate::from_der(der) else {
        return Vec::new();
    };
    let mut names = Vec::new();
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for gn in &san.value.general_names {
            if let GeneralName::DNSName(n) = gn {
                names.push(n.to_string());
            }
        }
    }
    for n in certificate_names(der) {
        if !names.contains(&n) {
            names.push(n);
        }
    }
    if names.is_empty() {
        names.extend(
            cert.subject()
                .iter_common_name()
                .filter_map(|cn| cn.as_str().ok())
                .map(|cn| format!("CN={cn}")),
        );
    }
    names
}

/// The DNS names and IP addresses a certificate is valid for (wildcards left out: they name
/// no single host).
pub fn certificate_names(der: &[u8]) -> Vec<String> {
    use x509_parser::extensions::GeneralName;
    use x509_parser::prelude::*;
    let Ok((_, cert)) = X509Certificate::from_der(der) else {
        return Vec::new();
    };
    let mut names = Vec::new();
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for gn in &san.value.general_names {
            match gn {
                GeneralName::DNSName(n) if !n.contains('*') => names.push(n.to_string()),
                GeneralName::IPAddress(b) => {
                    if let Ok(a) = <[u8; 4]>::try_from(*b) {
                        names.push(std::net::Ipv4Addr::from(a).to_string());
                    } else if let Ok(a) = <[u8; 16]>::try_from(*b) {
                        names.push(format!("[{}]", std::net::Ipv6Addr::from(a)));
                    }
                }
                _ => {}
            }
        }
    }
    names
}
