// The demo page against a real OP: responses that must be rejected without redeeming a code.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';

import { editResponseOnConsent } from './authorization-response.mjs';
import {
  TEST_TIMEOUT, assertLoginRejected, cancelAtOP, demoEnvironment, loginThroughDemo, newPage, openDemo,
} from './helpers.mjs';

const forgeState = (params) => params.set('state', randomBytes(16).toString('base64url'));

/** The OP's token response with a member nested `depth` arrays deep appended. */
async function nestTokenResponses(page, { op }, depth) {
  await page.route(`${op.issuer}/token`, async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['content-length'];
    const body = (await response.text()).replace(/}\s*$/, `,"x":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    await route.fulfill({ response, headers, body });
  });
}

describe('demo page: rejected responses', { timeout: 5 * TEST_TIMEOUT }, () => {
  const env = demoEnvironment();

  // The release build runs on a 128 KiB shadow stack (scripts/build.sh): the JSON reader's
  // deepest recursion (its 64-level limit) must end in an AuthError, not a trap.
  it('a token response nested 100000 deep is invalid_token_response; nothing stored', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage(env.browser);
    try {
      await openDemo(page, env.servers, { mode: 'fragment' });
      await nestTokenResponses(page, env.servers, 100_000);
      const tokenPostsBefore = env.servers.op.tokenRequests();
      await loginThroughDemo(page, env.servers);
      await assertLoginRejected(page, env.servers, { code: 'invalid_token_response', tokenPostsBefore, tokenPosts: 1 });
      assert.deepEqual(page.pageErrors, [], 'uncaught errors in the page');
    } finally {
      await page.context().close();
    }
  });

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
