//! The lab: five OAuth 1.0a verifiers written by other people (tools/verifiers/), and one
//! nginx in front of them with a server block per deployment, all on loopback. Everything
//! it starts is a child process killed when the lab is dropped.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The consumer key: 22 characters, inside oauthlib's default 20-30 and its character set.
pub const KEY: &str = "sigdoctorverifierkey01";
/// The consumer secret. Unreserved characters only: PECL's OAuthProvider keys the HMAC with
/// the secret as is, not percent-encoded (RFC 5849 3.4.2), so a reserved character would
/// make it disagree with every client, sigdoctor and oauthlib alike.
pub const SECRET: &str = "v3rifier-s3cret_unreserved.chars~01";
/// The access token of the 3-legged endpoints (oauthlib: 20-30 characters).
pub const TOKEN: &str = "sigdoctorverifiertoken1";
/// Its secret.
pub const TOKEN_SECRET: &str = "t0ken-s3cret_unreserved.chars~02";
/// The machine name the server knows itself by, found only in its certificate.
pub const MACHINE: &str = "appsrv01.corp.internal";
/// The read-only endpoint every deployment serves (any path answers; the verifier decides).
pub const ENDPOINT: &str = "/rest/items?limit=1";

/// The verifiers: a name, and how to start one on a port.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verifier {
    /// PHP PECL oauth's `OAuthProvider`, under `php -S`.
    Pecl,
    /// Python oauthlib's stock endpoints under Werkzeug with ProxyFix.
    Oauthlib,
    /// The Ruby oauth gem's `OAuth::Signature.verify` in a Rack app on WEBrick.
    RubyOauth,
    /// Perl's Net::OAuth in a PSGI app behind Plack's ReverseProxy middleware.
    NetOauth,
    /// node's passport-http-oauth strategies in an Express app.
    Passport,
}

pub const VERIFIERS: [Verifier; 5] = [
    Verifier::Pecl,
    Verifier::Oauthlib,
    Verifier::RubyOauth,
    Verifier::NetOauth,
    Verifier::Passport,
];

impl Verifier {
    pub fn name(self) -> &'static str {
        match self {
            Self::Pecl => "pecl-oauth",
            Self::Oauthlib => "oauthlib",
            Self::RubyOauth => "ruby-oauth",
            Self::NetOauth => "net-oauth",
            Self::Passport => "passport-http-oauth",
        }
    }

    fn command(self, port: u16) -> Command {
        let dir = tools();
        let mut c = match self {
            Self::Pecl => {
                let mut c = Command::new("php");
                c.arg("-S")
                    .arg(format!("127.0.0.1:{port}"))
                    .arg(dir.join("pecl_provider.php"))
                    .env("PHP_CLI_SERVER_WORKERS", "4");
                c
            }
            Self::Oauthlib => {
                let mut c = Command::new("python3");
                c.arg(dir.join("oauthlib_app.py")).arg(port.to_string());
                c
            }
            Self::RubyOauth => {
                let mut c = Command::new("ruby");
                c.arg(dir.join("ruby_oauth.rb")).arg(port.to_string());
                c
            }
            Self::NetOauth => {
                let mut c = Command::new("perl");
                c.arg(dir.join("net_oauth.pl")).arg(port.to_string());
                c
            }
            Self::Passport => {
                let mut c = Command::new("node");
                c.arg(dir.join("node/passport_app.js"))
                    .arg(port.to_string());
                c
            }
        };
        c.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        c
    }
}

/// The deployments of issue 9, each a server block of the lab's nginx.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Deployment {
    /// http, Host and X-Forwarded-Proto forwarded: nothing wrong.
    Healthy,
    /// TLS terminated at nginx, X-Forwarded-Proto not sent: the app signs http.
    TlsTerminated,
    /// Two tiers; the inner nginx on :8080 sends `Host $host:$server_port`.
    BackendPort,
    /// The app is told its machine name (`Host $server_name:$server_port`); only the
    /// certificate's subject alternative names say it.
    CertificateName,
    /// `location /api/ { proxy_pass http://app/; }`: the client's first segment is stripped.
    PrefixStripped,
    /// `proxy_pass http://app/mount/;`: the app sees a segment the client never sent.
    PrefixAdded,
    /// Healthy, but a 3-legged endpoint (token and token secret required).
    ThreeLegged,
    /// TLS with the one-line self-signed certificate (`CA:TRUE`, `DNS:localhost`).
    OneLinerCert,
    /// TLS with a leaf of a private CA that only SSL_CERT_FILE names.
    PrivateCa,
}

/// One verifier's running backends: 2-legged and 3-legged.
struct Backends {
    two: u16,
    three: u16,
}

/// Everything started, and where each deployment listens.
pub struct Lab {
    pub dir: tempfile::TempDir,
    children: Vec<Child>,
    ports: BTreeMap<(Verifier, Deployment), u16>,
}

impl Drop for Lab {
    fn drop(&mut self) {
        for c in &mut self.children {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

pub fn tools() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/verifiers")
}

pub fn nginx_binary() -> Option<PathBuf> {
    ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// Ports nothing listens on, all different (held together while picking).
fn free_ports(n: usize) -> Vec<u16> {
    let held: Vec<TcpListener> = (0..n)
        .map(|_| TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0"))
        .collect();
    held.iter()
        .map(|l| l.local_addr().expect("local addr").port())
        .collect()
}

/// A loopback address (127.0.0.2 and up) where port 8080 is free: the inner tier of the
/// backend-port deployment must listen on 8080 itself, one of the ports a probe tries.
fn loopback_with_8080(skip: &[Ipv4Addr]) -> Ipv4Addr {
    (2..=250u8)
        .map(|i| Ipv4Addr::new(127, 0, 0, i))
        .find(|ip| !skip.contains(ip) && TcpListener::bind((*ip, 8080)).is_ok())
        .expect("no loopback address with port 8080 free")
}

fn run(cmd: &mut Command) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e} (apt-get install -y openssl)"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The private CA, its leaf (SAN: the machine name and 127.0.0.1), and the one-liner.
fn make_certificates(dir: &Path) {
    let p = |f: &str| dir.join(f).to_string_lossy().into_owned();
    crate::support::certs::private_ca_and_leaf(
        dir,
        "sigdoctor verifier lab CA",
        MACHINE,
        &format!("subjectAltName=DNS:{MACHINE},IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"),
        "leaf.key",
        "leaf.pem",
    );
    // Exactly the line people paste (`CA:TRUE` by default), for the name they call.
    run(Command::new("openssl").args([
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost",
        "-keyout",
        &p("oneliner.key"),
        "-out",
        &p("oneliner.pem"),
    ]));
}

/// The nginx server blocks of one verifier.
fn server_blocks(
    v: Verifier,
    b: &Backends,
    ports: &BTreeMap<(Verifier, Deployment), u16>,
    inner: Ipv4Addr,
    dir: &str,
) -> String {
    let port = |d| ports[&(v, d)];
    let tls = |cert: &str| {
        format!("ssl_certificate {dir}/{cert}.pem; ssl_certificate_key {dir}/{cert}.key;")
    };
    let fwd = "proxy_set_header Host $http_host; proxy_set_header X-Forwarded-Proto $scheme;";
    let (two, three) = (b.two, b.three);
    let leaf = tls("leaf");
    let one = tls("oneliner");
    let name = v.name();
    format!(
        "
    # --- {name} ---
    server {{ listen 127.0.0.1:{healthy};
        location / {{ proxy_pass http://127.0.0.1:{two}; {fwd} }} }}
    server {{ listen 127.0.0.1:{tlsterm} ssl; {leaf}
        location / {{ proxy_pass http://127.0.0.1:{two}; proxy_set_header Host $http_host; }} }}
    server {{ listen 127.0.0.1:{backend};
        location / {{ proxy_pass http://{inner}:8080; proxy_set_header Host $host; }} }}
    server {{ listen {inner}:8080;
        location / {{ proxy_pass http://127.0.0.1:{two}; proxy_set_header Host $host:$server_port; }} }}
    server {{ listen 127.0.0.1:{certname} ssl; server_name {MACHINE}; {leaf}
        location / {{ proxy_pass http://127.0.0.1:{two};
            proxy_set_header Host $server_name:$server_port; proxy_set_header X-Forwarded-Proto $scheme; }} }}
    server {{ listen 127.0.0.1:{stripped};
        location /api/ {{ proxy_pass http://127.0.0.1:{two}/; {fwd} }} }}
    server {{ listen 127.0.0.1:{added};
        location / {{ proxy_pass http://127.0.0.1:{two}/mount/; {fwd} }} }}
    server {{ listen 127.0.0.1:{threeleg};
        location / {{ proxy_pass http://127.0.0.1:{three}; {fwd} }} }}
    server {{ listen 127.0.0.1:{oneliner} ssl; {one}
        location / {{ proxy_pass http://127.0.0.1:{two}; {fwd} }} }}
    server {{ listen 127.0.0.1:{privca} ssl; {leaf}
        location / {{ proxy_pass http://127.0.0.1:{two}; {fwd} }} }}
",
        healthy = port(Deployment::Healthy),
        tlsterm = port(Deployment::TlsTerminated),
        backend = port(Deployment::BackendPort),
        certname = port(Deployment::CertificateName),
        stripped = port(Deployment::PrefixStripped),
        added = port(Deployment::PrefixAdded),
        threeleg = port(Deployment::ThreeLegged),
        oneliner = port(Deployment::OneLinerCert),
        privca = port(Deployment::PrivateCa),
    )
}

pub const DEPLOYMENTS: [Deployment; 9] = [
    Deployment::Healthy,
    Deployment::TlsTerminated,
    Deployment::BackendPort,
    Deployment::CertificateName,
    Deployment::PrefixStripped,
    Deployment::PrefixAdded,
    Deployment::ThreeLegged,
    Deployment::OneLinerCert,
    Deployment::PrivateCa,
];

/// Waits until every address accepts connections; Err says which child died or what never
/// listened (the caller adds nginx's log).
fn wait_listening(addrs: &[(Ipv4Addr, u16)], children: &mut [Child]) -> Result<(), String> {
    let start = Instant::now();
    loop {
        for c in children.iter_mut() {
            if let Ok(Some(status)) = c.try_wait() {
                return Err(format!("process {} exited early ({status})", c.id()));
            }
        }
        let down: Vec<&(Ipv4Addr, u16)> = addrs
            .iter()
            .filter(|a| TcpStream::connect(a).is_err())
            .collect();
        if down.is_empty() {
            return Ok(());
        }
        if start.elapsed() > Duration::from_secs(30) {
            return Err(format!("nothing listens on {down:?} after 30 s"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

impl Lab {
    /// Starts the verifiers (2- and 3-legged each) and one nginx serving every deployment.
    pub fn start() -> Lab {
        let dir = tempfile::tempdir().expect("temp dir");
        make_certificates(dir.path());
        let d = dir.path().to_string_lossy().into_owned();
        let mut lab = Lab {
            children: Vec::new(),
            ports: BTreeMap::new(),
            dir,
        };
        let n = VERIFIERS.len() * (2 + DEPLOYMENTS.len());
        let mut free = free_ports(n).into_iter();
        let mut next = || free.next().expect("enough ports");
        let mut backends = Vec::new();
        for v in VERIFIERS {
            let b = Backends {
                two: next(),
                three: next(),
            };
            for (port, token) in [(b.two, None), (b.three, Some((TOKEN, TOKEN_SECRET)))] {
                let state = lab.dir.path().join(format!("state-{}-{port}", v.name()));
                std::fs::create_dir_all(&state).expect("state dir");
                let mut cmd = v.command(port);
                cmd.env("VERIFIER_CONSUMER_KEY", KEY)
                    .env("VERIFIER_CONSUMER_SECRET", SECRET)
                    .env("VERIFIER_STATE_DIR", &state)
                    .env_remove("VERIFIER_TOKEN")
                    .env_remove("VERIFIER_TOKEN_SECRET");
                if let Some((t, s)) = token {
                    cmd.env("VERIFIER_TOKEN", t).env("VERIFIER_TOKEN_SECRET", s);
                }
                let child = cmd
                    .spawn()
                    .unwrap_or_else(|e| panic!("start {} verifier: {e}", v.name()));
                lab.children.push(child);
            }
            for dep in DEPLOYMENTS {
                lab.ports.insert((v, dep), next());
            }
            backends.push((v, b));
        }
        let mut inner = Vec::new();
        let mut blocks = String::new();
        for (v, b) in &backends {
            let ip = loopback_with_8080(&inner);
            inner.push(ip);
            blocks.push_str(&server_blocks(*v, b, &lab.ports, ip, &d));
        }
        let conf = format!(
            "worker_processes 1;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
{blocks}}}
"
        );
        std::fs::write(lab.dir.path().join("nginx.conf"), conf).expect("write nginx.conf");
        let nginx = Command::new(nginx_binary().expect("nginx"))
            .args(["-p", &d, "-c", &format!("{d}/nginx.conf"), "-e"])
            .arg(format!("{d}/error.log"))
            .args([
                "-g",
                &format!("daemon off; master_process off; pid {d}/nginx.pid;"),
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start nginx");
        lab.children.push(nginx);
        let mut addrs: Vec<(Ipv4Addr, u16)> = backends
            .iter()
            .flat_map(|(_, b)| [b.two, b.three])
            .chain(lab.ports.values().copied())
            .map(|p| (Ipv4Addr::LOCALHOST, p))
            .collect();
        addrs.extend(inner.iter().map(|ip| (*ip, 8080)));
        if let Err(e) = wait_listening(&addrs, &mut lab.children) {
            let log = std::fs::read_to_string(lab.dir.path().join("error.log")).unwrap_or_default();
            panic!("the lab did not start: {e}; nginx error.log:\n{log}");
        }
        lab
    }

    /// Where `deployment` of verifier `v` listens.
    pub fn port(&self, v: Verifier, deployment: Deployment) -> u16 {
        self.ports[&(v, deployment)]
    }

    pub fn path(&self, file: &str) -> String {
        self.dir.path().join(file).to_string_lossy().into_owned()
    }
}
