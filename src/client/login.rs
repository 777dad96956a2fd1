//! The login: authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3) and the redirect
//! callback (§4.1.2, RFC 9207), up to the code's redemption (§4.1.3).

use super::session::lifetime_line;
use super::Client;
use crate::browser::log::public_part;
use crate::browser::{crypto, location, now_ms};
use crate::core::authorize::{authorization_url, LoginOptions};
use crate::core::callback::{
    looks_like_response, parse_response, response_part, strip_response_params, AuthorizationResponse, Outcome,
};
use crate::core::b2c::{error_code, FORGOT_PASSWORD};
use crate::core::config::ResponseMode;
use crate::core::discovery::ProviderMetadata;
use crate::core::error::{AuthError, ErrorKind, Result};
use crate::core::pkce;
use crate::core::secret::Secret;
use crate::core::text::decimal;
use crate::core::token::{authorization_code_body, parse_token_response};
use crate::core::token_set::TokenSet;
use crate::core::transaction::Transaction;
use crate::core::url::{without_query, HttpUrl};

impl Client {
    /// RFC 6749 §4.1.1: remembers a fresh transaction and sends the browser to the provider.
    pub async fn login_redirect(&self, options: LoginOptions, app_state: Option<String>) -> Result<()> {
        let url = self.authorization_request(options, app_state).await?;
        self.log.info(&["login: redirecting to ", public_part(&url)]);
        location::navigate(&url)
    }

    /// RFC 6749 §4.1.1 and RFC 7636 §4.1-4.3: draws `state` and the verifier, saves the
    /// transaction (replacing any earlier one of this tab) and returns the authorization URL.
    pub async fn authorization_request(&self, options: LoginOptions, app_state: Option<String>) -> Result<String> {
        let (url, tx) = self.prepare_login(options, app_state).await?;
        self.tx_store.set(&self.keys.login, &tx.to_json())?;
        // A logout abandoned at the provider is over once a new login starts.
        self.tx_store.remove(&self.keys.logout);
        Ok(url)
    }

    /// A fresh transaction (`state` with the prefix of `options.interaction`, a nonce with
    /// `openid`, the PKCE verifier) and the authorization URL that carries it.
    pub(super) async fn prepare_login(
        &self,
        options: LoginOptions,
        app_state: Option<String>,
    ) -> Result<(String, Transaction)> {
        let metadata = self.metadata().await?;
        let state = [options.interaction.state_prefix(), &pkce::random_value(&crypto::random_bytes()?)].concat();
        let nonce = match self.config.is_oidc() {
            true => Some(pkce::random_value(&crypto::random_bytes()?)),
            false => None,
        };
        let verifier = pkce::verifier(&crypto::random_bytes()?);
        let challenge = pkce::challenge(&crypto::sha256(verifier.as_bytes()).await?);
        let url = authorization_url(
            &self.config,
            &metadata.authorization_endpoint,
            &state,
            nonce.as_deref(),
            &challenge,
            &options,
        )?;
        let tx = Transaction {
            state,
            verifier: Secret::new(verifier),
            redirect_uri: self.config.redirect_uri_for(options.interaction).to_owned(),
            app_state,
            created_at_ms: now_ms(),
            policy: options.policy(&self.config).map(str::to_owned),
            nonce,
        };
        Ok((url, tx))
    }

    /// Whether the page's URL is this client's redirect URI carrying an authorization response
    /// (in either part of the URL: [`Client::handle_redirect_callback`] cleans and refuses one
    /// in the part the response mode did not ask for), or the return from a logout.
    pub fn is_callback(&self) -> bool {
        location::current().is_ok_and(|url| {
            let any_response = self.holds_any_response(&url);
            self.is_redirect_target(&url) && any_response || !any_response && self.is_logout_return(&url)
        })
    }

    fn holds_any_response(&self, url: &location::CurrentUrl) -> bool {
        let mode = self.config.response_mode;
        self.holds_response(url, mode) || self.holds_response(url, mode.other())
    }

    fn is_redirect_target(&self, url: &location::CurrentUrl) -> bool {
        let redirect = without_query(&self.config.redirect_uri);
        HttpUrl::parse(redirect).is_some_and(|r| {
            let path = if r.path_and_query.is_empty() { "/" } else { r.path_and_query };
            url.origin_and_path == r.origin() + path
        })
    }

    fn holds_response(&self, url: &location::CurrentUrl, mode: ResponseMode) -> bool {
        looks_like_response(response_part(mode, &url.search, &url.hash))
    }

    /// RFC 6749 §4.1.2: handles the response on the redirect page. `Ok(None)` when the page is
    /// not a callback; otherwise the app state of the login. The response parameters leave the
    /// URL first, whatever happens next.
    pub async fn handle_redirect_callback(&self) -> Result<Option<Option<String>>> {
        let url = location::current()?;
        let mode = self.config.response_mode;
        // The logout return may land on postLogoutRedirectUri, not the redirect URI.
        if !self.holds_any_response(&url) && self.handle_logout_return(&url)? {
            return Ok(None);
        }
        if !self.is_redirect_target(&url) {
            return Ok(None);
        }
        if !self.holds_response(&url, mode) {
            if self.holds_response(&url, mode.other()) {
                clean_url(&url);
                return Err(self.response_in_the_other_part(&url));
            }
            return Ok(None);
        }
        clean_url(&url);
        self.log.info(&["callback: authorization response in the ", mode.part_name(), "; URL cleaned"]);
        let response = parse_response(response_part(mode, &url.search, &url.hash))?;

        let tx = self.take_transaction(&response.state)?;
        let app_state = tx.app_state.clone();
        match self.redeem(response, tx).await {
            Err(e) if self.is_forgotten_password(&e) => {
                self.log.info(&["callback: forgot password; continuing with the password reset policy"]);
                let reset = LoginOptions { policy: self.config.password_reset_policy.clone(), ..LoginOptions::default() };
                self.login_redirect(reset, app_state).await.map(|()| None)
            }
            outcome => outcome.map(Some),
        }
    }

    /// Azure AD B2C: the user chose "forgot password" on the sign-in page (AADB2C90118) and the
    /// app named a policy that resets it, which the login then continues with.
    pub(super) fn is_forgotten_password(&self, e: &AuthError) -> bool {
        self.config.password_reset_policy.is_some() && e.description.as_deref().and_then(error_code) == Some(FORGOT_PASSWORD)
    }

    /// RFC 6749 §4.1.2-§4.1.4: a response whose `state` matched `tx` (a redirect's, a popup's or
    /// a silent frame's): the provider's error, or the code redeemed with the transaction's
    /// verifier, the ID token checked and the tokens stored. Returns the login's app state.
    pub(super) async fn redeem(&self, response: AuthorizationResponse, tx: Transaction) -> Result<Option<String>> {
        if tx.is_expired(now_ms()) {
            return Err(AuthError::new(
                ErrorKind::TransactionExpired,
                "the login took longer than 10 minutes; log in again",
            ));
        }
        let metadata = self.metadata().await?;
        check_issuer(&metadata, response.iss.as_deref())?;
        let code = match response.outcome {
            Outcome::Error(e) => {
                self.log.info(&["callback: the provider answered ", &e.code]);
                return Err(e);
            }
            Outcome::Code(code) => code,
        };
        self.log.debug(&[
            "callback: state matches the login started ",
            &decimal(now_ms().saturating_sub(tx.created_at_ms) / 1000),
            " s ago",
        ]);

        let body = authorization_code_body(&self.config.client_id, &code, &tx.redirect_uri, &tx.verifier);
        let sent_at = now_ms();
        let token_endpoint = self.token_endpoint(&metadata, tx.policy.as_deref());
        self.log.info(&["callback: redeeming the code at ", public_part(&token_endpoint)]);
        self.fetch_keys_ahead(&metadata);
        let answer = self.http.post_form(&token_endpoint, &body).await?;
        self.log.debug(&[
            "callback: token endpoint answered HTTP ",
            &decimal(answer.status.into()),
            " after ",
            &decimal(now_ms() - sent_at),
            " ms",
        ]);
        let tokens =
            TokenSet { policy: tx.policy.clone(), ..parse_token_response(answer.status, &answer.body, sent_at)? };
        let tokens = self.checked_login_id_token(tokens, tx.nonce.as_deref()).await?;
        self.log.info(&[&lifetime_line("callback: logged in", &tokens)]);
        self.store_login_tokens(tokens).await?;
        Ok(tx.app_state)
    }

    /// A response in the part of the URL the response mode did not ask for. A code there is
    /// refused (`invalid_response`): it may have been injected, and was exposed where it was not
    /// expected. Some providers send an error redirect in the query whatever `response_mode`
    /// said; when its `state` is this tab's pending login, the provider's error (the user
    /// cancelled, ...) is what the app needs to hear, and that login is over.
    fn response_in_the_other_part(&self, url: &location::CurrentUrl) -> AuthError {
        let other = self.config.response_mode.other();
        if let Ok(response) = parse_response(response_part(other, &url.search, &url.hash)) {
            if let Outcome::Error(e) = response.outcome {
                if self.take_transaction(&response.state).is_ok() {
                    self.log.info(&["callback: the provider answered ", &e.code, " in the ", other.part_name()]);
                    return e;
                }
            }
        }
        let mode = self.config.response_mode;
        AuthError::new(
            ErrorKind::InvalidResponse,
            ["the authorization response came in the ", other.part_name(), " but responseMode is '", mode.as_str(), "'"]
                .concat(),
        )
    }

    /// RFC 6749 §10.12: the response's `state` must be the one of the login in progress. The
    /// transaction is removed before anything is redeemed, so a reload, the back button or a
    /// second call can never redeem twice. A mismatch leaves it alone: a forged link must not
    /// cancel a login in progress.
    fn take_transaction(&self, state: &str) -> Result<Transaction> {
        let mismatch = |why: &str| AuthError::new(ErrorKind::StateMismatch, why.to_owned());
        let text = self
            .tx_store
            .get(&self.keys.login)?
            .ok_or_else(|| mismatch("no login is in progress (already handled, or started in another tab)"))?;
        let tx = Transaction::from_json(&text);
        if tx.as_ref().is_ok_and(|t| t.state != state) {
            return Err(mismatch("the response's state does not match the login in progress"));
        }
        self.tx_store.remove(&self.keys.login);
        tx
    }
}

/// RFC 9207 §2.4: when the provider advertises `iss` in authorization responses, it must be
/// there and be the issuer; when it is sent anyway, it must still match.
fn check_issuer(metadata: &ProviderMetadata, iss: Option<&str>) -> Result<()> {
    let mismatch = |why: &str| AuthError::new(ErrorKind::IssuerMismatch, why.to_owned());
    match (iss, metadata.issuer.as_deref()) {
        (Some(got), Some(expected)) if got != expected => {
            Err(mismatch("the response's iss is not the expected issuer"))
        }
        (None, _) if metadata.iss_parameter_supported => {
            Err(mismatch("the response has no iss although the provider always sends it (RFC 9207)"))
        }
        _ => Ok(()),
    }
}

/// Replaces the URL by the same URL without the response parameters.
pub(super) fn clean_url(url: &location::CurrentUrl) {
    let query = strip_response_params(url.search.strip_prefix('?').unwrap_or(&url.search));
    let fragment = strip_response_params(url.hash.strip_prefix('#').unwrap_or(&url.hash));
    let mut clean = url.origin_and_path.clone();
    if !query.is_empty() {
        clean.push('?');
        clean.push_str(&query);
    }
    if !fragment.is_empty() {
        clean.push('#');
        clean.push_str(&fragment);
    }
    location::replace(&clean);
}
