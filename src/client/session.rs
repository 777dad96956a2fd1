//! The session: tokens in memory, their refresh (RFC 6749 §6), logout, and the events apps
//! listen to.

use std::cell::RefCell;

use js_sys::{Object, Promise};
use wasm_bindgen::JsValue;

use super::Client;
use crate::browser::{events::Emitter, lock, now_ms, set_property, shared};
use crate::core::error::{AuthError, ErrorKind, Result};
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

    /// Writes the current token and its usable window into [`Session::hot_path`]; an empty
    /// window (from +∞ until -∞) without a session, so JS always asks the wasm then.
    fn publish_hot_path(&self) {
        let tokens = self.tokens.borrow();
        let (from, until, token) = match (tokens.as_ref(), self.access_token_js.borrow().as_ref()) {
            (Some(t), Some(access_token)) => {
                let (from, until) = t.usable_window_ms(self.margin_ms);
                let token = Promise::resolve(access_token);
                (from.map_or(f64::NEG_INFINITY, |v| v as f64), until.map_or(f64::INFINITY, |v| v as f64), token.into())
            }
            _ => (f64::INFINITY, f64::NEG_INFINITY, JsValue::NULL),
        };
        set_property(&self.hot_path, "token", &token);
        set_property(&self.hot_path, "from", &from.into());
        set_property(&self.hot_path, "until", &until.into());
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
        set_property(&self.hot_path, "until", &f64::NEG_INFINITY.into());
    }
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
        Some(at) => [step, "; access token valid for ", &decimal((at - now_ms()) / 1000), " s"].concat(),
        None => [step, "; the provider did not say how long the access token is valid"].concat(),
    }
}

fn not_yet_valid() -> AuthError {
    AuthError::new(
        ErrorKind::TokenNotYetValid,
        "the provider says the access token is not valid yet (not_before): check the device clock",
    )
}

fn login_required(why: &str) -> AuthError {
    AuthError::new(ErrorKind::LoginRequired, why.to_owned())
}

impl Client {
    /// Stores a new token set and tells the listeners. With `storage: 'local'` the record
    /// goes to IndexedDB first (what a tab reads under the refresh lock), then to localStorage
    /// (what restores a tab at start and tells the others through the `storage` event).
    pub(super) async fn store_tokens(&self, tokens: TokenSet) -> Result<()> {
        let record = tokens.to_json();
        if self.shares_tokens_across_tabs() && shared::set(&self.keys.tokens, Some(record.clone())).await.is_err() {
            self.log.debug(&["storage: IndexedDB unavailable; tabs coordinate through localStorage only"]);
        }
        self.token_store.set(&self.keys.tokens, &record)?;
        self.session.replace(Some(tokens));
        Ok(())
    }

    /// The session as the tabs last left it: IndexedDB (consistent across tabs), else
    /// localStorage when IndexedDB is unavailable.
    async fn read_shared_tokens(&self) -> Option<TokenSet> {
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
        // Other tabs' refreshes arrive through the storage event: no refresh token, no renewal.
        if tokens.refresh_token.is_none() {
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

    async fn refresh_once(&self, seen: Option<String>) -> Result<String> {
        self.log.info(&["refresh: started"]);
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
        let refresh_token = current
            .refresh_token
            .clone()
            .ok_or_else(|| login_required("the session has no refresh token (ask for the offline_access scope)"))?;
        let metadata = self.metadata().await?;
        let scope = current.scope.clone().unwrap_or_else(|| self.config.scope());
        let body = refresh_body(&self.config.client_id, &refresh_token, &scope, &self.config.redirect_uri);
        let sent_at = now_ms();
        let answer = self.http.post_form(&self.token_endpoint(&metadata, current.policy.as_deref()), &body).await;
        match answer.and_then(|a| parse_token_response(a.status, &a.body, sent_at)) {
            Ok(fresh) => {
                self.check_refreshed_id_token(&current, &fresh).await?;
                let token = fresh.access_token.expose().to_owned();
                let merged = current.refreshed_by(fresh);
                self.log.info(&[&lifetime_line("refresh: done", &merged)]);
                let started = merged.has_started_at(now_ms());
                self.store_tokens(merged).await?;
                if !started {
                    return Err(not_yet_valid());
                }
                Ok(token)
            }
            Err(mut e) => {
                self.log.info(&["refresh: failed (", &e.code, ")"]);
                self.session.events.emit("refreshFailed", &e.clone().into());
                if e.code != "invalid_grant" {
                    return Err(e);
                }
                // RFC 6749 §5.2: the refresh token is expired, revoked or replayed: the session is over.
                self.logout();
                let mut ended = login_required("the provider refused the refresh token (invalid_grant): log in again");
                ended.description = e.description.take();
                ended.status = e.status;
                Err(ended)
            }
        }
    }

    /// Forgets the session and any login in progress (in every tab, with `localStorage`).
    pub fn logout(&self) {
        self.log.info(&["logout: local session cleared"]);
        self.token_store.remove(&self.keys.tokens);
        self.tx_store.remove(&self.keys.login);
        if self.shares_tokens_across_tabs() {
            let key = self.keys.tokens.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let _ = shared::set(&key, None).await;
            });
        }
        self.session.replace(None);
    }
}
