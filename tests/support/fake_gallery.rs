//! A stand-in Gallery verifier for the probe tests: axum on 127.0.0.1, verifying OAuth 1.0a
//! with the RFC 5849 core against a configured Base Address, answering like a Gallery.
//!
//! It signs `BaseAddress + endpoint` where the endpoint is the request path after
//! `/gallery/`, the way a Gallery concatenates its Base Address with the route, so a Base
//! Address without its trailing slash signs `/galleryapi/...`.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Response, StatusCode};
use sigdoctor::request::Request;
use sigdoctor::rfc5849::{
    sign_with, signatures_equal, Context, HostForm, KeyForm, KeyMaterial, PortForm,
    SignatureMethod, UriForm, Variant,
};

use super::{Guard, KEY, SECRET};

/// How the Base Address enters the base string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Normalization {
    /// Default port dropped, host lower-cased.
    Rfc,
    /// Exactly as configured (`:443` kept).
    Literal,
}

/// What the server does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Verify signatures like a Gallery.
    Verify,
    /// Verify, but sign the route without its trailing slash (a framework that normalises
    /// routes before rebuilding the URL).
    VerifyRouteWithoutSlash,
    /// Answer 200 to everything (an endpoint that verifies nothing).
    AcceptAll,
    /// Alteryx 2022.1+: the OAuth 1.0a API is gone (404), `/webapi/` answers.
    Webapi,
}

/// Stops the server when dropped.
pub struct FakeGuard {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for FakeGuard {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

struct Cfg {
    base_address: String,
    form: UriForm,
    mode: Mode,
    clock_offset: i64,
}

const INVALID: &str = r#"{"data":null,"exceptionName":"UnauthorizedException","innerExceptionMessage":"","message":"The provided signature(oauth_signature) is invalid."}"#;

/// Starts the stand-in; `clock_offset` seconds are added to its clock (and its Date header).
pub fn start(
    base_address: &str,
    normalization: Normalization,
    mode: Mode,
    clock_offset: i64,
) -> (SocketAddr, Guard) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let addr = listener.local_addr().expect("addr");
    let form = match normalization {
        Normalization::Rfc => UriForm::default(),
        Normalization::Literal => UriForm {
            port: PortForm::AsWritten,
            host: HostForm::AsSent,
            ..UriForm::default()
        },
    };
    let cfg = Arc::new(Cfg {
        base_address: base_address.replace("{port}", &addr.port().to_string()),
        form,
        mode,
        clock_offset,
    });
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            let app = axum::Router::new().fallback(move |req: axum::extract::Request| {
                let cfg = cfg.clone();
                async move { handle(&cfg, req) }
            });
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = rx.await;
                })
                .await;
        });
    });
    (
        addr,
        Guard::Fake(FakeGuard {
            stop: Some(tx),
            thread: Some(thread),
        }),
    )
}

fn json(status: StatusCode, body: &str, offset: i64) -> Response<Body> {
    let now = std::time::SystemTime::now();
    let date = if offset >= 0 {
        now + std::time::Duration::from_secs(offset as u64)
    } else {
        now - std::time::Duration::from_secs(offset.unsigned_abs())
    };
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::DATE, httpdate::fmt_http_date(date))
        .body(Body::from(body.to_string()))
        .expect("response")
}

fn handle(cfg: &Cfg, req: axum::extract::Request) -> Response<Body> {
    let off = cfg.clock_offset;
    let path = req.uri().path().to_string();
    match cfg.mode {
        Mode::AcceptAll => return json(StatusCode::OK, r#"{"data":[]}"#, off),
        Mode::Webapi if path.starts_with("/webapi/") => {
            return json(StatusCode::OK, r#"{"swagger":"2.0"}"#, off)
        }
        Mode::Webapi => return json(StatusCode::NOT_FOUND, r#"{"message":"Not found"}"#, off),
        Mode::Verify | Mode::VerifyRouteWithoutSlash => {}
    }
    let Some(rest) = path.strip_prefix("/gallery/") else {
        return json(StatusCode::NOT_FOUND, r#"{"message":"Not found"}"#, off);
    };
    let query = req
        .uri()
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    let rest = if cfg.mode == Mode::VerifyRouteWithoutSlash {
        rest.trim_end_matches('/')
    } else {
        rest
    };
    let signed_url = format!("{}{rest}{query}", cfg.base_address);
    let headers: Vec<(String, String)> = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(|v| vec![("Authorization".to_string(), v.to_string())])
        .unwrap_or_default();
    let Ok(r) = Request::new(req.method().as_str(), &signed_url, headers, None) else {
        return json(StatusCode::BAD_REQUEST, r#"{"message":"Bad request"}"#, off);
    };
    if r.param_str("oauth_consumer_key").as_deref() != Some(KEY) {
        return json(
            StatusCode::UNAUTHORIZED,
            r#"{"data":null,"exceptionName":"UnauthorizedException","innerExceptionMessage":"","message":"The consumer key (oauth_consumer_key) is unknown."}"#,
            off,
        );
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
        + off;
    let ts: i64 = r
        .param_str("oauth_timestamp")
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    if (ts - now).abs() > 600 {
        return json(
            StatusCode::UNAUTHORIZED,
            r#"{"data":null,"exceptionName":"UnauthorizedException","innerExceptionMessage":"","message":"The timestamp (oauth_timestamp) is outside the allowed window."}"#,
            off,
        );
    }
    let key = KeyMaterial {
        consumer_key: KEY,
        consumer_secret: SECRET,
        token_secret: None,
        has_token: false,
    };
    let variant = Variant {
        uri: cfg.form,
        ..Variant::default()
    };
    let expected = sign_with(
        &r,
        &key,
        SignatureMethod::HmacSha1,
        &variant,
        KeyForm::Rfc,
        &Context::default(),
    );
    let got = r.param_str("oauth_signature").unwrap_or_default();
    if signatures_equal(&got, &expected.signature) {
        json(StatusCode::OK, r#"{"data":[]}"#, off)
    } else {
        json(StatusCode::UNAUTHORIZED, INVALID, off)
    }
}
