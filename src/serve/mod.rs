//! The reference Gallery server: verifies OAuth 1.0a exactly as an Alteryx Gallery does.
//!
//! A Gallery rebuilds the URL it signs from its configured Base Address (System Settings >
//! Gallery), never from the Host header: a client calling `https://gallery.example.com/...`
//! fails when the Base Address says `http://localhost/gallery/`. This server does the same,
//! with the one RFC core ([`crate::rfc5849`]) that `sign` and `explain` use.
//!
//! It lives in the library so `demo` and other commands' tests can start it in-process:
//!
//! ```no_run
//! use sigdoctor::serve::{start, KeyPair, Role, ServeConfig};
//! use sigdoctor::secret::Secret;
//! let keys = vec![KeyPair {
//!     consumer_key: "key".into(),
//!     consumer_secret: Secret::new("secret"),
//!     role: Role::Subscription,
//! }];
//! let server = start(ServeConfig::new("http://localhost/gallery/", keys)).unwrap();
//! println!("{}", server.local_addr());
//! server.shutdown();
//! ```
//!
//! Limits: request headers over [`ServeConfig::max_header_bytes`] get 431 (hyper),
//! bodies over [`ServeConfig::max_body_bytes`] 413, a connection idle (or a header slower)
//! than [`ServeConfig::idle_timeout`] is closed, and the replay store refuses (503) past
//! [`ServeConfig::nonce_cap`] live nonces (see [`nonce`]).

pub mod auth;
pub mod catalogue;
pub mod credentials;
pub mod nonce;
pub mod provider;
pub mod routes;

use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::watch;
use tower::ServiceExt;

pub use auth::{Failure, KeyPair, Normalization, Role, INVALID_SIGNATURE};

use crate::error::Error;
use crate::request::RawUrl;
use crate::rfc5849::SignatureMethod;

/// Everything the server needs; [`ServeConfig::new`] fills in the defaults.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    /// Address to listen on (`127.0.0.1:0` picks a free port).
    pub listen: SocketAddr,
    /// The Base Address the server signs against (`http://localhost/gallery/`).
    pub base_address: String,
    /// `--uri-normalization`.
    pub normalization: Normalization,
    /// Accepted key pairs (at least one).
    pub keys: Vec<KeyPair>,
    /// Seconds a timestamp may differ from the server clock (600).
    pub timestamp_window: u64,
    /// Most live nonces remembered (1,000,000); past it new requests get 503.
    pub nonce_cap: usize,
    /// Accepted signature methods (a Gallery accepts HMAC-SHA1 only).
    pub signature_methods: Vec<SignatureMethod>,
    /// Log the base string expected for each failure on stderr (never the secret).
    pub log_base_strings: bool,
    /// Largest request head (request line + headers) in bytes: 431 beyond (16 KiB).
    pub max_header_bytes: usize,
    /// Largest body in bytes: 413 beyond (1 MiB).
    pub max_body_bytes: usize,
    /// A connection with no request arriving for this long is closed (30 s).
    pub idle_timeout: Duration,
    /// Worker threads (0: one per core).
    pub workers: usize,
    /// The provider emulated: `generic`/`alteryx` (and `auto`) serve the Gallery routes,
    /// a provider profile its own verifier, routes and error bodies ([`provider`]).
    pub profile: crate::cli::Profile,
    /// RSA consumers (consumer key, public key): RSA-SHA1/RSA-SHA256 requests.
    pub rsa_keys: Vec<(String, crate::rfc5849::rsa::PublicKey)>,
    /// Most parameters a request may carry: 413 beyond ([`auth::MAX_PARAMS`]).
    pub max_params: usize,
}

impl ServeConfig {
    /// Defaults around a Base Address and keys: 127.0.0.1:0, RFC normalization, 600 s.
    pub fn new(base_address: &str, keys: Vec<KeyPair>) -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            base_address: base_address.to_string(),
            normalization: Normalization::Rfc,
            keys,
            timestamp_window: 600,
            nonce_cap: 1_000_000,
            signature_methods: vec![SignatureMethod::HmacSha1],
            log_base_strings: false,
            max_header_bytes: 16 * 1024,
            max_body_bytes: 1024 * 1024,
            idle_timeout: Duration::from_secs(30),
            workers: 0,
            profile: crate::cli::Profile::Auto,
            rsa_keys: Vec::new(),
            max_params: auth::MAX_PARAMS,
        }
    }

    /// Refuses, before anything is bound, what would fail open or fail later: an empty
    /// secret (every request signed with the empty key would pass) and limits out of range
    /// (a header limit near `usize::MAX` once overflowed in the accept thread after
    /// "listening" was printed).
    pub fn validate(&self) -> Result<(), Error> {
        if self.keys.is_empty() {
            return Err(Error::input(
                "serve needs a key pair: --consumer-key K --consumer-secret SRC, or --credentials FILE",
            ));
        }
        // An RSA consumer has no secret (its empty one is never used: HMAC from it is refused).
        let rsa = |k: &KeyPair| self.rsa_keys.iter().any(|(c, _)| *c == k.consumer_key);
        if let Some(k) = self
            .keys
            .iter()
            .find(|k| k.consumer_secret.is_empty() && !rsa(k))
        {
            return Err(Error::input(format!(
                "the consumer secret of key `{}` is empty: a server would accept anyone who signs with an empty secret; give the real secret",
                k.consumer_key
            )));
        }
        let range = |flag: &str, v: u128, lo: u128, hi: u128| {
            if (lo..=hi).contains(&v) {
                Ok(())
            } else {
                Err(Error::input(format!("{flag} {v}: expected {lo} to {hi}")))
            }
        };
        range(
            "--max-header-bytes",
            self.max_header_bytes as u128,
            1024,
            LIMIT_HEADER,
        )?;
        range(
            "--max-body-bytes",
            self.max_body_bytes as u128,
            0,
            LIMIT_BODY,
        )?;
        range("--max-params", self.max_params as u128, 1, LIMIT_PARAMS)?;
        range("--nonce-cap", self.nonce_cap as u128, 1, LIMIT_NONCES)?;
        range(
            "--timestamp-window",
            self.timestamp_window.into(),
            0,
            LIMIT_WINDOW,
        )?;
        let idle = self.idle_timeout.as_millis();
        if !(1..=LIMIT_IDLE_SECS * 1000).contains(&idle) {
            return Err(Error::input(format!(
                "--idle-timeout {:?}: expected 0.001 to {LIMIT_IDLE_SECS} seconds",
                self.idle_timeout
            )));
        }
        Ok(())
    }
}

/// Largest `--max-header-bytes`: 1 MiB of headers is already far past any real client.
const LIMIT_HEADER: u128 = 1 << 20;
/// Largest `--max-body-bytes`: 1 GiB, held in memory per request in flight.
const LIMIT_BODY: u128 = 1 << 30;
/// Largest `--max-params`.
const LIMIT_PARAMS: u128 = 1_000_000;
/// Largest `--nonce-cap`: about 50 bytes each, so 5 GB at most.
const LIMIT_NONCES: u128 = 100_000_000;
/// Largest `--timestamp-window`: a year.
const LIMIT_WINDOW: u128 = 366 * 86_400;
/// Largest `--idle-timeout`: a day.
const LIMIT_IDLE_SECS: u128 = 86_400;

/// A running server. Dropping it shuts it down too.
pub struct ServerHandle {
    local_addr: SocketAddr,
    base_address: String,
    shared: Arc<routes::Shared>,
    stop: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

impl ServerHandle {
    /// The address actually bound (the real port when 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The Base Address as the server signs it (always ending in `/`).
    pub fn base_address(&self) -> &str {
        &self.base_address
    }

    /// `http://ADDR` + the Base Address path: where to send requests on loopback.
    pub fn loopback_base(&self) -> String {
        format!("http://{}{}", self.local_addr, self.shared.base_path)
    }

    /// Live nonces in the replay store.
    pub fn nonces(&self) -> usize {
        self.shared.verifier.nonces.len()
    }

    /// Stops accepting, lets requests in flight finish (5 s at most), and waits.
    pub fn shutdown(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        let _ = self.stop.send(true);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

/// Checks the Base Address: an http(s) URL without query or fragment; returns it ending in
/// `/` and its path.
pub fn parse_base_address(text: &str) -> Result<(String, String), Error> {
    let url = RawUrl::parse(text).map_err(|e| Error::input(format!("--base-address: {e}")))?;
    if url.query.is_some() || url.fragment.is_some() {
        return Err(Error::input(format!(
            "--base-address `{text}`: a Base Address has no ?query or #fragment"
        )));
    }
    if url.path.contains(['{', '}', '*']) {
        return Err(Error::input(format!(
            "--base-address `{text}`: `{{`, `}}` and `*` are not supported in the path"
        )));
    }
    let mut path = if url.path.is_empty() {
        "/".to_string()
    } else {
        url.path.clone()
    };
    let mut full = url.text.trim().to_string();
    if !path.ends_with('/') {
        path.push('/');
        full.push('/');
    } else if url.path.is_empty() {
        full.push('/');
    }
    Ok((full, path))
}

/// Binds and starts the server on its own thread and runtime, so it works from sync code,
/// from inside another runtime (tests, probe) and from the `serve` command alike.
pub fn start(config: ServeConfig) -> Result<ServerHandle, Error> {
    config.validate()?;
    let (base_address, base_path) = parse_base_address(&config.base_address)?;
    let std_listener = std::net::TcpListener::bind(config.listen)
        .map_err(|e| Error::Io(format!("cannot listen on {}: {e}", config.listen)))?;
    let local_addr = std_listener
        .local_addr()
        .map_err(|e| Error::Io(format!("cannot read the bound address: {e}")))?;
    std_listener
        .set_nonblocking(true)
        .map_err(|e| Error::Io(format!("cannot set the listener non-blocking: {e}")))?;
    let workers = if config.workers == 0 {
        std::thread::available_parallelism().map_or(2, usize::from)
    } else {
        config.workers
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .thread_name("sigdoctor-serve-worker")
        .enable_all()
        .build()
        .map_err(|e| Error::Io(format!("cannot start the server runtime: {e}")))?;
    let shared = Arc::new(routes::Shared {
        verifier: auth::Verifier {
            base_address: base_address.clone(),
            normalization: config.normalization,
            keys: config.keys.clone(),
            window: config.timestamp_window,
            methods: config.signature_methods.clone(),
            nonces: nonce::NonceStore::new(config.nonce_cap),
            log_base_strings: config.log_base_strings,
            profile: config.profile,
            rsa_keys: config.rsa_keys.clone(),
            max_params: config.max_params,
        },
        jobs: catalogue::Jobs::default(),
        base_path,
        max_body: config.max_body_bytes,
        body_timeout: config.idle_timeout,
    });
    let (stop, stop_rx) = watch::channel(false);
    let thread_shared = shared.clone();
    let thread = std::thread::Builder::new()
        .name("sigdoctor-serve".into())
        .spawn(move || {
            runtime.block_on(accept_loop(std_listener, thread_shared, config, stop_rx));
            runtime.shutdown_timeout(Duration::from_millis(100));
        })
        .map_err(|e| Error::Io(format!("cannot start the server thread: {e}")))?;
    Ok(ServerHandle {
        local_addr,
        base_address,
        shared,
        stop,
        thread: Some(thread),
    })
}

async fn accept_loop(
    std_listener: std::net::TcpListener,
    shared: Arc<routes::Shared>,
    config: ServeConfig,
    mut stop: watch::Receiver<bool>,
) {
    let listener = match tokio::net::TcpListener::from_std(std_listener) {
        Ok(l) => l,
        Err(e) => {
            crate::eline!("sigdoctor serve: cannot use the listener: {e}");
            return;
        }
    };
    let router = if provider::emulates(config.profile) {
        provider::router(shared)
    } else {
        routes::router(shared)
    };
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(config.idle_timeout)
        .max_buf_size(config.max_header_bytes.max(8192).saturating_add(8192))
        .max_header_size(config.max_header_bytes);
    let mut conns = tokio::task::JoinSet::new();
    loop {
        let stream = tokio::select! {
            r = listener.accept() => match r {
                Ok((s, _)) => s,
                Err(_) => {
                    // Out of descriptors and the like: back off instead of spinning.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = stop.changed() => break,
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let svc = hyper::service::service_fn(move |req| router.clone().oneshot(req));
        let conn = http.serve_connection(TokioIo::new(stream), svc);
        let mut conn_stop = stop.clone();
        conns.spawn(async move {
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = conn_stop.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(Duration::from_secs(5), conn).await;
                }
            }
        });
        while conns.try_join_next().is_some() {}
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(6), async {
        while conns.join_next().await.is_some() {}
    })
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_address_gets_its_trailing_slash_and_keeps_what_was_written() {
        let p = |t| parse_base_address(t).unwrap();
        assert_eq!(
            p("http://localhost/gallery"),
            ("http://localhost/gallery/".into(), "/gallery/".into())
        );
        assert_eq!(
            p("https://Gallery.Example.com:443/gallery/"),
            (
                "https://Gallery.Example.com:443/gallery/".into(),
                "/gallery/".into()
            )
        );
        assert_eq!(p("http://h:8080"), ("http://h:8080/".into(), "/".into()));
        assert!(parse_base_address("http://h/gallery/?x=1").is_err());
        assert!(parse_base_address("ftp://h/").is_err());
    }

    #[test]
    fn start_refuses_no_keys() {
        let err = start(ServeConfig::new("http://localhost/gallery/", vec![]))
            .err()
            .unwrap();
        assert!(err.to_string().contains("key pair"));
    }
}
