//! What the wasm-bindgen browser tests share: the fixture server's origin, the test page's
//! URL, a console recorder (to prove that no secret is ever printed), and the JS helpers of
//! the tests, all in ONE module: wasm-bindgen-test-runner's server now and then never answers
//! one of several snippet requests, and the test page then hangs at "Loading scripts...".
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

// Keys made in the browser for the signature tests: a JWS signed with a fresh key pair, and
// the public JWK to check it with.
const params = {
  RS256: [{ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, { name: 'RSASSA-PKCS1-v1_5' }],
  PS256: [{ name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, { name: 'RSA-PSS', saltLength: 32 }],
  ES256: [{ name: 'ECDSA', namedCurve: 'P-256' }, { name: 'ECDSA', hash: 'SHA-256' }],
  ES384: [{ name: 'ECDSA', namedCurve: 'P-384' }, { name: 'ECDSA', hash: 'SHA-384' }],
};
const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
export async function signedToken(alg, claimsJson) {
  const [gen, sign] = params[alg];
  const pair = await crypto.subtle.generateKey(gen, true, ['sign', 'verify']);
  const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const input = b64url(new TextEncoder().encode(JSON.stringify({ alg, kid: 'k1' }))) + '.' + b64url(new TextEncoder().encode(claimsJson));
  const sig = await crypto.subtle.sign(sign, pair.privateKey, new TextEncoder().encode(input));
  return [input + '.' + b64url(sig), JSON.stringify({ ...jwk, kid: 'k1' })];
}

// Storage faults for the catalog: sessionStorage that throws, and a full Storage.
const storageGetter = Object.getOwnPropertyDescriptor(window, 'sessionStorage');
export function disableSessionStorage() {
  Object.defineProperty(window, 'sessionStorage', { configurable: true, get() { throw new DOMException('denied', 'SecurityError'); } });
}
export function enableSessionStorage() {
  if (storageGetter) Object.defineProperty(window, 'sessionStorage', storageGetter); else delete window.sessionStorage;
}
const setItem = Storage.prototype.setItem;
export function fillStorage() {
  Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };
}
export function unfillStorage() { Storage.prototype.setItem = setItem; }
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
    #[wasm_bindgen(js_name = signedToken)]
    pub fn signed_token(alg: &str, claims_json: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = disableSessionStorage)]
    pub fn disable_session_storage();
    #[wasm_bindgen(js_name = enableSessionStorage)]
    pub fn enable_session_storage();
    #[wasm_bindgen(js_name = fillStorage)]
    pub fn fill_storage();
    #[wasm_bindgen(js_name = unfillStorage)]
    pub fn unfill_storage();
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
