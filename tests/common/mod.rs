//! What the wasm-bindgen browser tests share: the fixture server's origin, the test page's
//! URL, and a console recorder (to prove that no secret is ever printed).
#![allow(dead_code)] // each test crate uses its own subset

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
const saved = {};
export function captureConsole() {
  const lines = [];
  for (const m of ['log', 'info', 'debug', 'warn', 'error']) {
    saved[m] = console[m];
    console[m] = (...args) => { lines.push(args.map(String).join(' ')); };
  }
  return lines;
}
export function restoreConsole() { Object.assign(console, saved); }
export function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }
"#)]
extern "C" {
    /// Records every console line from now on (returned array fills as they come).
    #[wasm_bindgen(js_name = captureConsole)]
    pub fn capture_console() -> js_sys::Array;
    /// Puts the console back.
    #[wasm_bindgen(js_name = restoreConsole)]
    pub fn restore_console();
    /// A promise resolved after `ms`.
    pub fn sleep(ms: u32) -> js_sys::Promise;
}

/// The fixture server's origin, passed at compile time by scripts/test.sh.
#[allow(clippy::option_env_unwrap)] // a run outside scripts/test.sh must fail loudly, not skip
pub fn fixture() -> &'static str {
    option_env!("SPA_OAUTH_FIXTURE").expect("run through scripts/test.sh, which starts the fixture server")
}

/// The test page's own URL, without query and fragment: the redirect URI of the tests.
pub fn page_url() -> String {
    let loc = web_sys::window().unwrap().location();
    loc.origin().unwrap() + &loc.pathname().unwrap()
}
