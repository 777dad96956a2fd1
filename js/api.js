// The JS half of src/api.rs and of the browser layer: events, HTTP, WebCrypto, the cross-tab
// lock and IndexedDB. One snippet module: the wasm-bindgen test runner now and then stalls
// loading a page with several, so the library keeps their number down. Moving bytes through
// browser APIs is smaller in JS than through web-sys bindings; every decision stays in the wasm.
//
// The error every spa-oauth failure is thrown as: a real Error subclass, so `instanceof Error`,
// `.stack` and `console.error` work as users expect. Its `code` is stable (see the README).
export class AuthError extends Error {
  constructor(code, message, description, status, b2cCode, providerError, scopes) {
    super(message);
    this.name = 'AuthError';
    this.code = code;
    if (description != null) this.description = description;
    if (status != null) this.status = status;
    // Azure AD B2C: the AADB2Cnnnnn code of the description (AADB2C90118: forgot password).
    if (b2cCode != null) this.b2cCode = b2cCode;
    // interaction_required for one API's token: what the provider said, and for which scopes.
    if (providerError != null) this.providerError = providerError;
    if (scopes != null) this.scopes = scopes.split(' ');
  }
}

// The options objects apps pass, as JSON text for the wasm to read field by field
// (src/core/options.rs): one call instead of one per field and type check.
//
// JSON has no form for functions, symbols, BigInt, NaN or ±Infinity: each becomes [null], a
// value no option accepts, so it is refused by name instead of silently vanishing. `skip` is a
// top-level member left out (loginRedirect's appState: the app's own value, stringified apart).
// `undefined` stays undefined (no options); a value with no JSON text at all (a cycle, a
// throwing toJSON) becomes '', which is not JSON and is refused.
export function optionsJson(value, skip) {
  if (value === undefined) return undefined;
  try {
    return JSON.stringify(value, function (key, v) {
      if (this === value && key === skip) return undefined;
      const type = typeof v;
      const bad = type === 'function' || type === 'symbol' || type === 'bigint' || (type === 'number' && !isFinite(v));
      return bad ? [null] : v;
    });
  } catch {
    return '';
  }
}

// The client's events: `auth.on(event, callback)` and `auth.off` (js/client.js) reach the
// listeners here without entering the wasm; src/client/session.rs emits. A listener is added
// once however often it is passed; one that throws stops neither the others nor the library,
// and its error is reported like an event listener's (reportError); listeners may add or
// remove listeners while an event is delivered.
const EVENTS = ['tokensChanged', 'loggedOut', 'refreshFailed', 'silentRenewed', 'silentRenewFailed'];

export class Emitter {
  #listeners = new Map(EVENTS.map((event) => [event, new Set()]));

  #of(event, callback) {
    const listeners = this.#listeners.get(event);
    if (!listeners) throw new AuthError('invalid_config', `event: must be one of ${EVENTS.join(', ')}`);
    if (typeof callback !== 'function') throw new AuthError('invalid_config', 'callback: must be a function');
    return listeners;
  }

  on(event, callback) {
    this.#of(event, callback).add(callback);
  }

  off(event, callback) {
    this.#of(event, callback).delete(callback);
  }

  emit(event, payload) {
    for (const callback of [...this.#listeners.get(event)]) {
      try {
        callback(payload);
      } catch (e) {
        globalThis.reportError?.(e);
      }
    }
  }
}

// HTTP to the provider for src/browser/http.rs: `{ status, body }` once the whole body is in;
// rejects when no answer came (offline, DNS, TLS, CORS, time-out), which the wasm turns into
// `network_error`. No cookies: a public client authenticates with PKCE, never with ambient
// credentials. No redirects: a 307/308 would re-send the body (a code and its verifier, a
// refresh token) or the bearer header to wherever `Location` points; a redirect answers
// `{ status: 0, redirected: true }`, which the wasm refuses as `http_error`.
export function request(url, method, header, value, body, timeoutMs) {
  const headers = { Accept: 'application/json' };
  if (header != null) headers[header] = value;
  const init = { method, headers, body, credentials: 'omit', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) };
  return fetch(url, init).then(async (response) => (response.type === 'opaqueredirect'
    ? { status: 0, body: '', redirected: true }
    : { status: response.status, body: await response.text(), redirected: false }))
    // null: no answer. Never a rejection: a request started ahead (the JWKS beside the token
    // request) may end unawaited, and must not surface as an unhandled rejection.
    .catch(() => null);
}

// SHA-256 for the PKCE challenge (RFC 7636 §4.2), src/browser/crypto.rs: the digest, or
// undefined where SubtleCrypto is missing (a page that is neither https nor localhost).
export async function sha256(data) {
  const subtle = globalThis.crypto?.subtle;
  return subtle && new Uint8Array(await subtle.digest('SHA-256', data));
}

// A JWS signature (RFC 7515 §5.2, RFC 7518 §3) for src/browser/jws.rs, with the WebCrypto
// parameters the wasm chose for the token's alg: 'verified', 'unavailable' (no SubtleCrypto),
// or why the token is not to be trusted. Rejects when WebCrypto cannot check at all.
export async function verifySignature(jwkText, name, hash, namedCurve, saltLength, signature, data) {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return 'unavailable';
  const jwk = JSON.parse(jwkText);
  // The JWK's alg, use and key_ops were checked when the key was chosen (src/core/jwks.rs,
  // RFC 7517 §4.2-4.3); WebCrypto refuses a
  // JWK whose alg names another hash, so it gets only what it needs.
  for (const member of ['alg', 'use', 'key_ops', 'x5c', 'x5t', 'x5t#S256', 'kid']) delete jwk[member];
  let key;
  try {
    key = await subtle.importKey('jwk', jwk, { name, hash, namedCurve }, false, ['verify']);
  } catch {
    return 'the key cannot be imported';
  }
  return (await subtle.verify({ name, hash, saltLength }, key, signature, data)) ? 'verified' : 'bad signature';
}

// The cross-tab refresh lock for src/browser/lock.rs (Web Locks). Resolves, once the lock is held,
// with the function that releases it. Without navigator.locks (old browsers, insecure contexts)
// it resolves at once with a no-op: the caller then runs unlocked, as a single tab would.
export function acquireLock(name) {
  const locks = globalThis.navigator && globalThis.navigator.locks;
  if (!locks) return Promise.resolve(() => {});
  return new Promise((acquired, failed) => {
    locks
      .request(name, () => new Promise((release) => acquired(release)))
      .catch(failed);
  });
}

// Popup and silent logins, for src/browser/popup.rs and frame.rs. The page a popup or hidden
// frame lands on (popupRedirectUri / silentRedirectUri: the app's page or a blank one) hands the
// authorization response to the page that started the login over a BroadcastChannel named after
// the login's state, and lets go: the opener's handle on a popup is useless once a provider page
// with Cross-Origin-Opener-Policy severed it (it then reads `closed`), while a same-origin channel
// still connects the two. Popup states start with "p.", silent ones with "s."
// (src/core/authorize.rs, Interaction). Nothing but the response parameters travels; the
// starting page accepts a message only for its own pending state, once, and checks it like a
// redirect.

/**
 * On the page a popup or silent login landed on: hands the response over, cleans the URL, and
 * closes a popup. The wasm passes the prefixes (Interaction::state_prefix); an app's own
 * landing page calls it bare.
 */
export function relayResponse(prefixes = ['p.', 's.']) {
  const parts = [['query', location.search.slice(1)], ['fragment', location.hash.slice(1)]];
  for (const [part, text] of parts) {
    const state = new URLSearchParams(text).get('state');
    const prefix = state && prefixes.find((p) => state.startsWith(p));
    if (!prefix) continue;
    const channel = new BroadcastChannel(`spa-oauth:${state}`);
    channel.postMessage({ part, text });
    channel.close();
    history.replaceState(history.state, '', location.pathname);
    // Azure AD B2C "forgot password" (AADB2C90118): the opener may send this popup on to the
    // password reset policy; it closes the popup otherwise.
    const forgotPassword = /AADB2C90118/.test(new URLSearchParams(text).get('error_description') ?? '');
    if (prefix === 'p.' && !forgotPassword) window.close();
    return true;
  }
  return false;
}

/** Opens the popup; must run in the click's task (popup blockers). Null when blocked. */
export function openPopup(features) {
  return window.open('about:blank', '_blank', features) ?? null;
}

export function navigatePopup(popup, url) {
  popup.location.replace(url);
}

/** Throws when the popup is out of reach (severed, gone). */
export function closePopup(popup) {
  if (!popup.closed) popup.close();
}

/** A hidden frame at `url`, for a silent login. */
export function openFrame(url) {
  const frame = document.createElement('iframe');
  frame.hidden = true;
  frame.setAttribute('aria-hidden', 'true');
  frame.src = url;
  document.body.append(frame);
  return frame;
}

/**
 * Waits for the response of the login `state` on its channel: resolves `{ part, text }` (the
 * raw query or fragment), rejects with 'timeout' after `timeoutMs`, or with what `watch(fail)`
 * reports through `fail(reason)`. Returns the watch's clean-up with the promise's settling.
 */
function awaitChannel(state, timeoutMs, watch) {
  return new Promise((resolve, reject) => {
    const channel = new BroadcastChannel(`spa-oauth:${state}`);
    let stopWatching = () => {};
    const finish = (settle, value) => {
      channel.close();
      clearTimeout(timer);
      stopWatching();
      settle(value);
    };
    channel.onmessage = ({ data }) => {
      const ok = data && (data.part === 'query' || data.part === 'fragment') && typeof data.text === 'string'
        && new URLSearchParams(data.text).get('state') === state;
      if (ok) finish(resolve, { part: data.part, text: data.text });
    };
    const timer = setTimeout(() => finish(reject, 'timeout'), timeoutMs);
    stopWatching = watch((reason) => finish(reject, reason));
  });
}

// A popup that reads `closed` this soon after it was sent to the provider was most likely
// severed by Cross-Origin-Opener-Policy, not closed by a user who had not seen the page yet:
// then only the channel or the time-out can end the wait.
const SEVERED_WITHIN_MS = 3000;
// A popup that relays and closes itself reads `closed` as its message arrives: a moment's grace.
const CLOSED_GRACE_MS = 500;

/** A popup login's response; rejects 'closed' (the user closed the popup) or 'timeout'. */
export function awaitPopup(state, popup, timeoutMs) {
  return awaitChannel(state, timeoutMs, (fail) => {
    const started = Date.now();
    let grace;
    const poll = setInterval(() => {
      if (!popup.closed) return;
      clearInterval(poll);
      if (Date.now() - started >= SEVERED_WITHIN_MS) grace = setTimeout(() => fail('closed'), CLOSED_GRACE_MS);
    }, 250);
    return () => { clearInterval(poll); clearTimeout(grace); };
  });
}

// A frame whose document, once loaded, is not of this origin is showing the provider's page
// (one that wants the user) or the browser's error page (X-Frame-Options, CSP frame-ancestors):
// no answer will come. A moment's grace for a provider that answers through a page of its own.
const REFUSED_GRACE_MS = 1500;

/**
 * A silent login's response; rejects 'refused' (the frame stayed off this origin) or 'timeout'.
 * The frame is removed either way.
 */
export function awaitFrame(state, frame, timeoutMs) {
  const waiting = awaitChannel(state, timeoutMs, (fail) => {
    let grace;
    const loaded = () => {
      clearTimeout(grace);
      let ours = false;
      try {
        ours = frame.contentWindow.location.origin === location.origin;
      } catch {
        // another origin's document, or the browser's error page
      }
      if (!ours) grace = setTimeout(() => fail('refused'), REFUSED_GRACE_MS);
    };
    frame.addEventListener('load', loaded);
    return () => { frame.removeEventListener('load', loaded); clearTimeout(grace); };
  });
  return waiting.finally(() => frame.remove());
}

// Duplicated tabs, for src/browser/tab.rs. Browsers copy sessionStorage, refresh token
// included, into a duplicated tab and into a window opened with window.open; if both pages
// spent it, the second refresh would replay a rotated refresh token (RFC 9700 §4.14.2), which
// a provider with reuse detection answers by revoking the whole grant. Each page holds, for its
// whole life, a Web Lock named after its tab id, kept in sessionStorage under `key`: a page
// whose inherited id is still held by a live page after `waitMs` (a reload's previous page
// lets go sooner) is a copy, and takes a new id. Resolves true for a copy; false otherwise,
// and where it cannot be told (no Web Locks, no sessionStorage, no crypto.randomUUID). Every
// client of the page with this `key` shares the page's one claim.
const tabClaims = new Map();

export function claimTab(key, waitMs) {
  if (!tabClaims.has(key)) tabClaims.set(key, claimTabOnce(key, waitMs));
  return tabClaims.get(key);
}

async function claimTabOnce(key, waitMs) {
  const locks = globalThis.navigator?.locks;
  if (!locks || !globalThis.crypto?.randomUUID) return false;
  // A frame shares its tab's sessionStorage (a silent login's landing page among them): the
  // claim is the top page's, and a frame must not take it over nor drop its refresh token.
  if (globalThis.top !== globalThis) return false;
  const hold = (id, wait) => new Promise((held) => {
    const options = wait ? { signal: AbortSignal.timeout(wait) } : { ifAvailable: true };
    locks.request(`${key}:${id}`, options, (lock) => {
      held(lock !== null);
      return lock && new Promise(() => {});
    }).catch(() => held(false));
  });
  try {
    const inherited = sessionStorage.getItem(key);
    if (inherited && await hold(inherited, waitMs)) return false;
    const id = crypto.randomUUID();
    sessionStorage.setItem(key, id);
    await hold(id, 0);
    return inherited !== null;
  } catch {
    return false;
  }
}

// IndexedDB as the tabs' shared record of the session, for src/browser/shared.rs, read under the
// refresh lock. localStorage is copied into every tab's process and updated there
// asynchronously, so a tab that takes the lock right after another tab refreshed can still read
// the OLD refresh token from it, and replay it. A read in an IndexedDB transaction sees every write committed before.
const DB = 'spa-oauth';
const STORE = 'sessions';
let opening;

function sessionDatabase() {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opening;
}

function sessionTransaction(mode, operation) {
  return sessionDatabase().then((db) => new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const request = operation(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  }));
}

/** The record under `key`, or null. */
export function sharedGet(key) {
  return sessionTransaction('readonly', (store) => store.get(key)).then((value) => (typeof value === 'string' ? value : null));
}

/** Stores `value` under `key`, or deletes it when `value` is null; resolves once committed. */
export function sharedSet(key, value) {
  return sessionTransaction('readwrite', (store) => (value == null ? store.delete(key) : store.put(value, key))).then(() => undefined);
}
