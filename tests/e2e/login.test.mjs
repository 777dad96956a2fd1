// The demo page against a real OP: successful logins, reload, logout.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  TEST_TIMEOUT, callbackParamsIn, demoEnvironment, loginThroughDemo, newPage, openDemo,
  readAuth, waitForStatus, watchResponseDelivery,
} from './helpers.mjs';

async function assertLoggedIn(page) {
  const { authenticated, tokens, now } = await readAuth(page);
  assert.equal(authenticated, true, 'isAuthenticated()');
  assert.ok(tokens, 'getTokens() returned null');
  assert.equal(tokens.accessToken, true, 'accessToken');
  assert.equal(tokens.idToken, true, 'idToken');
  assert.equal(tokens.refreshToken, true, 'refreshToken');
  assert.ok(tokens.expiresAt > now, `expiresAt ${tokens.expiresAt} is not in the future (now ${now})`);
  assert.ok(tokens.expiresAt < now + 3700 * 1000, `expiresAt ${tokens.expiresAt} is not in ms since the epoch`);
  assert.deepEqual(callbackParamsIn(page.url()), [], 'response parameters left in the URL');
}

describe('demo page: login', { timeout: 5 * TEST_TIMEOUT }, () => {
  const env = demoEnvironment();

  for (const mode of ['fragment', 'query']) {
    it(`logs in with response mode "${mode}" and redeems the code once`, { timeout: TEST_TIMEOUT }, async () => {
      const page = await newPage(env.browser);
      try {
        await openDemo(page, env.servers, { mode });
        const delivery = watchResponseDelivery(page, env.servers);
        const posts = env.servers.op.tokenRequests();

        await loginThroughDemo(page, env.servers);
        await waitForStatus(page, 'logged-in');

        assert.equal(delivery(), mode, 'where the OP put the response');
        await assertLoggedIn(page);
        assert.equal(env.servers.op.tokenRequests() - posts, 1, 'token requests');
        assert.match(await page.locator('#id-claims').textContent(), /"sub": "alice"/);
        assert.deepEqual(page.pageErrors, []);
      } finally {
        await page.context().close();
      }
    });
  }

  it("takes the wasm the page's <head> started, each package file downloaded once (README, Start-up)", { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage(env.browser);
    try {
      await openDemo(page, env.servers);
      const { loads, started } = await page.evaluate(() => ({
        loads: performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname)
          .filter((path) => path.startsWith('/pkg/')),
        started: typeof window.spaOauthWasm?.then === 'function',
      }));
      assert.ok(started, 'index.html started no compile');
      // init() fetching the wasm itself, or app.js importing the glue past its modulepreload,
      // would be a second download.
      assert.equal(loads.filter((path) => path === '/pkg/spa_oauth_bg.wasm').length, 1, loads.join(' '));
      assert.equal(new Set(loads).size, loads.length, loads.join(' '));
      assert.deepEqual(page.pageErrors, []);
    } finally {
      await page.context().close();
    }
  });

  it('with a <link rel="preload"> in place of the script (the README\'s way under a strict CSP), init() takes the preloaded wasm: one download', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage(env.browser);
    try {
      const preload = '<link rel="preload" href="/pkg/spa_oauth_bg.wasm" as="fetch" type="application/wasm" crossorigin>';
      await page.route((url) => url.origin === env.servers.web.origin && url.pathname === '/', async (route) => {
        const response = await route.fetch();
        const html = await response.text();
        const early = /<script>window\.spaOauthWasm = [^<]*<\/script>/;
        assert.match(html, early, 'www/index.html starts the wasm early');
        await route.fulfill({ response, body: html.replace(early, preload) });
      });
      await openDemo(page, env.servers);
      const { loads, started } = await page.evaluate(() => ({
        loads: performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/pkg/spa_oauth_bg.wasm'))
          .map((e) => e.initiatorType),
        started: window.spaOauthWasm !== undefined,
      }));
      assert.equal(started, false, 'the page started no compile of its own');
      // init()'s fetch in another mode than the preload's would download the wasm a second time.
      assert.deepEqual(loads, ['link']);
      assert.deepEqual(page.pageErrors, []);
    } finally {
      await page.context().close();
    }
  });

  it('stays logged in across a reload without redeeming again; logout clears', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage(env.browser);
    try {
      await openDemo(page, env.servers);
      const posts = env.servers.op.tokenRequests();
      await loginThroughDemo(page, env.servers);
      await waitForStatus(page, 'logged-in');

      await page.reload();
      await waitForStatus(page, 'logged-in');
      await assertLoggedIn(page);
      assert.equal(env.servers.op.tokenRequests() - posts, 1, 'token requests after reload');

      await page.locator('#get-token').click();
      await page.locator('#get-token-result[data-result="token"]').waitFor();
      assert.equal(env.servers.op.tokenRequests() - posts, 1, 'a fresh token needs no request');

      await page.locator('#logout').click();
      await waitForStatus(page, 'logged-out');
      const { authenticated, tokens } = await readAuth(page);
      assert.equal(authenticated, false);
      assert.equal(tokens, null);

      await page.reload();
      await waitForStatus(page, 'logged-out');
      assert.equal((await readAuth(page)).tokens, null, 'tokens came back after reload');
      assert.deepEqual(page.pageErrors, []);
    } finally {
      await page.context().close();
    }
  });
});
