// ssoSilent() and silent renewal against the real OP: a hidden frame asks the provider with
// prompt=none; its landing page (the demo page itself, silentRedirectUri = redirectUri) hands the
// response back over a same-origin channel. With a provider session that logs the tab in without
// any interaction; without one the provider's login_required comes back; a provider that refuses
// to be framed is reported within the time-out, with why.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  TEST_TIMEOUT, demoEnvironment, loginThroughDemo, newPage, newTab, openDemo, waitForStatus,
} from './helpers.mjs';

/** Runs `method` (ssoSilent or refresh) on the page's client, or on one made with `overrides`. */
function callClient(page, method, overrides) {
  return page.evaluate(async ({ name, extra }) => {
    let { auth } = window.demo;
    if (extra) {
      const { AuthClient } = await import('/pkg/spa_oauth.js');
      auth = new AuthClient({ ...window.demo.config, ...extra });
      window.silentEvents = [];
      for (const event of ['refreshFailed', 'silentRenewed', 'silentRenewFailed', 'loggedOut']) {
        auth.on(event, (e) => window.silentEvents.push(e?.code ? `${event}:${e.code}` : event));
      }
      window.renewingClient = auth;
    }
    try {
      const value = await auth[name]();
      return { ok: true, token: typeof value === 'string', authenticated: auth.isAuthenticated() };
    } catch (err) {
      return { ok: false, code: err?.code, message: err?.message };
    }
  }, { name: method, extra: overrides });
}

/** From now on the OP answers every refresh_token grant of `page` `invalid_grant`, as Azure AD B2C does once a refresh token is 24 hours old. */
function refuseRefreshTokens(page, { web, op }) {
  return page.context().route(`${op.issuer}/token`, (route) => {
    const grant = new URLSearchParams(route.request().postData() ?? '').get('grant_type');
    if (grant !== 'refresh_token') return route.continue();
    return route.fulfill({
      status: 400,
      contentType: 'application/json',
      headers: { 'access-control-allow-origin': web.origin },
      body: JSON.stringify({ error: 'invalid_grant', error_description: 'refresh token expired' }),
    });
  });
}

/** Counts frames attached to `page` and its main-frame navigations and popups from now on. */
function watchInteraction(page) {
  const seen = { frames: 0, navigations: 0, popups: 0 };
  page.on('frameattached', () => { seen.frames += 1; });
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) seen.navigations += 1; });
  page.on('popup', () => { seen.popups += 1; });
  return seen;
}

describe('ssoSilent() and silent renewal', { timeout: 6 * TEST_TIMEOUT }, () => {
  const env = demoEnvironment();

  it('a new tab with no tokens logs in silently from the provider\'s session: no interaction, no navigation',
    { timeout: TEST_TIMEOUT }, async () => {
      const first = await newPage(env.browser);
      try {
        await openDemo(first, env.servers);
        await loginThroughDemo(first, env.servers);
        await waitForStatus(first, 'logged-in');

        const tab = await newTab(first.context()); // sessionStorage is per tab: no tokens here
        await openDemo(tab, env.servers);
        const seen = watchInteraction(tab);
        const outcome = await callClient(tab, 'ssoSilent');
        assert.equal(outcome.ok, true, JSON.stringify(outcome));
        assert.equal(await tab.evaluate(() => window.demo.auth.isAuthenticated()), true);
        assert.equal(await tab.evaluate(() => window.demo.auth.getUser()?.sub), 'alice');
        assert.deepEqual({ navigations: seen.navigations, popups: seen.popups }, { navigations: 0, popups: 0 });
        assert.equal(seen.frames, 1, 'one hidden frame');
        assert.equal(await tab.evaluate(() => document.querySelectorAll('iframe').length), 0, 'the frame is removed');
      } finally {
        await first.context().close();
      }
    });

  it('without a provider session the provider\'s login_required comes back, and nothing is stored',
    { timeout: TEST_TIMEOUT }, async () => {
      const page = await newPage(env.browser);
      try {
        await openDemo(page, env.servers);
        const outcome = await callClient(page, 'ssoSilent');
        assert.equal(outcome.code, 'login_required', JSON.stringify(outcome));
        assert.equal(await page.evaluate(() => window.demo.auth.getTokens()), null);
      } finally {
        await page.context().close();
      }
    });

  it('a provider that refuses to be framed is reported as timeout once the frame loads its page, saying why',
    { timeout: TEST_TIMEOUT }, async () => {
      const page = await newPage(env.browser);
      try {
        await page.context().route(`${env.servers.op.issuer}/auth**`, (route) => route.fulfill({
          status: 200,
          headers: { 'content-type': 'text/html', 'x-frame-options': 'DENY' },
          body: '<!DOCTYPE html><title>Sign in</title><p>Sign in',
        }));
        await openDemo(page, env.servers);
        const outcome = await callClient(page, 'ssoSilent', { silentTimeoutSeconds: 20 });
        // The refused-frame answer, not the time-out's (no clock check: the machines are shared).
        assert.equal(outcome.code, 'timeout', JSON.stringify(outcome));
        assert.match(outcome.message, /stayed in the hidden frame: it refuses to be framed/);
      } finally {
        await page.context().close();
      }
    });

  it('a refused refresh token is renewed by one silent login: new tokens, one frame, no interaction, events say so',
    { timeout: TEST_TIMEOUT }, async () => {
      const page = await newPage(env.browser);
      try {
        await openDemo(page, env.servers);
        await loginThroughDemo(page, env.servers);
        await waitForStatus(page, 'logged-in');
        const before = await page.evaluate(() => window.demo.auth.getTokens().accessToken);
        await refuseRefreshTokens(page, env.servers);
        const seen = watchInteraction(page);
        const outcome = await callClient(page, 'refresh', { silentRenew: true });
        assert.equal(outcome.ok, true, JSON.stringify(outcome));
        assert.equal(outcome.token, true);
        const after = await page.evaluate(() => window.renewingClient.getTokens().accessToken);
        assert.notEqual(after, before, 'new tokens from the silent login');
        assert.deepEqual(await page.evaluate(() => window.silentEvents), ['refreshFailed:invalid_grant', 'silentRenewed']);
        assert.deepEqual(seen, { frames: 1, navigations: 0, popups: 0 });
      } finally {
        await page.context().close();
      }
    });

  it('a session without a refresh token whose access token is due is renewed by one silent login when getAccessToken() asks',
    { timeout: TEST_TIMEOUT }, async () => {
      const page = await newPage(env.browser);
      try {
        await openDemo(page, env.servers);
        await loginThroughDemo(page, env.servers);
        await waitForStatus(page, 'logged-in');
        // A session with no refresh token (a copied tab's, or a login without offline_access).
        await page.evaluate(() => {
          for (const [key, value] of Object.entries(sessionStorage)) {
            if (!key.endsWith(':tokens')) continue;
            const record = JSON.parse(value);
            delete record.refreshToken;
            sessionStorage.setItem(key, JSON.stringify(record));
          }
        });
        const seen = watchInteraction(page);
        // A margin of a day makes the hour-long access token due now.
        const outcome = await callClient(page, 'getAccessToken', { silentRenew: true, expiryMarginSeconds: 86400 });
        assert.deepEqual({ ok: outcome.ok, token: outcome.token }, { ok: true, token: true }, JSON.stringify(outcome));
        assert.deepEqual(await page.evaluate(() => window.silentEvents), ['silentRenewed']);
        assert.equal(await page.evaluate(() => typeof window.renewingClient.getTokens().refreshToken), 'string', 'a refresh token again');
        assert.deepEqual(seen, { frames: 1, navigations: 0, popups: 0 });
      } finally {
        await page.context().close();
      }
    });

  it('without silent renewal a refused refresh token still ends the session (login_required)', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage(env.browser);
    try {
      await openDemo(page, env.servers);
      await loginThroughDemo(page, env.servers);
      await waitForStatus(page, 'logged-in');
      await refuseRefreshTokens(page, env.servers);
      const seen = watchInteraction(page);
      const outcome = await callClient(page, 'refresh', { silentRenew: false });
      assert.equal(outcome.code, 'login_required', JSON.stringify(outcome));
      assert.deepEqual(await page.evaluate(() => window.silentEvents), ['refreshFailed:invalid_grant', 'loggedOut']);
      assert.equal(seen.frames, 0, 'no frame');
    } finally {
      await page.context().close();
    }
  });
});
