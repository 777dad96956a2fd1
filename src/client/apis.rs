//! Several APIs, one session: an access token per API, minted with the session's refresh token
//! (RFC 6749 §6 with the API's `scope`, RFC 8707 §2.2 with its `resource`), cached per
//! [`TokenKey`], and picked for `auth.fetch` by the longest matching `apis` URL.
//!
//! Grants take turns ([`crate::turns`]) and, with `storage: 'local'`, the cross-tab lock: each
//! spends the newest refresh token, so a rotated one is never presented twice.

use super::session::login_required;
use super::Client;
use crate::browser::{lock, now_ms};
use crate::core::apis::{api_for, TokenKey};
use crate::core::error::{AuthError, Result};

impl Client {
    /// `getAccessToken({ scopes, resource })`: the API's token from the cache while it has the
    /// margin left, else one minted now; `None` without a session.
    pub async fn api_access_token(&self, key: TokenKey) -> Result<Option<String>> {
        key.check("getAccessToken options", self.config.url_rules(), self.config.policy.is_some())?;
        // RFC 8707 §2.1: a resource the login did not name cannot be granted from its refresh
        // token (oidc-provider even spends the token refusing it): never sent.
        if let Some(r) = &key.resource {
            if !self.config.apis.iter().any(|a| a.key.resource.as_ref() == Some(r)) {
                return Err(AuthError::config("resource", "must be the resource of one of the apis entries (the login asks for those)"));
            }
        }
        if let Some(token) = self.session.usable_api_token(&key, now_ms()) {
            return Ok(Some(token));
        }
        if self.session.tokens().is_none() {
            return Ok(None);
        }
        let seen = self.session.tokens().and_then(|t| t.api_token(&key).map(|a| a.access.access_token.expose().to_owned()));
        self.mint_api_token(key, seen).await.map(Some)
    }

    /// The `apis` entry `url` belongs to, by the longest prefix.
    pub fn api_key_for(&self, url: &str) -> Option<TokenKey> {
        api_for(&self.config.apis, url).map(|api| api.key.clone())
    }

    /// After an API refused `rejected`: the newer token of `key` when one came meanwhile, else
    /// a new one.
    pub async fn api_token_after_rejection(&self, key: TokenKey, rejected: &str) -> Result<String> {
        match self.session.usable_api_token(&key, now_ms()) {
            Some(current) if current != rejected => Ok(current),
            _ => self.mint_api_token(key, Some(rejected.to_owned())).await,
        }
    }

    /// Mints `key`'s token with the refresh token, in turn. A caller that waited while another
    /// (in this tab, or another tab under the lock) minted it gets that token instead: N calls
    /// for K APIs make K requests. `seen` is the token the caller found unusable.
    async fn mint_api_token(&self, key: TokenKey, seen: Option<String>) -> Result<String> {
        let _turn = self.grants.take().await;
        let fresh_enough = |tokens: &crate::core::token_set::TokenSet| {
            let token = tokens.api_token(&key)?;
            let value = token.access.access_token.expose();
            (Some(value) != seen.as_deref() && token.access.is_usable_at(now_ms(), 0)).then(|| value.to_owned())
        };
        let _lock = match self.shares_tokens_across_tabs() {
            true => Some(lock::acquire(&self.keys.refresh_lock).await),
            false => None,
        };
        if self.shares_tokens_across_tabs() {
            let Some(stored) = self.read_shared_tokens().await else {
                self.session.replace(None);
                return Err(login_required("there is no session (logged out, or never logged in)"));
            };
            self.session.restore(Some(stored));
        }
        // At most two grants: the second after a silent renewal replaced a dead refresh token.
        let mut renewed = false;
        let (current, fresh) = loop {
            let current = self.session.tokens().ok_or_else(|| login_required("there is no session"))?;
            if let Some(token) = fresh_enough(&current) {
                return Ok(token);
            }
            let refresh_token = current.refresh_token.clone().ok_or_else(|| {
                login_required("an API's token needs the session's refresh token (ask for offline_access)")
            })?;
            self.log.info(&["api token: minting for '", &key.scope(), "'"]);
            let metadata = self.metadata().await?;
            let scope = key.scope();
            match self.refresh_grant(&metadata, &current, &refresh_token, &scope, key.resource.as_deref()).await {
                Ok(fresh) => break (current, fresh),
                // Consent for this API only: the session and the other tokens stay, no event.
                Err(e) if e.code != "invalid_grant" || renewed => {
                    let e = e.needing_interaction_for(&scope);
                    if e.scopes.is_some() {
                        return Err(e);
                    }
                    let refused = self.refresh_refused(e).await.err();
                    return Err(refused.unwrap_or_else(|| login_required("the refresh token was refused twice")));
                }
                Err(e) => {
                    self.refresh_refused(e).await?;
                    renewed = true;
                }
            }
        };
        let token = fresh.access_token.expose().to_owned();
        let merged = current.with_api_token(key.clone(), &fresh);
        self.store_refreshed_tokens(merged, Some(&key)).await;
        Ok(token)
    }
}
