// A fake HTTP server for the wasm-bindgen browser tests and the hostile-input catalog: what no
// real provider produces on demand (an echo of the request, a 503 page, Azure AD B2C's
// numbers-as-strings, broken token responses and ID tokens: see fixture-tokens.mjs). Prints its
// origin on stdout, then serves until killed. CORS: any origin, no credentials.
import http from 'node:http';

import { faults, goodTokens, idToken, jwk } from './fixture-tokens.mjs';

const send = (res, { status, type, body, cors = true }) => {
  if (!cors) res.removeHeader('Access-Control-Allow-Origin');
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
};
const json = (res, status, body) => send(res, { status, type: 'application/json', body: JSON.stringify(body) });

// `grants`: each refresh_token grant's presented refresh token, scope and resource (the
// fixture's tokens are made-up strings, not secrets), so tests can see rotation and replays.
const stats = { tokenRequests: 0, refreshes: 0, grants: [] };

const discovery = (req, res, issParameter) => {
  const origin = `http://${req.headers.host}`;
  json(res, 200, {
    issuer: origin,
    authorization_endpoint: `${origin}/authorize`,
    token_endpoint: `${origin}/token`,
    jwks_uri: `${origin}/jwks`,
    authorization_response_iss_parameter_supported: issParameter,
  });
};

/** `fault-<name>[.<nonce>]`, `fixture-code[.<nonce>]`, or a refresh token. */
function answerFor(grant, ctx) {
  const [kind, nonce] = grant.split('.');
  ctx.nonce = nonce;
  if (kind.startsWith('fault-')) return faults[kind.slice('fault-'.length)]?.(ctx);
  return undefined;
}

const routes = {
  'GET /stats': (req, res) => json(res, 200, stats),
  // What the browser really sent: method, content type, cookies, body.
  'POST /echo': (req, res, body) =>
    json(res, 200, { method: req.method, contentType: req.headers['content-type'] ?? null, cookie: req.headers.cookie ?? null, body }),
  // Never answers: for time-outs.
  'POST /hang': () => {},
  'GET /jwks': (req, res) => json(res, 200, { keys: [jwk] }),
  'GET /status/503': (req, res) => send(res, { status: 503, type: 'text/html', body: '<html><body>Service Unavailable</body></html>' }),
  'GET /.well-known/openid-configuration': (req, res) => discovery(req, res, false),
  // A provider that promises RFC 9207 `iss` in every authorization response.
  'GET /iss-required/.well-known/openid-configuration': (req, res) => discovery(req, res, true),
  // A B2C-shaped token endpoint. The code `fixture-code.<nonce>` (with its verifier and
  // redirect_uri) gets good tokens whose ID token carries the nonce; `fault-<name>.<nonce>`
  // gets that fault. Refresh tokens rotate: `fixture-refresh-token` or `rt-N` get new ones.
  'POST /token': (req, res, body) => {
    stats.tokenRequests += 1;
    const form = new URLSearchParams(body);
    const ctx = { issuer: `http://${req.headers.host}`, clientId: form.get('client_id') };
    if (form.get('grant_type') === 'refresh_token') return refresh(res, form, ctx);
    const fault = answerFor(form.get('code') ?? '', ctx);
    if (fault) return fault.hang ? undefined : send(res, fault);
    const ok = form.get('grant_type') === 'authorization_code' && (form.get('code') ?? '').startsWith('fixture-code')
      && /^[A-Za-z0-9._~-]{43,128}$/.test(form.get('code_verifier') ?? '') && form.get('redirect_uri') && ctx.clientId;
    if (!ok) return json(res, 400, { error: 'invalid_grant', error_description: 'AADB2C90080: The provided grant is invalid.' });
    json(res, 200, goodTokens(ctx, { id_token: idToken(ctx) }));
  },
};

function refresh(res, form, ctx) {
  stats.refreshes += 1;
  const token = form.get('refresh_token') ?? '';
  stats.grants.push({ refreshToken: token, scope: form.get('scope'), resource: form.get('resource') });
  const fault = answerFor(token, ctx);
  if (fault) return fault.hang ? undefined : send(res, fault);
  if (token !== 'fixture-refresh-token' && !token.startsWith('rt-')) {
    return json(res, 400, { error: 'invalid_grant', error_description: 'refresh token revoked' });
  }
  const n = stats.refreshes;
  json(res, 200, { access_token: `at-${n}`, token_type: 'Bearer', expires_in: 3600, refresh_token: `rt-${n}`, id_token: idToken(ctx) });
}

const server = http.createServer((req, res) => {
  res.setHeader('Access-Control-Allow-Origin', '*');
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => {
    const route = routes[`${req.method} ${new URL(req.url, 'http://x').pathname}`];
    if (route) route(req, res, body);
    else json(res, 404, { error: 'not_found' });
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${server.address().port}`);
});
