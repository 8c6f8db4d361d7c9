//! Test certificates made with the openssl command line.

use std::path::Path;
use std::process::Command;

/// Runs `openssl args` in `dir`; panics with openssl's stderr when it fails.
pub fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl is needed for this test: apt-get install -y openssl");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A private CA in `dir` (`ca.key`, `ca.pem`, subject `/CN={ca_cn}`) and a leaf it issues
/// (`leaf_key`, `leaf_cert`, subject `/CN={leaf_cn}`) with the extensions `ext` (an openssl
/// extfile, e.g. `subjectAltName=...`), both valid two days. The probe TLS, nginx and
/// verifier-lab tests each need a CA the system does not trust and a leaf it signed; they
/// differ only in names and extensions, so the openssl steps live here once.
pub fn private_ca_and_leaf(
    dir: &Path,
    ca_cn: &str,
    leaf_cn: &str,
    ext: &str,
    leaf_key: &str,
    leaf_cert: &str,
) {
    let ca_subject = format!("/CN={ca_cn}");
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            &ca_subject,
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
        ],
    );
    let leaf_subject = format!("/CN={leaf_cn}");
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            &leaf_subject,
            "-keyout",
            leaf_key,
            "-out",
            "leaf.csr",
        ],
    );
    std::fs::write(dir.join("leaf.ext"), ext).expect("write leaf.ext");
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "leaf.ext",
            "-out",
            leaf_cert,
        ],
    );
}

/// An `openssl s_server -www` on 127.0.0.1 (its port is `.1`); dropping it stops it.
pub struct SServer(std::process::Child, pub u16);

impl Drop for SServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `openssl s_server -quiet -www` in `dir` with `cert` and `key` (names in `dir`) on
/// a free loopback port and waits (up to 5 s) until it accepts connections. The TLS probe
/// tests and the untrusted-certificate network test start it the same way.
pub fn s_server(dir: &Path, cert: &str, key: &str) -> SServer {
    let port = super::free_port();
    let child = Command::new("openssl")
        .args(["s_server", "-quiet", "-www", "-accept"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["-cert", cert, "-key", key])
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    SServer(child, port)
}
