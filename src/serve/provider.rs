//! `serve --profile P`: the provider's verifier, routes and exact error bodies.
//!
//! Verification is the Gallery's [`Verifier`] with the provider's switches (its server form,
//! signature methods, window, `+` repair, RSA consumers); what differs per provider is only
//! what the client sees: NetSuite's "Invalid login attempt", WooCommerce's
//! `woocommerce_rest_authentication_error` JSON, Magento's "The signature is invalid. Verify
//! and try again.", X's error 32, Flickr's `oauth_problem` with `debug_sbs`, Jira's
//! `WWW-Authenticate` with `oauth_signature_base_string`, and an LTI tool's launch page.
//! Every path under the Base Address is an API route; the provider's probe endpoint answers
//! like the real one, anything else echoes what was authenticated.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::json;

use super::auth::{Arrived, Failure, Role};
use super::routes::Shared;
use crate::cli::Profile;
use crate::rfc5849::encode::pct;
use crate::rfc5849::{self, Context};

/// Whether `profile` is emulated here (the Gallery routes serve the others).
pub fn emulates(profile: Profile) -> bool {
    !matches!(profile, Profile::Auto | Profile::Alteryx | Profile::Generic)
}

/// Every path goes through [`handle`].
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

fn header_text(h: &HeaderMap, name: header::HeaderName) -> Option<String> {
    h.get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

async fn handle(State(st): State<Arc<Shared>>, req: Request) -> Response {
    let profile = st.verifier.profile;
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > st.max_body as u64) {
        return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large\n").into_response();
    }
    let (parts, body) = req.into_parts();
    let Some(relative) = parts.uri.path().strip_prefix(st.base_path.as_str()) else {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    };
    let bytes = match tokio::time::timeout(st.body_timeout, axum::body::to_bytes(body, st.max_body))
        .await
    {
        Ok(Ok(b)) => b,
        Ok(Err(_)) => {
            return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large\n").into_response()
        }
        Err(_) => return (StatusCode::REQUEST_TIMEOUT, "request body too slow\n").into_response(),
    };
    let authorization = header_text(&parts.headers, header::AUTHORIZATION);
    let content_type = header_text(&parts.headers, header::CONTENT_TYPE);
    let arrived = Arrived {
        method: parts.method.as_str(),
        relative_path: relative,
        query: parts.uri.query(),
        authorization: authorization.as_deref(),
        content_type: content_type.as_deref(),
        body: &bytes,
    };
    if let Some(f) = netsuite_realm(&st, &arrived) {
        return failure(profile, &f, "", relative);
    }
    let now = crate::fresh::unix_now();
    match st.verifier.verify(&arrived, Role::Subscription, now) {
        Ok(pair) => success(profile, &arrived, &pair.consumer_key),
        Err(f) => {
            let base = st
                .verifier
                .request(&arrived)
                .map(|r| rfc5849::base_string(&r, &st.verifier.variant(), &Context::default()))
                .unwrap_or_default();
            failure(profile, &f, &base, relative)
        }
    }
}

/// NetSuite logs in against the account the realm names: a realm other than the account
/// id of its host (`1234567-sb1...` -> `1234567_SB1`) is an invalid login, whatever the
/// signature. Hosts that are not NetSuite's (loopback) have no account to compare with.
fn netsuite_realm(st: &Shared, a: &Arrived) -> Option<Failure> {
    if st.verifier.profile != Profile::Netsuite {
        return None;
    }
    let host = crate::request::RawUrl::parse(&st.verifier.base_address)
        .ok()?
        .host;
    let account = crate::profile::lints::netsuite_account(&host)?;
    let realm = st.verifier.request(a).ok()?.realm;
    (realm.as_deref() != Some(account.as_bytes())).then_some(Failure::UnknownKey)
}

/// What an authenticated request gets.
fn success(profile: Profile, a: &Arrived, consumer_key: &str) -> Response {
    if profile == Profile::Lti {
        let body = String::from_utf8_lossy(a.body);
        let field = |name: &str| {
            body.split('&')
                .find_map(|p| p.strip_prefix(name)?.strip_prefix('='))
                .map(|v| {
                    html_escape(&String::from_utf8_lossy(&rfc5849::encode::decode(
                        v.as_bytes(),
                        true,
                    )))
                })
                .unwrap_or_default()
        };
        let page = format!(
            "<!DOCTYPE html>\n<html><head><title>Launch accepted</title></head><body>\n<h1>LTI launch accepted</h1>\n<p>lti_message_type: {}</p>\n<p>resource_link_id: {}</p>\n<p>user_id: {}</p>\n</body></html>\n",
            field("lti_message_type"),
            field("resource_link_id"),
            field("user_id"),
        );
        return ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response();
    }
    let body = json!({
        "authenticated": true,
        "provider": crate::profile::spec(profile).id,
        "consumer_key": consumer_key,
        "method": a.method,
        "path": a.relative_path,
    });
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body.to_string(),
    )
        .into_response()
}

/// The OAuth Problem Reporting name of a failure (Flickr and net.oauth servers send these).
fn problem(f: &Failure) -> &'static str {
    match f {
        Failure::Malformed(_) | Failure::Duplicate(_) | Failure::TooManyParams { .. } => {
            "parameter_rejected"
        }
        Failure::Missing(_) => "parameter_absent",
        Failure::BadVersion(_) => "version_rejected",
        Failure::UnsupportedMethod(_) => "signature_method_rejected",
        Failure::UnknownKey => "consumer_key_unknown",
        Failure::BadTimestamp | Failure::Stale { .. } => "timestamp_refused",
        Failure::Replayed => "nonce_used",
        Failure::BadSignature => "signature_invalid",
        Failure::WrongRole(_) => "permission_denied",
        Failure::Busy => "temporarily_unavailable",
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn json_response(status: StatusCode, v: serde_json::Value) -> Response {
    json_text(status, v.to_string())
}

fn json_text(status: StatusCode, text: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        text,
    )
        .into_response()
}

/// A JSON object with its keys in the order given (the providers' own order; serde_json's
/// map would sort them).
fn ordered(fields: &[(&str, serde_json::Value)]) -> String {
    let inner: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}:{v}", serde_json::Value::from(*k)))
        .collect();
    format!("{{{}}}", inner.join(","))
}

/// The provider's answer to a refused request. `base` is the base string this server
/// signed: Flickr and Jira put theirs in the answer, the others never show it.
pub fn failure(profile: Profile, f: &Failure, base: &str, path: &str) -> Response {
    let status = StatusCode::from_u16(f.status()).unwrap_or(StatusCode::UNAUTHORIZED);
    match profile {
        Profile::Netsuite => netsuite(f, path),
        Profile::Woocommerce => {
            let (code, message) = woocommerce_message(f);
            json_text(
                status,
                ordered(&[
                    ("code", code.into()),
                    ("message", message.into()),
                    ("data", json!({"status": status.as_u16()})),
                ]),
            )
        }
        Profile::Magento => {
            let message = match f {
                Failure::BadSignature => "The signature is invalid. Verify and try again.".into(),
                Failure::UnknownKey => "The consumer isn't authorized to access %resources.".into(),
                other => other.message(),
            };
            json_response(status, json!({ "message": message }))
        }
        Profile::Twitter => {
            let (code, message) = match f {
                Failure::Stale { .. } | Failure::BadTimestamp => (135, "Timestamp out of bounds."),
                _ => (32, "Could not authenticate you."),
            };
            json_response(
                status,
                json!({"errors": [{"code": code, "message": message}]}),
            )
        }
        Profile::Flickr => {
            let mut body = format!("oauth_problem={}", problem(f));
            if matches!(f, Failure::BadSignature) {
                body.push_str(&format!("&debug_sbs={}", pct(base.as_bytes())));
            }
            (
                status,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                body,
            )
                .into_response()
        }
        Profile::Jira => {
            let mut challenge = format!("OAuth realm=\"\", oauth_problem=\"{}\"", problem(f));
            let mut body = format!("oauth_problem={}", problem(f));
            if matches!(f, Failure::BadSignature) {
                challenge.push_str(&format!(
                    ", oauth_signature_base_string=\"{}\"",
                    pct(base.as_bytes())
                ));
                body.push_str(&format!(
                    "&oauth_signature_base_string={}",
                    pct(base.as_bytes())
                ));
            }
            let mut r = (status, body).into_response();
            if let Ok(v) = header::HeaderValue::from_str(&challenge) {
                r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
            }
            r
        }
        _ => {
            let page = format!(
                "<!DOCTYPE html>\n<html><head><title>Launch failed</title></head><body>\n<h1>LTI launch failed</h1>\n<p>{}</p>\n</body></html>\n",
                html_escape(&match f {
                    Failure::BadSignature => "Invalid OAuth signature: the launch could not be verified.".to_string(),
                    other => other.message(),
                })
            );
            let mut r = Response::new(Body::from(page));
            *r.status_mut() = status;
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                header::HeaderValue::from_static("text/html; charset=utf-8"),
            );
            r
        }
    }
}

/// NetSuite: every authentication failure is "Invalid login attempt" (the reason is only in
/// the Login Audit Trail); HMAC-SHA1 on a RESTlet is a 400 with HTTP's own wording.
fn netsuite(f: &Failure, path: &str) -> Response {
    if matches!(f, Failure::UnsupportedMethod(_)) {
        return (
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "The request could not be understood by the server due to malformed syntax.",
        )
            .into_response();
    }
    if path.contains("restlet.nl") {
        return json_response(
            StatusCode::UNAUTHORIZED,
            json!({"error": {"code": "INVALID_LOGIN_ATTEMPT", "message": "Invalid login attempt."}}),
        );
    }
    let detail = ordered(&[
        ("detail", "Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.".into()),
        ("o:errorCode", "INVALID_LOGIN".into()),
    ]);
    json_text(
        StatusCode::UNAUTHORIZED,
        format!(
            "{{\"type\":\"https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2\",\"title\":\"Unauthorized\",\"status\":401,\"o:errorDetails\":[{detail}]}}"
        ),
    )
}

/// WooCommerce's codes and messages (class-wc-rest-authentication.php).
fn woocommerce_message(f: &Failure) -> (&'static str, String) {
    let auth = "woocommerce_rest_authentication_error";
    match f {
        Failure::Missing(p) => (
            "woocommerce_rest_authentication_missing_parameter",
            format!("Missing OAuth parameter {p}"),
        ),
        Failure::UnknownKey => (auth, "Consumer key is invalid.".into()),
        Failure::UnsupportedMethod(_) => (
            auth,
            "Invalid signature - signature method is invalid.".into(),
        ),
        Failure::BadSignature => (
            auth,
            "Invalid signature - provided signature does not match.".into(),
        ),
        Failure::Stale { .. } | Failure::BadTimestamp => (auth, "Invalid timestamp.".into()),
        Failure::Replayed => (auth, "Invalid nonce - nonce has already been used.".into()),
        other => (auth, other.message()),
    }
}
