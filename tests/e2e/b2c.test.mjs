// The client against a fake Azure AD B2C tenant (tests/support/b2c-server.mjs), in headless
// Chromium: both URL styles, per-login policies, B2C's token response shape, its error codes,
// and the options the README's "Azure AD B2C" section promises.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { startB2CApp } from '../support/b2c-app.mjs';
import { CLIENT_ID, fingerprint, startB2C } from '../support/b2c-server.mjs';
import { startStatic } from '../support/static.mjs';
import {
  SCOPES, answerAtB2C, assertPolicyOnce, assertTokenRequest, callForToken, discoveryConfig,
  legacyConfig, login, openApp, readSession, startLogin, storageKeys,
} from './b2c-helpers.mjs';
import {
  TEST_TIMEOUT, assertPkgBuilt, callbackParamsIn, launchBrowser, newPage, readAuth, waitForStatus,
  watchResponseDelivery,
} from './helpers.mjs';

const HOUR_MS = 3600 * 1000;

/** `expiresAt` is one hour after the token request was sent (B2C's "expires_in":"3600"). */
function assertExpiresInAnHour(expiresAt, request) {
  assert.equal(typeof expiresAt, 'number', 'expiresAt');
  // Counted from when the request was sent: before the tenant received it, not long before.
  assert.ok(expiresAt <= request.at + HOUR_MS + 1000, `expiresAt is ${expiresAt - request.at - HOUR_MS} ms past an hour after the request`);
  assert.ok(expiresAt >= request.at + HOUR_MS - 15_000, `expiresAt is ${request.at + HOUR_MS - expiresAt} ms short of an hour after the request`);
}

/** B2C's answer shape: numbers as strings. */
function assertB2CShape(response) {
  for (const key of ['not_before', 'expires_in', 'expires_on', 'refresh_token_expires_in']) {
    assert.equal(typeof response[key], 'string', `the tenant's ${key} is a string`);
  }
  assert.equal(response.expires_in, '3600');
}

/** The client holds exactly the tokens of the token request `request` answered. */
function assertSessionFrom(session, request) {
  const { tokens } = session;
  assert.ok(tokens, 'getTokens() is null');
  const issued = (kind) => request.issuedFp?.[kind];
  assert.equal(tokens.access, issued('access'), 'the access token is the one of the last token answer');
  assert.equal(tokens.refresh, issued('refresh'), 'the refresh token is the one of the last token answer');
  assert.equal(tokens.id, issued('id'), 'the ID token is the one of the last token answer');
  assert.equal(tokens.tokenType, 'Bearer');
  assertExpiresInAnHour(tokens.expiresAt, request);
  assert.equal(session.authenticated, true, 'isAuthenticated()');
}

async function assertCleanUrl(page, app) {
  assert.deepEqual(callbackParamsIn(page.url()), [], 'response parameters left in the URL');
  assert.equal(page.url(), app.redirectUri, 'the URL after the callback');
}

async function assertNothingStored(page) {
  const { authenticated, tokens } = await readSession(page);
  assert.equal(authenticated, false, 'isAuthenticated()');
  assert.equal(tokens, null, 'getTokens()');
  const keys = await storageKeys(page);
  const leftovers = [...keys.session, ...keys.local].filter((k) => /:(tokens|login)$/.test(k));
  assert.deepEqual(leftovers, [], 'tokens or a login transaction left in storage');
}

describe('Azure AD B2C', { timeout: 20 * TEST_TIMEOUT }, () => {
  let app;
  let web;
  let b2c;
  let browser;
  let page;

  before(async () => {
    assertPkgBuilt();
    app = await startB2CApp();
    web = await startStatic();
    b2c = await startB2C({ redirectUris: [app.redirectUri, `${web.origin}/`] });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await Promise.all([app?.close(), web?.close(), b2c?.close()]);
  });

  beforeEach(() => b2c.reset());

  /** Runs `body` with a fresh page (empty storage); closes it whatever happens. */
  const withPage = (body) => async () => {
    page = await newPage(browser);
    try {
      await body(page);
      assert.deepEqual(page.pageErrors, [], 'uncaught errors in the page');
    } finally {
      await page.context().close();
    }
  };

  /** The authorization_code token request of the n-th login (0-based), with what it issued. */
  const codeRequest = (n = 0) => b2c.tokenRequestsOf('authorization_code')[n];
  const refreshRequest = (n = 0) => b2c.tokenRequestsOf('refresh_token')[n];

  it('logs in with legacy URLs and explicit endpoints (fragment): p on authorize, in the token query only', { timeout: TEST_TIMEOUT }, withPage(async () => {
    await openApp(page, app, legacyConfig(b2c, app));
    const delivery = watchResponseDelivery(page, { web: app });
    const outcome = await login(page, b2c, app, { appState: { returnTo: '/orders' } });

    assert.deepEqual(outcome.value, { appState: { returnTo: '/orders' } }, 'handleRedirectCallback() result');
    assert.equal(b2c.authorizeRequests.length, 1, 'authorize requests');
    const [authorize] = b2c.authorizeRequests;
    assert.equal(authorize.error, undefined, `the tenant refused the authorize request: ${authorize.error}`);
    assertPolicyOnce(authorize, 'b2c_1_sign_in', 'query', 'authorize request');
    assert.equal(authorize.path, `/${b2c.tenant}/oauth2/v2.0/authorize`, 'the configured endpoint, unchanged');
    assert.equal(authorize.params.response_mode, 'fragment');
    assert.equal(authorize.params.response_type, 'code');
    assert.equal(authorize.params.client_id, CLIENT_ID);
    assert.equal(authorize.params.redirect_uri, app.redirectUri);
    assert.deepEqual(authorize.params.scope.split(' ').sort(), [...SCOPES].sort(), 'scope');
    assert.equal(authorize.params.code_challenge_method, 'S256');
    assert.match(authorize.params.nonce ?? '', /^[A-Za-z0-9_-]{43}$/, 'nonce');
    assert.equal(delivery(), 'fragment', 'where the tenant put the response');

    assert.equal(b2c.tokenRequests.length, 1, 'token requests');
    const redeem = codeRequest();
    assertTokenRequest(redeem, { grantType: 'authorization_code', policy: 'b2c_1_sign_in', style: 'query' });
    assert.equal(redeem.path, `/${b2c.tenant}/oauth2/v2.0/token`, 'the configured endpoint, unchanged');
    for (const key of ['code', 'redirect_uri', 'client_id', 'code_verifier']) assert.ok(redeem.body[key], `${key} in the body`);
    assertB2CShape(redeem.response);

    const session = await readSession(page);
    assertSessionFrom(session, redeem);
    assert.equal(session.user.iss, b2c.issuer, 'ID token iss: the tenant-GUID issuer');
    assert.equal(session.user.aud, CLIENT_ID);
    assert.equal(session.user.tfp, 'b2c_1_sign_in');
    assert.equal(session.user.nonce, authorize.params.nonce);
    await assertCleanUrl(page, app);
    const keys = await storageKeys(page);
    assert.ok(keys.session.some((k) => k.endsWith(':tokens')), 'tokens in sessionStorage');
    assert.ok(!keys.session.some((k) => k.endsWith(':login')), 'the login transaction is gone');
  }));

  const discoveries = {
    // b2clogin.com: /{tenant}/{policy}/v2.0/.well-known/openid-configuration, endpoints /{tenant}/{policy}/oauth2/...
    'the policy path document (policy-path endpoints)': { metadata: 'path', endpoints: 'path' },
    // the same document, its endpoints carrying ?p=<policy>
    'the policy path document (endpoints with ?p=)': { metadata: 'path', endpoints: 'query' },
    // /{tenant}/v2.0/.well-known/openid-configuration?p=<policy>, endpoints with ?p=
    'the ?p= document (endpoints with ?p=)': { metadata: 'query', endpoints: 'query' },
  };
  for (const [variant, { metadata, endpoints }] of Object.entries(discoveries)) {
    it(`logs in through ${variant}, query mode, custom policy: the policy once everywhere`, { timeout: TEST_TIMEOUT }, withPage(async () => {
      b2c.set({ discoveryEndpointStyle: endpoints });
      const policy = 'B2C_1A_signup_signin';
      const config = discoveryConfig(b2c, app, policy, { responseMode: 'query' });
      if (metadata === 'query') config.metadataUrl = b2c.legacy.metadataUrl(policy);
      await openApp(page, app, config);
      const delivery = watchResponseDelivery(page, { web: app });
      await login(page, b2c, app);

      assert.ok(b2c.discoveryRequests.length >= 1, 'the discovery document was read');
      for (const request of b2c.discoveryRequests) assertPolicyOnce(request, policy, metadata, 'the discovery request');
      assert.ok(b2c.discoveryRequests.every((r) => r.pathPolicy === (metadata === 'path' ? policy : null)), 'the configured metadataUrl, as is');
      assert.equal(b2c.authorizeRequests.length, 1, 'authorize requests');
      const [authorize] = b2c.authorizeRequests;
      assert.equal(authorize.error, undefined, `the tenant refused the authorize request: ${authorize.error}`);
      assertPolicyOnce(authorize, policy, endpoints, 'authorize request');
      assert.equal(authorize.params.response_mode, 'query');
      assert.equal(delivery(), 'query', 'where the tenant put the response');

      assert.equal(b2c.tokenRequests.length, 1, 'token requests');
      const redeem = codeRequest();
      assertTokenRequest(redeem, { grantType: 'authorization_code', policy, style: endpoints });
      assert.ok(b2c.keysRequests.length >= 1 && b2c.keysRequests.every((r) => !r.error), 'the JWKS of the document was read');

      const session = await readSession(page);
      assertSessionFrom(session, redeem);
      assert.equal(session.user.iss, b2c.issuer);
      assert.equal(session.user.acr, policy.toLowerCase(), 'the custom policy issued the ID token');
      await assertCleanUrl(page, app);
    }));
  }

  const styles = {
    legacy: { style: 'query', config: () => legacyConfig(b2c, app) },
    'b2clogin path': { style: 'path', config: () => discoveryConfig(b2c, app, 'b2c_1_sign_in') },
    'discovery with ?p=': {
      style: 'query',
      config: () => discoveryConfig(b2c, app, 'b2c_1_sign_in'),
      setup: () => b2c.set({ discoveryEndpointStyle: 'query' }),
    },
  };
  for (const [name, { style, config, setup }] of Object.entries(styles)) {
    it(`loginRedirect({ policy: 'b2c_1_edit_profile' }) replaces the session's tokens, and refreshes use that policy (${name} URLs)`, { timeout: TEST_TIMEOUT }, withPage(async () => {
      setup?.();
      await openApp(page, app, config());
      await login(page, b2c, app);
      const signIn = codeRequest(0);
      assertTokenRequest(signIn, { grantType: 'authorization_code', policy: 'b2c_1_sign_in', style });
      const before = await readSession(page);
      assertSessionFrom(before, signIn);

      await login(page, b2c, app, { policy: 'b2c_1_edit_profile' });
      assert.equal(b2c.authorizeRequests.length, 2, 'authorize requests');
      const edit = b2c.authorizeRequests[1];
      assert.equal(edit.error, undefined, `the tenant refused the authorize request: ${edit.error}`);
      assertPolicyOnce(edit, 'b2c_1_edit_profile', style, 'edit-profile authorize request');
      const editRedeem = codeRequest(1);
      assertTokenRequest(editRedeem, { grantType: 'authorization_code', policy: 'b2c_1_edit_profile', style });

      const after = await readSession(page);
      assertSessionFrom(after, editRedeem);
      assert.notEqual(after.tokens.refresh, before.tokens.refresh, 'the refresh token was replaced');
      assert.equal(after.user.tfp, 'b2c_1_edit_profile', 'getUser() is the edit-profile ID token');
      assert.equal(after.user.sub, before.user.sub, 'same user');

      // The policy survives a reload (it is part of the stored session).
      await page.reload();
      await page.waitForFunction(() => window.app?.state === 'ready');
      assert.equal((await readSession(page)).tokens?.access, after.tokens.access, 'the session after a reload');

      const refreshed = await callForToken(page, 'refresh');
      assert.equal(refreshed.ok, true, `refresh() failed: ${JSON.stringify(refreshed.error)}`);
      const refresh = refreshRequest(0);
      assertTokenRequest(refresh, { grantType: 'refresh_token', policy: 'b2c_1_edit_profile', style });
      assert.equal(refresh.issuedFp.access, refreshed.fp, 'refresh() returned the new access token');
      assertSessionFrom(await readSession(page), refresh);
    }));
  }

  it('refresh() with B2C\'s answer (numbers as strings) keeps the rotated refresh token', { timeout: TEST_TIMEOUT }, withPage(async () => {
    await openApp(page, app, legacyConfig(b2c, app));
    await login(page, b2c, app);
    const redeem = codeRequest();
    const loginSession = await readSession(page);

    const first = await callForToken(page, 'refresh');
    assert.equal(first.ok, true, `refresh() failed: ${JSON.stringify(first.error)}`);
    const r1 = refreshRequest(0);
    assertTokenRequest(r1, { grantType: 'refresh_token', policy: 'b2c_1_sign_in', style: 'query' });
    assert.deepEqual([...r1.bodyKeys].sort(), ['client_id', 'grant_type', 'redirect_uri', 'refresh_token', 'scope'], 'the refresh body');
    assert.equal(r1.body.client_id, CLIENT_ID);
    assert.equal(r1.body.redirect_uri, app.redirectUri);
    assert.deepEqual(r1.body.scope.split(' ').sort(), redeem.response.scope.split(' ').sort(), 'scope: what was granted');
    assert.equal(fingerprint(r1.body.refresh_token), loginSession.tokens.refresh, 'the login\'s refresh token was sent');
    assertB2CShape(r1.response);
    assert.equal(first.fp, r1.issuedFp.access, 'refresh() returned the new access token');
    const afterFirst = await readSession(page);
    assertSessionFrom(afterFirst, r1);
    assert.notEqual(afterFirst.tokens.refresh, loginSession.tokens.refresh, 'the rotated refresh token replaced the old one');

    // The tenant accepts each refresh token once: a second refresh works only with the rotated one.
    const second = await callForToken(page, 'refresh');
    assert.equal(second.ok, true, `second refresh() failed: ${JSON.stringify(second.error)}`);
    const r2 = refreshRequest(1);
    assertTokenRequest(r2, { grantType: 'refresh_token', policy: 'b2c_1_sign_in', style: 'query' });
    assert.equal(fingerprint(r2.body.refresh_token), afterFirst.tokens.refresh, 'the rotated refresh token was sent');
    assertSessionFrom(await readSession(page), r2);

    const tokenRequests = b2c.tokenRequests.length;
    const cached = await callForToken(page, 'getAccessToken');
    assert.deepEqual(cached, { ok: true, fp: r2.issuedFp.access }, 'getAccessToken() gives the newest token');
    assert.equal(b2c.tokenRequests.length, tokenRequests, 'a fresh token needs no request');
  }));

  it('a revoked refresh token (AADB2C90129) ends the session: login_required carrying the B2C code', { timeout: TEST_TIMEOUT }, withPage(async () => {
    await openApp(page, app, legacyConfig(b2c, app));
    await login(page, b2c, app);
    const events = page.evaluate(() => new Promise((resolve) => {
      const seen = [];
      window.app.auth.on('refreshFailed', (e) => seen.push(['refreshFailed', e.code, e.b2cCode]));
      window.app.auth.on('loggedOut', () => {
        seen.push(['loggedOut']);
        resolve(seen);
      });
    }));
    b2c.revokeRefreshTokens();

    const refreshed = await callForToken(page, 'refresh');
    assert.equal(refreshed.ok, false, 'refresh() should have thrown');
    assert.equal(refreshed.error.isAuthError, true, JSON.stringify(refreshed.error));
    assert.equal(refreshed.error.code, 'login_required');
    assert.equal(refreshed.error.status, 400);
    assert.equal(refreshed.error.b2cCode, 'AADB2C90129', 'b2cCode of the refused refresh');
    assert.deepEqual(await events, [['refreshFailed', 'invalid_grant', 'AADB2C90129'], ['loggedOut']], 'events');
    const [refused] = b2c.tokenRequestsOf('refresh_token');
    assert.equal(refused.response?.error, 'invalid_grant');
    assertPolicyOnce(refused, 'b2c_1_sign_in', 'query', 'refresh token request');
    assert.deepEqual(b2c.tokenCounts(), { authorization_code: 1, refresh_token: 1 }, 'token requests per grant');
    await assertNothingStored(page);
  }));

  it('an OAuth-only login (scope: client id + offline_access, as in B2C\'s document): no nonce, no ID token', { timeout: TEST_TIMEOUT }, withPage(async () => {
    const { issuer, jwksUri, ...config } = legacyConfig(b2c, app, { scopes: [CLIENT_ID, 'offline_access'] });
    assert.ok(issuer && jwksUri);
    await openApp(page, app, config);
    await login(page, b2c, app);
    const [authorize] = b2c.authorizeRequests;
    assertPolicyOnce(authorize, 'b2c_1_sign_in', 'query', 'authorize request');
    assert.equal(authorize.params.scope, `${CLIENT_ID} offline_access`);
    assert.equal(authorize.params.nonce, undefined, 'nonce without openid');
    const redeem = codeRequest();
    assertTokenRequest(redeem, { grantType: 'authorization_code', policy: 'b2c_1_sign_in', style: 'query' });
    assert.equal('id_token' in redeem.response, false, 'the tenant sent no ID token');
    const session = await readSession(page);
    assertSessionFrom(session, redeem);
    assert.equal(session.user, null, 'getUser()');
    assert.equal(session.tokens.scope, `${CLIENT_ID} offline_access`);
    const refreshed = await callForToken(page, 'refresh');
    assert.equal(refreshed.ok, true, `refresh() failed: ${JSON.stringify(refreshed.error)}`);
    assertTokenRequest(refreshRequest(0), { grantType: 'refresh_token', policy: 'b2c_1_sign_in', style: 'query' });
    assert.equal(b2c.keysRequests.length, 0, 'no JWKS needed');
  }));

  const b2cErrors = [
    { action: 'cancel', code: 'AADB2C90091', text: 'The user has cancelled entering self-asserted information.', mode: 'fragment', config: () => legacyConfig(b2c, app) },
    { action: 'forgot', code: 'AADB2C90118', text: 'The user has forgotten their password.', mode: 'query', config: () => discoveryConfig(b2c, app, 'b2c_1_sign_in', { responseMode: 'query' }) },
  ];
  for (const { action, code, text, mode, config } of b2cErrors) {
    it(`${action} at the tenant -> AuthError access_denied with b2cCode ${code} (${mode}); nothing stored`, { timeout: TEST_TIMEOUT }, withPage(async () => {
      await openApp(page, app, config());
      const delivery = watchResponseDelivery(page, { web: app });
      await startLogin(page, b2c);
      const outcome = await answerAtB2C(page, b2c, app, action);

      assert.equal(delivery(), mode, 'where the tenant put the response');
      assert.equal(outcome?.ok, false, 'handleRedirectCallback() should have thrown');
      const { error } = outcome;
      assert.equal(error.isAuthError, true, `an AuthError (got ${JSON.stringify(error)})`);
      assert.equal(error.isError, true, 'instanceof Error');
      assert.equal(error.code, 'access_denied');
      assert.equal(error.b2cCode, code, 'b2cCode');
      assert.ok(error.description?.startsWith(`${code}: ${text}\r\nCorrelation ID: `), `description decoded verbatim: ${JSON.stringify(error.description)}`);
      assert.equal(b2c.tokenRequests.length, 0, 'token requests');
      await assertNothingStored(page);
      await assertCleanUrl(page, app);
    }));
  }

  it('responseMode form_post is refused by new AuthClient with invalid_config saying a server is needed', { timeout: TEST_TIMEOUT }, withPage(async () => {
    const config = legacyConfig(b2c, app);
    await openApp(page, app, config);
    const attempt = (mode) => page.evaluate((c) => {
      try {
        new window.app.AuthClient(c).free();
        return null;
      } catch (e) {
        return window.app.describe(e);
      }
    }, { ...config, responseMode: mode });

    assert.equal(await attempt('query'), null, 'the same config with query mode is valid');
    const error = await attempt('form_post');
    assert.ok(error, 'form_post was accepted');
    assert.equal(error.isAuthError, true, 'an AuthError');
    assert.equal(error.code, 'invalid_config');
    assert.match(error.message, /^responseMode\b/, 'the message names the field');
    assert.match(error.message, /form_post/);
    assert.match(error.message, /needs a server/);
    assert.equal(b2c.authorizeRequests.length, 0, 'no request reached the tenant');
  }));

  it('prompt, loginHint and extraParams (domain_hint, ui_locales) reach authorize verbatim', { timeout: TEST_TIMEOUT }, withPage(async () => {
    await openApp(page, app, discoveryConfig(b2c, app, 'b2c_1_sign_in'));
    const hint = 'alice+b2c@contoso.com';
    await login(page, b2c, app, {
      prompt: 'login',
      loginHint: hint,
      extraParams: { domain_hint: 'facebook.com', ui_locales: 'es-ES' },
    });
    const [authorize] = b2c.authorizeRequests;
    assert.equal(authorize.error, undefined, `the tenant refused the authorize request: ${authorize.error}`);
    assertPolicyOnce(authorize, 'b2c_1_sign_in', 'path', 'authorize request');
    for (const [key, value] of [['prompt', 'login'], ['login_hint', hint], ['domain_hint', 'facebook.com'], ['ui_locales', 'es-ES']]) {
      assert.equal(authorize.params[key], value, key);
      assert.equal(authorize.counts[key], 1, `${key} once`);
    }
    assert.deepEqual((await readSession(page)).user.emails, [hint], 'the hinted user signed in');
  }));

  it('a token whose not_before is within the 5 minutes of clock skew is used', { timeout: TEST_TIMEOUT }, withPage(async () => {
    b2c.set({ notBeforeAheadSeconds: 120 });
    await openApp(page, app, legacyConfig(b2c, app));
    await login(page, b2c, app);
    const session = await readSession(page);
    assert.ok(Number(codeRequest().response.not_before) > Math.floor(session.now / 1000) + 60, 'not_before is ahead');
    assert.equal(session.authenticated, true, 'isAuthenticated()');
    const got = await callForToken(page, 'getAccessToken');
    assert.deepEqual(got, { ok: true, fp: session.tokens.access }, 'getAccessToken() gives the login\'s token');
    assert.equal(b2c.tokenRequests.length, 1, 'no refresh');
  }));

  it('a token is not used before its not_before (beyond the 5 minutes of clock skew)', { timeout: TEST_TIMEOUT }, withPage(async () => {
    const AHEAD_S = 30 * 60;
    b2c.set({ notBeforeAheadSeconds: AHEAD_S });
    await openApp(page, app, legacyConfig(b2c, app));
    await login(page, b2c, app);
    const session = await readSession(page);
    assert.ok(session.tokens, 'the login stored its tokens');
    assert.equal(session.authenticated, false, 'isAuthenticated() with a token not valid yet');

    // getAccessToken() refuses with token_not_yet_valid and does not burn the refresh token.
    for (let i = 0; i < 3; i += 1) {
      const got = await callForToken(page, 'getAccessToken');
      assert.equal(got.ok, false, 'getAccessToken() returned a token before its not_before');
      assert.equal(got.error.code, 'token_not_yet_valid');
    }
    assert.equal(b2c.tokenRequestsOf('refresh_token').length, 0, 'no refresh for a token of the future');
  }));

  it('a cancelled edit-profile login (AADB2C90091) leaves the sign-in session and its policy alone', { timeout: TEST_TIMEOUT }, withPage(async () => {
    await openApp(page, app, discoveryConfig(b2c, app, 'b2c_1_sign_in'));
    await login(page, b2c, app);
    const signedIn = await readSession(page);

    await startLogin(page, b2c, { policy: 'b2c_1_edit_profile' });
    assertPolicyOnce(b2c.authorizeRequests[1], 'b2c_1_edit_profile', 'path', 'edit-profile authorize request');
    const outcome = await answerAtB2C(page, b2c, app, 'cancel');
    assert.equal(outcome?.ok, false, 'handleRedirectCallback() should have thrown');
    assert.equal(outcome.error.code, 'access_denied');
    assert.equal(outcome.error.b2cCode, 'AADB2C90091');
    await assertCleanUrl(page, app);

    const after = await readSession(page);
    assert.deepEqual(after.tokens, signedIn.tokens, 'the session is the sign-in one');
    assert.equal(after.user.tfp, 'b2c_1_sign_in');
    const refreshed = await callForToken(page, 'refresh');
    assert.equal(refreshed.ok, true, `refresh() failed: ${JSON.stringify(refreshed.error)}`);
    assertTokenRequest(refreshRequest(0), { grantType: 'refresh_token', policy: 'b2c_1_sign_in', style: 'path' });
  }));

  it('logout() goes to the end_session_endpoint of the session\'s policy and comes back clean', { timeout: TEST_TIMEOUT }, withPage(async () => {
    await openApp(page, app, discoveryConfig(b2c, app, 'b2c_1_sign_in'));
    await login(page, b2c, app);
    await login(page, b2c, app, { policy: 'b2c_1_edit_profile' });

    await page.evaluate(() => {
      window.app.auth.logout({}).catch((e) => { window.app.loginError = window.app.describe(e); });
    });
    await page.waitForURL((url) => url.origin === app.origin && url.search === '' && url.hash === '' && b2c.logoutRequests.length === 1);
    await page.waitForFunction(() => window.app?.state === 'ready');
    const [request] = b2c.logoutRequests;
    assert.equal(request.error, undefined, `the tenant refused the logout request: ${request.error}`);
    assertPolicyOnce(request, 'b2c_1_edit_profile', 'path', 'logout request');
    assert.equal(request.params.post_logout_redirect_uri, app.redirectUri);
    assert.ok(request.params.id_token_hint, 'id_token_hint');
    assert.ok(request.params.state, 'state');
    assert.deepEqual(await page.evaluate(() => window.app.callback), { ok: true, value: null }, 'the logout return is accepted');
    await assertCleanUrl(page, app);
    await assertNothingStored(page);
  }));

  it('the demo page logs in at B2C with its settings override (b2clogin discovery, query mode)', { timeout: TEST_TIMEOUT }, withPage(async () => {
    await page.goto(`${web.origin}/`);
    await waitForStatus(page, 'logged-out');
    const { redirectUri, ...provider } = discoveryConfig(b2c, { redirectUri: `${web.origin}/` }, 'B2C_1A_signup_signin');
    await page.evaluate((p) => {
      localStorage.setItem('spa-oauth-demo.provider', JSON.stringify(p));
      localStorage.setItem('spa-oauth-demo.responseMode', 'query');
    }, provider);
    await page.reload();
    await waitForStatus(page, 'logged-out');
    assert.equal(redirectUri, `${web.origin}/`);

    await page.locator('#login').click();
    await page.waitForURL((url) => url.origin === b2c.origin);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await waitForStatus(page, 'logged-in');

    const [authorize] = b2c.authorizeRequests;
    assertPolicyOnce(authorize, 'B2C_1A_signup_signin', 'path', 'authorize request');
    assert.equal(authorize.params.redirect_uri, `${web.origin}/`);
    assertTokenRequest(codeRequest(), { grantType: 'authorization_code', policy: 'B2C_1A_signup_signin', style: 'path' });
    const { authenticated, tokens } = await readAuth(page);
    assert.equal(authenticated, true);
    assert.deepEqual([tokens.accessToken, tokens.refreshToken, tokens.idToken], [true, true, true], 'tokens held');
    assert.match(await page.locator('#id-claims').textContent(), /"acr": "b2c_1a_signup_signin"/);
    assert.deepEqual(callbackParamsIn(page.url()), [], 'response parameters left in the URL');
  }));
});
