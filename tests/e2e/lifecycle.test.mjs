// The token lifecycle against the real OP: expiry and refresh (one token request however many
// callers, in one tab or two), rotated refresh tokens never replayed, a revoked refresh token
// ending the session, and auth.fetch to protected APIs.
//
// The OP gives login access tokens a few seconds of life and refreshed ones an hour, so each
// test waits once for a real expiry and nothing it does afterwards races a second one.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  TEST_TIMEOUT, assertPkgBuilt, launchBrowser, loginThroughDemo, newPage, newTab, openDemo,
  startServers, tokenStorageKeys, waitForStatus,
} from './helpers.mjs';
import {
  fetchThroughAuth, getAccessTokens, rawTokens, recordEvents, recordedEvents, tokenFingerprints, waitForExpiry,
} from './page-session.mjs';

const LOGIN_ACCESS_TOKEN_TTL = 4; // seconds
const MARGIN = 1; // expiryMarginSeconds: the login's token is good for about 3 s
const accessTokenTtl = (grantType) => (grantType === 'authorization_code' ? LOGIN_ACCESS_TOKEN_TTL : 3600);
const CONCURRENT = 20;
const ONE_REFRESH = [{ grantType: 'refresh_token', status: 200 }];
const PROFILE = { status: 200, body: { sub: 'alice' } };

/** The refresh_token grant requests the OP received since `since` (an index in its log). */
const refreshesSince = (op, since) => op.tokenLog().slice(since).filter((e) => e.grantType === 'refresh_token');

/**
 * Holds every token request of `context` until `release()`; `held()` counts them. Lets a test
 * start calls in several tabs while the first refresh is still unanswered.
 */
async function holdTokenRequests(context, { op }) {
  let held = 0;
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  await context.route(`${op.issuer}/token`, async (route) => {
    held += 1;
    await gate;
    await route.continue();
  });
  return { held: () => held, release };
}

/**
 * Makes `tab` write a large value to localStorage every 2 ms (an app saving its state, much
 * faster than any would) until the returned function is called. Storage changes then reach the
 * other tabs late: a stress on the cross-tab protocol, which must not rely on their timing.
 */
async function keepWritingLocalStorage(tab) {
  await tab.evaluate(() => {
    const draft = 'x'.repeat(256 * 1024);
    window.draftWriter = setInterval(() => localStorage.setItem('app-draft', `${draft}${Math.random()}`), 2);
  });
  return () => tab.evaluate(() => clearInterval(window.draftWriter));
}

/** Polls `check` (may be async) until it holds; fails after `timeout` ms naming `what`. */
async function until(check, what, timeout = 10_000) {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => { setTimeout(resolve, 50); });
  }
}

describe('token lifecycle', { timeout: 9 * TEST_TIMEOUT }, () => {
  let servers;
  let browser;
  let api;
  let otherApi;

  before(async () => {
    assertPkgBuilt();
    servers = await startServers({ accessTokenTtl, apis: 2 });
    [api, otherApi] = servers.apis;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await servers?.close();
  });

  /** A fresh context and tab, logged in through the demo with a short-lived access token. */
  async function loggedInPage(settings = {}) {
    const page = await newPage(browser);
    await openDemo(page, servers, { margin: MARGIN, ...settings });
    await loginThroughDemo(page, servers);
    await waitForStatus(page, 'logged-in');
    return page;
  }

  /** Another tab of `tab`'s context on the demo, sharing its session through localStorage. */
  async function secondTab(tab) {
    const other = await newTab(tab.context());
    await openDemo(other, servers, { storage: 'local', margin: MARGIN, expect: 'logged-in' });
    return other;
  }

  it('refreshes an expired access token once, then serves the new one from memory', { timeout: TEST_TIMEOUT }, async () => {
    const page = await loggedInPage();
    try {
      const before = await tokenFingerprints(page);
      const since = servers.op.tokenLog().length;
      await waitForExpiry(page);

      const [first] = await getAccessTokens(page).outcomes;
      assert.ok(first.token, `getAccessToken(): ${JSON.stringify(first)}`);
      assert.notEqual(first.token, before.access, 'a new access token');
      assert.deepEqual(refreshesSince(servers.op, since), ONE_REFRESH);

      const after = await tokenFingerprints(page);
      assert.equal(after.access, first.token, 'getTokens() holds the new access token');
      assert.ok(after.refresh && after.refresh !== before.refresh, 'the rotated refresh token replaced the old one');

      const [again] = await getAccessTokens(page).outcomes;
      assert.equal(again.token, first.token, 'the refreshed token is reused');
      assert.equal(servers.op.tokenLog().length, since + 1, 'no token request for a valid token');
    } finally {
      await page.context().close();
    }
  });

  it(`${CONCURRENT} concurrent getAccessToken() calls after expiry share one refresh`, { timeout: TEST_TIMEOUT }, async () => {
    const page = await loggedInPage();
    try {
      const before = await tokenFingerprints(page);
      const since = servers.op.tokenLog().length;
      await waitForExpiry(page);

      const outcomes = await getAccessTokens(page, CONCURRENT).outcomes;
      const now = await tokenFingerprints(page);
      assert.deepEqual(outcomes, Array(CONCURRENT).fill({ token: now.access }), 'everyone got the session\'s token');
      assert.notEqual(now.access, before.access, 'a new access token');
      assert.equal(servers.op.tokenLog().length - since, 1, 'token requests');
      assert.deepEqual(refreshesSince(servers.op, since), ONE_REFRESH);
    } finally {
      await page.context().close();
    }
  });

  it(`${CONCURRENT} concurrent auth.fetch calls after expiry share one refresh and send its token`, {
    timeout: TEST_TIMEOUT,
  }, async () => {
    const page = await loggedInPage({ apiOrigins: [api.origin] });
    try {
      const before = await tokenFingerprints(page);
      const since = servers.op.tokenLog().length;
      const apiSince = api.requests().length;
      await waitForExpiry(page);

      const outcomes = await fetchThroughAuth(page, `${api.origin}/profile`, CONCURRENT);
      assert.deepEqual(outcomes, Array(CONCURRENT).fill(PROFILE));
      assert.deepEqual(refreshesSince(servers.op, since), ONE_REFRESH);
      assert.equal(servers.op.tokenLog().length - since, 1, 'token requests');

      const seen = api.requests().slice(apiSince);
      assert.equal(seen.length, CONCURRENT, 'API requests (no retries)');
      const now = await tokenFingerprints(page);
      assert.deepEqual(seen.map((r) => r.token), Array(CONCURRENT).fill(now.access), 'each carried the new token');
      assert.notEqual(now.access, before.access, 'a new access token');
    } finally {
      await page.context().close();
    }
  });

  // Chromium hands a tab another tab's localStorage writes asynchronously: a tab that waited
  // for the refresh lock and re-read localStorage could get the record from before the refresh
  // and replay the consumed refresh token (the OP then revokes the grant). The lock holder reads
  // IndexedDB instead. Busy localStorage makes the old window wide enough to hit every time.
  it('two tabs (storage: local) refreshing at once send one request, never replaying the old refresh token', {
    timeout: TEST_TIMEOUT,
  }, async () => {
    const tabA = await loggedInPage({ storage: 'local' });
    const context = tabA.context();
    try {
      const tabB = await secondTab(tabA);
      const before = await tokenFingerprints(tabA);
      assert.deepEqual(await tokenFingerprints(tabB), before, 'tab B shares tab A\'s session');
      const since = servers.op.tokenLog().length;
      const revokedBefore = servers.op.grantsRevoked();
      await Promise.all([waitForExpiry(tabA), waitForExpiry(tabB)]);

      // Both tabs ask while the first refresh request is held: the second must wait for it.
      const stopWriting = await Promise.all([tabA, tabB].map(keepWritingLocalStorage));
      const hold = await holdTokenRequests(context, servers);
      const calls = [tabA, tabB].map((tab) => getAccessTokens(tab));
      await Promise.all(calls.map((call) => call.started));
      await until(() => hold.held() >= 1, 'the first refresh request');
      hold.release();
      const [[a], [b]] = await Promise.all(calls.map((call) => call.outcomes));
      await Promise.all(stopWriting.map((stop) => stop()));

      assert.deepEqual(refreshesSince(servers.op, since), ONE_REFRESH, `tab outcomes: ${JSON.stringify([a, b])}`);
      assert.equal(hold.held(), 1, 'token requests sent by the tabs');
      assert.equal(servers.op.grantsRevoked() - revokedBefore, 0, 'grants revoked at the OP');
      assert.ok(a.token, 'tab A got a token');
      assert.equal(a.token, b.token, 'both tabs got the same access token');
      assert.notEqual(a.token, before.access, 'a new access token');
      const [afterA, afterB] = [await tokenFingerprints(tabA), await tokenFingerprints(tabB)];
      assert.deepEqual(afterA, afterB, 'both tabs hold the same tokens');
      assert.notEqual(afterA.refresh, before.refresh, 'the rotated refresh token is kept');

      // A replayed refresh token would have revoked the grant: one more refresh proves it lives.
      const forced = await tabB.evaluate(() => window.demo.auth.refresh().then(() => 'ok', (err) => err.code));
      assert.equal(forced, 'ok', 'refresh() after the shared refresh');
      assert.deepEqual(refreshesSince(servers.op, since).map((e) => e.status), [200, 200]);
      assert.equal(servers.op.grantsRevoked() - revokedBefore, 0, 'grants revoked at the OP');
      const latest = (await tokenFingerprints(tabB)).access;
      await until(async () => (await tokenFingerprints(tabA)).access === latest, 'tab A to get tab B\'s refresh');
    } finally {
      await context.close();
    }
  });

  it('a freed client no longer answers its cached token', { timeout: TEST_TIMEOUT }, async () => {
    const page = await loggedInPage();
    try {
      const outcome = await page.evaluate(async () => {
        const { auth } = window.demo;
        const before = typeof (await auth.getAccessToken());
        auth.free();
        try {
          return { before, after: typeof (await auth.getAccessToken()) };
        } catch (e) {
          return { before, after: 'threw', isError: e instanceof Error };
        }
      });
      assert.deepEqual(outcome, { before: 'string', after: 'threw', isError: true });
    } finally {
      await page.context().close();
    }
  });

  it('a logout in one tab (storage: local) ends the session in the other', { timeout: TEST_TIMEOUT }, async () => {
    const tabA = await loggedInPage({ storage: 'local' });
    const context = tabA.context();
    try {
      const tabB = await secondTab(tabA);
      await recordEvents(tabB);
      const [before] = await getAccessTokens(tabB).outcomes;
      assert.ok(before.token, 'tab B answers its token before the logout');

      await tabA.locator('#logout').click();
      await waitForStatus(tabA, 'logged-out');

      await waitForStatus(tabB, 'logged-out');
      assert.equal(await tokenFingerprints(tabB), null, 'getTokens() in tab B');
      const [after] = await getAccessTokens(tabB).outcomes;
      assert.equal(after.token, null, 'getAccessToken() in tab B: its cached token went with the session');
      assert.deepEqual(await recordedEvents(tabB), [{ name: 'loggedOut' }]);
      assert.deepEqual(await tokenStorageKeys(tabB), [], 'token entries in storage');
    } finally {
      await context.close();
    }
  });

  it('a refresh token revoked at the OP ends the session with login_required', { timeout: TEST_TIMEOUT }, async () => {
    const page = await loggedInPage();
    try {
      await servers.op.revokeToken((await rawTokens(page)).refreshToken, 'refresh_token');
      await recordEvents(page);
      const since = servers.op.tokenLog().length;
      await waitForExpiry(page);

      const [outcome] = await getAccessTokens(page).outcomes;
      assert.deepEqual(outcome, { error: { name: 'AuthError', code: 'login_required', isError: true } });
      assert.deepEqual(refreshesSince(servers.op, since), [{ grantType: 'refresh_token', status: 400 }]);
      assert.deepEqual(await recordedEvents(page), [
        { name: 'refreshFailed', code: 'invalid_grant' },
        { name: 'loggedOut' },
      ]);
      assert.equal(await tokenFingerprints(page), null, 'getTokens()');
      assert.deepEqual(await tokenStorageKeys(page), [], 'token entries in storage');
      await waitForStatus(page, 'logged-out');
    } finally {
      await page.context().close();
    }
  });

  it('auth.fetch sends the token to apiOrigins only', { timeout: TEST_TIMEOUT }, async () => {
    const page = await loggedInPage({ apiOrigins: [api.origin] });
    try {
      const since = servers.op.tokenLog().length;
      const [apiSince, otherSince] = [api.requests().length, otherApi.requests().length];

      assert.deepEqual(await fetchThroughAuth(page, `${api.origin}/profile`), [PROFILE]);
      const { access } = await tokenFingerprints(page);
      assert.deepEqual(api.requests().slice(apiSince), [
        { method: 'GET', path: '/profile', authorization: 'bearer', token: access, status: 200 },
      ]);

      const [other] = await fetchThroughAuth(page, `${otherApi.origin}/profile`);
      assert.equal(other.status, 401, 'the other API refuses a call without a token');
      assert.deepEqual(otherApi.requests().slice(otherSince), [
        { method: 'GET', path: '/profile', authorization: 'none', token: null, status: 401 },
      ], 'a call to an origin outside apiOrigins carries no token');
      assert.equal(servers.op.tokenLog().length, since, 'token requests');
    } finally {
      await page.context().close();
    }
  });

  it('a 401 invalid_token from the API leads to one refresh and one retry', { timeout: TEST_TIMEOUT }, async () => {
    const page = await loggedInPage({ apiOrigins: [api.origin] });
    try {
      const before = await tokenFingerprints(page);
      await servers.op.forgetAccessToken((await rawTokens(page)).accessToken);
      const since = servers.op.tokenLog().length;
      const apiSince = api.requests().length;

      assert.deepEqual(await fetchThroughAuth(page, `${api.origin}/profile`), [PROFILE]);
      assert.deepEqual(refreshesSince(servers.op, since), ONE_REFRESH);
      const after = await tokenFingerprints(page);
      assert.notEqual(after.access, before.access);
      assert.deepEqual(api.requests().slice(apiSince).map(({ token, status }) => ({ token, status })), [
        { token: before.access, status: 401 },
        { token: after.access, status: 200 },
      ]);
    } finally {
      await page.context().close();
    }
  });
});
