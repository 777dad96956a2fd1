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
