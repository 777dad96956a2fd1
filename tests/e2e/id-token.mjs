// Forged ID tokens for the e2e tests: the OP's token response is intercepted on its way to the
// page and its id_token replaced, signed with the OP's own key (valid signature, wrong claims)
// or with a stranger's key under the OP's kid (bad signature).
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';

const b64 = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const json = (part) => JSON.parse(Buffer.from(part, 'base64url'));

/** The header and claims of a JWS in compact form (not verified). */
export function decodeJwt(token) {
  const [header, claims] = token.split('.');
  return { header: json(header), claims: json(claims) };
}

/** RS256 JWS of `claims` under `header`, signed with `key` (a KeyObject or a private JWK). */
export function signJwt(header, claims, key) {
  if (header.alg !== 'RS256') throw new Error(`signJwt: only RS256, not ${header.alg}`);
  const privateKey = key.type === 'private' ? key : createPrivateKey({ key, format: 'jwk' });
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

/** An ID token edit: same header (alg, kid), claims through `change`, signed with the OP's key. */
export const resignedWith = (op, change = (claims) => claims) => (token) => {
  const { header, claims } = decodeJwt(token);
  return signJwt(header, change({ ...claims }), op.signingKey);
};

/** An ID token edit: same header and claims, signed with a key that is not the OP's. */
export const signedByStranger = () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return (token) => {
    const { header, claims } = decodeJwt(token);
    return signJwt(header, claims, privateKey);
  };
};

/**
 * Replaces the id_token of every token response the page receives from `op` by
 * `edit(id_token)`; the rest of the response (status, CORS headers, other tokens) is the OP's.
 * @returns {Promise<() => number>} how many ID tokens were edited
 */
export async function editIdTokens(page, { op }, edit) {
  let edited = 0;
  await page.route(`${op.issuer}/token`, async (route) => {
    const response = await route.fetch();
    const body = await response.json().catch(() => null);
    if (response.status() !== 200 || typeof body?.id_token !== 'string') {
      await route.fulfill({ response });
      return;
    }
    edited += 1;
    const headers = { ...response.headers() };
    delete headers['content-length'];
    await route.fulfill({ response, headers, body: JSON.stringify({ ...body, id_token: edit(body.id_token) }) });
  });
  return () => edited;
}
