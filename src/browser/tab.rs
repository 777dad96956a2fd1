//! Whether this page is a copy of another tab: browsers copy `sessionStorage` (the session's
//! refresh token included) into a duplicated tab and into windows opened with `window.open`.
//! Two pages spending one rotated refresh token is a replay (RFC 9700 §4.14.2); the copy
//! must leave the inherited refresh token alone. `claimTab` in js/api.js says how a copy is
//! told apart (a per-tab id held under a Web Lock).

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/js/api.js")]
extern "C" {
    #[wasm_bindgen(js_name = claimTab)]
    fn claim_tab(key: &str, wait_ms: u32) -> Promise;
}

/// How long a page waits for its inherited tab id before it counts as a copy: the previous
/// page of a reload lets go of it well within this.
const CLAIM_WAIT_MS: u32 = 1000;

/// This page's claim on its tab id, started once at construction and awaited when needed.
pub struct TabClaim(Promise);

impl TabClaim {
    /// Claims the tab id kept under `key` in `sessionStorage`.
    pub fn start(key: &str) -> TabClaim {
        TabClaim(claim_tab(key, CLAIM_WAIT_MS))
    }

    /// Whether a live page held this tab's id: this page is then a copy.
    pub async fn is_copy(&self) -> bool {
        JsFuture::from(self.0.clone()).await.is_ok_and(|v| v.is_truthy())
    }
}
