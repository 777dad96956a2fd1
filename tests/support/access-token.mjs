// Checks a JWT access token (RFC 9068) as a resource server does, for the demo's gateway:
// signature against the OP's JWKS (RS256), `typ: at+jwt`, `iss`, `aud`, `exp`/`nbf`, and the
// scope the route needs. node:crypto only. Reasons never quote the token.
import { createPublicKey, verify } from 'node:crypto';

const CLOCK_SKEW = 60;

/** A refusal: `reason` goes into the RFC 6750 challenge's error_description. */
export class TokenRefused extends Error {
  constructor(reason) {
    super(reason);
    this.name = 'TokenRefused';
  }
}

function decodePart(part, what) {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value;
  } catch {
    // refused below
  }
  throw new TokenRefused(`the token's ${what} is not a JSON object`);
}

/**
 * A checker for tokens of the OP at `issuer`: `check(token, { audience, scope })` resolves the
 * token's claims, or rejects with TokenRefused saying why. The JWKS is fetched from discovery on
 * first use and again when a token names an unknown `kid` (key rotation).
 */
export function accessTokenChecker(issuer) {
  let keys = null;
  async function loadKeys() {
    const discovery = await fetch(`${issuer}/.well-known/openid-configuration`).then((r) => r.json());
    const jwks = await fetch(discovery.jwks_uri).then((r) => r.json());
    keys = new Map(jwks.keys.filter((k) => k.kty === 'RSA' && (!k.use || k.use === 'sig')).map((k) => [k.kid, k]));
  }
  async function keyFor(kid) {
    if (!keys?.has(kid)) await loadKeys();
    const jwk = keys.get(kid);
    if (!jwk) throw new TokenRefused('the token is signed with a key the OP does not publish');
    return createPublicKey({ key: jwk, format: 'jwk' });
  }

  return async function check(token, { audience, scope }) {
    const parts = String(token).split('.');
    if (parts.length !== 3) throw new TokenRefused('not a JWT access token');
    const header = decodePart(parts[0], 'header');
    if (header.alg !== 'RS256') throw new TokenRefused(`alg ${header.alg} is not RS256`);
    if (String(header.typ).toLowerCase().replace(/^application\//, '') !== 'at+jwt') {
      throw new TokenRefused('typ is not at+jwt (RFC 9068 §2.1)');
    }
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    if (!verify('RSA-SHA256', signed, await keyFor(header.kid), Buffer.from(parts[2], 'base64url'))) {
      throw new TokenRefused('bad signature');
    }
    const claims = decodePart(parts[1], 'payload');
    const now = Math.floor(Date.now() / 1000);
    if (claims.iss !== issuer) throw new TokenRefused(`iss is not ${issuer}`);
    if (!(typeof claims.exp === 'number' && claims.exp + CLOCK_SKEW > now)) throw new TokenRefused('expired');
    if (typeof claims.nbf === 'number' && claims.nbf - CLOCK_SKEW > now) throw new TokenRefused('not yet valid');
    if (![claims.aud].flat().includes(audience)) throw new TokenRefused(`aud is not ${audience}`);
    if (scope && !String(claims.scope ?? '').split(' ').includes(scope)) throw new TokenRefused(`scope lacks ${scope}`);
    return claims;
  };
}
