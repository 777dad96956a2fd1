// A "catcher" for the fault tests (node:http, no deps): an origin that records every request it
// receives, preflights included, and answers any origin with CORS headers (also `Origin: null`,
// which a browser sends after a cross-origin redirect), so that whatever a browser would hand it
// (a token POST that followed a redirect, a bearer token) arrives and is seen.
//
// Records hold no secrets: the Authorization header becomes its scheme and a fingerprint
// (tests/support/fingerprint.mjs), a form body the names of its fields.
import { createServer } from 'node:http';

import { fingerprint } from './fingerprint.mjs';
import { closer, listen } from './listen.mjs';

const BODY_LIMIT = 64 * 1024;

function readBody(req) {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { if (body.length < BODY_LIMIT) body += chunk; });
    req.on('end', () => resolve(body));
    req.on('error', () => resolve(body));
  });
}

/** `Authorization: Bearer x` -> `{ authorization: 'bearer', token: fingerprint(x) }`. */
function authorizationOf(header) {
  if (header === undefined) return { authorization: 'none', token: null };
  const bearer = /^Bearer +(\S+)$/i.exec(header);
  return bearer ? { authorization: 'bearer', token: fingerprint(bearer[1]) } : { authorization: 'other', token: null };
}

function corsHeaders(req) {
  const requested = req.headers['access-control-request-headers'];
  return {
    Vary: 'Origin',
    'Access-Control-Allow-Origin': req.headers.origin ?? '*',
    'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE',
    ...(requested && { 'Access-Control-Allow-Headers': requested }),
    'Access-Control-Max-Age': '0',
  };
}

/**
 * Starts a catcher. `routes` maps a path to `(request) => ({ status, headers?, body? })` (the
 * request as recorded, plus `origin`: the catcher's own); any other path answers 200 `{}`.
 * `requests()` lists what arrived, oldest first: `{ method, path, origin (the Origin header),
 * authorization: 'bearer' | 'other' | 'none', token: fingerprint | null,
 * requestedHeaders (of a preflight), fields (names of a form body's fields) }`.
 * @returns {Promise<{ origin: string, port: number, requests(): object[], close(): Promise<void> }>}
 */
export async function startCatcher({ routes = {}, port = 0 } = {}) {
  const log = [];
  let origin;
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const path = new URL(req.url, 'http://localhost').pathname;
    const entry = {
      method: req.method,
      path,
      origin: req.headers.origin ?? null,
      ...authorizationOf(req.headers.authorization),
      requestedHeaders: req.headers['access-control-request-headers'] ?? null,
      fields: /x-www-form-urlencoded/.test(req.headers['content-type'] ?? '')
        ? [...new URLSearchParams(body).keys()] : [],
    };
    log.push(entry);
    const cors = corsHeaders(req);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors);
      res.end();
      return;
    }
    const answer = routes[path]?.({ ...entry, origin }) ?? { status: 200, body: {} };
    res.writeHead(answer.status, {
      'Cache-Control': 'no-store',
      ...cors,
      ...(answer.body !== undefined && { 'Content-Type': 'application/json' }),
      ...answer.headers,
    });
    res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
  });
  const boundPort = await listen(server, port);
  origin = `http://localhost:${boundPort}`;
  return {
    origin,
    port: boundPort,
    requests: () => log.map((entry) => ({ ...entry, fields: [...entry.fields] })),
    close: closer(server),
  };
}
