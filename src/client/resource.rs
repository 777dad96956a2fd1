//! `auth.fetch`: the app's calls to its APIs with `Authorization: Bearer` (RFC 6750 §2.1), the
//! token forwarded to the backend as in API Management's "forward the token" pattern. JS moves
//! the request (js/client.js); these are its two decisions.

use super::Client;
use crate::browser::location;
use crate::core::error::{AuthError, ErrorKind, Result};
use crate::core::resource::{is_invalid_token_challenge, may_carry_token};

impl Client {
    /// The access token for a request to `url`: its API's (the `apis` entry with the longest
    /// matching URL), else the login's for the page's origin or `apiOrigins`, else `None` (the
    /// request goes without one). Throws `login_required` without a session.
    pub async fn bearer_for(&self, url: &str) -> Result<Option<String>> {
        let token = match self.api_key_for(url) {
            Some(key) => self.api_access_token(key).await?,
            None if may_carry_token(url, &location::current()?.origin, &self.config.api_origins) => {
                self.access_token().await?
            }
            None => return Ok(None),
        };
        match token {
            Some(token) => Ok(Some(token)),
            None => Err(AuthError::new(ErrorKind::LoginRequired, "auth.fetch needs a session: log in first")),
        }
    }

    /// After a 401 to a request to `url` that carried `rejected`: a token (of the same API) for
    /// one retry when the
    /// `WWW-Authenticate` challenge says the token itself was refused (RFC 6750 §3.1), else
    /// `None` (the 401 stands).
    pub async fn retry_token(&self, url: &str, rejected: &str, challenge: Option<&str>) -> Result<Option<String>> {
        if !challenge.is_some_and(is_invalid_token_challenge) {
            return Ok(None);
        }
        match self.api_key_for(url) {
            Some(key) => self.api_token_after_rejection(key, rejected).await.map(Some),
            None => self.token_after_rejection(rejected).await.map(Some),
        }
    }
}
