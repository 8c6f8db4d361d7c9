//! RFC 5849 section 3.4.1.3: which parameters are signed, how they are encoded and ordered,
//! with the switches of [`ParamForm`].

use super::encode::{decode, pct_into, Encoding};
use super::variant::{ParamEncoding, ParamForm, ParamOrder, SignatureIncluded};
use crate::request::{Origin, Request};

/// One signed pair, encoded as the client encodes it, with its decoded bytes for sorting.
struct Pair<'a> {
    name: String,
    value: String,
    raw_name: &'a [u8],
    raw_value: &'a [u8],
}

/// A parameter chosen for signing: decoded bytes and wire text.
struct Chosen<'a> {
    name: &'a [u8],
    value: &'a [u8],
    wire_name: &'a str,
    wire_value: &'a str,
    origin: Origin,
}

/// The normalized parameter string of `req` under `form` (not yet encoded for the base string).
pub fn normalized_params(req: &Request, form: &ParamForm) -> String {
    let mut out = String::with_capacity(256);
    normalized_params_into(&mut out, req, form);
    out
}

/// [`normalized_params`] appending to a reused buffer.
pub fn normalized_params_into(out: &mut String, req: &Request, form: &ParamForm) {
    let chosen = choose(req, form);
    let mut pairs: Vec<Pair> = chosen
        .iter()
        .map(|c| Pair {
            name: encode_one(c.name, c.wire_name, c.origin, name_encoding(form.encoding)),
            value: encode_one(c.value, c.wire_value, c.origin, form.encoding),
            raw_name: c.name,
            raw_value: c.value,
        })
        .collect();
    match form.order {
        ParamOrder::Rfc => pairs.sort_by(|a, b| (&a.name, &a.value).cmp(&(&b.name, &b.value))),
        ParamOrder::Unsorted => {}
        ParamOrder::SortedRaw => {
            pairs.sort_by(|a, b| (a.raw_name, a.raw_value).cmp(&(b.raw_name, b.raw_value)));
        }
        ParamOrder::SortedAsStrings => {
            pairs.sort_by_cached_key(|p| format!("{}={}", p.name, p.value));
        }
        ParamOrder::CaseInsensitive => {
            pairs.sort_by_cached_key(|p| (p.name.to_ascii_lowercase(), p.value.clone()));
        }
    }
    for (i, p) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(&p.name);
        out.push('=');
        out.push_str(&p.value);
    }
}

/// The parameters signed under `form.set`, in wire order.
fn choose<'a>(req: &'a Request, form: &ParamForm) -> Vec<Chosen<'a>> {
    let set = &form.set;
    let mut chosen = Vec::with_capacity(req.params.len() + 2);
    let mut realm_done = !set.realm_included;
    let has_version = req.params.iter().any(|p| p.is("oauth_version"));
    for p in &req.params {
        if !realm_done && p.origin == Origin::Header {
            push_realm(&mut chosen, req);
            realm_done = true;
        }
        let value: &[u8] = if p.is("oauth_signature") {
            match set.signature_included {
                None => continue,
                Some(SignatureIncluded::Empty) => b"",
                Some(SignatureIncluded::AsSent) => &p.value,
            }
        } else {
            &p.value
        };
        let oauth = p.is_oauth();
        if (set.query_omitted && p.origin == Origin::Query && !oauth)
            || (set.body_omitted && p.origin == Origin::Body && !oauth)
            || (set.version_toggled && p.is("oauth_version"))
        {
            continue;
        }
        chosen.push(Chosen {
            name: &p.name,
            value,
            wire_name: &p.wire_name,
            wire_value: if value.is_empty() {
                ""
            } else {
                p.wire_value.as_deref().unwrap_or("")
            },
            origin: p.origin,
        });
    }
    if !realm_done {
        push_realm(&mut chosen, req);
    }
    if set.version_toggled && !has_version {
        chosen.push(Chosen {
            name: b"oauth_version",
            value: b"1.0",
            wire_name: "oauth_version",
            wire_value: "1.0",
            origin: Origin::Header,
        });
    }
    if set.empty_dropped {
        chosen.retain(|c| !c.value.is_empty());
    }
    if set.duplicates_collapsed {
        let mut seen: std::collections::HashSet<&[u8]> = std::collections::HashSet::new();
        chosen.retain(|c| seen.insert(c.name));
    }
    chosen
}

fn push_realm<'a>(chosen: &mut Vec<Chosen<'a>>, req: &'a Request) {
    if let Some(realm) = &req.realm {
        chosen.push(Chosen {
            name: b"realm",
            value: realm,
            wire_name: "realm",
            wire_value: std::str::from_utf8(realm).unwrap_or(""),
            origin: Origin::Header,
        });
    }
}

/// Names are never over-decoded: the clients that double-decode do it to values only.
fn name_encoding(encoding: ParamEncoding) -> ParamEncoding {
    match encoding {
        ParamEncoding::OverDecoded => ParamEncoding::Rfc,
        other => other,
    }
}

/// Encodes one name or value the way a client with `encoding` does.
fn encode_one(decoded: &[u8], wire: &str, origin: Origin, encoding: ParamEncoding) -> String {
    let mut s = String::with_capacity(decoded.len() + 8);
    match encoding {
        ParamEncoding::Rfc => pct_into(&mut s, decoded, Encoding::Rfc),
        ParamEncoding::PlusForSpace => pct_into(&mut s, decoded, Encoding::PlusForSpace),
        ParamEncoding::LowercaseHex => pct_into(&mut s, decoded, Encoding::LowercaseHex),
        ParamEncoding::ReservedUnencoded => pct_into(&mut s, decoded, Encoding::ReservedUnencoded),
        ParamEncoding::PlusLiteral if origin != Origin::Header => {
            pct_into(&mut s, &decode(wire.as_bytes(), false), Encoding::Rfc);
        }
        ParamEncoding::PlusLiteral => pct_into(&mut s, decoded, Encoding::Rfc),
        ParamEncoding::NotEncoded => s.push_str(&String::from_utf8_lossy(decoded)),
        ParamEncoding::DoubleEncoded => pct_into(&mut s, wire.as_bytes(), Encoding::Rfc),
        ParamEncoding::OverDecoded => pct_into(&mut s, &decode(decoded, false), Encoding::Rfc),
    }
    s
}
