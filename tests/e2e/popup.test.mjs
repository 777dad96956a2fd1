// loginPopup() against the real OP: the login happens in a popup while the opener stays where it
// is; the popup's landing page (the demo page itself, popupRedirectUri = redirectUri) hands the
// response back over a same-origin BroadcastChannel, which survives a provider page that severs
// window.opener with Cross-Origin-Opener-Policy. Closed, blocked and silent popups end in their
// own AuthError codes; forged channel messages are ignored.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  CALLBACK_PARAMS, TEST_TIMEOUT, demoEnvironment, newPage, openDemo, signInAtOP, tokenStorageKeys,
} from './helpers.mjs';

/** Starts `auth.loginPopup(options)` in `page` (optionally on a client made with `config` overrides). */
async function startPopupLogin(page, { options = {}, config } = {}) {
  const [popup] = await Promise.all([
    page.waitForEvent('popup'),
    page.evaluate(async ({ opts, overrides }) => {
      let { auth } = window.demo;
      if (overrides) {
        const { AuthClient } = await import('/pkg/spa_oauth.js');
        auth = new AuthClient({ ...window.demo.config, ...overrides });
      }
      window.popupLogin = auth.loginPopup(opts).then(
        (result) => ({ ok: true, appState: result.appState ?? null }),
        (err) => ({ ok: false, code: err?.code, isAuthError: err?.name === 'AuthError', message: err?.message }),
      );
    }, { opts: options, overrides: config }),
  ]);
  return popup;
}

const popupOutcome = (page) => page.evaluate(() => window.popupLogin);

/** Records every navigation of `page`'s main frame from now on. */
function recordNavigations(page) {
  const seen = [];
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) seen.push(frame.url()); });
  return seen;
}

describe('loginPopup()', { timeout: 8 * TEST_TIMEOUT }, () => {
  const env = demoEnvironment();

  for (const mode of ['fragment', 'query']) {
    it(`logs in in a popup (${mode}); the opener never navigates, the popup closes, no response in any URL`,
      { timeout: TEST_TIMEOUT }, async () => {
        const page = await newPage(env.browser);
        try {
          await openDemo(page, env.servers, { mode });
          const navigations = recordNavigations(page);
          const popup = await startPopupLogin(page, { options: { appState: { returnTo: '/orders' } } });
          await signInAtOP(popup, env.servers.op);
          const outcome = await popupOutcome(page);
          assert.deepEqual(outcome, { ok: true, appState: { returnTo: '/orders' } });
          assert.deepEqual(navigations, [], 'the opener navigated');
          await popup.waitForEvent('close', { timeout: 5000 }).catch(() => {});
          assert.equal(popup.isClosed(), true, 'the popup closed itself');
          const state = await page.evaluate(() => ({
            authenticated: window.demo.auth.isAuthenticated(),
            sub: window.demo.auth.getUser()?.sub,
            url: location.href,
          }));
          assert.deepEqual({ ...state, url: undefined }, { authenticated: true, sub: 'alice', url: undefined });
          const url = new URL(state.url);
          const leftovers = CALLBACK_PARAMS.filter((p) => url.searchParams.has(p) || url.hash.includes(`${p}=`));
          assert.deepEqual(leftovers, [], 'response parameters in the opener URL');
          assert.ok((await tokenStorageKeys(page)).length > 0, 'the session is stored');
        } finally {
          await page.context().close();
        }
      });
  }

  it('still logs in when the provider pages send Cross-Origin-Opener-Policy: same-origin (opener severed)',
    { timeout: TEST_TIMEOUT }, async () => {
      const page = await newPage(env.browser);
      try {
        await page.context().route(`${env.servers.op.issuer}/**`, async (route) => {
          const response = await route.fetch({ maxRedirects: 0 });
          await route.fulfill({ response, headers: { ...response.headers(), 'cross-origin-opener-policy': 'same-origin' } });
        });
        await page.addInitScript(() => {
          const open = window.open.bind(window);
          window.open = (...args) => { window.lastPopup = open(...args); return window.lastPopup; };
        });
        await openDemo(page, env.servers);
        const popup = await startPopupLogin(page);
        await popup.waitForURL((url) => url.pathname.startsWith('/interaction/'));
        assert.equal(await page.evaluate(() => window.lastPopup.closed), true, 'COOP severed the opener\'s handle');
        await signInAtOP(popup, env.servers.op);
        assert.deepEqual(await popupOutcome(page), { ok: true, appState: null });
        assert.equal(await page.evaluate(() => window.demo.auth.isAuthenticated()), true);
        await popup.waitForEvent('close', { timeout: 5000 }).catch(() => {});
        assert.equal(popup.isClosed(), true, 'the severed popup closed itself after handing the response over');
      } finally {
        await page.context().close();
      }
    });

  it('a popup the user closes ends in popup_closed, with no session', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage(env.browser);
    try {
      await openDemo(page, env.servers);
      const popup = await startPopupLogin(page);
      await popup.waitForURL((url) => url.origin === env.servers.op.issuer);
      // A user reads the sign-in page before giving up (a popup that reads `closed` within 3 s
      // of leaving may have been severed by COOP, and is given the time-out instead).
      await new Promise((resolve) => { setTimeout(resolve, 3500); });
      await popup.close();
      const outcome = await popupOutcome(page);
      assert.equal(outcome.code, 'popup_closed', JSON.stringify(outcome));
      assert.equal(outcome.isAuthError, true);
      assert.equal(await page.evaluate(() => window.demo.auth.isAuthenticated()), false);
    } finally {
      await page.context().close();
    }
  });

  it('a popup the browser blocks ends in popup_blocked at once', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage(env.browser);
    try {
      await page.addInitScript(() => { window.open = () => null; });
      await openDemo(page, env.servers);
      const outcome = await page.evaluate(() => window.demo.auth.loginPopup().then(
        () => ({ ok: true }),
        (err) => ({ code: err.code, message: err.message }),
      ));
      assert.equal(outcome.code, 'popup_blocked', JSON.stringify(outcome));
      assert.match(outcome.message, /click/);
    } finally {
      await page.context().close();
    }
  });

  it('a popup left alone ends in timeout after popupTimeoutSeconds, and is closed', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage(env.browser);
    try {
      await openDemo(page, env.servers);
      const popup = await startPopupLogin(page, { config: { popupTimeoutSeconds: 2 } });
      const outcome = await popupOutcome(page);
      assert.equal(outcome.code, 'timeout', JSON.stringify(outcome));
      await popup.waitForEvent('close', { timeout: 5000 }).catch(() => {});
      assert.equal(popup.isClosed(), true, 'the library closed the popup');
    } finally {
      await page.context().close();
    }
  });

  it('ignores forged channel messages (another state, another shape, a replay) and completes the login',
    { timeout: TEST_TIMEOUT }, async () => {
      const page = await newPage(env.browser);
      try {
        await openDemo(page, env.servers);
        let state;
        page.context().on('request', (request) => {
          const url = new URL(request.url());
          if (url.origin === env.servers.op.issuer && url.searchParams.has('code_challenge')) state = url.searchParams.get('state');
        });
        const popup = await startPopupLogin(page);
        await popup.waitForURL((url) => url.pathname.startsWith('/interaction/'));
        assert.match(state ?? '', /^p\./, 'the popup login\'s state');
        // Any page of the origin can post on the channel; only the login's own state counts.
        const other = await page.context().newPage();
        await other.goto(`${env.servers.web.origin}/?forge`);
        await other.evaluate((s) => {
          const channel = new BroadcastChannel(`spa-oauth:${s}`);
          channel.postMessage({ part: 'fragment', text: 'code=forged&state=p.another' });
          channel.postMessage({ part: 'fragment', text: 42 });
          channel.postMessage('code=forged');
          channel.close();
        }, state);
        await signInAtOP(popup, env.servers.op);
        assert.deepEqual(await popupOutcome(page), { ok: true, appState: null });
        // A replay of a response after the login: nobody listens any more, nothing changes.
        const before = await page.evaluate(() => window.demo.auth.getTokens().accessToken.length);
        await other.evaluate((s) => {
          const channel = new BroadcastChannel(`spa-oauth:${s}`);
          channel.postMessage({ part: 'fragment', text: `code=replayed&state=${s}` });
          channel.close();
        }, state);
        assert.equal(await page.evaluate(() => window.demo.auth.getTokens().accessToken.length), before);
        assert.deepEqual(page.pageErrors, []);
      } finally {
        await page.context().close();
      }
    });
});
