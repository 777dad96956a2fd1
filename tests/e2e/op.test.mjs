// The local OP itself, driven by hand (PKCE computed here, no wasm): checks the assumptions
// the demo and the page tests make about it, so a failure there points at the right side.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import {
  TEST_TIMEOUT, cancelAtOP, launchBrowser, newPage, signInAtOP, startServers,
} from './helpers.mjs';

const CLIENT_ID = 'spa-demo';

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

function authorizeUrl(op, { redirectUri, challenge, state, responseMode }) {
  const url = new URL('/auth', op.issuer);
  url.search = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: 'openid profile email offline_access',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    nonce: randomBytes(16).toString('base64url'),
    response_mode: responseMode,
  }).toString();
  return url.href;
}

/** Drives the browser from the authorize URL to the redirect; returns the response parameters. */
async function authorize(browser, servers, { responseMode, act }) {
  const { web, op } = servers;
  const page = await newPage(browser);
  try {
    // Answer the redirect with an empty page: this test does not need the demo.
    await page.route(`${web.origin}/**`, (route) => route.fulfill({ contentType: 'text/html', body: '' }));
    const { verifier, challenge } = pkce();
    const state = randomBytes(16).toString('base64url');
    await page.goto(authorizeUrl(op, { redirectUri: `${web.origin}/`, challenge, state, responseMode }));
    await act(page, op);
    await page.waitForURL((url) => url.origin === web.origin);
    const url = new URL(page.url());
    const params = new URLSearchParams(responseMode === 'fragment' ? url.hash.slice(1) : url.search);
    return { params, verifier, state };
  } finally {
    await page.context().close();
  }
}

function tokenRequest(op, origin, body) {
  return fetch(new URL('/token', op.issuer), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
    body: new URLSearchParams({ client_id: CLIENT_ID, ...body }),
  });
}

/** A login at the OP (query mode) and the code redeemed: the token response's JSON. */
async function signedInTokens(browser, servers) {
  const { op, web } = servers;
  const { params, verifier } = await authorize(browser, servers, { responseMode: 'query', act: signInAtOP });
  const res = await tokenRequest(op, web.origin, {
    grant_type: 'authorization_code', code: params.get('code'), redirect_uri: `${web.origin}/`, code_verifier: verifier,
  });
  assert.equal(res.status, 200, `token endpoint: ${res.status}`);
  return res.json();
}

const refreshWith = (servers, refreshToken) => tokenRequest(servers.op, servers.web.origin, {
  grant_type: 'refresh_token', refresh_token: refreshToken,
});

const userInfoStatus = async (op, accessToken) => (await fetch(`${op.issuer}/me`, {
  headers: { Authorization: `Bearer ${accessToken}` },
})).status;

describe('local OP (oidc-provider)', { timeout: 8 * TEST_TIMEOUT }, () => {
  let servers;
  let browser;

  before(async () => {
    servers = await startServers();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await servers?.close();
  });

  it('publishes discovery for an issuer without trailing slash', { timeout: TEST_TIMEOUT }, async () => {
    const { op } = servers;
    assert.match(op.issuer, /^http:\/\/localhost:\d+$/);
    const res = await fetch(`${op.issuer}/.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    const meta = await res.json();
    assert.equal(meta.issuer, op.issuer);
    assert.equal(meta.authorization_endpoint, `${op.issuer}/auth`);
    assert.equal(meta.token_endpoint, `${op.issuer}/token`);
    assert.equal(meta.authorization_response_iss_parameter_supported, true);
    assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
    assert.ok(meta.end_session_endpoint);
    for (const scope of ['openid', 'offline_access', 'profile', 'email']) {
      assert.ok(meta.scopes_supported.includes(scope), scope);
    }
  });

  it('allows CORS to the token endpoint for the page origin only', { timeout: TEST_TIMEOUT }, async () => {
    const { op, web } = servers;
    const preflight = (origin) => fetch(`${op.issuer}/token`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
    });
    const allowed = await preflight(web.origin);
    assert.equal(allowed.headers.get('access-control-allow-origin'), web.origin);
    const res = await tokenRequest(op, 'http://localhost:1', { grant_type: 'authorization_code', code: 'x' });
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });

  for (const responseMode of ['fragment', 'query']) {
    it(`issues code (${responseMode}) -> tokens incl. refresh token, with PKCE`, { timeout: TEST_TIMEOUT }, async () => {
      const { op, web } = servers;
      const { params, verifier, state } = await authorize(browser, servers, { responseMode, act: signInAtOP });
      assert.equal(params.get('state'), state);
      assert.equal(params.get('iss'), op.issuer);
      assert.ok(params.get('code'));

      const before = op.tokenRequests();
      const redeem = (extra) => tokenRequest(op, web.origin, {
        grant_type: 'authorization_code', code: params.get('code'), redirect_uri: `${web.origin}/`, ...extra,
      });
      assert.equal((await redeem({})).status, 400, 'PKCE must be required');
      const res = await redeem({ code_verifier: verifier });
      assert.equal(res.status, 200, `token endpoint: ${res.status}`);
      assert.equal(res.headers.get('access-control-allow-origin'), web.origin);
      const tokens = await res.json();
      assert.equal(tokens.token_type, 'Bearer');
      assert.equal(tokens.expires_in, 3600);
      assert.ok(tokens.access_token && tokens.id_token && tokens.refresh_token);
      const idClaims = JSON.parse(Buffer.from(tokens.id_token.split('.')[1], 'base64url'));
      assert.equal(idClaims.iss, op.issuer);
      assert.equal(idClaims.sub, 'alice');
      assert.equal(idClaims.aud, CLIENT_ID);
      assert.equal(idClaims.email, 'alice@example.com');
      assert.equal(op.tokenRequests(), before + 2);

      const refreshed = await tokenRequest(op, web.origin, {
        grant_type: 'refresh_token', refresh_token: tokens.refresh_token,
      });
      assert.equal(refreshed.status, 200);
      const rotated = await refreshed.json();
      assert.ok(rotated.access_token && rotated.refresh_token);
    });
  }

  it('rotates refresh tokens: a replayed one is refused and revokes the whole grant', { timeout: TEST_TIMEOUT }, async () => {
    const { op } = servers;
    const tokens = await signedInTokens(browser, servers);
    const first = await refreshWith(servers, tokens.refresh_token);
    assert.equal(first.status, 200);
    const rotated = await first.json();
    assert.ok(rotated.refresh_token && rotated.refresh_token !== tokens.refresh_token, 'a new refresh token');

    const revokedBefore = op.grantsRevoked();
    const replay = await refreshWith(servers, tokens.refresh_token);
    assert.equal(replay.status, 400);
    assert.equal((await replay.json()).error, 'invalid_grant');
    assert.equal(op.grantsRevoked() - revokedBefore, 1, 'grants revoked by the replay');
    assert.equal((await refreshWith(servers, rotated.refresh_token)).status, 400, 'the rotated token died with the grant');
    assert.deepEqual(op.tokenLog().slice(-3), [
      { grantType: 'refresh_token', status: 200 },
      { grantType: 'refresh_token', status: 400 },
      { grantType: 'refresh_token', status: 400 },
    ]);
  });

  it('forgets one access token on request; revocation of a refresh token ends its grant', { timeout: TEST_TIMEOUT }, async () => {
    const { op } = servers;
    const tokens = await signedInTokens(browser, servers);
    assert.equal(await userInfoStatus(op, tokens.access_token), 200);

    await op.forgetAccessToken(tokens.access_token);
    assert.equal(await userInfoStatus(op, tokens.access_token), 401, 'userinfo with the forgotten access token');
    const refreshed = await refreshWith(servers, tokens.refresh_token);
    assert.equal(refreshed.status, 200, 'the refresh token outlives the forgotten access token');
    const next = await refreshed.json();

    await op.revokeToken(next.refresh_token, 'refresh_token');
    assert.equal((await refreshWith(servers, next.refresh_token)).status, 400, 'refresh with the revoked token');
    assert.equal(await userInfoStatus(op, next.access_token), 401, 'its access token went with the grant');
  });

  it('answers error=access_denied when the user cancels at the login page', { timeout: TEST_TIMEOUT }, async () => {
    const { op } = servers;
    const before = op.tokenRequests();
    const { params, state } = await authorize(browser, servers, { responseMode: 'query', act: cancelAtOP });
    assert.equal(params.get('error'), 'access_denied');
    assert.equal(params.get('state'), state);
    assert.equal(params.get('iss'), op.issuer);
    assert.equal(params.has('code'), false);
    assert.equal(op.tokenRequests(), before);
  });
});
