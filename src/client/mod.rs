//! Orchestration: the steps of each flow in order, with [`crate::core`] deciding and
//! [`crate::browser`] doing the I/O. Nothing here is exported to JavaScript ([`crate::api`] is).
//!
//! - [`login`]: authorization request and redirect callback (RFC 6749 §4.1).
//! - [`interactive`]: the same login in a popup (`loginPopup`) or a hidden frame (`ssoSilent`).
//! - [`session`]: the tokens, their refresh (§6), logout and cross-tab sync.
//! - [`oidc`]: ID token verification, user claims, UserInfo, logout at the provider.
//! - [`resource`]: `auth.fetch`, calls to APIs with the token (RFC 6750).
//! - [`apis`]: an access token per API from one refresh token (several APIs).

pub mod apis;
pub mod interactive;
pub mod login;
pub mod oidc;
pub mod resource;
pub mod session;

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::browser::http::Http;
use crate::browser::log::{public_part, Logger};
use crate::browser::tab::TabClaim;
use crate::browser::{location, now_ms, storage::Store};
use crate::core::b2c::endpoint_for_policy;
use crate::core::config::{ClientConfig, StorageKind};
use crate::core::discovery::ProviderMetadata;
use crate::core::error::{AuthError, ErrorKind, Result};
use crate::core::json::Json;
use crate::core::record::RecordWriter;
use crate::core::secret::Secret;
use crate::core::text::decimal;
use crate::core::token_set::TokenSet;
use crate::core::url::origin_of;
use crate::single_flight::SingleFlight;
use crate::turns::Turns;

use session::Session;

/// How long a discovery document is reused from storage.
pub const DISCOVERY_TTL_MS: i64 = 60 * 60 * 1000;

/// Storage keys of one client, namespaced by client id and provider so that two clients on one
/// page never collide.
struct Keys {
    tokens: String,
    login: String,
    logout: String,
    discovery: String,
    refresh_lock: String,
    /// This tab's id in `sessionStorage` (see [`crate::browser::tab`]).
    tab: String,
}

/// One configured client and its session.
pub struct Client {
    config: ClientConfig,
    /// Tokens, in `config.storage`.
    token_store: Store,
    /// Login transactions: always `sessionStorage`, which survives the redirect and is per tab.
    tx_store: Store,
    keys: Keys,
    /// The session in memory (storage is read at start and on cross-tab change) and its events.
    pub session: Rc<Session>,
    metadata: RefCell<Option<ProviderMetadata>>,
    keys_cache: oidc::KeyCache,
    refresh_flight: SingleFlight<Result<String>>,
    /// Every refresh-token grant (the login's refresh, each API's token) waits its turn.
    grants: Turns,
    storage_listener: Option<Closure<dyn FnMut(web_sys::StorageEvent)>>,
    /// With `storage: 'session'`: this page's claim on its tab id, which tells a copy of
    /// another tab (whose `sessionStorage` it inherited) from the original.
    tab: Option<TabClaim>,
    /// The refresh token restored from `sessionStorage` at start: the one a copy leaves alone.
    inherited_refresh_token: Option<Secret>,
    log: Logger,
    http: Http,
}

impl Client {
    /// Opens storage and restores a stored session.
    pub fn new(config: ClientConfig) -> Result<Client> {
        // The response must come back to this app: its storage holds the transaction.
        // A popup's landing page hands the response over a same-origin channel.
        let page_origin = location::current()?.origin;
        let landing_pages = [
            ("redirectUri", &config.redirect_uri),
            ("popupRedirectUri", &config.popup_redirect_uri),
            ("silentRedirectUri", &config.silent_redirect_uri),
        ];
        for (field, uri) in landing_pages {
            if origin_of(uri).as_deref() != Some(page_origin.as_str()) {
                return Err(AuthError::config(
                    field,
                    &["must be on this page's origin (", &page_origin, "), where the login transaction is kept"].concat(),
                ));
            }
        }
        let token_store = Store::open(config.storage)?;
        let tx_store = Store::open(StorageKind::Session)?;
        let provider = config.discovery_url.as_deref().or(config.authorization_endpoint.as_deref()).unwrap_or_default();
        let namespace = ["spa-oauth:", &config.client_id, ":", provider].concat();
        let keys = Keys {
            tokens: [&namespace, ":tokens"].concat(),
            login: [&namespace, ":login"].concat(),
            logout: [&namespace, ":logout"].concat(),
            discovery: [&namespace, ":discovery"].concat(),
            refresh_lock: [&namespace, ":refresh"].concat(),
            tab: [&namespace, ":tab"].concat(),
        };
        let session = Rc::new(Session::new(config.expiry_margin_ms));
        let config_log_level = config.log_level;
        let timeout_s = config.timeout_s;
        let tab = (config.storage == StorageKind::Session).then(|| TabClaim::start(&keys.tab));
        let mut client = Client {
            config,
            token_store,
            tx_store,
            keys,
            session,
            metadata: RefCell::new(None),
            keys_cache: oidc::KeyCache::default(),
            refresh_flight: SingleFlight::default(),
            grants: Turns::default(),
            storage_listener: None,
            tab,
            inherited_refresh_token: None,
            log: Logger::new(config_log_level),
            http: Http::new(timeout_s),
        };
        let stored = client.read_stored_tokens();
        client.inherited_refresh_token = stored.as_ref().and_then(|t| t.refresh_token.clone());
        client.session.restore(stored);
        if client.shares_tokens_across_tabs() {
            client.storage_listener = Some(client.listen_to_other_tabs());
        }
        Ok(client)
    }

    /// `localStorage` is shared by the origin's tabs: they sync and lock; `sessionStorage` and
    /// memory are per tab and need neither.
    fn shares_tokens_across_tabs(&self) -> bool {
        self.config.storage == StorageKind::Local
    }

    /// The stored tokens; an unreadable record is removed and counts as none.
    fn read_stored_tokens(&self) -> Option<TokenSet> {
        let text = self.token_store.get(&self.keys.tokens).ok().flatten()?;
        TokenSet::from_json(&text).ok().or_else(|| {
            self.token_store.remove(&self.keys.tokens);
            None
        })
    }

    /// Another tab logged in, refreshed or logged out: the `storage` event carries the new record.
    fn listen_to_other_tabs(&self) -> Closure<dyn FnMut(web_sys::StorageEvent)> {
        let session = self.session.clone();
        let key = self.keys.tokens.clone();
        let listener = Closure::<dyn FnMut(web_sys::StorageEvent)>::new(move |event: web_sys::StorageEvent| {
            if event.key().is_some_and(|k| k != key) {
                return;
            }
            session.replace(event.new_value().and_then(|text| TokenSet::from_json(&text).ok()));
        });
        if let Some(window) = web_sys::window() {
            let _ = window.add_event_listener_with_callback("storage", listener.as_ref().unchecked_ref());
        }
        listener
    }

    /// The provider's endpoints: from the configuration, or discovery (OIDC Discovery §4),
    /// kept in memory and for [`DISCOVERY_TTL_MS`] in `sessionStorage`, so that the callback
    /// page after the redirect does not fetch it again. A cached document is checked again.
    async fn metadata(&self) -> Result<ProviderMetadata> {
        if let Some(m) = self.metadata.borrow().as_ref() {
            return Ok(m.clone());
        }
        let metadata = match &self.config.discovery_url {
            None => ProviderMetadata::from_config(&self.config)
                .ok_or_else(|| AuthError::config("tokenEndpoint", "is required"))?,
            Some(url) => match self.cached_discovery() {
                Some(m) => {
                    self.log.debug(&["discovery: reused from sessionStorage"]);
                    m
                }
                None => {
                    self.log.debug(&["discovery: fetching ", public_part(url)]);
                    let answer = self.http.get(url).await?;
                    if answer.status != 200 {
                        return Err(AuthError::new(
                            ErrorKind::DiscoveryError,
                            ["the discovery document answered HTTP ", &decimal(answer.status.into())].concat(),
                        )
                        .with_status(answer.status));
                    }
                    let metadata = ProviderMetadata::from_discovery(&answer.body, &self.config)?;
                    let record =
                        RecordWriter::new(1).int("fetchedAt", now_ms()).raw("doc", Some(&answer.body)).finish();
                    let _ = self.tx_store.set(&self.keys.discovery, &record);
                    metadata
                }
            },
        };
        *self.metadata.borrow_mut() = Some(metadata.clone());
        Ok(metadata)
    }

    fn cached_discovery(&self) -> Option<ProviderMetadata> {
        let record = Json::parse(&self.tx_store.get(&self.keys.discovery).ok()??)?;
        let age = now_ms().saturating_sub(record.get("fetchedAt")?.as_int_lenient()?);
        if !(0..DISCOVERY_TTL_MS).contains(&age) {
            return None;
        }
        ProviderMetadata::from_discovery(&record.get("doc")?.to_text(), &self.config).ok()
    }
}

impl Client {
    /// The token endpoint for `policy` (Azure AD B2C: the policy that issued the code or the
    /// refresh token goes in the query string, RFC-wise an ordinary endpoint URL).
    fn token_endpoint(&self, metadata: &ProviderMetadata, policy: Option<&str>) -> String {
        endpoint_for_policy(&metadata.token_endpoint, self.config.policy.as_deref(), policy)
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if let (Some(listener), Some(window)) = (&self.storage_listener, web_sys::window()) {
            let _ = window.remove_event_listener_with_callback("storage", listener.as_ref().unchecked_ref());
        }
    }
}
