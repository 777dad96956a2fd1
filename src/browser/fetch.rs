//! `fetch` of the app's own requests to its APIs (RFC 6750 §2.1 Bearer header).

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

use crate::core::error::{AuthError, ErrorKind, Result};

/// `new Request(input, init)`, as `window.fetch` would build it.
pub fn build_request(input: &JsValue, init: &JsValue) -> Result<Request> {
    let init: RequestInit =
        if init.is_undefined() || init.is_null() { RequestInit::new() } else { init.clone().unchecked_into() };
    let built = match input.dyn_ref::<Request>() {
        Some(request) => Request::new_with_request_and_init(request, &init),
        None => {
            let url = js_sys::JsString::from(input.clone());
            Request::new_with_str_and_init(&String::from(url), &init)
        }
    };
    built.map_err(|e| {
        let why = e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_default();
        AuthError::config("fetch", &["invalid request: ", &why].concat())
    })
}

/// Whether the app set its own `Authorization` header (then we leave the request alone).
pub fn has_authorization(request: &Request) -> bool {
    request.headers().has("Authorization").unwrap_or(false)
}

/// A copy of `request` carrying `Authorization: Bearer <token>`.
pub fn with_bearer(request: &Request, token: &str) -> Result<Request> {
    let copy = request.clone().map_err(|_| AuthError::config("fetch", "the request body was already used"))?;
    copy.headers()
        .set("Authorization", &["Bearer ", token].concat())
        .map_err(|_| AuthError::config("fetch", "the request's headers cannot be changed (mode 'no-cors'?)"))?;
    Ok(copy)
}

/// Sends `request` with `window.fetch`. A network failure rejects like `fetch` would, as an
/// `AuthError` `network_error`.
pub async fn send(request: &Request) -> Result<Response> {
    let window = web_sys::window().ok_or_else(|| AuthError::new(ErrorKind::NetworkError, "no window"))?;
    let response = JsFuture::from(window.fetch_with_request(request))
        .await
        .map_err(|_| AuthError::new(ErrorKind::NetworkError, "fetch failed (offline, or refused by CORS)"))?;
    response
        .dyn_into::<Response>()
        .map_err(|_| AuthError::new(ErrorKind::NetworkError, "fetch did not answer a Response"))
}

/// The response's `WWW-Authenticate` header (readable cross-origin only when the API lists it
/// in `Access-Control-Expose-Headers`).
pub fn www_authenticate(response: &Response) -> Option<String> {
    response.headers().get("WWW-Authenticate").ok().flatten()
}
