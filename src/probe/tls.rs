//! TLS trust as curl has it: the platform's store (`SSL_CERT_FILE` / `SSL_CERT_DIR`
//! honoured), plus `--cacert`, where a certificate that is exactly the server's own is
//! pinned whatever its extensions (the `openssl req -x509` one-liner carries `CA:TRUE`,
//! which a CA-chain check refuses as an end entity). Every refusal is recorded with its
//! kind, so the report names the one flag that fixes it instead of a rustls error code.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::error::Error;

/// Which way a certificate was refused: each has its own fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlsKind {
    /// Signed by a CA nobody here trusts.
    UnknownIssuer,
    /// Self-signed and not given with `--cacert`.
    SelfSigned,
    /// Valid, but not for the name called.
    NameMismatch,
    /// Past its notAfter.
    Expired,
    /// Before its notBefore.
    NotYetValid,
    /// The port does not speak TLS.
    NotTls,
    /// Anything else (protocol versions, ciphers, revocation).
    Other,
}

/// A TLS refusal: what was seen, and the one change that fixes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsFailure {
    /// The kind.
    pub kind: TlsKind,
    /// What was seen, with the certificate's names or dates when they matter.
    pub message: String,
    /// The flag or change that fixes it (`--insecure` only ever named last).
    pub fix: String,
}

impl std::fmt::Display for TlsFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// What the verifier saw last: the leaf (for its names, even through a proxy's CONNECT
/// tunnel, where the HTTP layer may not expose it) and why it was refused.
#[derive(Debug, Default)]
pub struct Seen {
    /// The server's leaf certificate (DER).
    pub leaf: Option<Vec<u8>>,
    /// The last refusal.
    pub failure: Option<TlsFailure>,
}

/// Shared between the verifier (inside rustls) and the transport that reports.
pub type SeenCell = Arc<Mutex<Seen>>;

/// Reads `--cacert` (bounded): every PEM certificate in it.
pub fn read_cacert(path: &Path) -> Result<Vec<CertificateDer<'static>>, Error> {
    let source = format!("--cacert `{}`", path.display());
    let pem = crate::bounded::read_file(path, crate::bounded::CONFIG_BYTES, &source)?;
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<_, _>>()
        .map_err(|e| {
            Error::input(format!(
                "--cacert: `{}` is not a PEM certificate: {e}",
                path.display()
            ))
        })?;
    if certs.is_empty() {
        return Err(Error::input(format!(
            "--cacert: `{}` holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
            path.display()
        )));
    }
    Ok(certs)
}

/// The rustls client configuration: platform roots (Mozilla's compiled-in roots only when
/// the platform has none), `--cacert` as extra roots and as pins, `insecure` accepting all.
pub fn client_config(
    cacert: &[CertificateDer<'static>],
    insecure: bool,
    seen: SeenCell,
) -> Result<rustls::ClientConfig, Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = RootCertStore::empty();
    // Unreadable entries in the platform store are skipped, as curl and OpenSSL skip them.
    let native = rustls_native_certs::load_native_certs();
    roots.add_parsable_certificates(native.certs);
    if roots.is_empty() {
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    }
    roots.add_parsable_certificates(cacert.iter().cloned());
    let inner = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|e| Error::network(format!("cannot set up TLS verification: {e}")))?;
    let verifier = Verifier {
        inner,
        pinned: cacert.to_vec(),
        insecure,
        seen,
    };
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::network(format!("cannot set up TLS: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

#[derive(Debug)]
struct Verifier {
    inner: Arc<WebPkiServerVerifier>,
    pinned: Vec<CertificateDer<'static>>,
    insecure: bool,
    seen: SeenCell,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Ok(mut s) = self.seen.lock() {
            s.leaf = Some(end_entity.to_vec());
        }
        // Pinned: the user handed us this exact certificate (curl trusts it the same way).
        if self.insecure
            || self
                .pinned
                .iter()
                .any(|p| p.as_ref() == end_entity.as_ref())
        {
            return Ok(ServerCertVerified::assertion());
        }
        self.inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            .inspect_err(|e| {
                let failure = describe(e, end_entity, server_name, !self.pinned.is_empty());
                if let Ok(mut s) = self.seen.lock() {
                    s.failure = Some(failure);
                }
            })
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

const LAST_RESORT: &str = "(--insecure skips verification: a last resort)";

/// Turns a rustls refusal into a kind, the certificate's own names or dates, and the fix.
pub fn describe(
    e: &rustls::Error,
    leaf: &[u8],
    server_name: &ServerName<'_>,
    cacert_given: bool,
) -> TlsFailure {
    use x509_parser::prelude::*;
    let parsed = X509Certificate::from_der(leaf).ok().map(|(_, c)| c);
    let self_signed = parsed
        .as_ref()
        .is_some_and(|c| c.issuer().as_raw() == c.subject().as_raw());
    let issuer = parsed
        .as_ref()
        .map_or_else(String::new, |c| c.issuer().to_string());
    let dates = parsed.as_ref().map_or_else(String::new, |c| {
        format!(
            "valid from {} to {}",
            c.validity().not_before,
            c.validity().not_after
        )
    });
    let host = server_name.to_str();
    let pin = "--cacert server-cert.pem, the server's own certificate, pinned (save it with `openssl s_client -connect HOST:PORT </dev/null | openssl x509 > server-cert.pem`)";
    let cert_error = match e {
        rustls::Error::InvalidCertificate(c) => Some(c),
        _ => None,
    };
    let (kind, message, fix) = match cert_error {
        Some(CertificateError::UnknownIssuer) if self_signed => (
            TlsKind::SelfSigned,
            format!("the certificate of {host} is self-signed ({issuer}) and not pinned"),
            format!(
                "pass {pin}{}",
                if cacert_given {
                    "; the --cacert given is not this certificate"
                } else {
                    ""
                }
            ),
        ),
        Some(CertificateError::UnknownIssuer) => (
            TlsKind::UnknownIssuer,
            format!("the certificate of {host} is issued by a CA this machine does not trust ({issuer})"),
            "pass --cacert CA.pem (the issuing CA), or install the CA in the system store (update-ca-certificates, or SSL_CERT_FILE / SSL_CERT_DIR)".to_string(),
        ),
        Some(CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. }) => {
            let names = crate::probe::transport::certificate_names_all(leaf);
            let list = if names.is_empty() {
                "no subject alternative names".to_string()
            } else {
                names.join(", ")
            };
            (
                TlsKind::NameMismatch,
                format!("the certificate is not valid for {host}: it names {list}"),
                format!("call the server by a name the certificate carries ({list}; add it to /etc/hosts if it does not resolve)"),
            )
        }
        Some(CertificateError::Expired | CertificateError::ExpiredContext { .. }) => (
            TlsKind::Expired,
            format!("the certificate of {host} has expired ({dates})"),
            "renew the server's certificate".to_string(),
        ),
        Some(CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. }) => (
            TlsKind::NotYetValid,
            format!("the certificate of {host} is not valid yet ({dates})"),
            "check this machine's clock and the server's certificate dates".to_string(),
        ),
        Some(CertificateError::Other(o)) if o.to_string().contains("CaUsedAsEndEntity") => (
            TlsKind::SelfSigned,
            format!("the certificate of {host} ({issuer}) is a CA certificate (CA:TRUE) used as the server's own, as `openssl req -x509` makes it, and not pinned"),
            format!("pass {pin}"),
        ),
        _ => (
            TlsKind::Other,
            format!("TLS with {host} failed: {e}"),
            "check the server's TLS set-up (protocol versions, ciphers)".to_string(),
        ),
    };
    TlsFailure {
        kind,
        message,
        fix: format!("{fix} {LAST_RESORT}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real certificate (made by openssl) under each refusal rustls can give.
    #[test]
    fn each_refusal_names_its_kind_and_fix() {
        let dir = tempfile::tempdir().unwrap();
        let ok = std::process::Command::new("openssl")
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            ])
            .args(["-subj", "/CN=gallery01", "-addext"])
            .args(["subjectAltName=DNS:gallery01,DNS:*.corp.example"])
            .arg("-keyout")
            .arg(dir.path().join("k.pem"))
            .arg("-out")
            .arg(dir.path().join("c.pem"))
            .output()
            .expect("openssl is needed: apt-get install -y openssl");
        assert!(ok.status.success());
        let leaf = read_cacert(&dir.path().join("c.pem")).unwrap().remove(0);
        let name = ServerName::try_from("gallery.example.com").unwrap();
        let f = |e: CertificateError| {
            describe(&rustls::Error::InvalidCertificate(e), &leaf, &name, false)
        };
        let expired = f(CertificateError::Expired);
        assert_eq!(expired.kind, TlsKind::Expired);
        assert!(
            expired.message.contains("valid from") && expired.message.contains(" to "),
            "{}",
            expired.message
        );
        assert_eq!(f(CertificateError::NotValidYet).kind, TlsKind::NotYetValid);
        let name_fail = f(CertificateError::NotValidForName);
        assert!(
            name_fail.message.contains("gallery01, *.corp.example"),
            "{}",
            name_fail.message
        );
        let self_signed = f(CertificateError::UnknownIssuer);
        assert_eq!(self_signed.kind, TlsKind::SelfSigned);
        assert!(self_signed.fix.starts_with("pass --cacert server-cert.pem"));
        for t in [expired, name_fail, self_signed] {
            assert!(
                t.fix.ends_with(LAST_RESORT),
                "--insecure comes last: {}",
                t.fix
            );
        }
    }

    #[test]
    fn cacert_errors_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.pem");
        std::fs::write(&p, "not a cert").unwrap();
        let e = read_cacert(&p).unwrap_err().to_string();
        assert!(
            e.contains("c.pem") && e.contains("no PEM certificate"),
            "{e}"
        );
        let e = read_cacert(&dir.path().join("missing.pem"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("missing.pem"), "{e}");
    }
}
