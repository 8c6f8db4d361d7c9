//! Command-line arguments (clap derive). Doc comments here are the `--help` text.
//!
//! Parsing only: turning arguments into requests and secrets happens in `app`.

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use crate::options::{Client, EvidenceArgs, Placement, Profile, RequestInput};

/// Explains why an OAuth 1.0a request is rejected with "invalid signature", and finds the fix.
#[derive(Debug, Parser)]
#[command(name = "sigdoctor", version, about, long_about = None, after_help = EXIT_ALL)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
    /// Output options shared by every command.
    #[command(flatten)]
    pub global: GlobalArgs,
}

/// Options every command takes.
#[derive(Debug, Args, Clone)]
pub struct GlobalArgs {
    /// Colour: auto (a terminal, NO_COLOR unset), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// Show every base string considered and the search statistics (on stderr).
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

/// Exit codes, per command: the same table as the README's (`tests/cli_first_contact.rs`
/// checks that every command's `--help` carries its row).
pub const EXIT_ALL: &str = "Exit codes:
  explain      0 valid, 1 explained or ambiguous (or a lint error), 3 unexplained,
               5 unverifiable (no secret), 2 bad input or usage
  probe/check  0 ok, 1 mismatch, 3 inconclusive, 4 unreachable, 2 usage
  sign, serve, demo, faults, completions, man   0 done, 2 bad input or usage";
const EXIT_EXPLAIN: &str = "Exit codes: 0 valid, 1 explained or ambiguous (or unverifiable with a \
lint error), \
3 unexplained, 5 unverifiable (no secret given), 2 bad input or usage.";
const EXIT_PROBE: &str =
    "Exit codes: 0 ok, 1 mismatch found, 3 inconclusive, 4 unreachable, 2 usage.";
const EXIT_DONE: &str = "Exit codes: 0 done, 2 bad input or usage.";
const CHECK_HELP: &str =
    "Exit codes: 0 ok, 1 mismatch found, 3 inconclusive, 4 unreachable, 2 usage.

--config FILE (TOML), one [[target]] table per server:
  [[target]]
  url = \"https://gallery.example.com/gallery/\"    # required
  consumer_key = \"0123456789ABCDEF\"
  consumer_secret = \"env:GALLERY_SECRET\"         # a source: env:VAR or file:PATH
  expect_base_address = \"https://gallery.example.com/gallery/\"
  profile = \"alteryx\"                            # auto, alteryx, generic
  admin = false                                   # admin keys and endpoint
  host_aliases = [\"gallery01\"]";
const SERVE_HELP: &str = "Exit codes: 0 done, 2 bad input or usage.

--credentials FILE (TOML), one [[key]] table per key pair:
  [[key]]
  consumer_key = \"0123456789ABCDEF\"
  consumer_secret = \"env:GALLERY_SECRET\"   # env:VAR, file:PATH, or the secret itself
  role = \"subscription\"                    # or \"admin\"";

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Paste a failing request, get the client mistake that reproduces its signature.
    ///
    /// Example: sigdoctor explain 'https://host:443/gallery/api/v1/workflows/subscription/?oauth_consumer_key=...' --consumer-secret env:SECRET
    #[command(after_help = EXIT_EXPLAIN)]
    Explain(ExplainArgs),
    /// Sign a request correctly, showing each step.
    ///
    /// Example: sigdoctor sign 'https://host/gallery/api/v1/workflows/subscription/' --consumer-key K --consumer-secret env:SECRET --output curl
    #[command(after_help = EXIT_DONE)]
    // Required, but checked by `sign` itself: its one-line error beats clap's usage block.
    #[command(mut_arg("consumer_key", |a| a
        .help("Consumer key to sign with (oauth_consumer_key; required)")))]
    Sign(SignArgs),
    /// Sweep a live server with candidate base URIs to find the one it signs against.
    ///
    /// Example: sigdoctor probe https://gallery.example.com/gallery/ --consumer-key K --consumer-secret env:SECRET
    #[command(after_help = EXIT_PROBE)]
    Probe(ProbeArgs),
    /// CI gate: one signed request; on failure, probe and report the Base Address.
    ///
    /// Example: sigdoctor check https://gallery.example.com/gallery/ --consumer-key K --consumer-secret env:SECRET --format junit
    #[command(after_help = CHECK_HELP)]
    Check(CheckArgs),
    /// Run a reference Gallery-like server that verifies OAuth 1.0a exactly as a Gallery does.
    ///
    /// Example: sigdoctor serve --listen 127.0.0.1:8080 --base-address http://localhost/gallery/ --consumer-key K --consumer-secret env:SECRET
    #[command(after_help = SERVE_HELP)]
    Serve(ServeArgs),
    /// Run a self-contained demonstration on loopback: broken clients, explained and probed.
    ///
    /// Example: sigdoctor demo
    #[command(after_help = EXIT_DONE)]
    Demo(DemoArgs),
    /// Serve the browser page (explain and sign in a form, computed in the browser) on loopback.
    ///
    /// Example: sigdoctor web --listen 127.0.0.1:8787
    Web(WebArgs),
    /// The fault catalogue: every client fault, deployment fault and lint, or one in full.
    ///
    /// Example: sigdoctor faults uri-default-port-kept
    #[command(after_help = EXIT_DONE)]
    Faults(FaultsArgs),
    /// Print a shell completion script.
    ///
    /// Example (bash): sigdoctor completions bash > ~/.local/share/bash-completion/completions/sigdoctor
    #[command(after_help = EXIT_DONE)]
    Completions(CompletionsArgs),
    /// Print the man page (roff).
    ///
    /// Example: sigdoctor man > ~/.local/share/man/man1/sigdoctor.1
    #[command(after_help = EXIT_DONE)]
    Man,
}

/// `faults`.
#[derive(Debug, Args)]
pub struct FaultsArgs {
    /// A fault or lint id (`uri-default-port-kept`, `base-address-host`, `timestamp-skew`);
    /// without it, the list.
    #[arg(value_name = "ID")]
    pub id: Option<String>,
}

/// `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// Sharing a report: `--redact`, `--redact-host`.
#[derive(Debug, Args, Clone, Default)]
pub struct RedactArgs {
    /// Shorten the consumer key and token, truncate nonce and signature (markdown: always).
    #[arg(long)]
    pub redact: bool,
    /// Replace the host with `<host>` everywhere (implies --redact).
    #[arg(long)]
    pub redact_host: bool,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal unless NO_COLOR is set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// `--format`. Each command offers only the values it writes ([`report_format`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// For people.
    #[default]
    Human,
    /// For scripts (schema-versioned).
    Json,
    /// A redacted report to paste in a forum post or a ticket.
    Markdown,
    /// JUnit XML (check only).
    Junit,
}

/// The `--format` values explain and probe write: junit is check's alone, so their help
/// must not offer it.
fn report_format() -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new([
        PossibleValue::new("human").help("For people"),
        PossibleValue::new("json").help("For scripts (schema-versioned)"),
        PossibleValue::new("markdown").help("A redacted report to paste in a forum post or ticket"),
    ])
    .map(|s| Format::from_str(&s, true).unwrap_or_default())
}

/// Where keys and secrets come from.
#[derive(Debug, Args, Clone, Default)]
pub struct Credentials {
    /// Consumer key (explain: default the request's oauth_consumer_key).
    #[arg(long, value_name = "KEY")]
    pub consumer_key: Option<String>,
    /// Consumer secret: env:VAR, file:PATH, stdin, prompt, or a literal (warned).
    /// Default: the secret itself from env SIGDOCTOR_CONSUMER_SECRET.
    #[arg(long, value_name = "SRC")]
    pub consumer_secret: Option<String>,
    /// Token secret, same sources as --consumer-secret.
    /// Default: the secret itself from env SIGDOCTOR_TOKEN_SECRET.
    #[arg(long, value_name = "SRC")]
    pub token_secret: Option<String>,
}

/// `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The request as captured.
    #[command(flatten)]
    pub input: RequestInput,
    /// Keys and secrets.
    #[command(flatten)]
    pub credentials: Credentials,
    /// Other host names the server may know itself by (repeatable).
    #[arg(long = "host-alias", value_name = "NAME")]
    pub host_aliases: Vec<String>,
    /// Advice in the terms of this API.
    #[arg(long, value_enum, default_value_t = Profile::Auto)]
    pub profile: Profile,
    /// The clock to judge timestamps against (Unix seconds; default: now).
    #[arg(long, value_name = "UNIX_SECONDS")]
    pub now: Option<i64>,
    /// Most faults combined in one hypothesis.
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub max_faults: usize,
    /// Output format.
    #[arg(long, value_parser = report_format(), default_value = "human")]
    pub format: Format,
    /// The tool that sent the request, for fixes in its terms (default: from the User-Agent).
    #[arg(long, value_enum, value_name = "TOOL")]
    pub client: Option<Client>,
    /// Redaction for sharing.
    #[command(flatten)]
    pub redact: RedactArgs,
    /// RSA-SHA1/RSA-SHA256: the consumer's certificate or public key (PEM file); replaces
    /// the secret, and the whole search runs with it.
    #[arg(long, value_name = "PEM")]
    pub public_key: Option<std::path::PathBuf>,
    /// Evidence besides the signature and the secret.
    #[command(flatten)]
    pub evidence: EvidenceArgs,
}

/// `--signature-method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum SignatureMethodArg {
    /// HMAC-SHA1 (default).
    #[default]
    #[value(name = "HMAC-SHA1")]
    HmacSha1,
    /// HMAC-SHA256.
    #[value(name = "HMAC-SHA256")]
    HmacSha256,
    /// HMAC-SHA512.
    #[value(name = "HMAC-SHA512")]
    HmacSha512,
    /// PLAINTEXT.
    #[value(name = "PLAINTEXT")]
    Plaintext,
    /// RSA-SHA1 (with --private-key).
    #[value(name = "RSA-SHA1")]
    RsaSha1,
    /// RSA-SHA256 (with --private-key).
    #[value(name = "RSA-SHA256")]
    RsaSha256,
}

/// `sign --output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum SignOutput {
    /// The signed URL.
    #[default]
    Url,
    /// The Authorization header line.
    Header,
    /// A curl command line.
    Curl,
    /// The signature base string.
    BaseString,
    /// Everything, as JSON.
    Json,
}

/// `sign`.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// The URL to sign (its query parameters are signed too).
    #[arg(value_name = "URL")]
    pub url: String,
    /// Keys and secrets.
    #[command(flatten)]
    pub credentials: Credentials,
    /// Access token (3-legged).
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,
    /// HTTP method (default GET, or POST with -d).
    #[arg(short = 'X', long = "method", value_name = "METHOD")]
    pub method: Option<String>,
    /// Header `Name: value` (repeatable).
    #[arg(short = 'H', long = "header", value_name = "HEADER")]
    pub headers: Vec<String>,
    /// Form body to sign.
    #[arg(short = 'd', long = "data", value_name = "BODY")]
    pub data: Option<String>,
    /// oauth_timestamp (default: now).
    #[arg(long, value_name = "UNIX_SECONDS")]
    pub timestamp: Option<String>,
    /// oauth_nonce (default: random).
    #[arg(long)]
    pub nonce: Option<String>,
    /// Signature method (default: HMAC-SHA1; the provider's own where HMAC-SHA1 is refused,
    /// NetSuite: HMAC-SHA256; RSA-SHA1 with --private-key).
    #[arg(long, value_enum)]
    pub signature_method: Option<SignatureMethodArg>,
    /// Where the OAuth parameters go (default: query for alteryx, header otherwise).
    #[arg(long, value_enum)]
    pub placement: Option<Placement>,
    /// realm in the Authorization header (never signed).
    #[arg(long)]
    pub realm: Option<String>,
    /// What to print.
    #[arg(long, value_enum, default_value_t = SignOutput::Url)]
    pub output: SignOutput,
    /// Do not send oauth_version=1.0.
    #[arg(long)]
    pub no_version: bool,
    /// Sign with PLAINTEXT over http:// anyway (the secrets travel readable; a local test only).
    #[arg(long)]
    pub allow_plaintext_over_http: bool,
    /// Advice and defaults in the terms of this API.
    #[arg(long, value_enum, default_value_t = Profile::Auto)]
    pub profile: Profile,
    /// RSA private key (PEM file, PKCS#8 or PKCS#1): signs RSA-SHA1 (the default with a
    /// key) or RSA-SHA256.
    #[arg(long, value_name = "PEM")]
    pub private_key: Option<std::path::PathBuf>,
}

/// Options shared by probe and check.
#[derive(Debug, Args, Clone)]
pub struct ProbeOptions {
    /// Keys and secrets.
    #[command(flatten)]
    pub credentials: Credentials,
    /// Other host names the server may know itself by (repeatable).
    #[arg(long = "host-alias", value_name = "NAME")]
    pub host_aliases: Vec<String>,
    /// Advice and endpoints in the terms of this API.
    #[arg(long, value_enum, default_value_t = Profile::Auto)]
    pub profile: Profile,
    /// Use admin keys and the admin endpoint (alteryx).
    #[arg(long)]
    pub admin: bool,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub concurrency: usize,
    /// Requests per second at most.
    #[arg(long, default_value_t = 5.0, value_name = "R")]
    pub rate: f64,
    /// Seconds to wait for each answer.
    #[arg(long, default_value_t = 10.0, value_name = "SECS")]
    pub timeout: f64,
    /// Most requests sent in one sweep.
    #[arg(long, default_value_t = 64, value_name = "N")]
    pub max_probes: usize,
    /// Print the plan, send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Accept any TLS certificate (a last resort: --cacert pins a self-signed one).
    #[arg(long)]
    pub insecure: bool,
    /// Trust this PEM CA too, besides the system store (SSL_CERT_FILE, SSL_CERT_DIR); a file
    /// holding exactly the server's own certificate pins it, whatever its extensions.
    #[arg(long, value_name = "PATH")]
    pub cacert: Option<std::path::PathBuf>,
    /// The clock for timestamps (Unix seconds; default: now).
    #[arg(long, value_name = "UNIX_SECONDS")]
    pub now: Option<i64>,
    /// Access token (3-legged APIs: NetSuite TBA, Magento, Jira, X user context); its secret
    /// comes from --token-secret.
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,
    /// A path segment a reverse proxy may add in front (`/api` or `api/`; repeatable).
    #[arg(long = "path-prefix", value_name = "P")]
    pub path_prefixes: Vec<String>,
    /// A whole base URI the server may sign, tried first (repeatable).
    #[arg(long = "base-uri", value_name = "URL")]
    pub base_uris: Vec<String>,
    /// HTTP method: GET (default), HEAD, or POST with -d (POST needs --allow-post).
    #[arg(short = 'X', long = "method", value_name = "METHOD")]
    pub method: Option<String>,
    /// A form body to send and sign (with -X POST and --allow-post).
    #[arg(short = 'd', long = "data", value_name = "BODY")]
    pub data: Option<String>,
    /// Allow -X POST: a probe must not change data unless you say so.
    #[arg(long)]
    pub allow_post: bool,
}

/// `probe`.
#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// The URL you call: the Gallery address (`https://host/gallery/`) or an endpoint.
    #[arg(value_name = "URL")]
    pub url: String,
    /// Shared options.
    #[command(flatten)]
    pub options: ProbeOptions,
    /// Output format.
    #[arg(long, value_parser = report_format(), default_value = "human")]
    pub format: Format,
    /// Redaction for sharing.
    #[command(flatten)]
    pub redact: RedactArgs,
}

/// `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The URL you call (omit with --config).
    #[arg(value_name = "URL", required_unless_present = "config")]
    pub url: Option<String>,
    /// Shared options.
    #[command(flatten)]
    pub options: ProbeOptions,
    /// Assert the Base Address the server signs against.
    #[arg(long, value_name = "URL")]
    pub expect_base_address: Option<String>,
    /// Several targets in a TOML file (format below).
    #[arg(long, value_name = "PATH")]
    pub config: Option<std::path::PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Redaction for sharing.
    #[command(flatten)]
    pub redact: RedactArgs,
}

/// `--uri-normalization`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum UriNormalization {
    /// Drop default ports, lower-case scheme and host.
    #[default]
    Rfc,
    /// Sign the base address exactly as configured.
    Literal,
}

/// `serve`.
#[derive(Debug, Args, Clone)]
pub struct ServeArgs {
    /// Address to listen on: IP:PORT or localhost:PORT.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub listen: String,
    /// The base URI the server signs against (the Gallery's Base Address).
    #[arg(long, default_value = "http://localhost/gallery/", value_name = "URL")]
    pub base_address: String,
    /// How the base address enters the base string.
    #[arg(long, value_enum, default_value_t = UriNormalization::Rfc)]
    pub uri_normalization: UriNormalization,
    /// Consumer key accepted (with --consumer-secret).
    #[arg(long, value_name = "KEY")]
    pub consumer_key: Option<String>,
    /// Consumer secret: env:VAR, file:PATH, stdin, prompt, or a literal (warned).
    /// Default: the secret itself from env SIGDOCTOR_CONSUMER_SECRET.
    #[arg(long, value_name = "SRC")]
    pub consumer_secret: Option<String>,
    /// A TOML file of several key pairs (subscription and admin; format below).
    #[arg(long, value_name = "FILE")]
    pub credentials: Option<std::path::PathBuf>,
    /// Seconds a timestamp may differ from the server clock.
    #[arg(long, default_value_t = 600, value_name = "SECS")]
    pub timestamp_window: u64,
    /// Log the base string expected for each failure (never the secret).
    #[arg(long)]
    pub log_base_strings: bool,
    /// The --consumer-key pair is an admin key (api/admin/v1) instead of a subscription key.
    #[arg(long)]
    pub admin: bool,
    /// Most live nonces remembered; past it new requests get 503 until old ones expire.
    #[arg(long, default_value_t = 1_000_000, value_name = "N")]
    pub nonce_cap: usize,
    /// Largest request head (request line and headers) in bytes; 431 beyond.
    #[arg(long, default_value_t = 16 * 1024, value_name = "BYTES")]
    pub max_header_bytes: usize,
    /// Largest request body in bytes; 413 beyond.
    #[arg(long, default_value_t = 1024 * 1024, value_name = "BYTES")]
    pub max_body_bytes: usize,
    /// Seconds a connection may stay idle (or a request head or body take to arrive).
    #[arg(long, default_value_t = 30.0, value_name = "SECS")]
    pub idle_timeout: f64,
    /// Emulate this provider's verifier, routes and error bodies (default: a Gallery).
    #[arg(long, value_enum, default_value_t = Profile::Auto)]
    pub profile: Profile,
    /// The --consumer-key is an RSA consumer: verify RSA-SHA1/RSA-SHA256 with this
    /// certificate or public key (PEM file) instead of a secret.
    #[arg(long, value_name = "PEM")]
    pub public_key: Option<std::path::PathBuf>,
    /// Most parameters (query and form body) a request may carry; 413 beyond.
    #[arg(long, default_value_t = crate::serve::auth::MAX_PARAMS, value_name = "N")]
    pub max_params: usize,
}

/// `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {}

/// `web`.
#[derive(Debug, Args)]
pub struct WebArgs {
    /// Address to listen on (loopback only).
    #[arg(long, default_value = "127.0.0.1:8787", value_name = "ADDR")]
    pub listen: String,
}
