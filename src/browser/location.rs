//! The address bar: reading the authorization response, cleaning it away, navigating.

use crate::core::error::{AuthError, ErrorKind, Result};

/// The parts of `window.location` the flow reads.
pub struct CurrentUrl {
    /// `location.origin`
    pub origin: String,
    /// `location.origin + location.pathname`
    pub origin_and_path: String,
    /// `location.search`, with its `?`
    pub search: String,
    /// `location.hash`, with its `#`
    pub hash: String,
}

fn window() -> Result<web_sys::Window> {
    web_sys::window().ok_or_else(|| AuthError::new(ErrorKind::InvalidConfig, "spa-oauth runs in a browser window"))
}

/// Reads the current URL.
pub fn current() -> Result<CurrentUrl> {
    let loc = window()?.location();
    let read = |r: core::result::Result<String, wasm_bindgen::JsValue>| r.unwrap_or_default();
    let origin = read(loc.origin());
    Ok(CurrentUrl {
        origin_and_path: origin.clone() + &read(loc.pathname()),
        origin,
        search: read(loc.search()),
        hash: read(loc.hash()),
    })
}

/// Replaces the current history entry's URL (no navigation, no reload), so the code and state
/// can't be reached with the back button or a reload.
pub fn replace(url: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
    }
}

/// Navigates the window to `url` (the authorization request).
pub fn navigate(url: &str) -> Result<()> {
    window()?.location().assign(url).map_err(|_| {
        AuthError::new(ErrorKind::InvalidConfig, "the browser refused to navigate to the authorization endpoint")
    })
}
