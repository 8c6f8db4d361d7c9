//! The server-side fix for a non-Alteryx deployment: what the reverse proxy must forward
//! and how each app stack is told to trust it. The client-side workaround (sign what the
//! server signs) is always given too, but it breaks again when the proxy changes.

use crate::request::RawUrl;

/// nginx lines and app settings for the faults between the URI called and the one signed.
pub(crate) fn server_side(faults: &[String], called: &str, signed: &str) -> Option<String> {
    let (Ok(c), Ok(s)) = (RawUrl::parse(called), RawUrl::parse(signed)) else {
        return None;
    };
    let has = |id: &str| faults.iter().any(|f| f == id);
    let mut out: Vec<String> = Vec::new();
    if has("base-address-scheme") && s.scheme_lower() == "https" {
        out.push(format!(
            "the app signs https while you call {}: call it over https, or find what tells the app it is https (a forced `X-Forwarded-Proto https`, `fastcgi_param HTTPS on`)",
            c.scheme_lower()
        ));
    } else if has("base-address-scheme") {
        out.push(format!(
            "TLS ends at the proxy, so the app sees {} instead of {}: forward the scheme (nginx `proxy_set_header X-Forwarded-Proto $scheme;`) and make the app trust it (PHP: `fastcgi_param HTTPS on;` or set $_SERVER['HTTPS'] from X-Forwarded-Proto; Rack/Rails: trusted proxies; Flask/Werkzeug: `ProxyFix(app.wsgi_app, x_proto=1, x_host=1)`; Express: `app.set('trust proxy', true)`)",
            s.scheme_lower(),
            c.scheme_lower()
        ));
    }
    if has("base-address-host") {
        out.push(format!(
            "the app sees the host {} instead of {}: forward it (nginx `proxy_set_header Host $host;`, or X-Forwarded-Host with ProxyFix x_host=1 / Express trust proxy)",
            s.host, c.host
        ));
    }
    if has("base-address-port") {
        out.push(match &s.port {
            Some(p) => format!(
                "the app signs the port :{p}: nginx `proxy_set_header Host $host;` carries no port, while `Host $host:$server_port` (or $proxy_host) signs it"
            ),
            None => "the app drops the port the client calls: forward it (nginx `proxy_set_header Host $http_host;` or X-Forwarded-Port with ProxyFix x_port=1)".into(),
        });
    }
    if has("base-address-path") {
        out.push(format!(
            "the proxy rewrites the path {} to {}: tell the app its mount prefix (nginx `proxy_set_header X-Forwarded-Prefix ...;` with ProxyFix x_prefix=1, Rails relative_url_root, Express mounted router) or keep the path (`proxy_pass http://app;` without a URI part forwards it unchanged)",
            c.path, s.path
        ));
    }
    (!out.is_empty()).then(|| out.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_proxy_lines() {
        let f = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let t = server_side(&f(&["base-address-scheme"]), "https://h/x", "http://h/x").unwrap();
        assert!(
            t.contains("X-Forwarded-Proto") && t.contains("ProxyFix") && t.contains("trust proxy"),
            "{t}"
        );
        let t = server_side(
            &f(&["base-address-port"]),
            "https://h/x",
            "https://h:8443/x",
        )
        .unwrap();
        assert!(
            t.contains(":8443") && t.contains("$host:$server_port"),
            "{t}"
        );
        assert!(server_side(&[], "https://h/x", "https://h/x").is_none());
    }
}
