// spa-oauth (this repository's pkg/): init() fetches, compiles and instantiates the wasm.
import init, { AuthClient } from '../../pkg/spa_oauth.js';

export async function create({ issuer, clientId, redirectUri, scopes }) {
  const wasm = await init();
  const auth = new AuthClient({ authority: issuer, clientId, redirectUri, scopes });
  return { auth, wasm };
}

export const isCallback = ({ auth }) => auth.isCallback();
export const login = ({ auth }) => auth.loginRedirect();
export const handleCallback = ({ auth }) => auth.handleRedirectCallback();
export const getAccessToken = ({ auth }) => auth.getAccessToken();
/** The instance's linear memory: init() resolves to the wasm exports, `memory` among them. */
export const wasmMemoryBytes = ({ wasm }) => wasm.memory.buffer.byteLength;
