//! The client's events (`auth.on(name, callback)`): `tokensChanged`, `loggedOut`, `refreshFailed`.

use std::cell::RefCell;

use js_sys::Function;
use wasm_bindgen::JsValue;

/// The event names, a contract with the TypeScript typings.
pub const EVENTS: [&str; 3] = ["tokensChanged", "loggedOut", "refreshFailed"];

/// Listeners by event name.
#[derive(Default)]
pub struct Emitter {
    listeners: RefCell<Vec<(String, Function)>>,
}

impl Emitter {
    /// Adds `callback` for `event` (once: adding the same callback twice has no effect).
    pub fn on(&self, event: &str, callback: Function) {
        let mut listeners = self.listeners.borrow_mut();
        if !listeners.iter().any(|(e, f)| e == event && *f == callback) {
            listeners.push((event.to_owned(), callback));
        }
    }

    /// Removes `callback` from `event`.
    pub fn off(&self, event: &str, callback: &Function) {
        self.listeners.borrow_mut().retain(|(e, f)| !(e == event && f == callback));
    }

    /// Calls every listener of `event` with `payload`. A listener that throws does not stop
    /// the others, nor the library; listeners may add or remove listeners.
    pub fn emit(&self, event: &str, payload: &JsValue) {
        let targets: Vec<Function> =
            self.listeners.borrow().iter().filter(|(e, _)| e == event).map(|(_, f)| f.clone()).collect();
        for f in targets {
            let _ = f.call1(&JsValue::UNDEFINED, payload);
        }
    }
}
