//! The session: tokens in memory, their refresh (RFC 6749 §6), logout, and the events apps
//! listen to.

use std::cell::RefCell;

use js_sys::{Map, Object, Promise};
use wasm_bindgen::{JsCast, JsValue};

use super::Client;
use crate::browser::{events::Emitter, lock, now_ms, set_property, shared};
use crate::core::apis::{ApiToken, TokenKey};
use crate::core::discovery::ProviderMetadata;
use crate::core::error::{AuthError, ErrorKind, Result};
use crate::core::secret::Secret;
use crate::core::text::decimal;
use crate::core::token::{parse_token_response, refresh_body};
use crate::core::token_set::TokenSet;

/// The tokens in memory and the listeners told of their changes.
pub struct Session {
    tokens: RefCell<Option<TokenSet>>,
    /// The access token as a JS string, made once per token set: both hot paths (JS and
    /// [`Session::usable_access_token`]) hand it out as is.
    access_token_js: RefCell<Option<JsValue>>,
    /// `expiryMarginSeconds`, in ms.
    margin_ms: i64,
    /// What `getAccessToken()` answers without entering the wasm (js/client.js):
    /// `{ from, until, token }`, the window of `Date.now()` in which the resolved promise
    /// `token` is the answer. Kept in step with `tokens` by [`Session::restore`].
    hot_path: Object,
    /// The same for each API's token (several APIs): `TokenKey::text()` to
    /// `{ from, until, token }`, read by js/client.js for `getAccessToken({ scopes })`.
    api_hot_paths: Map,
    /// `tokensChanged`, `loggedOut`, `refreshFailed`.
    pub events: Emitter,
}

impl Session {
    /// No tokens yet; access tokens are used until `margin_ms` before they expire.
    pub fn new(margin_ms: i64) -> Session {
        let session = Session {
            tokens: RefCell::default(),
            access_token_js: RefCell::default(),
            margin_ms,
            hot_path: Object::new(),
            api_hot_paths: Map::new(),
            events: Emitter::new(),
        };
        session.publish_hot_path();
        session
    }

    /// Sets the tokens read from storage at start, without events.
    pub fn restore(&self, tokens: Option<TokenSet>) {
        *self.access_token_js.borrow_mut() = tokens.as_ref().map(|t| JsValue::from_str(t.access_token.expose()));
        *self.tokens.borrow_mut() = tokens;
        self.publish_hot_path();
    }

    /// The object `getAccessToken()` reads in JS before calling into the wasm.
    pub fn hot_path(&self) -> &Object {
        &self.hot_path
    }

    /// The objects `getAccessToken({ scopes })` reads in JS before calling into the wasm.
    pub fn api_hot_paths(&self) -> &Map {
        &self.api_hot_paths
    }

    /// Writes the current tokens and their usable windows into [`Session::hot_path`] and
    /// [`Session::api_hot_paths`]; an empty window (from +∞ until -∞) without a session, so JS
    /// always asks the wasm then.
    fn publish_hot_path(&self) {
        let tokens = self.tokens.borrow();
        match (tokens.as_ref(), self.access_token_js.borrow().as_ref()) {
            (Some(t), Some(access_token)) => publish_window(&self.hot_path, t, access_token, self.margin_ms),
            _ => close_window(&self.hot_path),
        }
        self.api_hot_paths.clear();
        for api in tokens.iter().flat_map(|t| &t.apis) {
            let window = Object::new();
            publish_window(&window, &api.access, &api.access.access_token.expose().into(), self.margin_ms);
            self.api_hot_paths.set(&api.key.text().into(), &window);
        }
    }

    /// The usable access token of an API, when it has the margin left.
    pub fn usable_api_token(&self, key: &TokenKey, now_ms: i64) -> Option<String> {
        let tokens = self.tokens.borrow();
        let api = tokens.as_ref()?.api_token(key).filter(|t| t.access.is_usable_at(now_ms, self.margin_ms))?;
        Some(api.access.access_token.expose().to_owned())
    }

    /// Replaces the tokens after an API's token changed and tells the listeners which
    /// (`tokensChanged` with that token and `api: { scopes, resource }`).
    pub fn replace_api_token(&self, tokens: TokenSet, key: &TokenKey) {
        let payload = tokens.api_token(key).map(api_to_js);
        self.restore(Some(tokens));
        if let Some(p) = payload {
            self.events.emit("tokensChanged", &p);
        }
    }

    /// Replaces the tokens and tells the listeners: `tokensChanged` with the new set, or
    /// `loggedOut` when a session ends.
    pub fn replace(&self, tokens: Option<TokenSet>) {
        let had_session = self.tokens.borrow().is_some();
        let payload = tokens.as_ref().map(to_js);
        self.restore(tokens);
        match payload {
            Some(p) => self.events.emit("tokensChanged", &p),
            None if had_session => self.events.emit("loggedOut", &JsValue::UNDEFINED),
            None => {}
        }
    }

    /// A copy of the tokens.
    pub fn tokens(&self) -> Option<TokenSet> {
        self.tokens.borrow().clone()
    }

    /// The access token, as a JS string, when it is usable for the margin more. No storage
    /// read, no copy of the token.
    pub fn usable_access_token(&self, now_ms: i64) -> Option<JsValue> {
        self.tokens.borrow().as_ref().filter(|t| t.is_usable_at(now_ms, self.margin_ms))?;
        self.access_token_js.borrow().clone()
    }

    fn access_token(&self) -> Option<String> {
        self.tokens.borrow().as_ref().map(|t| t.access_token.expose().to_owned())
    }
}

/// A freed client answers nothing from JS any more: the calls reach the wasm, which refuses them.
impl Drop for Session {
    fn drop(&mut self) {
        close_window(&self.hot_path);
        self.api_hot_paths.clear();
    }
}

/// `{ from, until, token }`: from when until when (ms since the epoch) the resolved promise
/// `token` answers `getAccessToken()` for `tokens`' access token.
fn publish_window(window: &Object, tokens: &TokenSet, access_token: &JsValue, margin_ms: i64) {
    let (from, until) = tokens.usable_window_ms(margin_ms);
    set_property(window, "token", &Promise::resolve(access_token).into());
    set_property(window, "from", &from.map_or(f64::NEG_INFINITY, |v| v as f64).into());
    set_property(window, "until", &until.map_or(f64::INFINITY, |v| v as f64).into());
}

/// An empty window: JS asks the wasm.
fn close_window(window: &Object) {
    set_property(window, "token", &JsValue::NULL);
    set_property(window, "from", &f64::INFINITY.into());
    set_property(window, "until", &f64::NEG_INFINITY.into());
}

/// The `tokensChanged` payload of an API's token: the token, its expiry and which API.
fn api_to_js(api: &ApiToken) -> JsValue {
    let payload = to_js(&api.access);
    let which = Object::new();
    let scopes: js_sys::Array = api.key.scopes.iter().map(|s| JsValue::from_str(s)).collect();
    set_property(&which, "scopes", &scopes.into());
    if let Some(r) = &api.key.resource {
        set_property(&which, "resource", &r.into());
    }
    set_property(payload.unchecked_ref(), "api", &which.into());
    payload
}

/// The `TokenSet` object apps see.
pub fn to_js(t: &TokenSet) -> JsValue {
    let o = Object::new();
    let set = |k: &str, v: JsValue| set_property(&o, k, &v);
    set("accessToken", t.access_token.expose().into());
    set("tokenType", t.token_type.as_str().into());
    if let Some(v) = &t.refresh_token {
        set("refreshToken", v.expose().into());
    }
    if let Some(v) = &t.id_token {
        set("idToken", v.expose().into());
    }
    if let Some(v) = t.expires_at_ms {
        set("expiresAt", JsValue::from_f64(v as f64));
    }
    if let Some(v) = &t.scope {
        set("scope", v.as_str().into());
    }
    o.into()
}

/// A log line with the access token's remaining lifetime (never the token).
pub fn lifetime_line(step: &str, tokens: &TokenSet) -> String {
    match tokens.expires_at_ms {
        Some(at) => [step, "; access token valid for ", &decimal(at.saturating_sub(now_ms()) / 1000), " s"].concat(),
        None => [step, "; the provider did not say how long the access token is valid"].concat(),
    }
}

fn not_yet_valid() -> AuthError {
    AuthError::new(
        ErrorKind::TokenNotYetValid,
        "the provider says the access token is not valid yet (not_before): check the device clock",
    )
}

pub(super) fn login_required(why: &str) -> AuthError {
    AuthError::new(ErrorKind::LoginRequired, why.to_owned())
}

impl Client {
    /// Stores the tokens of a login and tells the listeners. Nothing changes anywhere when
    /// Web Storage refuses the record (full, disabled): the previous session stays whole, in
    /// memory, in Web Storage and in IndexedDB (`storage_error`).
    ///
    /// The same user logging in again (more scopes, another B2C policy) keeps the API tokens
    /// already minted; another user starts without them.
    pub(super) async fn store_login_tokens(&self, mut tokens: TokenSet) -> Result<()> {
        if let Some(previous) = self.session.tokens().filter(|p| p.is_same_user(&tokens)) {
            tokens.apis = previous.apis;
        }
        if let Err(e) = self.persist(&tokens).await {
            let previous = self.session.tokens().map(|t| t.to_json());
            self.write_shared(previous).await;
            return Err(e);
        }
        self.session.replace(Some(tokens));
        Ok(())
    }

    /// Stores the tokens of a refresh and tells the listeners. The provider has rotated the
    /// refresh token away, so the new set is kept in memory (and in IndexedDB, where the other
    /// tabs look for it) even when Web Storage refuses it; the stale record there, whose
    /// refresh token is spent, is removed so that no reload can replay it.
    /// `api` says which API's token the grant was for (`None`: the login's).
    pub(super) async fn store_refreshed_tokens(&self, tokens: TokenSet, api: Option<&TokenKey>) {
        if let Err(e) = self.persist(&tokens).await {
            self.log.info(&["refresh: the new tokens live in this page's memory only (", &e.message, ")"]);
            self.token_store.remove(&self.keys.tokens);
        }
        match api {
            Some(key) => self.session.replace_api_token(tokens, key),
            None => self.session.replace(Some(tokens)),
        }
    }

    /// Writes the record where the session lives. With `storage: 'local'` it goes to IndexedDB
    /// first (what a tab reads under the refresh lock), then to localStorage (what restores a
    /// tab at start and tells the others through the `storage` event).
    async fn persist(&self, tokens: &TokenSet) -> Result<()> {
        let record = tokens.to_json();
        self.write_shared(Some(record.clone())).await;
        self.token_store.set(&self.keys.tokens, &record)
    }

    /// With `storage: 'local'`, stores (or with `None` deletes) the IndexedDB record and waits
    /// until the write has committed.
    async fn write_shared(&self, record: Option<String>) {
        if self.shares_tokens_across_tabs() && shared::set(&self.keys.tokens, record).await.is_err() {
            self.log.debug(&["storage: IndexedDB unavailable; tabs coordinate through localStorage only"]);
        }
    }

    /// The session as the tabs last left it: IndexedDB (consistent across tabs), else
    /// localStorage when IndexedDB is unavailable.
    pub(super) async fn read_shared_tokens(&self) -> Option<TokenSet> {
        match shared::get(&self.keys.tokens).await {
            Ok(record) => record.and_then(|text| TokenSet::from_json(&text).ok()),
            Err(()) => self.read_stored_tokens(),
        }
    }

    /// The hot path of `getAccessToken()`: a cached token that is valid for the margin.
    pub fn cached_access_token(&self) -> Option<JsValue> {
        self.session.usable_access_token(now_ms())
    }

    /// A valid access token, refreshed when it is about to expire; `None` when there is no
    /// session, or it has expired with no refresh token to renew it.
    pub async fn access_token(&self) -> Result<Option<String>> {
        if let Some(token) = self.cached_access_token() {
            return Ok(token.as_string());
        }
        let Some(tokens) = self.session.tokens() else { return Ok(None) };
        if !tokens.has_started_at(now_ms()) {
            // A refresh would only burn the refresh token for another token of the future.
            return Err(not_yet_valid());
        }
        // Without a refresh token only silent renewal can help (the refresh's single flight
        // tries it); without that, other tabs' refreshes arrive through the storage event.
        if tokens.refresh_token.is_none() && !self.config.silent_renew {
            return Ok(None);
        }
        self.refresh().await.map(Some)
    }

    /// Runs the refresh_token grant now. Concurrent callers in this tab share one request;
    /// with `localStorage`, tabs take turns under a Web Lock and reuse each other's result.
    pub async fn refresh(&self) -> Result<String> {
        let seen = self.session.access_token();
        self.refresh_flight.run(|| self.refresh_once(seen)).await
    }

    /// After an API refused `rejected`: the newer token when the session already has one (a
    /// concurrent call refreshed it), else a refresh.
    pub async fn token_after_rejection(&self, rejected: &str) -> Result<String> {
        match self.cached_access_token().and_then(|t| t.as_string()) {
            Some(current) if current != rejected => Ok(current),
            _ => self.refresh().await,
        }
    }

    /// In a copy of another tab (see [`crate::browser::tab`]), forgets the refresh token the
    /// page inherited from the original, which goes on using it. The inherited access and ID
    /// tokens stay until they expire; a login in this page starts a session of its own.
    /// Returns whether it did.
    pub async fn leave_inherited_refresh_token(&self) -> bool {
        let Some(tab) = &self.tab else { return false };
        if !tab.is_copy().await {
            return false;
        }
        let Some(tokens) = self.session.tokens() else { return false };
        if tokens.refresh_token.is_none() || tokens.refresh_token != self.inherited_refresh_token {
            return false;
        }
        self.log.info(&["session: this tab is a copy of another; it leaves the inherited refresh token to it"]);
        let own = TokenSet { refresh_token: None, ..tokens };
        if self.token_store.set(&self.keys.tokens, &own.to_json()).is_err() {
            self.token_store.remove(&self.keys.tokens);
        }
        self.session.replace(Some(own));
        true
    }

    async fn refresh_once(&self, seen: Option<String>) -> Result<String> {
        let _turn = self.grants.take().await;
        self.log.info(&["refresh: started"]);
        // A tab that has no session adopts none, whatever storage holds: a record it did not
        // see being written by a login may be one a logout could not delete in time.
        self.session.tokens().ok_or_else(|| login_required("there is no session to refresh"))?;
        if self.leave_inherited_refresh_token().await {
            return Err(login_required(
                "this tab is a copy of another (duplicated, or opened by window.open): the inherited refresh token stays with the original; log in in this tab",
            ));
        }
        let _lock = match self.shares_tokens_across_tabs() {
            true => {
                self.log.debug(&["refresh: waiting for the cross-tab lock"]);
                Some(lock::acquire(&self.keys.refresh_lock).await)
            }
            false => None,
        };
        if self.shares_tokens_across_tabs() {
            // Another tab may have refreshed (or logged out) while we waited for the lock.
            let stored = self.read_shared_tokens().await;
            let newer = stored.as_ref().filter(|s| Some(s.access_token.expose()) != seen.as_deref());
            if let Some(newer) = newer.filter(|s| s.is_usable_at(now_ms(), self.config.expiry_margin_ms)) {
                let token = newer.access_token.expose().to_owned();
                self.log.info(&["refresh: another tab refreshed meanwhile; using its token"]);
                self.session.replace(stored);
                return Ok(token);
            }
            if stored.is_none() {
                self.session.replace(None);
                return Err(login_required("there is no session (logged out, or never logged in)"));
            }
            self.session.restore(stored);
        }
        let current = self.session.tokens().ok_or_else(|| login_required("there is no session to refresh"))?;
        let Some(refresh_token) = current.refresh_token.clone() else {
            let missing = login_required("the session has no refresh token (ask for the offline_access scope)");
            self.renew_silently(missing).await?;
            return self.session.access_token().ok_or_else(|| login_required("there is no session"));
        };
        let metadata = self.metadata().await?;
        let scope = current.scope.clone().unwrap_or_else(|| self.config.scope());
        self.fetch_keys_ahead(&metadata);
        let fresh = match self.refresh_grant(&metadata, &current, &refresh_token, &scope, None).await {
            Ok(fresh) => fresh,
            Err(e) => {
                self.refresh_refused(e).await?;
                return self.session.access_token().ok_or_else(|| login_required("there is no session"));
            }
        };
        // From here on the provider may have rotated the refresh token away: the new one is
        // stored, or the session ends; the old one is never kept.
        let fresh = match self.checked_refreshed_id_token(&current, fresh).await {
            Ok(fresh) => fresh,
            Err(e) => {
                self.log.info(&["refresh: the new ID token failed its check (", &e.code, "); the session ends"]);
                return Err(self.end_session(e.clone(), e).await);
            }
        };
        let token = fresh.access_token.expose().to_owned();
        let merged = current.refreshed_by(fresh);
        self.log.info(&[&lifetime_line("refresh: done", &merged)]);
        let started = merged.has_started_at(now_ms());
        self.store_refreshed_tokens(merged, None).await;
        if !started {
            return Err(not_yet_valid());
        }
        Ok(token)
    }

    /// The refresh-token grant (RFC 6749 §6; RFC 8707 §2.2: `resource` for one API's token) at
    /// the token endpoint of the session's policy: the new tokens (§5.1), or the provider's
    /// refusal (§5.2) or no usable answer as the error.
    pub(super) async fn refresh_grant(
        &self,
        metadata: &ProviderMetadata,
        current: &TokenSet,
        refresh_token: &Secret,
        scope: &str,
        resource: Option<&str>,
    ) -> Result<TokenSet> {
        let body = refresh_body(&self.config.client_id, refresh_token, scope, &self.config.redirect_uri, resource);
        let sent_at = now_ms();
        let answer = self.http.post_form(&self.token_endpoint(metadata, current.policy.as_deref()), &body).await;
        answer.and_then(|a| parse_token_response(a.status, &a.body, sent_at))
    }

    /// The token endpoint refused the refresh or gave no usable answer: the session stays,
    /// unless the refresh token itself is dead (RFC 6749 §5.2 `invalid_grant`: expired,
    /// revoked or replayed), which ends it with `login_required`, or, with silent renewal, is
    /// renewed by a silent login: then `Ok`, and the session holds new tokens.
    pub(super) async fn refresh_refused(&self, e: AuthError) -> Result<()> {
        self.log.info(&["refresh: failed (", &e.code, ")"]);
        // RFC 8707 invalid_target: oidc-provider spends the refresh token before it refuses the
        // resource, so the session cannot go on with it, like invalid_grant.
        if e.code != "invalid_grant" && e.code != "invalid_target" {
            self.session.events.emit("refreshFailed", &e.clone().into());
            return Err(e);
        }
        let mut ended = login_required(&["the provider refused the refresh token (", &e.code, "): log in again"].concat());
        ended.description = e.description.clone();
        ended.status = e.status;
        if !self.config.silent_renew {
            return Err(self.end_session(e, ended).await);
        }
        self.session.events.emit("refreshFailed", &e.into());
        self.renew_silently(ended).await
    }

    /// Silent renewal: a session whose refresh token is missing or dead tries one silent login
    /// (`ssoSilent`, a hidden frame) before it ends, when the app enabled it (`silentRenew`,
    /// `silentRedirectUri`). `silentRenewed` or `silentRenewFailed` (the frame's error) tell
    /// the app; without renewal, or when it fails, the session ends with `ended`.
    async fn renew_silently(&self, ended: AuthError) -> Result<()> {
        if !self.config.silent_renew {
            return Err(ended);
        }
        self.log.info(&["refresh: renewing the session silently (", &ended.code, ")"]);
        // Azure AD B2C: the session's own policy (edit profile, password reset) renews it.
        let policy = self.session.tokens().and_then(|t| t.policy);
        match self.sso_silent(None, policy).await {
            Ok(()) => {
                self.session.events.emit("silentRenewed", &JsValue::UNDEFINED);
                Ok(())
            }
            Err(e) => {
                self.log.info(&["refresh: silent renewal failed (", &e.code, ")"]);
                self.session.events.emit("silentRenewFailed", &e.into());
                self.logout().await;
                Err(ended)
            }
        }
    }

    /// Ends the session after a failed refresh: `refreshFailed` with `cause`, every copy of
    /// the session cleared (`loggedOut`); returns `error` for the caller.
    async fn end_session(&self, cause: AuthError, error: AuthError) -> AuthError {
        self.session.events.emit("refreshFailed", &cause.into());
        self.logout().await;
        error
    }

    /// Forgets the session and any login in progress: memory, Web Storage and (with
    /// `storage: 'local'`, in every tab) IndexedDB, whose delete has committed when this
    /// returns, so that no navigation can leave a copy behind.
    pub async fn logout(&self) {
        self.log.info(&["logout: local session cleared"]);
        self.token_store.remove(&self.keys.tokens);
        self.tx_store.remove(&self.keys.login);
        let had_session = self.session.tokens().is_some();
        self.session.restore(None);
        self.write_shared(None).await;
        if had_session {
            self.session.events.emit("loggedOut", &JsValue::UNDEFINED);
        }
    }
}
