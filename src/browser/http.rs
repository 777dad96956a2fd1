//! HTTP through `fetch` (gloo-net): token requests, discovery, JWKS and UserInfo. Every
//! request has a time-out and sends no cookies: a public client authenticates with PKCE,
//! never with ambient credentials.

use gloo_net::http::{Request, RequestBuilder};
use web_sys::{AbortSignal, RequestCredentials};

use crate::core::error::{AuthError, ErrorKind, Result};

/// An HTTP answer: status and body text.
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// The body as text.
    pub body: String,
}

/// Sends the client's requests with its time-out.
pub struct Http {
    timeout_ms: u32,
}

impl Http {
    /// Requests give up after `timeout_s` seconds.
    pub fn new(timeout_s: u32) -> Self {
        Http { timeout_ms: timeout_s.saturating_mul(1000) }
    }

    fn prepare(&self, builder: RequestBuilder) -> RequestBuilder {
        builder
            .header("Accept", "application/json")
            .credentials(RequestCredentials::Omit)
            .abort_signal(Some(&AbortSignal::timeout_with_u32(self.timeout_ms)))
    }

    /// POSTs an `application/x-www-form-urlencoded` body (RFC 6749 §4.1.3, §6).
    pub async fn post_form(&self, url: &str, body: String) -> Result<HttpResponse> {
        let request = self
            .prepare(Request::post(url).header("Content-Type", "application/x-www-form-urlencoded"))
            .body(body)
            .map_err(|_| self.network_error(url))?;
        self.send(request, url).await
    }

    /// GETs a JSON document (discovery, JWKS).
    pub async fn get(&self, url: &str) -> Result<HttpResponse> {
        let request = self.prepare(Request::get(url)).build().map_err(|_| self.network_error(url))?;
        self.send(request, url).await
    }

    /// GETs `url` with `Authorization: Bearer` (RFC 6750 §2.1), for UserInfo.
    pub async fn get_with_bearer(&self, url: &str, token: &str) -> Result<HttpResponse> {
        let request = self
            .prepare(Request::get(url).header("Authorization", &format!("Bearer {token}")))
            .build()
            .map_err(|_| self.network_error(url))?;
        self.send(request, url).await
    }

    async fn send(&self, request: Request, url: &str) -> Result<HttpResponse> {
        let response = request.send().await.map_err(|_| self.network_error(url))?;
        let status = response.status();
        let body = response.text().await.map_err(|_| self.network_error(url))?;
        Ok(HttpResponse { status, body })
    }

    /// Offline, DNS, TLS, CORS and time-outs all look alike from a page (`TypeError: Failed
    /// to fetch`). The message names the origin only: a URL's query may carry secrets.
    fn network_error(&self, url: &str) -> AuthError {
        let origin = url.split('/').take(3).collect::<Vec<_>>().join("/");
        AuthError::new(
            ErrorKind::NetworkError,
            format!(
                "no answer from {origin} (offline, blocked by CORS, or timed out after {} s)",
                self.timeout_ms / 1000
            ),
        )
    }
}
