//! `sigdoctor web`: the browser page (web/dist, embedded at build time) served on loopback,
//! for those who have the CLI but prefer the form. The page computes everything itself and
//! may make no request (its CSP), so this server only hands out its files.

use std::net::SocketAddr;

use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use crate::cli::{GlobalArgs, WebArgs};
use crate::error::Error;

mod dist {
    include!(concat!(env!("OUT_DIR"), "/web_dist.rs"));
}

/// The page's own policy (as in its meta tag), sent as a header too.
const CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
                   img-src 'self' data:; connect-src 'none'; form-action 'none'; base-uri 'none'; \
                   frame-ancestors 'none'";

/// Whether this binary carries the page.
pub fn embedded() -> bool {
    dist::FILES.iter().any(|(n, _)| *n == "index.html")
}

/// Runs `web` until Ctrl-C.
pub fn run(args: WebArgs, _global: &GlobalArgs) -> Result<u8, Error> {
    let listen: SocketAddr = args.listen.parse().map_err(|_| {
        Error::input(format!(
            "--listen `{}`: expected IP:PORT such as 127.0.0.1:8787",
            args.listen
        ))
    })?;
    if !listen.ip().is_loopback() {
        return Err(Error::input(format!(
            "--listen `{listen}`: the page is served on loopback only (127.0.0.1 or [::1]); \
             copy web/dist to a static host to share it"
        )));
    }
    if !embedded() {
        return Err(Error::input(
            "this binary was built without the browser page: run web/build.sh (needs the \
             wasm32-unknown-unknown target and wasm-bindgen-cli), then cargo build again; or \
             open web/dist/index.html directly",
        ));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Io(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| Error::Io(format!("cannot listen on {listen}: {e}")))?;
        let local = listener.local_addr().unwrap_or(listen);
        crate::out::stdout(&format!(
            "sigdoctor web: open http://{local}/ (the page runs in your browser; nothing is \
             sent to this server; Ctrl-C stops it)\n"
        ))?;
        let app = axum::Router::new().fallback(file);
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| Error::Io(format!("web server: {e}")))
    })?;
    Ok(crate::error::exit::OK)
}

/// One embedded file by its path; everything else is 404.
async fn file(uri: Uri) -> Response {
    let name = match uri.path().trim_start_matches('/') {
        "" => "index.html",
        n => n,
    };
    let Some((_, body)) = dist::FILES.iter().find(|(n, _)| *n == name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let kind = match name.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        _ => "application/octet-stream",
    };
    let mut res = (*body).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    res
}
