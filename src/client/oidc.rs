//! OpenID Connect around the login: ID token verification (OIDC Core §3.1.3.7, §12.2), the
//! user's claims, UserInfo (§5.3) and RP-Initiated Logout 1.0.

use std::cell::RefCell;

use wasm_bindgen::JsValue;

use super::login::clean_url;
use super::Client;
use crate::browser::http::Started;
use crate::browser::log::public_part;
use crate::browser::{crypto, jws, location, now_ms};
use crate::core::b2c::endpoint_for_policy;
use crate::core::discovery::ProviderMetadata;
use crate::core::error::{AuthError, ErrorKind, Result};
use crate::core::form::decode_pairs;
use crate::core::id_token::{validate, validate_refreshed, Expected};
use crate::core::json::Json;
use crate::core::jwks::{select_key, KeyMatch};
use crate::core::jwt;
use crate::core::pkce;
use crate::core::text::decimal;
use crate::core::token_set::TokenSet;
use crate::core::url::{query_has, with_query};

/// The provider's key set (OIDC Core §10.1.1): fetched when first needed, or started beside
/// the token request whose ID token it will check ([`Client::fetch_keys_ahead`]), and fetched
/// again once on an unknown `kid`.
#[derive(Default)]
pub struct KeyCache(RefCell<KeySet>);

#[derive(Default)]
enum KeySet {
    #[default]
    Unknown,
    /// Asked for, its answer not read yet.
    Fetching(Started),
    /// The JWKS text.
    Fetched(String),
}

fn invalid(what: &str) -> AuthError {
    AuthError::new(ErrorKind::InvalidIdToken, ["ID token: ", what].concat())
}

impl Client {
    /// Starts fetching the key set beside a token request that brings an ID token to check
    /// (the login's, a refresh's), so that the check does not wait for one more round trip
    /// after the tokens. Nothing when the keys are at hand or on their way, or without `openid`.
    pub(super) fn fetch_keys_ahead(&self, metadata: &ProviderMetadata) {
        let mut keys = self.keys_cache.0.borrow_mut();
        if let (KeySet::Unknown, true, Some(url)) = (&*keys, self.config.is_oidc(), metadata.jwks_uri.as_deref()) {
            *keys = KeySet::Fetching(self.http.start_get(url));
        }
    }

    /// The key set: the answer to the fetch started ahead, if there is one, or a new fetch.
    async fn fetch_jwks(&self, metadata: &ProviderMetadata) -> Result<String> {
        let url = metadata.jwks_uri.as_deref().ok_or_else(|| invalid("the provider publishes no jwks_uri"))?;
        let started = match self.keys_cache.0.take() {
            KeySet::Fetching(started) => started,
            _ => self.http.start_get(url),
        };
        let answer = self.http.answer(started).await?;
        if answer.status != 200 {
            return Err(invalid(&["the JWKS answered HTTP ", &decimal(answer.status.into())].concat())
                .with_status(answer.status));
        }
        *self.keys_cache.0.borrow_mut() = KeySet::Fetched(answer.body.clone());
        Ok(answer.body)
    }

    /// Checks an ID token's signature and claims; returns its claims. `nonce` is the login's
    /// (none on refresh).
    pub(super) async fn verify_id_token(&self, token: &str, nonce: Option<&str>) -> Result<Json> {
        let parsed = jwt::parse(token)?;
        let metadata = self.metadata().await?;
        let issuer = metadata.issuer.clone().ok_or_else(|| invalid("the issuer is unknown"))?;
        let cached = match &*self.keys_cache.0.borrow() {
            KeySet::Fetched(jwks) => Some(jwks.clone()),
            _ => None,
        };
        let mut refetched = cached.is_none();
        let mut jwks = match cached {
            Some(j) => j,
            None => self.fetch_jwks(&metadata).await?,
        };
        let key = loop {
            match select_key(&jwks, parsed.alg, parsed.kid.as_deref())? {
                KeyMatch::Found(key) => break key,
                // Keys rotate: one fresh look at the set, no more (a flood of unknown kids must
                // not turn into a flood of requests).
                KeyMatch::UnknownKid if !refetched => {
                    jwks = self.fetch_jwks(&metadata).await?;
                    refetched = true;
                }
                KeyMatch::UnknownKid => return Err(invalid("no key of the provider has the token's kid")),
            }
        };
        jws::verify(&parsed, &key).await?;
        self.log.debug(&["ID token: signature verified"]);
        let expected = Expected {
            issuer: &issuer,
            client_id: &self.config.client_id,
            nonce,
            now_s: now_ms() / 1000,
            skew_s: self.config.clock_skew_s,
        };
        validate(&parsed.claims, &expected)?;
        Ok(parsed.claims)
    }

    /// OIDC Core §3.1.3.3: a login with `openid` must return a valid ID token for its nonce
    /// (§3.1.2.1: the nonce is this library's rule for every login with `openid`, so a
    /// transaction without one was not started by it). Without `openid` nothing is verified,
    /// so an ID token the provider sends anyway is not kept: [`Client::user`] only ever reads
    /// verified ones.
    pub(super) async fn checked_login_id_token(&self, mut tokens: TokenSet, nonce: Option<&str>) -> Result<TokenSet> {
        if !self.config.is_oidc() {
            tokens.id_token = None;
            return Ok(tokens);
        }
        let nonce = nonce.ok_or_else(|| invalid("the login transaction has no nonce to check it against"))?;
        let id_token = tokens.id_token.as_ref().ok_or_else(|| invalid("the token response has none (scope openid)"))?;
        self.verify_id_token(id_token.expose(), Some(nonce)).await?;
        Ok(tokens)
    }

    /// §12.2: an ID token from a refresh is verified like the first, and must be about the same
    /// user for the same client from the same issuer. Returns `fresh` as it may be stored:
    /// - verified: with its ID token;
    /// - the check could not be made (the JWKS unreachable or failing: [`AuthError::is_transient`]):
    ///   without it, so the session keeps the previous verified ID token and the new access
    ///   and refresh tokens; the next refresh brings a new ID token and checks again;
    /// - without `openid`: without it (nothing unverified is kept).
    ///
    /// A definitive failure (bad signature, unknown key, another `iss`, `sub` or `aud`) is the
    /// error, and the caller ends the session.
    pub(super) async fn checked_refreshed_id_token(&self, previous: &TokenSet, mut fresh: TokenSet) -> Result<TokenSet> {
        let Some(new_token) = fresh.id_token.take() else { return Ok(fresh) };
        if !self.config.is_oidc() {
            return Ok(fresh);
        }
        match self.verify_id_token(new_token.expose(), None).await {
            Ok(claims) => {
                if let Some(old) = &previous.id_token {
                    validate_refreshed(&jwt::parse(old.expose())?.claims, &claims)?;
                }
                fresh.id_token = Some(new_token);
                Ok(fresh)
            }
            Err(e) if e.is_transient() => {
                self.log.info(&["refresh: the new ID token cannot be checked now (", &e.code, "); the verified one is kept"]);
                Ok(fresh)
            }
            Err(e) => Err(e),
        }
    }

    /// The claims of the session's ID token, verified before it was stored (a login without
    /// `openid` keeps none).
    pub fn user(&self) -> Option<String> {
        if !self.config.is_oidc() {
            return None;
        }
        let tokens = self.session.tokens()?;
        let token = tokens.id_token?;
        jwt::parse(token.expose()).ok().map(|jws| jws.claims.to_text())
    }

    /// OIDC Core §5.3: the UserInfo claims, whose `sub` must be the ID token's (§5.3.2).
    pub async fn user_info(&self) -> Result<String> {
        let bad = |what: &str| AuthError::new(ErrorKind::InvalidUserinfo, ["userinfo: ", what].concat());
        let metadata = self.metadata().await?;
        let endpoint =
            metadata.userinfo_endpoint.clone().ok_or_else(|| bad("the provider has no userinfo_endpoint"))?;
        let token = self
            .access_token()
            .await?
            .ok_or_else(|| AuthError::new(ErrorKind::LoginRequired, "getUserInfo needs a session"))?;
        let answer = self.http.get_with_bearer(&endpoint, &token).await?;
        if answer.status != 200 {
            return Err(bad(&["HTTP ", &decimal(answer.status.into())].concat()).with_status(answer.status));
        }
        let claims = Json::parse_body(
            &answer.body,
            Json::MAX_BODY_LEN,
            &bad,
            "not JSON (signed or encrypted UserInfo is not supported)",
        )?;
        let id_sub = self
            .user()
            .and_then(|u| Json::parse(&u))
            .and_then(|c| c.get("sub").and_then(Json::as_str).map(str::to_owned));
        match (claims.get("sub").and_then(Json::as_str), id_sub) {
            (Some(sub), Some(expected)) if sub == expected => Ok(claims.to_text()),
            (Some(_), None) => Err(bad("there is no ID token to match its sub against")),
            _ => Err(bad("sub is not the ID token's")),
        }
    }

    /// RP-Initiated Logout 1.0 §2: clears the local session, then, when the provider has an
    /// end-session endpoint and `redirect` holds, sends the browser there with
    /// `id_token_hint`, `post_logout_redirect_uri`, `client_id` and a `state` checked on return.
    pub async fn logout_and_redirect(&self, redirect: bool) -> Result<()> {
        let (id_token, policy) = self.session.tokens().map_or((None, None), |t| (t.id_token, t.policy));
        self.logout().await;
        if !redirect {
            return Ok(());
        }
        let metadata = self.metadata().await?;
        let Some(endpoint) = metadata.end_session_endpoint.as_deref() else { return Ok(()) };
        self.log.info(&["logout: redirecting to ", public_part(endpoint)]);
        let state = pkce::random_value(&crypto::random_bytes()?);
        self.tx_store.set(&self.keys.logout, &state)?;
        let endpoint = endpoint_for_policy(
            endpoint,
            self.config.policy.as_deref(),
            policy.as_deref().or(self.config.policy.as_deref()),
        );
        let mut params = vec![
            ("client_id", self.config.client_id.as_str()),
            ("post_logout_redirect_uri", self.config.post_logout_redirect_uri.as_str()),
            ("state", state.as_str()),
        ];
        if let Some(hint) = &id_token {
            params.push(("id_token_hint", hint.expose()));
        }
        location::navigate(&with_query(&endpoint, &params))
    }

    /// Whether the URL is the return from a logout this tab started: a `state` in the query
    /// while a logout is pending.
    pub(super) fn is_logout_return(&self, url: &location::CurrentUrl) -> bool {
        self.tx_store.get(&self.keys.logout).ok().flatten().is_some() && query_has(&url.search, "state")
    }

    /// The return from the end-session endpoint: `state` alone in the query, matching the
    /// pending logout. Cleans the URL; a `state` that does not match is `state_mismatch`.
    pub(super) fn handle_logout_return(&self, url: &location::CurrentUrl) -> Result<bool> {
        let Some(pending) = self.tx_store.get(&self.keys.logout)? else { return Ok(false) };
        let query = url.search.strip_prefix('?').unwrap_or(&url.search);
        let pairs = decode_pairs(query).unwrap_or_default();
        let Some((_, state)) = pairs.iter().find(|(k, _)| k == "state") else { return Ok(false) };
        self.tx_store.remove(&self.keys.logout);
        clean_url(url);
        if *state == pending {
            Ok(true)
        } else {
            Err(AuthError::new(ErrorKind::StateMismatch, "the logout response's state does not match the logout"))
        }
    }
}

/// JSON text of claims to a JS object.
pub fn claims_to_js(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap_or(JsValue::NULL)
}
