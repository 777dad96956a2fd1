//! `loginPopup()`: the authorization code flow (RFC 6749 §4.1) in a popup, the opener staying
//! where it is. The transaction stays in this page's memory; the popup's landing page hands the
//! response back over a same-origin channel ([`crate::browser::popup`]), and it is checked and
//! redeemed exactly like a redirect's.

use super::Client;
use crate::browser::log::public_part;
use crate::browser::popup::Popup;
use crate::core::authorize::{Interaction, LoginOptions};
use crate::core::callback::parse_response;
use crate::core::error::{AuthError, ErrorKind, Result};

impl Client {
    /// Logs in through `popup` (opened by the caller in the click); returns the app state.
    pub async fn login_popup(
        &self,
        popup: Popup,
        options: LoginOptions,
        app_state: Option<String>,
    ) -> Result<Option<String>> {
        let options = LoginOptions { interaction: Interaction::Popup, ..options };
        let outcome = self.popup_response(&popup, options, app_state).await;
        popup.close();
        let (response, tx) = outcome?;
        self.redeem(response, tx).await
    }

    async fn popup_response(
        &self,
        popup: &Popup,
        options: LoginOptions,
        app_state: Option<String>,
    ) -> Result<(crate::core::callback::AuthorizationResponse, crate::core::transaction::Transaction)> {
        let (url, tx) = self.prepare_login(options, app_state).await?;
        self.log.info(&["login: popup to ", public_part(&url)]);
        popup.navigate(&url)?;
        let (part, text) = popup.response(&tx.state, self.config.popup_timeout_ms).await?;
        // Only the configured part: a code elsewhere is refused, as on a redirect.
        if part != self.config.response_mode {
            return Err(AuthError::new(
                ErrorKind::InvalidResponse,
                ["the popup's response came in the ", part.part_name(), " but responseMode is '", self.config.response_mode.as_str(), "'"]
                    .concat(),
            ));
        }
        let response = parse_response(&text)?;
        if response.state != tx.state {
            return Err(AuthError::new(ErrorKind::StateMismatch, "the popup's response is for another login"));
        }
        Ok((response, tx))
    }
}
