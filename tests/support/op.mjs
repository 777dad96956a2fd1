// A real OpenID Provider (oidc-provider) on localhost, for the demo and the e2e tests.
//
// One public client (no secret, PKCE S256 required), authorization code + refresh token,
// dev interactions: any login/password is accepted, the login name becomes `sub`.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

import { closer, listen } from './listen.mjs';

// oidc-provider prints "development-only" notices on import and construction (and one
// for Node 20); they are expected for a local test OP, so keep them off the console.
function quietly(fn) {
  const original = { warn: console.warn, info: console.info };
  const filter = (print) => (...args) => {
    if (typeof args[0] === 'string' && /oidc-provider (WARNING|NOTICE)/.test(args[0])) return;
    print(...args);
  };
  console.warn = filter(original.warn);
  console.info = filter(original.info);
  const restore = () => Object.assign(console, original);
  try {
    const result = fn();
    if (result instanceof Promise) return result.finally(restore);
    restore();
    return result;
  } catch (err) {
    restore();
    throw err;
  }
}

const { default: Provider } = await quietly(() => import('oidc-provider'));

const DAY = 24 * 60 * 60;

function signingKeys() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { keys: [{ ...jwk, kid: randomUUID(), alg: 'RS256', use: 'sig' }] };
}

function account(accountId) {
  return {
    accountId,
    async claims() {
      const email = accountId.includes('@') ? accountId : `${accountId}@example.com`;
      return { sub: accountId, name: accountId, email, email_verified: false };
    },
  };
}

const escapeHtml = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function configuration({ clientId, redirectUris, postLogoutRedirectUris, corsOrigins, accessTokenTtl }) {
  return {
    clients: [{
      client_id: clientId,
      application_type: 'web',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: redirectUris,
      post_logout_redirect_uris: postLogoutRedirectUris,
    }],
    responseTypes: ['code'],
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'] },
    // Put the profile/email claims into the ID token too, so the demo can show them.
    conformIdTokenClaims: false,
    findAccount: (_ctx, id) => account(id),
    jwks: signingKeys(),
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    features: { devInteractions: { enabled: true } },
    // The token POST comes from the page's origin (another port): allow exactly those origins.
    clientBasedCORS: (_ctx, origin, client) => client.clientId === clientId && corsOrigins.includes(origin),
    // oidc-provider drops offline_access unless prompt=consent; issue refresh tokens anyway.
    issueRefreshToken: async (_ctx, client) => client.clientId === clientId && client.grantTypeAllowed('refresh_token'),
    ttl: {
      AccessToken: accessTokenTtl,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 14 * DAY,
      Interaction: 3600,
      Session: 14 * DAY,
      Grant: 14 * DAY,
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = `<!DOCTYPE html><meta charset="utf-8"><title>OP error</title>`
        + `<h1 id="op-error">${escapeHtml(out.error)}</h1><p>${escapeHtml(out.error_description)}</p>`;
    },
  };
}

/**
 * Starts the OP. `port: 0` picks a free port. The issuer is exactly `http://localhost:<port>`.
 * @returns {Promise<{ issuer: string, port: number, close(): Promise<void>, tokenRequests(): number }>}
 */
export async function startOP({
  port = 0,
  redirectUris,
  postLogoutRedirectUris = redirectUris,
  corsOrigins = [...new Set(redirectUris.map((uri) => new URL(uri).origin))],
  clientId = 'spa-demo',
  accessTokenTtl = 3600,
} = {}) {
  if (!redirectUris?.length) throw new TypeError('startOP: redirectUris is required');

  // The issuer must be known before the provider exists: bind the port first.
  const server = createServer();
  const boundPort = await listen(server, port);
  const issuer = `http://localhost:${boundPort}`;

  const provider = quietly(() => new Provider(issuer, configuration({
    clientId, redirectUris, postLogoutRedirectUris, corsOrigins, accessTokenTtl,
  })));

  let tokenPosts = 0;
  provider.use(async (ctx, next) => {
    if (ctx.method === 'POST' && ctx.path === '/token') tokenPosts += 1;
    await next();
  });

  server.on('request', quietly(() => provider.callback()));

  return {
    issuer,
    port: boundPort,
    tokenRequests: () => tokenPosts,
    close: closer(server),
  };
}
