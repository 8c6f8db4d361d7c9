//! The options the pure pipeline takes that the command line also parses.
//!
//! They live outside `cli` so that the core builds without clap (the browser build,
//! `--no-default-features`); with the `cli` feature clap derives its parsers from them, and
//! `cli` re-exports them under their old paths.

/// `--profile`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Profile {
    /// Picked from the host, the path (and an LTI launch's form fields); else generic.
    #[default]
    Auto,
    /// Alteryx Server Gallery API.
    Alteryx,
    /// NetSuite Token-Based Authentication (RESTlets, SuiteTalk REST).
    Netsuite,
    /// WooCommerce REST API (OAuth 1.0a over http).
    Woocommerce,
    /// LTI 1.1 launches.
    Lti,
    /// Magento 2 / Adobe Commerce integrations.
    Magento,
    /// X (Twitter) API, user context.
    Twitter,
    /// Flickr API.
    Flickr,
    /// Jira / Confluence Data Center application links (RSA-SHA1).
    Jira,
    /// Any OAuth 1.0a API.
    Generic,
}

/// How the request to analyse is given.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct RequestInput {
    /// The request: a URL, `-` for stdin, or `@PATH`; stdin and files may hold a URL, a curl
    /// command line, a raw HTTP/1.1 request or a HAR file.
    #[cfg_attr(feature = "cli", arg(value_name = "REQUEST"))]
    pub request: String,
    /// HTTP method (default GET, or POST with -d).
    #[cfg_attr(
        feature = "cli",
        arg(short = 'X', long = "method", value_name = "METHOD")
    )]
    pub method: Option<String>,
    /// Header `Name: value` (repeatable).
    #[cfg_attr(
        feature = "cli",
        arg(short = 'H', long = "header", value_name = "HEADER")
    )]
    pub headers: Vec<String>,
    /// Request body (application/x-www-form-urlencoded unless a Content-Type header says otherwise).
    #[cfg_attr(feature = "cli", arg(short = 'd', long = "data", value_name = "BODY"))]
    pub data: Option<String>,
    /// For a HAR input: which entry to examine (0-based index among all entries).
    #[cfg_attr(feature = "cli", arg(long, value_name = "N"))]
    pub entry: Option<usize>,
}

/// `--placement`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Placement {
    /// In the query string.
    Query,
    /// In the Authorization header.
    Header,
    /// In the form body.
    Body,
}

/// What people have in hand besides the captured signature and the secret.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct EvidenceArgs {
    /// The real host, where the paste has a placeholder (`<Gallery Server>`, `{{host}}`).
    #[cfg_attr(feature = "cli", arg(long, value_name = "H"))]
    pub host: Option<String>,
    /// A request the server accepted (URL, `-`, `@file`, curl, raw HTTP or HAR): calibrates
    /// the server's form offline and diffs it against REQUEST.
    #[cfg_attr(feature = "cli", arg(long, value_name = "GOOD"))]
    pub reference: Option<String>,
    /// For --reference: which HAR entry (0-based).
    #[cfg_attr(feature = "cli", arg(long, value_name = "N"))]
    pub reference_entry: Option<usize>,
    /// The base string the failing client printed: text, `@file` or `-` (a bare base
    /// string, or a body or log line holding one).
    #[cfg_attr(feature = "cli", arg(long, value_name = "SRC"))]
    pub client_base_string: Option<String>,
    /// The base string the server says it expected: text, `@file` or `-` (debug_sbs=,
    /// oauth_signature_base_string=, "Expected signature base string: ...", Postman
    /// Echo's base_string, oauthlib's or sigdoctor serve's log line).
    #[cfg_attr(feature = "cli", arg(long, value_name = "SRC"))]
    pub server_base_string: Option<String>,
}

/// `--client`: the tool that sent the request, for fixes in its own terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Client {
    /// Postman's OAuth 1.0 authorization.
    Postman,
    /// Python requests + requests-oauthlib (or oauthlib directly).
    #[cfg_attr(
        feature = "cli",
        value(name = "requests-oauthlib", alias = "python", alias = "oauthlib")
    )]
    RequestsOauthlib,
    /// R httr (oauth_signature, oauth_header).
    Httr,
    /// The Alteryx Designer Download tool (and the Gallery API macros).
    Designer,
    /// Node.js (oauth-1.0a with axios or node-fetch).
    Node,
    /// A browser on the Gallery's own api-docs page.
    Browser,
    /// curl.
    Curl,
}
