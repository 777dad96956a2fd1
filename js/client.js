// The AuthClient methods that run in JS, over decisions the wasm makes. scripts/finish-pkg.mjs
// copies this file into the package and applies it to AuthClient.
//
// getAccessToken()'s hot path: while the session's access token is usable, the answer is the
// same resolved promise, read from an object the wasm keeps up to date (Session::hot_path in
// src/client/session.rs) without a call into the wasm. Outside that window (no session,
// expiring token, not_before ahead, freed client) the wasm decides, refreshes or throws.
//
// on()/off(): the listeners are a JS object the wasm emits to (Emitter in js/api.js).
//
// fetch(): JS moves the Request (RFC 6750 §2.1 header, one retry); the wasm decides which token
// the URL carries (__bearerFor: its `apis` entry's, else the login's for the page origin or
// apiOrigins, src/core/apis.rs and resource.rs) and whether a 401 challenge is worth one
// refresh of that token (__retryToken, RFC 6750 §3.1).

const HOT_PATH = Symbol('spa-oauth hot path');
const API_HOT_PATHS = Symbol('spa-oauth API hot paths');

/** Gives `AuthClient.prototype` its JS methods; `AuthError` is the class of js/api.js. */
export function withJsMethods(AuthClient, AuthError) {
  const proto = AuthClient.prototype;
  const viaWasm = proto.getAccessToken;
  proto.getAccessToken = function getAccessToken(options) {
    const hot = options === undefined ? (this[HOT_PATH] ??= this.__hotPath()) : apiHotPath(this, options);
    const now = Date.now();
    return hot && now >= hot.from && now < hot.until ? hot.token : viaWasm.call(this, options);
  };
  // An API's window, by the key src/core/apis.rs (TokenKey::text) files it under: the scopes
  // as a set (sorted, each once) and the resource. Anything unusual goes to the wasm, which
  // checks the options and names what is wrong.
  // Apps mostly pass the scopes the same way each time, often already sorted: the list as given
  // is tried first (a string join and one Map lookup), the set's key only when that misses.
  const apiHotPath = (client, options) => {
    const scopes = options?.scopes;
    if (!Array.isArray(scopes)) return undefined;
    const windows = (client[API_HOT_PATHS] ??= client.__apiHotPaths());
    const resource = `\n${options.resource ?? ''}`;
    return windows.get(scopes.join(' ') + resource) ?? windows.get([...new Set(scopes)].sort().join(' ') + resource);
  };

  proto.on = function on(event, callback) {
    this.__events().on(event, callback);
  };
  proto.off = function off(event, callback) {
    this.__events().off(event, callback);
  };

  const invalid = (message) => new AuthError('invalid_config', `fetch: ${message}`);
  const send = (request) =>
    fetch(request).catch(() => {
      throw new AuthError('network_error', 'fetch failed (offline, or refused by CORS)');
    });
  const withBearer = (request, token) => {
    if (request.bodyUsed) throw invalid('the request body was already used');
    const copy = request.clone();
    try {
      copy.headers.set('Authorization', `Bearer ${token}`);
    } catch {
      throw invalid("the request's headers cannot be changed (mode 'no-cors'?)");
    }
    return copy;
  };
  proto.fetch = async function (input, init) {
    let request;
    try {
      request = new Request(input, init);
    } catch (e) {
      throw invalid(`invalid request: ${e?.message ?? e}`);
    }
    // The app's own Authorization header is left alone.
    const token = request.headers.has('Authorization') ? null : await this.__bearerFor(request.url);
    if (token === null) return send(request);
    const response = await send(withBearer(request, token));
    // Redirects: the browser drops Authorization on a cross-origin hop (Fetch §4.4, tested in
    // tests/e2e/faults.test.mjs); a 401 from another origin than the request's says nothing
    // about the token and earns no refresh.
    if (response.status !== 401 || new URL(response.url).origin !== new URL(request.url).origin) return response;
    const retry = await this.__retryToken(request.url, token, response.headers.get('WWW-Authenticate'));
    return retry === null ? response : send(withBearer(request, retry));
  };
}
