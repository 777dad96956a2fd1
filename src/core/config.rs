//! Client configuration: what the app passes to `new AuthClient(config)`, validated once so
//! that every later step can rely on it. Each rejection is `invalid_config` naming the field.

use super::apis::{check_apis, check_one_b2c_resource, Api, RawApi};
use super::authorize::Interaction;
use super::error::{AuthError, Result};
use super::id_token::DEFAULT_CLOCK_SKEW_S;
use super::text::{integer, push_separator};
use super::url::{origin_of, HttpUrl};

/// How the authorization response comes back (OAuth 2.0 Multiple Response Type Encoding
/// Practices §2.1). `form_post` needs a server to receive a POST, which a SPA does not have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResponseMode {
    /// Parameters in the URL fragment: never sent to any server, the default.
    Fragment,
    /// Parameters in the query string.
    Query,
}

impl ResponseMode {
    /// The `response_mode` value.
    pub fn as_str(self) -> &'static str {
        match self {
            ResponseMode::Fragment => "fragment",
            ResponseMode::Query => "query",
        }
    }

    /// Where in the URL the response is, for messages.
    pub fn part_name(self) -> &'static str {
        match self {
            ResponseMode::Fragment => "fragment",
            ResponseMode::Query => "query string",
        }
    }

    /// The other part of the URL.
    pub fn other(self) -> ResponseMode {
        match self {
            ResponseMode::Fragment => ResponseMode::Query,
            ResponseMode::Query => ResponseMode::Fragment,
        }
    }
}

/// Where tokens and login transactions are kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageKind {
    /// `sessionStorage`: per tab, gone when the tab closes (the default).
    Session,
    /// `localStorage`: shared by the tabs of the origin, kept across restarts.
    Local,
    /// Memory only: gone on reload (login transactions still use `sessionStorage`, which has to
    /// survive the redirect).
    Memory,
}

/// How much of each flow is traced on the console (`logLevel`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LogLevel {
    /// Nothing (the default).
    Off,
    /// The steps of each flow.
    Info,
    /// The steps and their details (endpoints, statuses, timings, cache use).
    Debug,
}

/// The configuration as read from JavaScript: every field optional, nothing checked yet.
#[derive(Clone, Debug, Default)]
pub struct RawConfig {
    /// `clientId`
    pub client_id: Option<String>,
    /// `redirectUri`
    pub redirect_uri: Option<String>,
    /// `scopes`
    pub scopes: Option<Vec<String>>,
    /// `responseMode`
    pub response_mode: Option<String>,
    /// `authority`
    pub authority: Option<String>,
    /// `metadataUrl`
    pub metadata_url: Option<String>,
    /// `issuer`
    pub issuer: Option<String>,
    /// `authorizationEndpoint`
    pub authorization_endpoint: Option<String>,
    /// `tokenEndpoint`
    pub token_endpoint: Option<String>,
    /// `endSessionEndpoint`
    pub end_session_endpoint: Option<String>,
    /// `policy`
    pub policy: Option<String>,
    /// `extraAuthParams`
    pub extra_auth_params: Vec<(String, String)>,
    /// `storage`
    pub storage: Option<String>,
    /// `apiOrigins`
    pub api_origins: Option<Vec<String>>,
    /// `expiryMarginSeconds`
    pub expiry_margin_seconds: Option<String>,
    /// `jwksUri`
    pub jwks_uri: Option<String>,
    /// `clockSkewSeconds`
    pub clock_skew_seconds: Option<String>,
    /// `postLogoutRedirectUri`
    pub post_logout_redirect_uri: Option<String>,
    /// `logLevel`
    pub log_level: Option<String>,
    /// `timeoutSeconds`
    pub timeout_seconds: Option<String>,
    /// `allowHttp`
    pub allow_http: Option<bool>,
    /// `apis`
    pub apis: Vec<RawApi>,
    /// `popupRedirectUri`
    pub popup_redirect_uri: Option<String>,
    /// `popupTimeoutSeconds`
    pub popup_timeout_seconds: Option<String>,
    /// `silentRedirectUri`
    pub silent_redirect_uri: Option<String>,
    /// `silentTimeoutSeconds`
    pub silent_timeout_seconds: Option<String>,
    /// `silentRenew`
    pub silent_renew: Option<bool>,
    /// `passwordResetPolicy`
    pub password_reset_policy: Option<String>,
}

/// A validated client configuration.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// RFC 6749 §2.2 client identifier.
    pub client_id: String,
    /// RFC 6749 §3.1.2 redirection endpoint (absolute, no fragment).
    pub redirect_uri: String,
    /// Requested scopes (RFC 6749 §3.3), in order, no duplicates.
    pub scopes: Vec<String>,
    /// How the authorization response is returned.
    pub response_mode: ResponseMode,
    /// Discovery document URL, when endpoints come from discovery.
    pub discovery_url: Option<String>,
    /// The issuer the provider must identify as, when known.
    pub issuer: Option<String>,
    /// Explicit authorization endpoint (overrides discovery).
    pub authorization_endpoint: Option<String>,
    /// Explicit token endpoint (overrides discovery).
    pub token_endpoint: Option<String>,
    /// Explicit end-session endpoint (overrides discovery).
    pub end_session_endpoint: Option<String>,
    /// Azure AD B2C policy (`p`).
    pub policy: Option<String>,
    /// Extra authorization request parameters sent on every login.
    pub extra_auth_params: Vec<(String, String)>,
    /// Where tokens are kept.
    pub storage: StorageKind,
    /// Origins `auth.fetch` may send the access token to (empty: the page's own origin).
    pub api_origins: Vec<String>,
    /// An access token is refreshed when it has less than this left (ms).
    pub expiry_margin_ms: i64,
    /// Explicit JWKS URL (overrides discovery).
    pub jwks_uri: Option<String>,
    /// Clock difference tolerated on ID token times (s).
    pub clock_skew_s: i64,
    /// Where the provider sends the browser after logout (RP-Initiated Logout 1.0 §3).
    pub post_logout_redirect_uri: String,
    /// The step log's level.
    pub log_level: LogLevel,
    /// Time-out of each request to the provider (s).
    pub timeout_s: u32,
    /// Plain http is accepted beyond loopback (`allowHttp`; never in production).
    pub allow_http: bool,
    /// The APIs `auth.fetch` and `getAccessToken({ scopes })` get their own tokens for.
    pub apis: Vec<Api>,
    /// Where a popup login lands (`popupRedirectUri`, default `redirectUri`).
    pub popup_redirect_uri: String,
    /// How long `loginPopup()` waits for the user (`popupTimeoutSeconds`, default 300).
    pub popup_timeout_ms: i64,
    /// Where a silent login's frame lands (`silentRedirectUri`, default `redirectUri`).
    pub silent_redirect_uri: String,
    /// How long `ssoSilent()` waits for the frame (`silentTimeoutSeconds`, default 10).
    pub silent_timeout_ms: i64,
    /// Whether a session whose refresh token is gone or refused tries `ssoSilent()` once
    /// before it ends (`silentRenew`, or a `silentRedirectUri` given).
    pub silent_renew: bool,
    /// Azure AD B2C: the policy a sign-in that answers "forgot password" (AADB2C90118)
    /// continues with, in the same kind of interaction (`passwordResetPolicy`).
    pub password_reset_policy: Option<String>,
}

/// Default of `timeoutSeconds`: a provider that has not answered in 30 s is not going to.
pub const DEFAULT_TIMEOUT_S: i64 = 30;

impl ClientConfig {
    /// Whether logins are OpenID Connect authentication requests (`openid` scope, OIDC Core
    /// §3.1.2.1): then a nonce is sent and an ID token is required and verified.
    pub fn is_oidc(&self) -> bool {
        self.scopes.iter().any(|s| s == "openid")
    }

    /// The rules the configured URLs passed (`allowHttp` included), for the URLs that
    /// discovery finds.
    pub fn url_rules(&self) -> UrlRules {
        UrlRules { allow_http: self.allow_http }
    }

    /// The redirect URI of a login that comes back by `interaction`.
    pub fn redirect_uri_for(&self, interaction: Interaction) -> &str {
        match interaction {
            Interaction::Redirect => &self.redirect_uri,
            Interaction::Popup => &self.popup_redirect_uri,
            Interaction::Silent => &self.silent_redirect_uri,
        }
    }

    /// The `scope` parameter of the configured scopes.
    pub fn scope(&self) -> String {
        scope_param(&self.scopes)
    }
}

/// The `scope` parameter (RFC 6749 §3.3): the scopes separated by spaces.
pub fn scope_param(scopes: &[String]) -> String {
    let mut scope = String::new();
    for s in scopes {
        push_separator(&mut scope, ' ');
        scope.push_str(s);
    }
    scope
}

/// Default of `expiryMarginSeconds`: a token with less than a minute left is refreshed, so a
/// call started now does not arrive at the API with an expired token.
pub const DEFAULT_EXPIRY_MARGIN_S: i64 = 60;

/// Authorization request parameters the library sets itself; apps cannot override them.
pub const RESERVED_AUTH_PARAMS: [&str; 10] = [
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
    "response_mode",
    "nonce",
    "p",
];

/// What [`RawConfig::check`] decided beyond "valid": the parsed choices, origins and numbers.
struct Checked {
    response_mode: ResponseMode,
    storage: StorageKind,
    api_origins: Vec<String>,
    log_level: LogLevel,
    timeout_s: u32,
    expiry_margin_ms: i64,
    clock_skew_s: i64,
    apis: Vec<Api>,
    popup_timeout_ms: i64,
    silent_timeout_ms: i64,
}

impl RawConfig {
    /// Validates every field; the first problem found is returned, naming its field.
    ///
    /// Two steps: every rule on borrowed fields, then an infallible move into the
    /// [`ClientConfig`]. One exit drops the whole `RawConfig`, where moving fields out before
    /// each check made every `?` drop a different set of them (measured: ~1 KB of wasm).
    pub fn validate(self) -> Result<ClientConfig> {
        let checked = self.check()?;
        Ok(self.into_config(checked))
    }

    fn check(&self) -> Result<Checked> {
        let urls = UrlRules { allow_http: self.allow_http.unwrap_or(false) };
        required_text("clientId", &self.client_id)?;
        let redirect_uri = required("redirectUri", &self.redirect_uri)?;
        if urls.endpoint("redirectUri", redirect_uri)?.has_fragment {
            return Err(AuthError::config("redirectUri", "must not contain a fragment (RFC 6749 §3.1.2)"));
        }
        if let Some(scopes) = &self.scopes {
            check_scopes(scopes)?;
            if self.policy.is_some() {
                check_one_b2c_resource("scopes", scopes)?;
            }
        }
        let response_mode =
            match self.response_mode.as_deref() {
                None | Some("fragment") => ResponseMode::Fragment,
                Some("query") => ResponseMode::Query,
                Some("form_post") => return Err(AuthError::config(
                    "responseMode",
                    "'form_post' needs a server to receive the POST; a single-page app can use 'fragment' or 'query'",
                )),
                Some(_) => return Err(AuthError::config("responseMode", "must be 'fragment' or 'query'")),
            };

        urls.optional("authority", &self.authority)?;
        if self.authority.as_deref().and_then(HttpUrl::parse).is_some_and(|u| u.path_and_query.contains('?')) {
            return Err(AuthError::config(
                "authority",
                "must not contain a query; use metadataUrl for a full discovery URL",
            ));
        }
        urls.optional("metadataUrl", &self.metadata_url)?;
        urls.optional("authorizationEndpoint", &self.authorization_endpoint)?;
        urls.optional("tokenEndpoint", &self.token_endpoint)?;
        urls.optional("endSessionEndpoint", &self.end_session_endpoint)?;
        let discovery = self.metadata_url.is_some() || self.authority.is_some();
        if !discovery {
            for (field, value) in
                [("authorizationEndpoint", &self.authorization_endpoint), ("tokenEndpoint", &self.token_endpoint)]
            {
                if value.is_none() {
                    return Err(AuthError::config(
                        field,
                        "is required when neither authority nor metadataUrl is given",
                    ));
                }
            }
        }
        if let Some(i) = &self.issuer {
            urls.endpoint("issuer", i)?;
        }
        urls.optional("jwksUri", &self.jwks_uri)?;
        let openid = self.scopes.as_ref().is_none_or(|s| s.iter().any(|s| s == "openid"));
        if !discovery && openid {
            // Without discovery, ID tokens can only be verified against what the app names.
            for (field, value) in [("issuer", &self.issuer), ("jwksUri", &self.jwks_uri)] {
                if value.is_none() {
                    return Err(AuthError::config(
                        field,
                        "is required with the openid scope when endpoints are explicit",
                    ));
                }
            }
        }
        let clock_skew_s = whole_seconds("clockSkewSeconds", &self.clock_skew_seconds, DEFAULT_CLOCK_SKEW_S)?;
        if let Some(u) = &self.post_logout_redirect_uri {
            urls.endpoint("postLogoutRedirectUri", u)?;
        }
        if let Some(p) = &self.policy {
            check_policy("policy", p)?;
        }
        if let Some(p) = &self.password_reset_policy {
            check_policy("passwordResetPolicy", p)?;
        }
        for (k, v) in &self.extra_auth_params {
            check_extra_param("extraAuthParams", k, v)?;
        }

        let storage = match self.storage.as_deref() {
            None | Some("session") => StorageKind::Session,
            Some("local") => StorageKind::Local,
            Some("memory") => StorageKind::Memory,
            Some(_) => return Err(AuthError::config("storage", "must be 'session', 'local' or 'memory'")),
        };
        let mut api_origins = Vec::new();
        for o in self.api_origins.as_deref().unwrap_or_default() {
            api_origins.push(api_origin(o).ok_or_else(|| {
                AuthError::config("apiOrigins", "each entry must be an origin such as 'https://api.example.com'")
            })?);
        }
        let log_level = match self.log_level.as_deref() {
            None | Some("off") => LogLevel::Off,
            Some("info") => LogLevel::Info,
            Some("debug") => LogLevel::Debug,
            Some(_) => return Err(AuthError::config("logLevel", "must be 'off', 'info' or 'debug'")),
        };
        let timeout_s = match whole_seconds("timeoutSeconds", &self.timeout_seconds, DEFAULT_TIMEOUT_S)? {
            0 => return Err(AuthError::config("timeoutSeconds", "must be at least 1")),
            s => s as u32,
        };
        let expiry_margin_ms =
            whole_seconds("expiryMarginSeconds", &self.expiry_margin_seconds, DEFAULT_EXPIRY_MARGIN_S)? * 1000;
        let apis = check_apis(&self.apis, urls, self.policy.is_some())?;
        urls.optional("popupRedirectUri", &self.popup_redirect_uri)?;
        urls.optional("silentRedirectUri", &self.silent_redirect_uri)?;
        let popup_timeout_ms = timeout_ms("popupTimeoutSeconds", &self.popup_timeout_seconds, 300)?;
        let silent_timeout_ms = timeout_ms("silentTimeoutSeconds", &self.silent_timeout_seconds, 10)?;
        Ok(Checked {
            response_mode,
            storage,
            api_origins,
            log_level,
            timeout_s,
            expiry_margin_ms,
            clock_skew_s,
            apis,
            popup_timeout_ms,
            silent_timeout_ms,
        })
    }

    /// The checked configuration, with its defaults filled in.
    fn into_config(self, checked: Checked) -> ClientConfig {
        let redirect_uri = self.redirect_uri.unwrap_or_default();
        let mut scopes: Vec<String> = Vec::new();
        for s in self.scopes.unwrap_or_else(|| vec!["openid".into()]) {
            if !scopes.contains(&s) {
                scopes.push(s);
            }
        }
        let discovery_url = self.metadata_url.or_else(|| {
            self.authority.as_ref().map(|a| [a.trim_end_matches('/'), "/.well-known/openid-configuration"].concat())
        });
        ClientConfig {
            client_id: self.client_id.unwrap_or_default(),
            post_logout_redirect_uri: self.post_logout_redirect_uri.unwrap_or_else(|| redirect_uri.clone()),
            popup_redirect_uri: self.popup_redirect_uri.unwrap_or_else(|| redirect_uri.clone()),
            silent_redirect_uri: self.silent_redirect_uri.clone().unwrap_or_else(|| redirect_uri.clone()),
            redirect_uri,
            scopes,
            response_mode: checked.response_mode,
            discovery_url,
            issuer: self.issuer.or(self.authority),
            authorization_endpoint: self.authorization_endpoint,
            token_endpoint: self.token_endpoint,
            end_session_endpoint: self.end_session_endpoint,
            policy: self.policy,
            extra_auth_params: self.extra_auth_params,
            storage: checked.storage,
            api_origins: checked.api_origins,
            expiry_margin_ms: checked.expiry_margin_ms,
            jwks_uri: self.jwks_uri,
            clock_skew_s: checked.clock_skew_s,
            log_level: checked.log_level,
            timeout_s: checked.timeout_s,
            allow_http: self.allow_http.unwrap_or(false),
            apis: checked.apis,
            popup_timeout_ms: checked.popup_timeout_ms,
            silent_timeout_ms: checked.silent_timeout_ms,
            silent_renew: self.silent_renew.unwrap_or(self.silent_redirect_uri.is_some()),
            password_reset_policy: self.password_reset_policy,
        }
    }
}

/// An `apiOrigins` entry as an origin (lowercase, no trailing slash), when it is one.
fn api_origin(o: &str) -> Option<String> {
    origin_of(o).filter(|origin| *origin == o.trim_end_matches('/').to_ascii_lowercase())
}

/// Azure AD B2C policy names: letters, digits, `_` and `-`; case and prefix are not judged.
pub fn check_policy(field: &str, policy: &str) -> Result<()> {
    if policy.is_empty()
        || policy.len() > 128
        || !policy.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err(AuthError::config(field, "must be a policy name of letters, digits, '_' and '-'"));
    }
    Ok(())
}

/// Checks one extra authorization parameter (from config or from a `loginRedirect` call).
pub fn check_extra_param(field: &str, key: &str, value: &str) -> Result<()> {
    if key.is_empty() || key.bytes().any(|b| b.is_ascii_control()) || value.bytes().any(|b| b.is_ascii_control()) {
        return Err(AuthError::config(field, "parameter names must be non-empty and free of control characters"));
    }
    if RESERVED_AUTH_PARAMS.contains(&key) {
        return Err(AuthError::config(field, &["'", key, "' is set by the library and cannot be overridden"].concat()));
    }
    Ok(())
}

/// A time-out of whole seconds from 1 to a day, in ms.
fn timeout_ms(field: &str, value: &Option<String>, default: i64) -> Result<i64> {
    match whole_seconds(field, value, default)? {
        0 => Err(AuthError::config(field, "must be at least 1")),
        s => Ok(s * 1000),
    }
}

/// A number of seconds from 0 to a day, whole, given as JSON number text (`JSON.stringify`
/// writes whole numbers below 10^21 as plain digits): no float parsing reaches the wasm.
fn whole_seconds(field: &str, value: &Option<String>, default: i64) -> Result<i64> {
    let Some(text) = value else { return Ok(default) };
    match integer(text) {
        Some(s) if (0..=86_400).contains(&s) => Ok(s),
        _ => Err(AuthError::config(field, "must be a whole number of seconds from 0 to 86400")),
    }
}

fn required<'a>(field: &str, value: &'a Option<String>) -> Result<&'a str> {
    value.as_deref().filter(|v| !v.is_empty()).ok_or_else(|| AuthError::config(field, "is required"))
}

fn required_text(field: &str, value: &Option<String>) -> Result<()> {
    if required(field, value)?.chars().any(char::is_control) {
        return Err(AuthError::config(field, "must not contain control characters"));
    }
    Ok(())
}

/// RFC 6749 §3.1, §10.9: which URLs may carry OAuth traffic.
#[derive(Clone, Copy, Debug)]
pub struct UrlRules {
    /// `allowHttp`: plain http beyond loopback, for test set-ups behind TLS-terminating proxies.
    pub allow_http: bool,
}

impl UrlRules {
    /// Whether `url` may carry OAuth traffic: https anywhere, plain http on loopback, or
    /// anywhere with `allowHttp`.
    pub fn permits(&self, url: &HttpUrl<'_>) -> bool {
        self.allow_http || url.is_secure_or_loopback()
    }

    fn endpoint<'a>(&self, field: &str, value: &'a str) -> Result<HttpUrl<'a>> {
        let url = HttpUrl::parse(value).ok_or_else(|| AuthError::config(field, "must be an absolute http(s) URL"))?;
        if !self.permits(&url) {
            return Err(AuthError::config(
                field,
                "must use https (plain http is allowed only for localhost, or with allowHttp: true)",
            ));
        }
        Ok(url)
    }

    fn optional(&self, field: &str, value: &Option<String>) -> Result<()> {
        let Some(v) = value else { return Ok(()) };
        if self.endpoint(field, v)?.has_fragment {
            return Err(AuthError::config(field, "must not contain a fragment"));
        }
        Ok(())
    }
}

/// RFC 6749 §3.3: `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`.
/// RFC 6749 §3.3: scope tokens are printable ASCII without spaces, quotes or backslashes.
pub fn check_scopes(scopes: &[String]) -> Result<()> {
    for s in scopes {
        if s.is_empty() || !s.bytes().all(|b| matches!(b, 0x21 | 0x23..=0x5B | 0x5D..=0x7E)) {
            return Err(AuthError::config("scopes", "each scope must be a non-empty token without spaces or quotes"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> RawConfig {
        RawConfig {
            client_id: Some("spa".into()),
            redirect_uri: Some("http://localhost:8080/".into()),
            authority: Some("http://localhost:4000".into()),
            ..RawConfig::default()
        }
    }

    fn field_of(err: AuthError) -> String {
        assert_eq!(err.code, "invalid_config");
        err.message.split(':').next().unwrap_or_default().to_owned()
    }

    #[test]
    fn defaults() {
        let c = base().validate().unwrap();
        assert_eq!(c.scopes, ["openid"]);
        assert_eq!(c.response_mode, ResponseMode::Fragment);
        assert_eq!(c.storage, StorageKind::Session);
        assert_eq!(c.discovery_url.as_deref(), Some("http://localhost:4000/.well-known/openid-configuration"));
        assert_eq!(c.issuer.as_deref(), Some("http://localhost:4000"));
        assert_eq!(c.expiry_margin_ms, 60_000);
        assert_eq!(c.clock_skew_s, 300);
        assert_eq!(c.post_logout_redirect_uri, "http://localhost:8080/");
        assert!(c.is_oidc());
    }

    #[test]
    #[allow(clippy::type_complexity)]
    fn each_bad_field_is_named() {
        let cases: Vec<(&str, Box<dyn Fn(&mut RawConfig)>)> = vec![
            ("clientId", Box::new(|c| c.client_id = None)),
            ("clientId", Box::new(|c| c.client_id = Some(String::new()))),
            ("redirectUri", Box::new(|c| c.redirect_uri = None)),
            ("redirectUri", Box::new(|c| c.redirect_uri = Some("/callback".into()))),
            ("redirectUri", Box::new(|c| c.redirect_uri = Some("http://example.com/cb".into()))),
            ("redirectUri", Box::new(|c| c.redirect_uri = Some("https://example.com/cb#x".into()))),
            ("scopes", Box::new(|c| c.scopes = Some(vec!["openid profile".into()]))),
            ("responseMode", Box::new(|c| c.response_mode = Some("form_post".into()))),
            ("responseMode", Box::new(|c| c.response_mode = Some("Query".into()))),
            ("authority", Box::new(|c| c.authority = Some("http://op.example.com".into()))),
            ("authority", Box::new(|c| c.authority = Some("https://op.example.com/?p=x".into()))),
            ("metadataUrl", Box::new(|c| c.metadata_url = Some("not a url".into()))),
            ("authorizationEndpoint", Box::new(|c| c.authority = None)),
            (
                "tokenEndpoint",
                Box::new(|c| {
                    c.authority = None;
                    c.authorization_endpoint = Some("https://op.example.com/authorize".into());
                }),
            ),
            ("issuer", Box::new(|c| c.issuer = Some("op".into()))),
            ("policy", Box::new(|c| c.policy = Some("b2c 1".into()))),
            ("extraAuthParams", Box::new(|c| c.extra_auth_params = vec![("state".into(), "x".into())])),
            ("storage", Box::new(|c| c.storage = Some("cookie".into()))),
            ("apiOrigins", Box::new(|c| c.api_origins = Some(vec!["https://api.example.com/v1".into()]))),
            ("expiryMarginSeconds", Box::new(|c| c.expiry_margin_seconds = Some("-1".into()))),
            ("expiryMarginSeconds", Box::new(|c| c.expiry_margin_seconds = Some("1.5".into()))),
            ("clockSkewSeconds", Box::new(|c| c.clock_skew_seconds = Some("100000".into()))),
            ("logLevel", Box::new(|c| c.log_level = Some("verbose".into()))),
            ("timeoutSeconds", Box::new(|c| c.timeout_seconds = Some("0".into()))),
            ("jwksUri", Box::new(|c| c.jwks_uri = Some("http://keys.example.com/".into()))),
            ("postLogoutRedirectUri", Box::new(|c| c.post_logout_redirect_uri = Some("bye".into()))),
            (
                "issuer",
                Box::new(|c| {
                    c.authority = None;
                    c.authorization_endpoint = Some("https://op.example.com/authorize".into());
                    c.token_endpoint = Some("https://op.example.com/token".into());
                }),
            ),
            (
                "jwksUri",
                Box::new(|c| {
                    c.authority = None;
                    c.issuer = Some("https://op.example.com".into());
                    c.authorization_endpoint = Some("https://op.example.com/authorize".into());
                    c.token_endpoint = Some("https://op.example.com/token".into());
                }),
            ),
        ];
        for (field, break_it) in cases {
            let mut c = base();
            break_it(&mut c);
            assert_eq!(field_of(c.validate().unwrap_err()), field);
        }
    }

    #[test]
    fn plain_http_beyond_loopback_only_when_allowed() {
        let mut c = base();
        c.authority = Some("http://op.internal.test".into());
        assert!(c.clone().validate().unwrap_err().message.contains("allowHttp"));
        c.allow_http = Some(true);
        assert!(c.validate().unwrap().allow_http);
    }

    #[test]
    fn form_post_is_explained() {
        let mut c = base();
        c.response_mode = Some("form_post".into());
        assert!(c.validate().unwrap_err().message.contains("server"));
    }

    #[test]
    fn explicit_endpoints_without_discovery() {
        let mut c = base();
        c.authority = None;
        c.authorization_endpoint = Some("https://op.example.com/authorize?p=B2C_1A_signin".into());
        c.token_endpoint = Some("https://op.example.com/token".into());
        c.issuer = Some("https://op.example.com".into());
        c.jwks_uri = Some("https://op.example.com/keys".into());
        c.scopes = Some(vec!["openid".into(), "offline_access".into(), "openid".into()]);
        c.api_origins = Some(vec!["https://API.example.com".into()]);
        let c = c.validate().unwrap();
        assert_eq!(c.discovery_url, None);
        assert_eq!(c.scopes, ["openid", "offline_access"]);
        assert_eq!(c.api_origins, ["https://api.example.com"]);
    }
}
