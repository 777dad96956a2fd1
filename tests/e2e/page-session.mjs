// Drives the demo page's AuthClient (`window.demo.auth`) directly, for what the page has no
// button for: concurrent calls, events, auth.fetch. Token values come back to Node only where a
// test must hand one to the OP; everything else is compared by fingerprint.
import { randomUUID } from 'node:crypto';

import { fingerprint } from '../support/fingerprint.mjs';

const EXPIRY_TIMEOUT = 20_000;

/** Fingerprints of the session's tokens: `{ access, refresh, id }`, or null when logged out. */
export async function tokenFingerprints(page) {
  const tokens = await page.evaluate(() => window.demo.auth.getTokens());
  return tokens && {
    access: fingerprint(tokens.accessToken),
    refresh: fingerprint(tokens.refreshToken),
    id: fingerprint(tokens.idToken),
  };
}

/** The session's raw token values, for the OP's revocation calls. Never print them. */
export async function rawTokens(page) {
  const tokens = await page.evaluate(() => window.demo.auth.getTokens());
  if (!tokens) throw new Error('the page has no session');
  return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
}

/** Waits until the session's access token is due for refresh (isAuthenticated() turns false). */
export async function waitForExpiry(page) {
  await page.waitForFunction(() => {
    const { auth } = window.demo;
    return auth.getTokens() !== null && !auth.isAuthenticated();
  }, null, { timeout: EXPIRY_TIMEOUT, polling: 100 });
}

/** From now on, the page records the client's events as `{ name, code? }` (no token values). */
export function recordEvents(page) {
  return page.evaluate(() => {
    window.authEvents = [];
    for (const name of ['tokensChanged', 'loggedOut', 'refreshFailed']) {
      window.demo.auth.on(name, (payload) => {
        window.authEvents.push(name === 'refreshFailed' ? { name, code: payload?.code } : { name });
      });
    }
  });
}

export function recordedEvents(page) {
  return page.evaluate(() => window.authEvents);
}

/**
 * Starts `count` getAccessToken() calls at once and waits for all. Each outcome is
 * `{ token: fingerprint }` or `{ error: { name, code, isError } }`. `started` resolves once the
 * calls are under way in the page (they may still be waiting for the answer).
 * @returns {{ started: Promise<void>, outcomes: Promise<object[]> }}
 */
export function getAccessTokens(page, count = 1) {
  const id = randomUUID();
  const outcomes = page.evaluate(async ({ n, callId }) => {
    const calls = Array.from({ length: n }, () => window.demo.auth.getAccessToken());
    (window.startedTokenCalls ??= []).push(callId);
    return Promise.all(calls.map((call) => call.then(
      (token) => ({ token }),
      (err) => ({ error: { name: err?.name, code: err?.code, isError: err instanceof Error } }),
    )));
  }, { n: count, callId: id }).then((results) => results.map((r) => (r.error ? r : { token: fingerprint(r.token) })));
  const started = page.waitForFunction((callId) => window.startedTokenCalls?.includes(callId), id, { polling: 50 })
    .then(() => {});
  started.catch(() => {}); // awaiting it is optional; a failure shows in `outcomes` too
  return { started, outcomes };
}

/**
 * `count` concurrent `auth.fetch(url)` calls; each outcome is `{ status, body }` (JSON body or
 * null) or `{ error: code }`.
 */
export function fetchThroughAuth(page, url, count = 1) {
  return page.evaluate(async ({ target, n }) => Promise.all(Array.from({ length: n }, async () => {
    try {
      const res = await window.demo.auth.fetch(target);
      return { status: res.status, body: await res.json().catch(() => null) };
    } catch (err) {
      return { error: err?.code ?? String(err) };
    }
  })), { target: url, n: count });
}

// ---- several APIs (issue 16) --------------------------------------------------------------
// These work on the demo page (window.demo.auth) and on the B2C test app (window.app.auth).
// An API is named as getAccessToken takes it: `{ scopes, resource? }`.

/**
 * Starts every call of `calls` at once in the page and waits for all. A call is
 * `{ token: { scopes, resource? } }` (getAccessToken with that API), `{ fetch: url }`
 * (auth.fetch), or `{ byHand: { url, api } }` (that API's token sent to `url` with a plain fetch).
 * Outcomes, in order: `{ token: fingerprint | null }`, `{ status, body }` (JSON body or null),
 * `{ status, challenge, body, token: fingerprint }`, or
 * `{ error: { name, code, providerError, scopes, b2cCode, status, isError, message } }`.
 */
export async function concurrentCalls(page, calls) {
  const results = await page.evaluate(async (list) => {
    const describe = (err) => ({
      name: err?.name ?? null,
      code: err?.code ?? null,
      providerError: err?.providerError ?? null,
      scopes: Array.isArray(err?.scopes) ? [...err.scopes] : err?.scopes ?? null,
      b2cCode: err?.b2cCode ?? null,
      status: err?.status ?? null,
      isError: err instanceof Error,
      message: String(err?.message ?? err),
    });
    const auth = (window.demo ?? window.app).auth;
    return Promise.all(list.map(async (call) => {
      try {
        if (call.token) return { token: await auth.getAccessToken(call.token) };
        if (call.byHand) {
          const token = await auth.getAccessToken(call.byHand.api);
          const res = await fetch(call.byHand.url, { headers: { Authorization: `Bearer ${token}` } });
          return {
            status: res.status, challenge: res.headers.get('WWW-Authenticate'), body: await res.json().catch(() => null), token,
          };
        }
        const res = await auth.fetch(call.fetch);
        return { status: res.status, body: await res.json().catch(() => null) };
      } catch (err) {
        return { error: describe(err) };
      }
    }));
  }, calls);
  return results.map((r) => ('token' in r ? { ...r, token: fingerprint(r.token) } : r));
}

/** getAccessToken(api) once: `{ token: fingerprint | null }` or `{ error }` (see concurrentCalls). */
export async function apiToken(page, api) {
  const [outcome] = await concurrentCalls(page, [{ token: api }]);
  return outcome;
}

/**
 * Gets the token of `api` in the page and calls `url` with it by hand (plain fetch with
 * `Authorization: Bearer`), so a test can present one API's token to another. The token stays in
 * the page. Resolves `{ status, challenge, body, token: fingerprint }` or `{ error }`.
 */
export async function callWithTokenOf(page, url, api) {
  const [outcome] = await concurrentCalls(page, [{ byHand: { url, api } }]);
  return outcome;
}

/**
 * From now on, the page records the client's events as `{ name, api, code? }`: `api` is the
 * payload's `api` (`{ scopes, resource? }`, which API's token changed) or null. No token values.
 */
export function recordApiEvents(page) {
  return page.evaluate(() => {
    window.apiEvents = [];
    const auth = (window.demo ?? window.app).auth;
    for (const name of ['tokensChanged', 'loggedOut', 'refreshFailed']) {
      auth.on(name, (payload) => {
        const api = payload?.api ? { scopes: [...(payload.api.scopes ?? [])], resource: payload.api.resource ?? null } : null;
        window.apiEvents.push({ name, api, ...(name === 'refreshFailed' && { code: payload?.code ?? null }) });
      });
    }
  });
}

export function recordedApiEvents(page) {
  return page.evaluate(() => window.apiEvents);
}

/**
 * Keeps, IN THE PAGE, the values of the session's tokens and of each API's token in `apis`
 * (getAccessToken), for tokenTraces() to look for after a logout. Resolves how many were kept.
 */
export function rememberTokenValues(page, apis) {
  return page.evaluate(async (list) => {
    const auth = (window.demo ?? window.app).auth;
    const tokens = auth.getTokens();
    const values = [tokens?.accessToken, tokens?.refreshToken, tokens?.idToken];
    for (const api of list) values.push(await auth.getAccessToken(api));
    window.rememberedTokens = values.filter((v) => typeof v === 'string' && v.length > 0);
    return window.rememberedTokens.length;
  }, apis);
}

/**
 * Where the values kept by rememberTokenValues() are still found: the names (never values) of the
 * localStorage, sessionStorage and IndexedDB ('spa-oauth' / 'sessions') entries holding any of
 * them, and how many records that IndexedDB store has. An IndexedDB database that does not
 * exist is not created.
 */
export function tokenTraces(page) {
  return page.evaluate(async () => {
    const held = window.rememberedTokens ?? [];
    const holds = (value) => typeof value === 'string' && held.some((token) => value.includes(token));
    const inStorage = (storage) => Object.keys(storage).filter((key) => holds(storage.getItem(key)));
    const traces = { local: inStorage(localStorage), session: inStorage(sessionStorage), indexedDB: [], indexedDBRecords: 0 };
    const databases = await indexedDB.databases();
    if (!databases.some((db) => db.name === 'spa-oauth')) return traces;
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open('spa-oauth');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      if (!db.objectStoreNames.contains('sessions')) return traces;
      const [keys, values] = await new Promise((resolve, reject) => {
        const store = db.transaction('sessions', 'readonly').objectStore('sessions');
        const keyRequest = store.getAllKeys();
        const valueRequest = store.getAll();
        valueRequest.onsuccess = () => resolve([keyRequest.result, valueRequest.result]);
        valueRequest.onerror = () => reject(valueRequest.error);
      });
      traces.indexedDBRecords = keys.length;
      traces.indexedDB = keys.filter((_key, i) => holds(typeof values[i] === 'string' ? values[i] : JSON.stringify(values[i])))
        .map(String);
    } finally {
      db.close();
    }
    return traces;
  });
}

/** tokenFingerprints() for either page (the demo or the B2C test app). */
export async function sessionFingerprints(page) {
  const tokens = await page.evaluate(() => (window.demo ?? window.app).auth.getTokens());
  return tokens && {
    access: fingerprint(tokens.accessToken),
    refresh: fingerprint(tokens.refreshToken),
    id: fingerprint(tokens.idToken),
  };
}
