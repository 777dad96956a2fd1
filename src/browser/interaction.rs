//! The popup of `loginPopup()`, the hidden frame of `ssoSilent()`, and the channel their
//! responses come back on (the JS half, and why a channel rather than `window.opener`, is in
//! js/api.js).

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::core::authorize::Interaction;
use crate::core::config::ResponseMode;
use crate::core::error::{AuthError, ErrorKind, Result};

#[wasm_bindgen(module = "/js/api.js")]
extern "C" {
    #[wasm_bindgen(js_name = relayResponse)]
    fn relay_response(prefixes: Vec<String>) -> bool;
    #[wasm_bindgen(js_name = openPopup)]
    fn open_popup(features: &str) -> JsValue;
    #[wasm_bindgen(js_name = navigatePopup, catch)]
    fn navigate_popup(popup: &JsValue, url: &str) -> core::result::Result<(), JsValue>;
    #[wasm_bindgen(js_name = closePopup, catch)]
    fn close_popup(popup: &JsValue) -> core::result::Result<(), JsValue>;
    #[wasm_bindgen(js_name = awaitPopup)]
    fn await_popup(state: &str, popup: &JsValue, timeout_ms: f64) -> Promise;
    #[wasm_bindgen(js_name = openFrame)]
    fn open_frame(url: &str) -> JsValue;
    #[wasm_bindgen(js_name = awaitFrame)]
    fn await_frame(state: &str, frame: &JsValue, timeout_ms: f64) -> Promise;

    /// What the waits resolve with: `{ part, text }`.
    type Relayed;
    #[wasm_bindgen(method, getter)]
    fn part(this: &Relayed) -> String;
    #[wasm_bindgen(method, getter)]
    fn text(this: &Relayed) -> String;
}

/// On the page a popup or silent login landed on: hands the response to the page that started
/// it (and closes a popup). `false` when the URL holds no such response.
pub fn relay() -> bool {
    let prefixes = [Interaction::Popup, Interaction::Silent].map(|i| i.state_prefix().to_owned());
    relay_response(prefixes.to_vec())
}

/// The popup's size: room for a provider's sign-in form.
const FEATURES: &str = "popup,width=500,height=680";

/// A popup window, opened in the caller's click.
pub struct Popup(JsValue);

impl Popup {
    /// Opens a blank popup now, before any `await`: browsers allow popups only while the
    /// click that asked for them is being handled. `popup_blocked` when the browser refused.
    pub fn open() -> Result<Popup> {
        let popup = open_popup(FEATURES);
        if popup.is_null() {
            return Err(AuthError::new(
                ErrorKind::PopupBlocked,
                "the browser blocked the popup: call loginPopup() from a click handler, before any await",
            ));
        }
        Ok(Popup(popup))
    }

    /// Sends the popup to `url`.
    pub fn navigate(&self, url: &str) -> Result<()> {
        navigate_popup(&self.0, url).map_err(|_| closed())
    }

    /// Closes the popup, when it is still there.
    pub fn close(&self) {
        // A popup severed or already gone has nothing left to close.
        let _ = close_popup(&self.0);
    }

    /// Waits for the response of the login whose state is `state`: the part of the URL it
    /// came in and its text. `popup_closed` when the user closed the popup, `timeout` after
    /// `timeout_ms`.
    pub async fn response(&self, state: &str, timeout_ms: i64) -> Result<(ResponseMode, String)> {
        relayed(await_popup(state, &self.0, timeout_ms as f64), |reason| match reason {
            "closed" => closed(),
            _ => AuthError::new(
                ErrorKind::Timeout,
                "no answer from the popup in time (popupTimeoutSeconds); the user may have closed it after a provider page severed it from this window",
            ),
        })
        .await
    }
}

/// The hidden frame of a silent login; removed once its wait is over.
pub struct Frame(JsValue);

impl Frame {
    /// A hidden frame at `url`.
    pub fn open(url: &str) -> Frame {
        Frame(open_frame(url))
    }

    /// Waits for the response of the login whose state is `state`. `timeout` when none comes:
    /// quickly, with why, when the frame stayed on another origin's page.
    pub async fn response(&self, state: &str, timeout_ms: i64) -> Result<(ResponseMode, String)> {
        relayed(await_frame(state, &self.0, timeout_ms as f64), |reason| match reason {
            "refused" => AuthError::new(
                ErrorKind::Timeout,
                "the provider's page stayed in the hidden frame: it refuses to be framed (X-Frame-Options, CSP frame-ancestors) or wants the user; use loginPopup() or loginRedirect()",
            ),
            _ => AuthError::new(
                ErrorKind::Timeout,
                "no answer from the hidden frame in time (silentTimeoutSeconds): the provider may refuse to be framed, or the browser blocks its cookies in frames",
            ),
        })
        .await
    }
}

/// The relayed response of `waiting`: the part of the URL and its text; `failed` maps the
/// reason the wait gave up.
async fn relayed(waiting: Promise, failed: impl Fn(&str) -> AuthError) -> Result<(ResponseMode, String)> {
    let relayed = JsFuture::from(waiting).await.map_err(|reason| failed(&reason.as_string().unwrap_or_default()))?;
    let relayed: Relayed = relayed.unchecked_into();
    let mode = if relayed.part() == "query" { ResponseMode::Query } else { ResponseMode::Fragment };
    Ok((mode, relayed.text()))
}

fn closed() -> AuthError {
    AuthError::new(ErrorKind::PopupClosed, "the popup was closed before the login finished")
}
