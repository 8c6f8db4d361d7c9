//! Provider profiles: what sigdoctor knows about one OAuth 1.0a API, as data in one table.
//!
//! A profile says how to recognise the provider from a request (`--profile auto`), which
//! signature methods and timestamp window its verifier accepts, where its verifier departs
//! from plain RFC 5849 (as switches of the one procedure in [`crate::rfc5849`], never a
//! second signer), a cheap read-only endpoint for `probe` and `check`, and the provider's
//! own rules as lints ([`lints`]) with fixes in its own terms. `serve --profile P` emulates
//! the verifier and its error bodies from the same entry ([`crate::serve::provider`]).
//!
//! Evidence for each rule is in the comment of its table entry. WooCommerce's verifier was
//! read in its published source (class-wc-rest-authentication.php); the other entries follow
//! the field reports cited there (issue threads of client libraries), not the providers' own
//! code, which is closed.

pub mod lints;

use crate::cli::Profile;
use crate::request::{Origin, RawUrl, Request};
use crate::rfc5849::{Duplicates, ParamOrder, SignatureMethod, Variant};

/// One provider.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    /// The `--profile` value.
    pub profile: Profile,
    /// The id in JSON and `--profile` (`netsuite`).
    pub id: &'static str,
    /// The provider as people name it.
    pub name: &'static str,
    /// Host suffixes (`.restlets.api.netsuite.com`) or whole hosts that name the provider.
    pub hosts: &'static [&'static str],
    /// Path fragments (matched case-insensitively) that name the provider on any host.
    pub paths: &'static [&'static str],
    /// Signature methods its verifier accepts.
    pub methods: &'static [SignatureMethod],
    /// Seconds a timestamp may be off (its verifier's window).
    pub window: u64,
    /// Whether its verifier turns a space in `oauth_signature` back into `+` (an unencoded
    /// `+` in the query then still verifies).
    pub repairs_space: bool,
    /// Whether its verifier keeps only one value of a repeated parameter name (PHP's
    /// `$_GET`), sorting by the decoded name.
    pub php_params: bool,
    /// Whether its verifier checks the signature before the timestamp and nonce.
    pub signature_first: bool,
    /// A cheap read-only endpoint, relative to the site root (probe and check).
    pub probe_path: Option<&'static str>,
    /// Where the real reason for a refusal is, in the provider's terms.
    pub where_to_look: &'static str,
}

const HMAC_ALL: &[SignatureMethod] = &[
    SignatureMethod::HmacSha1,
    SignatureMethod::HmacSha256,
    SignatureMethod::HmacSha512,
];

/// The table. Order matters only for detection: host rules of every entry are tried before
/// any path rule, so `api.twitter.com/2/...` is X even though `/2/` means nothing alone.
pub const SPECS: &[Spec] = &[
    // NetSuite Token-Based Authentication. HMAC-SHA1 was dropped in 2021.1 (nscabinet #31);
    // realm is the account id upper-cased with `_` (netsuitephp #121) and never signed
    // (scribejava #1003). Failures all say "Invalid login attempt": the reason is in
    // Setup > Users/Roles > User Management > View Login Audit Trail.
    Spec {
        profile: Profile::Netsuite,
        id: "netsuite",
        name: "NetSuite TBA",
        hosts: &[
            ".suitetalk.api.netsuite.com",
            ".restlets.api.netsuite.com",
            ".app.netsuite.com",
        ],
        paths: &["/app/site/hosting/restlet.nl", "/services/rest/record/"],
        methods: &[SignatureMethod::HmacSha256],
        window: 300,
        repairs_space: false,
        php_params: false,
        signature_first: false,
        probe_path: Some("services/rest/record/v1/metadata-catalog"),
        where_to_look: "NetSuite answers every refusal with \"Invalid login attempt\"; the real reason is in Setup > Users/Roles > User Management > View Login Audit Trail (column Detail).",
    },
    // WooCommerce REST API over plain http (class-wc-rest-authentication.php): signs
    // get_home_url() + the request path, turns ' ' back into '+' in the signature, merges
    // $_GET and $_POST (one value per name) sorted by key, HMAC-SHA1 or HMAC-SHA256,
    // 15-minute window, nonces remembered per key.
    Spec {
        profile: Profile::Woocommerce,
        id: "woocommerce",
        name: "WooCommerce REST API",
        hosts: &[],
        paths: &["/wp-json/wc/", "/wc-api/", "/wp-json/wc-"],
        methods: &[SignatureMethod::HmacSha1, SignatureMethod::HmacSha256],
        window: 900,
        repairs_space: true,
        php_params: true,
        signature_first: true,
        probe_path: Some("wp-json/wc/v3/system_status"),
        where_to_look: "WooCommerce signs its home URL (Settings > General > Site Address (URL)), not the URL you called; over https it expects Basic auth or queryStringAuth instead.",
    },
    // LTI 1.1 basic launch: a form POST signed by the consumer (LMS); the tool verifies with
    // the launch URL as it sees it, which behind a TLS-terminating proxy is http://.
    Spec {
        profile: Profile::Lti,
        id: "lti",
        name: "LTI 1.1 launch",
        hosts: &[],
        paths: &["/lti/launch", "/lti_launch", "/lti/"],
        methods: &[SignatureMethod::HmacSha1, SignatureMethod::HmacSha256],
        window: 300,
        repairs_space: false,
        php_params: false,
        signature_first: false,
        probe_path: None,
        where_to_look: "The tool verifies with the launch URL it sees itself: behind a TLS-terminating proxy set the tool's proxy settings (X-Forwarded-Proto / trusted proxies) so it rebuilds https://.",
    },
    // Magento 2 / Adobe Commerce integrations (magento2 #37913, #33940): HMAC-SHA256 since
    // 2.4.x; searchCriteria[...] names must be signed percent-encoded.
    Spec {
        profile: Profile::Magento,
        id: "magento",
        name: "Magento 2 / Adobe Commerce",
        hosts: &[],
        paths: &["/rest/v1/", "/rest/default/v1/", "/rest/all/v1/"],
        methods: &[SignatureMethod::HmacSha256, SignatureMethod::HmacSha1],
        window: 600,
        repairs_space: false,
        php_params: false,
        signature_first: false,
        probe_path: Some("rest/V1/store/storeConfigs"),
        where_to_look: "Magento logs the refusal in var/log/system.log and var/log/exception.log; check the integration is Active (System > Extensions > Integrations) and its tokens were re-generated after a change.",
    },
    // X (Twitter) user context: plain RFC 5849; v2 endpoints marked app-only refuse OAuth
    // 1.0a whatever the signature.
    Spec {
        profile: Profile::Twitter,
        id: "twitter",
        name: "X (Twitter) API",
        hosts: &["api.twitter.com", "api.x.com", "upload.twitter.com"],
        paths: &[],
        methods: &[SignatureMethod::HmacSha1],
        window: 300,
        repairs_space: false,
        php_params: false,
        signature_first: false,
        probe_path: Some("1.1/account/verify_credentials.json"),
        where_to_look: "X answers error 32 \"Could not authenticate you\" for every signature problem; check the app's keys were regenerated together with the access token.",
    },
    // Flickr: plain RFC 5849 over https only; its 401 carries the base string it computed
    // as `debug_sbs=` (DPZFlickr #11).
    Spec {
        profile: Profile::Flickr,
        id: "flickr",
        name: "Flickr API",
        hosts: &["api.flickr.com", "www.flickr.com", "flickr.com", "up.flickr.com"],
        paths: &["/services/rest", "/services/oauth/"],
        methods: &[SignatureMethod::HmacSha1],
        window: 300,
        repairs_space: false,
        php_params: false,
        signature_first: false,
        probe_path: Some("services/rest?method=flickr.test.login&format=json&nojsoncallback=1"),
        where_to_look: "Flickr's 401 body carries the base string it signed (`debug_sbs=...`): pass it to explain with --server-base-string.",
    },
    // Jira / Confluence / Bitbucket Data Center application links (net.oauth): RSA-SHA1
    // with the consumer's public key; the 401 names oauth_problem and the base string.
    Spec {
        profile: Profile::Jira,
        id: "jira",
        name: "Jira / Confluence Data Center (application link)",
        hosts: &[],
        paths: &["/plugins/servlet/oauth/", "/rest/api/"],
        methods: &[SignatureMethod::RsaSha1],
        window: 300,
        repairs_space: false,
        php_params: false,
        signature_first: false,
        probe_path: Some("rest/api/2/myself"),
        where_to_look: "Jira (net.oauth) puts oauth_problem and its oauth_signature_base_string in the 401's WWW-Authenticate header; the application link's Incoming Authentication holds the public key it verifies with.",
    },
];

/// The generic entry: plain RFC 5849, every HMAC.
pub const GENERIC: Spec = Spec {
    profile: Profile::Generic,
    id: "generic",
    name: "OAuth 1.0a API",
    hosts: &[],
    paths: &[],
    methods: HMAC_ALL,
    window: 600,
    repairs_space: false,
    php_params: false,
    signature_first: false,
    probe_path: None,
    where_to_look: "",
};

/// The Alteryx entry (its rules live in the Gallery-specific code; this is its data).
pub const ALTERYX: Spec = Spec {
    profile: Profile::Alteryx,
    id: "alteryx",
    name: "Alteryx Server Gallery",
    hosts: &[],
    paths: &[],
    methods: &[SignatureMethod::HmacSha1],
    window: 600,
    repairs_space: false,
    php_params: false,
    signature_first: false,
    probe_path: None,
    where_to_look: "",
};

/// The entry of a resolved profile (`auto` is never resolved here: generic).
pub fn spec(profile: Profile) -> &'static Spec {
    match profile {
        Profile::Alteryx => &ALTERYX,
        Profile::Auto | Profile::Generic => &GENERIC,
        p => SPECS.iter().find(|s| s.profile == p).unwrap_or(&GENERIC),
    }
}

/// The profile `auto` picks from a URL alone: provider hosts, then the Alteryx rule of
/// SPEC section 2, then provider paths.
pub fn detect_url(url: &RawUrl, alteryx: bool) -> Profile {
    let host = url.host.to_ascii_lowercase();
    for s in SPECS {
        if s.hosts.iter().any(|h| host_matches(&host, h)) {
            return s.profile;
        }
    }
    if alteryx {
        return Profile::Alteryx;
    }
    let path = url.path.to_ascii_lowercase();
    for s in SPECS {
        if s.paths.iter().any(|p| path.contains(p)) {
            return s.profile;
        }
    }
    Profile::Generic
}

/// `.suffix` matches any subdomain; a bare name matches itself and `www.` of it.
fn host_matches(host: &str, pattern: &str) -> bool {
    if pattern.starts_with('.') {
        host.ends_with(pattern)
    } else {
        host == pattern || host.strip_prefix("www.") == Some(pattern)
    }
}

/// The profile `auto` picks from a whole request: an LTI launch is known by its
/// `lti_message_type` form field wherever it is posted; otherwise by the URL.
pub fn detect(profile: Profile, req: &Request) -> Profile {
    if profile != Profile::Auto {
        return profile;
    }
    if req
        .params
        .iter()
        .any(|p| p.origin == Origin::Body && p.name == b"lti_message_type")
    {
        return Profile::Lti;
    }
    crate::input::resolve_profile(Profile::Auto, &req.url)
}

impl Spec {
    /// The provider's verifier as switches of the one procedure: WooCommerce's PHP
    /// parameter handling (one value per name, sorted by decoded name); RFC elsewhere.
    pub fn server_variant(&self) -> Variant {
        let mut v = Variant::default();
        if self.php_params {
            v.params.duplicates = Duplicates::First;
            v.params.order = ParamOrder::SortedRaw;
        }
        v
    }

    /// The `probe`/`check` URL for a site address (`https://shop.example.com/`): the
    /// read-only endpoint appended, unless the URL already names an endpoint of the provider.
    pub fn probe_url(&self, given: &RawUrl) -> Option<String> {
        let endpoint = self.probe_path?;
        let path = given.path.to_ascii_lowercase();
        let names_endpoint = self.paths.iter().any(|p| path.contains(p))
            || (!self.hosts.is_empty() && path.trim_matches('/').contains('/'))
            || given.query.is_some();
        if names_endpoint {
            return None;
        }
        let mut base = given.path.clone();
        if !base.ends_with('/') {
            base.push('/');
        }
        Some(format!("{}{base}{endpoint}", given.origin()))
    }
}

/// Adds the provider's "where the real reason is" to a probe or check that did not
/// authenticate as sent (the provider's own terms, next to the Base Address findings).
pub fn advise(r: &mut crate::probe::report::ProbeReport) {
    use crate::probe::report::Verdict;
    let Some(spec) = SPECS.iter().find(|s| s.id == r.profile) else {
        return;
    };
    if matches!(r.verdict, Verdict::Mismatch | Verdict::Inconclusive) {
        r.find(&format!("{}-advice", spec.id), spec.where_to_look, None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auto(url: &str) -> &'static str {
        let req = Request::new("GET", url, vec![], None).unwrap();
        spec(detect(Profile::Auto, &req)).id
    }

    #[test]
    fn detection_by_host_path_and_form_field() {
        for (url, want) in [
            ("https://1234567-sb1.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=1", "netsuite"),
            ("https://1234567.suitetalk.api.netsuite.com/services/rest/record/v1/customer", "netsuite"),
            ("http://shop.example.com/wp-json/wc/v3/orders", "woocommerce"),
            ("http://shop.example.com/wc-api/v3/orders", "woocommerce"),
            ("https://m.example.com/rest/V1/products", "magento"),
            ("https://m.example.com/rest/default/V1/orders?searchCriteria[pageSize]=1", "magento"),
            ("https://api.twitter.com/1.1/statuses/update.json", "twitter"),
            ("https://api.x.com/2/tweets", "twitter"),
            ("https://upload.twitter.com/1.1/media/upload.json", "twitter"),
            ("https://api.flickr.com/services/rest", "flickr"),
            ("https://www.flickr.com/services/oauth/request_token", "flickr"),
            ("https://jira.example.com/plugins/servlet/oauth/request-token", "jira"),
            ("https://jira.example.com/rest/api/2/myself", "jira"),
            ("https://gallery.example.com/gallery/api/v1/workflows/", "alteryx"),
            ("https://api.example.com/things", "generic"),
            ("https://flickr.com.evil.example/x", "generic"),
        ] {
            assert_eq!(auto(url), want, "{url}");
        }
        let launch = Request::new(
            "POST",
            "https://tool.example.com/launch",
            vec![(
                "Content-Type".into(),
                "application/x-www-form-urlencoded".into(),
            )],
            Some("lti_message_type=basic-lti-launch-request&oauth_consumer_key=k".into()),
        )
        .unwrap();
        assert_eq!(detect(Profile::Auto, &launch), Profile::Lti);
        assert_eq!(detect(Profile::Jira, &launch), Profile::Jira);
    }

    #[test]
    fn probe_urls_append_the_endpoint_to_a_site_address() {
        let u = |s: &str| RawUrl::parse(s).unwrap();
        let woo = spec(Profile::Woocommerce);
        assert_eq!(
            woo.probe_url(&u("http://shop.example.com")).as_deref(),
            Some("http://shop.example.com/wp-json/wc/v3/system_status")
        );
        assert_eq!(
            woo.probe_url(&u("http://shop.example.com/wp-json/wc/v3/orders")),
            None
        );
        assert_eq!(
            spec(Profile::Lti).probe_url(&u("https://t.example.com/")),
            None
        );
    }
}
