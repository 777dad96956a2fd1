// spa-oauth (this repository's pkg/): init() instantiates the wasm the page started to download
// and compile in its <head> (the README's start-up recipe, bench/bundle.mjs), or fetches and
// compiles it itself on a page without that (bare.html, figure b⁗).
// The second API is an `apis` entry: the login asks consent for its scopes and names its
// resource (RFC 8707), and getAccessToken({ scopes, resource }) gets its own token.
import init, { AuthClient } from '../../pkg/spa_oauth.js';

export async function create({ issuer, clientId, redirectUri, scopes, api }) {
  const start = performance.now();
  const wasm = await init({ module_or_path: window.spaOauthWasm });
  const initialized = performance.now();
  const auth = new AuthClient({
    authority: issuer, clientId, redirectUri, scopes: [...scopes, ...api.scopes], apis: [api],
  });
  const steps = { initMs: initialized - start, constructMs: performance.now() - initialized };
  return { auth, wasm, api, steps };
}

/** create()'s steps (figures b‴ and b⁗): init() (what is left of the download and compile, instantiate), `new AuthClient`. */
export const startupSteps = ({ steps }) => steps;

export const isCallback = ({ auth }) => auth.isCallback();
export const login = ({ auth }) => auth.loginRedirect();
export const handleCallback = ({ auth }) => auth.handleRedirectCallback();
export const getAccessToken = ({ auth }) => auth.getAccessToken();
export const getApiToken = ({ auth, api }) => auth.getAccessToken({ scopes: api.scopes, resource: api.resource });
/** The instance's linear memory: init() resolves to the wasm exports, `memory` among them. */
export const wasmMemoryBytes = ({ wasm }) => wasm.memory.buffer.byteLength;
