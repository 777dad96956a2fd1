// Token responses for the fixture server: good ones (Azure AD B2C's shape, ID tokens signed
// for real) and the faults of the hostile-input catalog (tests/catalog/), chosen by the code
// or refresh token the client sends: `fault-<name>.<nonce>`.
import { createHmac, createSign, generateKeyPairSync } from 'node:crypto';

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const signing = rsa();
const stranger = rsa();
export const jwk = { ...signing.publicKey.export({ format: 'jwk' }), kid: 'fixture-key', alg: 'RS256', use: 'sig' };

const b64url = (data) => Buffer.from(data).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** An ID token for `ctx` ({ issuer, clientId, nonce }); `claims`/`header` override, `key` signs. */
export function idToken(ctx, { claims = {}, header = {}, key = signing.privateKey, sign = 'rsa' } = {}) {
  const head = b64url(JSON.stringify({ alg: 'RS256', kid: jwk.kid, typ: 'JWT', ...header }));
  const body = { iss: ctx.issuer, sub: 'fixture-user', aud: ctx.clientId, iat: now(), exp: now() + 3600, name: 'Fixture User' };
  if (ctx.nonce) body.nonce = ctx.nonce;
  const payload = b64url(JSON.stringify({ ...body, ...claims }));
  const input = `${head}.${payload}`;
  if (sign === 'none') return `${input}.`;
  if (sign === 'hmac') return `${input}.${createHmac('sha256', 'public-client-secret').update(input).digest('base64url')}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(key).toString('base64url')}`;
}

/** A good token response, in B2C's shape (numbers as strings). */
export function goodTokens(ctx, fields = {}) {
  return {
    not_before: String(now()),
    token_type: 'Bearer',
    access_token: 'fixture-access-token',
    scope: 'openid offline_access',
    expires_in: '3600',
    refresh_token: 'fixture-refresh-token',
    id_token: idToken(ctx),
    ...fields,
  };
}

const json = (status, body) => ({ status, type: 'application/json', body: JSON.stringify(body) });
const raw = (status, type, body) => ({ status, type, body });
const tokens = (ctx, fields) => json(200, goodTokens(ctx, fields));
const withIdToken = (ctx, options) => tokens(ctx, { id_token: idToken(ctx, options) });

/** name -> (ctx) => { status, type, body } | { hang: true } | { cors: false, ... } */
export const faults = {
  '400-oauth': () => json(400, { error: 'invalid_grant', error_description: 'AADB2C90080: The provided grant has expired.' }),
  '400-empty': () => raw(400, 'text/plain', ''),
  401: () => raw(401, 'text/plain', 'Unauthorized'),
  500: () => json(500, {}),
  '503-html': () => raw(503, 'text/html', '<html><body><h1>Service Unavailable</h1></body></html>'),
  'invalid-json': () => raw(200, 'application/json', '{"access_token": "x",'),
  array: () => json(200, []),
  'error-200': () => json(200, { error: 'access_denied', error_description: 'denied after all' }),
  'no-access-token': (ctx) => tokens(ctx, { access_token: undefined }),
  'access-token-number': (ctx) => tokens(ctx, { access_token: 42 }),
  'token-type-mac': (ctx) => tokens(ctx, { token_type: 'mac' }),
  'token-type-missing': (ctx) => tokens(ctx, { token_type: undefined }),
  'expires-negative': (ctx) => tokens(ctx, { expires_in: -1 }),
  'expires-zero': (ctx) => tokens(ctx, { expires_in: '0' }),
  'expires-absurd': (ctx) => tokens(ctx, { expires_in: 999999999999 }),
  'expires-text': (ctx) => tokens(ctx, { expires_in: 'soon' }),
  'expires-fraction': (ctx) => tokens(ctx, { expires_in: 3600.5 }),
  'duplicate-keys': () => raw(200, 'application/json', '{"access_token":"a","access_token":"b","token_type":"Bearer"}'),
  '2mb': () => raw(200, 'application/json', `{"access_token":"${'a'.repeat(2 * 1024 * 1024)}","token_type":"Bearer"}`),
  cors: (ctx) => ({ ...tokens(ctx), cors: false }),
  hang: () => ({ hang: true }),
  'no-id-token': (ctx) => tokens(ctx, { id_token: undefined }),
  'not-before-ahead': (ctx) => tokens(ctx, { not_before: String(now() + 1800) }),
  'id-alg-none': (ctx) => withIdToken(ctx, { header: { alg: 'none' }, sign: 'none' }),
  'id-hs256': (ctx) => withIdToken(ctx, { header: { alg: 'HS256' }, sign: 'hmac' }),
  'id-bad-signature': (ctx) => withIdToken(ctx, { key: stranger.privateKey }),
  'id-unknown-kid': (ctx) => withIdToken(ctx, { header: { kid: 'rotated-away' }, key: stranger.privateKey }),
  'id-wrong-aud': (ctx) => withIdToken(ctx, { claims: { aud: 'another-client' } }),
  'id-wrong-iss': (ctx) => withIdToken(ctx, { claims: { iss: 'https://evil.example.com' } }),
  'id-expired': (ctx) => withIdToken(ctx, { claims: { iat: now() - 7200, exp: now() - 3600 } }),
  'id-future-iat': (ctx) => withIdToken(ctx, { claims: { iat: now() + 3600 } }),
  'id-other-user': (ctx) => withIdToken(ctx, { claims: { sub: 'mallory' } }),
};
