//! `probe` and `check`: find the base URI a live server signs against.
//!
//! `plan` lists candidate base URIs, `sign` signs the called request over each of them
//! (through the RFC 5849 core only), `transport` sends, `run` sweeps and classifies, and
//! `report` renders. Nothing here prints: the app layer does.

mod advice;
mod given;
pub mod pace;
pub mod plan;
mod proxy_fix;
pub mod reason;
pub mod report;
pub mod run;
pub mod sign;
mod sweep;
pub mod tls;
pub mod transport;

use std::sync::Arc;
use std::time::Duration;

use crate::cli::Profile;
use crate::error::Error;
use crate::secret::Secret;
pub use report::{ProbeReport, Verdict};
pub use run::Limits;
pub use transport::{ReqwestTransport, Transport, TransportOptions};

/// Everything one probe needs.
#[derive(Clone, Debug)]
pub struct ProbeConfig {
    /// The URL the user calls.
    pub url: String,
    /// Profile (`auto` decides by the path).
    pub profile: Profile,
    /// Admin keys and endpoint (alteryx).
    pub admin: bool,
    /// oauth_consumer_key.
    pub consumer_key: String,
    /// The consumer secret.
    pub consumer_secret: Secret,
    /// `--host-alias` names.
    pub host_aliases: Vec<String>,
    /// `--path-prefix` segments.
    pub path_prefixes: Vec<String>,
    /// `--base-uri` URLs (tried first).
    pub base_uris: Vec<String>,
    /// oauth_token and its secret (3-legged).
    pub token: Option<(String, Secret)>,
    /// GET, HEAD, or POST (only with `--allow-post`, checked by the caller).
    pub method: String,
    /// The form body of a POST.
    pub body: Option<String>,
    /// Sweep limits.
    pub limits: Limits,
    /// TLS and timeout.
    pub transport: TransportOptions,
    /// A fixed clock for timestamps.
    pub now: Option<i64>,
}

impl ProbeConfig {
    /// The signer for this configuration (resolves the target; bad URLs are input errors).
    pub fn signer(&self) -> Result<sign::Signer, Error> {
        Ok(sign::Signer {
            target: plan::Target::new(&self.url, self.profile, self.admin)?,
            consumer_key: self.consumer_key.clone(),
            consumer_secret: self.consumer_secret.clone(),
            token: self.token.clone(),
            method: self.method.clone(),
            body: self.body.clone(),
            now: self.now,
        })
    }

    /// What the plan knows before any answer: aliases, prefixes, base URIs, secret repairs.
    pub fn hints(&self) -> plan::HostHints {
        plan::HostHints {
            aliases: self.host_aliases.clone(),
            path_prefixes: self.path_prefixes.clone(),
            base_uris: self.base_uris.clone(),
            secret_variants: sign::SecretVariant::applicable(
                self.consumer_secret.expose(),
                self.token.as_ref().map(|(_, s)| s.expose()),
            ),
            ..Default::default()
        }
    }
}

/// Runs a probe over the network (reqwest), blocking. Safe to call from inside or outside
/// a tokio runtime: the sweep runs on its own thread and runtime.
pub fn probe(config: &ProbeConfig) -> Result<ProbeReport, Error> {
    let signer = config.signer()?;
    let transport = Arc::new(ReqwestTransport::new(&config.transport)?);
    let hints = config.hints();
    let limits = config.limits.clone();
    std::thread::scope(|s| {
        s.spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| Error::Io(format!("cannot start the async runtime: {e}")))?;
            Ok(rt.block_on(run::probe_with(transport, signer, hints, limits)))
        })
        .join()
        .unwrap_or_else(|_| Err(Error::Io("the probe thread panicked".into())))
    })
}

/// The plan `--dry-run` prints: the request as called, then each candidate in sending order
/// (certificate names are not known without a connection).
pub fn dry_run_plan(config: &ProbeConfig) -> Result<String, Error> {
    use std::fmt::Write as _;
    let signer = config.signer()?;
    let target = &signer.target;
    let hints = config.hints();
    let cands = plan::candidates(target, &hints);
    let budget = config.limits.max_probes.saturating_sub(1);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "probe plan for {} {} ({} profile; nothing sent)",
        config.method,
        target.called.text,
        crate::profile::spec(target.profile).id
    );
    let _ = writeln!(out, "  1. {}  (as called)", plan::called_uri(target));
    for (i, c) in cands.iter().take(budget).enumerate() {
        let _ = writeln!(out, "  {}. {}  ({})", i + 2, c.signed_uri, c.label);
    }
    let _ = writeln!(
        out,
        "{} candidates in all, {} within --max-probes {}; --concurrency {} at --rate {}/s; TLS certificate names are added once the server answers",
        cands.len() + 1,
        cands.len().min(budget) + 1,
        config.limits.max_probes,
        config.limits.concurrency,
        config.limits.rate
    );
    Ok(out)
}

/// Seconds as a [`Duration`], refusing negative, NaN and absurd values.
pub fn timeout_from_secs(secs: f64) -> Result<Duration, Error> {
    if secs.is_finite() && secs > 0.0 && secs <= 86_400.0 {
        Ok(Duration::from_secs_f64(secs))
    } else {
        Err(Error::input(format!(
            "--timeout {secs}: expected seconds between 0 and 86400"
        )))
    }
}
