//! `sigdoctor sign`: a correct signature, shown step by step.
//!
//! The secrets' sources, the placement choice and the output forms; the signing itself is
//! [`crate::signing`], shared with the browser build.

use serde_json::json;

use crate::cli::SignatureMethodArg;
use crate::cli::{GlobalArgs, Placement, Profile, RequestInput, SignArgs, SignOutput};
use crate::error::{exit, Error};
use crate::input;
use crate::rfc5849::SignatureMethod;
use crate::secret::Secret;
pub use crate::signing::{
    curl_command, rsa_fingerprint, sign_request, sign_request_rsa, to_json, Fingerprints, SignSpec,
    SignedRequest,
};

/// Runs `sign`.
pub fn run(args: SignArgs, global: &GlobalArgs) -> Result<u8, Error> {
    let consumer_key = args.credentials.consumer_key.clone().ok_or_else(|| {
        Error::input("sign needs --consumer-key (the oauth_consumer_key to sign with)")
    })?;
    crate::app::refuse_stdin_twice(&args.url, &args.credentials)?;
    let private_key = args
        .private_key
        .as_deref()
        .map(crate::app::keys::private_key)
        .transpose()?;
    // Not given: HMAC-SHA1, unless the provider refuses it (NetSuite: HMAC-SHA256).
    let default_method = crate::request::RawUrl::parse(&args.url)
        .ok()
        .map(|u| crate::profile::spec(input::resolve_profile(args.profile, &u)).methods)
        .filter(|m| !m.contains(&SignatureMethod::HmacSha1))
        .and_then(|m| {
            m.iter()
                .copied()
                .find(|m| SignatureMethod::HMACS.contains(m))
        })
        .unwrap_or(SignatureMethod::HmacSha1);
    let asked = args.signature_method.map_or(default_method, method_of);
    let method = match (asked, &private_key) {
        // A private key means RSA: RSA-SHA1 unless RSA-SHA256 was asked for.
        (m, Some(_)) if m.is_rsa() => m,
        (SignatureMethod::HmacSha1, Some(_)) => SignatureMethod::RsaSha1,
        (m, Some(_)) => {
            return Err(Error::input(format!(
                "--private-key signs RSA-SHA1 or RSA-SHA256, not {}",
                m.as_str()
            )))
        }
        (m, None) if m.is_rsa() => {
            return Err(Error::input(format!(
                "--signature-method {} needs --private-key PEM",
                m.as_str()
            )))
        }
        (m, None) => m,
    };
    let consumer_secret = if private_key.is_some() {
        Secret::new("")
    } else {
        crate::app::load_secret(
            args.credentials.consumer_secret.as_deref(),
            crate::app::CONSUMER_SECRET_ENV,
            "consumer secret",
        )?
        .ok_or_else(|| {
            Error::input(
                "sign needs the consumer secret: --consumer-secret env:VAR|file:PATH|stdin|prompt, \
                 or env SIGDOCTOR_CONSUMER_SECRET (or --private-key PEM for RSA-SHA1)",
            )
        })?
    };
    let token_secret = crate::app::load_secret(
        args.credentials.token_secret.as_deref(),
        crate::app::TOKEN_SECRET_ENV,
        "token secret",
    )?;
    if private_key.is_none() {
        crate::app::warn_empty(Some(&consumer_secret), "consumer secret");
        crate::app::warn_whitespace(Some(&consumer_secret), "consumer secret");
    }
    crate::app::warn_whitespace(token_secret.as_ref(), "token secret");
    let input = RequestInput {
        request: args.url.clone(),
        method: args.method.clone(),
        headers: args.headers.clone(),
        data: args.data.clone(),
        entry: None,
    };
    let placement = choose_placement(&args)?;
    if args.realm.is_some() && placement != Placement::Header {
        crate::eline!(
            "sigdoctor: warning: --realm is sent in the Authorization header only; ignored"
        );
    }
    // NetSuite wants realm = the account id (`1234567_SB1`); take it from the host.
    let netsuite_realm = crate::request::RawUrl::parse(&args.url)
        .ok()
        .filter(|u| input::resolve_profile(args.profile, u) == Profile::Netsuite)
        .and_then(|u| crate::profile::lints::netsuite_account(&u.host))
        .filter(|_| args.realm.is_none() && placement == Placement::Header);
    let spec = SignSpec {
        input,
        consumer_key: &consumer_key,
        consumer_secret: &consumer_secret,
        token: args.token.as_deref(),
        token_secret: token_secret.as_ref(),
        timestamp: args
            .timestamp
            .clone()
            .unwrap_or_else(|| crate::fresh::unix_now().to_string()),
        nonce: args
            .nonce
            .clone()
            .unwrap_or_else(crate::fresh::random_nonce),
        method,
        placement,
        realm: args.realm.as_deref().or(netsuite_realm.as_deref()),
        version: !args.no_version,
    };
    let signed = match &private_key {
        Some(k) => sign_request_rsa(&spec, k)?,
        None => sign_request(&spec)?,
    };
    if spec.method == SignatureMethod::Plaintext {
        plaintext_guard(&signed.url, args.allow_plaintext_over_http)?;
    }
    if global.verbose {
        crate::eline!("base string: {}", signed.base_string);
    }
    if global.verbose && private_key.is_none() {
        crate::eline!("consumer secret: {}", consumer_secret.fingerprint());
        if let Some(t) = &token_secret {
            crate::eline!("token secret: {}", t.fingerprint());
        }
    }
    let out = match args.output {
        SignOutput::Url => signed.signed_url.clone(),
        SignOutput::Header => format!(
            "Authorization: {}",
            signed.authorization.clone().unwrap_or_default()
        ),
        SignOutput::Curl => curl_command(&signed),
        SignOutput::BaseString => signed.base_string.clone(),
        SignOutput::Json => {
            let fp = match &private_key {
                Some(k) => json!({ "rsa_public_key": rsa_fingerprint(k) }),
                None => json!(Fingerprints {
                    consumer_secret: consumer_secret.fingerprint(),
                    token_secret: token_secret.as_ref().map(Secret::fingerprint),
                }),
            };
            serde_json::to_string_pretty(&to_json(&signed, &fp))
                .map_err(|e| Error::Io(format!("cannot write JSON: {e}")))?
        }
    };
    crate::app::emit(&format!("{out}\n"))?;
    Ok(exit::OK)
}

/// PLAINTEXT's signature *is* the secrets (RFC 5849 section 3.4.4), so printing it prints
/// them, and sending it unencrypted hands them to anyone on the path: warn always, and
/// refuse `http://` unless the user insists.
fn plaintext_guard(url: &str, allow_http: bool) -> Result<(), Error> {
    if url.trim_start().to_ascii_lowercase().starts_with("http://") && !allow_http {
        return Err(Error::input(format!(
            "--signature-method PLAINTEXT over `{}`: the secrets would travel readable over http:// \
             (RFC 5849 section 3.4.4 requires TLS); use https://, or --allow-plaintext-over-http \
             for a local test server",
            crate::request::url::shorten(url)
        )));
    }
    crate::eline!(
        "sigdoctor: warning: PLAINTEXT puts the secrets themselves in oauth_signature: this output, \
         and anyone who sees the request, has them"
    );
    Ok(())
}

/// Where the OAuth parameters go: as asked; else where the chosen output can show them
/// (a URL can only carry them in the query, a header line only in the header); else the
/// profile's habit (query for the Alteryx Gallery, header for everything else).
pub fn choose_placement(args: &SignArgs) -> Result<Placement, Error> {
    match (args.placement, args.output) {
        (Some(p), SignOutput::Url) if p != Placement::Query => Err(Error::input(format!(
            "--output url shows only the URL, but --placement {} puts the OAuth parameters \
             elsewhere; use --output curl or json",
            placement_name(p)
        ))),
        (Some(p), SignOutput::Header) if p != Placement::Header => Err(Error::input(format!(
            "--output header needs --placement header (got {})",
            placement_name(p)
        ))),
        (Some(p), _) => Ok(p),
        (None, SignOutput::Url) => Ok(Placement::Query),
        (None, SignOutput::Header) => Ok(Placement::Header),
        (None, _) => {
            let url = crate::request::RawUrl::parse(&args.url).ok();
            let profile = url.map_or(args.profile, |u| input::resolve_profile(args.profile, &u));
            Ok(if profile == Profile::Alteryx {
                Placement::Query
            } else {
                Placement::Header
            })
        }
    }
}

fn placement_name(p: Placement) -> &'static str {
    match p {
        Placement::Query => "query",
        Placement::Header => "header",
        Placement::Body => "body",
    }
}

/// The library form of `--signature-method`.
pub fn method_of(m: SignatureMethodArg) -> SignatureMethod {
    match m {
        SignatureMethodArg::HmacSha1 => SignatureMethod::HmacSha1,
        SignatureMethodArg::HmacSha256 => SignatureMethod::HmacSha256,
        SignatureMethodArg::HmacSha512 => SignatureMethod::HmacSha512,
        SignatureMethodArg::Plaintext => SignatureMethod::Plaintext,
        SignatureMethodArg::RsaSha1 => SignatureMethod::RsaSha1,
        SignatureMethodArg::RsaSha256 => SignatureMethod::RsaSha256,
    }
}
