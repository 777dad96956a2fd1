// Plumbing of the Azure AD B2C e2e tests: the test app's page (tests/support/b2c-app.mjs),
// the fake tenant's sign-in page (tests/support/b2c-server.mjs), and what the client holds.
// Token values never leave this module as such: they become fingerprints (a hash prefix).
import assert from 'node:assert/strict';

import { CONFIG_KEY } from '../support/b2c-app.mjs';
import { CLIENT_ID, fingerprint } from '../support/b2c-server.mjs';
import { redactedUrl } from './helpers.mjs';

export const SCOPES = ['openid', 'offline_access', CLIENT_ID];
const STEP_TIMEOUT = 10_000;
const MODULE_RETRIES = 3;

/** Explicit legacy endpoints (`.../oauth2/v2.0/authorize`, the policy in `?p=`). */
export function legacyConfig(b2c, app, extra = {}) {
  return {
    clientId: CLIENT_ID,
    redirectUri: app.redirectUri,
    authorizationEndpoint: b2c.legacy.authorizationEndpoint,
    tokenEndpoint: b2c.legacy.tokenEndpoint,
    issuer: b2c.issuer,
    jwksUri: b2c.legacy.jwksUri('b2c_1_sign_in'),
    policy: 'b2c_1_sign_in',
    scopes: SCOPES,
    ...extra,
  };
}

/** The b2clogin.com style: the policy's discovery document and the tenant-GUID issuer. */
export function discoveryConfig(b2c, app, policy, extra = {}) {
  return {
    clientId: CLIENT_ID,
    redirectUri: app.redirectUri,
    metadataUrl: b2c.policyMetadataUrl(policy),
    issuer: b2c.issuer,
    policy,
    scopes: SCOPES,
    ...extra,
  };
}

async function waitForApp(page, app) {
  await page.waitForURL((url) => url.origin === app.origin, { timeout: STEP_TIMEOUT });
  await page.waitForFunction(() => window.app && window.app.state !== 'loading', null, { timeout: STEP_TIMEOUT });
  return page.evaluate(() => ({ state: window.app.state, error: window.app.error }));
}

/**
 * Opens the test app with `config` saved for it, and waits until it is ready. A module that
 * fails to load (pkg/ being rebuilt) is retried a few times.
 */
export async function openApp(page, app, config) {
  for (let attempt = 1; ; attempt += 1) {
    await page.goto(app.redirectUri);
    await waitForApp(page, app);
    await page.evaluate(([key, value]) => localStorage.setItem(key, value), [CONFIG_KEY, JSON.stringify(config)]);
    await page.reload();
    const { state, error } = await waitForApp(page, app);
    if (state === 'ready') return;
    if (state === 'module-error' && attempt < MODULE_RETRIES) {
      await page.waitForTimeout(2000);
      continue;
    }
    assert.fail(`the test app is ${state}: ${JSON.stringify(error)}`);
  }
}

/** Calls `auth.loginRedirect(options)` and waits for the fake tenant's sign-in page. */
export async function startLogin(page, b2c, options = {}) {
  await page.evaluate((o) => window.app.login(o), options);
  try {
    await page.waitForURL((url) => url.origin === b2c.origin, { timeout: STEP_TIMEOUT });
  } catch {
    const failure = await page.evaluate(() => window.app?.loginError).catch(() => null);
    assert.fail(`loginRedirect did not reach the tenant (url ${redactedUrl(page.url())}): ${JSON.stringify(failure)}`);
  }
}

/**
 * On the tenant's page: 'signin' (the Sign in button), 'cancel' (Cancel) or 'forgot' (the
 * Forgot password? link). Then waits until the app has handled the answer; returns its
 * `handleRedirectCallback()` outcome.
 */
export async function answerAtB2C(page, b2c, app, action = 'signin') {
  const policy = page.locator('#policy');
  try {
    await policy.waitFor({ timeout: STEP_TIMEOUT });
  } catch {
    const text = await page.locator('body').textContent().catch(() => '');
    assert.fail(`no sign-in page at the tenant (url ${redactedUrl(page.url())}): ${text.trim().slice(0, 500)}`);
  }
  if (action === 'forgot') await page.getByRole('link', { name: 'Forgot password?' }).click();
  else await page.getByRole('button', { name: action === 'cancel' ? 'Cancel' : 'Sign in', exact: true }).click();
  const { state, error } = await waitForApp(page, app);
  assert.equal(state, 'ready', `the app after the redirect: ${JSON.stringify(error)}`);
  return page.evaluate(() => window.app.callback);
}

/** loginRedirect, the Sign in button, and a successful callback. */
export async function login(page, b2c, app, options = {}) {
  await startLogin(page, b2c, options);
  const outcome = await answerAtB2C(page, b2c, app, 'signin');
  assert.equal(outcome?.ok, true, `handleRedirectCallback failed: ${JSON.stringify(outcome?.error ?? outcome)}`);
  return outcome;
}

const decodeClaims = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));

/**
 * What the client holds, with fingerprints instead of token values: `{ authenticated,
 * tokens: { access, refresh, id, expiresAt, scope, tokenType } | null, user, accessClaims, now }`.
 */
export async function readSession(page) {
  const raw = await page.evaluate(() => ({
    authenticated: window.app.auth.isAuthenticated(),
    tokens: window.app.auth.getTokens(),
    user: window.app.auth.getUser(),
    now: Date.now(),
  }));
  const t = raw.tokens;
  return {
    authenticated: raw.authenticated,
    tokens: t && {
      access: fingerprint(t.accessToken),
      refresh: fingerprint(t.refreshToken),
      id: fingerprint(t.idToken),
      expiresAt: t.expiresAt,
      scope: t.scope,
      tokenType: t.tokenType,
    },
    accessClaims: t?.accessToken ? decodeClaims(t.accessToken) : null,
    user: raw.user,
    now: raw.now,
  };
}

/** Runs `auth[method]()` in the page: `{ ok, fp }` (the returned token's fingerprint) or `{ ok: false, error }`. */
export async function callForToken(page, method) {
  const result = await page.evaluate(async (name) => {
    try {
      return { ok: true, value: await window.app.auth[name]() };
    } catch (e) {
      return { ok: false, error: window.app.describe(e) };
    }
  }, method);
  return result.ok ? { ok: true, fp: result.value === null ? null : fingerprint(result.value) } : result;
}

/** Names (never values) of the page's Web Storage entries. */
export function storageKeys(page) {
  return page.evaluate(() => ({ session: Object.keys(sessionStorage), local: Object.keys(localStorage) }));
}

/**
 * The policy reached the tenant exactly once, in the URL style expected: `style` 'path' (a
 * path segment, no `p`) or 'query' (one `p`, no path segment). Case is not judged.
 */
export function assertPolicyOnce(record, policy, style, what) {
  const lower = (s) => s?.toLowerCase() ?? null;
  if (style === 'path') {
    assert.deepEqual(record.queryP, [], `${what}: p in the query although the policy is in the path`);
    assert.equal(lower(record.pathPolicy), lower(policy), `${what}: the policy path segment`);
  } else {
    assert.equal(record.pathPolicy, null, `${what}: a policy path segment`);
    assert.deepEqual(record.queryP.map(lower), [lower(policy)], `${what}: the query's p values`);
  }
  assert.equal(lower(record.policy), lower(policy), `${what}: the policy the tenant resolved`);
}

/** A token request: accepted, the policy once in its URL, and no `p` in its body. */
export function assertTokenRequest(record, { grantType, policy, style }) {
  assert.ok(record, `no ${grantType} token request`);
  assert.equal(record.grantType, grantType, 'grant_type');
  assert.equal(record.status, 200, `the tenant refused the token request: ${JSON.stringify(record.response?.error_description ?? record.response)}`);
  assertPolicyOnce(record, policy, style, `${grantType} token request`);
  assert.ok(!record.bodyKeys.includes('p'), `${grantType} token request: p in the body`);
  assert.equal(record.origin !== null, true, 'the token request came from the page (CORS)');
  assert.equal(record.cookies, false, 'the token request sent cookies');
}

// ---- popup and silent logins (tests/e2e/b2c-interactive.test.mjs) -------------------------

/**
 * Waits until `page` shows the tenant's page of `policy` (the exact name, as the tenant writes
 * it); on a time-out, fails with where the page is instead.
 */
export async function waitForPolicyPage(page, b2c, policy) {
  try {
    await page.locator('#policy', { hasText: new RegExp(`^${policy}$`, 'i') }).waitFor({ timeout: STEP_TIMEOUT });
  } catch {
    const text = page.isClosed() ? '(closed)' : await page.locator('body').textContent().catch(() => '');
    const url = page.isClosed() ? '(closed)' : redactedUrl(page.url());
    assert.fail(`no ${policy} page at the tenant ${b2c.origin} (url ${url}): ${String(text).trim().slice(0, 500)}`);
  }
}

/** On the tenant's page: the Sign in button, Cancel, or the Forgot password? link. */
export async function clickAtB2C(page, action = 'signin') {
  if (action === 'forgot') await page.getByRole('link', { name: 'Forgot password?' }).click();
  else await page.getByRole('button', { name: action === 'cancel' ? 'Cancel' : 'Sign in', exact: true }).click();
}

/**
 * Calls `auth.loginPopup(options)` in the test app (window.app.popup) and returns the popup
 * once it shows the tenant's page of `policy`.
 */
export async function startPopupLogin(page, b2c, policy, options = {}) {
  const [popup] = await Promise.all([
    page.waitForEvent('popup', { timeout: STEP_TIMEOUT }),
    page.evaluate((o) => window.app.popup(o), options),
  ]);
  await waitForPolicyPage(popup, b2c, policy);
  return popup;
}

/** The outcome of the app's loginPopup(): `{ ok: true, value }` or `{ ok: false, error }`. */
export async function popupOutcome(page) {
  await page.waitForFunction(() => document.documentElement.dataset.popup === 'done', null, { timeout: STEP_TIMEOUT });
  return page.evaluate(() => window.app.popupResult);
}

/** Runs `auth.ssoSilent(options)` in the test app: `{ ok: true }` or `{ ok: false, error }`. */
export function silentLogin(page, options) {
  return page.evaluate((o) => window.app.silent(o), options);
}

/** Counts, from now on, the frames attached to `page`, its main-frame navigations and its popups. */
export function watchInteraction(page) {
  const seen = { frames: 0, navigations: 0, popups: 0 };
  page.on('frameattached', () => { seen.frames += 1; });
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) seen.navigations += 1; });
  page.on('popup', () => { seen.popups += 1; });
  return seen;
}

/** The client's events recorded since `recordEvents()` (window.app.events), tokensChanged left out. */
export async function recordedEvents(page, { withTokensChanged = false } = {}) {
  const events = await page.evaluate(() => window.app.events);
  return events.filter((e) => withTokensChanged || e.name !== 'tokensChanged');
}
