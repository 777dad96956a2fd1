// A protected API for the e2e tests (node:http, no deps): `GET /profile` answers the caller's
// UserInfo claims when its `Authorization: Bearer` token is good, which it asks the OP's
// UserInfo endpoint (the token is opaque to the API, as with an introspection call).
//
// Refused requests get 401 with an RFC 6750 §3 challenge: `Bearer error="invalid_token"` when a
// token came and the OP refused it, a bare `Bearer realm` when none came. CORS lets the page's
// origins call it with an Authorization header and read WWW-Authenticate.
//
// With `audience` (opt in), it is instead a resource server of its own (RFC 9068 / RFC 8707):
// it takes JWT access tokens only, checks their RS256 signature against the issuer's JWKS, their
// `iss`, `exp`/`nbf` and that `aud` names ITS audience, and answers any `GET <path>` with what it
// saw: `{ api, path, audience, scope, sub }` (the `scope` claim, or B2C's `scp`; never a token).
// A token for another audience is refused like a bad one: 401 `Bearer error="invalid_token"`.
import { createServer } from 'node:http';

import { bearerToken, checkJwt, jwksCache } from './access-token.mjs';
import { fingerprint } from './fingerprint.mjs';
import { closer, listen } from './listen.mjs';

const REALM = 'realm="e2e-api"';

async function userInfoEndpoint(issuer) {
  const res = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (res.status !== 200) throw new Error(`api-server: discovery answered HTTP ${res.status}`);
  const { userinfo_endpoint: endpoint } = await res.json();
  if (!endpoint) throw new Error('api-server: the OP has no userinfo_endpoint');
  return endpoint;
}

function corsHeaders(req, corsOrigins) {
  const origin = req.headers.origin;
  if (!origin || !corsOrigins.includes(origin)) return { Vary: 'Origin' };
  return {
    Vary: 'Origin',
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Expose-Headers': 'WWW-Authenticate',
  };
}

function send(res, status, headers, body) {
  res.writeHead(status, { 'Cache-Control': 'no-store', ...headers, ...(body && { 'Content-Type': 'application/json' }) });
  res.end(body && JSON.stringify(body));
}

const unquoted = (text) => String(text).replace(/["\\]/g, "'");

/**
 * Starts the API. `issuer`: the OP whose UserInfo endpoint judges tokens; `corsOrigins`: the
 * page origins allowed by CORS. `requests()` lists the non-preflight requests, oldest first:
 * `{ method, path, authorization: 'bearer' | 'none' | 'other', token: fingerprint | null, status }`.
 *
 * Resource-server mode (opt in): with `audience` (the RFC 8707 resource URI, or a B2C API's
 * application id), tokens are JWTs checked as said at the top, signed by the keys at `jwksUri`
 * (default: the issuer's discovered jwks_uri) and issued by `issuer` exactly. `name` names the
 * API in its answers and its challenge's realm (default 'e2e-api'); `clockSkewSeconds` (default
 * 0) is the leeway on exp/nbf. Each `requests()` entry then also has `audience` and `scope` (what
 * the token said, null when refused) and `refusal` (why it was refused, or null); the returned
 * object also has `audience`, `name` and `refuse(fingerprint)`: from then on the token with that
 * fingerprint (tests/support/fingerprint.mjs) is refused as revoked (401 invalid_token).
 * @returns {Promise<{ origin: string, port: number, requests(): object[], close(): Promise<void> }>}
 */
export async function startApi({
  issuer, corsOrigins, port = 0, audience, jwksUri, name, clockSkewSeconds = 0,
}) {
  if (audience !== undefined) {
    return startResourceServer({
      issuer, corsOrigins, port, audience, jwksUri, name: name ?? 'e2e-api', clockSkewSeconds,
    });
  }
  const userinfo = await userInfoEndpoint(issuer);
  const log = [];

  async function judge(req) {
    const { pathname } = new URL(req.url, 'http://localhost');
    if (req.method !== 'GET' || pathname !== '/profile') return { status: 404, body: { error: 'not_found' } };
    const token = bearerToken(req.headers.authorization);
    if (!token) return { status: 401, headers: { 'WWW-Authenticate': `Bearer ${REALM}` } };
    const answer = await fetch(userinfo, { headers: { Authorization: `Bearer ${token}` } });
    if (answer.status === 200) return { status: 200, body: { sub: (await answer.json()).sub } };
    if (answer.status === 401) {
      return { status: 401, headers: { 'WWW-Authenticate': `Bearer ${REALM}, error="invalid_token"` } };
    }
    return { status: 502, body: { error: `userinfo answered HTTP ${answer.status}` } };
  }

  return serve({ port, corsOrigins, log, judge, entryOf: () => ({}) });
}

/** The resource-server mode of startApi. */
async function startResourceServer({
  issuer, corsOrigins, port, audience, jwksUri, name, clockSkewSeconds,
}) {
  if (typeof audience !== 'string' || !audience) throw new TypeError('startApi: audience must be a non-empty string');
  const keyFor = jwksCache({ issuer, jwksUri });
  const realm = `realm="${unquoted(name)}"`;
  const log = [];
  const refused = new Set();

  async function judge(req, entry) {
    const { pathname } = new URL(req.url, 'http://localhost');
    if (req.method !== 'GET') return { status: 405, headers: { Allow: 'GET' }, body: { error: 'method_not_allowed' } };
    const token = bearerToken(req.headers.authorization);
    if (!token) return { status: 401, headers: { 'WWW-Authenticate': `Bearer ${realm}` } };
    const { claims, refusal } = refused.has(fingerprint(token))
      ? { refusal: 'revoked' }
      : await checkJwt(token, { issuer, audience, keyFor, clockSkewSeconds });
    if (refusal) {
      entry.refusal = refusal;
      return {
        status: 401,
        headers: { 'WWW-Authenticate': `Bearer ${realm}, error="invalid_token", error_description="${unquoted(refusal)}"` },
      };
    }
    const scope = typeof claims.scope === 'string' ? claims.scope : typeof claims.scp === 'string' ? claims.scp : null;
    Object.assign(entry, { audience, scope });
    return { status: 200, body: { api: name, path: pathname, audience, scope, sub: claims.sub ?? null } };
  }

  const api = await serve({
    port, corsOrigins, log, judge, entryOf: () => ({ audience: null, scope: null, refusal: null }),
  });
  return { ...api, audience, name, refuse: (tokenFingerprint) => { refused.add(tokenFingerprint); } };
}

/** The HTTP side shared by both modes: CORS, the log, the answer of `judge(req, entry)`. */
async function serve({ port, corsOrigins, log, judge, entryOf }) {
  const server = createServer(async (req, res) => {
    const cors = corsHeaders(req, corsOrigins);
    if (req.method === 'OPTIONS') {
      send(res, 204, cors['Access-Control-Allow-Origin'] ? {
        ...cors,
        'Access-Control-Allow-Methods': 'GET',
        'Access-Control-Allow-Headers': 'Authorization',
      } : cors);
      return;
    }
    const header = req.headers.authorization;
    const token = bearerToken(header);
    const entry = {
      method: req.method,
      path: new URL(req.url, 'http://localhost').pathname,
      authorization: token ? 'bearer' : header ? 'other' : 'none',
      token: fingerprint(token),
      status: null,
      ...entryOf(),
    };
    log.push(entry);
    const { status, headers = {}, body } = await judge(req, entry).catch(() => ({ status: 500 }));
    entry.status = status;
    send(res, status, { ...cors, ...headers }, body);
  });
  const boundPort = await listen(server, port);
  return {
    origin: `http://localhost:${boundPort}`,
    port: boundPort,
    requests: () => log.map((entry) => ({ ...entry })),
    close: closer(server),
  };
}
