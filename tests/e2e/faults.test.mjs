// The fault suite of issue 15: the release package in headless Chromium against the real OP,
// with faults injected around the protocol (Playwright routing, a full localStorage, a busy or
// missing IndexedDB, a missing navigator.locks, a duplicated tab). Each test names the rule it
// proves. Token values never reach Node's messages: the page and the OP log hand out
// fingerprints (tests/support/fingerprint.mjs) only.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { startCatcher } from '../support/catcher.mjs';
import {
  TEST_TIMEOUT, assertLoginRejected, assertPkgBuilt, launchBrowser, loginThroughDemo, newPage, openDemo, readStatus,
  signInAtOP, startServers, tokenStorageKeys, waitForStatus,
} from './helpers.mjs';
import {
  fetchThroughAuth, getAccessTokens, recordEvents, recordedEvents, tokenFingerprints, waitForExpiry,
} from './page-session.mjs';

const LONG_TTL = 3600; // seconds: what every access token lives, except in the duplicated-tab test
const SHORT_LOGIN_TTL = 4; // seconds: the duplicated-tab test's login token ...
const MARGIN = 1; // ... used until 1 s before it expires (expiryMarginSeconds)
const IDB_BUSY_MS = 1500; // how long the "slow IndexedDB" holds the session store

/**
 * Waits past the current second. oidc-provider's ID tokens carry `iat` in seconds and no `jti`,
 * and RS256 is deterministic: two issued within one second are the same bytes. A test telling
 * the new ID token from the previous one waits this long between them.
 */
const nextSecond = () => new Promise((resolve) => { setTimeout(resolve, 1100); });

// ---- in the page ----------------------------------------------------------------------------

/**
 * Installed in every page before its scripts run: `window.faultProbe`, to look into and
 * disturb the library's IndexedDB record (database 'spa-oauth', store 'sessions') and to fill
 * localStorage. What it hands to Node is key names, counts and fingerprints: never a token.
 */
function installFaultProbe() {
  const DB = 'spa-oauth';
  const STORE = 'sessions';
  const settled = (request) => new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const committed = (tx) => new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });

  /** tests/support/fingerprint.mjs, in the page: the first 16 hex digits of SHA-256. */
  async function fingerprint(value) {
    if (typeof value !== 'string' || value === '') return null;
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('').slice(0, 16);
  }

  /**
   * A connection to the library's database, or null when it does not exist yet (opening a
   * missing database would create it empty and break the library's own open).
   */
  async function open() {
    if (!(await indexedDB.databases()).some((db) => db.name === DB)) return null;
    const db = await settled(indexedDB.open(DB));
    if (db.objectStoreNames.contains(STORE)) return db;
    db.close();
    return null;
  }

  /** `[key, value]` of every record; the transaction starts synchronously, in this very task. */
  function readAll(db) {
    const tx = db.transaction(STORE, 'readonly');
    const keys = tx.objectStore(STORE).getAllKeys();
    const values = tx.objectStore(STORE).getAll();
    return committed(tx).then(() => keys.result.map((key, i) => [key, values.result[i]]));
  }

  function putAll(db, entries) {
    const tx = db.transaction(STORE, 'readwrite');
    for (const [key, value] of entries) tx.objectStore(STORE).put(value, key);
    return committed(tx);
  }

  window.faultProbe = {
    fingerprint,
    open,
    readAll,
    putAll,

    /** The records as `{ key, access, refresh }` fingerprints of their token fields. */
    async records() {
      const db = await open();
      if (!db) return [];
      try {
        return await Promise.all((await readAll(db)).map(async ([key, value]) => {
          let record = null;
          try { record = JSON.parse(value); } catch { /* not the library's JSON: no fingerprints */ }
          return { key, access: await fingerprint(record?.accessToken), refresh: await fingerprint(record?.refreshToken) };
        }));
      } finally {
        db.close();
      }
    },

    /**
     * A slow IndexedDB: holds a readwrite transaction on the session store for `ms`, so that
     * the library's writes queue behind it (as behind another tab's). Resolves once it holds it.
     */
    async holdStore(ms) {
      const db = await open();
      const tx = db.transaction(STORE, 'readwrite');
      const store = tx.objectStore(STORE);
      const until = Date.now() + ms;
      const keepBusy = () => {
        if (Date.now() < until) store.get('fault-probe: busy').onsuccess = keepBusy;
      };
      keepBusy();
      tx.oncomplete = () => db.close();
    },

    /** Fills localStorage to its quota: large strings until QuotaExceededError, then smaller. */
    fillLocalStorage() {
      let size = 1 << 20;
      let entries = 0;
      while (size >= 1) {
        try {
          localStorage.setItem(`fault-probe:fill:${entries}`, 'x'.repeat(size));
          entries += 1;
        } catch (err) {
          if (err?.name !== 'QuotaExceededError') throw err;
          size = Math.floor(size / 2);
        }
      }
      return entries;
    },
  };
}

/** Init script: IndexedDB unavailable, as in some private modes (`indexedDB.open` throws). */
function disableIndexedDB() {
  IDBFactory.prototype.open = function open() {
    throw new DOMException('IndexedDB is disabled in this test', 'InvalidStateError');
  };
}

/** Init script: no Web Locks API (old browsers, some embedded web views). */
function removeWebLocks() {
  Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined, configurable: true });
}

/** `auth.refresh()` in the page: `{ ok, token }` (fingerprint) or `{ ok: false, code, isError, message }`. */
function refreshIn(page) {
  return page.evaluate(() => window.demo.auth.refresh().then(
    async (token) => ({ ok: true, token: await window.faultProbe.fingerprint(token) }),
    (err) => ({ ok: false, code: err?.code, isError: err instanceof Error, message: String(err?.message ?? err) }),
  ));
}

const idbRecords = (page) => page.evaluate(() => window.faultProbe.records());

/** The fingerprints that occur more than once in `uses` (a replayed refresh token). */
const replayed = (uses) => [...new Set(uses.filter((fp, i) => fp !== null && uses.indexOf(fp) !== i))];

/** A JWKS holding another RSA public key under `kid`: what a key mix-up or an attacker serves. */
function otherKeySet(kid) {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] };
}

// ---- the suite --------------------------------------------------------------------------------

describe('faults (issue 15)', { timeout: 16 * TEST_TIMEOUT }, () => {
  let servers;
  let browser;
  let metadata; // the OP's discovery document
  let loginTtl = LONG_TTL;
  let catcher; // an origin that must never receive a secret
  let api; // an allowed API origin (apiOrigins) that redirects

  before(async () => {
    assertPkgBuilt();
    servers = await startServers({
      accessTokenTtl: (grantType) => (grantType === 'authorization_code' ? loginTtl : LONG_TTL),
    });
    metadata = await (await fetch(`${servers.op.issuer}/.well-known/openid-configuration`)).json();
    catcher = await startCatcher({
      routes: {
        '/refuses-any-token': () => ({
          status: 401,
          headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"', 'Access-Control-Expose-Headers': 'WWW-Authenticate' },
        }),
      },
    });
    const to = (location) => () => ({ status: 307, headers: { Location: location } });
    api = await startCatcher({
      routes: {
        '/away-307': to(`${catcher.origin}/landed`),
        '/away-302': () => ({ status: 302, headers: { Location: `${catcher.origin}/landed` } }),
        '/home': to('/echo'),
        '/away-401': to(`${catcher.origin}/refuses-any-token`),
      },
    });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await Promise.all([servers?.close(), catcher?.close(), api?.close()]);
  });

  /** A fresh context and tab (init scripts first), logged in through the demo. */
  async function loggedInPage(settings = {}, initScripts = []) {
    const page = await newPage(browser);
    for (const script of [installFaultProbe, ...initScripts]) await page.addInitScript(script);
    await openDemo(page, servers, settings);
    await loginThroughDemo(page, servers);
    await waitForStatus(page, 'logged-in');
    return page;
  }

  /** Reloads: the session comes back from storage, the provider's key set (memory only) does not. */
  async function reload(page) {
    await page.reload();
    await waitForStatus(page, 'logged-in');
  }

  /** The OP sees every refresh token it issued at most once, and revoked no grant. */
  function assertNoReplay(sinceUses, revokedBefore) {
    const uses = servers.op.refreshTokenUses().slice(sinceUses);
    assert.deepEqual(replayed(uses), [], `refresh tokens presented more than once (of ${uses.length} refreshes)`);
    assert.equal(servers.op.grantsRevoked() - revokedBefore, 0, 'grants revoked at the OP');
    return uses;
  }

  /** Token POSTs of `page` answer 307 to the catcher, as an OP (or a proxy in front of it) gone wrong. */
  function redirectTokenPosts(page) {
    return page.route(metadata.token_endpoint, (route) => (route.request().method() !== 'POST' ? route.continue()
      : route.fulfill({
        status: 307,
        headers: { Location: `${catcher.origin}/token`, 'Access-Control-Allow-Origin': servers.web.origin },
      })));
  }

  /** A forced refresh rotates both tokens, the session survives a reload, and the page threw nothing. */
  async function assertRefreshWorks(page) {
    const before = await tokenFingerprints(page);
    const outcome = await refreshIn(page);
    assert.equal(outcome.ok, true, `refresh(): ${JSON.stringify(outcome)}`);
    const now = await tokenFingerprints(page);
    assert.equal(outcome.token, now.access, 'refresh() resolved with the stored access token');
    assert.notEqual(now.access, before.access, 'a new access token');
    assert.notEqual(now.refresh, before.refresh, 'the rotated refresh token');
    await reload(page);
    assert.deepEqual(await tokenFingerprints(page), now, 'the session after a reload');
    assert.deepEqual(page.pageErrors, [], 'uncaught errors in the page');
  }

  it('JWKS unreachable during a refresh (transient): the rotated refresh token is stored with the previous '
    + 'verified ID token; the next refresh, JWKS back, stores the new ID token', { timeout: TEST_TIMEOUT }, async () => {
    const page = await loggedInPage();
    try {
      await reload(page);
      const [sinceUses, revokedBefore] = [servers.op.refreshTokenUses().length, servers.op.grantsRevoked()];
      const before = await tokenFingerprints(page);

      await page.route(metadata.jwks_uri, (route) => route.abort());
      await nextSecond();
      const first = await refreshIn(page);
      await page.unroute(metadata.jwks_uri);
      assert.equal(first.ok, true, `refresh() with the JWKS unreachable: ${JSON.stringify(first)}`);
      const kept = await tokenFingerprints(page);
      assert.equal(first.token, kept.access, 'refresh() resolved with the stored access token');
      assert.notEqual(kept.access, before.access, 'a new access token');
      assert.notEqual(kept.refresh, before.refresh, 'the rotated refresh token is stored');
      assert.equal(kept.id, before.id, 'the previous, verified ID token is kept');
      assert.equal(await page.evaluate(() => window.demo.auth.getUser()?.sub), 'alice', 'getUser() still answers');
      await reload(page);
      assert.deepEqual(await tokenFingerprints(page), kept, 'storage holds what memory held');

      await nextSecond();
      const second = await refreshIn(page);
      assert.equal(second.ok, true, `refresh() with the JWKS back: ${JSON.stringify(second)}`);
      const now = await tokenFingerprints(page);
      assert.notEqual(now.id, before.id, 'the new ID token, verified now, is stored');
      assert.notEqual(now.refresh, kept.refresh, 'rotated again');
      assert.deepEqual(assertNoReplay(sinceUses, revokedBefore), [before.refresh, kept.refresh], 'refresh tokens presented');
      assert.deepEqual(page.pageErrors, [], 'uncaught errors in the page');
    } finally {
      await page.context().close();
    }
  });

  for (const storage of ['session', 'local']) {
    it(`JWKS answering another key during a refresh (definitive, storage: ${storage}): invalid_id_token, `
      + 'refreshFailed + loggedOut, no token left anywhere', { timeout: TEST_TIMEOUT }, async () => {
      const page = await loggedInPage({ storage });
      try {
        await reload(page);
        await recordEvents(page);
        const jwks = JSON.stringify(otherKeySet(servers.op.signingKey.kid));
        await page.route(metadata.jwks_uri, (route) => route.fulfill({
          status: 200, contentType: 'application/json', headers: { 'Access-Control-Allow-Origin': servers.web.origin }, body: jwks,
        }));

        const outcome = await refreshIn(page);
        assert.deepEqual({ ok: outcome.ok, code: outcome.code, isError: outcome.isError },
          { ok: false, code: 'invalid_id_token', isError: true }, `refresh(): ${JSON.stringify(outcome)}`);
        const events = (await recordedEvents(page)).filter((e) => e.name !== 'tokensChanged');
        assert.deepEqual(events, [{ name: 'refreshFailed', code: 'invalid_id_token' }, { name: 'loggedOut' }], 'events');
        assert.equal(await tokenFingerprints(page), null, 'getTokens()');
        assert.deepEqual(await tokenStorageKeys(page), [], 'token entries in sessionStorage and localStorage');
        assert.deepEqual(await idbRecords(page), [], 'records in IndexedDB');
      } finally {
        await page.context().close();
      }
    });
  }

  it('token endpoint answering 307 to another origin on refresh: http_error naming the redirect, nothing sent '
    + 'there, the session unchanged', { timeout: TEST_TIMEOUT }, async () => {
    const page = await loggedInPage();
    try {
      const before = await tokenFingerprints(page);
      const [caught, sinceUses, revokedBefore] = [
        catcher.requests().length, servers.op.refreshTokenUses().length, servers.op.grantsRevoked(),
      ];
      await redirectTokenPosts(page);
      const outcome = await refreshIn(page);
      await page.unroute(metadata.token_endpoint);

      assert.deepEqual(catcher.requests().slice(caught), [], 'requests at the redirect target (the refresh token)');
      assert.equal(outcome.code, 'http_error', `refresh(): ${JSON.stringify(outcome)}`);
      assert.match(outcome.message, /redirect/i, 'the message names the redirect');
      assert.deepEqual(await tokenFingerprints(page), before, 'the session is unchanged');

      const again = await refreshIn(page);
      assert.equal(again.ok, true, `refresh() without the redirect: ${JSON.stringify(again)}`);
      assertNoReplay(sinceUses, revokedBefore);
    } finally {
      await page.context().close();
    }
  });

  it('token endpoint answering 307 to another origin on the code redemption: http_error, nothing sent there',
    { timeout: TEST_TIMEOUT }, async () => {
      const page = await newPage(browser);
      try {
        await openDemo(page, servers);
        const [caught, tokenPostsBefore] = [catcher.requests().length, servers.op.tokenRequests()];
        await loginThroughDemo(page, servers, { beforeConsent: () => redirectTokenPosts(page) });
        await waitForStatus(page, 'error');
        assert.deepEqual(catcher.requests().slice(caught), [], 'requests at the redirect target (code + verifier)');
        await assertLoginRejected(page, servers, {
          code: 'http_error', message: /redirect/i, tokenPostsBefore, tokenPosts: 0,
        });
      } finally {
        await page.context().close();
      }
    });

  // Chromium drops Authorization itself on a cross-origin redirect (Fetch, "CORS non-wildcard
  // request-header"): this one guards the library's own re-check of the final origin.
  it('auth.fetch to an allowed origin redirecting (307, 302) off the allow-list: the token never reaches the '
    + 'other origin', { timeout: TEST_TIMEOUT }, async () => {
    const page = await loggedInPage({ apiOrigins: [api.origin] });
    try {
      const [caught, atApi] = [catcher.requests().length, api.requests().length];
      const outcomes = [];
      for (const path of ['/away-307', '/away-302']) outcomes.push(...await fetchThroughAuth(page, `${api.origin}${path}`));

      const { access } = await tokenFingerprints(page);
      const sent = api.requests().slice(atApi).filter((r) => r.method !== 'OPTIONS').map((r) => [r.path, r.token]);
      assert.deepEqual(sent, [['/away-307', access], ['/away-302', access]], 'the allowed origin got the token');
      const leaked = catcher.requests().slice(caught).filter((r) => r.authorization !== 'none');
      assert.deepEqual(leaked, [], `requests with an Authorization header off the list (outcomes ${JSON.stringify(outcomes)})`);
    } finally {
      await page.context().close();
    }
  });

  it('auth.fetch: a 401 invalid_token from the origin a redirect led to (off the list) earns no refresh and no retry',
    { timeout: TEST_TIMEOUT }, async () => {
      const page = await loggedInPage({ apiOrigins: [api.origin] });
      try {
        const [refreshes, atApi] = [servers.op.tokenRequests('refresh_token'), api.requests().length];
        const [outcome] = await fetchThroughAuth(page, `${api.origin}/away-401`);
        assert.equal(outcome.status, 401, JSON.stringify(outcome));
        assert.equal(servers.op.tokenRequests('refresh_token') - refreshes, 0, 'refresh POSTs');
        const sent = api.requests().slice(atApi).filter((r) => r.method !== 'OPTIONS');
        assert.equal(sent.length, 1, 'requests to the allowed origin (no retry)');
      } finally {
        await page.context().close();
      }
    });

  it('auth.fetch: a GET redirected within the allowed origin still carries the token', { timeout: TEST_TIMEOUT }, async () => {
    const page = await loggedInPage({ apiOrigins: [api.origin] });
    try {
      const atApi = api.requests().length;
      assert.deepEqual(await fetchThroughAuth(page, `${api.origin}/home`), [{ status: 200, body: {} }]);
      const { access } = await tokenFingerprints(page);
      const sent = api.requests().slice(atApi).filter((r) => r.method !== 'OPTIONS').map((r) => [r.path, r.token]);
      assert.deepEqual(sent, [['/home', access], ['/echo', access]]);
    } finally {
      await page.context().close();
    }
  });

  // The library navigates to the end-session page by itself. With IndexedDB slow (its store busy,
  // as behind another tab's transaction), a delete not awaited is still queued when the page
  // unloads, and the unload aborts it: the session record would outlive the logout.
  it('logout followed at once by its navigation to the OP (storage: local, IndexedDB slow): back on the app, '
    + 'no token in IndexedDB, localStorage or sessionStorage', { timeout: TEST_TIMEOUT }, async () => {
    const page = await loggedInPage({ storage: 'local' });
    try {
      assert.equal((await idbRecords(page)).length, 1, 'IndexedDB holds the session before the logout');
      await page.evaluate(async (ms) => {
        await window.faultProbe.holdStore(ms);
        window.demo.auth.logout();
      }, IDB_BUSY_MS);
      await page.waitForURL((url) => url.origin === servers.op.issuer);

      await page.goto(servers.web.origin);
      await waitForStatus(page, 'logged-out');
      assert.deepEqual(await idbRecords(page), [], 'records in IndexedDB');
      assert.deepEqual(await tokenStorageKeys(page), [], 'token entries in sessionStorage and localStorage');
    } finally {
      await page.context().close();
    }
  });

  it('logout({ redirect: false }) resolves only once IndexedDB no longer holds the session (storage: local)',
    { timeout: TEST_TIMEOUT }, async () => {
      const page = await loggedInPage({ storage: 'local' });
      try {
        const seen = await page.evaluate(async () => {
          const probe = window.faultProbe;
          const db = await probe.open();
          try {
            const before = (await probe.readAll(db)).length;
            await window.demo.auth.logout({ redirect: false });
            return { before, after: (await probe.readAll(db)).length };
          } finally {
            db.close();
          }
        });
        assert.deepEqual(seen, { before: 1, after: 0 }, 'IndexedDB records before the logout and right after it resolved');
      } finally {
        await page.context().close();
      }
    });

  it('refresh() after a logout whose IndexedDB delete never committed does not log the user back in: login_required',
    { timeout: TEST_TIMEOUT }, async () => {
      const page = await loggedInPage({ storage: 'local' });
      try {
        const refreshPosts = servers.op.tokenRequests('refresh_token');
        const outcome = await page.evaluate(async () => {
          const { auth } = window.demo;
          const probe = window.faultProbe;
          const db = await probe.open();
          try {
            const saved = (await probe.readAll(db)).filter(([key]) => /:tokens$/.test(key));
            await auth.logout({ redirect: false });
            await new Promise((resolve) => { setTimeout(resolve, 200); }); // any delete still under way commits
            await probe.putAll(db, saved); // ... and the record is there again, as if it never had
            const refresh = await auth.refresh().then(
              () => ({ ok: true }),
              (err) => ({ ok: false, code: err?.code, isError: err instanceof Error }),
            );
            return { restored: saved.length, refresh, tokens: auth.getTokens(), authenticated: auth.isAuthenticated() };
          } finally {
            db.close();
          }
        });
        assert.equal(outcome.restored, 1, 'the record put back into IndexedDB');
        assert.deepEqual(outcome.refresh, { ok: false, code: 'login_required', isError: true }, 'refresh()');
        assert.equal(outcome.tokens, null, 'getTokens()');
        assert.equal(outcome.authenticated, false, 'isAuthenticated()');
        assert.equal(servers.op.tokenRequests('refresh_token') - refreshPosts, 0, 'refresh_token POSTs at the OP');
      } finally {
        await page.context().close();
      }
    });

  // Chromium copies sessionStorage into a window opened by window.open (and a duplicated tab):
  // both hold the same refresh token. The original keeps using it; the copy must not.
  it('a same-origin frame of a logged-in tab (a silent login\'s landing page) shares its sessionStorage: it never '
    + 'takes over the tab id nor drops the tab\'s refresh token', { timeout: TEST_TIMEOUT }, async () => {
    const page = await loggedInPage();
    try {
      const before = await tokenFingerprints(page);
      const tabId = () => page.evaluate(() => Object.entries(sessionStorage).find(([k]) => k.endsWith(':tab'))?.[1]);
      const id = await tabId();
      assert.ok(id, 'the tab claimed an id');
      // The demo page in a frame builds its own AuthClient on the shared sessionStorage; a copy
      // is decided after 1 s, so the frame stays for 2 s.
      await page.evaluate(() => new Promise((resolve) => {
        const frame = document.createElement('iframe');
        frame.src = '/?in-a-frame';
        frame.onload = () => setTimeout(() => { frame.remove(); resolve(); }, 2000);
        document.body.append(frame);
      }));
      assert.equal(await tabId(), id, 'the tab id');
      await reload(page);
      assert.deepEqual(await tokenFingerprints(page), before, 'the session after a reload, refresh token included');
    } finally {
      await page.context().close();
    }
  });

  it('a window opened with window.open (storage: session, sessionStorage copied) refreshing with its original: '
    + 'each refresh token presented once, the copy does not use the inherited one', { timeout: TEST_TIMEOUT }, async () => {
    loginTtl = SHORT_LOGIN_TTL;
    let tabA;
    try {
      tabA = await loggedInPage({ margin: MARGIN });
    } finally {
      loginTtl = LONG_TTL;
    }
    const context = tabA.context();
    try {
      const [sinceUses, revokedBefore] = [servers.op.refreshTokenUses().length, servers.op.grantsRevoked()];
      const before = await tokenFingerprints(tabA);
      await tabA.evaluate(() => sessionStorage.setItem('fault-probe:copied', 'yes'));
      const [tabB] = await Promise.all([
        context.waitForEvent('page'),
        tabA.evaluate(() => { window.open(location.href); }),
      ]);
      tabB.pageErrors = [];
      tabB.on('pageerror', (err) => tabB.pageErrors.push(err.message));
      await tabB.waitForFunction(() => ['logged-in', 'logged-out', 'error'].includes(document.querySelector('#status')?.dataset.status));
      const copy = await tabB.evaluate(() => ({
        marker: sessionStorage.getItem('fault-probe:copied'), tokens: window.demo.auth.getTokens() !== null,
      }));
      assert.deepEqual(copy, { marker: 'yes', tokens: true }, 'Chromium copied sessionStorage, and the session, into B');

      await waitForExpiry(tabA);
      await tabB.waitForFunction(() => !window.demo.auth.isAuthenticated(), null, { polling: 100 });
      const [[a], [b]] = await Promise.all([getAccessTokens(tabA).outcomes, getAccessTokens(tabB).outcomes]);

      const uses = assertNoReplay(sinceUses, revokedBefore);
      assert.equal(uses.filter((fp) => fp === before.refresh).length, 1, 'POSTs presenting the inherited refresh token');
      assert.ok(a.token && a.token !== before.access, `A got a new access token: ${JSON.stringify(a)}`);
      assert.ok(b.token === null || b.error?.code === 'login_required', `B's getAccessToken(): ${JSON.stringify(b)}`);
      assert.equal(await tabB.evaluate(() => window.demo.auth.getTokens()?.refreshToken), undefined, 'B\'s refresh token');

      const forced = await refreshIn(tabA);
      assert.equal(forced.ok, true, `a refresh in A afterwards (the grant lives): ${JSON.stringify(forced)}`);
      assertNoReplay(sinceUses, revokedBefore);
      assert.deepEqual([...tabA.pageErrors, ...tabB.pageErrors], [], 'uncaught errors in the pages');
    } finally {
      await context.close();
    }
  });

  it('localStorage full while storing a new login (storage: local): storage_error, the previous session intact '
    + 'in memory, localStorage and IndexedDB', { timeout: TEST_TIMEOUT }, async () => {
    const page = await loggedInPage({ storage: 'local' });
    try {
      const before = await tokenFingerprints(page);
      assert.deepEqual((await idbRecords(page)).map(({ access, refresh }) => ({ access, refresh })),
        [{ access: before.access, refresh: before.refresh }], 'IndexedDB holds the session before');
      assert.ok(await page.evaluate(() => window.faultProbe.fillLocalStorage()) > 0, 'localStorage filled');

      // A second sign-in (the demo's button is for logged-out users): no OP session, and a user
      // with a longer name, whose ID token needs more room than the one it would replace.
      await page.context().clearCookies();
      const tokenPostsBefore = servers.op.tokenRequests();
      await page.evaluate(() => { window.demo.auth.loginRedirect(); });
      await signInAtOP(page, servers.op, { login: 'a-user-with-a-much-longer-name-than-alice-whose-tokens-are-longer' });
      await waitForStatus(page, 'error');
      const shown = await readStatus(page);
      assert.equal(shown.error, 'storage_error', `#error: ${shown.message}`);
      assert.equal(servers.op.tokenRequests() - tokenPostsBefore, 1, 'the new code was redeemed');

      assert.deepEqual(await tokenFingerprints(page), before, 'getTokens() on the callback page: the previous session');
      assert.deepEqual((await idbRecords(page)).map(({ access, refresh }) => ({ access, refresh })),
        [{ access: before.access, refresh: before.refresh }], 'IndexedDB holds the previous record, not the new one');
    } finally {
      await page.context().close();
    }
  });

  it('Web Storage refusing the refreshed record (quota): the rotated refresh token lives on in memory, the stale '
    + 'record is removed so no reload can replay it, and the next refresh spends the new one', { timeout: TEST_TIMEOUT }, async () => {
    const page = await loggedInPage();
    try {
      const [sinceUses, revokedBefore] = [servers.op.refreshTokenUses().length, servers.op.grantsRevoked()];
      const before = await tokenFingerprints(page);
      const tokenKeys = () => page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.endsWith(':tokens')));
      assert.equal((await tokenKeys()).length, 1, 'the session is stored');
      // sessionStorage full for the session's record from now on.
      await page.evaluate(() => {
        const setItem = Storage.prototype.setItem;
        window.refuseTokenWrites = true;
        Storage.prototype.setItem = function guarded(key, value) {
          if (window.refuseTokenWrites && String(key).endsWith(':tokens')) {
            throw new DOMException('the quota has been exceeded', 'QuotaExceededError');
          }
          return setItem.call(this, key, value);
        };
      });
      const refreshed = await refreshIn(page);
      assert.equal(refreshed.ok, true, `refresh(): ${JSON.stringify(refreshed)}`);
      const inMemory = await tokenFingerprints(page);
      assert.notEqual(inMemory.refresh, before.refresh, 'the rotated refresh token is kept, in memory');
      assert.deepEqual(await tokenKeys(), [], 'the stale record (a spent refresh token) is gone from storage');

      await page.evaluate(() => { window.refuseTokenWrites = false; });
      const again = await refreshIn(page);
      assert.equal(again.ok, true, `the next refresh spends the rotated token: ${JSON.stringify(again)}`);
      assert.equal((await tokenKeys()).length, 1, 'stored again once storage accepts it');
      assertNoReplay(sinceUses, revokedBefore);
    } finally {
      await page.context().close();
    }
  });

  it('IndexedDB unavailable (indexedDB.open throws; storage: local): login and refresh work, no page errors',
    { timeout: TEST_TIMEOUT }, async () => {
      const page = await loggedInPage({ storage: 'local' }, [disableIndexedDB]);
      try {
        await assertRefreshWorks(page);
      } finally {
        await page.context().close();
      }
    });

  for (const storage of ['local', 'session']) {
    it(`navigator.locks missing (storage: ${storage}): login and refresh work, no page errors`, { timeout: TEST_TIMEOUT }, async () => {
      const page = await loggedInPage({ storage }, [removeWebLocks]);
      try {
        assert.equal(await page.evaluate(() => navigator.locks), undefined, 'navigator.locks in the page');
        await assertRefreshWorks(page);
      } finally {
        await page.context().close();
      }
    });
  }
});
