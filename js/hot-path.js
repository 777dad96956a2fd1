// getAccessToken()'s hot path, in JS: while the session's access token is usable, the answer is
// the same resolved promise, read from an object the wasm keeps up to date (Session::hot_path
// in src/client/session.rs) without a call into the wasm. Outside that window (no session,
// expiring token, not_before ahead, freed client) the wasm decides, refreshes or throws.
// scripts/finish-pkg.mjs copies this file into the package and applies it to AuthClient.

const HOT_PATH = Symbol('spa-oauth hot path');

/** Gives `AuthClient.prototype.getAccessToken` its JS hot path. */
export function withHotPath(AuthClient) {
  const viaWasm = AuthClient.prototype.getAccessToken;
  AuthClient.prototype.getAccessToken = function getAccessToken() {
    const hot = (this[HOT_PATH] ??= this.__hotPath());
    const now = Date.now();
    return now >= hot.from && now < hot.until ? hot.token : viaWasm.call(this);
  };
}
