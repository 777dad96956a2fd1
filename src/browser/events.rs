//! The client's events (`auth.on(name, callback)`): `tokensChanged`, `loggedOut`,
//! `refreshFailed`. The listeners live in JS (`Emitter` in js/api.js), where `auth.on` and
//! `auth.off` (js/client.js) reach them without entering the wasm.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/api.js")]
extern "C" {
    /// The listeners of one client, by event name.
    #[derive(Clone)]
    pub type Emitter;

    /// No listeners yet.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Emitter;

    /// Calls every listener of `event` with `payload`; a listener that throws stops neither
    /// the others nor the library.
    #[wasm_bindgen(method)]
    pub fn emit(this: &Emitter, event: &str, payload: &JsValue);
}
