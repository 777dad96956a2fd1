// The demo page against an OP issuing short-lived access tokens: getAccessToken() must use
// the refresh token once the access token has expired.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  TEST_TIMEOUT, demoEnvironment, loginThroughDemo, newPage, openDemo, readAuth, waitForStatus,
} from './helpers.mjs';

const ACCESS_TOKEN_TTL = 2; // seconds

describe('demo page: refresh', { timeout: 2 * TEST_TIMEOUT }, () => {
  const env = demoEnvironment({ accessTokenTtl: ACCESS_TOKEN_TTL });

  it('refreshes an expired access token with one token request', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage(env.browser);
    try {
      await openDemo(page, env.servers);
      await loginThroughDemo(page, env.servers);
      await waitForStatus(page, 'logged-in');
      const first = await readAuth(page);
      const posts = env.servers.op.tokenRequests();

      await page.waitForTimeout(ACCESS_TOKEN_TTL * 1000 + 500);
      await page.locator('#get-token').click();
      await page.locator('#get-token-result[data-result]').waitFor();

      assert.equal(await page.locator('#get-token-result').getAttribute('data-result'), 'token');
      assert.equal(env.servers.op.tokenRequests() - posts, 1, 'token requests');
      const second = await readAuth(page);
      assert.ok(second.tokens.expiresAt > first.tokens.expiresAt, 'expiresAt moved on');
      assert.equal(second.tokens.refreshToken, true, 'refresh token kept (rotated)');
      await waitForStatus(page, 'logged-in');
    } finally {
      await page.context().close();
    }
  });
});
