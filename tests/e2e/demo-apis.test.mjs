// The demo's APIs (issue 16), on the servers `npm run demo` runs (tests/support/demo-servers.mjs):
// one login through the demo page, then each API button. The page must show which token went
// where (audience and scopes, the Authorization header elided) and each answer; the APIs and
// the gateway refuse a token meant for another API by their own check.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startDemoServers } from '../support/demo-servers.mjs';
import { API_RESOURCES, API_SCOPES } from '../../www/apis.js';
import {
  TEST_TIMEOUT, assertPkgBuilt, launchBrowser, loginThroughDemo, newPage, openDemo, waitForStatus,
} from './helpers.mjs';

/** The rows of the page's API list (www/apis.js apiCalls: one per `apis` entry, in order). */
const ROW = { orders: 0, billing: 1, gatewayOrders: 2, gatewayBilling: 3 };

/** Points the page at these servers through its Settings box (the APIs are on other ports than the defaults). */
async function useDemoSettings(page, servers) {
  await openDemo(page, servers);
  await page.locator('#provider-json').fill(JSON.stringify(servers.settings, null, 2));
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Save and reload' }).click()]);
  await waitForStatus(page, 'logged-out');
}

/** Clicks a row's button (`own`: auth.fetch picks the token; `wrong`: another API's token) and reads what the row shows. */
async function call(page, index, kind = 'own') {
  const row = page.locator(`#api-calls [data-index="${index}"]`);
  const calls = Number(await row.getAttribute('data-calls') ?? 0);
  await row.locator(kind === 'own' ? '.api-own' : '.api-wrong').click();
  await page.locator(`#api-calls [data-index="${index}"][data-calls="${calls + 1}"]`).waitFor();
  await row.locator('.api-own:enabled').waitFor();
  await waitForStatus(page, 'logged-in');
  const shown = await row.evaluate((li) => ({
    kind: li.dataset.kind,
    status: li.dataset.status,
    aud: li.dataset.aud,
    scope: li.dataset.scope,
    fields: [...li.querySelectorAll('.call-result dt')].map((dt) => [dt.textContent, dt.nextElementSibling.textContent]),
  }));
  const field = (name) => shown.fields.find(([term]) => term === name)?.[1];
  return { ...shown, field, body: field('Body') && field('Body') !== '(empty)' ? JSON.parse(field('Body')) : null };
}

const ELIDED = /^Bearer [\w-]{1,10}…[\w-]{4} \(\d+ chars\)$/;

describe('demo page: two APIs and a gateway', { timeout: 4 * TEST_TIMEOUT }, () => {
  let servers;
  let browser;
  before(async () => {
    assertPkgBuilt();
    servers = await startDemoServers();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await servers?.close();
  });

  it('shows which token went where, and each answer', { timeout: 2 * TEST_TIMEOUT }, async () => {
    const page = await newPage(browser);
    const consoleTexts = [];
    page.on('console', (message) => consoleTexts.push(message.text()));
    try {
      await useDemoSettings(page, servers);
      assert.equal(await page.locator('#api-calls > li').count(), 4, 'one row per apis entry');
      await loginThroughDemo(page, servers);
      await waitForStatus(page, 'logged-in');
      const grantsBefore = servers.op.grantLog().length;

      // Each API, through auth.fetch: its own token (aud = its resource), a 200 answer.
      const orders = await call(page, ROW.orders);
      assert.deepEqual([orders.status, orders.aud, orders.scope], ['200', API_RESOURCES.orders, API_SCOPES.orders]);
      assert.equal(orders.field('Request'), `GET ${servers.orders.origin}/orders`);
      assert.match(orders.field('Authorization'), ELIDED);
      assert.match(orders.field('Token sent'), /^aud https:\/\/orders\.example · scope orders:read$/);
      assert.deepEqual(orders.body, {
        api: 'orders API', path: '/orders', audience: API_RESOURCES.orders, scope: API_SCOPES.orders, sub: 'alice',
      });

      const billing = await call(page, ROW.billing);
      assert.deepEqual([billing.status, billing.aud, billing.scope], ['200', API_RESOURCES.billing, API_SCOPES.billing]);
      assert.deepEqual([billing.body.api, billing.body.audience], ['billing API', API_RESOURCES.billing]);
      assert.match(billing.field('Authorization'), ELIDED);

      // The gateway: it checks the orders token and forwards it, unchanged, to the orders API.
      const viaGateway = await call(page, ROW.gatewayOrders);
      assert.deepEqual([viaGateway.status, viaGateway.aud], ['200', API_RESOURCES.orders]);
      assert.equal(viaGateway.field('Request'), `GET ${servers.gateway.origin}/orders`);
      assert.equal(viaGateway.body.gateway.forwardedTo, `${servers.orders.origin}/orders`);
      assert.equal(viaGateway.body.gateway.checked.aud, API_RESOURCES.orders);
      assert.deepEqual(viaGateway.body.backend, { status: 200, body: orders.body }, 'the orders API answered the gateway as it answered the page');
      const [atGateway, atBackend] = [servers.gateway.requests().at(-1), servers.orders.requests().at(-1)];
      assert.equal(atBackend.token, atGateway.token, 'the backend got the token the gateway got');
      assert.equal(atBackend.token, servers.orders.requests()[0].token, 'the same orders token as the direct call');

      const billingViaGateway = await call(page, ROW.gatewayBilling);
      assert.deepEqual([billingViaGateway.status, billingViaGateway.aud], ['200', API_RESOURCES.billing]);
      assert.equal(billingViaGateway.body.gateway.forwardedTo, `${servers.billing.origin}/invoices`);
      assert.deepEqual(billingViaGateway.body.backend, { status: 200, body: billing.body });

      // One token per API, minted once each with the refresh token and its resource; the
      // gateway's calls reuse them.
      const grants = servers.op.grantLog().slice(grantsBefore);
      assert.deepEqual(
        grants.map((g) => [g.grantType, g.status, g.scope, g.resource]).sort(),
        [['refresh_token', 200, 'billing:read', API_RESOURCES.billing], ['refresh_token', 200, 'orders:read', API_RESOURCES.orders]],
      );
      assert.deepEqual(await page.locator('#api-tokens li').count(), 2, 'API tokens listed');

      // Another API's token: each server's own check refuses it.
      const ordersWithBilling = await call(page, ROW.orders, 'wrong');
      assert.deepEqual([ordersWithBilling.kind, ordersWithBilling.status, ordersWithBilling.aud], ['wrong', '401', API_RESOURCES.billing]);
      assert.match(ordersWithBilling.field('WWW-Authenticate'), /realm="orders API", error="invalid_token", error_description="wrong audience"/);
      assert.equal(servers.orders.requests().at(-1).refusal, 'wrong audience');

      const billingWithOrders = await call(page, ROW.billing, 'wrong');
      assert.deepEqual([billingWithOrders.status, billingWithOrders.aud], ['401', API_RESOURCES.orders]);
      assert.match(billingWithOrders.field('WWW-Authenticate'), /realm="billing API", error="invalid_token", error_description="wrong audience"/);
      assert.equal(servers.billing.requests().at(-1).refusal, 'wrong audience');

      const backendCalls = servers.orders.requests().length;
      const gatewayWithBilling = await call(page, ROW.gatewayOrders, 'wrong');
      assert.deepEqual([gatewayWithBilling.status, gatewayWithBilling.aud], ['401', API_RESOURCES.billing]);
      assert.match(gatewayWithBilling.field('WWW-Authenticate'), /gateway: wrong audience/);
      assert.equal(servers.orders.requests().length, backendCalls, 'the gateway did not forward a refused token');
      assert.equal(servers.op.grantLog().length - grantsBefore, 2, 'no token minted for the wrong-token calls');

      // No whole token anywhere on the page or the console.
      const leaked = await page.evaluate(async (texts) => {
        const { auth } = window.demo;
        const login = auth.getTokens();
        const tokens = [login.accessToken, login.refreshToken, login.idToken,
          ...await Promise.all(window.demo.config.apis.map(({ scopes, resource }) => auth.getAccessToken({ scopes, resource })))];
        const page = document.documentElement.outerHTML + document.body.innerText;
        return tokens.filter((t) => page.includes(t) || texts.some((text) => text.includes(t))).length;
      }, consoleTexts);
      assert.equal(leaked, 0, 'tokens shown in full on the page or the console');

      // Logout forgets the API tokens too.
      await page.locator('#logout').click();
      await waitForStatus(page, 'logged-out');
      assert.equal(await page.locator('#api-tokens li').count(), 0);
      assert.equal(await page.locator('#api-calls .api-own').first().isDisabled(), true);
      assert.deepEqual(page.pageErrors, []);
    } finally {
      await page.context().close();
    }
  });
});
