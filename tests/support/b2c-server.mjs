// A fake Azure AD B2C tenant on localhost, shaped after B2C's "OAuth 2.0 authorization code
// flow" document, for the e2e tests (node:http, no dependencies).
//
// Tenant `contoso.onmicrosoft.com` (GUID TENANT_ID); one SPA client (CLIENT_ID) whose redirect
// URIs are given at start. Both URL styles are served:
//
//   legacy     GET  /{tenant}/oauth2/v2.0/authorize?p=<policy>&...
//              POST /{tenant}/oauth2/v2.0/token?p=<policy>
//              GET  /{tenant}/v2.0/.well-known/openid-configuration?p=<policy>   (endpoints with ?p=)
//              GET  /{tenant}/discovery/v2.0/keys?p=<policy>
//   b2clogin   GET  /{tenant}/{policy}/oauth2/v2.0/authorize
//              POST /{tenant}/{policy}/oauth2/v2.0/token
//              GET  /{tenant}/{policy}/v2.0/.well-known/openid-configuration     (endpoints with the
//                   policy in the path; with set({ discoveryEndpointStyle: 'query' }), with ?p=)
//              GET  /{tenant}/{policy}/discovery/v2.0/keys
//              GET  /{tenant}/{policy}/oauth2/v2.0/logout
//
// The discovery `issuer` is `<origin>/{tenant GUID}/v2.0/`, not the authority, and there is no
// `authorization_response_iss_parameter_supported` (B2C never sends `iss`). Policy names are
// case-insensitive. A policy must come exactly once: from the path or from ONE query `p`; a
// request naming it twice (or not at all) is refused, so a client that duplicates or drops the
// policy cannot log in. The token endpoint reads the policy from its URL only (a `p` in the body
// is ignored) and it must be the policy that issued the code or the refresh token.
//
// Token answers have B2C's exact shape, numbers as strings:
//   {"not_before":"…","token_type":"Bearer","access_token":"<jwt>","scope":"…","expires_in":"3600",
//    "expires_on":"…","resource":"<client id>","profile_info":"…","refresh_token":"<opaque>",
//    "refresh_token_expires_in":"1209600","id_token":"<jwt, when openid was asked>"}
// Errors: {"error":"…","error_description":"AADB2Cnnnnn: …"}. Refresh tokens rotate: a refresh
// token that was already used is refused (AADB2C90129).
//
// Web APIs (B2C_APIS): two API applications registered in the tenant, each with an App ID URI
// `https://{tenant}/<api>` and published scopes `https://{tenant}/<api>/<scope>`; the SPA has
// (admin-consented) permission to all of them unless a test withholds some
// (set({ missingPermissions })). As B2C documents and its users report:
//   - one access token is for ONE resource: a scope list naming two (two APIs, or an API and the
//     client id) is refused, at authorize (redirect) and at the token endpoint (HTTP 400), with
//     {"error":"invalid_request","error_description":"AADB2C90146: The scope '<scope as sent>'
//     provided in request specifies more than one resource for an access token, which is not
//     supported.\r\nCorrelation ID: …\r\nTimestamp: …\r\n"};
//   - a scope the app has no permission for -> invalid_request AADB2C90205 ("This application
//     does not have sufficient permissions against this web resource to perform the operation.");
//   - a refresh_token grant may name any permitted resource's scopes (the refresh token is not
//     bound to the login's scope); its access token has `aud` = that API's application id and
//     `scp` = the scope names ("orders.read orders.write"), the answer's `resource` = that id and
//     `scope` = the scopes as asked; the refresh token rotates as always.
//
// Sessions (B2C's "Configure session behavior" and "Cookie definitions"): a successful sign-in,
// in any policy, starts ONE tenant session (single sign-on configuration "Tenant", B2C's
// default: every policy and application of the tenant shares it) and sets B2C's session cookie
// `x-ms-cpim-sso:{tenant}_0` (HttpOnly, a browser-session cookie: no "Keep me signed in"); the
// tenant keeps the session 24 hours, rolling (B2C's default web app session lifetime), and its
// logout endpoint ends it. B2C sends the cookie with `SameSite=None; Secure` so that a frame of
// another site still carries it; `Secure` cannot be set over plain http://localhost, so the fake
// sends `SameSite=Lax`, which Chromium accepts over http and which is enough here: the test
// apps and the tenant are all on http://localhost, one site (ports do not count), so a hidden
// frame or a popup of an app sends the cookie as first-party. Its Path is `/{tenant}`: every
// localhost server shares cookies whatever its port, and the tenant's URLs all start so (B2C's
// host is its own and uses `/`).
//   - `prompt=none`: without a live session -> the redirect URI with `error=login_required` and
//     `error_description` "AADB2C90077: User does not have an existing session and request
//     prompt parameter has a value of 'None'." (+ the Correlation ID and Timestamp lines); with
//     one -> a code at once, no page (the ID token's `auth_time` is the session's sign-in).
//     Every policy is treated alike (what B2C answers to prompt=none for a policy that always
//     asks something, like a password reset, is not documented).
//   - no `prompt`, or `prompt=login`: the policy's page, as before. (With a session and no
//     prompt, B2C would sign the user in at once; the fake shows its page anyway, so that every
//     test drives its sign-ins, and a sign-in replaces the session.) Other prompt values are
//     refused, as before.
//   - B2C's pages may not be framed (only custom policies with JourneyFraming allow it, from
//     listed origins): every HTML page carries `X-Frame-Options: DENY` and CSP
//     `frame-ancestors 'none'`. Redirects (prompt=none answers, sign-in results) carry no page,
//     so a hidden frame gets its answer.
//
// Password reset (the legacy way: a sign-in user flow whose "Forgot password?" link answers
// `access_denied` + AADB2C90118, and a separate password reset user flow, `b2c_1_password_reset`,
// that the app starts then): the reset policy's page is the sign-in page titled "Reset password"
// without the "Forgot password?" link; its Sign in button stands for the whole reset journey
// (verify the email, set a new password), after which the user is signed in: a code for the
// reset policy, and a tenant session.
//
// Everything is recorded for assertions: authorize requests (their parameters, whether they
// carried the session cookie and a live session, and how they were answered), token requests
// (grant type, the query's `p` values, the path policy, the body, the answer), discovery and
// JWKS fetches, logouts, and the fingerprints of every token issued. Nothing is ever printed.
import { createHash, createSign, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

import { fingerprint } from './fingerprint.mjs';
import { closer, listen } from './listen.mjs';

export const TENANT = 'contoso.onmicrosoft.com';
export const TENANT_ID = '775527ff-9a37-4307-8b3d-cc311f58d925';
export const CLIENT_ID = '90c0fe63-bcf2-44d5-8fb7-b8bbc0b29dc6';
/**
 * The web APIs registered in the tenant: application (client) id, App ID URI and scope names.
 * A scope is requested as `<appIdUri>/<name>`; a token for it has `aud` = `appId`.
 */
export const B2C_APIS = Object.freeze({
  orders: Object.freeze({
    appId: '3c1a6f59-5b0e-4e35-9d8b-2f4a7a0e11c1',
    appIdUri: `https://${TENANT}/orders-api`,
    scopes: Object.freeze(['orders.read', 'orders.write']),
  }),
  inventory: Object.freeze({
    appId: 'c7e2d0a4-8f13-4b6e-a25d-91b0f3c4e8d2',
    appIdUri: `https://${TENANT}/inventory-api`,
    scopes: Object.freeze(['inventory.read']),
  }),
});

/** The full scope URIs of a registered API (all of them, or the `names` given). */
export const b2cScopes = (api, names = B2C_APIS[api].scopes) => names.map((n) => `${B2C_APIS[api].appIdUri}/${n}`);

/** The tenant's policies, as named in the tenant (matching is case-insensitive). */
export const POLICIES = ['b2c_1_sign_in', 'b2c_1_sign_up', 'b2c_1_edit_profile', 'b2c_1_password_reset', 'B2C_1A_signup_signin'];
/** The policy that resets a forgotten password (what the sign-in's AADB2C90118 asks the app to start). */
export const PASSWORD_RESET_POLICY = 'b2c_1_password_reset';
/** B2C's single sign-on cookie (`x-ms-cpim-sso:{Id}`), one per tenant. */
export const SESSION_COOKIE = `x-ms-cpim-sso:${TENANT}_0`;

const ACCESS_TOKEN_LIFETIME_S = 3600;
const REFRESH_TOKEN_LIFETIME_S = 14 * 24 * 3600;
const CODE_LIFETIME_MS = 10 * 60 * 1000;
const SESSION_LIFETIME_MS = 24 * 3600 * 1000;
const MAX_BODY = 64 * 1024;

/** A short, printable stand-in for a secret value (codes, tokens), safe in assertion messages. */
export { fingerprint };

const b64url = (data) => Buffer.from(data).toString('base64url');
const sha256b64url = (text) => createHash('sha256').update(text).digest('base64url');
const nowS = () => Math.floor(Date.now() / 1000);
const escapeHtml = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * `application/x-www-form-urlencoded` the way B2C (.NET HttpUtility.UrlEncode) writes it:
 * space as `+`, lower-case hex, `-_.!*()` left alone. Its redirects look like
 * `AADB2C90091%3a+The+user+has+cancelled...%0d%0aCorrelation+ID%3a+...`.
 */
export function b2cEncode(text) {
  let out = '';
  for (const byte of Buffer.from(String(text), 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.!*()]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

const b2cQuery = (pairs) => pairs.map(([k, v]) => `${b2cEncode(k)}=${b2cEncode(v)}`).join('&');

/** B2C's trailer on every error description. */
function trailer() {
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return `\r\nCorrelation ID: ${randomUUID()}\r\nTimestamp: ${timestamp}\r\n`;
}

/** The error `description` B2C writes, starting with its AADB2C code. */
const describe = (code, text) => `${code}: ${text}${trailer()}`;

/** Every value of each query/body parameter, in order. */
function paramsOf(searchParams) {
  const all = {};
  for (const [k, v] of searchParams) (all[k] ??= []).push(v);
  return all;
}

/** The first value of each parameter (for assertions) and how many times each came. */
function summarize(all) {
  const params = {};
  const counts = {};
  for (const [k, values] of Object.entries(all)) {
    params[k] = values[0];
    counts[k] = values.length;
  }
  return { params, counts };
}

class B2CError extends Error {
  constructor(status, error, description) {
    super(description);
    this.status = status;
    this.error = error;
    this.description = description;
  }
}

/**
 * Starts the tenant. `redirectUris`: the client's registered (SPA) redirect URIs; their origins
 * are the CORS origins of the token, discovery and JWKS endpoints.
 */
export async function startB2C({ redirectUris = [], clientId = CLIENT_ID } = {}) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = b64url(randomBytes(32));
  const { n, e } = publicKey.export({ format: 'jwk' });
  const keysNbf = nowS() - 3600;

  const registered = new Set(redirectUris);
  const corsOrigins = new Set(redirectUris.map((u) => new URL(u).origin));

  const state = {
    switches: {},
    authorizeRequests: [],
    tokenRequests: [],
    discoveryRequests: [],
    keysRequests: [],
    logoutRequests: [],
    issued: [],
    pending: new Map(), // interaction id -> authorize request
    codes: new Map(), // code -> grant
    refreshTokens: new Map(), // refresh token -> grant
    sessions: new Map(), // session cookie value -> { sub, email, name, authTime, policy, expiresAt }
  };

  let origin = '';
  const issuer = () => `${origin}/${TENANT_ID}/v2.0/`;

  const canonicalPolicy = (name) => POLICIES.find((p) => p.toLowerCase() === String(name).toLowerCase()) ?? null;

  /**
   * The policy of a request: from the path segment or from the query's `p`, exactly once.
   * Throws a B2CError naming what is wrong.
   */
  function resolvePolicy(pathPolicy, queryP) {
    if (queryP.length > 1) throw new B2CError(400, 'invalid_request', describe('AADB2C90024', `The policy is given ${queryP.length} times in the query (p).`));
    if (pathPolicy && queryP.length) {
      throw new B2CError(400, 'invalid_request', describe('AADB2C90024', `The policy is given twice: '${pathPolicy}' in the path and '${queryP[0]}' in the query.`));
    }
    const name = pathPolicy ?? queryP[0];
    if (!name) throw new B2CError(400, 'invalid_request', describe('AADB2C90024', 'The request does not name a policy (p).'));
    const policy = canonicalPolicy(name);
    if (!policy) throw new B2CError(400, 'invalid_request', describe('AADB2C90047', `The policy '${name}' does not exist in tenant '${TENANT}'.`));
    return policy;
  }

  // ---- tokens ------------------------------------------------------------------------------

  function jwt(claims) {
    const input = `${b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid }))}.${b64url(JSON.stringify(claims))}`;
    const signature = createSign('RSA-SHA256').update(input).sign(privateKey);
    return `${input}.${b64url(signature)}`;
  }

  /** The claim B2C names the policy with: `tfp` for user flows, `acr` for custom policies. */
  const policyClaim = (policy) => (policy.toLowerCase().startsWith('b2c_1a_') ? { acr: policy.toLowerCase() } : { tfp: policy });

  function record(kind, token, grant, extra = {}) {
    state.issued.push({ kind, fp: fingerprint(token), policy: grant.policy, at: Date.now(), ...extra });
    return token;
  }

  // ---- scopes and resources ----------------------------------------------------------------

  const OIDC_SCOPES = new Set(['openid', 'offline_access', 'profile']);

  /** The registered API a scope URI belongs to, with the scope's name, or null. */
  function apiOfScope(scope) {
    for (const api of Object.values(B2C_APIS)) {
      if (scope.startsWith(`${api.appIdUri}/`)) return { api, name: scope.slice(api.appIdUri.length + 1) };
    }
    return null;
  }

  /**
   * The resource a scope is for: null for OpenID Connect's own scopes, the client id for
   * itself, else the App ID URI (everything before the last `/`) of a scope URI.
   */
  function resourceOfScope(scope) {
    if (OIDC_SCOPES.has(scope)) return null;
    if (scope === clientId) return clientId;
    const at = scope.lastIndexOf('/');
    return scope.includes('://') && at > 0 ? scope.slice(0, at) : scope;
  }

  /**
   * Checks a requested scope list the way B2C does (`raw`: the scope parameter as sent, quoted in
   * the error): one resource at most, every API scope registered and permitted. Throws the
   * B2CError B2C would answer; returns the API asked for (or null: the client id / no resource).
   */
  function checkScopeResources(scopes, raw) {
    const resources = new Set(scopes.map(resourceOfScope).filter(Boolean));
    if (resources.size > 1) {
      throw new B2CError(400, 'invalid_request', describe('AADB2C90146', `The scope '${raw}' provided in request specifies more than one resource for an access token, which is not supported.`));
    }
    const missing = new Set(state.switches.missingPermissions ?? []);
    let asked = null;
    for (const scope of scopes) {
      if (resourceOfScope(scope) === null || scope === clientId) continue;
      const found = apiOfScope(scope);
      if (!found || !found.api.scopes.includes(found.name) || missing.has(scope)) {
        throw new B2CError(400, 'invalid_request', describe('AADB2C90205', 'This application does not have sufficient permissions against this web resource to perform the operation.'));
      }
      asked = found.api;
    }
    return asked;
  }

  /** B2C's token response for `grant`; `nonce` only when redeeming a code. */
  function tokenResponse(grant, { scope, nonce }) {
    const now = nowS();
    const api = checkScopeResources(scope.split(' ').filter(Boolean), scope);
    const lifetime = (api && state.switches.apiAccessTokenLifetime) || (state.switches.accessTokenLifetime ?? ACCESS_TOKEN_LIFETIME_S);
    const notBefore = now + (state.switches.notBeforeAheadSeconds ?? 0);
    const audience = api ? api.appId : clientId;
    const scp = api ? scope.split(' ').map(apiOfScope).filter(Boolean).map((s) => s.name).join(' ') : 'user_impersonation';
    const accessToken = record('access', jwt({
      iss: issuer(), exp: now + lifetime, nbf: notBefore, aud: audience, oid: grant.sub, sub: grant.sub,
      ...policyClaim(grant.policy), scp, azp: clientId, ver: '1.0', iat: now,
      jti: randomUUID(),
    }), grant, { notBefore, audience });
    const refreshToken = record('refresh', b64url(randomBytes(48)), grant);
    // The refresh token is the session's, not the access token's: it keeps the login's scope.
    state.refreshTokens.set(refreshToken, {
      ...grant, scope: grant.loginScope ?? scope, loginScope: grant.loginScope ?? scope, used: false,
      expiresAt: Date.now() + REFRESH_TOKEN_LIFETIME_S * 1000,
    });
    const body = {
      not_before: String(notBefore),
      token_type: 'Bearer',
      access_token: accessToken,
      scope,
      expires_in: String(lifetime),
      expires_on: String(now + lifetime),
      resource: audience,
      profile_info: b64url(JSON.stringify({ ver: '1.0', tid: TENANT_ID, oid: grant.sub, upn: null, name: grant.name })),
      refresh_token: refreshToken,
      refresh_token_expires_in: String(REFRESH_TOKEN_LIFETIME_S),
    };
    if (scope.split(' ').includes('openid')) {
      body.id_token = record('id', jwt({
        exp: now + lifetime, nbf: now, ver: '1.0', iss: issuer(), sub: grant.sub, aud: clientId,
        ...(nonce ? { nonce } : {}), iat: now, auth_time: grant.authTime, oid: grant.sub, name: grant.name,
        emails: [grant.email], ...policyClaim(grant.policy),
      }), grant);
    }
    return body;
  }

  function redeemCode(body, policy) {
    const code = body.code;
    if (!code) throw new B2CError(400, 'invalid_request', describe('AADB2C90083', 'The request is missing required parameter: code.'));
    const grant = state.codes.get(code);
    if (!grant || grant.used || Date.now() > grant.expiresAt) {
      throw new B2CError(400, 'invalid_grant', describe('AADB2C90080', 'The provided grant has expired. Please re-authenticate and try again.'));
    }
    if (grant.policy !== policy) {
      throw new B2CError(400, 'invalid_grant', describe('AADB2C90088', `The provided grant has not been issued for this endpoint. Actual Value : ${policy} and Expected Value : ${grant.policy}`));
    }
    if (body.client_id !== grant.clientId) {
      throw new B2CError(400, 'invalid_grant', describe('AADB2C90011', `The client ID '${body.client_id}' provided in the request does not match client ID '${grant.clientId}' registered in policy.`));
    }
    if (body.redirect_uri !== grant.redirectUri) {
      throw new B2CError(400, 'invalid_grant', describe('AADB2C90006', `The redirect URI '${body.redirect_uri}' provided in the request does not match the one of the authorization request.`));
    }
    if (!body.code_verifier) throw new B2CError(400, 'invalid_request', describe('AADB2C90083', 'The request is missing required parameter: code_verifier.'));
    if (sha256b64url(body.code_verifier) !== grant.codeChallenge) {
      throw new B2CError(400, 'invalid_grant', describe('AADB2C90183', 'The supplied code_verifier is invalid.'));
    }
    grant.used = true;
    return tokenResponse(grant, { scope: grant.scope, nonce: grant.nonce });
  }

  function redeemRefreshToken(body, policy) {
    const token = body.refresh_token;
    if (!token) throw new B2CError(400, 'invalid_request', describe('AADB2C90083', 'The request is missing required parameter: refresh_token.'));
    const grant = state.refreshTokens.get(token);
    if (!grant || Date.now() > grant.expiresAt) {
      throw new B2CError(400, 'invalid_grant', describe('AADB2C90080', 'The provided grant has expired. Please re-authenticate and try again.'));
    }
    if (grant.used) {
      throw new B2CError(400, 'invalid_grant', describe('AADB2C90129', 'The provided grant has been revoked. Please reauthenticate and try again.'));
    }
    if (grant.policy !== policy) {
      throw new B2CError(400, 'invalid_grant', describe('AADB2C90088', `The provided grant has not been issued for this endpoint. Actual Value : ${policy} and Expected Value : ${grant.policy}`));
    }
    if (body.client_id !== grant.clientId) {
      throw new B2CError(400, 'invalid_grant', describe('AADB2C90011', `The client ID '${body.client_id}' provided in the request does not match client ID '${grant.clientId}' registered in policy.`));
    }
    if (body.redirect_uri !== undefined && !registered.has(body.redirect_uri)) {
      throw new B2CError(400, 'invalid_request', describe('AADB2C90006', `The redirect URI '${body.redirect_uri}' provided in the request is not registered for the client ID '${clientId}'.`));
    }
    const asked = body.scope ? body.scope.split(' ').filter(Boolean) : grant.scope.split(' ');
    // Not bound to the login's scope: any scope of ONE permitted resource (checked below and in
    // tokenResponse), besides OpenID Connect's own and the client id.
    const unknown = asked.filter((s) => !OIDC_SCOPES.has(s) && s !== clientId && !s.includes('://'));
    if (unknown.length) throw new B2CError(400, 'invalid_scope', describe('AADB2C90012', `The scope '${unknown.join(' ')}' provided in request is not supported.`));
    checkScopeResources(asked, body.scope ?? grant.scope);
    grant.used = true; // rotation: each refresh token works once
    return tokenResponse(grant, { scope: asked.join(' ') });
  }

  // ---- HTTP --------------------------------------------------------------------------------

  function cors(req, res) {
    const from = req.headers.origin;
    if (from && corsOrigins.has(from)) {
      res.setHeader('Access-Control-Allow-Origin', from);
      res.setHeader('Vary', 'Origin');
    }
  }

  function sendJson(res, status, body) {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    res.end(JSON.stringify(body));
  }

  /** A page of the tenant: B2C's pages refuse to be framed (no JourneyFraming here). */
  function sendHtml(res, status, html) {
    res.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Frame-Options': 'DENY',
      'Content-Security-Policy': "frame-ancestors 'none'",
    });
    res.end(html);
  }

  // ---- the tenant session (single sign-on) ------------------------------------------------

  /** The value of the tenant's session cookie in the request, or null. */
  function sessionCookieOf(req) {
    for (const pair of String(req.headers.cookie ?? '').split(';')) {
      const at = pair.indexOf('=');
      if (at > 0 && pair.slice(0, at).trim() === SESSION_COOKIE) return pair.slice(at + 1).trim();
    }
    return null;
  }

  /** The live session the request's cookie names (its lifetime rolls on), or null. */
  function sessionOf(req) {
    const id = sessionCookieOf(req);
    const session = id && state.sessions.get(id);
    if (!session) return null;
    if (Date.now() > session.expiresAt) {
      state.sessions.delete(id);
      return null;
    }
    session.expiresAt = Date.now() + SESSION_LIFETIME_MS;
    return session;
  }

  const cookieAttributes = `Path=/${TENANT}; HttpOnly; SameSite=Lax`;

  /** Starts the tenant session of `user` (replacing the request's own), as the response's cookie. */
  function startSession(req, res, user, policy) {
    const old = sessionCookieOf(req);
    if (old) state.sessions.delete(old);
    const id = b64url(randomBytes(32));
    state.sessions.set(id, { ...user, policy, expiresAt: Date.now() + SESSION_LIFETIME_MS });
    res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${id}; ${cookieAttributes}`);
  }

  /** Ends the request's tenant session, and clears its cookie. */
  function endSession(req, res) {
    const id = sessionCookieOf(req);
    if (!id) return false;
    const known = state.sessions.delete(id);
    res.setHeader('Set-Cookie', `${SESSION_COOKIE}=; ${cookieAttributes}; Max-Age=0`);
    return known;
  }

  function errorPage(res, err) {
    sendHtml(res, err.status ?? 400, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Error</title></head>
<body><h1>Sorry, but we're having trouble signing you in.</h1><p id="b2c-error">${escapeHtml(err.description)}</p></body></html>`);
  }

  function readBody(req) {
    return new Promise((resolve, reject) => {
      const chunks = [];
      let size = 0;
      req.on('data', (chunk) => {
        size += chunk.length;
        if (size > MAX_BODY) reject(new B2CError(413, 'invalid_request', describe('AADB2C90085', 'The request is too large.')));
        else chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  }

  /** Sends the browser back to the client with `pairs` in the response mode's part. */
  function redirectBack(res, pending, pairs) {
    const query = b2cQuery(pairs);
    const target = pending.responseMode === 'fragment'
      ? `${pending.redirectUri}#${query}`
      : `${pending.redirectUri}${pending.redirectUri.includes('?') ? '&' : '?'}${query}`;
    res.writeHead(302, { Location: target, 'Cache-Control': 'no-store' });
    res.end();
  }

  function endpointsFor(policy, style) {
    const p = policy.toLowerCase(); // B2C writes the policy in lower case in its metadata
    const base = `${origin}/${TENANT}`;
    if (style === 'query') {
      return {
        authorization_endpoint: `${base}/oauth2/v2.0/authorize?p=${p}`,
        token_endpoint: `${base}/oauth2/v2.0/token?p=${p}`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout?p=${p}`,
        jwks_uri: `${base}/discovery/v2.0/keys?p=${p}`,
      };
    }
    return {
      authorization_endpoint: `${base}/${p}/oauth2/v2.0/authorize`,
      token_endpoint: `${base}/${p}/oauth2/v2.0/token`,
      end_session_endpoint: `${base}/${p}/oauth2/v2.0/logout`,
      jwks_uri: `${base}/${p}/discovery/v2.0/keys`,
    };
  }

  function discovery(req, res, url, pathPolicy, queryP) {
    const entry = { at: Date.now(), path: url.pathname, pathPolicy, queryP, policy: null, origin: req.headers.origin ?? null };
    state.discoveryRequests.push(entry);
    cors(req, res);
    let policy;
    try {
      policy = resolvePolicy(pathPolicy, queryP);
      entry.policy = policy;
    } catch (err) {
      entry.error = err.description;
      sendJson(res, 404, { error: 'not_found', error_description: err.description });
      return;
    }
    const style = pathPolicy ? (state.switches.discoveryEndpointStyle ?? 'path') : 'query';
    sendJson(res, 200, {
      issuer: issuer(),
      ...endpointsFor(policy, style),
      response_modes_supported: ['query', 'fragment', 'form_post'],
      response_types_supported: ['code', 'code id_token', 'code token', 'code id_token token', 'id_token', 'id_token token', 'token', 'token id_token'],
      scopes_supported: ['openid'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      claims_supported: ['name', 'emails', 'oid', 'sub', 'idp', 'tfp', 'iss', 'iat', 'exp', 'aud', 'acr', 'nonce', 'auth_time'],
    });
  }

  function keys(req, res, url, pathPolicy, queryP) {
    const entry = { at: Date.now(), path: url.pathname, pathPolicy, queryP, policy: null, origin: req.headers.origin ?? null };
    state.keysRequests.push(entry);
    cors(req, res);
    try {
      entry.policy = resolvePolicy(pathPolicy, queryP);
    } catch (err) {
      entry.error = err.description;
      sendJson(res, 404, { error: 'not_found', error_description: err.description });
      return;
    }
    sendJson(res, 200, { keys: [{ kid, nbf: keysNbf, use: 'sig', kty: 'RSA', e, n }] });
  }

  function authorize(req, res, url, pathPolicy) {
    const all = paramsOf(url.searchParams);
    const queryP = all.p ?? [];
    const entry = {
      at: Date.now(),
      style: pathPolicy ? 'path' : 'legacy',
      path: url.pathname,
      pathPolicy,
      queryP,
      policy: null,
      sessionCookie: Boolean(sessionCookieOf(req)),
      session: null, // whether it named a live tenant session (once the request was checked)
      answer: null, // 'page' | 'code' (single sign-on, no page) | 'error' (prompt=none without a session)
      ...summarize(all),
    };
    state.authorizeRequests.push(entry);
    const fail = (err) => {
      entry.error = err.description;
      errorPage(res, err);
    };
    let policy;
    try {
      policy = resolvePolicy(pathPolicy, queryP);
    } catch (err) {
      fail(err);
      return;
    }
    entry.policy = policy;
    const { params, counts } = entry;
    const twice = Object.keys(counts).find((k) => counts[k] > 1);
    if (twice) {
      fail(new B2CError(400, 'invalid_request', describe('AADB2C90024', `The parameter '${twice}' is given more than once.`)));
      return;
    }
    if (!params.client_id) {
      fail(new B2CError(400, 'invalid_request', describe('AADB2C90008', 'The request does not contain a client ID parameter.')));
      return;
    }
    if (params.client_id !== clientId) {
      fail(new B2CError(400, 'invalid_request', describe('AADB2C90018', `The client ID '${params.client_id}' specified in the request is not registered in tenant '${TENANT}'.`)));
      return;
    }
    if (!params.redirect_uri || !registered.has(params.redirect_uri)) {
      fail(new B2CError(400, 'invalid_request', describe('AADB2C90006', `The redirect URI '${params.redirect_uri ?? ''}' provided in the request is not registered for the client ID '${clientId}'.`)));
      return;
    }
    // From here on, errors go back to the client, as B2C does once it trusts the redirect URI.
    const responseMode = params.response_mode ?? 'query';
    const pending = { responseMode: responseMode === 'fragment' ? 'fragment' : 'query', redirectUri: params.redirect_uri };
    const refuse = (error, description) => {
      entry.error = description;
      redirectBack(res, pending, [['error', error], ['error_description', description], ...(params.state ? [['state', params.state]] : [])]);
    };
    if (!['query', 'fragment'].includes(responseMode)) {
      refuse('invalid_request', describe('AADB2C90014', `The requested response mode '${responseMode}' provided in the request is not supported.`));
      return;
    }
    if (params.response_type !== 'code') {
      refuse('unsupported_response_type', describe('AADB2C90013', `The requested response type '${params.response_type ?? ''}' provided in the request is not supported.`));
      return;
    }
    if (!params.scope) {
      refuse('invalid_request', describe('AADB2C90010', 'The request does not contain a scope parameter.'));
      return;
    }
    const scopes = params.scope.split(' ').filter(Boolean);
    const unknown = scopes.filter((s) => !['openid', 'offline_access', clientId].includes(s) && !s.startsWith(`https://${TENANT}/`));
    if (unknown.length || !scopes.some((s) => ['openid', 'offline_access', clientId].includes(s))) {
      refuse('invalid_scope', describe('AADB2C90012', `The scope '${unknown.join(' ') || params.scope}' provided in request is not supported.`));
      return;
    }
    try {
      checkScopeResources(scopes, params.scope);
    } catch (err) {
      refuse(err.error, err.description);
      return;
    }
    if (!params.state) {
      refuse('invalid_request', describe('AADB2C90024', 'The request does not contain a state parameter.'));
      return;
    }
    if (!params.code_challenge || !/^[A-Za-z0-9\-_]{43}$/.test(params.code_challenge)) {
      refuse('invalid_request', describe('AADB2C90181', 'The supplied code_challenge is invalid (PKCE is required for single-page applications).'));
      return;
    }
    if (params.code_challenge_method !== 'S256') {
      refuse('invalid_request', describe('AADB2C90180', `The supplied code_challenge_method '${params.code_challenge_method ?? ''}' is not supported.`));
      return;
    }
    if (params.prompt !== undefined && params.prompt !== 'login' && params.prompt !== 'none') {
      refuse('invalid_request', describe('AADB2C90024', `The prompt '${params.prompt}' is not supported (only 'login' and 'none').`));
      return;
    }
    const transaction = {
      ...pending, policy, clientId, state: params.state, scope: scopes.join(' '), nonce: params.nonce,
      codeChallenge: params.code_challenge,
    };
    const session = sessionOf(req);
    entry.session = Boolean(session);
    if (params.prompt === 'none') {
      if (!session) {
        entry.answer = 'error';
        refuse('login_required', describe('AADB2C90077', 'User does not have an existing session and request prompt parameter has a value of \'None\'.'));
        return;
      }
      // Single sign-on: the session's user, no page.
      entry.answer = 'code';
      issueCode(res, transaction, session, { sso: true });
      return;
    }

    entry.answer = 'page';
    const id = b64url(randomBytes(18));
    state.pending.set(id, transaction);
    const action = `/${TENANT}/${policy.toLowerCase()}/api/confirmed?tx=${id}`;
    const reset = policy === PASSWORD_RESET_POLICY;
    sendHtml(res, 200, `<!DOCTYPE html>
<html lang="${escapeHtml(params.ui_locales ?? 'en')}"><head><meta charset="utf-8"><title>${reset ? 'Reset password' : 'Sign in'} (${escapeHtml(policy)})</title></head>
<body>
  <h1>Contoso${reset ? ': reset your password' : ''}</h1>
  <p>Policy <code id="policy">${escapeHtml(policy)}</code></p>
  <form method="post" action="${escapeHtml(action)}">
    <label>Email address <input name="login" value="${escapeHtml(params.login_hint ?? 'alice@contoso.com')}"></label>
    <button type="submit" name="action" value="signin">Sign in</button>
    <button type="submit" name="action" value="cancel">Cancel</button>
  </form>
  ${reset ? '' : `<p><a href="${escapeHtml(`${action}&action=forgot`)}">Forgot password?</a></p>`}
</body></html>`);
  }

  async function confirmed(req, res, url) {
    const pending = state.pending.get(url.searchParams.get('tx'));
    if (!pending) {
      errorPage(res, new B2CError(400, 'invalid_request', describe('AADB2C90209', 'The session of this sign-in has ended.')));
      return;
    }
    const form = req.method === 'POST' ? new URLSearchParams(await readBody(req)) : url.searchParams;
    const action = form.get('action');
    state.pending.delete(url.searchParams.get('tx'));
    if (action === 'cancel') {
      redirectBack(res, pending, [
        ['error', 'access_denied'],
        ['error_description', describe('AADB2C90091', 'The user has cancelled entering self-asserted information.')],
        ['state', pending.state],
      ]);
      return;
    }
    if (action === 'forgot') {
      redirectBack(res, pending, [
        ['error', 'access_denied'],
        ['error_description', describe('AADB2C90118', 'The user has forgotten their password.')],
        ['state', pending.state],
      ]);
      return;
    }
    const email = form.get('login') || 'alice@contoso.com';
    const user = {
      sub: createHash('sha256').update(email).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5'),
      email,
      name: email.split('@')[0],
      authTime: nowS(),
    };
    startSession(req, res, user, pending.policy);
    issueCode(res, pending, user);
  }

  /** Sends the browser back with a code for `user` (a sign-in, or the session's user). */
  function issueCode(res, pending, user, { sso = false } = {}) {
    const code = b64url(randomBytes(64));
    state.codes.set(code, {
      policy: pending.policy,
      clientId: pending.clientId,
      redirectUri: pending.redirectUri,
      codeChallenge: pending.codeChallenge,
      nonce: pending.nonce,
      scope: pending.scope,
      sub: user.sub,
      email: user.email,
      name: user.name,
      authTime: user.authTime,
      used: false,
      expiresAt: Date.now() + CODE_LIFETIME_MS,
    });
    state.issued.push({ kind: 'code', fp: fingerprint(code), policy: pending.policy, at: Date.now(), sso });
    redirectBack(res, pending, [['code', code], ['state', pending.state]]);
  }

  async function token(req, res, url, pathPolicy) {
    cors(req, res);
    const queryP = url.searchParams.getAll('p');
    const entry = {
      at: Date.now(), path: url.pathname, pathPolicy, queryP, policy: null, grantType: null,
      origin: req.headers.origin ?? null, cookies: Boolean(req.headers.cookie), issuedFp: null,
      contentType: req.headers['content-type'] ?? null,
    };
    state.tokenRequests.push(entry);
    const answer = (status, body) => {
      entry.status = status;
      entry.response = body;
      sendJson(res, status, body);
    };
    try {
      if (req.method !== 'POST') throw new B2CError(405, 'invalid_request', describe('AADB2C90085', 'The token endpoint only accepts POST.'));
      const text = await readBody(req);
      const all = paramsOf(new URLSearchParams(text));
      Object.assign(entry, summarize(all));
      entry.body = entry.params;
      entry.bodyKeys = Object.keys(all);
      entry.grantType = entry.params.grant_type ?? null;
      entry.presented = fingerprint(entry.params.refresh_token);
      if (!String(entry.contentType).startsWith('application/x-www-form-urlencoded')) {
        throw new B2CError(400, 'invalid_request', describe('AADB2C90085', 'The body must be application/x-www-form-urlencoded.'));
      }
      const twice = Object.keys(entry.counts).find((k) => entry.counts[k] > 1);
      if (twice) throw new B2CError(400, 'invalid_request', describe('AADB2C90024', `The parameter '${twice}' is given more than once.`));
      // The policy comes from the URL only; a `p` in the body is ignored, as B2C does.
      const policy = resolvePolicy(pathPolicy, queryP);
      entry.policy = policy;
      if (!entry.params.client_id) throw new B2CError(400, 'invalid_request', describe('AADB2C90083', 'The request is missing required parameter: client_id.'));
      let body;
      switch (entry.grantType) {
        case 'authorization_code': body = redeemCode(entry.params, policy); break;
        case 'refresh_token': body = redeemRefreshToken(entry.params, policy); break;
        case null: throw new B2CError(400, 'invalid_request', describe('AADB2C90083', 'The request is missing required parameter: grant_type.'));
        default: throw new B2CError(400, 'unsupported_grant_type', describe('AADB2C90086', `The supplied grant_type [${entry.grantType}] is not supported.`));
      }
      entry.issuedFp = { access: fingerprint(body.access_token), refresh: fingerprint(body.refresh_token), id: fingerprint(body.id_token) };
      entry.audience = body.resource;
      answer(200, body);
    } catch (err) {
      if (!(err instanceof B2CError)) throw err;
      answer(err.status, { error: err.error, error_description: err.description });
    }
  }

  function logout(req, res, url, pathPolicy) {
    const all = paramsOf(url.searchParams);
    const entry = { at: Date.now(), path: url.pathname, pathPolicy, queryP: all.p ?? [], policy: null, ...summarize(all) };
    state.logoutRequests.push(entry);
    try {
      entry.policy = resolvePolicy(pathPolicy, entry.queryP);
    } catch (err) {
      entry.error = err.description;
      errorPage(res, err);
      return;
    }
    // B2C's logout ends the tenant session (the single sign-on of every app of the tenant).
    entry.endedSession = endSession(req, res);
    const back = entry.params.post_logout_redirect_uri;
    if (back && registered.has(back)) {
      const query = entry.params.state ? `?${b2cQuery([['state', entry.params.state]])}` : '';
      res.writeHead(302, { Location: `${back}${query}`, 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    sendHtml(res, 200, '<!DOCTYPE html><title>Signed out</title><p>You have signed out.</p>');
  }

  async function route(req, res) {
    const url = new URL(req.url, origin);
    let segments;
    try {
      segments = url.pathname.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
    } catch {
      sendJson(res, 400, { error: 'invalid_request', error_description: describe('AADB2C90085', 'The path is not valid.') });
      return;
    }
    const lower = segments.map((s) => s.toLowerCase());
    const queryP = url.searchParams.getAll('p');
    if (req.method === 'OPTIONS') {
      cors(req, res);
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'GET, POST',
        'Access-Control-Allow-Headers': 'Content-Type, Accept',
        'Access-Control-Max-Age': '600',
      });
      res.end();
      return;
    }
    cors(req, res); // also on errors, so that the page sees the tenant's answer
    if (![TENANT, TENANT_ID].includes(lower[0])) {
      sendJson(res, 404, { error: 'not_found', error_description: describe('AADB2C90056', 'The tenant does not exist.') });
      return;
    }
    const rest = lower.slice(1);
    const is = (...tail) => rest.length === tail.length && tail.every((t, i) => t === rest[i]);
    const isPolicyPath = (...tail) => rest.length === tail.length + 1 && tail.every((t, i) => t === rest[i + 1]);
    const pathPolicy = segments[1];

    if (is('oauth2', 'v2.0', 'authorize')) return authorize(req, res, url, null);
    if (isPolicyPath('oauth2', 'v2.0', 'authorize')) return authorize(req, res, url, pathPolicy);
    if (is('oauth2', 'v2.0', 'token')) return token(req, res, url, null);
    if (isPolicyPath('oauth2', 'v2.0', 'token')) return token(req, res, url, pathPolicy);
    if (is('oauth2', 'v2.0', 'logout')) return logout(req, res, url, null);
    if (isPolicyPath('oauth2', 'v2.0', 'logout')) return logout(req, res, url, pathPolicy);
    if (is('v2.0', '.well-known', 'openid-configuration')) return discovery(req, res, url, null, queryP);
    if (isPolicyPath('v2.0', '.well-known', 'openid-configuration')) return discovery(req, res, url, pathPolicy, queryP);
    if (is('discovery', 'v2.0', 'keys')) return keys(req, res, url, null, queryP);
    if (isPolicyPath('discovery', 'v2.0', 'keys')) return keys(req, res, url, pathPolicy, queryP);
    if (isPolicyPath('api', 'confirmed')) return confirmed(req, res, url);
    sendJson(res, 404, { error: 'not_found', error_description: describe('AADB2C90085', 'The resource you are looking for has been removed, had its name changed, or is temporarily unavailable.') });
    return;
  }

  const server = createServer((req, res) => {
    route(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error', error_description: describe('AADB2C90085', 'The service has encountered an internal error.') });
      else res.destroy();
    });
  });
  const port = await listen(server, 0);
  origin = `http://localhost:${port}`;
  const base = `${origin}/${TENANT}`;

  return {
    origin,
    port,
    tenant: TENANT,
    tenantId: TENANT_ID,
    clientId,
    /** The tenant-GUID issuer of every policy's tokens (not the authority). */
    issuer: issuer(),
    /** The legacy (login.microsoftonline.com style) endpoints: the policy goes in `?p=`. */
    legacy: {
      authorizationEndpoint: `${base}/oauth2/v2.0/authorize`,
      tokenEndpoint: `${base}/oauth2/v2.0/token`,
      jwksUri: (policy) => `${base}/discovery/v2.0/keys?p=${policy}`,
      metadataUrl: (policy) => `${base}/v2.0/.well-known/openid-configuration?p=${policy}`,
    },
    /** The b2clogin.com style policy discovery document. */
    policyMetadataUrl: (policy) => `${base}/${policy}/v2.0/.well-known/openid-configuration`,
    /** Switches: `notBeforeAheadSeconds` (the access token's not_before/nbf this far ahead),
     *  `accessTokenLifetime` (s), `apiAccessTokenLifetime` (s, tokens for a B2C_APIS API; default
     *  accessTokenLifetime), `discoveryEndpointStyle` ('path' | 'query'), `missingPermissions`
     *  (scope URIs the app registration has no permission for: AADB2C90205). */
    set(switches) {
      Object.assign(state.switches, switches);
    },
    /** Forgets the recorded requests and the switches (grants stay valid). */
    reset() {
      state.switches = {};
      for (const list of ['authorizeRequests', 'tokenRequests', 'discoveryRequests', 'keysRequests', 'logoutRequests', 'issued']) {
        state[list] = [];
      }
    },
    get authorizeRequests() { return state.authorizeRequests; },
    get tokenRequests() { return state.tokenRequests; },
    get discoveryRequests() { return state.discoveryRequests; },
    get keysRequests() { return state.keysRequests; },
    get logoutRequests() { return state.logoutRequests; },
    /** The registered web APIs (B2C_APIS). */
    apis: B2C_APIS,
    /** `{ kind: 'code' | 'access' | 'refresh' | 'id', fp, policy, at, sso? (a code from the session), notBefore?, audience? }` per token issued. */
    get issued() { return state.issued; },
    /** Token requests of one grant type. */
    tokenRequestsOf: (grantType) => state.tokenRequests.filter((r) => r.grantType === grantType),
    /** How many token requests came, per grant type. */
    tokenCounts: () => state.tokenRequests.reduce((counts, r) => {
      counts[r.grantType] = (counts[r.grantType] ?? 0) + 1;
      return counts;
    }, {}),
    /** Ends every tenant session (as their lifetime running out does): prompt=none then answers AADB2C90077. */
    endSessions() {
      state.sessions.clear();
    },
    /** Revokes every refresh token issued so far (as a password change does). */
    revokeRefreshTokens() {
      for (const grant of state.refreshTokens.values()) grant.used = true;
    },
    close: closer(server),
  };
}
