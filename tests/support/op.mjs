// A real OpenID Provider (oidc-provider) on localhost, for the demo and the e2e tests.
//
// One public client (no secret, PKCE S256 required), authorization code + refresh token
// (rotated on every use; replaying a used one revokes the whole grant), dev interactions: any
// login/password is accepted, the login name becomes `sub`. Token revocation (RFC 7009) on.
//
// Resource indicators (RFC 8707), opt in with `resources`: an authorization request may name
// resource servers (`resource=<uri>`, repeatable) and ask for their scopes; a token request with
// `resource=<uri>` (and a `scope` of that server's scopes) then gets a JWT access token
// (RFC 9068, `typ: at+jwt`, RS256 with the OP's key) whose `aud` is that resource and whose
// `scope` is the server's scopes asked for. A token request WITHOUT `resource` whose scope holds
// `openid` (the login's code redemption, a plain refresh) keeps getting the opaque UserInfo
// access token, as without resources.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

import { fingerprint } from './fingerprint.mjs';
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

const { default: Provider, errors } = await quietly(() => import('oidc-provider'));

const DAY = 24 * 60 * 60;

/** The OP's one signing key: an RSA private JWK with its kid. */
function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
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

/**
 * `accessTokenTtl` as oidc-provider's ttl function: a number, or seconds per grant type (and
 * resource, the second argument: undefined for a UserInfo token). A resource's own
 * `accessTokenTtl` (see startOP) comes first.
 */
function accessTokenTtlOf(accessTokenTtl) {
  return (ctx, token) => {
    const ownTtl = token?.resourceServer?.accessTokenTTL;
    if (ownTtl) return ownTtl;
    if (typeof accessTokenTtl !== 'function') return accessTokenTtl;
    return accessTokenTtl(ctx?.oidc?.params?.grant_type, token?.resourceServer?.identifier());
  };
}

/** `startOP`'s `resources`, checked: identifier -> { scopes, accessTokenTtl?, consent }. */
function resourceServers(resources = {}) {
  const servers = new Map();
  for (const [identifier, value] of Object.entries(resources)) {
    const { scopes, accessTokenTtl, consent = true } = Array.isArray(value) ? { scopes: value } : value;
    const url = URL.parse(identifier);
    if (!url || url.hash) throw new TypeError(`startOP: resource ${identifier} must be an absolute URI without a fragment`);
    if (!Array.isArray(scopes) || !scopes.length || scopes.some((s) => typeof s !== 'string' || /[\s"\\]/.test(s) || !s)) {
      throw new TypeError(`startOP: resource ${identifier} needs scopes (non-empty strings without blanks)`);
    }
    if (accessTokenTtl !== undefined && !(Number.isSafeInteger(accessTokenTtl) && accessTokenTtl > 0)) {
      throw new TypeError(`startOP: resource ${identifier}: accessTokenTtl must be a positive whole number of seconds`);
    }
    servers.set(identifier, { scopes: [...scopes], accessTokenTtl, consent: consent !== false });
  }
  return servers;
}

/**
 * RFC 8707 for the resource servers in `servers` (see resourceServers). A resource the OP does
 * not know is refused with `invalid_target`. A server whose `consent` is false offers no scope
 * at the consent step, so a login never grants its scopes (the user never consented to them):
 * its resource may still be requested, but a token request for its scopes is refused with
 * `invalid_scope` ("refresh token missing requested scope").
 */
function resourceIndicators(servers) {
  return {
    enabled: true,
    // No resource unless the request names one: the login (scope with openid) then gets the
    // UserInfo token. Several resources to choose from -> oidc-provider's invalid_target.
    defaultResource: async (_ctx, _client, oneOf) => oneOf,
    // A token request without `resource` does not default to the resources of the login.
    useGrantedResource: async () => false,
    async getResourceServerInfo(_ctx, identifier) {
      const server = servers.get(identifier);
      if (!server) throw new errors.InvalidTarget();
      return {
        scope: server.consent ? server.scopes.join(' ') : '',
        audience: identifier,
        ...(server.accessTokenTtl && { accessTokenTTL: server.accessTokenTtl }),
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      };
    },
  };
}

function configuration({
  clientId, redirectUris, postLogoutRedirectUris, corsOrigins, accessTokenTtl, key, resources,
}) {
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
    jwks: { keys: [key] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    features: {
      devInteractions: { enabled: true },
      resourceIndicators: resourceIndicators(resources),
      // RFC 7009: a client may revoke its own tokens.
      revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      // RP-Initiated Logout: the confirmation page (no external fonts, like renderError).
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.type = 'html';
          ctx.body = `<!DOCTYPE html><meta charset="utf-8"><title>Sign out</title>`
            + `<h1>Sign out from ${escapeHtml(ctx.host)}?</h1>${form}`
            + '<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>'
            + '<button type="submit" form="op.logoutForm">No, stay signed in</button>';
        },
      },
    },
    // The token POST comes from the page's origin (another port): allow exactly those origins.
    clientBasedCORS: (_ctx, origin, client) => client.clientId === clientId && corsOrigins.includes(origin),
    // oidc-provider drops offline_access unless prompt=consent; issue refresh tokens anyway.
    issueRefreshToken: async (_ctx, client) => client.clientId === clientId && client.grantTypeAllowed('refresh_token'),
    // Every refresh returns a new refresh token and consumes the old one; a consumed one
    // presented again is refused and revokes the grant (its refresh and access tokens).
    rotateRefreshToken: true,
    ttl: {
      AccessToken: accessTokenTtlOf(accessTokenTtl),
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
 * `accessTokenTtl` is seconds, or a function of the grant type (`'authorization_code'`,
 * `'refresh_token'`) and the resource (undefined for UserInfo tokens) giving seconds.
 *
 * `resources` (RFC 8707, optional): `{ '<resource URI>': { scopes: string[], accessTokenTtl?,
 * consent? } }` (or just the scopes array). Each is a resource server: a login naming it
 * (`resource=<uri>`) and asking for its scopes gets them at the consent step, and a token request
 * with `resource=<uri>&scope=<some of its scopes>` gets a JWT access token with `aud` = the URI
 * and `scope` = those scopes, living `accessTokenTtl` seconds when given. `consent: false`: the
 * consent step never grants this server's scopes (see resourceIndicators).
 *
 * Besides `issuer`, `port` and `close()`, the returned object lets tests observe and steer it:
 * - `tokenRequests(grantType?)`: how many token POSTs arrived (of that grant type);
 * - `tokenLog()`: `{ grantType, status }` of each token POST, oldest first (no token values);
 * - `grantLog()`: the same POSTs in detail, `{ grantType, status, scope, resource, error,
 *   presented: fingerprint of the refresh token sent or null, issued: { access, refresh, id }
 *   fingerprints or null }` (`resource` as sent: a string, an array when repeated, or null);
 * - `refreshTokenUses()`: per refresh_token grant POST, oldest first, the fingerprint
 *   (tests/support/fingerprint.mjs) of the refresh token it presented, or null when it had none:
 *   a fingerprint seen twice is a replayed refresh token;
 * - `grantsRevoked()`: how many grants were revoked (revocation, or a refresh token replayed);
 * - `revokeToken(token, hint?)`: RFC 7009 revocation as the client would send it (for a
 *   refresh or access token this revokes every token of its grant);
 * - `forgetAccessToken(token)`: the OP drops this one access token and nothing else, so that
 *   resource servers see it refused while its refresh token stays good;
 * - `signingKey`: the private JWK the OP signs ID tokens with, for tests that must forge a
 *   validly signed ID token.
 * @returns {Promise<object>}
 */
export async function startOP({
  port = 0,
  redirectUris,
  postLogoutRedirectUris = redirectUris,
  corsOrigins = [...new Set(redirectUris.map((uri) => new URL(uri).origin))],
  clientId = 'spa-demo',
  accessTokenTtl = 3600,
  resources,
} = {}) {
  if (!redirectUris?.length) throw new TypeError('startOP: redirectUris is required');

  // The issuer must be known before the provider exists: bind the port first.
  const server = createServer();
  const boundPort = await listen(server, port);
  const issuer = `http://localhost:${boundPort}`;

  const key = signingKey();
  const provider = quietly(() => new Provider(issuer, configuration({
    clientId, redirectUris, postLogoutRedirectUris, corsOrigins, accessTokenTtl, key,
    resources: resourceServers(resources),
  })));

  const tokenLog = [];
  const grantLog = [];
  const refreshTokenUses = [];
  provider.use(async (ctx, next) => {
    if (ctx.method !== 'POST' || ctx.path !== '/token') return next();
    const entry = { grantType: null, status: null };
    const detail = {
      grantType: null, status: null, scope: null, resource: null, error: null, presented: null, issued: null,
    };
    tokenLog.push(entry);
    grantLog.push(detail);
    try {
      await next();
    } finally {
      const params = ctx.oidc?.params ?? {};
      entry.grantType = params.grant_type ?? null;
      entry.status = ctx.status;
      if (entry.grantType === 'refresh_token') refreshTokenUses.push(fingerprint(params.refresh_token));
      const body = ctx.body && typeof ctx.body === 'object' ? ctx.body : {};
      Object.assign(detail, {
        grantType: entry.grantType,
        status: ctx.status,
        scope: params.scope ?? null,
        resource: params.resource ?? null,
        error: body.error ?? null,
        presented: fingerprint(params.refresh_token),
        issued: body.access_token ? {
          access: fingerprint(body.access_token), refresh: fingerprint(body.refresh_token), id: fingerprint(body.id_token),
        } : null,
      });
    }
  });
  let grantsRevoked = 0;
  provider.on('grant.revoked', () => { grantsRevoked += 1; });

  server.on('request', quietly(() => provider.callback()));

  return {
    issuer,
    port: boundPort,
    tokenRequests: (grantType) => tokenLog.filter((e) => !grantType || e.grantType === grantType).length,
    tokenLog: () => tokenLog.map((e) => ({ ...e })),
    grantLog: () => grantLog.map((e) => ({ ...e, issued: e.issued && { ...e.issued } })),
    refreshTokenUses: () => [...refreshTokenUses],
    grantsRevoked: () => grantsRevoked,
    async revokeToken(token, hint) {
      const body = new URLSearchParams({ client_id: clientId, token, ...(hint && { token_type_hint: hint }) });
      const res = await fetch(`${issuer}/token/revocation`, { method: 'POST', body });
      if (res.status !== 200) throw new Error(`revocation answered HTTP ${res.status}`);
    },
    async forgetAccessToken(token) {
      const found = await provider.AccessToken.find(token);
      if (!found) throw new Error('the OP does not know this access token');
      await found.destroy();
    },
    signingKey: { ...key },
    close: closer(server),
  };
}
