//! The session record the tabs coordinate on under the refresh lock (`storage: 'local'`),
//! kept in IndexedDB because its reads are consistent across tabs (js/api.js says why
//! localStorage is not).

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/js/api.js")]
extern "C" {
    #[wasm_bindgen(js_name = sharedGet)]
    fn shared_get(key: &str) -> Promise;
    #[wasm_bindgen(js_name = sharedSet)]
    fn shared_set(key: &str, value: Option<String>) -> Promise;
}

/// The record under `key`: `Ok(None)` when there is none, `Err(())` when IndexedDB is
/// unavailable (private modes of some browsers): the caller then falls back to localStorage.
pub async fn get(key: &str) -> Result<Option<String>, ()> {
    JsFuture::from(shared_get(key)).await.map(|v| v.as_string()).map_err(|_| ())
}

/// Stores (or with `None` deletes) the record; waits until it is committed.
pub async fn set(key: &str, value: Option<String>) -> Result<(), ()> {
    JsFuture::from(shared_set(key, value)).await.map(|_| ()).map_err(|_| ())
}
