//! The only layer that touches the browser: randomness and SHA-256 (WebCrypto), storage,
//! fetch, the clock and the location bar. Each function turns a browser failure into an
//! [`AuthError`](crate::core::error::AuthError) with a stable code.

pub mod crypto;
pub mod events;
pub mod http;
pub mod interaction;
pub mod jws;
pub mod location;
pub mod lock;
pub mod log;
pub mod shared;
pub mod storage;
pub mod tab;

/// Milliseconds since the epoch, like `Date.now()`.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Sets `object[key] = value` on a plain object (cannot fail on one the crate made).
pub fn set_property(object: &js_sys::Object, key: &str, value: &wasm_bindgen::JsValue) {
    let _ = js_sys::Reflect::set(object, &wasm_bindgen::JsValue::from_str(key), value);
}
