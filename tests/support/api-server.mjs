// A protected API for the e2e tests (node:http, no deps): `GET /profile` answers the caller's
// UserInfo claims when its `Authorization: Bearer` token is good, which it asks the OP's
// UserInfo endpoint (the token is opaque to the API, as with an introspection call).
//
// Refused requests get 401 with an RFC 6750 §3 challenge: `Bearer error="invalid_token"` when a
// token came and the OP refused it, a bare `Bearer realm` when none came. CORS lets the page's
// origins call it with an Authorization header and read WWW-Authenticate.
import { createServer } from 'node:http';

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

/** `Bearer <token>` -> the token; anything else -> null. */
function bearerToken(header) {
  const match = /^Bearer +([\x21-\x7e]+)$/i.exec(header ?? '');
  return match ? match[1] : null;
}

/**
 * Starts the API. `issuer`: the OP whose UserInfo endpoint judges tokens; `corsOrigins`: the
 * page origins allowed by CORS. `requests()` lists the non-preflight requests, oldest first:
 * `{ method, path, authorization: 'bearer' | 'none' | 'other', token: fingerprint | null, status }`.
 * @returns {Promise<{ origin: string, port: number, requests(): object[], close(): Promise<void> }>}
 */
export async function startApi({ issuer, corsOrigins, port = 0 }) {
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
    };
    log.push(entry);
    const { status, headers = {}, body } = await judge(req).catch(() => ({ status: 500 }));
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
