//! Each provider's own rules, checked without any secret, and fixes in its terms.
//!
//! Lint ids are stable (`netsuite-hmac-sha1`...) and listed in the README; each message
//! names the bytes that triggered it, so the finding is its own evidence.

use crate::lint::{lint, Lint, Severity};
use crate::options::Profile;
use crate::request::{Origin, Request};
use crate::rfc5849::SignatureMethod;

use super::spec;

/// The provider lints of `profile` for `req`, judged against the clock `now`.
pub fn lints(profile: Profile, req: &Request, now: i64) -> Vec<Lint> {
    let mut out = Vec::new();
    let method = req.param_str("oauth_signature_method").unwrap_or_default();
    let parsed = SignatureMethod::parse(&method);
    let s = spec(profile);
    match profile {
        Profile::Netsuite => netsuite(req, parsed, &method, &mut out),
        Profile::Woocommerce => woocommerce(req, now, s.window, &mut out),
        Profile::Lti => lti(req, &mut out),
        Profile::Magento => magento(req, parsed, &method, &mut out),
        Profile::Twitter => twitter(req, &mut out),
        Profile::Flickr => flickr(req, &mut out),
        Profile::Jira => jira(parsed, &method, &mut out),
        _ => {}
    }
    if !matches!(
        profile,
        Profile::Netsuite | Profile::Magento | Profile::Jira
    ) {
        if let Some(m) = parsed.filter(|m| !s.methods.contains(m) && !s.methods.is_empty()) {
            if s.profile != Profile::Generic && s.profile != Profile::Alteryx {
                out.push(lint(
                    "provider-signature-method",
                    Severity::Error,
                    format!(
                        "{} declares {}; {} accepts {}",
                        "the request",
                        m.as_str(),
                        s.name,
                        names(s.methods)
                    ),
                    "Sign with a method the provider accepts.",
                ));
            }
        }
    }
    out
}

fn names(methods: &[SignatureMethod]) -> String {
    methods
        .iter()
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join(" or ")
}

/// `1234567-sb1.restlets.api.netsuite.com` -> `1234567_SB1`: the realm NetSuite expects.
pub fn netsuite_account(host: &str) -> Option<String> {
    let first = host.split('.').next()?;
    if first.is_empty() || !host.to_ascii_lowercase().contains("netsuite.com") {
        return None;
    }
    Some(first.replace('-', "_").to_ascii_uppercase())
}

fn netsuite(req: &Request, parsed: Option<SignatureMethod>, method: &str, out: &mut Vec<Lint>) {
    if parsed == Some(SignatureMethod::HmacSha1) {
        out.push(lint(
            "netsuite-hmac-sha1",
            Severity::Error,
            format!("oauth_signature_method is `{method}`: NetSuite refuses HMAC-SHA1 for token-based authentication since 2021.1 (a RESTlet then answers \"The request could not be understood by the server due to malformed syntax\")"),
            "Sign with HMAC-SHA256 (oauth_signature_method=HMAC-SHA256).",
        ));
    }
    let realm = req
        .realm
        .as_ref()
        .map(|r| String::from_utf8_lossy(r).into_owned());
    match (netsuite_account(&req.url.host), realm.as_deref()) {
        (Some(account), Some(r)) if r != account => out.push(lint(
            "netsuite-realm-format",
            Severity::Error,
            format!("realm is `{r}`; for host `{}` NetSuite expects the account id upper-cased with `_`: `{account}`", req.url.host),
            "Set realm to the account id as Setup > Company > Company Information shows it, upper case, `-` written `_` (1234567_SB1).",
        )),
        (Some(account), None) => out.push(lint(
            "netsuite-realm-format",
            Severity::Error,
            format!("the Authorization header has no realm; NetSuite needs realm=\"{account}\""),
            "Add realm=\"ACCOUNT_ID\" to the Authorization header (it is not signed).",
        )),
        _ => {}
    }
    if let Some(p) = req
        .params
        .iter()
        .find(|p| p.name == b"realm" && p.origin != Origin::Header)
    {
        out.push(lint(
            "netsuite-realm-signed",
            Severity::Error,
            format!(
                "realm `{}` travels in the {} and so is signed; NetSuite leaves realm out of the base string",
                p.value_str(),
                p.origin.as_str()
            ),
            "Send realm only in the Authorization header, and leave it out of the signed parameters.",
        ));
    }
}

fn woocommerce(req: &Request, now: i64, window: u64, out: &mut Vec<Lint>) {
    if req.url.scheme.eq_ignore_ascii_case("https") {
        out.push(lint(
            "woocommerce-oauth-over-https",
            Severity::Warning,
            format!("the URL is https (`{}`): WooCommerce authenticates https requests with Basic auth (or consumer_key/consumer_secret in the query), OAuth 1.0a is its plain-http scheme", req.url.origin()),
            "Over https send the keys as Basic auth (or set queryStringAuth: true in the client); use OAuth 1.0a only over http.",
        ));
    }
    if req.url.host.to_ascii_lowercase().starts_with("www.") {
        out.push(lint(
            "woocommerce-www-host",
            Severity::Warning,
            format!("the host is `{}`: WooCommerce signs its home URL, and a Site Address without `www.` (or the reverse) gives a different base string", req.url.host),
            "Call the site exactly as Settings > General > Site Address (URL) writes it, `www.` or not.",
        ));
    }
    if let Some(ts) = req
        .param_str("oauth_timestamp")
        .and_then(|t| t.parse::<i64>().ok())
    {
        if now.abs_diff(ts) > window {
            out.push(lint(
                "woocommerce-timestamp-window",
                Severity::Error,
                format!("oauth_timestamp is {} s from now; WooCommerce refuses more than {window} s (\"Invalid timestamp.\")", ts - now),
                "Sign with the current Unix time in seconds and keep the client's clock in sync (NTP).",
            ));
        }
    }
}

fn lti(req: &Request, out: &mut Vec<Lint>) {
    let launch = req.params.iter().find(|p| p.name == b"lti_message_type");
    if let Some(p) = launch.filter(|p| p.origin != Origin::Body) {
        out.push(lint(
            "lti-launch-not-form",
            Severity::Error,
            format!("lti_message_type travels in the {}; an LTI 1.1 launch is a form POST whose fields are all signed", p.origin.as_str()),
            "POST the launch as application/x-www-form-urlencoded with every lti_* field in the body.",
        ));
    }
    if launch.is_some() && req.param("oauth_callback").is_none() {
        out.push(lint(
            "lti-callback-missing",
            Severity::Warning,
            "the launch carries no oauth_callback; LTI 1.1 launches sign oauth_callback=about:blank and many tools require it".to_string(),
            "Send oauth_callback=about:blank among the signed launch fields.",
        ));
    }
}

fn magento(req: &Request, parsed: Option<SignatureMethod>, method: &str, out: &mut Vec<Lint>) {
    if parsed == Some(SignatureMethod::HmacSha1) {
        out.push(lint(
            "magento-hmac-sha1",
            Severity::Warning,
            format!("oauth_signature_method is `{method}`: Magento 2.4 integrations sign with HMAC-SHA256 and refuse HMAC-SHA1 (\"The signature is invalid. Verify and try again.\")"),
            "Sign with HMAC-SHA256.",
        ));
    }
    let raw = req.url.query.as_deref().unwrap_or("");
    if raw.contains(['[', ']']) {
        let first = raw
            .split('&')
            .find(|p| p.contains(['[', ']']))
            .unwrap_or(raw);
        out.push(lint(
            "magento-brackets-unencoded",
            Severity::Warning,
            format!("the query carries raw brackets (`{first}`): clients differ on whether they sign `[` `]` or `%5B` `%5D`, and Magento signs the RFC form of the decoded name"),
            "Percent-encode the brackets of searchCriteria[...] in the URL you send and sign (searchCriteria%5BpageSize%5D=10).",
        ));
    }
}

/// X v2 endpoints that take app-only (OAuth 2 Bearer) authentication only.
const X_APP_ONLY: &[&str] = &[
    "/2/tweets/search/all",
    "/2/tweets/search/stream",
    "/2/tweets/sample/stream",
    "/2/tweets/sample10/stream",
    "/2/tweets/counts/",
    "/2/compliance/",
];

fn twitter(req: &Request, out: &mut Vec<Lint>) {
    let path = req.url.path.to_ascii_lowercase();
    if let Some(p) = X_APP_ONLY.iter().find(|p| path.starts_with(*p)) {
        out.push(lint(
            "twitter-v2-app-only",
            Severity::Error,
            format!("`{}` is an X API v2 endpoint under `{p}` that accepts app-only (OAuth 2 Bearer) authentication only: OAuth 1.0a is refused whatever the signature", req.url.path),
            "Call it with the app's Bearer token; this is not a signature problem.",
        ));
    }
}

fn flickr(req: &Request, out: &mut Vec<Lint>) {
    if req.url.scheme.eq_ignore_ascii_case("http") {
        out.push(lint(
            "flickr-http",
            Severity::Error,
            format!(
                "the URL is http (`{}`): the Flickr API answers over https only",
                req.url.origin()
            ),
            "Call and sign https://api.flickr.com/...",
        ));
    }
    if req.param("api_sig").is_some() {
        out.push(lint(
            "flickr-api-sig",
            Severity::Warning,
            "the request carries `api_sig`, the signature of Flickr's retired pre-OAuth authentication, next to OAuth parameters".to_string(),
            "Drop api_sig (and auth_token): with OAuth only oauth_signature is sent.",
        ));
    }
}

fn jira(parsed: Option<SignatureMethod>, method: &str, out: &mut Vec<Lint>) {
    if !matches!(parsed, Some(SignatureMethod::RsaSha1)) && !method.is_empty() {
        out.push(lint(
            "jira-not-rsa",
            Severity::Error,
            format!("oauth_signature_method is `{method}`: Jira / Confluence application links verify RSA-SHA1 with the consumer's public key only"),
            "Sign with RSA-SHA1 and the private key whose public key is in the application link (sigdoctor sign --private-key KEY.pem --signature-method RSA-SHA1).",
        ));
    }
}

/// A fix in the provider's terms for a client fault id, where the provider has one.
pub fn provider_fix(profile: Profile, fault: &str) -> Option<&'static str> {
    Some(match (profile, fault) {
        (Profile::Netsuite, "params-realm-included") => "NetSuite leaves realm out of the signature: send realm=\"ACCOUNT_ID\" in the Authorization header only, unsigned.",
        (Profile::Netsuite, "sig-method-mismatch") => "NetSuite verifies HMAC-SHA256: declare and compute HMAC-SHA256.",
        (Profile::Woocommerce, "uri-host" | "uri-scheme" | "uri-default-port-kept") => "WooCommerce signs its home URL: call the site exactly as Settings > General > Site Address (URL) writes it (scheme, www., port).",
        (Profile::Woocommerce, "sig-not-percent-encoded") => "WooCommerce turns a space back into `+`, so this alone is tolerated there; percent-encode the signature anyway (`+` -> `%2B`).",
        (Profile::Lti, "params-body-omitted") => "Sign every launch form field (oauth_callback and all lti_*, custom_*, ext_* fields), not only the oauth_* ones.",
        (Profile::Lti, "uri-scheme" | "uri-host" | "uri-default-port-kept") => "The tool rebuilds the launch URL as it sees it: configure its proxy settings (trust X-Forwarded-Proto/Host) or register the launch URL as the tool sees it.",
        (Profile::Magento, "params-not-encoded" | "params-reserved-unencoded") => "Percent-encode searchCriteria[...] names once (`%5B`, `%5D`) before signing, as Magento does.",
        (Profile::Jira, "sig-method-mismatch") => "Jira verifies RSA-SHA1: sign with the application link's private key.",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(
        profile: Profile,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Vec<&'static str> {
        let h = headers
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        let req = Request::new(method, url, h, body.map(str::to_string)).unwrap();
        lints(profile, &req, 1_700_000_000)
            .into_iter()
            .map(|l| l.id)
            .collect()
    }

    const NS: &str = "https://1234567-sb1.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=1&deploy=1";

    #[test]
    fn netsuite_rules_trigger_and_stay_quiet() {
        let auth = |realm: &str, m: &str| {
            format!("OAuth realm=\"{realm}\", oauth_consumer_key=\"k\", oauth_signature_method=\"{m}\", oauth_timestamp=\"1700000000\", oauth_nonce=\"n\", oauth_signature=\"s\"")
        };
        let good = auth("1234567_SB1", "HMAC-SHA256");
        assert!(ids(
            Profile::Netsuite,
            "GET",
            NS,
            &[("Authorization", &good)],
            None
        )
        .is_empty());
        let bad = auth("1234567-sb1", "HMAC-SHA1");
        let got = ids(
            Profile::Netsuite,
            "GET",
            NS,
            &[("Authorization", &bad)],
            None,
        );
        assert_eq!(got, vec!["netsuite-hmac-sha1", "netsuite-realm-format"]);
        let signed = format!("{NS}&realm=1234567_SB1");
        let got = ids(
            Profile::Netsuite,
            "GET",
            &signed,
            &[("Authorization", &good)],
            None,
        );
        assert_eq!(got, vec!["netsuite-realm-signed"]);
    }

    #[test]
    fn an_rsa_signature_is_not_an_hmac_shape_and_fixes_speak_the_providers_terms() {
        let sig = "A".repeat(171) + "=";
        let url = format!("https://jira.example.com/rest/api/2/myself?oauth_consumer_key=k&oauth_signature_method=RSA-SHA1&oauth_nonce=n&oauth_timestamp=1700000000&oauth_signature={sig}");
        let req = Request::new("GET", &url, vec![], None).unwrap();
        let ids: Vec<_> = crate::lint::lint_request(&req, 1_700_000_000)
            .into_iter()
            .map(|l| l.id)
            .collect();
        assert!(ids.is_empty(), "{ids:?}");
        assert!(provider_fix(Profile::Netsuite, "params-realm-included")
            .unwrap()
            .contains("Authorization header"));
        assert!(provider_fix(Profile::Generic, "params-realm-included").is_none());
        assert_eq!(
            netsuite_account("1234567-sb1.suitetalk.api.netsuite.com").as_deref(),
            Some("1234567_SB1")
        );
        assert_eq!(netsuite_account("example.com"), None);
    }

    #[test]
    fn woocommerce_rules() {
        let q = "oauth_consumer_key=ck&oauth_signature_method=HMAC-SHA1&oauth_nonce=n&oauth_signature=s&oauth_timestamp=";
        let ok = format!("http://shop.example.com/wp-json/wc/v3/orders?{q}1700000000");
        assert!(ids(Profile::Woocommerce, "GET", &ok, &[], None).is_empty());
        let bad = format!("https://www.shop.example.com/wp-json/wc/v3/orders?{q}1699990000");
        assert_eq!(
            ids(Profile::Woocommerce, "GET", &bad, &[], None),
            vec![
                "woocommerce-oauth-over-https",
                "woocommerce-www-host",
                "woocommerce-timestamp-window"
            ]
        );
        let sha512 = ok.replace("HMAC-SHA1", "HMAC-SHA512");
        assert_eq!(
            ids(Profile::Woocommerce, "GET", &sha512, &[], None),
            vec!["provider-signature-method"]
        );
    }

    #[test]
    fn lti_magento_twitter_flickr_jira_rules() {
        let form = [("Content-Type", "application/x-www-form-urlencoded")];
        let launch = "lti_message_type=basic-lti-launch-request&oauth_consumer_key=k&oauth_signature_method=HMAC-SHA1";
        let url = "https://tool.example.com/launch";
        assert_eq!(
            ids(Profile::Lti, "POST", url, &form, Some(launch)),
            vec!["lti-callback-missing"]
        );
        let with_cb = format!("{launch}&oauth_callback=about%3Ablank");
        assert!(ids(Profile::Lti, "POST", url, &form, Some(&with_cb)).is_empty());
        let in_query = format!("{url}?{with_cb}");
        assert_eq!(
            ids(Profile::Lti, "GET", &in_query, &[], None),
            vec!["lti-launch-not-form"]
        );

        let m = "https://m.example.com/rest/V1/products?oauth_signature_method=HMAC-SHA256";
        assert!(ids(Profile::Magento, "GET", m, &[], None).is_empty());
        let m1 = "https://m.example.com/rest/V1/products?searchCriteria[pageSize]=1&oauth_signature_method=HMAC-SHA1";
        assert_eq!(
            ids(Profile::Magento, "GET", m1, &[], None),
            vec!["magento-hmac-sha1", "magento-brackets-unencoded"]
        );

        assert_eq!(
            ids(
                Profile::Twitter,
                "GET",
                "https://api.x.com/2/tweets/search/all?query=a",
                &[],
                None
            ),
            vec!["twitter-v2-app-only"]
        );
        assert!(ids(
            Profile::Twitter,
            "GET",
            "https://api.x.com/2/tweets",
            &[],
            None
        )
        .is_empty());

        assert_eq!(
            ids(
                Profile::Flickr,
                "GET",
                "http://api.flickr.com/services/rest?api_sig=x",
                &[],
                None
            ),
            vec!["flickr-http", "flickr-api-sig"]
        );
        assert!(ids(
            Profile::Flickr,
            "GET",
            "https://api.flickr.com/services/rest?method=flickr.test.login",
            &[],
            None
        )
        .is_empty());

        let j = "https://jira.example.com/rest/api/2/myself?oauth_signature_method=";
        assert_eq!(
            ids(Profile::Jira, "GET", &format!("{j}HMAC-SHA1"), &[], None),
            vec!["jira-not-rsa"]
        );
        assert!(ids(Profile::Jira, "GET", &format!("{j}RSA-SHA1"), &[], None).is_empty());
    }
}
