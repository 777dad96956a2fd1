// OAuth by hand, in Node (no wasm): PKCE, an authorization request, the token requests and a
// protected API call, as a client would send them. The e2e suites use it to check the test
// servers themselves (tests/support/op.mjs, b2c-server.mjs, api-server.mjs), so that a failure
// of the library's tests points at the library and not at the infrastructure.
//
// Nothing here prints a token: results carry the raw values only for the next request, and
// `show()` turns a token response into fingerprints and decoded claims.
import { createHash, randomBytes } from 'node:crypto';

import { fingerprint } from './fingerprint.mjs';

export function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/**
 * An authorization request URL: `params` are added as given; `resource` may be an array (one
 * `resource=` per value, RFC 8707 §2.1).
 */
export function authorizationUrl(endpoint, { resource = [], ...params }) {
  const url = new URL(endpoint);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.append(key, value);
  for (const r of [resource].flat()) url.searchParams.append('resource', r);
  return url.href;
}

/**
 * A token request (form body; `resource` may be an array). Resolves `{ status, body }` with the
 * parsed JSON body (or null).
 */
export async function tokenRequest(endpoint, { origin, resource = [], ...params }) {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) body.append(key, value);
  for (const r of [resource].flat()) body.append('resource', r);
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(origin && { Origin: origin }) },
    body,
    redirect: 'manual',
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** The claims of a JWT (unverified), or null when `token` is not one. */
export function claimsOf(token) {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 3) return null;
  try {
    return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

/** A token response fit for an assertion message: fingerprints instead of tokens, plus claims. */
export function show(body) {
  if (!body || typeof body !== 'object') return body;
  const out = { ...body };
  for (const key of ['access_token', 'refresh_token', 'id_token']) {
    if (typeof out[key] === 'string') out[key] = { fp: fingerprint(out[key]), jwt: Boolean(claimsOf(out[key])) };
  }
  return out;
}

/**
 * GET `url` with `token` as a Bearer token (no Origin: a server-side call). Resolves `{ status,
 * challenge (WWW-Authenticate or null), body }`.
 */
export async function callApi(url, token) {
  const res = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return { status: res.status, challenge: res.headers.get('www-authenticate'), body: await res.json().catch(() => null) };
}
