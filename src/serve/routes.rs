//! The HTTP face of the reference Gallery: axum routes under the Base Address path, and the
//! guard in front of them that buffers the body (bounded) and runs the verifier.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, RawQuery, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::Value;

use super::auth::{Arrived, Failure, Role, Verifier};
use super::catalogue::{self, Jobs};

const FORM: &str = "application/x-www-form-urlencoded";

/// Everything the handlers share.
pub struct Shared {
    /// The verifier (keys, Base Address, replay store).
    pub verifier: Verifier,
    /// Jobs created by clients.
    pub jobs: Jobs,
    /// The Base Address path, ending in `/` (`/gallery/`).
    pub base_path: String,
    /// Largest body accepted (413 beyond).
    pub max_body: usize,
    /// How long a body may take to arrive (408 beyond).
    pub body_timeout: Duration,
}

/// The router: every Gallery route under the base path, behind the OAuth guard.
pub fn router(shared: Arc<Shared>) -> Router {
    let bp = shared.base_path.clone();
    let r = |p: &str| format!("{bp}{p}");
    Router::new()
        .route(&r("api/status/ping/"), get(ping))
        .route(
            &r("api/v1/workflows/subscription/"),
            get(subscription_workflows),
        )
        .route(&r("api/v1/workflows/{app_id}/questions/"), get(questions))
        .route(
            &r("api/v1/workflows/{app_id}/jobs/"),
            get(app_jobs).post(create_job),
        )
        .route(&r("api/v1/jobs/{job_id}/"), get(job))
        .route(&r("api/v1/jobs/{job_id}/output/{output_id}/"), get(output))
        .route(&r("api/admin/v1/workflows/"), get(admin_workflows))
        .route(&r("api/admin/v1/users/"), get(admin_users))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(shared.clone(), guard))
        .with_state(shared)
}

/// The Gallery's error body, fields in the Gallery's order.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct GalleryError<'a> {
    data: Option<()>,
    exception_name: &'a str,
    inner_exception_message: &'a str,
    message: &'a str,
}

/// An error answer in the Gallery's JSON shape.
pub fn gallery_error(status: StatusCode, exception: &str, message: &str) -> Response {
    let body = serde_json::to_string(&GalleryError {
        data: None,
        exception_name: exception,
        inner_exception_message: "",
        message,
    })
    .unwrap_or_default();
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}

fn failure_response(f: &Failure) -> Response {
    let status = StatusCode::from_u16(f.status()).unwrap_or(StatusCode::UNAUTHORIZED);
    gallery_error(status, f.exception(), &f.message())
}

fn header_text(h: &HeaderMap, name: header::HeaderName) -> Option<String> {
    h.get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// Verifies every API request except the ping; buffers the body (bounded, timed) first.
async fn guard(State(st): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let role = {
        let Some(rel) = req.uri().path().strip_prefix(st.base_path.as_str()) else {
            return next.run(req).await;
        };
        if rel.starts_with("api/status/") || !rel.starts_with("api/") {
            return next.run(req).await;
        }
        if rel.starts_with("api/admin/") {
            Role::Admin
        } else {
            Role::Subscription
        }
    };
    let too_large = || {
        gallery_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestEntityTooLargeException",
            "The request body is too large.",
        )
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > st.max_body as u64) {
        return too_large();
    }
    let (parts, body) = req.into_parts();
    let bytes = match tokio::time::timeout(st.body_timeout, axum::body::to_bytes(body, st.max_body))
        .await
    {
        Ok(Ok(b)) => b,
        Ok(Err(_)) => return too_large(),
        Err(_) => {
            return gallery_error(
                StatusCode::REQUEST_TIMEOUT,
                "RequestTimeoutException",
                "The request body did not arrive in time.",
            )
        }
    };
    let now = crate::fresh::unix_now();
    let verdict = {
        let path = parts.uri.path();
        let authorization = header_text(&parts.headers, header::AUTHORIZATION);
        let content_type = header_text(&parts.headers, header::CONTENT_TYPE);
        let arrived = Arrived {
            method: parts.method.as_str(),
            relative_path: path.get(st.base_path.len()..).unwrap_or(""),
            query: parts.uri.query(),
            authorization: authorization.as_deref(),
            content_type: content_type.as_deref(),
            body: &bytes,
        };
        st.verifier.verify(&arrived, role, now).map(|_| ())
    };
    match verdict {
        Ok(()) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(f) => failure_response(&f),
    }
}

fn json(v: Value) -> Response {
    json_text(v.to_string())
}

fn json_text(text: String) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        text,
    )
        .into_response()
}

fn not_found_msg(what: &str) -> Response {
    gallery_error(StatusCode::NOT_FOUND, "NotFoundException", what)
}

async fn not_found(req: Request) -> Response {
    not_found_msg(&format!(
        "No HTTP resource was found that matches the request URI '{}'.",
        req.uri().path()
    ))
}

async fn ping() -> Response {
    json(serde_json::json!("pong"))
}

type Params = Query<HashMap<String, String>>;

/// `limit` and `offset` from the raw query, without building a map of every (OAuth)
/// parameter: the list endpoints are what load tests call.
fn paging(q: Option<&str>) -> (Option<usize>, usize) {
    let (mut limit, mut offset) = (None, 0);
    for pair in q.unwrap_or("").split('&') {
        if let Some(v) = pair.strip_prefix("limit=") {
            limit = v.parse().ok();
        } else if let Some(v) = pair.strip_prefix("offset=") {
            offset = v.parse().unwrap_or(0);
        }
    }
    (limit, offset)
}

async fn subscription_workflows(RawQuery(q): RawQuery) -> Response {
    let (limit, offset) = paging(q.as_deref());
    json_text(catalogue::subscription_workflows(limit, offset))
}

async fn admin_workflows(RawQuery(q): RawQuery) -> Response {
    let (limit, offset) = paging(q.as_deref());
    json_text(catalogue::admin_workflows(limit, offset))
}

async fn admin_users() -> Response {
    json(catalogue::admin_users())
}

fn unknown_app(id: &str) -> Response {
    not_found_msg(&format!("No workflow with id '{id}' in this subscription."))
}

async fn questions(Path(app_id): Path<String>) -> Response {
    catalogue::questions(&app_id).map_or_else(|| unknown_app(&app_id), json)
}

async fn app_jobs(State(st): State<Arc<Shared>>, Path(app_id): Path<String>) -> Response {
    st.jobs
        .for_app(&app_id)
        .map_or_else(|| unknown_app(&app_id), json)
}

/// `POST .../jobs/` with `{"questions":[...],"priority":"..."}`: a JSON body, never signed.
async fn create_job(
    State(st): State<Arc<Shared>>,
    Path(app_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    // A form body carries the OAuth parameters (body placement), not the job: run the
    // workflow with its default answers.
    let form = header_text(&headers, header::CONTENT_TYPE)
        .is_some_and(|ct| ct.to_ascii_lowercase().starts_with(FORM));
    let parsed: Value = if body.is_empty() || form {
        serde_json::json!({})
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                return gallery_error(
                    StatusCode::BAD_REQUEST,
                    "BadRequestException",
                    &format!("The request body is not valid JSON: {e}"),
                )
            }
        }
    };
    let questions = parsed.get("questions").cloned().unwrap_or(Value::Null);
    if !(questions.is_array() || questions.is_null()) {
        return gallery_error(
            StatusCode::BAD_REQUEST,
            "BadRequestException",
            "`questions` must be an array of {\"name\",\"value\"} objects.",
        );
    }
    let priority = parsed
        .get("priority")
        .and_then(Value::as_str)
        .unwrap_or("Default");
    match st.jobs.create(&app_id, &questions, priority) {
        Some(job) => json(job),
        None => unknown_app(&app_id),
    }
}

async fn job(State(st): State<Arc<Shared>>, Path(job_id): Path<String>) -> Response {
    st.jobs.get(&job_id).map_or_else(
        || not_found_msg(&format!("No job with id '{job_id}'.")),
        json,
    )
}

async fn output(
    State(st): State<Arc<Shared>>,
    Path((job_id, output_id)): Path<(String, String)>,
    Query(q): Params,
) -> Response {
    if let Some(f) = q.get("format") {
        if !f.eq_ignore_ascii_case("raw") {
            return gallery_error(
                StatusCode::BAD_REQUEST,
                "BadRequestException",
                &format!("Output format '{f}' is not available; this server offers Raw."),
            );
        }
    }
    match st.jobs.output(&job_id, &output_id) {
        Some(csv) => ([(header::CONTENT_TYPE, "text/csv")], csv).into_response(),
        None => not_found_msg(&format!("No output '{output_id}' for job '{job_id}'.")),
    }
}
