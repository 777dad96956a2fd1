//! HTTP through `fetch` (gloo-net): the token request and the discovery document.

use gloo_net::http::Request;
use web_sys::{AbortSignal, RequestCredentials};

use crate::core::error::{AuthError, ErrorKind, Result};

/// How long a request may take before it is abandoned.
pub const TIMEOUT_MS: u32 = 30_000;

/// An HTTP answer: status and body text.
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// The body as text.
    pub body: String,
}

/// POSTs an `application/x-www-form-urlencoded` body (RFC 6749 §4.1.3). No cookies are sent:
/// a public client authenticates with PKCE, never with ambient credentials.
pub async fn post_form(url: &str, body: String) -> Result<HttpResponse> {
    let request = Request::post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .credentials(RequestCredentials::Omit)
        .abort_signal(Some(&AbortSignal::timeout_with_u32(TIMEOUT_MS)))
        .body(body)
        .map_err(|_| network_error(url))?;
    send(request, url).await
}

/// GETs a JSON document (discovery), without cookies.
pub async fn get(url: &str) -> Result<HttpResponse> {
    let request = Request::get(url)
        .header("Accept", "application/json")
        .credentials(RequestCredentials::Omit)
        .abort_signal(Some(&AbortSignal::timeout_with_u32(TIMEOUT_MS)))
        .build()
        .map_err(|_| network_error(url))?;
    send(request, url).await
}

/// GETs `url` with `Authorization: Bearer` (RFC 6750 §2.1), for UserInfo.
pub async fn get_with_bearer(url: &str, token: &str) -> Result<HttpResponse> {
    let request = Request::get(url)
        .header("Accept", "application/json")
        .header("Authorization", &format!("Bearer {token}"))
        .credentials(RequestCredentials::Omit)
        .abort_signal(Some(&AbortSignal::timeout_with_u32(TIMEOUT_MS)))
        .build()
        .map_err(|_| network_error(url))?;
    send(request, url).await
}

async fn send(request: Request, url: &str) -> Result<HttpResponse> {
    let response = request.send().await.map_err(|_| network_error(url))?;
    let status = response.status();
    let body = response.text().await.map_err(|_| network_error(url))?;
    Ok(HttpResponse { status, body })
}

/// Offline, DNS, TLS, CORS and time-outs all look alike from a page (`TypeError: Failed to fetch`).
fn network_error(url: &str) -> AuthError {
    let origin = url.split('/').take(3).collect::<Vec<_>>().join("/");
    AuthError::new(
        ErrorKind::NetworkError,
        format!("no answer from {origin} (offline, blocked by CORS, or timed out after {} s)", TIMEOUT_MS / 1000),
    )
}
