//! Candidates from what someone told us rather than from the field's habits: `--base-uri`
//! (tried first), `--path-prefix` and the proxy rewrites it implies, and a base string the
//! server revealed in its refusal.

use super::plan::{
    forms, Candidate, Target, C_BASE_URI, C_PATH_DROP, C_PATH_PREFIX_GIVEN, C_PATH_REPLACE,
};
use super::sign::SecretVariant;
use crate::request::RawUrl;
use crate::rfc5849::base_uri::base_uri;
use crate::rfc5849::{HostForm, PortForm, UriForm};

/// `--base-uri`: whole base URIs the user knows of (for a Gallery, a Base Address gets the
/// endpoint appended), the called query signed with them.
pub(crate) fn given_base_uris(target: &Target, given: &[String], query: &str) -> Vec<Candidate> {
    let mut out = Vec::new();
    for g in given {
        let Ok(u) = RawUrl::parse(g) else { continue };
        let is_base_address = target.alteryx && !u.path.to_ascii_lowercase().contains("/api/");
        let path = if is_base_address {
            let mut p = u.path.clone();
            if !p.ends_with('/') {
                p.push('/');
            }
            format!("{p}{}", target.rest())
        } else {
            u.path.clone()
        };
        let Ok(url) = RawUrl::parse(&format!("{}{path}{query}", u.origin())) else {
            continue;
        };
        for (form, form_label) in forms() {
            out.push(Candidate {
                signed_uri: base_uri(&url, &form, &[]),
                base_address: is_base_address.then(|| {
                    RawUrl::parse(&format!("{}{}", u.origin(), u.path))
                        .map(|b| base_uri(&b, &form, &[]))
                        .unwrap_or_else(|_| g.clone())
                }),
                url: url.clone(),
                form,
                endpoint_slash_toggled: false,
                key: SecretVariant::AsGiven,
                cost: C_BASE_URI,
                label: format!("--base-uri {g}{form_label}"),
            });
        }
    }
    out
}

/// `api`, `/api`, `api/`, `/api/` all name the segment `api`.
fn segment(p: &str) -> String {
    p.trim_matches('/').to_string()
}

/// Paths a reverse proxy makes of the called one: the first segment dropped (`location
/// /api/ { proxy_pass http://app/; }`), each `--path-prefix` added in front (a mount
/// prefix), and the first segment replaced by it. For a Gallery only the Base Address part
/// changes, so the endpoint stays recognisable.
pub(crate) fn path_rewrites(
    target: &Target,
    prefixes: &[String],
) -> Vec<(String, String, u32, String, bool)> {
    let (head, tail) = if target.alteryx {
        (target.prefix(), target.rest())
    } else {
        (target.called.path.as_str(), "")
    };
    // `head` is `/seg/more/...`; `rest_of_head` is it without its first segment.
    let trimmed = head.strip_prefix('/').unwrap_or(head);
    let rest_of_head = match trimmed.split_once('/') {
        Some((first, rest)) if !first.is_empty() => Some(format!("/{rest}")),
        _ => None,
    };
    let mut out = Vec::new();
    if let Some(r) = &rest_of_head {
        let first = trimmed.split('/').next().unwrap_or_default();
        out.push((
            r.clone(),
            tail.to_string(),
            C_PATH_DROP,
            format!("path without its first segment /{first} (stripped by a proxy)"),
            false,
        ));
    }
    for p in prefixes {
        let seg = segment(p);
        if seg.is_empty() {
            continue;
        }
        out.push((
            format!("/{seg}{head}"),
            tail.to_string(),
            C_PATH_PREFIX_GIVEN,
            format!("path prefix /{seg} added (--path-prefix)"),
            false,
        ));
        if let Some(r) = &rest_of_head {
            out.push((
                format!("/{seg}{r}"),
                tail.to_string(),
                C_PATH_REPLACE,
                format!("first path segment replaced by /{seg} (--path-prefix)"),
                false,
            ));
        }
    }
    out
}

/// The candidate a revealed base string names, or None when its URI is the one we signed
/// (then only the parameters or the key differ, and no other URI will help).
pub(crate) fn revealed_candidate(
    target: &Target,
    server_sbs: &str,
    client_sbs: &str,
) -> Option<Candidate> {
    let uri_of = |sbs: &str| {
        sbs.split('&').nth(1).map(|u| {
            String::from_utf8_lossy(&crate::rfc5849::encode::decode(u.as_bytes(), false))
                .into_owned()
        })
    };
    let server_uri = uri_of(server_sbs)?;
    if Some(&server_uri) == uri_of(client_sbs).as_ref() {
        return None;
    }
    let query = target
        .called
        .query
        .as_ref()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    let url = RawUrl::parse(&format!("{server_uri}{query}")).ok()?;
    // Literal: the URI exactly as the server wrote it, `:443` and all.
    let form = UriForm {
        port: PortForm::AsWritten,
        host: HostForm::AsSent,
        ..UriForm::default()
    };
    Some(Candidate {
        base_address: target.alteryx.then(|| {
            let rest = target.rest();
            server_uri
                .strip_suffix(rest)
                .unwrap_or(&server_uri)
                .to_string()
        }),
        signed_uri: base_uri(&url, &form, &[]),
        url,
        form,
        endpoint_slash_toggled: false,
        key: SecretVariant::AsGiven,
        cost: 0,
        label: "the base string the server revealed".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Profile;
    use crate::probe::plan::{candidates, HostHints};

    fn uris(url: &str, prefixes: &[&str], base_uris: &[&str]) -> Vec<String> {
        let target = Target::new(url, Profile::Auto, false).unwrap();
        let hints = HostHints {
            path_prefixes: prefixes.iter().map(|s| s.to_string()).collect(),
            base_uris: base_uris.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        };
        candidates(&target, &hints)
            .into_iter()
            .map(|c| c.signed_uri)
            .collect()
    }

    #[test]
    fn proxy_rewrites_of_the_path() {
        let u = uris("https://h/api/items?x=1", &["/mount", "app/"], &[]);
        for want in [
            "https://h/items",
            "https://h/mount/api/items",
            "https://h/app/api/items",
            "https://h/mount/items",
        ] {
            assert!(u.iter().any(|x| x == want), "{want} in {u:?}");
        }
        // A Gallery keeps its endpoint: only the Base Address part is rewritten.
        let g = uris("https://h/gallery/", &["mount"], &[]);
        assert!(g
            .iter()
            .any(|x| x == "https://h/mount/gallery/api/v1/workflows/subscription/"));
        assert!(g
            .iter()
            .any(|x| x == "https://h/api/v1/workflows/subscription/"));
    }

    #[test]
    fn base_uri_goes_first() {
        let u = uris("https://h/api/items", &[], &["http://app:8080/items"]);
        assert_eq!(u[0], "http://app:8080/items");
        // For a Gallery, a Base Address gets the endpoint appended.
        let g = uris("https://h/gallery/", &[], &["http://gallery01/gallery"]);
        assert_eq!(
            g[0],
            "http://gallery01/gallery/api/v1/workflows/subscription/"
        );
    }

    #[test]
    fn a_revealed_uri_is_signed_literally() {
        let target = Target::new("https://h/api/items?x=1", Profile::Auto, false).unwrap();
        let server = "GET&https%3A%2F%2Fh%3A443%2Fitems&oauth_nonce%3Dn%26x%3D1";
        let client = "GET&https%3A%2F%2Fh%2Fapi%2Fitems&oauth_nonce%3Dn%26x%3D1";
        let c = revealed_candidate(&target, server, client).unwrap();
        assert_eq!(c.signed_uri, "https://h:443/items");
        assert_eq!(c.url.query.as_deref(), Some("x=1"));
        assert!(revealed_candidate(&target, client, client).is_none());
    }
}
