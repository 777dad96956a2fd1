// Checks a JWT access token as a resource server does, for the protected test APIs
// (api-server.mjs) and the demo's gateway (gateway.mjs): RS256 signature against the issuer's
// JWKS, `iss`, `exp`/`nbf` with a leeway, `aud`, and optionally RFC 9068's `typ: at+jwt` and a
// scope. node:crypto only. Refusals are short reasons that never quote the token.
import { createPublicKey, verify } from 'node:crypto';

/** `Bearer <token>` -> the token; anything else -> null. */
export function bearerToken(header) {
  const match = /^Bearer +([\x21-\x7e]+)$/i.exec(header ?? '');
  return match ? match[1] : null;
}

/** A JSON object from base64url, or null. */
function decodeJson(part) {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/** The issuer's keys by kid, fetched on first use and again for a kid not seen yet. */
export function jwksCache({ issuer, jwksUri }) {
  let keys = null;
  let uri = jwksUri ?? null;
  async function load() {
    uri ??= (await (await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`)).json()).jwks_uri;
    const res = await fetch(uri);
    if (res.status !== 200) throw new Error(`access-token: the JWKS answered HTTP ${res.status}`);
    keys = new Map();
    for (const jwk of (await res.json()).keys ?? []) {
      if (jwk.kty === 'RSA' && (!jwk.use || jwk.use === 'sig')) keys.set(jwk.kid, createPublicKey({ key: jwk, format: 'jwk' }));
    }
  }
  return async (kid) => {
    if (!keys?.has(kid)) await load();
    return keys.get(kid) ?? null;
  };
}

/**
 * `{ claims }` when `token` is good for `audience` (and `scope`, and `typ`, when given), else
 * `{ refusal }`. `keyFor(kid)` resolves the issuer's public key (or null).
 */
export async function checkJwt(token, { issuer, audience, keyFor, clockSkewSeconds = 0, scope, typ }) {
  const parts = token.split('.');
  if (parts.length !== 3) return { refusal: 'not a JWT' };
  const header = decodeJson(parts[0]);
  const claims = decodeJson(parts[1]);
  if (!header || !claims) return { refusal: 'not a JWT' };
  if (header.alg !== 'RS256') return { refusal: `alg ${header.alg} is not RS256` };
  if (typ && String(header.typ).toLowerCase().replace(/^application\//, '') !== typ) return { refusal: `typ is not ${typ}` };
  const key = await keyFor(header.kid);
  if (!key) return { refusal: 'unknown signing key' };
  const signed = verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2], 'base64url'));
  if (!signed) return { refusal: 'bad signature' };
  if (claims.iss !== issuer) return { refusal: 'wrong issuer' };
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== 'number' || claims.exp <= now - clockSkewSeconds) return { refusal: 'expired' };
  if (typeof claims.nbf === 'number' && claims.nbf > now + clockSkewSeconds) return { refusal: 'not valid yet' };
  if (![claims.aud].flat().includes(audience)) return { refusal: 'wrong audience' };
  if (scope && !String(claims.scope ?? claims.scp ?? '').split(' ').includes(scope)) return { refusal: `scope lacks ${scope}` };
  return { claims };
}
