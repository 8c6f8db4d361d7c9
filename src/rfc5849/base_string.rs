//! RFC 5849 section 3.4.1.1: the signature base string, assembled from its three parts.
//!
//! Assembly is split so the search can build the `METHOD&URI&` prefix once and reuse it
//! (and its SHA-1 midstate) for every parameter variant.

use super::base_uri::base_uri_into;
use super::encode::{pct_into, Encoding};
use super::params::normalized_params_into;
use super::variant::{MethodForm, Variant};
use super::Context;
use crate::request::Request;

/// The base string of `req` under `variant`.
pub fn base_string(req: &Request, variant: &Variant, ctx: &Context) -> String {
    let mut out = String::with_capacity(512);
    prefix_into(&mut out, req, variant, ctx);
    let mut params = String::with_capacity(256);
    normalized_params_into(&mut params, req, &variant.params);
    push_params(&mut out, &params, variant.params.string_not_encoded);
    out
}

/// Appends `METHOD&` + the encoded base string URI + `&`: everything before the parameters.
pub fn prefix_into(out: &mut String, req: &Request, variant: &Variant, ctx: &Context) {
    push_method(out, &req.method, variant.method);
    let mut uri = String::with_capacity(req.url.text.len());
    base_uri_into(&mut uri, &req.url, &variant.uri, ctx.host_aliases);
    push_uri(out, &uri, variant.uri.not_encoded);
}

/// Appends the method part (`GET&`, or nothing for [`MethodForm::Missing`]).
pub fn push_method(out: &mut String, method: &str, form: MethodForm) {
    match form {
        MethodForm::Upper => out.extend(method.chars().map(|c| c.to_ascii_uppercase())),
        MethodForm::Lowercase => out.extend(method.chars().map(|c| c.to_ascii_lowercase())),
        MethodForm::Swapped => out.push_str(if method.eq_ignore_ascii_case("POST") {
            "GET"
        } else {
            "POST"
        }),
        MethodForm::AsGet => out.push_str("GET"),
        MethodForm::Missing => return,
    }
    out.push('&');
}

/// Appends the base string URI, encoded unless `not_encoded`, and the `&` after it.
pub fn push_uri(out: &mut String, uri: &str, not_encoded: bool) {
    if not_encoded {
        out.push_str(uri);
    } else {
        pct_into(out, uri.as_bytes(), Encoding::Rfc);
    }
    out.push('&');
}

/// Appends the normalized parameters, encoded unless `not_encoded`.
pub fn push_params(out: &mut String, normalized: &str, not_encoded: bool) {
    if not_encoded {
        out.push_str(normalized);
    } else {
        pct_into(out, normalized.as_bytes(), Encoding::Rfc);
    }
}
