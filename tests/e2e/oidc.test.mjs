// OpenID Connect against the real OP: discovery-only configuration, the user's claims, RFC 9207
// `iss` checks, ID token verification (forged tokens intercepted on their way to the page) and
// logout at the provider.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';

import { editResponseOnConsent } from './authorization-response.mjs';
import {
  TEST_TIMEOUT, assertLoginRejected, callbackParamsIn, demoEnvironment, isInteraction,
  loginThroughDemo, newPage, openDemo, readAuth, readStatus, signInAtOP, waitForStatus,
} from './helpers.mjs';
import { decodeJwt, editIdTokens, resignedWith, signedByStranger } from './id-token.mjs';

const CLIENT_ID = 'spa-demo';
const ENDPOINT_OPTIONS = [
  'metadataUrl', 'issuer', 'authorizationEndpoint', 'tokenEndpoint', 'endSessionEndpoint', 'jwksUri',
];

/** From now on, records the page's navigations to the OP; returns a function listing their URLs. */
function watchOPNavigations(page, { op }) {
  const seen = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (request.isNavigationRequest() && url.origin === op.issuer) seen.push(url);
  });
  return () => [...seen];
}


const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Forged ID tokens, each with the rule that must refuse it (as the error message says). */
const FORGERIES = [
  { name: 'a bad signature', edit: () => signedByStranger(), message: /bad signature/ },
  {
    name: 'another audience',
    edit: (op) => resignedWith(op, (c) => ({ ...c, aud: 'another-client' })),
    message: /aud/,
  },
  {
    name: 'an expiry long past',
    edit: (op) => resignedWith(op, (c) => ({ ...c, iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 })),
    message: /expired/,
  },
  {
    name: 'another login\'s nonce',
    edit: (op) => resignedWith(op, (c) => ({ ...c, nonce: randomBytes(32).toString('base64url') })),
    message: /nonce/,
  },
];

describe('OpenID Connect', { timeout: 11 * TEST_TIMEOUT }, () => {
  const env = demoEnvironment();

  /** Runs `test(page)` on a fresh page showing the logged-out demo; closes it afterwards. */
  async function withDemo(settings, test) {
    const page = await newPage(env.browser);
    try {
      await openDemo(page, env.servers, settings);
      await test(page);
    } finally {
      await page.context().close();
    }
  }

  it('logs in with discovery only; getUser() has the ID token claims, getUserInfo() the same sub', {
    timeout: TEST_TIMEOUT,
  }, () => (
    withDemo({}, async (page) => {
      const config = await page.evaluate(() => window.demo.config);
      assert.equal(config.authority, env.servers.op.issuer);
      assert.deepEqual(ENDPOINT_OPTIONS.filter((key) => key in config), [], 'explicit endpoints in the config');
      const navigations = watchOPNavigations(page, env.servers);

      await loginThroughDemo(page, env.servers, { login: 'carol' });
      await waitForStatus(page, 'logged-in');

      const { user, idToken } = await page.evaluate(() => ({
        user: window.demo.auth.getUser(),
        idToken: window.demo.auth.getTokens().idToken,
      }));
      assert.deepEqual(user, decodeJwt(idToken).claims, 'getUser() gives the ID token\'s claims');
      assert.equal(user.sub, 'carol', 'sub is the login name');
      assert.equal(user.iss, env.servers.op.issuer);
      assert.equal(user.aud, CLIENT_ID);
      assert.equal(typeof user.nonce, 'string');
      const authorize = navigations().filter((url) => url.pathname === '/auth');
      assert.equal(authorize.length, 1, 'authorization requests');
      assert.ok(user.nonce === authorize[0].searchParams.get('nonce'), 'the nonce is the one the login sent');

      const info = await page.evaluate(() => window.demo.auth.getUserInfo());
      assert.equal(info.sub, 'carol');
      assert.equal(info.email, 'carol@example.com', 'the email scope was granted');
    })
  ));

  it('asks for the JWKS beside the code redemption, not once its answer is in (one round trip less)', {
    timeout: TEST_TIMEOUT,
  }, () => (
    withDemo({}, async (page) => {
      const metadata = await (await fetch(`${env.servers.op.issuer}/.well-known/openid-configuration`)).json();
      let jwksAsked;
      const jwksRequest = new Promise((resolve) => { jwksAsked = resolve; });
      page.on('request', (request) => {
        if (request.url() === metadata.jwks_uri) jwksAsked();
      });
      // The token endpoint's answer waits for the JWKS request, 5 s at most: a client that asks
      // for the keys only once it has the tokens makes it wait those 5 s, and fails here.
      let answerHeldUntilJwks = null;
      await page.route(metadata.token_endpoint, async (route) => {
        answerHeldUntilJwks = await Promise.race([jwksRequest.then(() => true), delay(5000).then(() => false)]);
        await route.continue();
      });
      await loginThroughDemo(page, env.servers);
      await waitForStatus(page, 'logged-in');
      assert.equal(answerHeldUntilJwks, true, 'the JWKS request went out while the code was being redeemed');
      assert.equal((await readAuth(page)).tokens.idToken, true, 'the ID token was verified and kept');
    })
  ));

  const issuerEdits = [
    { name: 'a forged iss', mode: 'fragment', edit: (params) => params.set('iss', 'http://localhost:1') },
    { name: 'no iss', mode: 'query', edit: (params) => params.delete('iss') },
  ];
  for (const { name, mode, edit } of issuerEdits) {
    it(`rejects a response with ${name} (${mode}) without redeeming the code`, { timeout: TEST_TIMEOUT }, () => (
      withDemo({ mode }, async (page) => {
        const tokenPostsBefore = env.servers.op.tokenRequests();
        let edited;
        await loginThroughDemo(page, env.servers, {
          beforeConsent: async () => { edited = await editResponseOnConsent(page, env.servers, edit); },
        });
        await assertLoginRejected(page, env.servers, { code: 'issuer_mismatch', tokenPostsBefore });
        assert.equal(edited(), 1, 'edited responses');
      })
    ));
  }

  // The control for the forgeries below: re-signing itself is right, so their failures come
  // from the claim or signature they change.
  it('accepts an ID token re-signed with the OP\'s key and unchanged claims', { timeout: TEST_TIMEOUT }, () => (
    withDemo({}, async (page) => {
      const edited = await editIdTokens(page, env.servers, resignedWith(env.servers.op));
      await loginThroughDemo(page, env.servers);
      await waitForStatus(page, 'logged-in');
      assert.equal(edited(), 1, 'edited ID tokens');
      assert.equal((await readAuth(page)).tokens?.idToken, true);
    })
  ));

  for (const { name, edit, message } of FORGERIES) {
    it(`rejects an ID token with ${name} (invalid_id_token), storing nothing`, { timeout: TEST_TIMEOUT }, () => (
      withDemo({}, async (page) => {
        const edited = await editIdTokens(page, env.servers, edit(env.servers.op));
        const tokenPostsBefore = env.servers.op.tokenRequests();
        await loginThroughDemo(page, env.servers);
        await assertLoginRejected(page, env.servers, { code: 'invalid_id_token', message, tokenPostsBefore, tokenPosts: 1 });
        assert.equal(edited(), 1, 'edited ID tokens');
      })
    ));
  }

  // The control for the next test: while the provider's session lives, a login needs no form.
  it('a local logout leaves the provider session: the next login asks nothing', { timeout: TEST_TIMEOUT }, () => (
    withDemo({}, async (page) => {
      await loginThroughDemo(page, env.servers);
      await waitForStatus(page, 'logged-in');
      await page.locator('#logout').click();
      await waitForStatus(page, 'logged-out');

      const navigations = watchOPNavigations(page, env.servers);
      await page.locator('#login').click();
      await waitForStatus(page, 'logged-in');
      assert.equal(navigations().filter((url) => url.pathname === '/auth').length, 1, 'authorization requests');
      assert.deepEqual(navigations().filter(isInteraction(env.servers.op)), [], 'login or consent pages shown by the OP');
    })
  ));

  it('logout at the provider ends its session and returns to a clean, logged-out page', {
    timeout: TEST_TIMEOUT,
  }, () => (
    withDemo({}, async (page) => {
      const { web, op } = env.servers;
      await loginThroughDemo(page, env.servers);
      await waitForStatus(page, 'logged-in');
      const navigations = watchOPNavigations(page, env.servers);

      await page.locator('#logout-everywhere').click();
      await page.getByRole('button', { name: 'Yes, sign me out' }).click();
      await page.waitForURL((url) => url.origin === web.origin);
      await waitForStatus(page, 'logged-out');

      const sent = navigations().find((url) => url.pathname === '/session/end')?.searchParams;
      assert.ok(sent, 'the page went to the end-session endpoint');
      assert.equal(sent.get('post_logout_redirect_uri'), `${web.origin}/`);
      assert.equal(sent.get('client_id'), CLIENT_ID);
      assert.ok(sent.has('id_token_hint') && sent.has('state'), 'id_token_hint and state sent');
      assert.equal(page.url(), `${web.origin}/`, 'the URL is clean');
      assert.deepEqual(await readStatus(page), { status: 'logged-out', error: null, message: '' });
      assert.equal((await readAuth(page)).tokens, null, 'getTokens()');

      // The provider's session is gone: a new login asks for the user's name again.
      await page.locator('#login').click();
      await signInAtOP(page, op, { login: 'dave' });
      assert.ok(navigations().some(isInteraction(op)), 'the OP showed its login page');
      await waitForStatus(page, 'logged-in');
      assert.equal((await page.evaluate(() => window.demo.auth.getUser())).sub, 'dave');
      assert.deepEqual(callbackParamsIn(page.url()), []);
    })
  ));
});
