//! RFC 5849 section 3.4.1.3: which parameters are signed, how they are encoded and ordered,
//! with the switches of [`ParamForm`].

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::encode::{decode, pct_into, Encoding};
use super::variant::{Duplicates, ParamEncoding, ParamForm, ParamOrder, SignatureIncluded};
use crate::request::{Origin, Param, Request};

/// One signed pair, encoded as the client encodes it, with its decoded bytes for sorting.
struct Pair<'a> {
    name: String,
    value: String,
    raw_name: &'a [u8],
    raw_value: &'a [u8],
}

/// A parameter chosen for signing: decoded bytes and wire text.
#[derive(Clone, Copy)]
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
    let reparsed;
    let params: &[Param] = if reparses(form) {
        reparsed = reparse(req, form);
        &reparsed
    } else {
        &req.params
    };
    let chosen = choose(params, req.realm.as_deref(), form);
    let utf8 = form.utf8_double_encoded;
    let mut pairs: Vec<Pair> = chosen
        .iter()
        .map(|c| Pair {
            name: encode_one(
                c.name,
                c.wire_name,
                c.origin,
                name_encoding(form.encoding),
                utf8,
            ),
            value: encode_one(c.value, c.wire_value, c.origin, form.encoding, utf8),
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
        ParamOrder::ByNameOnly => pairs.sort_by(|a, b| a.name.cmp(&b.name)),
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

/// Whether `form` parses the query differently from the request model.
fn reparses(form: &ParamForm) -> bool {
    form.parsing.semicolon_split
        || form.parsing.cut_at_equals
        || form.duplicates == Duplicates::Indexed
}

/// The request's parameters with the query parsed as the client's parser does: split on
/// `;` too, values cut at a raw `=`, repeated names indexed (`tag[0]`, `tag[1]`). Header
/// and body parameters follow unchanged.
fn reparse(req: &Request, form: &ParamForm) -> Vec<Param> {
    let mut query: Vec<Param> = Vec::with_capacity(req.params.len() + 4);
    for p in req.params.iter().filter(|p| p.origin == Origin::Query) {
        if !form.parsing.semicolon_split && !form.parsing.cut_at_equals {
            query.push(p.clone());
            continue;
        }
        let text = match &p.wire_value {
            Some(v) => format!("{}={v}", p.wire_name),
            None => p.wire_name.clone(),
        };
        let sep = if form.parsing.semicolon_split {
            ';'
        } else {
            '&'
        };
        for seg in text.split(sep).filter(|s| !s.is_empty()) {
            let (n, v) = match seg.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (seg, None),
            };
            let v = match v {
                Some(v) if form.parsing.cut_at_equals => v.split('=').next(),
                v => v,
            };
            query.push(Param::from_wire(n, v, Origin::Query));
        }
    }
    if form.duplicates == Duplicates::Indexed {
        let mut count: HashMap<Vec<u8>, usize> = HashMap::new();
        for p in &query {
            *count.entry(p.name.clone()).or_default() += 1;
        }
        let mut seen: HashMap<Vec<u8>, usize> = HashMap::new();
        for p in &mut query {
            if count.get(&p.name).is_some_and(|n| *n > 1) {
                let k = seen.entry(p.name.clone()).or_default();
                p.name.extend_from_slice(format!("[{k}]").as_bytes());
                p.wire_name = format!("{}[{k}]", p.wire_name);
                *k += 1;
            }
        }
    }
    query.extend(
        req.params
            .iter()
            .filter(|p| p.origin != Origin::Query)
            .cloned(),
    );
    query
}

/// The parameters signed under `form.set` and `form.duplicates`, in wire order.
fn choose<'a>(params: &'a [Param], realm: Option<&'a [u8]>, form: &ParamForm) -> Vec<Chosen<'a>> {
    let set = &form.set;
    let mut chosen = Vec::with_capacity(params.len() + 2);
    let mut realm_done = !set.realm_included;
    let has_version = params.iter().any(|p| p.is("oauth_version"));
    for p in params {
        if !realm_done && p.origin == Origin::Header {
            push_realm(&mut chosen, realm);
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
        push_realm(&mut chosen, realm);
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
    if set.empty_token_signed && !params.iter().any(|p| p.is("oauth_token")) {
        chosen.push(Chosen {
            name: b"oauth_token",
            value: b"",
            wire_name: "oauth_token",
            wire_value: "",
            origin: Origin::Header,
        });
    }
    if set.empty_dropped {
        chosen.retain(|c| !c.value.is_empty());
    }
    match form.duplicates {
        Duplicates::First => {
            let mut seen: HashSet<&[u8]> = HashSet::new();
            chosen.retain(|c| seen.insert(c.name));
        }
        Duplicates::Last => {
            let last: HashMap<&[u8], Chosen> = chosen.iter().map(|c| (c.name, *c)).collect();
            let mut seen: HashSet<&[u8]> = HashSet::new();
            chosen = chosen
                .iter()
                .filter(|c| seen.insert(c.name))
                .filter_map(|c| last.get(c.name).copied())
                .collect();
        }
        Duplicates::All | Duplicates::Indexed => {}
    }
    chosen
}

fn push_realm<'a>(chosen: &mut Vec<Chosen<'a>>, realm: Option<&'a [u8]>) {
    if let Some(realm) = realm {
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

/// Encodes one name or value the way a client with `encoding` does; with `utf8_double`,
/// the bytes it is about to encode are first read as Latin-1 and UTF-8 encoded again.
fn encode_one(
    decoded: &[u8],
    wire: &str,
    origin: Origin,
    encoding: ParamEncoding,
    utf8_double: bool,
) -> String {
    use Cow::{Borrowed, Owned};
    let (bytes, how): (Cow<[u8]>, Option<Encoding>) = match encoding {
        ParamEncoding::Rfc => (Borrowed(decoded), Some(Encoding::Rfc)),
        ParamEncoding::PlusForSpace => (Borrowed(decoded), Some(Encoding::PlusForSpace)),
        ParamEncoding::LowercaseHex => (Borrowed(decoded), Some(Encoding::LowercaseHex)),
        ParamEncoding::ReservedUnencoded => (Borrowed(decoded), Some(Encoding::ReservedUnencoded)),
        ParamEncoding::PlusLiteral if origin != Origin::Header => {
            (Owned(decode(wire.as_bytes(), false)), Some(Encoding::Rfc))
        }
        ParamEncoding::PlusLiteral => (Borrowed(decoded), Some(Encoding::Rfc)),
        ParamEncoding::NotEncoded => (Borrowed(decoded), None),
        ParamEncoding::DoubleEncoded => (Borrowed(wire.as_bytes()), Some(Encoding::Rfc)),
        ParamEncoding::OverDecoded => (Owned(decode(decoded, false)), Some(Encoding::Rfc)),
    };
    let bytes = if utf8_double && !bytes.is_ascii() {
        Owned(latin1_as_utf8(&bytes))
    } else {
        bytes
    };
    let mut s = String::with_capacity(bytes.len() + 8);
    match how {
        Some(e) => pct_into(&mut s, &bytes, e),
        None => s.push_str(&String::from_utf8_lossy(&bytes)),
    }
    s
}

/// Each byte taken as a Latin-1 character and UTF-8 encoded (`é`, C3 A9, becomes C3 83 C2
/// A9): what Perl's Net::OAuth does to text that is already UTF-8.
fn latin1_as_utf8(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() * 2);
    for &b in bytes {
        if b < 0x80 {
            out.push(b);
        } else {
            out.push(0xC0 | (b >> 6));
            out.push(0x80 | (b & 0x3F));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rfc5849::variant::{ParamSet, QueryParsing};

    fn norm(query: &str, form: ParamForm) -> String {
        let req = Request::new("GET", &format!("https://h/p?{query}"), vec![], None).unwrap();
        normalized_params(&req, &form)
    }

    /// Expected strings written from faults.md's definitions by hand.
    #[test]
    fn catalogue_v2_switches() {
        let rfc = ParamForm::default();
        let parsing = |semicolon_split, cut_at_equals| ParamForm {
            parsing: QueryParsing {
                semicolon_split,
                cut_at_equals,
            },
            ..rfc
        };
        assert_eq!(norm("fields=id;name&a=1", rfc), "a=1&fields=id%3Bname");
        assert_eq!(
            norm("fields=id;name&a=1", parsing(true, false)),
            "a=1&fields=id&name="
        );
        assert_eq!(
            norm("cursor=c2lk=&a=1", parsing(false, true)),
            "a=1&cursor=c2lk"
        );
        let dup = |duplicates, order| ParamForm {
            duplicates,
            order,
            ..rfc
        };
        let q = "tag=red&tag=blue&a=1";
        assert_eq!(
            norm(q, dup(Duplicates::Last, ParamOrder::Rfc)),
            "a=1&tag=blue"
        );
        assert_eq!(
            norm(q, dup(Duplicates::Last, ParamOrder::Unsorted)),
            "tag=blue&a=1"
        );
        assert_eq!(
            norm(q, dup(Duplicates::First, ParamOrder::Unsorted)),
            "tag=red&a=1"
        );
        assert_eq!(
            norm(q, dup(Duplicates::Indexed, ParamOrder::Rfc)),
            "a=1&tag%5B0%5D=red&tag%5B1%5D=blue"
        );
        let by_name = dup(Duplicates::All, ParamOrder::ByNameOnly);
        assert_eq!(norm("tag=zebra&tag=apple", by_name), "tag=zebra&tag=apple");
        assert_eq!(norm("tag=zebra&tag=apple", rfc), "tag=apple&tag=zebra");
        let token = ParamForm {
            set: ParamSet {
                empty_token_signed: true,
                ..ParamSet::default()
            },
            ..rfc
        };
        assert_eq!(norm("a=1", token), "a=1&oauth_token=");
        assert_eq!(norm("a=1&oauth_token=t", token), "a=1&oauth_token=t");
        let utf8 = ParamForm {
            utf8_double_encoded: true,
            ..rfc
        };
        assert_eq!(norm("city=Z%C3%BCrich", utf8), "city=Z%C3%83%C2%BCrich");
        assert_eq!(norm("city=Zurich", utf8), "city=Zurich");
    }
}
