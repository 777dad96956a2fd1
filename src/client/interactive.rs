//! Logins that leave this page where it is: `loginPopup()` (the authorization code flow,
//! RFC 6749 §4.1, in a popup) and `ssoSilent()` (the same with `prompt=none`, OIDC Core
//! §3.1.2.1, in a hidden frame). The transaction stays in this page's memory; the landing page
//! hands the response back over a same-origin channel ([`crate::browser::interaction`]), and it
//! is checked and redeemed exactly like a redirect's.

use super::Client;
use crate::browser::interaction::{Frame, Popup};
use crate::browser::log::public_part;
use crate::core::authorize::{Interaction, LoginOptions};
use crate::core::callback::{parse_response, AuthorizationResponse};
use crate::core::config::ResponseMode;
use crate::core::error::{AuthError, ErrorKind, Result};
use crate::core::transaction::Transaction;

impl Client {
    /// Logs in through `popup` (opened by the caller in the click); returns the app state.
    pub async fn login_popup(
        &self,
        popup: Popup,
        options: LoginOptions,
        app_state: Option<String>,
    ) -> Result<Option<String>> {
        let mut options = LoginOptions { interaction: Interaction::Popup, ..options };
        let mut outcome = self.popup_login(&popup, options.clone(), app_state.clone()).await;
        // Azure AD B2C "forgot password": the same popup goes on with the reset policy.
        if outcome.as_ref().is_err_and(|e| self.is_forgotten_password(e)) {
            self.log.info(&["login: forgot password; the popup continues with the password reset policy"]);
            options.policy = self.config.password_reset_policy.clone();
            outcome = self.popup_login(&popup, options, app_state).await;
        }
        popup.close();
        outcome
    }

    async fn popup_login(&self, popup: &Popup, options: LoginOptions, app_state: Option<String>) -> Result<Option<String>> {
        let (url, tx) = self.prepare_login(options, app_state).await?;
        self.log.info(&["login: popup to ", public_part(&url)]);
        popup.navigate(&url)?;
        let relayed = popup.response(&tx.state, self.config.popup_timeout_ms).await?;
        let (response, tx) = self.relayed_response(relayed, tx)?;
        self.redeem(response, tx).await
    }

    /// Logs in without the user, when the provider still has a session for them: a hidden
    /// frame, `prompt=none`. The provider's refusal comes as its own error (`login_required`,
    /// `interaction_required`, `consent_required`); `timeout` when the frame gives no answer.
    ///
    /// `policy` (Azure AD B2C): the policy to ask, when not the configured one.
    pub async fn sso_silent(&self, login_hint: Option<String>, policy: Option<String>) -> Result<()> {
        let options = LoginOptions { interaction: Interaction::Silent, login_hint, policy, ..LoginOptions::default() };
        let (url, tx) = self.prepare_login(options, None).await?;
        self.log.info(&["login: silently in a frame to ", public_part(&url)]);
        let relayed = Frame::open(&url).response(&tx.state, self.config.silent_timeout_ms).await?;
        let (response, tx) = self.relayed_response(relayed, tx)?;
        self.redeem(response, tx).await.map(|_| ())
    }

    /// The response a landing page relayed, parsed and matched to `tx`: only from the part the
    /// response mode asked for, only for this login's state.
    fn relayed_response(
        &self,
        (part, text): (ResponseMode, String),
        tx: Transaction,
    ) -> Result<(AuthorizationResponse, Transaction)> {
        let mode = self.config.response_mode;
        if part != mode {
            return Err(AuthError::new(
                ErrorKind::InvalidResponse,
                ["the response came in the ", part.part_name(), " but responseMode is '", mode.as_str(), "'"].concat(),
            ));
        }
        let response = parse_response(&text)?;
        if response.state != tx.state {
            return Err(AuthError::new(ErrorKind::StateMismatch, "the relayed response is for another login"));
        }
        Ok((response, tx))
    }
}
