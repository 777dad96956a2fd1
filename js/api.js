// The JS half of src/api.rs and src/browser/events.rs (one snippet module: the wasm-bindgen
// test runner now and then stalls loading a page with several, so the library keeps their
// number down).
//
// The error every spa-oauth failure is thrown as: a real Error subclass, so `instanceof Error`,
// `.stack` and `console.error` work as users expect. Its `code` is stable (see the README).
export class AuthError extends Error {
  constructor(code, message, description, status, b2cCode) {
    super(message);
    this.name = 'AuthError';
    this.code = code;
    if (description != null) this.description = description;
    if (status != null) this.status = status;
    // Azure AD B2C: the AADB2Cnnnnn code of the description (AADB2C90118: forgot password).
    if (b2cCode != null) this.b2cCode = b2cCode;
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
const EVENTS = ['tokensChanged', 'loggedOut', 'refreshFailed'];

export class Emitter {
  #listeners = new Map(EVENTS.map((event) => [event, new Set()]));

  #of(event, callback) {
    const listeners = this.#listeners.get(event);
    if (!listeners) throw new AuthError('invalid_config', "event: must be 'tokensChanged', 'loggedOut' or 'refreshFailed'");
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
