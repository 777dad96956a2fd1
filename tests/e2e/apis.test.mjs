// Issue 16, several APIs: one login, one refresh token, an access token per API. Against the real
// OP (oidc-provider with RFC 8707 resource indicators: a JWT per resource) and the B2C-shaped
// tenant (one resource per token, AADB2C90146), each with two protected APIs that accept only
// their own audience (tests/support/api-server.mjs, resource-server mode).
//
// The first suite checks the servers themselves, by hand (tests/support/by-hand.mjs, no
// library): when it fails, the infrastructure is wrong; when only the others fail, the library is.
//
// What the library must send (the contract these tests hold it to):
//   login      authorize: scope = config.scopes; one `resource=<r>` per apis entry with a resource
//              (RFC 8707 §2.1); the code redemption sends no resource (its token is the login's).
//   API token  POST token: grant_type=refresh_token, refresh_token=<newest>, client_id,
//              scope=<the API's scopes>, resource=<r> when the API has one; B2C: `?p=<policy>` in
//              the token endpoint's URL, no resource. Every grant rotates the refresh token, so
//              grants run one after another, each presenting the refresh token the last one issued.
//
// Timing: API tokens are minted with a few seconds of life only where a test waits for their
// expiry (the OP's accessTokenTtl per resource, B2C's apiAccessTokenLifetime); everything minted
// afterwards lives an hour, so nothing the test does later races a second expiry.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';

import { startApi } from '../support/api-server.mjs';
import { startB2CApp } from '../support/b2c-app.mjs';
import { B2C_APIS, CLIENT_ID as B2C_CLIENT_ID, b2cScopes, startB2C } from '../support/b2c-server.mjs';
import {
  authorizationUrl, callApi, claimsOf, pkce, show, tokenRequest,
} from '../support/by-hand.mjs';
import { fingerprint } from '../support/fingerprint.mjs';
import { startOP } from '../support/op.mjs';
import { startStatic } from '../support/static.mjs';
import { assertTokenRequest, legacyConfig, login as loginAtB2C, openApp } from './b2c-helpers.mjs';
import {
  TEST_TIMEOUT, assertPkgBuilt, launchBrowser, newPage, newTab, openDemoWithSettings, signInAtOP, waitForStatus,
} from './helpers.mjs';
import {
  apiToken, callWithTokenOf, concurrentCalls, getAccessTokens, recordApiEvents, recordedApiEvents,
  rememberTokenValues, sessionFingerprints, tokenTraces,
} from './page-session.mjs';

// ---- the OP's resource servers ------------------------------------------------------------

const ORDERS = { resource: 'https://orders.api.test', scopes: ['orders:read', 'orders:write'] };
const INVENTORY = { resource: 'https://inventory.api.test', scopes: ['inventory:read'] };
/** A resource the OP knows but whose scopes the consent step never grants. */
const REPORTS = { resource: 'https://reports.api.test', scopes: ['reports:read'] };
const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'];
const OP_CLIENT_ID = 'spa-demo';

// ---- the B2C tenant's web APIs --------------------------------------------------------------

const B2C_ORDERS = { scopes: b2cScopes('orders') };
const B2C_INVENTORY = { scopes: b2cScopes('inventory') };
const POLICY = 'b2c_1_sign_in';

const SHORT_TTL = 4; // seconds: API tokens that a test waits to expire
const MARGIN = 1; // expiryMarginSeconds
const CONCURRENT = 20;

const sorted = (list) => [...list].sort();
/** A space-separated scope string (or list) as a sorted list. */
const scopeList = (scope) => sorted(Array.isArray(scope) ? scope : String(scope ?? '').split(' ').filter(Boolean));

/** Polls `check` (may be async) until it holds; fails after `timeout` ms naming `what`. */
async function until(check, what, timeout = 10_000) {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await delay(50);
  }
}

/**
 * Holds every request of `context` to `url` until `release()`; `held()` counts them. Lets a test
 * start calls in several tabs while the first token request is still unanswered.
 */
async function holdRequests(context, url) {
  let held = 0;
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  await context.route(url, async (route) => {
    held += 1;
    await gate;
    await route.continue();
  });
  return { held: () => held, release };
}

/**
 * The refresh_token grants among `records` (oldest first, each `{ presented, issued: { refresh } }`)
 * form one chain starting at `firstRefresh`: each presents the refresh token the previous one
 * issued, none presents one twice.
 */
function assertRefreshChain(records, firstRefresh, what) {
  const presented = records.map((r) => r.presented);
  assert.equal(new Set(presented).size, presented.length, `${what}: a refresh token was presented twice`);
  let newest = firstRefresh;
  records.forEach((record, i) => {
    assert.equal(record.presented, newest, `${what}: grant ${i + 1} presented ${i === 0 ? 'the session\'s' : 'the last issued'} refresh token`);
    newest = record.issued?.refresh ?? newest;
  });
  return newest;
}

/** `count` calls mixing getAccessToken and auth.fetch for two APIs, in a fixed rotation. */
function mixedCalls(count, [first, second]) {
  const kinds = [{ token: first.api }, { token: second.api }, { fetch: first.url }, { fetch: second.url }];
  return Array.from({ length: count }, (_, i) => kinds[i % kinds.length]);
}

// =============================================================================================

describe('several APIs: the test servers, driven by hand (no library)', { timeout: 6 * TEST_TIMEOUT }, () => {
  let web;
  let op;
  let b2c;
  let browser;
  const apis = {};

  before(async () => {
    web = await startStatic();
    op = await startOP({
      redirectUris: [`${web.origin}/`],
      resources: {
        [ORDERS.resource]: { scopes: ORDERS.scopes, accessTokenTtl: 120 },
        [INVENTORY.resource]: INVENTORY.scopes,
        [REPORTS.resource]: { scopes: REPORTS.scopes, consent: false },
      },
    });
    b2c = await startB2C({ redirectUris: [`${web.origin}/`] });
    const b2cApi = (name) => startApi({
      issuer: b2c.issuer, audience: B2C_APIS[name].appId, jwksUri: b2c.legacy.jwksUri(POLICY), corsOrigins: [web.origin], name,
    });
    [apis.orders, apis.inventory, apis.b2cOrders, apis.b2cInventory] = await Promise.all([
      startApi({ issuer: op.issuer, corsOrigins: [web.origin], audience: ORDERS.resource, name: 'orders' }),
      startApi({ issuer: op.issuer, corsOrigins: [web.origin], audience: INVENTORY.resource, name: 'inventory' }),
      b2cApi('orders'),
      b2cApi('inventory'),
    ]);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await Promise.all([web, op, b2c, ...Object.values(apis)].map((s) => s?.close()));
  });

  const opToken = (params) => tokenRequest(`${op.issuer}/token`, { origin: web.origin, client_id: OP_CLIENT_ID, ...params });

  /** A login at the OP by hand, in the browser, naming `resource`s; returns the code's token answer. */
  async function loginAtOP({ scope, resource }) {
    const page = await newPage(browser);
    try {
      await page.route(`${web.origin}/**`, (route) => route.fulfill({ contentType: 'text/html', body: '' }));
      const { verifier, challenge } = pkce();
      await page.goto(authorizationUrl(`${op.issuer}/auth`, {
        client_id: OP_CLIENT_ID, response_type: 'code', redirect_uri: `${web.origin}/`, scope,
        code_challenge: challenge, code_challenge_method: 'S256', state: 'by-hand', response_mode: 'query', resource,
      }));
      let consentPage = '';
      await signInAtOP(page, op, { beforeConsent: async () => { consentPage = await page.locator('body').innerText(); } });
      await page.waitForURL((url) => url.origin === web.origin);
      const code = new URL(page.url()).searchParams.get('code');
      assert.ok(code, 'the OP answered with a code');
      const answer = await opToken({ grant_type: 'authorization_code', code, redirect_uri: `${web.origin}/`, code_verifier: verifier });
      assert.equal(answer.status, 200, `code redemption: ${JSON.stringify(show(answer.body))}`);
      return { ...answer.body, consentPage };
    } finally {
      await page.context().close();
    }
  }

  it('OP: a login naming two resources still redeems its code (no resource) for the UserInfo token; a refresh per resource mints a JWT for that audience only', { timeout: TEST_TIMEOUT }, async () => {
    const login = await loginAtOP({
      scope: [...OIDC_SCOPES, ...ORDERS.scopes, ...INVENTORY.scopes].join(' '),
      resource: [ORDERS.resource, INVENTORY.resource],
    });
    assert.match(login.consentPage, /orders:read/, 'the consent page asks for the orders scopes');
    assert.equal(claimsOf(login.access_token), null, 'the login\'s access token is opaque (UserInfo)');
    assert.deepEqual(scopeList(login.scope), scopeList(['openid', 'profile', 'email']), 'the login token\'s scope');
    const userinfo = await fetch(`${op.issuer}/me`, { headers: { Authorization: `Bearer ${login.access_token}` } });
    assert.equal(userinfo.status, 200, 'UserInfo accepts the login\'s token');
    const codeGrant = op.grantLog().at(-1);
    assert.equal(codeGrant.resource, null, 'the redemption named no resource');

    let refreshToken = login.refresh_token;
    const minted = {};
    for (const api of [ORDERS, INVENTORY]) {
      const answer = await opToken({
        grant_type: 'refresh_token', refresh_token: refreshToken, scope: api.scopes.join(' '), resource: api.resource,
      });
      assert.equal(answer.status, 200, `refresh for ${api.resource}: ${JSON.stringify(show(answer.body))}`);
      assert.ok(answer.body.refresh_token && answer.body.refresh_token !== refreshToken, 'the refresh token rotated');
      assert.equal('id_token' in answer.body, false, 'no ID token without openid');
      assert.deepEqual(scopeList(answer.body.scope), scopeList(api.scopes), 'the answer\'s scope');
      const claims = claimsOf(answer.body.access_token);
      assert.equal(claims?.aud, api.resource, 'aud is the resource');
      assert.deepEqual(scopeList(claims.scope), scopeList(api.scopes), 'the token\'s scope claim');
      assert.equal(claims.iss, op.issuer);
      assert.equal(claims.client_id, OP_CLIENT_ID);
      assert.equal(answer.body.expires_in, api === ORDERS ? 120 : 3600, 'the resource\'s own TTL, else the default');
      minted[api.resource] = answer.body.access_token;
      refreshToken = answer.body.refresh_token;
    }
    const grants = op.grantLog().slice(-2);
    assert.deepEqual(grants.map((g) => [g.grantType, g.status, g.resource]), [
      ['refresh_token', 200, ORDERS.resource], ['refresh_token', 200, INVENTORY.resource],
    ]);

    const ordersToken = minted[ORDERS.resource];
    const inventoryToken = minted[INVENTORY.resource];
    const ok = await callApi(`${apis.orders.origin}/orders`, ordersToken);
    assert.deepEqual(ok, {
      status: 200, challenge: null,
      body: { api: 'orders', path: '/orders', audience: ORDERS.resource, scope: ORDERS.scopes.join(' '), sub: 'alice' },
    });
    assert.equal((await callApi(`${apis.inventory.origin}/items`, inventoryToken)).status, 200, 'inventory with its token');
    for (const [api, token, what] of [
      [apis.orders, inventoryToken, 'orders with the inventory token'],
      [apis.inventory, ordersToken, 'inventory with the orders token'],
      [apis.orders, login.access_token, 'orders with the login\'s opaque token'],
    ]) {
      const refused = await callApi(`${api.origin}/x`, token);
      assert.equal(refused.status, 401, what);
      assert.match(refused.challenge ?? '', /^Bearer realm="[a-z]+", error="invalid_token"/, `${what}: the challenge`);
    }
    const [last] = apis.orders.requests().slice(-1);
    assert.equal(last.token, fingerprint(login.access_token), 'the API records the presented token\'s fingerprint');
    const preflight = await fetch(`${apis.orders.origin}/orders`, {
      method: 'OPTIONS', headers: { Origin: web.origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });
    assert.equal(preflight.headers.get('access-control-allow-origin'), web.origin, 'CORS for the page');
    const exposed = await fetch(`${apis.orders.origin}/orders`, { headers: { Origin: web.origin } });
    assert.match(exposed.headers.get('access-control-expose-headers') ?? '', /WWW-Authenticate/i, 'the challenge is readable by the page');
  });

  it('OP: a resource whose scopes were never granted answers invalid_scope without spending the refresh token; an unknown resource, or none after a login naming several, answers invalid_target AFTER spending it', { timeout: TEST_TIMEOUT }, async () => {
    const login = await loginAtOP({
      scope: [...OIDC_SCOPES, ...ORDERS.scopes, ...REPORTS.scopes].join(' '),
      resource: [ORDERS.resource, REPORTS.resource],
    });
    assert.doesNotMatch(login.consentPage, /reports:read/, 'the consent step never offers the reports scope');

    const missing = await opToken({
      grant_type: 'refresh_token', refresh_token: login.refresh_token, scope: REPORTS.scopes.join(' '), resource: REPORTS.resource,
    });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body, { error: 'invalid_scope', error_description: 'refresh token missing requested scope', scope: 'reports:read' });

    const revokedBefore = op.grantsRevoked();
    const same = await opToken({
      grant_type: 'refresh_token', refresh_token: login.refresh_token, scope: ORDERS.scopes.join(' '), resource: ORDERS.resource,
    });
    assert.equal(same.status, 200, 'the refresh token refused for reports still works');

    // oidc-provider rotates (consumes) the refresh token BEFORE it resolves the resource: an
    // invalid_target answer leaves the client without a usable refresh token.
    const unknown = await opToken({
      grant_type: 'refresh_token', refresh_token: same.body.refresh_token, scope: ORDERS.scopes.join(' '), resource: 'https://unknown.api.test',
    });
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.body, { error: 'invalid_target', error_description: 'resource indicator is missing, or unknown' });
    const spent = await opToken({ grant_type: 'refresh_token', refresh_token: same.body.refresh_token, scope: 'openid' });
    assert.equal(spent.status, 400);
    assert.equal(spent.body.error, 'invalid_grant', 'the refresh token was spent by the invalid_target request');
    assert.equal(op.grantsRevoked() - revokedBefore, 1, 'its reuse revoked the grant');

    // The same for a grant naming NO resource without openid, after a login that named several:
    // oidc-provider falls back to all of the login's resources and refuses to pick one.
    const again = await loginAtOP({
      scope: [...OIDC_SCOPES, ...ORDERS.scopes, ...INVENTORY.scopes].join(' '),
      resource: [ORDERS.resource, INVENTORY.resource],
    });
    const noResource = await opToken({ grant_type: 'refresh_token', refresh_token: again.refresh_token, scope: ORDERS.scopes.join(' ') });
    assert.equal(noResource.status, 400);
    assert.deepEqual(noResource.body, {
      error: 'invalid_target', error_description: 'only a single resource indicator value must be requested/resolved during Access Token Request',
    });
    const dead = await opToken({ grant_type: 'refresh_token', refresh_token: again.refresh_token, scope: 'openid' });
    assert.equal(dead.body?.error, 'invalid_grant', 'that refresh token was spent too');
  });

  /** A login at the tenant by hand (fetch only: its sign-in page is a plain form). */
  async function loginAtTenant(scope) {
    const { verifier, challenge } = pkce();
    const page = await fetch(authorizationUrl(b2c.legacy.authorizationEndpoint, {
      p: POLICY, client_id: B2C_CLIENT_ID, response_type: 'code', redirect_uri: `${web.origin}/`, scope, state: 'by-hand',
      code_challenge: challenge, code_challenge_method: 'S256', response_mode: 'query',
    }), { redirect: 'manual' });
    if (page.status === 302) return { redirect: new URL(page.headers.get('location')) };
    const action = /action="([^"]+)"/.exec(await page.text())?.[1]?.replaceAll('&amp;', '&');
    assert.ok(action, 'the tenant\'s sign-in form');
    const signedIn = await fetch(new URL(action, b2c.origin), {
      method: 'POST', body: new URLSearchParams({ login: 'alice@contoso.com', action: 'signin' }), redirect: 'manual',
    });
    const code = new URL(signedIn.headers.get('location')).searchParams.get('code');
    const answer = await tokenRequest(`${b2c.legacy.tokenEndpoint}?p=${POLICY}`, {
      grant_type: 'authorization_code', client_id: B2C_CLIENT_ID, code, code_verifier: verifier, redirect_uri: `${web.origin}/`,
    });
    assert.equal(answer.status, 200, `code redemption: ${JSON.stringify(show(answer.body))}`);
    return answer.body;
  }

  it('B2C: one resource per token (AADB2C90146 at authorize and token), a refresh per API gives aud = its app id and scp = its scope names, each API takes only its own', { timeout: TEST_TIMEOUT }, async () => {
    const twoApis = `openid offline_access ${B2C_ORDERS.scopes[0]} ${B2C_INVENTORY.scopes[0]}`;
    const { redirect } = await loginAtTenant(twoApis);
    assert.equal(redirect?.searchParams.get('error'), 'invalid_request', 'authorize with two resources');
    assert.match(redirect.searchParams.get('error_description'), new RegExp(`^AADB2C90146: The scope '${twoApis}' provided in request specifies more than one resource for an access token, which is not supported\\.\\r\\nCorrelation ID: `));

    const login = await loginAtTenant(`openid offline_access ${B2C_CLIENT_ID}`);
    const endpoint = `${b2c.legacy.tokenEndpoint}?p=${POLICY}`;
    const refresh = (refreshToken, scope) => tokenRequest(endpoint, {
      grant_type: 'refresh_token', client_id: B2C_CLIENT_ID, refresh_token: refreshToken, scope,
    });

    const mixed = `${B2C_ORDERS.scopes.join(' ')} ${B2C_INVENTORY.scopes.join(' ')}`;
    const refused = await refresh(login.refresh_token, mixed);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error, 'invalid_request');
    assert.match(refused.body.error_description, new RegExp(`^AADB2C90146: The scope '${mixed}' provided in request specifies more than one resource for an access token, which is not supported\\.\\r\\nCorrelation ID: [0-9a-f-]{36}\\r\\nTimestamp: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ\\r\\n$`));
    const withClientId = await refresh(login.refresh_token, `${B2C_CLIENT_ID} ${B2C_ORDERS.scopes[0]}`);
    assert.match(withClientId.body?.error_description ?? '', /^AADB2C90146: /, 'the client id is a resource too');

    let refreshToken = login.refresh_token;
    const minted = {};
    for (const [name, api] of [['orders', B2C_ORDERS], ['inventory', B2C_INVENTORY]]) {
      const answer = await refresh(refreshToken, api.scopes.join(' '));
      assert.equal(answer.status, 200, `refresh for ${name}: ${JSON.stringify(show(answer.body))}`);
      assert.notEqual(fingerprint(answer.body.refresh_token), fingerprint(refreshToken), 'the refresh token rotated');
      assert.equal(answer.body.resource, B2C_APIS[name].appId, 'the answer\'s resource');
      assert.equal(answer.body.scope, api.scopes.join(' '), 'the answer\'s scope: as asked');
      const claims = claimsOf(answer.body.access_token);
      assert.equal(claims.aud, B2C_APIS[name].appId, 'aud: the API\'s application id');
      assert.equal(claims.scp, B2C_APIS[name].scopes.join(' '), 'scp: the scope names');
      assert.equal(claims.azp, B2C_CLIENT_ID);
      assert.equal(claims.tfp, POLICY);
      minted[name] = answer.body.access_token;
      refreshToken = answer.body.refresh_token;
    }
    const replay = await refresh(login.refresh_token, B2C_ORDERS.scopes.join(' '));
    assert.match(replay.body?.error_description ?? '', /^AADB2C90129: /, 'a spent refresh token is refused');

    assert.equal((await callApi(`${apis.b2cOrders.origin}/orders`, minted.orders)).body?.audience, B2C_APIS.orders.appId);
    assert.equal((await callApi(`${apis.b2cInventory.origin}/items`, minted.inventory)).status, 200);
    for (const [api, token] of [[apis.b2cOrders, minted.inventory], [apis.b2cInventory, minted.orders], [apis.b2cOrders, login.access_token]]) {
      const answer = await callApi(`${api.origin}/x`, token);
      assert.equal(answer.status, 401, `${api.name} refuses another audience's token`);
      assert.match(answer.challenge, /error="invalid_token", error_description="wrong audience"/);
    }

    b2c.set({ missingPermissions: [B2C_INVENTORY.scopes[0]] });
    const noPermission = await refresh(refreshToken, B2C_INVENTORY.scopes.join(' '));
    assert.equal(noPermission.status, 400);
    assert.equal(noPermission.body.error, 'invalid_request');
    assert.match(noPermission.body.error_description, /^AADB2C90205: This application does not have sufficient permissions against this web resource to perform the operation\.\r\n/);
    assert.equal((await refresh(refreshToken, B2C_ORDERS.scopes.join(' '))).status, 200, 'the refused request did not spend the refresh token');
    b2c.reset();
  });
});

// =============================================================================================

describe('several APIs with oidc-provider (RFC 8707 resource indicators)', { timeout: 12 * TEST_TIMEOUT }, () => {
  let web;
  let op;
  let browser;
  let ordersApi;
  let inventoryApi;
  let reportsApi;
  /** Seconds of life of the API tokens minted from now on. */
  let apiTtl = 3600;

  before(async () => {
    assertPkgBuilt();
    web = await startStatic();
    op = await startOP({
      redirectUris: [`${web.origin}/`],
      accessTokenTtl: (_grantType, resource) => (resource ? apiTtl : 3600),
      resources: {
        [ORDERS.resource]: ORDERS.scopes,
        [INVENTORY.resource]: INVENTORY.scopes,
        [REPORTS.resource]: { scopes: REPORTS.scopes, consent: false },
      },
    });
    const api = ({ resource }, name) => startApi({ issuer: op.issuer, corsOrigins: [web.origin], audience: resource, name });
    [ordersApi, inventoryApi, reportsApi] = await Promise.all([api(ORDERS, 'orders'), api(INVENTORY, 'inventory'), api(REPORTS, 'reports')]);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await Promise.all([web, op, ordersApi, inventoryApi, reportsApi].map((s) => s?.close()));
  });

  beforeEach(() => { apiTtl = 3600; });

  const servers = () => ({ web, op });
  const entry = (server, api, url = server.origin) => ({ url, scopes: api.scopes, resource: api.resource });
  const grantsSince = (since) => op.grantLog().slice(since);
  const refreshGrantsSince = (since) => grantsSince(since).filter((g) => g.grantType === 'refresh_token');

  /**
   * A fresh context whose demo is configured with `apis` (entries as in the AuthClient config) and
   * logged in through the OP. Returns the page and the authorization request's parameters.
   */
  async function loggedIn({ mode = 'fragment', storage, apis, extraScopes = [] }) {
    const page = await newPage(browser);
    const scopes = [...OIDC_SCOPES, ...apis.flatMap((a) => a.scopes), ...extraScopes];
    await openDemoWithSettings(page, servers(), {
      mode,
      provider: { scopes, apis, expiryMarginSeconds: MARGIN, ...(storage && { storage }) },
    });
    const authorize = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin !== op.issuer || url.pathname !== '/auth') return;
      authorize.push({ scope: url.searchParams.get('scope'), resource: url.searchParams.getAll('resource'), mode: url.searchParams.get('response_mode') });
    });
    await page.locator('#login').click();
    await signInAtOP(page, op);
    await waitForStatus(page, 'logged-in');
    return { page, authorize, scopes };
  }

  /** Both APIs' tokens minted once (two grants), with `ttl` seconds of life. */
  async function mintBoth(page, ttl = 3600) {
    apiTtl = ttl;
    const since = op.grantLog().length;
    const orders = await apiToken(page, ORDERS);
    const inventory = await apiToken(page, INVENTORY);
    apiTtl = 3600;
    assert.ok(orders.token && inventory.token, `API tokens: ${JSON.stringify([orders, inventory])}`);
    assert.equal(refreshGrantsSince(since).length, 2, 'one grant per API');
    return { orders: orders.token, inventory: inventory.token };
  }

  for (const mode of ['fragment', 'query']) {
    it(`one login asks consent for both APIs (scope + one resource per API); each API then gets its own token from one grant each, and refuses the other's (${mode})`, { timeout: TEST_TIMEOUT }, async () => {
      const grantsBefore = op.grantLog().length;
      const { page, authorize, scopes } = await loggedIn({ mode, apis: [entry(ordersApi, ORDERS), entry(inventoryApi, INVENTORY)] });
      try {
        assert.equal(authorize.length, 1, 'authorization requests');
        assert.deepEqual(scopeList(authorize[0].scope), scopeList(scopes), 'authorize scope: the config\'s scopes');
        assert.deepEqual(sorted(authorize[0].resource), sorted([ORDERS.resource, INVENTORY.resource]), 'one resource per API (RFC 8707 §2.1)');
        assert.equal(authorize[0].mode, mode);
        const [redeem] = grantsSince(grantsBefore);
        assert.deepEqual([redeem.grantType, redeem.status, redeem.resource], ['authorization_code', 200, null], 'the code redemption names no resource');
        const session = await sessionFingerprints(page);
        assert.equal(session.access, redeem.issued.access, 'getTokens(): the login\'s (UserInfo) token');

        await recordApiEvents(page);
        const since = op.grantLog().length;
        const orders = await apiToken(page, ORDERS);
        const inventory = await apiToken(page, INVENTORY);
        const grants = grantsSince(since);
        assert.deepEqual(grants.map((g) => [g.grantType, g.status, g.resource]), [
          ['refresh_token', 200, ORDERS.resource], ['refresh_token', 200, INVENTORY.resource],
        ], 'one refresh_token grant per API, with its resource');
        grants.forEach((g, i) => assert.deepEqual(scopeList(g.scope), scopeList([ORDERS, INVENTORY][i].scopes), 'the grant\'s scope: the API\'s scopes'));
        const newest = assertRefreshChain(grants, session.refresh, 'API grants');
        assert.deepEqual([orders.token, inventory.token], grants.map((g) => g.issued.access), 'each call got its grant\'s token');

        const now = await sessionFingerprints(page);
        assert.equal(now.access, session.access, 'getTokens() still holds the login\'s access token');
        assert.equal(now.refresh, newest, 'the session holds the newest refresh token');
        const [again] = await getAccessTokens(page).outcomes;
        assert.equal(again.token, session.access, 'getAccessToken() without arguments: the login\'s token');
        assert.deepEqual(await apiToken(page, { scopes: [...ORDERS.scopes].reverse(), resource: ORDERS.resource }), orders, 'the same scopes in another order: the cached token');
        assert.equal(op.grantLog().length, since + 2, 'cached tokens need no grant');

        const calls = await concurrentCalls(page, [{ fetch: `${ordersApi.origin}/orders` }, { fetch: `${inventoryApi.origin}/items` }]);
        assert.deepEqual(calls.map((c) => [c.status, c.body?.audience, c.body?.scope]), [
          [200, ORDERS.resource, ORDERS.scopes.join(' ')], [200, INVENTORY.resource, INVENTORY.scopes.join(' ')],
        ], 'auth.fetch attaches each API\'s own token');
        assert.equal(ordersApi.requests().at(-1).token, orders.token, 'the orders API saw the orders token');
        assert.equal(inventoryApi.requests().at(-1).token, inventory.token, 'the inventory API saw the inventory token');

        const crossed = [
          await callWithTokenOf(page, `${ordersApi.origin}/orders`, INVENTORY),
          await callWithTokenOf(page, `${inventoryApi.origin}/items`, ORDERS),
        ];
        for (const answer of crossed) {
          assert.equal(answer.status, 401, 'an API refuses the other API\'s token');
          assert.match(answer.challenge ?? '', /error="invalid_token", error_description="wrong audience"/);
        }
        assert.equal(op.grantLog().length, since + 2, 'no further grant');

        const changed = (await recordedApiEvents(page)).filter((e) => e.name === 'tokensChanged' && e.api)
          .map((e) => [sorted(e.api.scopes), e.api.resource]);
        for (const api of [ORDERS, INVENTORY]) {
          assert.ok(changed.some(([s, r]) => JSON.stringify(s) === JSON.stringify(sorted(api.scopes)) && r === api.resource), `tokensChanged names ${api.resource}: ${JSON.stringify(changed)}`);
        }
        assert.deepEqual(page.pageErrors, [], 'uncaught errors in the page');
      } finally {
        await page.context().close();
      }
    });
  }

  it(`${CONCURRENT} concurrent calls across two APIs (getAccessToken and auth.fetch) after their tokens expired: exactly 2 refresh POSTs, one per API, each presenting the newest refresh token`, { timeout: TEST_TIMEOUT }, async () => {
    const { page } = await loggedIn({ apis: [entry(ordersApi, ORDERS), entry(inventoryApi, INVENTORY)] });
    try {
      const old = await mintBoth(page, SHORT_TTL);
      await delay(SHORT_TTL * 1000 + 300);

      const before = await sessionFingerprints(page);
      const since = op.grantLog().length;
      const revokedBefore = op.grantsRevoked();
      const [ordersSince, inventorySince] = [ordersApi.requests().length, inventoryApi.requests().length];
      const outcomes = await concurrentCalls(page, mixedCalls(CONCURRENT, [
        { api: ORDERS, url: `${ordersApi.origin}/orders` }, { api: INVENTORY, url: `${inventoryApi.origin}/items` },
      ]));

      const grants = grantsSince(since);
      assert.equal(grants.length, 2, `token POSTs: ${JSON.stringify(grants.map((g) => [g.grantType, g.status, g.resource, g.error]))}`);
      assert.ok(grants.every((g) => g.grantType === 'refresh_token' && g.status === 200), 'two good refresh grants');
      assert.deepEqual(sorted(grants.map((g) => g.resource)), sorted([ORDERS.resource, INVENTORY.resource]), 'one per API');
      assertRefreshChain(grants, before.refresh, 'the two grants');
      const all = op.refreshTokenUses().filter(Boolean);
      assert.equal(new Set(all).size, all.length, 'no refresh token was ever presented twice');
      assert.equal(op.grantsRevoked() - revokedBefore, 0, 'grants revoked at the OP');

      const issued = Object.fromEntries(grants.map((g) => [g.resource, g.issued.access]));
      assert.notEqual(issued[ORDERS.resource], old.orders, 'a new orders token');
      const expected = mixedCalls(CONCURRENT, [{ api: ORDERS, url: 'orders' }, { api: INVENTORY, url: 'inventory' }]).map((call) => (
        call.token ? { token: issued[call.token.resource] }
          : { status: 200, audience: call.fetch === 'orders' ? ORDERS.resource : INVENTORY.resource }
      ));
      assert.deepEqual(outcomes.map((o) => ('token' in o ? { token: o.token } : { status: o.status, audience: o.body?.audience ?? o.error })), expected, 'every call got its API\'s new token');
      for (const [api, since0, resource] of [[ordersApi, ordersSince, ORDERS.resource], [inventoryApi, inventorySince, INVENTORY.resource]]) {
        const seen = api.requests().slice(since0);
        assert.equal(seen.length, CONCURRENT / 4, `${api.name} API requests (no retries)`);
        assert.ok(seen.every((r) => r.token === issued[resource] && r.status === 200), `${api.name} saw only its new token`);
      }
    } finally {
      await page.context().close();
    }
  });

  it('two tabs (storage: local) share the API tokens, and after expiry their concurrent calls cause 2 refresh POSTs in total, none replaying a refresh token', { timeout: TEST_TIMEOUT }, async () => {
    const apis = [entry(ordersApi, ORDERS), entry(inventoryApi, INVENTORY)];
    const { page: tabA } = await loggedIn({ storage: 'local', apis });
    const context = tabA.context();
    try {
      const tabB = await newTab(context);
      await openDemoWithSettings(tabB, servers(), { save: false, expect: 'logged-in' });
      const minted = await mintBoth(tabA, SHORT_TTL);
      const since0 = op.grantLog().length;
      assert.deepEqual(await concurrentCalls(tabB, [{ token: ORDERS }, { token: INVENTORY }]), [{ token: minted.orders }, { token: minted.inventory }], 'tab B uses the tokens tab A minted');
      assert.equal(op.grantLog().length, since0, 'tab B needed no grant');
      await delay(SHORT_TTL * 1000 + 300);

      const before = await sessionFingerprints(tabA);
      const since = op.grantLog().length;
      const revokedBefore = op.grantsRevoked();
      const hold = await holdRequests(context, `${op.issuer}/token`);
      const pair = [{ api: ORDERS, url: `${ordersApi.origin}/orders` }, { api: INVENTORY, url: `${inventoryApi.origin}/items` }];
      const runs = [tabA, tabB].map((tab) => concurrentCalls(tab, mixedCalls(CONCURRENT / 2, pair)));
      await until(() => hold.held() >= 1, 'the first token request');
      await delay(300); // the other tab's calls reach the lock meanwhile
      hold.release();
      const [outA, outB] = await Promise.all(runs);

      const grants = grantsSince(since);
      assert.equal(grants.length, 2, `token POSTs from both tabs: ${JSON.stringify(grants.map((g) => [g.status, g.resource, g.error]))}`);
      assert.deepEqual(sorted(grants.map((g) => g.resource)), sorted([ORDERS.resource, INVENTORY.resource]), 'one per API');
      assert.ok(grants.every((g) => g.status === 200), 'both grants succeeded');
      assertRefreshChain(grants, before.refresh, 'the tabs\' grants');
      assert.equal(op.grantsRevoked() - revokedBefore, 0, 'grants revoked at the OP');
      const issued = Object.fromEntries(grants.map((g) => [g.resource, g.issued.access]));
      for (const [tab, outcomes] of [['A', outA], ['B', outB]]) {
        const calls = mixedCalls(CONCURRENT / 2, pair);
        outcomes.forEach((o, i) => {
          if (calls[i].token) assert.equal(o.token, issued[calls[i].token.resource], `tab ${tab} call ${i}: the new token`);
          else assert.equal(o.status, 200, `tab ${tab} call ${i}: ${JSON.stringify(o)}`);
        });
      }
      await until(async () => (await sessionFingerprints(tabB)).refresh === (await sessionFingerprints(tabA)).refresh, 'both tabs to hold the newest refresh token');
    } finally {
      await context.close();
    }
  });

  it('consent missing for one API -> getAccessToken throws interaction_required (providerError invalid_scope, the API\'s scopes); the session and the other API keep working', { timeout: TEST_TIMEOUT }, async () => {
    const { page } = await loggedIn({ apis: [entry(ordersApi, ORDERS), entry(reportsApi, REPORTS)] });
    try {
      await recordApiEvents(page);
      const before = await sessionFingerprints(page);
      const since = op.grantLog().length;
      const revokedBefore = op.grantsRevoked();

      const refused = await apiToken(page, REPORTS);
      assert.equal(refused.error?.code, 'interaction_required', JSON.stringify(refused));
      assert.equal(refused.error.name, 'AuthError');
      assert.equal(refused.error.isError, true);
      assert.equal(refused.error.providerError, 'invalid_scope', 'providerError: what the OP answered');
      assert.deepEqual(sorted(refused.error.scopes ?? []), sorted(REPORTS.scopes), 'scopes: the API\'s');
      assert.deepEqual(grantsSince(since).map((g) => [g.status, g.error, g.resource]), [[400, 'invalid_scope', REPORTS.resource]]);

      assert.deepEqual(await sessionFingerprints(page), before, 'the session is untouched');
      assert.equal(await page.evaluate(() => window.demo.auth.isAuthenticated()), true, 'isAuthenticated()');
      const orders = await apiToken(page, ORDERS);
      assert.ok(orders.token, `the other API's token: ${JSON.stringify(orders)}`);
      const [fetched] = await concurrentCalls(page, [{ fetch: `${ordersApi.origin}/orders` }]);
      assert.equal(fetched.status, 200, 'the other API answers');
      const grants = grantsSince(since);
      assert.equal(grants.at(-1).presented, before.refresh, 'the refused request spent no refresh token: the same one served next');
      assert.equal(op.grantsRevoked() - revokedBefore, 0, 'grants revoked at the OP');
      assert.ok(!(await recordedApiEvents(page)).some((e) => e.name === 'loggedOut'), 'no logout');
      await waitForStatus(page, 'logged-in');
    } finally {
      await page.context().close();
    }
  });

  it('a 401 invalid_token from one API refreshes that API\'s token once and retries once; the other API\'s token stays', { timeout: TEST_TIMEOUT }, async () => {
    const { page } = await loggedIn({ apis: [entry(ordersApi, ORDERS), entry(inventoryApi, INVENTORY)] });
    try {
      const minted = await mintBoth(page);
      ordersApi.refuse(minted.orders);
      const since = op.grantLog().length;
      const apiSince = ordersApi.requests().length;

      const [answer] = await concurrentCalls(page, [{ fetch: `${ordersApi.origin}/orders` }]);
      assert.equal(answer.status, 200, JSON.stringify(answer));
      const grants = grantsSince(since);
      assert.deepEqual(grants.map((g) => [g.grantType, g.status, g.resource]), [['refresh_token', 200, ORDERS.resource]], 'one grant, for the refused API');
      assert.deepEqual(ordersApi.requests().slice(apiSince).map((r) => [r.token, r.status, r.refusal]), [
        [minted.orders, 401, 'revoked'], [grants[0].issued.access, 200, null],
      ], 'the refused token, then the new one');
      assert.deepEqual(await apiToken(page, INVENTORY), { token: minted.inventory }, 'the inventory token is the same');
      assert.equal(op.grantLog().length, since + 1, 'no further grant');
    } finally {
      await page.context().close();
    }
  });

  it('auth.fetch picks the apis entry with the longest URL prefix, whatever the order of the entries', { timeout: TEST_TIMEOUT }, async () => {
    const apis = [entry(ordersApi, INVENTORY), entry(ordersApi, ORDERS, `${ordersApi.origin}/orders/`)];
    const { page } = await loggedIn({ apis });
    try {
      const since = ordersApi.requests().length;
      const [answer] = await concurrentCalls(page, [{ fetch: `${ordersApi.origin}/orders/42` }]);
      assert.equal(answer.status, 200, `the /orders/ entry's token: ${JSON.stringify(answer)}`);
      assert.equal(answer.body?.audience, ORDERS.resource);
      const orders = await apiToken(page, ORDERS);
      assert.equal(ordersApi.requests()[since].token, orders.token, 'the first request carried the orders token');

      const inventory = await apiToken(page, INVENTORY);
      const shorter = ordersApi.requests().length;
      await concurrentCalls(page, [{ fetch: `${ordersApi.origin}/stock` }]);
      const [first] = ordersApi.requests().slice(shorter);
      assert.equal(first.token, inventory.token, 'outside /orders/ the shorter entry\'s (inventory) token is sent');
    } finally {
      await page.context().close();
    }
  });

  it('logout clears every token, the login\'s and each API\'s, from memory, localStorage, sessionStorage and IndexedDB', { timeout: TEST_TIMEOUT }, async () => {
    const { page } = await loggedIn({ storage: 'local', apis: [entry(ordersApi, ORDERS), entry(inventoryApi, INVENTORY)] });
    try {
      await mintBoth(page);
      assert.equal(await rememberTokenValues(page, [ORDERS, INVENTORY]), 5, 'login access, refresh and ID tokens, two API tokens');
      const stored = await tokenTraces(page);
      assert.ok(stored.local.length + stored.indexedDB.length > 0, 'the session was stored (storage: local)');

      await page.evaluate(() => window.demo.auth.logout({ redirect: false }));
      const since = op.grantLog().length;
      assert.equal(await sessionFingerprints(page), null, 'getTokens()');
      for (const api of [ORDERS, INVENTORY]) {
        const outcome = await apiToken(page, api);
        assert.ok(!outcome.token, `getAccessToken(${api.resource}) after logout: ${JSON.stringify(outcome)}`);
      }
      assert.deepEqual(await tokenTraces(page), { local: [], session: [], indexedDB: [], indexedDBRecords: 0 }, 'token values left in storage');
      const apiSince = ordersApi.requests().length;
      await concurrentCalls(page, [{ fetch: `${ordersApi.origin}/orders` }]);
      assert.ok(ordersApi.requests().slice(apiSince).every((r) => r.authorization === 'none'), 'auth.fetch sends no token after logout');
      assert.equal(op.grantLog().length, since, 'no token request after logout');
      await waitForStatus(page, 'logged-out');
    } finally {
      await page.context().close();
    }
  });
});

// =============================================================================================

describe('several APIs with Azure AD B2C (one resource per token)', { timeout: 12 * TEST_TIMEOUT }, () => {
  let app;
  let b2c;
  let browser;
  let ordersApi;
  let inventoryApi;

  before(async () => {
    assertPkgBuilt();
    app = await startB2CApp();
    b2c = await startB2C({ redirectUris: [app.redirectUri] });
    const api = (name) => startApi({
      issuer: b2c.issuer, audience: B2C_APIS[name].appId, jwksUri: b2c.legacy.jwksUri(POLICY), corsOrigins: [app.origin], name,
    });
    [ordersApi, inventoryApi] = await Promise.all([api('orders'), api('inventory')]);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await Promise.all([app, b2c, ordersApi, inventoryApi].map((s) => s?.close()));
  });

  beforeEach(() => b2c.reset());

  const apisConfig = () => [
    { url: ordersApi.origin, scopes: B2C_ORDERS.scopes },
    { url: inventoryApi.origin, scopes: B2C_INVENTORY.scopes },
  ];
  const config = (extra = {}) => legacyConfig(b2c, app, { expiryMarginSeconds: MARGIN, apis: apisConfig(), ...extra });
  const refreshesSince = (since) => b2c.tokenRequests.slice(since).filter((r) => r.grantType === 'refresh_token');

  async function loggedIn(extra) {
    const page = await newPage(browser);
    await openApp(page, app, config(extra));
    await loginAtB2C(page, b2c, app);
    return page;
  }

  /** Both APIs' tokens minted once, `lifetime` seconds of life. */
  async function mintBoth(page, lifetime) {
    if (lifetime) b2c.set({ apiAccessTokenLifetime: lifetime });
    const since = b2c.tokenRequests.length;
    const orders = await apiToken(page, B2C_ORDERS);
    const inventory = await apiToken(page, B2C_INVENTORY);
    b2c.set({ apiAccessTokenLifetime: undefined });
    assert.ok(orders.token && inventory.token, `API tokens: ${JSON.stringify([orders, inventory])}`);
    assert.equal(refreshesSince(since).length, 2, 'one grant per API');
    return { orders: orders.token, inventory: inventory.token };
  }

  for (const responseMode of ['fragment', 'query']) {
    it(`one login, then a token per API from one grant each (the API's scopes, the policy in ?p=, no resource): aud = that API, and each API refuses the other's (${responseMode})`, { timeout: TEST_TIMEOUT }, async () => {
      const page = await loggedIn({ responseMode });
      try {
        const [authorize] = b2c.authorizeRequests;
        assert.equal(authorize.error, undefined, `the tenant refused the login: ${authorize.error}`);
        assert.equal(authorize.params.response_mode, responseMode);
        assert.equal(authorize.counts.resource, undefined, 'no resource parameter at B2C');
        const session = await sessionFingerprints(page);
        await recordApiEvents(page);
        const since = b2c.tokenRequests.length;
        const orders = await apiToken(page, B2C_ORDERS);
        const inventory = await apiToken(page, B2C_INVENTORY);

        const grants = refreshesSince(since);
        assert.equal(grants.length, 2, 'one grant per API');
        grants.forEach((grant, i) => {
          const [name, api] = [['orders', B2C_ORDERS], ['inventory', B2C_INVENTORY]][i];
          assertTokenRequest(grant, { grantType: 'refresh_token', policy: POLICY, style: 'query' });
          assert.deepEqual(scopeList(grant.body.scope), scopeList(api.scopes), `${name}: scope = the API's scopes`);
          assert.ok(!grant.bodyKeys.includes('resource'), `${name}: no resource parameter`);
          assert.equal(grant.audience, B2C_APIS[name].appId, `${name}: the tenant issued a token for that API`);
        });
        assertRefreshChain(grants.map((g) => ({ presented: g.presented, issued: { refresh: g.issuedFp.refresh } })), session.refresh, 'API grants');
        assert.deepEqual([orders.token, inventory.token], grants.map((g) => g.issuedFp.access), 'each call got its grant\'s token');
        assert.equal((await sessionFingerprints(page)).access, session.access, 'getTokens() still holds the login\'s token');
        assert.equal((await sessionFingerprints(page)).refresh, grants[1].issuedFp.refresh, 'the newest refresh token is kept');

        const calls = await concurrentCalls(page, [{ fetch: `${ordersApi.origin}/orders` }, { fetch: `${inventoryApi.origin}/items` }]);
        assert.deepEqual(calls.map((c) => [c.status, c.body?.audience, c.body?.scope]), [
          [200, B2C_APIS.orders.appId, B2C_APIS.orders.scopes.join(' ')], [200, B2C_APIS.inventory.appId, B2C_APIS.inventory.scopes.join(' ')],
        ], 'auth.fetch attaches each API\'s own token');
        for (const answer of [
          await callWithTokenOf(page, `${ordersApi.origin}/orders`, B2C_INVENTORY),
          await callWithTokenOf(page, `${inventoryApi.origin}/items`, B2C_ORDERS),
        ]) {
          assert.equal(answer.status, 401, 'an API refuses the other API\'s token');
          assert.match(answer.challenge ?? '', /error="invalid_token", error_description="wrong audience"/);
        }
        assert.equal(b2c.tokenRequests.length, since + 2, 'no further token request');
        const changed = (await recordedApiEvents(page)).filter((e) => e.name === 'tokensChanged' && e.api).map((e) => sorted(e.api.scopes).join(' '));
        for (const api of [B2C_ORDERS, B2C_INVENTORY]) assert.ok(changed.includes(sorted(api.scopes).join(' ')), `tokensChanged names ${api.scopes[0]}`);
        assert.deepEqual(page.pageErrors, [], 'uncaught errors in the page');
      } finally {
        await page.context().close();
      }
    });
  }

  it(`${CONCURRENT} concurrent calls across two B2C APIs after their tokens expired: exactly 2 refresh POSTs (one per API, the policy on each), no refresh token presented twice`, { timeout: TEST_TIMEOUT }, async () => {
    const page = await loggedIn();
    try {
      await mintBoth(page, SHORT_TTL);
      await delay(SHORT_TTL * 1000 + 300);
      const before = await sessionFingerprints(page);
      const since = b2c.tokenRequests.length;
      const pair = [{ api: B2C_ORDERS, url: `${ordersApi.origin}/orders` }, { api: B2C_INVENTORY, url: `${inventoryApi.origin}/items` }];
      const outcomes = await concurrentCalls(page, mixedCalls(CONCURRENT, pair));

      const requests = b2c.tokenRequests.slice(since);
      assert.equal(requests.length, 2, `token POSTs: ${JSON.stringify(requests.map((r) => [r.grantType, r.status, r.body?.scope]))}`);
      for (const request of requests) assertTokenRequest(request, { grantType: 'refresh_token', policy: POLICY, style: 'query' });
      assert.deepEqual(sorted(requests.map((r) => r.audience)), sorted([B2C_APIS.orders.appId, B2C_APIS.inventory.appId]), 'one per API');
      assertRefreshChain(requests.map((r) => ({ presented: r.presented, issued: { refresh: r.issuedFp.refresh } })), before.refresh, 'the two grants');
      const issued = Object.fromEntries(requests.map((r) => [r.audience, r.issuedFp.access]));
      const calls = mixedCalls(CONCURRENT, pair);
      outcomes.forEach((o, i) => {
        if (calls[i].token) assert.equal(o.token, issued[calls[i].token === B2C_ORDERS ? B2C_APIS.orders.appId : B2C_APIS.inventory.appId], `call ${i}: the new token`);
        else assert.equal(o.status, 200, `call ${i}: ${JSON.stringify(o)}`);
      });
    } finally {
      await page.context().close();
    }
  });

  it('two tabs (storage: local) at B2C: after expiry their concurrent calls cause 2 refresh POSTs in total, none replaying a refresh token (AADB2C90129 never seen)', { timeout: TEST_TIMEOUT }, async () => {
    const tabA = await loggedIn({ storage: 'local' });
    const context = tabA.context();
    try {
      const tabB = await newTab(context);
      await openApp(tabB, app, config({ storage: 'local' }));
      assert.ok(await sessionFingerprints(tabB), 'tab B shares the session');
      await mintBoth(tabA, SHORT_TTL);
      await delay(SHORT_TTL * 1000 + 300);

      const before = await sessionFingerprints(tabA);
      const since = b2c.tokenRequests.length;
      const hold = await holdRequests(context, `${b2c.legacy.tokenEndpoint}?p=${POLICY}`);
      const pair = [{ api: B2C_ORDERS, url: `${ordersApi.origin}/orders` }, { api: B2C_INVENTORY, url: `${inventoryApi.origin}/items` }];
      const runs = [tabA, tabB].map((tab) => concurrentCalls(tab, mixedCalls(CONCURRENT / 2, pair)));
      await until(() => hold.held() >= 1, 'the first token request');
      await delay(300);
      hold.release();
      const outcomes = (await Promise.all(runs)).flat();

      const requests = b2c.tokenRequests.slice(since);
      assert.equal(requests.length, 2, `token POSTs from both tabs: ${JSON.stringify(requests.map((r) => [r.status, r.response?.error_description?.slice(0, 12)]))}`);
      assert.ok(requests.every((r) => r.status === 200), 'both accepted (a replay would be AADB2C90129)');
      assertRefreshChain(requests.map((r) => ({ presented: r.presented, issued: { refresh: r.issuedFp.refresh } })), before.refresh, 'the tabs\' grants');
      assert.ok(outcomes.every((o) => o.token || o.status === 200), `every call succeeded: ${JSON.stringify(outcomes.filter((o) => !o.token && o.status !== 200))}`);
    } finally {
      await context.close();
    }
  });

  it('a B2C scope list spanning two resources is refused before anything is sent: invalid_config, from getAccessToken and from new AuthClient', { timeout: TEST_TIMEOUT }, async () => {
    const page = await loggedIn();
    try {
      const since = b2c.tokenRequests.length;
      const mixed = await apiToken(page, { scopes: [B2C_ORDERS.scopes[0], B2C_INVENTORY.scopes[0]] });
      assert.equal(mixed.error?.code, 'invalid_config', JSON.stringify(mixed));
      assert.equal(mixed.error.name, 'AuthError');
      const withClientId = await apiToken(page, { scopes: [B2C_CLIENT_ID, B2C_ORDERS.scopes[0]] });
      assert.equal(withClientId.error?.code, 'invalid_config', `the client id is a resource of its own: ${JSON.stringify(withClientId)}`);
      assert.equal(b2c.tokenRequests.length, since, 'no token request was sent');

      const construct = await page.evaluate((bad) => {
        try {
          new window.app.AuthClient(bad).free();
          return null;
        } catch (e) {
          return window.app.describe(e);
        }
      }, config({ apis: [{ url: ordersApi.origin, scopes: [...B2C_ORDERS.scopes, ...B2C_INVENTORY.scopes] }] }));
      assert.equal(construct?.code, 'invalid_config', `an apis entry mixing two resources: ${JSON.stringify(construct)}`);
      assert.equal(b2c.tokenRequests.length, since, 'still no token request');
      assert.ok(await sessionFingerprints(page), 'the session stays');
    } finally {
      await page.context().close();
    }
  });

  it('no permission for one B2C API (AADB2C90205) -> interaction_required carrying the tenant\'s error; the session and the other API keep working', { timeout: TEST_TIMEOUT }, async () => {
    const page = await loggedIn();
    try {
      const before = await sessionFingerprints(page);
      b2c.set({ missingPermissions: B2C_INVENTORY.scopes });
      const refused = await apiToken(page, B2C_INVENTORY);
      assert.ok(refused.error, `getAccessToken() for the API without permission: ${JSON.stringify(refused)}`);
      assert.equal(refused.error.b2cCode, 'AADB2C90205');
      assert.deepEqual(await sessionFingerprints(page), before, 'the session is untouched');
      const [orders] = await concurrentCalls(page, [{ fetch: `${ordersApi.origin}/orders` }]);
      assert.equal(orders.status, 200, `the other API: ${JSON.stringify(orders)}`);
      const last = b2c.tokenRequestsOf('refresh_token').at(-1);
      assert.equal(last.presented, before.refresh, 'the refused request spent no refresh token');

      // B2C says "no consent" with invalid_request + AADB2C90205, not invalid_scope: the
      // remedy (consent for that API) is the same, so the code is too.
      assert.equal(refused.error.code, 'interaction_required', JSON.stringify(refused));
      assert.equal(refused.error.providerError, 'invalid_request', 'providerError: what the tenant answered');
      assert.deepEqual(sorted(refused.error.scopes ?? []), sorted(B2C_INVENTORY.scopes), 'scopes: the API\'s');
    } finally {
      await page.context().close();
    }
  });

  it('logout clears every B2C token (login and APIs) from memory, localStorage, sessionStorage and IndexedDB', { timeout: TEST_TIMEOUT }, async () => {
    const page = await loggedIn({ storage: 'local' });
    try {
      await mintBoth(page);
      assert.equal(await rememberTokenValues(page, [B2C_ORDERS, B2C_INVENTORY]), 5, 'login access, refresh and ID tokens, two API tokens');
      await page.evaluate(() => window.app.auth.logout({ redirect: false }));
      const since = b2c.tokenRequests.length;
      assert.equal(await sessionFingerprints(page), null, 'getTokens()');
      for (const api of [B2C_ORDERS, B2C_INVENTORY]) {
        const outcome = await apiToken(page, api);
        assert.ok(!outcome.token, `getAccessToken() after logout: ${JSON.stringify(outcome)}`);
      }
      assert.deepEqual(await tokenTraces(page), { local: [], session: [], indexedDB: [], indexedDBRecords: 0 }, 'token values left in storage');
      assert.equal(b2c.tokenRequests.length, since, 'no token request after logout');
    } finally {
      await page.context().close();
    }
  });
});
