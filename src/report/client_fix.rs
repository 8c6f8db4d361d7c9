//! The fix in the user's own tool: per fault id and client, the words of that tool's
//! settings or calls (Postman's OAuth 1.0 options, requests-oauthlib, httr, the Designer
//! Download tool...). Data keyed by the fault's string id, so it stays valid whatever shape
//! the fault catalogue takes; an id without an entry keeps the generic fix.
//!
//! The client is the one `--client` names, else the one the capture's User-Agent shows.

use crate::options::Client;
use crate::request::Request;

/// The tool's name as shown to people.
pub fn name(c: Client) -> &'static str {
    match c {
        Client::Postman => "Postman",
        Client::RequestsOauthlib => "requests-oauthlib",
        Client::Httr => "R httr",
        Client::Designer => "Alteryx Designer (Download tool)",
        Client::Node => "Node.js (oauth-1.0a)",
        Client::Browser => "Gallery api-docs page",
        Client::Curl => "curl",
    }
}

/// Recognises the client from the request's User-Agent (and, for a browser, a Referer on the
/// Gallery's api-docs page: other pages in a browser are some web app, not a known tool).
pub fn detect(req: &Request) -> Option<Client> {
    let ua = req.header("user-agent")?.to_ascii_lowercase();
    if ua.starts_with("mozilla/") {
        let referer = req.header("referer").unwrap_or("").to_ascii_lowercase();
        return referer.contains("api-docs").then_some(Client::Browser);
    }
    let rules: &[(&str, Client)] = &[
        ("postmanruntime/", Client::Postman),
        ("python-requests/", Client::RequestsOauthlib),
        ("python-urllib", Client::RequestsOauthlib),
        ("httr/", Client::Httr),
        ("r-curl/", Client::Httr),
        ("alteryx", Client::Designer),
        ("node-fetch", Client::Node),
        ("axios/", Client::Node),
        ("undici", Client::Node),
        ("curl/", Client::Curl),
    ];
    rules
        .iter()
        .find(|(needle, _)| ua.contains(needle))
        .map(|(_, c)| *c)
}

/// The tool-specific fix for `fault` in `client`, if the table has one.
pub fn fix(fault: &str, client: Client) -> Option<&'static str> {
    TABLE
        .iter()
        .find(|(f, c, _)| *f == fault && *c == client)
        .map(|(_, _, t)| *t)
}

/// Every tool's fix for `fault`, for `sigdoctor faults ID`.
pub fn all_for(fault: &str) -> Vec<(Client, String)> {
    TABLE
        .iter()
        .filter(|(f, _, _)| *f == fault)
        .map(|(_, c, t)| (*c, t.to_string()))
        .collect()
}

use Client::{Browser, Designer, Httr, Node, Postman, RequestsOauthlib as Py};

#[rustfmt::skip]
/// (fault id, client, fix in that tool's terms).
const TABLE: &[(&str, Client, &str)] = &[
    // Postman: Authorization tab, Type "OAuth 1.0".
    ("uri-default-port-kept", Postman, "Postman signs the URL as typed: remove the default port (`:443`, `:80`) from the request URL."),
    ("uri-trailing-slash", Postman, "Postman signs the URL as typed: type the path exactly as the API names it (Gallery endpoints end in `/`)."),
    ("params-empty-dropped", Postman, "Authorization tab (OAuth 1.0) > Advanced: tick \"Add empty parameters to signature\"."),
    ("params-empty-token-signed", Postman, "Authorization tab (OAuth 1.0): clear Access Token and Token Secret for a 1-legged API, or untick \"Add empty parameters to signature\"."),
    ("key-token-secret-included", Postman, "Authorization tab (OAuth 1.0): clear Token Secret (and Access Token); the Gallery API is 1-legged."),
    ("params-double-encoded", Postman, "Enter query values unencoded in the Params tab: Postman encodes them, and signs what it sends."),
    ("sig-double-percent-encoded", Postman, "Authorization tab (OAuth 1.0) > Advanced: untick \"Encode the parameters in the Authorization header\" (the header gets encoded twice), or set \"Add authorization data to\" Request URL."),
    ("sig-not-percent-encoded", Postman, "Authorization tab (OAuth 1.0): set \"Add authorization data to\" Request Headers, or tick \"Encode the parameters in the Authorization header\"."),
    ("params-body-omitted", Postman, "Body tab: send the form as x-www-form-urlencoded (Postman signs only that body type); \"Add authorization data to\" Request Body / Request URL."),
    ("params-version-mismatch", Postman, "Authorization tab (OAuth 1.0) > Advanced: set Version to 1.0 (sent and signed), or clear it."),
    ("sig-method-mismatch", Postman, "Authorization tab (OAuth 1.0): set Signature Method to the one the server verifies (HMAC-SHA1 for the Gallery)."),
    ("key-secret-whitespace", Postman, "Authorization tab (OAuth 1.0): retype Consumer Secret; a trailing space pasted there is signed."),
    ("uri-scheme", Postman, "Call the URL with the scheme the server signs (https for a Gallery behind TLS), or fix the server's Base Address."),
    // Python requests + requests-oauthlib / oauthlib.
    ("key-secret-whitespace", Py, "Pass the secret trimmed: `OAuth1(client_key, client_secret=secret.strip())`."),
    ("key-missing-ampersand", Py, "Let oauthlib build the key: `OAuth1(client_key, client_secret=secret)`; by hand it is `quote(secret, safe='~') + '&'`."),
    ("key-token-secret-included", Py, "1-legged: `OAuth1(client_key, client_secret=secret)` with no resource_owner_key / resource_owner_secret."),
    ("uri-default-port-kept", Py, "Call the URL without the default port (`:443`, `:80`); oauthlib signs the URL it is given."),
    ("params-query-omitted", Py, "Sign the query too: `requests.get(url, params=params, auth=OAuth1(key, secret, signature_type='query'))`, not a signature over the oauth_* parameters alone."),
    ("params-body-omitted", Py, "Send the form as a dict, `requests.post(url, data={...}, auth=OAuth1(...))`, so it goes out form-encoded and oauthlib signs it."),
    ("params-plus-for-space", Py, "Do not pre-encode with `urllib.parse.urlencode` (space -> `+`): pass `params={...}` to requests and let OAuth1 sign, or encode with `quote(v, safe='~')`."),
    ("params-unsorted", Py, "Let `requests_oauthlib.OAuth1` sign; by hand, join `sorted(...)` pairs of `quote(k, safe='~')=quote(v, safe='~')`."),
    ("sig-urlsafe-base64", Py, "Use `base64.b64encode(hmac.new(key, base, hashlib.sha1).digest())`, not `urlsafe_b64encode` (or let `OAuth1` sign)."),
    ("sig-hex", Py, "Use `base64.b64encode(...digest())`, not `.hexdigest()` (or let `OAuth1` sign)."),
    ("sig-not-percent-encoded", Py, "Do not paste the signature into the URL yourself: `OAuth1(..., signature_type='query')` percent-encodes it."),
    ("method-missing", Py, "Let `OAuth1` build the base string; by hand it starts with `'GET&'`."),
    // R httr.
    ("uri-path-prefix", Httr, "Sign the endpoint: `httr::oauth_signature(url = paste0(base, 'api/v1/workflows/subscription/'), method = 'GET', app = app)`, not `url = Baseurl`."),
    ("params-query-omitted", Httr, "Give `oauth_signature(url = ...)` the URL with its query (`?limit=1`), the same one `GET()` calls."),
    ("uri-default-port-kept", Httr, "Drop the default port (`:443`, `:80`) from the URL given to `oauth_signature(url = ...)`."),
    ("uri-trailing-slash", Httr, "Give `oauth_signature(url = ...)` exactly the URL `GET()` calls, trailing slash included."),
    ("key-secret-whitespace", Httr, "`oauth_app('gallery', key, trimws(secret))`."),
    ("key-missing-ampersand", Httr, "Use `oauth_app()` + `oauth_signature()`; by hand the HMAC key is `paste0(URLencode(secret, reserved = TRUE), '&')`."),
    ("method-missing", Httr, "Use `httr::oauth_signature()` instead of a `paste0()` base string: it starts with `GET&`."),
    ("params-string-not-encoded", Httr, "Use `httr::oauth_signature()`; by hand, `URLencode(params, reserved = TRUE)` once more inside the base string."),
    ("params-sorted-by-name-only", Httr, "Sort repeated names by value too before `oauth_signature()` (httr sorts by name only)."),
    // Alteryx Designer: the Download tool and the Gallery API macros.
    ("uri-default-port-kept", Designer, "Set the macro's base URL constant (the Gallery URL input) to `https://host/gallery/`, without `:443`."),
    ("uri-trailing-slash", Designer, "Set the macro's base URL constant to the Gallery URL ending in `/gallery/`, as the endpoint paths expect."),
    ("uri-scheme", Designer, "Set the macro's base URL constant to the Base Address's scheme (System Settings > Gallery > Base Address)."),
    ("uri-host", Designer, "Set the macro's base URL constant to the host in the Gallery's Base Address."),
    ("params-double-encoded", Designer, "Download tool > Basic: untick \"Encode URL Text\"; the macro already percent-encodes the signed URL."),
    ("params-plus-for-space", Designer, "Download tool > Basic: untick \"Encode URL Text\" and encode spaces as `%20` in the Formula tool that builds the URL."),
    ("sig-not-percent-encoded", Designer, "Download tool > Basic: tick \"Encode URL Text\", or percent-encode oauth_signature (`+` -> `%2B`) in the Formula tool."),
    ("key-secret-whitespace", Designer, "Retype the API secret in the macro's input (a pasted trailing space is signed), or `Trim([secret])` in the Formula tool."),
    ("key-missing-ampersand", Designer, "In the Formula tool that signs, use the key `[secret] + \"&\"`."),
    ("method-missing", Designer, "In the Formula tool that builds the base string, start it with `\"GET&\"`."),
    ("params-unsorted", Designer, "Sort the parameter rows by name (Sort tool) before the Summarize tool joins them."),
    // Node.js: oauth-1.0a with axios or node-fetch.
    ("uri-default-port-kept", Node, "Pass the URL without the default port (`:443`, `:80`) to `oauth.authorize({ url, method })`."),
    ("params-query-omitted", Node, "Give `oauth.authorize({ url, method, data })` the URL with its query (or the query in `data`)."),
    ("params-body-omitted", Node, "Pass the form fields as `data` to `oauth.authorize()` and send the same fields with `new URLSearchParams(data)`."),
    ("params-reserved-unencoded", Node, "Encode with `encodeURIComponent(s).replace(/[!'()*]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase())`."),
    ("sig-urlsafe-base64", Node, "`hash_function: (base, key) => crypto.createHmac('sha1', key).update(base).digest('base64')`: 'base64', not 'base64url'."),
    ("sig-not-percent-encoded", Node, "Send `oauth.toHeader(oauth.authorize(...))` as headers, or `encodeURIComponent` the signature in a query."),
    ("key-secret-whitespace", Node, "`consumer: { key, secret: process.env.SECRET.trim() }`."),
    // A browser on the Gallery's api-docs page.
    ("key-secret-whitespace", Browser, "On the api-docs page, paste the secret again without the trailing space: the page signs what is in the box."),
    ("uri-scheme", Browser, "Open the api-docs page at the Gallery's Base Address (System Settings > Gallery): the page signs its own URL."),
    ("uri-host", Browser, "Open the api-docs page at the host in the Base Address: the page signs its own URL."),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn with(headers: &[(&str, &str)]) -> Option<Client> {
        let h = headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        let req =
            Request::new("GET", "https://h/gallery/api/v1/x/?oauth_nonce=1", h, None).unwrap();
        detect(&req)
    }

    #[test]
    fn detects_from_user_agent() {
        assert_eq!(
            with(&[("User-Agent", "PostmanRuntime/7.36.0")]),
            Some(Client::Postman)
        );
        assert_eq!(
            with(&[("User-Agent", "python-requests/2.31.0")]),
            Some(Client::RequestsOauthlib)
        );
        assert_eq!(
            with(&[("User-Agent", "libcurl/8.5.0 r-curl/5.2.0 httr/1.4.7")]),
            Some(Client::Httr)
        );
        assert_eq!(with(&[("User-Agent", "axios/1.6.2")]), Some(Client::Node));
        assert_eq!(with(&[("User-Agent", "curl/8.5.0")]), Some(Client::Curl));
        let chrome = "Mozilla/5.0 (Windows NT 10.0) Chrome/120";
        assert_eq!(with(&[("User-Agent", chrome)]), None);
        assert_eq!(
            with(&[
                ("User-Agent", chrome),
                ("Referer", "https://h/gallery/api-docs/")
            ]),
            Some(Client::Browser)
        );
        assert_eq!(with(&[]), None);
    }

    #[test]
    fn every_entry_names_a_catalogue_id() {
        let ids: Vec<String> = crate::app::faults::entries()
            .into_iter()
            .map(|e| e.id)
            .collect();
        for (f, _, _) in TABLE {
            assert!(ids.iter().any(|i| i == f), "{f} is not in docs/faults.md");
        }
    }
}
