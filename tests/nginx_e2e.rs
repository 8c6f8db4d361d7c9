//! End to end with real nginx terminating TLS (self-signed CA, SAN gallery.example.test and
//! 127.0.0.1) in front of Gallery backends whose Base Address is http: the load-balancer case.
//!
//! Needs `nginx` and `openssl` (`apt-get install -y nginx openssl`); set
//! SIGDOCTOR_SKIP_NGINX=1 to skip where they cannot be installed.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{start_gallery, Normalization, KEY, SECRET, SECRET_VAR};

struct Nginx(Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn nginx_binary() -> Option<PathBuf> {
    ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// A CA and a leaf certificate for gallery.example.test and 127.0.0.1, signed by it.
fn make_certificates(dir: &Path) {
    support::certs::private_ca_and_leaf(
        dir,
        "sigdoctor test CA",
        "gallery.example.test",
        "subjectAltName=DNS:gallery.example.test,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
        "leaf.key",
        "leaf.pem",
    );
}

fn start_nginx(dir: &Path, tls: [u16; 2], backends: [u16; 2]) -> Nginx {
    let bin = nginx_binary().expect("nginx");
    let conf = include_str!("../tools/nginx/gallery-tls.conf.template")
        .replace("{dir}", &dir.to_string_lossy())
        .replace("{tls_port_1}", &tls[0].to_string())
        .replace("{tls_port_2}", &tls[1].to_string())
        .replace("{backend_port_1}", &backends[0].to_string())
        .replace("{backend_port_2}", &backends[1].to_string());
    std::fs::write(dir.join("nginx.conf"), conf).unwrap();
    let d = dir.to_string_lossy();
    let mut child = Command::new(bin)
        .args([
            "-p",
            &d,
            "-c",
            &format!("{d}/nginx.conf"),
            "-e",
            &format!("{d}/error.log"),
        ])
        .args([
            "-g",
            &format!("daemon off; master_process off; pid {d}/nginx.pid;"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start nginx");
    let start = Instant::now();
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            let log = std::fs::read_to_string(dir.join("error.log")).unwrap_or_default();
            panic!("nginx exited ({status}): {log}");
        }
        if tls
            .iter()
            .all(|p| std::net::TcpStream::connect(("127.0.0.1", *p)).is_ok())
        {
            return Nginx(child);
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "nginx did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn probe(url: &str, extra: &[&str]) -> (i32, Value, String) {
    let out = assert_cmd::Command::cargo_bin("sigdoctor")
        .unwrap()
        .args(["probe", url, "--consumer-key", KEY, "--rate", "200"])
        .args(["--consumer-secret", &format!("env:{SECRET_VAR}")])
        .args(extra)
        .env(SECRET_VAR, SECRET)
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("ALL_PROXY")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let v = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), v, stdout)
}

#[test]
fn nginx_tls_termination_in_front_of_an_http_base_address() {
    if nginx_binary().is_none() {
        if std::env::var("SIGDOCTOR_SKIP_NGINX").as_deref() == Ok("1") {
            eprintln!("nginx not installed; skipped (SIGDOCTOR_SKIP_NGINX=1)");
            return;
        }
        panic!("nginx is not installed: run `apt-get install -y nginx openssl` (or set SIGDOCTOR_SKIP_NGINX=1 to skip)");
    }
    let dir = tempfile::tempdir().unwrap();
    make_certificates(dir.path());
    let (b1, _g1) = start_gallery("http://127.0.0.1:8080/gallery/", Normalization::Rfc);
    let (b2, _g2) = start_gallery("http://gallery.example.test/gallery/", Normalization::Rfc);
    // Hold both listeners while picking, so the two ports differ.
    let hold: Vec<std::net::TcpListener> = (0..2)
        .map(|_| std::net::TcpListener::bind("127.0.0.1:0").unwrap())
        .collect();
    let tls = [0, 1].map(|i| hold[i].local_addr().unwrap().port());
    drop(hold);
    let _nginx = start_nginx(dir.path(), tls, [b1.port(), b2.port()]);
    let ca = dir.path().join("ca.pem").to_string_lossy().into_owned();
    let url1 = format!("https://127.0.0.1:{}/gallery/", tls[0]);

    // Untrusted certificate: unreachable, with the advice to pass --cacert.
    let (code, v, out) = probe(&url1, &["--format", "json"]);
    assert_eq!(code, 4, "{out}");
    assert!(
        v["findings"][0]["fix"]
            .as_str()
            .unwrap()
            .contains("--cacert"),
        "{out}"
    );

    // Backend 1: the server signs http and its backend port.
    let (code, v, out) = probe(&url1, &["--format", "json", "--cacert", &ca]);
    assert_eq!(code, 1, "{out}");
    let faults: Vec<&str> = v["authenticated"]["faults"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(
        faults,
        ["base-address-scheme", "base-address-port"],
        "{out}"
    );
    assert_eq!(v["base_address"], "http://127.0.0.1:8080/gallery/");
    let (_, _, human) = probe(&url1, &["--cacert", &ca]);
    let setting = format!(
        "System Settings > Gallery > Base Address: http://127.0.0.1:8080/gallery/ -> https://127.0.0.1:{}/gallery/",
        tls[0]
    );
    assert!(human.contains(&setting), "{human}");

    // Backend 2: the name comes from the certificate's subject alternative names.
    let url2 = format!("https://127.0.0.1:{}/gallery/", tls[1]);
    let (code, v, out) = probe(&url2, &["--format", "json", "--cacert", &ca]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        v["base_address"], "http://gallery.example.test/gallery/",
        "{out}"
    );
    eprintln!(
        "requests_sent: backend 1 (scheme+port) and backend 2 (scheme+host+port): {}",
        v["requests_sent"]
    );
}
