// The demo page against a real OP: responses that must be rejected without redeeming a code.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import {
  TEST_TIMEOUT, assertPkgBuilt, callbackParamsIn, cancelAtOP, launchBrowser, loginThroughDemo, newPage,
  openDemo, readAuth, readStatus, startServers, storageKeys, waitForStatus,
} from './helpers.mjs';

/** A URL with a different `state` wherever the response carries it (query or fragment). */
function withForgedState(href) {
  const url = new URL(href);
  const inFragment = url.hash.length > 1;
  const params = new URLSearchParams(inFragment ? url.hash.slice(1) : url.search);
  assert.ok(params.has('state'), 'the OP response carries no state');
  params.set('state', randomBytes(16).toString('base64url'));
  if (inFragment) url.hash = params.toString();
  else url.search = params.toString();
  return url.href;
}

/**
 * Makes the consent submission land on the page with a forged `state`. Playwright does not
 * intercept redirect targets, so the handler walks the OP's redirect chain itself
 * (consent POST -> /auth/<uid> resume -> redirect URI) and answers with the forged redirect.
 * @returns {() => number} how many responses were forged
 */
async function forgeStateOnConsent(page, { op }) {
  let forged = 0;
  await page.route((url) => url.origin === op.issuer && url.pathname.startsWith('/interaction/'), async (route) => {
    if (route.request().method() !== 'POST') {
      await route.continue();
      return;
    }
    const submitted = await route.fetch({ maxRedirects: 0 });
    const resume = await page.request.get(new URL(submitted.headers().location, op.issuer).href, { maxRedirects: 0 });
    const redirect = new URL(resume.headers().location, op.issuer).href;
    forged += 1;
    await route.fulfill({ status: 303, headers: { location: withForgedState(redirect) } });
  });
  return () => forged;
}

async function assertRejected(page, servers, { code, tokenPostsBefore }) {
  await waitForStatus(page, 'error');
  const { error, message } = await readStatus(page);
  assert.equal(error, code, `#error shows ${error}: ${message}`);

  const { authenticated, tokens } = await readAuth(page);
  assert.equal(authenticated, false, 'isAuthenticated()');
  assert.equal(tokens, null, 'getTokens()');
  const keys = await storageKeys(page);
  assert.deepEqual([...keys.session, ...keys.local].filter((key) => /token/i.test(key)), [], 'token entries in storage');

  assert.equal(servers.op.tokenRequests() - tokenPostsBefore, 0, 'token requests');
  assert.deepEqual(callbackParamsIn(page.url()), [], 'response parameters left in the URL');
}

describe('demo page: rejected responses', { timeout: 5 * TEST_TIMEOUT }, () => {
  let servers;
  let browser;

  before(async () => {
    assertPkgBuilt();
    servers = await startServers();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await servers?.close();
  });

  for (const mode of ['fragment', 'query']) {
    it(`rejects a response with a forged state (${mode}) without redeeming the code`, { timeout: TEST_TIMEOUT }, async () => {
      const page = await newPage(browser);
      try {
        await openDemo(page, servers, { mode });
        const tokenPostsBefore = servers.op.tokenRequests();
        let forged;
        await loginThroughDemo(page, servers, {
          beforeConsent: async () => { forged = await forgeStateOnConsent(page, servers); },
        });
        await assertRejected(page, servers, { code: 'state_mismatch', tokenPostsBefore });
        assert.equal(forged(), 1, 'forged responses');
      } finally {
        await page.context().close();
      }
    });

    it(`reports access_denied when the user cancels at the OP (${mode})`, { timeout: TEST_TIMEOUT }, async () => {
      const page = await newPage(browser);
      try {
        await openDemo(page, servers, { mode });
        const tokenPostsBefore = servers.op.tokenRequests();
        await page.locator('#login').click();
        await cancelAtOP(page, servers.op);
        await assertRejected(page, servers, { code: 'access_denied', tokenPostsBefore });
        assert.match(await page.locator('#error').textContent(), /aborted/i, 'error_description shown');
      } finally {
        await page.context().close();
      }
    });
  }
});
