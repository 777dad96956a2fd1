//! A lock shared by every tab of the origin (Web Locks API), so that two tabs never redeem
//! the same refresh token at once (a rotated refresh token replayed looks like theft to the
//! provider, RFC 9700 §4.14.2, and ends the session).

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/js/api.js")]
extern "C" {
    #[wasm_bindgen(js_name = acquireLock)]
    fn acquire_lock(name: &str) -> Promise;
}

/// Held until dropped.
pub struct LockGuard(Option<Function>);

impl Drop for LockGuard {
    fn drop(&mut self) {
        if let Some(release) = self.0.take() {
            let _ = release.call0(&JsValue::UNDEFINED);
        }
    }
}

/// Waits for the lock `name`. Where the browser has no Web Locks, or refuses the request, the
/// caller goes on without it: no worse than a browser with a single tab.
pub async fn acquire(name: &str) -> LockGuard {
    let release = JsFuture::from(acquire_lock(name)).await.ok().and_then(|f| f.dyn_into::<Function>().ok());
    LockGuard(release)
}
