//! The one error type of the protocol core.
//!
//! Every failure a user can cause or suffer becomes an [`AuthError`] with a stable `code`: the
//! OAuth `error` value verbatim when the provider sent one (RFC 6749 §4.1.2.1, §5.2), or one of
//! the library's own codes in [`ErrorKind`]. Messages never carry a secret (code, verifier,
//! token): they name the field or the step that failed, nothing more.

use core::fmt;

/// The library's own stable error codes. Provider errors carry the provider's code instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The configuration (or a per-call option) is invalid; the message names the field.
    InvalidConfig,
    /// The authorization response's `state` is missing, unknown, already used or tampered with.
    StateMismatch,
    /// The authorization response is malformed (RFC 6749 §4.1.2): no code, duplicated
    /// parameters, code and error together, bad percent-encoding, response in the wrong part.
    InvalidResponse,
    /// RFC 9207: the `iss` of the authorization response is not the expected issuer, or is
    /// missing although the provider advertises it.
    IssuerMismatch,
    /// The ID token failed a check of OIDC Core §3.1.3.7 (signature, iss, aud, exp, nonce...).
    InvalidIdToken,
    /// The UserInfo response is unusable or its `sub` is not the ID token's (OIDC Core §5.3.2).
    InvalidUserinfo,
    /// The login transaction is older than its lifetime.
    TransactionExpired,
    /// The token endpoint answered 2xx with a body that is not a valid token response (§5.1).
    InvalidTokenResponse,
    /// The token or discovery endpoint answered an HTTP error without an OAuth error body.
    HttpError,
    /// The request did not reach the server or no answer came (offline, DNS, CORS, timeout).
    NetworkError,
    /// The discovery document could not be fetched, parsed or trusted.
    DiscoveryError,
    /// Browser storage failed (disabled, quota exceeded).
    StorageError,
    /// WebCrypto is unavailable (not a secure context) or failed.
    CryptoError,
    /// The access token's `not_before` is still ahead (by more than the clock skew): the
    /// device clock is most likely wrong; a refresh would not help.
    TokenNotYetValid,
    /// No usable session: the app has to call `loginRedirect()`.
    LoginRequired,
    /// An API's token needs the user first (consent to its scopes); the session stays.
    InteractionRequired,
    /// The browser refused to open the login popup (not called from a click).
    PopupBlocked,
    /// The user closed the login popup before the login finished.
    PopupClosed,
    /// A popup or frame gave no answer in time.
    Timeout,
}

impl ErrorKind {
    /// The code string exposed to JavaScript as `AuthError.code`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidConfig => "invalid_config",
            ErrorKind::StateMismatch => "state_mismatch",
            ErrorKind::InvalidResponse => "invalid_response",
            ErrorKind::IssuerMismatch => "issuer_mismatch",
            ErrorKind::InvalidIdToken => "invalid_id_token",
            ErrorKind::InvalidUserinfo => "invalid_userinfo",
            ErrorKind::TransactionExpired => "transaction_expired",
            ErrorKind::InvalidTokenResponse => "invalid_token_response",
            ErrorKind::HttpError => "http_error",
            ErrorKind::NetworkError => "network_error",
            ErrorKind::DiscoveryError => "discovery_error",
            ErrorKind::StorageError => "storage_error",
            ErrorKind::CryptoError => "crypto_error",
            ErrorKind::LoginRequired => "login_required",
            ErrorKind::TokenNotYetValid => "token_not_yet_valid",
            ErrorKind::InteractionRequired => "interaction_required",
            ErrorKind::PopupBlocked => "popup_blocked",
            ErrorKind::PopupClosed => "popup_closed",
            ErrorKind::Timeout => "timeout",
        }
    }
}

/// An error with a stable code, a human message, and what the provider said, if anything.
///
/// Boxed: every `Result` of the crate carries one, and a pointer-sized error keeps each `?` and
/// each async state machine small (measured: the wasm shrinks by several KB).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthError(pub Box<ErrorDetails>);

/// What an [`AuthError`] says; reached through the error by `Deref`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorDetails {
    /// Stable machine-readable code (`ErrorKind::as_str` or the provider's `error`).
    pub code: String,
    /// What went wrong, for a developer; never contains a secret.
    pub message: String,
    /// The provider's `error_description`, when it sent one.
    pub description: Option<String>,
    /// The HTTP status of the response that failed, when there was one.
    pub status: Option<u16>,
    /// For `interaction_required` on an API's token: the provider's own `error`
    /// (`consent_required`, `invalid_scope`, ...).
    pub provider_error: Option<String>,
    /// For `interaction_required` on an API's token: that API's scopes, space-separated.
    pub scopes: Option<String>,
}

impl AuthError {
    /// An error of the library's own.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        AuthError(Box::new(ErrorDetails {
            code: kind.as_str().into(),
            message: message.into(),
            description: None,
            status: None,
            provider_error: None,
            scopes: None,
        }))
    }

    /// Shorthand for [`ErrorKind::InvalidConfig`] naming the offending field.
    pub fn config(field: &str, problem: &str) -> Self {
        AuthError::new(ErrorKind::InvalidConfig, [field, ": ", problem].concat())
    }

    /// An error the provider reported (RFC 6749 §4.1.2.1 and §5.2). The code is kept verbatim
    /// when it is made of the characters §A.7 allows; otherwise the response is malformed.
    pub fn provider(error: &str, description: Option<&str>, status: Option<u16>) -> Self {
        if !is_error_code(error) {
            let mut e = AuthError::new(ErrorKind::InvalidResponse, "the provider sent a malformed error code");
            e.status = status;
            return e;
        }
        let message = match description {
            Some(d) => [error, ": ", d].concat(),
            None => ["the provider answered ", error].concat(),
        };
        AuthError(Box::new(ErrorDetails {
            code: error.into(),
            message,
            description: description.map(Into::into),
            status,
            provider_error: None,
            scopes: None,
        }))
    }

    /// Attaches the HTTP status of the failed response.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// The provider could not issue an API's token without the user (RFC 6749 §5.2
    /// `invalid_scope`, OIDC Core §3.1.2.6 `consent_required`, `interaction_required`; Azure AD
    /// B2C's `invalid_request` AADB2C90205, the app lacks the API's permission): that API needs a
    /// login that asks for `scopes` (`loginRedirect({ scopes })`); the session and the other
    /// APIs' tokens are fine. Other errors are returned as they are (RFC 8707 `invalid_target`
    /// among them: oidc-provider spends the refresh token before it refuses the resource).
    pub fn needing_interaction_for(self, scopes: &str) -> AuthError {
        let b2c_permission = self.code == "invalid_request"
            && self.description.as_deref().and_then(super::b2c::error_code) == Some(super::b2c::MISSING_PERMISSION);
        if !b2c_permission && !matches!(self.code.as_str(), "invalid_scope" | "consent_required" | "interaction_required") {
            return self;
        }
        let mut e = AuthError::new(
            ErrorKind::InteractionRequired,
            ["the provider needs the user to consent to '", scopes, "': loginRedirect({ scopes }) asks"].concat(),
        );
        e.provider_error = Some(self.0.code);
        e.description = self.0.description;
        e.status = self.0.status;
        e.scopes = Some(scopes.to_owned());
        e
    }

    /// Whether trying again later may succeed: no answer came (`network_error`), or a server
    /// answered that it is overloaded or failing (HTTP 429, 5xx; RFC 9110 §15.6, RFC 6585 §4).
    /// Anything else (a bad signature, a refused grant, a malformed answer) is definitive.
    pub fn is_transient(&self) -> bool {
        self.code == ErrorKind::NetworkError.as_str() || self.status.is_some_and(|s| s == 429 || (500..600).contains(&s))
    }
}

impl core::ops::Deref for AuthError {
    type Target = ErrorDetails;
    fn deref(&self) -> &ErrorDetails {
        &self.0
    }
}

impl core::ops::DerefMut for AuthError {
    fn deref_mut(&mut self) -> &mut ErrorDetails {
        &mut self.0
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

/// Stricter than RFC 6749 §A.7 (which allows any printable ASCII but `"` and `\\`): every
/// registered code (RFC 6749 §11.4, OIDC Core §3.1.2.6) is letters, digits and `_`, and apps
/// switch on it and show it; markup or spaces in a "code" mean a forged or broken response.
fn is_error_code(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// Result alias of the core.
pub type Result<T> = core::result::Result<T, AuthError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_codes_are_kept_verbatim() {
        let e = AuthError::provider("access_denied", Some("The user has cancelled"), None);
        assert_eq!(e.code, "access_denied");
        assert_eq!(e.description.as_deref(), Some("The user has cancelled"));
    }

    #[test]
    fn malformed_provider_codes_become_invalid_response() {
        for bad in ["", "quote\"d", "back\\slash", "new\nline", "ünïcode", "<script>", "two words"] {
            assert_eq!(AuthError::provider(bad, None, Some(400)).code, "invalid_response", "{bad:?}");
        }
        assert_eq!(AuthError::provider(&"x".repeat(65), None, None).code, "invalid_response");
    }

    #[test]
    fn only_missing_or_failing_answers_are_transient() {
        assert!(AuthError::new(ErrorKind::NetworkError, "offline").is_transient());
        for status in [429, 500, 503, 599] {
            assert!(AuthError::new(ErrorKind::InvalidIdToken, "jwks").with_status(status).is_transient(), "{status}");
        }
        for status in [200, 301, 400, 401, 404, 428, 600] {
            assert!(!AuthError::new(ErrorKind::InvalidIdToken, "jwks").with_status(status).is_transient(), "{status}");
        }
        assert!(!AuthError::new(ErrorKind::InvalidIdToken, "bad signature").is_transient());
        assert!(!AuthError::provider("invalid_grant", None, Some(400)).is_transient());
    }

    #[test]
    fn consent_errors_for_an_api_become_interaction_required() {
        for code in ["invalid_scope", "consent_required", "interaction_required"] {
            let e = AuthError::provider(code, Some("AADB2C90205: no permission"), Some(400)).needing_interaction_for("a b");
            assert_eq!(e.code, "interaction_required");
            assert_eq!(e.provider_error.as_deref(), Some(code));
            assert_eq!(e.scopes.as_deref(), Some("a b"));
            assert_eq!((e.description.as_deref(), e.status), (Some("AADB2C90205: no permission"), Some(400)));
        }
        let permission = AuthError::provider("invalid_request", Some("AADB2C90205: This application does not have sufficient permissions"), Some(400));
        let e = permission.needing_interaction_for("https://t.onmicrosoft.com/api/read");
        assert_eq!((e.code.as_str(), e.provider_error.as_deref()), ("interaction_required", Some("invalid_request")));
        for other in [("invalid_grant", None), ("invalid_target", None), ("invalid_request", Some("AADB2C90146: two resources"))] {
            let e = AuthError::provider(other.0, other.1, Some(400)).needing_interaction_for("a");
            assert_eq!((e.code.as_str(), e.scopes.as_deref()), (other.0, None));
        }
    }

    #[test]
    fn config_errors_name_the_field() {
        let e = AuthError::config("clientId", "is required");
        assert_eq!(e.code, "invalid_config");
        assert!(e.message.starts_with("clientId"));
    }
}
