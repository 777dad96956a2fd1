// spa-oauth/react in a Vite app: one AuthClient, created once the wasm is loaded, handed to
// <AuthProvider>; the components use the hooks (src/App.tsx).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import init, { AuthClient } from 'spa-oauth';
import { AuthProvider } from 'spa-oauth/react';
import wasmUrl from 'spa-oauth/spa_oauth_bg.wasm?url';

import { App, navigate } from './App';
import { apisOf, readSettings } from './settings';
import { trace } from './trace';

// The built page's early start of the wasm (spa-oauth/vite in vite.config.ts); the dev server's
// page starts nothing, and init() fetches the URL.
declare global { interface Window { spaOauthWasm?: Promise<WebAssembly.Module> } }
await init({ module_or_path: window.spaOauthWasm ?? wasmUrl });

const settings = readSettings();
if (!settings) throw new Error('open this page with ?op=<issuer URL>&client=<client id>');
const apis = apisOf(settings);

const auth = new AuthClient({
  clientId: settings.client,
  redirectUri: `${location.origin}/`,
  authority: settings.op,
  // The login asks consent for every API's scopes; each API then gets its own token.
  scopes: ['openid', 'profile', 'offline_access', ...apis.flatMap((api) => api.scopes)],
  apis: apis.map(({ url, scopes, resource }) => ({ url, scopes, resource })),
});
trace.auth = auth;

/** After a redirect login: back to the route the user asked for (RequireAuth's appState). */
function onRedirectCallback(appState: unknown) {
  trace.redirects.push(appState);
  const returnTo = (appState as { returnTo?: unknown } | undefined)?.returnTo;
  // appState came back through the provider: only a path of this origin is followed.
  if (typeof returnTo === 'string' && new URL(returnTo, location.origin).origin === location.origin) navigate(returnTo, { replace: true });
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AuthProvider client={auth} onRedirectCallback={onRedirectCallback}>
      <App apis={apis} />
    </AuthProvider>
  </StrictMode>,
);
