//! HTTP to the provider through `fetch`: token requests, discovery, JWKS and UserInfo. Every
//! request has a time-out and sends no cookies: a public client authenticates with PKCE,
//! never with ambient credentials.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Headers, Request, RequestCredentials, RequestInit, Response};

use crate::core::error::{AuthError, ErrorKind, Result};
use crate::core::text::decimal;
use crate::core::url::origin_of;

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

    /// POSTs an `application/x-www-form-urlencoded` body (RFC 6749 §4.1.3, §6): a CORS
    /// "simple request", so no preflight.
    pub async fn post_form(&self, url: &str, body: &str) -> Result<HttpResponse> {
        self.send(url, "POST", Some(("Content-Type", "application/x-www-form-urlencoded")), Some(body)).await
    }

    /// GETs a JSON document (discovery, JWKS).
    pub async fn get(&self, url: &str) -> Result<HttpResponse> {
        self.send(url, "GET", None, None).await
    }

    /// GETs `url` with `Authorization: Bearer` (RFC 6750 §2.1), for UserInfo.
    pub async fn get_with_bearer(&self, url: &str, token: &str) -> Result<HttpResponse> {
        self.send(url, "GET", Some(("Authorization", &["Bearer ", token].concat())), None).await
    }

    async fn send(
        &self,
        url: &str,
        method: &str,
        header: Option<(&str, &str)>,
        body: Option<&str>,
    ) -> Result<HttpResponse> {
        let failed = || self.network_error(url);
        let headers = Headers::new().map_err(|_| failed())?;
        headers.append("Accept", "application/json").map_err(|_| failed())?;
        if let Some((name, value)) = header {
            headers.append(name, value).map_err(|_| failed())?;
        }
        let init = RequestInit::new();
        init.set_method(method);
        init.set_headers(&headers);
        init.set_credentials(RequestCredentials::Omit);
        init.set_signal(Some(&AbortSignal::timeout_with_u32(self.timeout_ms)));
        if let Some(b) = body {
            init.set_body(&JsValue::from_str(b));
        }
        let request = Request::new_with_str_and_init(url, &init).map_err(|_| failed())?;
        let window = web_sys::window().ok_or_else(failed)?;
        let response: Response = JsFuture::from(window.fetch_with_request(&request))
            .await
            .ok()
            .and_then(|r| r.dyn_into().ok())
            .ok_or_else(failed)?;
        let text = response.text().map_err(|_| failed())?;
        let body = JsFuture::from(text).await.map_err(|_| failed())?.as_string().unwrap_or_default();
        Ok(HttpResponse { status: response.status(), body })
    }

    /// Offline, DNS, TLS, CORS and time-outs all look alike from a page (`TypeError: Failed
    /// to fetch`). The message names the origin only: a URL's query may carry secrets.
    fn network_error(&self, url: &str) -> AuthError {
        let origin = origin_of(url).unwrap_or_default();
        AuthError::new(
            ErrorKind::NetworkError,
            [
                "no answer from ",
                &origin,
                " (offline, blocked by CORS, or timed out after ",
                &decimal(i64::from(self.timeout_ms / 1000)),
                " s)",
            ]
            .concat(),
        )
    }
}
