// The demo page's "Log in with a popup" and "Sign in silently" buttons against a real OP: the
// outcome shows in the page's status and error areas like a redirect login's, the page itself
// never navigates, and when the popup or the hidden frame lands on the demo page, that page only
// hands the response over.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  TEST_TIMEOUT, callbackParamsIn, demoEnvironment, loginThroughDemo, newPage, newTab, openDemo, readAuth,
  readStatus, signInAtOP, tokenStorageKeys, waitForStatus,
} from './helpers.mjs';

/** Counts, from now on, `page`'s main-frame navigations, its popups and the frames attached to it. */
function watchInteraction(page) {
  const seen = { navigations: 0, popups: 0, frames: 0 };
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) seen.navigations += 1; });
  page.on('popup', () => { seen.popups += 1; });
  page.on('frameattached', () => { seen.frames += 1; });
  return seen;
}

/** Clicks "Log in with a popup"; returns the popup, whose uncaught errors it collects. */
async function clickLoginPopup(page) {
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.locator('#login-popup').click()]);
  popup.pageErrors = [];
  popup.on('pageerror', (err) => popup.pageErrors.push(err.message));
  return popup;
}

/** The page shows a session from `sub`'s login: status, claims, tokens, a clean URL, no error. */
async function assertShowsSession(page, sub = 'alice') {
  await waitForStatus(page, 'logged-in');
  const { authenticated, tokens } = await readAuth(page);
  assert.equal(authenticated, true, 'isAuthenticated()');
  assert.equal(tokens?.refreshToken, true, 'a refresh token');
  assert.match(await page.locator('#id-claims').textContent(), new RegExp(`"sub": "${sub}"`));
  assert.equal((await readStatus(page)).error, null, '#error');
  assert.equal(await page.locator('#error').isHidden(), true, '#error is hidden');
  assert.ok((await tokenStorageKeys(page)).length > 0, 'the session is stored');
  assert.deepEqual(callbackParamsIn(page.url()), [], 'response parameters in the URL');
  for (const id of ['#login', '#login-popup', '#sso-silent']) {
    assert.equal(await page.locator(id).isDisabled(), true, `${id} is disabled once logged in`);
  }
}

/** The page shows the AuthError `code` and holds no session. */
async function assertShowsError(page, code) {
  await waitForStatus(page, 'error');
  const shown = await readStatus(page);
  assert.equal(shown.error, code, `#error shows ${shown.error}: ${shown.message}`);
  assert.ok(shown.message.length > code.length, `a message beside the code: ${shown.message}`);
  const { authenticated, tokens } = await readAuth(page);
  assert.equal(authenticated, false, 'isAuthenticated()');
  assert.equal(tokens, null, 'getTokens()');
  assert.deepEqual(await tokenStorageKeys(page), [], 'token entries in storage');
  for (const id of ['#login', '#login-popup', '#sso-silent']) {
    assert.equal(await page.locator(id).isEnabled(), true, `${id} is enabled again`);
  }
}

describe('demo page: popup and silent logins', { timeout: 8 * TEST_TIMEOUT }, () => {
  const env = demoEnvironment();

  for (const mode of ['fragment', 'query']) {
    it(`"Log in with a popup" (${mode}): signed in in the popup, the page shows the session and never navigates`,
      { timeout: TEST_TIMEOUT }, async () => {
        const page = await newPage(env.browser);
        try {
          await openDemo(page, env.servers, { mode });
          const seen = watchInteraction(page);
          const posts = env.servers.op.tokenRequests();

          const popup = await clickLoginPopup(page);
          await waitForStatus(page, 'waiting-for-popup');
          await signInAtOP(popup, env.servers.op);

          await assertShowsSession(page);
          assert.match(await page.locator('#app-state').textContent(), /"returnTo":"\/"/);
          await popup.waitForEvent('close', { timeout: 5000 }).catch(() => {});
          assert.equal(popup.isClosed(), true, 'the popup closed itself');
          assert.deepEqual(popup.pageErrors, [], 'errors in the popup');
          assert.equal(env.servers.op.tokenRequests() - posts, 1, 'the code is redeemed once, by the page');
          assert.deepEqual({ navigations: seen.navigations, popups: seen.popups }, { navigations: 0, popups: 1 });
          assert.deepEqual(page.pageErrors, []);
        } finally {
          await page.context().close();
        }
      });
  }

  it('closing the popup shows popup_closed; the page stays logged out and can try again', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage(env.browser);
    try {
      await openDemo(page, env.servers);
      const seen = watchInteraction(page);
      const popup = await clickLoginPopup(page);
      await popup.waitForURL((url) => url.origin === env.servers.op.issuer);
      // A popup that reads `closed` within 3 s of leaving may have been severed by COOP and is
      // given the time-out instead: a user reads the sign-in page before giving up.
      await new Promise((resolve) => { setTimeout(resolve, 3500); });
      await popup.close();
      await assertShowsError(page, 'popup_closed');
      assert.equal(seen.navigations, 0, 'the page navigated');
      assert.deepEqual(page.pageErrors, []);
    } finally {
      await page.context().close();
    }
  });

  it('a popup the browser blocks shows popup_blocked', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage(env.browser);
    try {
      await page.addInitScript(() => { window.open = () => null; });
      await openDemo(page, env.servers);
      await page.locator('#login-popup').click();
      await assertShowsError(page, 'popup_blocked');
    } finally {
      await page.context().close();
    }
  });

  it('"Sign in silently" without a provider session shows login_required, with no interaction', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage(env.browser);
    try {
      await openDemo(page, env.servers);
      const seen = watchInteraction(page);
      await page.locator('#sso-silent').click();
      await assertShowsError(page, 'login_required');
      assert.deepEqual(seen, { navigations: 0, popups: 0, frames: 1 });
      assert.equal(await page.locator('iframe').count(), 0, 'the hidden frame is removed');
      assert.deepEqual(page.pageErrors, []);
    } finally {
      await page.context().close();
    }
  });

  it('"Sign in silently" in a second tab of a browser that logged in shows the session, with no interaction',
    { timeout: TEST_TIMEOUT }, async () => {
      const first = await newPage(env.browser);
      try {
        await openDemo(first, env.servers);
        await loginThroughDemo(first, env.servers);
        await waitForStatus(first, 'logged-in');

        const tab = await newTab(first.context()); // sessionStorage is per tab: no tokens here
        await openDemo(tab, env.servers);
        const seen = watchInteraction(tab);
        const posts = env.servers.op.tokenRequests();
        await tab.locator('#sso-silent').click();

        await assertShowsSession(tab);
        assert.deepEqual(seen, { navigations: 0, popups: 0, frames: 1 });
        assert.equal(await tab.locator('iframe').count(), 0, 'the hidden frame is removed');
        assert.equal(env.servers.op.tokenRequests() - posts, 1, 'the code is redeemed once, by the tab');
        assert.deepEqual(tab.pageErrors, []);
        // The first tab's session is untouched by the frame that landed on its origin.
        await assertShowsSession(first);
      } finally {
        await first.context().close();
      }
    });

  it('as a landing page (a response with a popup or silent state) the demo only hands it over', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage(env.browser);
    try {
      await openDemo(page, env.servers);
      const dialogs = [];
      page.on('dialog', (dialog) => { dialogs.push(dialog.type()); dialog.dismiss().catch(() => {}); });
      // What a hidden frame lands on, with a link's settings beside it: nobody listens on the
      // channel of this state, and the page must neither ask about nor save the settings.
      const landing = new URL('/', env.servers.web.origin);
      landing.searchParams.set('op', 'https://elsewhere.example');
      landing.hash = new URLSearchParams({ code: 'not-a-code', state: 's.no-such-login' }).toString();
      await page.goto(landing.href);
      await waitForStatus(page, 'relayed');
      assert.deepEqual(callbackParamsIn(page.url()), [], 'response parameters left in the URL');
      assert.equal(await page.evaluate(() => window.demo), undefined, 'no client on the landing page');
      assert.equal(await page.locator('#login').isDisabled(), true, 'nothing to click');
      assert.deepEqual(dialogs, [], 'dialogs');
      const saved = await page.evaluate(() => localStorage.getItem('spa-oauth-demo.provider'));
      assert.doesNotMatch(saved ?? '', /elsewhere/, 'the link\'s settings were saved');
      assert.deepEqual(page.pageErrors, []);
    } finally {
      await page.context().close();
    }
  });
});
