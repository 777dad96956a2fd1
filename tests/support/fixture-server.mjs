// A fake HTTP server for the wasm-bindgen browser tests: what no real provider produces on
// demand (an echo of the request, a 503 page, Azure AD B2C's numbers-as-strings). Prints its
// origin on stdout, then serves until killed. CORS: any origin, no credentials, like a token endpoint.
import http from 'node:http';
import { createSign, generateKeyPairSync } from 'node:crypto';

// One RS256 key for the run: ID tokens are signed for real, verified by the wasm with WebCrypto.
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'fixture-key', alg: 'RS256', use: 'sig' };
const b64url = (data) => Buffer.from(data).toString('base64url');

function idToken(issuer, clientId, nonce) {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg: 'RS256', kid: jwk.kid, typ: 'JWT' }));
  const claims = { iss: issuer, sub: 'fixture-user', aud: clientId, iat: now, exp: now + 3600, name: 'Fixture User' };
  if (nonce) claims.nonce = nonce;
  const payload = b64url(JSON.stringify(claims));
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(privateKey).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

const json = (res, status, body) => {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
};

let refreshes = 0;

const routes = {
  'GET /stats': (req, res) => json(res, 200, { refreshes }),
  // What the browser really sent: method, content type, cookies, body.
  'POST /echo': (req, res, body) =>
    json(res, 200, { method: req.method, contentType: req.headers['content-type'] ?? null, cookie: req.headers.cookie ?? null, body }),
  // Never answers: for time-outs.
  'POST /hang': () => {},
  'GET /jwks': (req, res) => json(res, 200, { keys: [jwk] }),
  'GET /status/503': (req, res) => {
    res.writeHead(503, { 'Content-Type': 'text/html' });
    res.end('<html><body>Service Unavailable</body></html>');
  },
  'GET /.well-known/openid-configuration': (req, res) => {
    const origin = `http://${req.headers.host}`;
    json(res, 200, {
      issuer: origin,
      authorization_endpoint: `${origin}/authorize`,
      token_endpoint: `${origin}/token`,
      jwks_uri: `${origin}/jwks`,
      authorization_response_iss_parameter_supported: false,
    });
  },
  // A B2C-shaped token endpoint: the code must come with its verifier and redirect_uri. The
  // code is `fixture-code` or `fixture-code.<nonce>`; the ID token then carries that nonce.
  'POST /token': (req, res, body) => {
    const form = new URLSearchParams(body);
    const issuer = `http://${req.headers.host}`;
    if (form.get('grant_type') === 'refresh_token') return refresh(res, form, issuer);
    const [code, nonce] = (form.get('code') ?? '').split('.');
    const ok = form.get('grant_type') === 'authorization_code' && code === 'fixture-code'
      && /^[A-Za-z0-9._~-]{43,128}$/.test(form.get('code_verifier') ?? '') && form.get('redirect_uri') && form.get('client_id');
    if (!ok) return json(res, 400, { error: 'invalid_grant', error_description: 'AADB2C90080: The provided grant is invalid.' });
    json(res, 200, {
      not_before: String(Math.floor(Date.now() / 1000)),
      token_type: 'Bearer',
      access_token: 'fixture-access-token',
      scope: 'openid offline_access',
      expires_in: '3600',
      refresh_token: 'fixture-refresh-token',
      id_token: idToken(issuer, form.get('client_id'), nonce),
    });
  },
};

// Rotating refresh tokens: each refresh answers a new access and refresh token; 'revoked' is refused.
function refresh(res, form, issuer) {
  refreshes += 1;
  const token = form.get('refresh_token') ?? '';
  if (token !== 'fixture-refresh-token' && !token.startsWith('rt-')) {
    return json(res, 400, { error: 'invalid_grant', error_description: 'refresh token revoked' });
  }
  json(res, 200, {
    access_token: `at-${refreshes}`, token_type: 'Bearer', expires_in: 3600, refresh_token: `rt-${refreshes}`,
    id_token: idToken(issuer, form.get('client_id')),
  });
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
