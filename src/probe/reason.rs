//! What the server says when it refuses: its own reason, one line, and its class.
//!
//! Verifiers written by others speak in different places: `WWW-Authenticate: OAuth
//! oauth_problem="..."` and `oauth_problem=...` bodies (the OAuth Problem Reporting
//! extension: PECL `OAuthProvider`, Net::OAuth), the Gallery's JSON `message`, plain texts
//! (oauthlib apps, the Ruby gem, passport). A nonce or timestamp refusal is not an invalid
//! signature and must not send the user after the secret. Some servers even reveal the base
//! string they expected (`debug_sbs=`, `oauth_signature_base_string=`, "Expected signature
//! base string"): that ends the guessing.

use super::transport::HttpResponse;
use crate::rfc5849::encode::decode;

/// What a refusal is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReasonClass {
    /// The signature did not verify (or the server says nothing more specific).
    Signature,
    /// The nonce was refused (reused, or a format the server does not take).
    Nonce,
    /// The timestamp is outside the server's window.
    Timestamp,
    /// The consumer key is not known.
    UnknownKey,
    /// The token is missing, unknown, expired or revoked.
    Token,
    /// The signature method is not accepted.
    Method,
}

/// The server's reason for one answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason {
    /// One line, at most [`REASON_CHARS`] characters.
    pub text: String,
    /// Its class (None for answers that are no refusal).
    pub class: ReasonClass,
}

/// The longest reason kept (a table cell, not a page).
pub const REASON_CHARS: usize = 160;

/// `oauth_problem` values (OAuth Problem Reporting) by class.
fn problem_class(p: &str) -> Option<ReasonClass> {
    Some(match p {
        "signature_invalid" => ReasonClass::Signature,
        "signature_method_rejected" => ReasonClass::Method,
        "nonce_used" => ReasonClass::Nonce,
        "timestamp_refused" => ReasonClass::Timestamp,
        "consumer_key_unknown" | "consumer_key_rejected" | "consumer_key_refused" => {
            ReasonClass::UnknownKey
        }
        p if p.starts_with("token_") || p == "permission_unknown" => ReasonClass::Token,
        _ => return None,
    })
}

/// The class a human message reads as. Order matters: "invalid nonce" mentions no
/// signature, but "signature invalid (oauth_nonce=...)" must stay a signature.
fn text_class(lower: &str) -> ReasonClass {
    if lower.contains("signature method") || lower.contains("signature_method") {
        ReasonClass::Method
    } else if lower.contains("signature") {
        ReasonClass::Signature
    } else if lower.contains("nonce") {
        ReasonClass::Nonce
    } else if lower.contains("timestamp") || lower.contains("expired request") {
        ReasonClass::Timestamp
    } else if lower.contains("token") {
        ReasonClass::Token
    } else if lower.contains("consumer") || lower.contains("client key") || lower.contains("key") {
        ReasonClass::UnknownKey
    } else {
        ReasonClass::Signature
    }
}

/// `name="value"` or `name=value` from a header or form text, decoded.
fn param_value(text: &str, name: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let at = lower.find(&format!("{name}="))?;
    let rest = &text[at + name.len() + 1..];
    let value = if let Some(q) = rest.strip_prefix('"') {
        q.split('"').next().unwrap_or_default()
    } else {
        rest.split(['&', ',', ' ', '\r', '\n'])
            .next()
            .unwrap_or_default()
    };
    Some(String::from_utf8_lossy(&decode(value.as_bytes(), true)).into_owned())
}

/// One line: tags dropped, whitespace collapsed, control characters gone, bounded.
fn one_line(text: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if in_tag => {}
            c if c.is_whitespace() || c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    let words: Vec<&str> = out.split_whitespace().collect();
    let mut line = words.join(" ");
    if line.chars().count() > REASON_CHARS {
        line = line.chars().take(REASON_CHARS - 3).collect::<String>() + "...";
    }
    line
}

/// The server's reason for a refusal (401/403/400), from the header first, then the body.
pub fn reason(resp: &HttpResponse) -> Option<Reason> {
    if !matches!(resp.status, 400 | 401 | 403) {
        return None;
    }
    let www = resp.header("www-authenticate").unwrap_or_default();
    let problem =
        param_value(www, "oauth_problem").or_else(|| param_value(&resp.body, "oauth_problem"));
    if let Some(p) = problem {
        let advice = param_value(www, "oauth_problem_advice")
            .or_else(|| param_value(&resp.body, "oauth_problem_advice"));
        let text = match advice {
            Some(a) => format!("oauth_problem={p} ({a})"),
            None => format!("oauth_problem={p}"),
        };
        let absent = param_value(www, "oauth_parameters_absent")
            .or_else(|| param_value(&resp.body, "oauth_parameters_absent"))
            .unwrap_or_default();
        // A 3-legged endpoint called without a token: every other parameter is always sent,
        // so an unnamed absent parameter is the token (passport-http-oauth names none).
        let class =
            if p == "parameter_absent" && (absent.is_empty() || absent.contains("oauth_token")) {
                ReasonClass::Token
            } else {
                problem_class(&p).unwrap_or_else(|| text_class(&p.replace('_', " ")))
            };
        let text = if absent.is_empty() {
            text
        } else {
            format!("{text} (absent: {absent})")
        };
        return Some(Reason {
            text: one_line(&text),
            class,
        });
    }
    let json = serde_json::from_str::<serde_json::Value>(&resp.body).ok();
    let from_json = json.as_ref().and_then(|v| {
        ["message", "error_description", "error", "detail", "title"]
            .iter()
            .find_map(|k| v.get(k).and_then(|m| m.as_str()).filter(|m| !m.is_empty()))
            .map(str::to_string)
    });
    // Without a base string in it: a revealed base string names every oauth_* parameter.
    let body = match revealed_base_string(&resp.body) {
        Some(_) => resp
            .body
            .split(['\n'])
            .next()
            .unwrap_or_default()
            .to_string(),
        None => resp.body.clone(),
    };
    let text = from_json
        .map(|m| one_line(&m))
        .unwrap_or_else(|| one_line(&body));
    let text = if text.is_empty() { one_line(www) } else { text };
    let class = text_class(&text.to_ascii_lowercase());
    (!text.is_empty()).then_some(Reason { text, class })
}

/// The base string a server revealed in its refusal, if it did.
pub fn revealed_base_string(body: &str) -> Option<String> {
    for marker in ["debug_sbs=", "oauth_signature_base_string="] {
        if let Some(at) = body.find(marker) {
            let rest = &body[at + marker.len()..];
            let line = rest.lines().next().unwrap_or_default().trim();
            // Form-encoded once more when it travels as a form value.
            let sbs = if !line.contains('&') && line.contains("%26") {
                String::from_utf8_lossy(&decode(line.as_bytes(), true)).into_owned()
            } else {
                line.to_string()
            };
            return well_formed(&sbs);
        }
    }
    let lower = body.to_ascii_lowercase();
    let at = lower.find("expected signature base string")?;
    let rest = &body[at + "expected signature base string".len()..];
    let rest = rest.trim_start_matches([':', ' ', '"', '\'', '=']);
    let line = rest.lines().next().unwrap_or_default();
    well_formed(line.trim().trim_end_matches(['"', '\'']))
}

/// `METHOD&uri&params`, the URI an absolute one: anything else is not a base string.
fn well_formed(s: &str) -> Option<String> {
    let mut parts = s.splitn(3, '&');
    let method = parts.next()?;
    let uri = parts.next()?;
    parts.next()?;
    (!method.is_empty()
        && method.bytes().all(|b| b.is_ascii_alphabetic())
        && uri.to_ascii_lowercase().starts_with("http"))
    .then(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, www: Option<&str>, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: www
                .map(|w| vec![("www-authenticate".to_string(), w.to_string())])
                .unwrap_or_default(),
            body: body.into(),
            ..Default::default()
        }
    }

    #[test]
    fn reads_each_verifier_dialect() {
        let r = reason(&resp(
            401,
            Some("OAuth realm=\"x\", oauth_problem=\"nonce_used\""),
            "",
        ))
        .unwrap();
        assert_eq!(
            (r.text.as_str(), r.class),
            ("oauth_problem=nonce_used", ReasonClass::Nonce)
        );
        let r = reason(&resp(
            401,
            None,
            "oauth_problem=timestamp_refused&oauth_acceptable_timestamps=1-2",
        ))
        .unwrap();
        assert_eq!(r.class, ReasonClass::Timestamp);
        let gallery = r#"{"data":null,"exceptionName":"UnauthorizedException","innerExceptionMessage":"","message":"The provided signature(oauth_signature) is invalid."}"#;
        let r = reason(&resp(401, None, gallery)).unwrap();
        assert_eq!(
            r.text,
            "The provided signature(oauth_signature) is invalid."
        );
        assert_eq!(r.class, ReasonClass::Signature);
        let r = reason(&resp(
            401,
            None,
            "<html><body><h1>401</h1>\nInvalid\tnonce format.</body></html>",
        ))
        .unwrap();
        assert_eq!(
            (r.text.as_str(), r.class),
            ("401 Invalid nonce format.", ReasonClass::Nonce)
        );
        let r = reason(&resp(401, None, "Invalid consumer key")).unwrap();
        assert_eq!(r.class, ReasonClass::UnknownKey);
        assert!(reason(&resp(200, None, "ok")).is_none());
        let long = "x".repeat(1000);
        assert_eq!(
            reason(&resp(401, None, &long))
                .unwrap()
                .text
                .chars()
                .count(),
            REASON_CHARS
        );
    }

    proptest::proptest! {
        /// Whatever a server sends, the reason is one bounded line and nothing panics.
        #[test]
        fn any_answer_gives_one_bounded_line(body in ".{0,400}", www in ".{0,200}") {
            if let Some(r) = reason(&resp(401, Some(&www), &body)) {
                proptest::prop_assert!(r.text.chars().count() <= REASON_CHARS);
                proptest::prop_assert!(!r.text.chars().any(char::is_control));
            }
            let _ = revealed_base_string(&body);
        }
    }

    #[test]
    fn an_absent_parameter_is_the_token() {
        let passport = r#"OAuth realm="Users", oauth_problem="parameter_absent""#;
        assert_eq!(
            reason(&resp(400, Some(passport), "Bad Request"))
                .unwrap()
                .class,
            ReasonClass::Token
        );
        let named = "oauth_problem=parameter_absent&oauth_parameters_absent=oauth_nonce";
        assert_ne!(
            reason(&resp(400, None, named)).unwrap().class,
            ReasonClass::Token
        );
    }

    #[test]
    fn finds_revealed_base_strings() {
        let sbs = "GET&http%3A%2F%2Fapp%2Fv1%2Fitems&oauth_consumer_key%3Dk";
        let pecl = format!("oauth_problem=signature_invalid&debug_sbs={sbs}");
        assert_eq!(revealed_base_string(&pecl).as_deref(), Some(sbs));
        let r = reason(&resp(401, None, &pecl)).unwrap();
        assert_eq!(
            r.class,
            ReasonClass::Signature,
            "the nonce inside the base string is not the reason"
        );
        let ruby = format!("Invalid signature. Expected signature base string: {sbs}\n");
        assert_eq!(revealed_base_string(&ruby).as_deref(), Some(sbs));
        let encoded = "oauth_signature_base_string=GET%26http%253A%252F%252Fapp%252Fx%26a%253D1";
        assert_eq!(
            revealed_base_string(encoded).as_deref(),
            Some("GET&http%3A%2F%2Fapp%2Fx&a%3D1")
        );
        assert_eq!(revealed_base_string("debug_sbs=nonsense"), None);
    }
}
