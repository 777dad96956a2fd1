// Logins that leave the app's page where it is, against the fake Azure AD B2C tenant
// (tests/support/b2c-server.mjs), in headless Chromium: loginPopup(), "forgot password" with
// passwordResetPolicy (popup and redirect), ssoSilent() from the tenant's session cookie
// (prompt=none), and silent renewal of a session whose refresh token the tenant refuses. The
// test app (tests/support/b2c-app.mjs) is also the popup's and the hidden frame's landing page.
// Token values never reach an assertion message: fingerprints only.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { startB2CApp } from '../support/b2c-app.mjs';
import { PASSWORD_RESET_POLICY, SESSION_COOKIE, startB2C } from '../support/b2c-server.mjs';
import {
  answerAtB2C, assertPolicyOnce, assertTokenRequest, callForToken, clickAtB2C, discoveryConfig,
  legacyConfig, login, openApp, popupOutcome, readSession, recordedEvents, silentLogin,
  startLogin, startPopupLogin, storageKeys, waitForPolicyPage, watchInteraction,
} from './b2c-helpers.mjs';
import { TEST_TIMEOUT, assertPkgBuilt, callbackParamsIn, launchBrowser, newPage, newTab } from './helpers.mjs';

const SIGN_IN = 'b2c_1_sign_in';
const NO_SESSION = 'AADB2C90077: User does not have an existing session and request prompt parameter has a value of \'None\'.\r\nCorrelation ID: ';

/** The client holds exactly the tokens that the token request `request` was answered with. */
function assertSessionFrom(session, request, what = 'the session') {
  assert.ok(session.tokens, `${what}: getTokens() is null`);
  assert.equal(session.tokens.access, request.issuedFp?.access, `${what}: the access token of that token answer`);
  assert.equal(session.tokens.refresh, request.issuedFp?.refresh, `${what}: the refresh token of that token answer`);
  assert.equal(session.tokens.id, request.issuedFp?.id, `${what}: the ID token of that token answer`);
  assert.equal(session.authenticated, true, `${what}: isAuthenticated()`);
}

/** The page is the app's redirect URI, with no response parameter left. */
function assertCleanUrl(page, app) {
  assert.deepEqual(callbackParamsIn(page.url()), [], 'response parameters left in the URL');
  assert.equal(page.url(), app.redirectUri, 'the URL');
}

async function assertNothingStored(page) {
  const { authenticated, tokens } = await readSession(page);
  assert.equal(authenticated, false, 'isAuthenticated()');
  assert.equal(tokens, null, 'getTokens()');
  const keys = await storageKeys(page);
  assert.deepEqual([...keys.session, ...keys.local].filter((k) => /:tokens$/.test(k)), [], 'tokens in storage');
}

/** Records every navigation of `page`'s main frame from now on. */
function recordNavigations(page) {
  const seen = [];
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) seen.push(frame.url()); });
  return seen;
}

/** The state of an authorize request: the prefix the library gives a popup ("p.") or a frame ("s."). */
const statePrefix = (request) => String(request.params.state ?? '').slice(0, 2);

describe('Azure AD B2C: popup and silent logins', { timeout: 20 * TEST_TIMEOUT }, () => {
  let app;
  let b2c;
  let browser;

  before(async () => {
    assertPkgBuilt();
    app = await startB2CApp();
    b2c = await startB2C({ redirectUris: [app.redirectUri] });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await Promise.all([app?.close(), b2c?.close()]);
  });

  beforeEach(() => b2c.reset());

  /** Runs `body` with a fresh context (no storage, no tenant session); closes it whatever happens. */
  const withPage = (body) => async () => {
    const page = await newPage(browser);
    try {
      await body(page);
      assert.deepEqual(page.pageErrors, [], 'uncaught errors in the page');
    } finally {
      await page.context().close();
    }
  };

  const codeRequests = () => b2c.tokenRequestsOf('authorization_code');
  const refreshRequests = () => b2c.tokenRequestsOf('refresh_token');

  /** The tenant session cookie's presence in the page's context, for the tenant's URLs (never its value). */
  const hasTenantCookie = async (page) => (await page.context().cookies(`${b2c.origin}/${b2c.tenant}/`)).some((c) => c.name === SESSION_COOKIE);

  it('loginPopup() signs in at B2C in a popup: the opener never navigates, the popup closes itself, the session is stored, and the code is redeemed with the policy in the token URL\'s query', { timeout: TEST_TIMEOUT }, withPage(async (page) => {
    await openApp(page, app, legacyConfig(b2c, app));
    const navigations = recordNavigations(page);
    const popup = await startPopupLogin(page, b2c, SIGN_IN, { appState: { returnTo: '/orders' } });
    const closed = popup.waitForEvent('close', { timeout: 10_000 }).catch(() => {});
    await clickAtB2C(popup, 'signin');
    const outcome = await popupOutcome(page);
    assert.equal(outcome.ok, true, `loginPopup() failed: ${JSON.stringify(outcome.error)}`);
    assert.deepEqual(outcome.value, { appState: { returnTo: '/orders' } }, 'loginPopup() result');
    await closed;
    assert.equal(popup.isClosed(), true, 'the popup closed itself');
    assert.deepEqual(navigations, [], 'the opener navigated');
    assertCleanUrl(page, app);

    assert.equal(b2c.authorizeRequests.length, 1, 'authorize requests');
    const [authorize] = b2c.authorizeRequests;
    assert.equal(authorize.error, undefined, `the tenant refused the authorize request: ${authorize.error}`);
    assertPolicyOnce(authorize, SIGN_IN, 'query', 'authorize request');
    assert.equal(statePrefix(authorize), 'p.', 'a popup login\'s state');
    assert.equal(authorize.params.redirect_uri, app.redirectUri, 'popupRedirectUri defaults to redirectUri');
    assert.equal(authorize.params.prompt, undefined, 'prompt');
    assert.equal(authorize.answer, 'page', 'the tenant showed its sign-in page');

    assert.equal(b2c.tokenRequests.length, 1, 'token requests');
    const [redeem] = codeRequests();
    assertTokenRequest(redeem, { grantType: 'authorization_code', policy: SIGN_IN, style: 'query' });
    assert.equal(redeem.path, `/${b2c.tenant}/oauth2/v2.0/token`, 'the configured token endpoint, the policy in its query');
    assert.equal(redeem.body.redirect_uri, app.redirectUri, 'the redeem names the popup\'s redirect URI');
    const session = await readSession(page);
    assertSessionFrom(session, redeem);
    assert.equal(session.user.tfp, SIGN_IN, 'getUser(): the sign-in policy\'s ID token');
    assert.equal(session.user.nonce, authorize.params.nonce, 'the popup login\'s nonce');
    const keys = await storageKeys(page);
    assert.ok(keys.session.some((k) => k.endsWith(':tokens')), 'tokens in the opener\'s sessionStorage');
    assert.equal(await hasTenantCookie(page), true, 'the sign-in started a tenant session');
  }));

  it('loginPopup() with passwordResetPolicy: "Forgot password?" (AADB2C90118) sends the SAME popup to the reset policy\'s page; signing in there logs in with the reset policy, whose refreshes go to the reset policy', { timeout: TEST_TIMEOUT }, withPage(async (page) => {
    await openApp(page, app, discoveryConfig(b2c, app, SIGN_IN, { passwordResetPolicy: PASSWORD_RESET_POLICY }));
    const navigations = recordNavigations(page);
    const seen = watchInteraction(page);
    const popup = await startPopupLogin(page, b2c, SIGN_IN, { appState: { returnTo: '/profile' } });
    await clickAtB2C(popup, 'forgot');
    await waitForPolicyPage(popup, b2c, PASSWORD_RESET_POLICY);
    assert.equal(popup.isClosed(), false, 'the forgot-password popup is the one that shows the reset page');
    assert.equal(await popup.locator('a', { hasText: 'Forgot password?' }).count(), 0, 'the reset page has no forgot-password link');
    assert.equal(b2c.tokenRequests.length, 0, 'nothing redeemed for the forgot-password answer');
    const closed = popup.waitForEvent('close', { timeout: 10_000 }).catch(() => {});
    await clickAtB2C(popup, 'signin');
    const outcome = await popupOutcome(page);
    assert.equal(outcome.ok, true, `loginPopup() failed: ${JSON.stringify(outcome.error)}`);
    assert.deepEqual(outcome.value, { appState: { returnTo: '/profile' } }, 'loginPopup() result: the login\'s appState');
    await closed;
    assert.equal(popup.isClosed(), true, 'the popup closed itself');
    assert.equal(seen.popups, 1, 'one popup for both policies');
    assert.deepEqual(navigations, [], 'the opener navigated');

    assert.equal(b2c.authorizeRequests.length, 2, 'authorize requests: sign-in, then reset');
    const [signIn, reset] = b2c.authorizeRequests;
    assertPolicyOnce(signIn, SIGN_IN, 'path', 'sign-in authorize request');
    assertPolicyOnce(reset, PASSWORD_RESET_POLICY, 'path', 'reset authorize request');
    assert.equal(reset.error, undefined, `the tenant refused the reset authorize request: ${reset.error}`);
    assert.deepEqual([statePrefix(signIn), statePrefix(reset)], ['p.', 'p.'], 'both are popup logins');
    assert.notEqual(reset.params.state, signIn.params.state, 'the reset is a new login (its own state)');
    assert.notEqual(reset.params.code_challenge, signIn.params.code_challenge, 'with its own PKCE verifier');
    assert.equal(reset.params.redirect_uri, app.redirectUri);

    assert.equal(b2c.tokenRequests.length, 1, 'token requests');
    const [redeem] = codeRequests();
    assertTokenRequest(redeem, { grantType: 'authorization_code', policy: PASSWORD_RESET_POLICY, style: 'path' });
    const session = await readSession(page);
    assertSessionFrom(session, redeem);
    assert.equal(session.user.tfp, PASSWORD_RESET_POLICY, 'getUser(): the reset policy\'s ID token');
    assert.equal(session.user.nonce, reset.params.nonce, 'the reset login\'s nonce');

    const refreshed = await callForToken(page, 'refresh');
    assert.equal(refreshed.ok, true, `refresh() failed: ${JSON.stringify(refreshed.error)}`);
    const [refresh] = refreshRequests();
    assertTokenRequest(refresh, { grantType: 'refresh_token', policy: PASSWORD_RESET_POLICY, style: 'path' });
    assert.equal(refreshed.fp, refresh.issuedFp.access, 'refresh() returned the new access token');
    assertSessionFrom(await readSession(page), refresh, 'after the refresh');
  }));

  it('loginRedirect() with passwordResetPolicy: "Forgot password?" (AADB2C90118) continues to the reset policy\'s page without app code; signing in there logs in with the reset policy (appState kept), whose refreshes go to the reset policy', { timeout: TEST_TIMEOUT }, withPage(async (page) => {
    await openApp(page, app, legacyConfig(b2c, app, { responseMode: 'query', passwordResetPolicy: PASSWORD_RESET_POLICY }));
    await startLogin(page, b2c, { appState: { returnTo: '/orders' } });
    await waitForPolicyPage(page, b2c, SIGN_IN);
    await clickAtB2C(page, 'forgot');
    // The app's page gets AADB2C90118, and its handleRedirectCallback() goes on to the reset policy.
    await waitForPolicyPage(page, b2c, PASSWORD_RESET_POLICY);
    assert.equal(b2c.authorizeRequests.length, 2, 'authorize requests: sign-in, then reset');
    const [signIn, reset] = b2c.authorizeRequests;
    assertPolicyOnce(signIn, SIGN_IN, 'query', 'sign-in authorize request');
    assertPolicyOnce(reset, PASSWORD_RESET_POLICY, 'query', 'reset authorize request');
    assert.equal(reset.error, undefined, `the tenant refused the reset authorize request: ${reset.error}`);
    assert.equal(reset.path, `/${b2c.tenant}/oauth2/v2.0/authorize`, 'the configured endpoint, the reset policy in its query');
    assert.notEqual(reset.params.state, signIn.params.state, 'the reset is a new login (its own state)');
    assert.equal(reset.params.response_mode, 'query');
    assert.equal(b2c.tokenRequests.length, 0, 'nothing redeemed for the forgot-password answer');

    const outcome = await answerAtB2C(page, b2c, app, 'signin');
    assert.equal(outcome?.ok, true, `handleRedirectCallback() failed: ${JSON.stringify(outcome?.error ?? outcome)}`);
    assert.deepEqual(outcome.value, { appState: { returnTo: '/orders' } }, 'the first login\'s appState, after the reset');
    assertCleanUrl(page, app);
    assert.equal(b2c.tokenRequests.length, 1, 'token requests');
    const [redeem] = codeRequests();
    assertTokenRequest(redeem, { grantType: 'authorization_code', policy: PASSWORD_RESET_POLICY, style: 'query' });
    const session = await readSession(page);
    assertSessionFrom(session, redeem);
    assert.equal(session.user.tfp, PASSWORD_RESET_POLICY, 'getUser(): the reset policy\'s ID token');

    const refreshed = await callForToken(page, 'refresh');
    assert.equal(refreshed.ok, true, `refresh() failed: ${JSON.stringify(refreshed.error)}`);
    const [refresh] = refreshRequests();
    assertTokenRequest(refresh, { grantType: 'refresh_token', policy: PASSWORD_RESET_POLICY, style: 'query' });
    assert.equal(refreshed.fp, refresh.issuedFp.access, 'refresh() returned the new access token');
  }));

  it('ssoSilent() in a new tab of a signed-in browser: the tenant session answers prompt=none with a code and no page, and the tab is logged in with no interaction', { timeout: TEST_TIMEOUT }, withPage(async (first) => {
    const config = discoveryConfig(b2c, app, SIGN_IN);
    await openApp(first, app, config);
    await login(first, b2c, app);
    const signedIn = await readSession(first);
    assert.equal(await hasTenantCookie(first), true, 'the sign-in started a tenant session');

    const tab = await newTab(first.context()); // sessionStorage is per tab: no tokens here
    await openApp(tab, app, config);
    assert.equal((await readSession(tab)).tokens, null, 'the new tab starts without tokens');
    const seen = watchInteraction(tab);
    const outcome = await silentLogin(tab, { loginHint: 'alice@contoso.com' });
    assert.equal(outcome.ok, true, `ssoSilent() failed: ${JSON.stringify(outcome.error)}`);
    assert.deepEqual(seen, { frames: 1, navigations: 0, popups: 0 }, 'one hidden frame, nothing else');
    assert.equal(await tab.evaluate(() => document.querySelectorAll('iframe').length), 0, 'the frame is removed');
    assertCleanUrl(tab, app);

    assert.equal(b2c.authorizeRequests.length, 2, 'authorize requests: the sign-in, the silent one');
    const silent = b2c.authorizeRequests[1];
    assert.equal(silent.error, undefined, `the tenant refused the silent authorize request: ${silent.error}`);
    assertPolicyOnce(silent, SIGN_IN, 'path', 'silent authorize request');
    assert.equal(silent.params.prompt, 'none');
    assert.equal(silent.params.login_hint, 'alice@contoso.com', 'login_hint');
    assert.equal(statePrefix(silent), 's.', 'a silent login\'s state');
    assert.equal(silent.params.redirect_uri, app.redirectUri, 'silentRedirectUri defaults to redirectUri');
    assert.deepEqual([silent.sessionCookie, silent.session, silent.answer], [true, true, 'code'], 'the frame carried the session cookie; a code, no page');

    const redeem = codeRequests()[1];
    assertTokenRequest(redeem, { grantType: 'authorization_code', policy: SIGN_IN, style: 'path' });
    const session = await readSession(tab);
    assertSessionFrom(session, redeem, 'the new tab');
    assert.equal(session.user.sub, signedIn.user.sub, 'the same user');
    assert.equal(session.user.auth_time, signedIn.user.auth_time, 'no new authentication: the session\'s auth_time');
    assert.equal(session.user.nonce, silent.params.nonce, 'the silent login\'s nonce');
    assert.notEqual(session.tokens.refresh, signedIn.tokens.refresh, 'the tab has its own refresh token');
    assert.deepEqual(tab.pageErrors, [], 'uncaught errors in the new tab');
  }));

  it('ssoSilent() without a tenant session: the tenant answers prompt=none with login_required, b2cCode AADB2C90077, without a page; nothing is stored', { timeout: TEST_TIMEOUT }, withPage(async (page) => {
    await openApp(page, app, legacyConfig(b2c, app));
    const seen = watchInteraction(page);
    const outcome = await silentLogin(page);
    assert.equal(outcome.ok, false, 'ssoSilent() should have thrown');
    const { error } = outcome;
    assert.equal(error.isAuthError, true, `an AuthError (got ${JSON.stringify(error)})`);
    assert.equal(error.code, 'login_required');
    assert.equal(error.b2cCode, 'AADB2C90077', 'b2cCode');
    assert.ok(error.description?.startsWith(NO_SESSION), `description decoded verbatim: ${JSON.stringify(error.description)}`);
    assert.deepEqual(seen, { frames: 1, navigations: 0, popups: 0 }, 'one hidden frame, nothing else');
    assert.equal(await page.evaluate(() => document.querySelectorAll('iframe').length), 0, 'the frame is removed');

    assert.equal(b2c.authorizeRequests.length, 1, 'authorize requests');
    const [silent] = b2c.authorizeRequests;
    assertPolicyOnce(silent, SIGN_IN, 'query', 'silent authorize request');
    assert.equal(silent.params.prompt, 'none');
    assert.deepEqual([silent.sessionCookie, silent.answer], [false, 'error'], 'no session cookie; an error redirect, no page');
    assert.equal(b2c.tokenRequests.length, 0, 'token requests');
    await assertNothingStored(page);
  }));

  it('logout() ends the tenant session: a later ssoSilent() gets login_required (AADB2C90077)', { timeout: TEST_TIMEOUT }, withPage(async (page) => {
    await openApp(page, app, discoveryConfig(b2c, app, SIGN_IN));
    await login(page, b2c, app);
    await page.evaluate(() => {
      window.app.auth.logout({}).catch((e) => { window.app.loginError = window.app.describe(e); });
    });
    await page.waitForURL((url) => url.origin === app.origin && b2c.logoutRequests.length === 1 && url.search === '' && url.hash === '');
    await page.waitForFunction(() => window.app?.state === 'ready');
    const [logout] = b2c.logoutRequests;
    assert.equal(logout.error, undefined, `the tenant refused the logout request: ${logout.error}`);
    assert.equal(logout.endedSession, true, 'the logout request carried the tenant session, and ended it');
    assert.equal(await hasTenantCookie(page), false, 'the tenant cleared its session cookie');

    const outcome = await silentLogin(page);
    assert.equal(outcome.ok, false, 'ssoSilent() should have thrown');
    assert.equal(outcome.error.code, 'login_required', JSON.stringify(outcome.error));
    assert.equal(outcome.error.b2cCode, 'AADB2C90077');
    assert.equal(b2c.authorizeRequests.at(-1).answer, 'error');
    await assertNothingStored(page);
  }));

  it('silentRenew: a refresh token the tenant refuses (AADB2C90129) is renewed by ONE prompt=none login from the tenant session: new tokens, one frame, no interaction; events refreshFailed then silentRenewed', { timeout: TEST_TIMEOUT }, withPage(async (page) => {
    await openApp(page, app, legacyConfig(b2c, app, { silentRenew: true }));
    await login(page, b2c, app);
    const before = await readSession(page);
    await page.evaluate(() => window.app.recordEvents());
    b2c.revokeRefreshTokens();
    const seen = watchInteraction(page);

    const refreshed = await callForToken(page, 'refresh');
    assert.equal(refreshed.ok, true, `refresh() failed: ${JSON.stringify(refreshed.error)}`);
    assert.deepEqual(seen, { frames: 1, navigations: 0, popups: 0 }, 'one hidden frame, nothing else');
    assert.deepEqual(await recordedEvents(page), [
      { name: 'refreshFailed', code: 'invalid_grant', b2cCode: 'AADB2C90129' },
      { name: 'silentRenewed', code: null, b2cCode: null },
    ], 'events');

    assert.deepEqual(b2c.tokenRequests.map((r) => [r.grantType, r.status]), [
      ['authorization_code', 200], ['refresh_token', 400], ['authorization_code', 200],
    ], 'token requests: the login, the refused refresh, the silent login\'s redeem');
    const [, refused, renewal] = b2c.tokenRequests;
    assert.equal(refused.response.error, 'invalid_grant');
    assertPolicyOnce(refused, SIGN_IN, 'query', 'the refused refresh request');
    assertTokenRequest(renewal, { grantType: 'authorization_code', policy: SIGN_IN, style: 'query' });

    assert.equal(b2c.authorizeRequests.length, 2, 'authorize requests: the login, the silent one');
    const silent = b2c.authorizeRequests[1];
    assertPolicyOnce(silent, SIGN_IN, 'query', 'silent authorize request');
    assert.equal(silent.params.prompt, 'none');
    assert.equal(statePrefix(silent), 's.', 'a silent login\'s state');
    assert.deepEqual([silent.session, silent.answer], [true, 'code'], 'the tenant session gave a code, no page');

    const after = await readSession(page);
    assertSessionFrom(after, renewal, 'the renewed session');
    assert.equal(refreshed.fp, renewal.issuedFp.access, 'refresh() returned the renewed access token');
    assert.notEqual(after.tokens.refresh, before.tokens.refresh, 'a new refresh token');
    assert.equal(after.user.sub, before.user.sub, 'the same user');

    // The renewed session refreshes as usual.
    const again = await callForToken(page, 'refresh');
    assert.equal(again.ok, true, `refresh() after the renewal failed: ${JSON.stringify(again.error)}`);
    assertTokenRequest(refreshRequests()[1], { grantType: 'refresh_token', policy: SIGN_IN, style: 'query' });
  }));

  it('silentRenew without a tenant session: the refused refresh token and the AADB2C90077 of the silent try end the session with login_required; events refreshFailed, silentRenewFailed, loggedOut', { timeout: TEST_TIMEOUT }, withPage(async (page) => {
    await openApp(page, app, legacyConfig(b2c, app, { silentRenew: true }));
    await login(page, b2c, app);
    await page.evaluate(() => window.app.recordEvents());
    b2c.revokeRefreshTokens();
    b2c.endSessions(); // as the tenant session's lifetime running out does

    const refreshed = await callForToken(page, 'refresh');
    assert.equal(refreshed.ok, false, 'refresh() should have thrown');
    assert.equal(refreshed.error.code, 'login_required', JSON.stringify(refreshed.error));
    assert.deepEqual(await recordedEvents(page), [
      { name: 'refreshFailed', code: 'invalid_grant', b2cCode: 'AADB2C90129' },
      { name: 'silentRenewFailed', code: 'login_required', b2cCode: 'AADB2C90077' },
      { name: 'loggedOut', code: null, b2cCode: null },
    ], 'events');
    const silent = b2c.authorizeRequests[1];
    assert.equal(silent?.params.prompt, 'none', 'one silent try');
    assert.deepEqual([silent.sessionCookie, silent.session, silent.answer], [true, false, 'error'], 'a cookie of an ended session: an error redirect');
    assert.equal(b2c.authorizeRequests.length, 2, 'authorize requests');
    assert.deepEqual(b2c.tokenCounts(), { authorization_code: 1, refresh_token: 1 }, 'token requests per grant');
    await assertNothingStored(page);
  }));

  it('the tenant\'s pages refuse to be framed (X-Frame-Options DENY, frame-ancestors \'none\'), while its prompt=none answers are plain redirects', { timeout: TEST_TIMEOUT }, async () => {
    const url = new URL(b2c.legacy.authorizationEndpoint);
    const params = {
      p: SIGN_IN, client_id: b2c.clientId, redirect_uri: app.redirectUri, response_type: 'code', scope: 'openid',
      state: 's.by-hand', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256',
    };
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const pageAnswer = await fetch(url, { redirect: 'manual' });
    assert.equal(pageAnswer.status, 200, 'the sign-in page');
    assert.equal(pageAnswer.headers.get('x-frame-options'), 'DENY');
    assert.equal(pageAnswer.headers.get('content-security-policy'), 'frame-ancestors \'none\'');
    await pageAnswer.text();

    url.searchParams.set('prompt', 'none');
    const silent = await fetch(url, { redirect: 'manual' });
    assert.equal(silent.status, 302, 'prompt=none is answered with a redirect');
    assert.equal(silent.headers.get('x-frame-options'), null, 'a redirect carries no framing header');
    const back = new URL(silent.headers.get('location'));
    assert.equal(`${back.origin}${back.pathname}`, app.redirectUri);
    assert.equal(back.searchParams.get('error'), 'login_required');
    assert.ok(back.searchParams.get('error_description').startsWith(NO_SESSION), 'AADB2C90077, Correlation ID, Timestamp');
    assert.match(back.searchParams.get('error_description'), /\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\r\n$/);
    assert.equal(back.searchParams.get('state'), 's.by-hand');
    await silent.text();
  });
});
