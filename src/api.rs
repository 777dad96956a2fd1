//! The JavaScript API: `AuthClient` and `AuthError`, with the names of DESIGN.md (a contract).
//!
//! Options objects reach the wasm as JSON text (`optionsJson` in js/api.js) and are read field
//! by field by [`crate::core::options`], which names a wrong or misspelt field.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;

use crate::browser::{interaction, set_property};
use crate::client::{oidc, session, Client};
use crate::core::authorize::LoginOptions;
use crate::core::b2c;
use crate::core::error::AuthError;
use crate::core::options;

#[wasm_bindgen(module = "/js/api.js")]
extern "C" {
    /// The JS class `AuthError extends Error`.
    #[wasm_bindgen(js_name = AuthError)]
    type JsAuthError;

    #[wasm_bindgen(constructor, js_class = "AuthError")]
    fn new(
        code: &str,
        message: &str,
        description: Option<String>,
        status: Option<u16>,
        b2c_code: Option<String>,
        provider_error: Option<String>,
        scopes: Option<String>,
    ) -> JsAuthError;

    /// The options object as JSON text, `skip` left out.
    #[wasm_bindgen(js_name = optionsJson)]
    fn options_json(value: &JsValue, skip: Option<&str>) -> Option<String>;
}

impl From<AuthError> for JsValue {
    fn from(e: AuthError) -> JsValue {
        let b2c_code = e.description.as_deref().and_then(b2c::error_code).map(str::to_owned);
        let e = *e.0;
        JsAuthError::new(&e.code, &e.message, e.description, e.status, b2c_code, e.provider_error, e.scopes).into()
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Options of `new AuthClient(config)`. */
export interface AuthClientConfig {
  clientId: string;
  redirectUri: string;
  /** Default `['openid']`. */
  scopes?: string[];
  /** Default `'fragment'`. `'form_post'` needs a server and is rejected. */
  responseMode?: 'fragment' | 'query';
  /** Issuer/authority; discovery at `<authority>/.well-known/openid-configuration`. */
  authority?: string;
  /** Explicit discovery document URL (Azure AD B2C policy metadata). */
  metadataUrl?: string;
  /** Expected issuer when it differs from the authority (B2C's tenant-GUID issuer). */
  issuer?: string;
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
  endSessionEndpoint?: string;
  /** Azure AD B2C policy `p`, sent on authorize and in the token endpoint's query string. */
  policy?: string;
  extraAuthParams?: Record<string, string>;
  /** Default `'session'`. */
  storage?: 'session' | 'local' | 'memory';
  /** Origins `auth.fetch` may send the token to; default: the page's origin. */
  apiOrigins?: string[];
  /** A token with less than this many seconds left is refreshed before use. Default 60. */
  expiryMarginSeconds?: number;
  /** JWKS URL for ID token signatures when endpoints are explicit (discovery provides it otherwise). */
  jwksUri?: string;
  /** Clock difference tolerated on ID token `exp`/`iat`/`nbf`. Default 300. */
  clockSkewSeconds?: number;
  /** Where the provider returns after logout. Default: `redirectUri`. */
  postLogoutRedirectUri?: string;
  /** Trace each step on the console (never a secret). Default `'off'`. */
  logLevel?: 'off' | 'info' | 'debug';
  /** Where a popup login lands (same origin; its page relays the response). Default: `redirectUri`. */
  popupRedirectUri?: string;
  /** How long `loginPopup()` waits for the user. Default 300. */
  popupTimeoutSeconds?: number;
  /** Where `ssoSilent()`'s hidden frame lands (same origin). Default: `redirectUri`. */
  silentRedirectUri?: string;
  /** How long `ssoSilent()` waits for the frame. Default 10. */
  silentTimeoutSeconds?: number;
  /** Renew a session whose refresh token is gone or refused with `ssoSilent()` once before it ends. Default: true when `silentRedirectUri` is set. */
  silentRenew?: boolean;
  /** Azure AD B2C: the policy a sign-in answering "forgot password" (AADB2C90118) continues with, redirect or popup alike. */
  passwordResetPolicy?: string;
  /** Time-out of each request to the provider. Default 30. */
  timeoutSeconds?: number;
  /** Accept plain-http endpoints beyond localhost (test set-ups only). Default false. */
  allowHttp?: boolean;
  /**
   * APIs that get their own access token from the session's refresh token: `auth.fetch` sends
   * a request to the entry whose `url` is its longest prefix that entry's token.
   */
  apis?: ApiConfig[];
}

/** One API of `apis`. */
export interface ApiConfig {
  /** Origin and path prefix (https, or http on loopback); no query or fragment. */
  url: string;
  /** The scopes of its token (one resource with Azure AD B2C). */
  scopes: string[];
  /** RFC 8707 resource indicator, sent with the login and with each grant of its token. */
  resource?: string;
}

/** Options of `getAccessToken()`: without them, the login's token. */
export interface AccessTokenOptions {
  /** The API's scopes (compared as a set). */
  scopes: string[];
  /** RFC 8707 resource indicator. */
  resource?: string;
}

/** Claims of the verified ID token (OIDC Core §2, §5.1). */
export interface User {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  nonce?: string;
  name?: string;
  email?: string;
  [claim: string]: unknown;
}

/** Methods of `AuthClient` written in JS (js/client.js). */
export interface AuthClient {
  /**
   * `fetch` with `Authorization: Bearer` on requests to the page's origin or `apiOrigins`
   * (a request with its own `Authorization` header is left alone); on a 401 whose
   * `WWW-Authenticate` says `invalid_token`, one refresh and one retry.
   */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /**
   * Calls `callback` on `event`: `tokensChanged` (the new `TokenSet`), `loggedOut`,
   * `refreshFailed` (the `AuthError`), `silentRenewed`, `silentRenewFailed` (the `AuthError`).
   * Adding the same callback twice adds it once.
   */
  on(event: AuthEventName, callback: Function): void;
  /** Stops calling `callback` on `event`. */
  off(event: AuthEventName, callback: Function): void;
}

/** Events of `auth.on(name, callback)`. */
export type AuthEventName = 'tokensChanged' | 'loggedOut' | 'refreshFailed' | 'silentRenewed' | 'silentRenewFailed';

/** Options of `loginRedirect()`. */
export interface LoginRedirectOptions {
  prompt?: 'none' | 'login' | 'consent' | 'select_account' | (string & {});
  loginHint?: string;
  /** Any JSON-serialisable value, handed back by `handleRedirectCallback()`. */
  appState?: unknown;
  /** More authorization parameters for this login (`domain_hint`, `ui_locales`, ...). */
  extraParams?: Record<string, string>;
  /** Azure AD B2C: another policy for this login only (edit profile, sign up); its tokens replace the session's. */
  policy?: string;
  /** More scopes to consent to in this login (after `interaction_required` for an API). */
  scopes?: string[];
}

/** The tokens of the session. */
export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  /** When the access token expires, in ms since the epoch (like `Date.now()`); absent when the provider did not say. */
  expiresAt?: number;
  scope?: string;
  tokenType: 'Bearer';
  /** In a `tokensChanged` payload: which API's token changed (absent: the login's). */
  api?: { scopes: string[]; resource?: string };
}

/** Stable codes of `AuthError.code`; provider errors (`access_denied`, `invalid_grant`, ...) come verbatim. */
export type AuthErrorCode =
  | 'invalid_config' | 'state_mismatch' | 'invalid_response' | 'issuer_mismatch' | 'transaction_expired'
  | 'invalid_token_response' | 'http_error' | 'network_error' | 'discovery_error' | 'storage_error'
  | 'crypto_error' | 'login_required' | 'invalid_id_token' | 'invalid_userinfo' | 'token_not_yet_valid'
  | 'interaction_required' | 'popup_blocked' | 'popup_closed' | 'timeout'
  | 'access_denied' | 'invalid_request' | 'unauthorized_client' | 'unsupported_response_type' | 'invalid_scope'
  | 'server_error' | 'temporarily_unavailable' | 'invalid_grant' | 'invalid_client' | 'unsupported_grant_type'
  | (string & {});
"#;

/// An OAuth 2.0 / OpenID Connect client for this page.
#[wasm_bindgen]
pub struct AuthClient {
    inner: Rc<Client>,
    /// The one handling of this page's callback: a second call (React StrictMode) shares it.
    callback: RefCell<Option<Promise>>,
}

#[wasm_bindgen]
impl AuthClient {
    /// Validates `config`; throws `AuthError` (`invalid_config`) naming the bad field.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "AuthClientConfig")] config: JsValue,
    ) -> Result<AuthClient, JsValue> {
        let raw = options::read_config(options_json(&config, None).as_deref())?;
        let inner = Rc::new(Client::new(raw.validate()?)?);
        // A copy of another tab drops the inherited refresh token as soon as it is known.
        let settling = inner.clone();
        wasm_bindgen_futures::spawn_local(async move {
            settling.leave_inherited_refresh_token().await;
        });
        Ok(AuthClient { inner, callback: Default::default() })
    }

    /// Starts a login: saves a transaction and navigates to the authorization endpoint.
    #[wasm_bindgen(js_name = loginRedirect, unchecked_return_type = "Promise<void>")]
    pub fn login_redirect(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "LoginRedirectOptions")] options: Option<Object>,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let (options, app_state) = read_login_options(options.as_ref())?;
            inner.login_redirect(options, app_state).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Logs in in a popup, without navigating this window; resolves `{ appState }` once the
    /// session is stored. Call it from a click handler, before any `await`: the popup opens
    /// right away (popup blockers).
    #[wasm_bindgen(js_name = loginPopup, unchecked_return_type = "Promise<{ appState?: unknown }>")]
    pub fn login_popup(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "LoginRedirectOptions")] options: Option<Object>,
    ) -> Promise {
        let popup = interaction::Popup::open();
        let inner = self.inner.clone();
        promise(async move {
            let popup = popup?;
            let (options, app_state) = match read_login_options(options.as_ref()) {
                Ok(read) => read,
                Err(e) => {
                    popup.close();
                    return Err(e.into());
                }
            };
            let app_state = inner.login_popup(popup, options, app_state).await?;
            Ok(app_state_result(app_state).into())
        })
    }

    /// Logs in without the user when the provider still has their session (a hidden frame,
    /// `prompt=none`); resolves once the session is stored. Throws the provider's
    /// `login_required` / `interaction_required` / `consent_required`, or `timeout`.
    #[wasm_bindgen(js_name = ssoSilent, unchecked_return_type = "Promise<void>")]
    pub fn sso_silent(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "{ loginHint?: string }")] options: Option<Object>,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let text = options.and_then(|o| options_json(&o, None));
            let login_hint = options::read_silent_options(text.as_deref())?;
            inner.sso_silent(login_hint, None).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Whether the current URL holds an authorization response for this client.
    #[wasm_bindgen(js_name = isCallback)]
    pub fn is_callback(&self) -> bool {
        self.inner.is_callback()
    }

    /// Handles the authorization response in the URL: `null` when there is none; `{ appState }`
    /// after a successful login; throws `AuthError` otherwise. Always cleans the URL.
    #[wasm_bindgen(js_name = handleRedirectCallback, unchecked_return_type = "Promise<{ appState?: unknown } | null>")]
    pub fn handle_redirect_callback(&self) -> Promise {
        if let Some(p) = self.callback.borrow().as_ref() {
            return p.clone();
        }
        let is_callback = self.inner.is_callback();
        let inner = self.inner.clone();
        let promise = promise(async move {
            // The page a popup login landed on hands the response to the opener.
            if interaction::relay() {
                return Ok(JsValue::NULL);
            }
            let Some(app_state) = inner.handle_redirect_callback().await? else { return Ok(JsValue::NULL) };
            Ok(app_state_result(app_state).into())
        });
        if is_callback {
            *self.callback.borrow_mut() = Some(promise.clone());
        }
        promise
    }

    /// A valid access token (refreshed when it has less than `expiryMarginSeconds` left), or
    /// `null` when logged out. Throws `login_required` when the provider refused the refresh.
    /// With `{ scopes, resource? }`: that API's token, from the cache or minted with the
    /// refresh token (several APIs).
    #[wasm_bindgen(js_name = getAccessToken, unchecked_return_type = "Promise<string | null>")]
    pub fn get_access_token(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "AccessTokenOptions")] options: Option<Object>,
    ) -> Promise {
        let text = options.and_then(|o| options_json(&o, None));
        if text.is_none() {
            if let Some(token) = self.inner.cached_access_token() {
                return Promise::resolve(&token);
            }
        }
        let inner = self.inner.clone();
        promise(async move {
            let token = match options::read_token_options(text.as_deref())? {
                Some(key) => inner.api_access_token(key).await?,
                None => inner.access_token().await?,
            };
            Ok(token.map_or(JsValue::NULL, |t| JsValue::from_str(&t)))
        })
    }

    /// The objects js/client.js reads so that `getAccessToken({ scopes })` answers an API's
    /// usable cached token without entering the wasm. Internal: not in the typings.
    #[wasm_bindgen(js_name = __apiHotPaths, skip_typescript)]
    pub fn api_hot_paths(&self) -> js_sys::Map {
        self.inner.session.api_hot_paths().clone()
    }

    /// The object js/client.js reads so that `getAccessToken()` answers a usable cached token
    /// without entering the wasm. Internal: not in the typings.
    #[wasm_bindgen(js_name = __hotPath, skip_typescript)]
    pub fn hot_path(&self) -> Object {
        self.inner.session.hot_path().clone()
    }

    /// Runs the refresh_token grant now and returns the new access token.
    #[wasm_bindgen(unchecked_return_type = "Promise<string>")]
    pub fn refresh(&self) -> Promise {
        let inner = self.inner.clone();
        promise(async move { Ok(JsValue::from_str(&inner.refresh().await?)) })
    }

    /// `auth.fetch` (js/client.js): the access token for a request to `url`, or `null` when
    /// the request must go without it. Internal: not in the typings.
    #[wasm_bindgen(js_name = __bearerFor, skip_typescript)]
    pub fn bearer_for(&self, url: String) -> Promise {
        let inner = self.inner.clone();
        promise(async move { Ok(inner.bearer_for(&url).await?.map_or(JsValue::NULL, JsValue::from)) })
    }

    /// `auth.fetch` after a 401 to a request to `url` that carried `rejected`: the token for one retry,
    /// or `null`. Internal: not in the typings.
    #[wasm_bindgen(js_name = __retryToken, skip_typescript)]
    pub fn retry_token(&self, url: String, rejected: String, challenge: Option<String>) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            Ok(inner.retry_token(&url, &rejected, challenge.as_deref()).await?.map_or(JsValue::NULL, JsValue::from))
        })
    }

    /// The session's tokens, or `null`.
    #[wasm_bindgen(js_name = getTokens, unchecked_return_type = "TokenSet | null")]
    pub fn get_tokens(&self) -> JsValue {
        self.inner.session.tokens().map_or(JsValue::NULL, |t| session::to_js(&t))
    }

    /// Whether there is a session whose access token is still valid.
    #[wasm_bindgen(js_name = isAuthenticated)]
    pub fn is_authenticated(&self) -> bool {
        self.inner.cached_access_token().is_some()
    }

    /// Clears the local session (in every tab, with `storage: 'local'`); then, unless
    /// `redirect` is false, navigates to the provider's end-session endpoint when it has one.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn logout(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "{ redirect?: boolean }")] options: Option<Object>,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let text = options.and_then(|o| options_json(&o, None));
            let redirect = options::read_logout_redirect(text.as_deref())?;
            inner.logout_and_redirect(redirect).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// The claims of the verified ID token, or `null`.
    #[wasm_bindgen(js_name = getUser, unchecked_return_type = "User | null")]
    pub fn get_user(&self) -> JsValue {
        self.inner.user().map_or(JsValue::NULL, |claims| oidc::claims_to_js(&claims))
    }

    /// The UserInfo claims (OIDC Core §5.3), whose `sub` must be the ID token's.
    #[wasm_bindgen(js_name = getUserInfo, unchecked_return_type = "Promise<Record<string, unknown>>")]
    pub fn get_user_info(&self) -> Promise {
        let inner = self.inner.clone();
        promise(async move { Ok(oidc::claims_to_js(&inner.user_info().await?)) })
    }

    /// The listeners `auth.on` and `auth.off` (js/client.js) add to and remove from.
    /// Internal: not in the typings.
    #[wasm_bindgen(js_name = __events, skip_typescript)]
    pub fn events(&self) -> JsValue {
        self.inner.session.events.clone().into()
    }
}

/// `loginRedirect(options)`: the options, and `appState` as the JSON text stored with the login.
fn read_login_options(options: Option<&Object>) -> Result<(LoginOptions, Option<String>), AuthError> {
    let Some(options) = options else { return Ok((LoginOptions::default(), None)) };
    let login = options::read_login_options(options_json(options, Some("appState")).as_deref())?;
    let app_state = Reflect::get(options, &JsValue::from_str("appState")).unwrap_or(JsValue::UNDEFINED);
    if app_state.is_undefined() {
        return Ok((login, None));
    }
    let json =
        js_sys::JSON::stringify(&app_state).map_err(|_| AuthError::config("appState", "must be JSON-serialisable"))?;
    Ok((login, json.as_string()))
}

/// `{ appState }` of a finished login (`appState` absent when the login carried none).
fn app_state_result(app_state: Option<String>) -> Object {
    let result = Object::new();
    if let Some(json) = app_state {
        let value = js_sys::JSON::parse(&json).unwrap_or(JsValue::UNDEFINED);
        set_property(&result, "appState", &value);
    }
    result
}

/// A JS promise of `flow`. Every flow is boxed into one future type, so the wasm carries one
/// copy of wasm-bindgen-futures' promise driver instead of one per method.
fn promise(flow: impl Future<Output = Result<JsValue, JsValue>> + 'static) -> Promise {
    type Flow = Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>;
    wasm_bindgen_futures::future_to_promise(Box::pin(flow) as Flow)
}
