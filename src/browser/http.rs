//! HTTP to the provider: token requests, discovery, JWKS and UserInfo. JS moves the bytes
//! (`request` in js/api.js: `fetch` with a time-out and no cookies, a public client
//! authenticates with PKCE, never with ambient credentials); the wasm keeps the rest.

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::core::error::{AuthError, ErrorKind, Result};
use crate::core::text::decimal;
use crate::core::url::{origin_of, without_query};

#[wasm_bindgen(module = "/js/api.js")]
extern "C" {
    /// `fetch` with `Accept: application/json`, one more header, no cookies and a time-out;
    /// resolves with an [`Answer`], or `null` when no answer came (it never rejects).
    fn request(
        url: &str,
        method: &str,
        header: Option<&str>,
        value: Option<&str>,
        body: Option<&str>,
        timeout_ms: u32,
    ) -> Promise;

    /// What [`request`] resolves with: `{ status, body, redirected }`.
    type Answer;
    #[wasm_bindgen(method, getter)]
    fn status(this: &Answer) -> u16;
    #[wasm_bindgen(method, getter)]
    fn body(this: &Answer) -> String;
    #[wasm_bindgen(method, getter)]
    fn redirected(this: &Answer) -> bool;
}

/// A provider endpoint answered with a redirect. Following it would re-send the request's
/// secret (a code and its PKCE verifier, a refresh token, a bearer token) to wherever
/// `Location` points; an endpoint that redirects is misconfigured. Names the URL without its
/// query (which may carry secrets).
fn redirect_refused(url: &str) -> AuthError {
    AuthError::new(
        ErrorKind::HttpError,
        [
            "the provider answered ",
            without_query(url),
            " with a redirect: refused (requests carrying a code or token never follow redirects; configure the endpoint's final URL)",
        ]
        .concat(),
    )
}

/// An HTTP answer: status and body text.
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// The body as text.
    pub body: String,
}

/// A request on its way ([`Http::start_get`]).
pub struct Started {
    url: String,
    /// Resolves with an [`Answer`], or `null`.
    answer: Promise,
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
        self.answer(self.start_get(url)).await
    }

    /// Starts a GET of a JSON document whose answer [`Http::answer`] awaits later: a request
    /// sent beside another instead of after it. One never awaited costs nothing more.
    pub fn start_get(&self, url: &str) -> Started {
        Started { url: url.into(), answer: request(url, "GET", None, None, None, self.timeout_ms) }
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
        let answer = request(url, method, header.map(|h| h.0), header.map(|h| h.1), body, self.timeout_ms);
        self.answer(Started { url: url.into(), answer }).await
    }

    /// The answer to a started request; a redirect is refused, and no answer is a network error.
    pub async fn answer(&self, started: Started) -> Result<HttpResponse> {
        let answer = JsFuture::from(started.answer).await.ok().filter(|a| !a.is_null());
        let answer: Answer = answer.ok_or_else(|| self.network_error(&started.url))?.unchecked_into();
        if answer.redirected() {
            return Err(redirect_refused(&started.url));
        }
        Ok(HttpResponse { status: answer.status(), body: answer.body() })
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
