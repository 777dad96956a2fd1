//! `auth.fetch`: the app's calls to its APIs with `Authorization: Bearer` (RFC 6750 §2.1), the
//! token forwarded to the backend as in API Management's "forward the token" pattern.

use wasm_bindgen::JsValue;
use web_sys::Response;

use super::Client;
use crate::browser::{fetch, location};
use crate::core::error::{AuthError, ErrorKind, Result};
use crate::core::resource::{is_invalid_token_challenge, may_carry_token};

impl Client {
    /// Like `window.fetch(input, init)`, with the access token on requests to allowed origins.
    /// A 401 whose `WWW-Authenticate` says `invalid_token` gets one refresh and one retry.
    pub async fn fetch(&self, input: &JsValue, init: &JsValue) -> Result<Response> {
        let request = fetch::build_request(input, init)?;
        let page_origin = location::current()?.origin;
        if fetch::has_authorization(&request)
            || !may_carry_token(&request.url(), &page_origin, &self.config.api_origins)
        {
            return fetch::send(&request).await;
        }
        let token = self
            .access_token()
            .await?
            .ok_or_else(|| AuthError::new(ErrorKind::LoginRequired, "auth.fetch needs a session: log in first"))?;
        let response = fetch::send(&fetch::with_bearer(&request, &token)?).await?;
        let refused = response.status() == 401
            && fetch::www_authenticate(&response).is_some_and(|h| is_invalid_token_challenge(&h));
        if !refused {
            return Ok(response);
        }
        let token = self.token_after_rejection(&token).await?;
        fetch::send(&fetch::with_bearer(&request, &token)?).await
    }
}
