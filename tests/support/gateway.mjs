// The demo's API gateway (node:http, no deps), after Azure API Management's "forward the token
// to the backend" sample: each route checks the caller's JWT access token (validate-jwt:
// signature against the OP's JWKS, iss, exp, aud, scope) and forwards the call to its backend
// WITH the same Authorization header, which the backend checks again.
//
// The gateway has no audience of its own: a route accepts the token meant for the backend it
// fronts (aud = that backend's resource), so a pass-through token is one the backend accepts.
// (A gateway with its own audience would have to swap tokens, e.g. on-behalf-of; that is not
// this sample.)
//
// Answers: the backend's status, and a JSON body saying what the gateway checked and where it
// forwarded the call, with the backend's body inside. A refused token: 401 with an RFC 6750
// challenge (`error="invalid_token"`, the reason in error_description), and no call to the backend.
import { createServer } from 'node:http';

import { bearerToken, checkJwt, jwksCache } from './access-token.mjs';
import { fingerprint } from './fingerprint.mjs';
import { closer, listen } from './listen.mjs';

const REALM = 'realm="demo-gateway"';

function corsHeaders(req, corsOrigins) {
  const origin = req.headers.origin;
  if (!origin || !corsOrigins.includes(origin)) return { Vary: 'Origin' };
  return { Vary: 'Origin', 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': 'WWW-Authenticate' };
}

function send(res, status, headers, body) {
  res.writeHead(status, { 'Cache-Control': 'no-store', ...headers, ...(body && { 'Content-Type': 'application/json' }) });
  res.end(body && JSON.stringify(body, null, 2));
}

/** The route whose path is a prefix of `pathname` at a segment boundary (longest first). */
function routeFor(routes, pathname) {
  return routes
    .filter(({ path }) => pathname === path || pathname.startsWith(path.endsWith('/') ? path : `${path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0];
}

const quoted = (text) => text.replace(/[^\x20-\x7e]|["\\]/g, '?');

/**
 * Starts the gateway. `issuer`: the OP whose tokens it checks; `routes`: `[{ path, backend,
 * audience, scope }]` (path prefix -> backend origin; the path is forwarded as is);
 * `corsOrigins`: the page origins allowed by CORS. `requests()` lists the calls, oldest first:
 * `{ path, token: fingerprint | null, status, forwardedTo: URL | null }`.
 * @returns {Promise<{ origin: string, port: number, requests(): object[], close(): Promise<void> }>}
 */
export async function startGateway({ issuer, routes, corsOrigins, port = 0 }) {
  const keyFor = jwksCache({ issuer });
  const log = [];

  async function handle(req, entry) {
    const url = new URL(req.url, 'http://localhost');
    const route = req.method === 'GET' && routeFor(routes, url.pathname);
    if (!route) return { status: 404, body: { error: 'not_found', routes: routes.map((r) => r.path) } };

    const token = bearerToken(req.headers.authorization);
    if (!token) return { status: 401, headers: { 'WWW-Authenticate': `Bearer ${REALM}` } };
    const { audience, scope } = route;
    const { claims, refusal } = await checkJwt(token, { issuer, audience, scope, keyFor, clockSkewSeconds: 60, typ: 'at+jwt' });
    if (refusal) {
      const challenge = `Bearer ${REALM}, error="invalid_token", error_description="${quoted(`gateway: ${refusal}`)}"`;
      return { status: 401, headers: { 'WWW-Authenticate': challenge } };
    }

    // Forward the call with the caller's Authorization header, unchanged.
    const target = new URL(url.pathname + url.search, route.backend);
    entry.forwardedTo = target.href;
    const answer = await fetch(target, { headers: { Authorization: req.headers.authorization }, redirect: 'manual' });
    const text = await answer.text();
    let body = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: passed on as text
    }
    const challenge = answer.headers.get('WWW-Authenticate');
    return {
      status: answer.status,
      headers: challenge ? { 'WWW-Authenticate': challenge } : {},
      body: {
        gateway: {
          route: route.path,
          checked: { aud: claims.aud, scope: claims.scope, sub: claims.sub },
          forwardedTo: target.href,
          authorization: 'forwarded unchanged (the same bearer token)',
        },
        backend: { status: answer.status, body },
      },
    };
  }

  const server = createServer(async (req, res) => {
    const cors = corsHeaders(req, corsOrigins);
    if (req.method === 'OPTIONS') {
      send(res, 204, cors['Access-Control-Allow-Origin'] ? {
        ...cors, 'Access-Control-Allow-Methods': 'GET', 'Access-Control-Allow-Headers': 'Authorization',
      } : cors);
      return;
    }
    const entry = {
      path: new URL(req.url, 'http://localhost').pathname,
      token: fingerprint(bearerToken(req.headers.authorization)),
      status: null,
      forwardedTo: null,
    };
    log.push(entry);
    const { status, headers = {}, body } = await handle(req, entry)
      .catch((err) => ({ status: 502, body: { error: 'bad_gateway', detail: err.message } }));
    entry.status = status;
    send(res, status, { ...cors, ...headers }, body);
  });
  const boundPort = await listen(server, port);
  return {
    origin: `http://localhost:${boundPort}`,
    port: boundPort,
    requests: () => log.map((e) => ({ ...e })),
    close: closer(server),
  };
}
