// The demo page against a real OP: responses that must be rejected without redeeming a code.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { editResponseOnConsent } from './authorization-response.mjs';
import {
  TEST_TIMEOUT, assertLoginRejected, assertPkgBuilt, cancelAtOP, launchBrowser, loginThroughDemo, newPage,
  openDemo, startServers,
} from './helpers.mjs';

const forgeState = (params) => params.set('state', randomBytes(16).toString('base64url'));

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
          beforeConsent: async () => { forged = await editResponseOnConsent(page, servers, forgeState); },
        });
        await assertLoginRejected(page, servers, { code: 'state_mismatch', tokenPostsBefore });
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
        await assertLoginRejected(page, servers, { code: 'access_denied', message: /aborted/i, tokenPostsBefore });
      } finally {
        await page.context().close();
      }
    });
  }
});
