// The demo page against a real OP: responses that must be rejected without redeeming a code.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';

import { editResponseOnConsent } from './authorization-response.mjs';
import {
  TEST_TIMEOUT, assertLoginRejected, cancelAtOP, demoEnvironment, loginThroughDemo, newPage, openDemo,
} from './helpers.mjs';

const forgeState = (params) => params.set('state', randomBytes(16).toString('base64url'));

describe('demo page: rejected responses', { timeout: 5 * TEST_TIMEOUT }, () => {
  const env = demoEnvironment();

  for (const mode of ['fragment', 'query']) {
    it(`rejects a response with a forged state (${mode}) without redeeming the code`, { timeout: TEST_TIMEOUT }, async () => {
      const page = await newPage(env.browser);
      try {
        await openDemo(page, env.servers, { mode });
        const tokenPostsBefore = env.servers.op.tokenRequests();
        let forged;
        await loginThroughDemo(page, env.servers, {
          beforeConsent: async () => { forged = await editResponseOnConsent(page, env.servers, forgeState); },
        });
        await assertLoginRejected(page, env.servers, { code: 'state_mismatch', tokenPostsBefore });
        assert.equal(forged(), 1, 'forged responses');
      } finally {
        await page.context().close();
      }
    });

    it(`reports access_denied when the user cancels at the OP (${mode})`, { timeout: TEST_TIMEOUT }, async () => {
      const page = await newPage(env.browser);
      try {
        await openDemo(page, env.servers, { mode });
        const tokenPostsBefore = env.servers.op.tokenRequests();
        await page.locator('#login').click();
        await cancelAtOP(page, env.servers.op);
        await assertLoginRejected(page, env.servers, { code: 'access_denied', message: /aborted/i, tokenPostsBefore });
      } finally {
        await page.context().close();
      }
    });
  }
});
