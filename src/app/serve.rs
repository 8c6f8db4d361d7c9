//! `sigdoctor serve`: run the reference Gallery until SIGINT or SIGTERM.
//!
//! Credentials are required: a server that invented a key pair would have to print its
//! secret for anyone to use it, and secrets are never printed.

use std::net::SocketAddr;

use crate::cli::{GlobalArgs, ServeArgs, UriNormalization};
use crate::error::Error;
use crate::serve::{self, KeyPair, Normalization, Role, ServeConfig};

/// `--listen`: IP:PORT, or `localhost:PORT` (loopback, as curl and browsers read it), never
/// resolved through DNS.
fn listen_addr(text: &str) -> Result<SocketAddr, Error> {
    let bad = || {
        Error::input(format!(
            "--listen `{text}`: expected IP:PORT or localhost:PORT, such as 127.0.0.1:8080"
        ))
    };
    if let Ok(a) = text.parse::<SocketAddr>() {
        return Ok(a);
    }
    let (host, port) = text.rsplit_once(':').ok_or_else(bad)?;
    let port: u16 = port.parse().map_err(|_| bad())?;
    if host.eq_ignore_ascii_case("localhost") {
        return Ok(SocketAddr::from(([127, 0, 0, 1], port)));
    }
    Err(bad())
}

/// Turns the command line into a [`ServeConfig`] (secrets read, nothing bound yet).
pub fn config(args: &ServeArgs) -> Result<ServeConfig, Error> {
    let listen = listen_addr(&args.listen)?;
    let mut keys = Vec::new();
    if let Some(path) = &args.credentials {
        keys = serve::credentials::load(path)?;
    }
    let mut rsa_keys = Vec::new();
    if let (Some(k), Some(pem)) = (&args.consumer_key, &args.public_key) {
        rsa_keys.push((k.clone(), super::keys::public_key(pem)?));
        keys.push(KeyPair {
            consumer_key: k.clone(),
            // Never used: an RSA consumer's HMAC requests are refused by the verifier.
            consumer_secret: crate::secret::Secret::new(""),
            role: Role::Subscription,
        });
    } else if args.public_key.is_some() {
        return Err(Error::input(
            "--public-key needs --consumer-key K (the RSA consumer)",
        ));
    } else if let Some(k) = &args.consumer_key {
        let secret = super::load_secret(
            args.consumer_secret.as_deref(),
            super::CONSUMER_SECRET_ENV,
            "--consumer-secret",
        )?
        .ok_or_else(|| {
            Error::input(
                "--consumer-key needs --consumer-secret SRC (or SIGDOCTOR_CONSUMER_SECRET)",
            )
        })?;
        if keys.iter().any(|p| &p.consumer_key == k) {
            return Err(Error::input(format!(
                "--consumer-key `{k}` is also in --credentials"
            )));
        }
        keys.push(KeyPair {
            consumer_key: k.clone(),
            consumer_secret: secret,
            role: if args.admin {
                Role::Admin
            } else {
                Role::Subscription
            },
        });
    }
    if keys.is_empty() {
        return Err(Error::input(
            "serve needs credentials: --consumer-key K --consumer-secret SRC, or --credentials FILE",
        ));
    }
    let provider = serve::provider::emulates(args.profile);
    let spec = crate::profile::spec(args.profile);
    // A provider's site root, unless the user set a Base Address.
    let base_address = if provider && args.base_address == "http://localhost/gallery/" {
        "http://localhost/"
    } else {
        &args.base_address
    };
    let mut cfg = ServeConfig::new(base_address, keys);
    cfg.profile = args.profile;
    if provider {
        cfg.signature_methods = spec.methods.to_vec();
    }
    if !rsa_keys.is_empty() {
        for m in crate::rfc5849::SignatureMethod::RSAS {
            if !cfg.signature_methods.contains(&m) {
                cfg.signature_methods.push(m);
            }
        }
    }
    cfg.rsa_keys = rsa_keys;
    cfg.listen = listen;
    cfg.normalization = match args.uri_normalization {
        UriNormalization::Rfc => Normalization::Rfc,
        UriNormalization::Literal => Normalization::Literal,
    };
    cfg.timestamp_window = if provider && args.timestamp_window == 600 {
        spec.window
    } else {
        args.timestamp_window
    };
    cfg.nonce_cap = args.nonce_cap;
    cfg.log_base_strings = args.log_base_strings;
    cfg.max_header_bytes = args.max_header_bytes;
    cfg.max_params = args.max_params;
    cfg.max_body_bytes = args.max_body_bytes;
    cfg.idle_timeout = std::time::Duration::try_from_secs_f64(args.idle_timeout)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| {
            Error::input(format!(
                "--idle-timeout `{}`: expected a positive number of seconds",
                args.idle_timeout
            ))
        })?;
    cfg.validate()?;
    Ok(cfg)
}

/// Runs `serve`.
pub fn run(args: ServeArgs, _global: &GlobalArgs) -> Result<u8, Error> {
    let cfg = config(&args)?;
    let emulated = if serve::provider::emulates(cfg.profile) {
        crate::profile::spec(cfg.profile).name
    } else {
        "Alteryx Gallery"
    };
    let summary = format!(
        "{emulated}, base address {}, {} normalization, {} key(s), timestamp window {} s",
        serve::parse_base_address(&cfg.base_address)?.0,
        match cfg.normalization {
            Normalization::Rfc => "rfc",
            Normalization::Literal => "literal",
        },
        cfg.keys.len(),
        cfg.timestamp_window
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Io(format!("cannot start the signal runtime: {e}")))?;
    let server = serve::start(cfg)?;
    crate::eline!(
        "sigdoctor serve: listening on http://{} ({summary})",
        server.local_addr()
    );
    runtime.block_on(wait_for_signal())?;
    crate::eline!(
        "sigdoctor serve: shutting down ({} live nonces)",
        server.nonces()
    );
    server.shutdown();
    Ok(crate::error::exit::OK)
}

async fn wait_for_signal() -> Result<(), Error> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate())
            .map_err(|e| Error::Io(format!("cannot watch SIGTERM: {e}")))?;
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
    Ok(())
}
