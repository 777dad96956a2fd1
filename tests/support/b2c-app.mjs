// A minimal single-page app for the Azure AD B2C e2e tests: one page at `/` (its own redirect
// URI) that loads /pkg/spa_oauth.js, creates an AuthClient from the JSON config saved in
// localStorage, handles the callback and records the outcome in `window.app`, exactly as an app
// would. Unlike the demo page it hands the test the thrown AuthError itself (`b2cCode`,
// `instanceof`), and it does not change with the demo.
//
// window.app = {
//   state: 'loading' | 'ready' | 'failed' | 'module-error',   (also <html data-state>)
//   auth, AuthClient, AuthError,
//   isCallback: auth.isCallback() at load,
//   callback: { ok: true, value } | { ok: false, error },   (handleRedirectCallback(), every load)
//   login(options): loginRedirect without awaiting (the page navigates); a failure lands in
//                   app.loginError and <html data-login="failed">,
//   popup(options): loginPopup, called at once (the popup opens in the call); its outcome lands
//                   in app.popupResult ({ ok: true, value } | { ok: false, error }) and
//                   <html data-popup="done">,
//   silent(options): ssoSilent; resolves { ok: true } | { ok: false, error },
//   recordEvents(): from now on, app.events gets { name, code, b2cCode } for each event of the
//                   client (never a token),
//   describe(err): the AuthError as plain data,
// }
// The page is also the landing page of popup and silent logins (popupRedirectUri and
// silentRedirectUri default to redirectUri): in a popup or a hidden frame, its
// handleRedirectCallback() relays the response to the page that started the login.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { closer, listen } from './listen.mjs';

export const CONFIG_KEY = 'spa-oauth-b2c-e2e.config';
const PKG_DIR = fileURLToPath(new URL('../../pkg/', import.meta.url));

const PAGE = `<!DOCTYPE html>
<html lang="en" data-state="loading">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<title>spa-oauth B2C e2e app</title>
<script type="module">
const app = { state: 'loading', callback: null, loginError: null, error: null, popupResult: null, events: [] };
window.app = app;
const describe = (e) => ({
  isAuthError: Boolean(app.AuthError) && e instanceof app.AuthError,
  isError: e instanceof Error,
  name: e?.name ?? null,
  code: e?.code ?? null,
  message: String(e?.message ?? e),
  description: e?.description ?? null,
  b2cCode: e?.b2cCode ?? null,
  status: e?.status ?? null,
  providerError: e?.providerError ?? null,
  scopes: Array.isArray(e?.scopes) ? [...e.scopes] : e?.scopes ?? null,
});
app.describe = describe;
app.login = (options) => {
  app.loginError = null;
  delete document.documentElement.dataset.login;
  app.auth.loginRedirect(options).catch((e) => {
    app.loginError = describe(e);
    document.documentElement.dataset.login = 'failed';
  });
};
app.popup = (options) => {
  app.popupResult = null;
  delete document.documentElement.dataset.popup;
  app.auth.loginPopup(options).then(
    (value) => { app.popupResult = { ok: true, value }; },
    (e) => { app.popupResult = { ok: false, error: describe(e) }; },
  ).finally(() => { document.documentElement.dataset.popup = 'done'; });
};
app.silent = (options) => app.auth.ssoSilent(options).then(() => ({ ok: true }), (e) => ({ ok: false, error: describe(e) }));
app.recordEvents = () => {
  for (const name of ['tokensChanged', 'loggedOut', 'refreshFailed', 'silentRenewed', 'silentRenewFailed']) {
    app.auth.on(name, (e) => app.events.push({ name, code: e?.code ?? null, b2cCode: e?.b2cCode ?? null }));
  }
};
const done = (state) => {
  app.state = state;
  document.documentElement.dataset.state = state;
};
let wasm = null;
try {
  wasm = await import('/pkg/spa_oauth.js');
  await wasm.default();
} catch (e) {
  app.error = { code: 'module', message: String(e?.message ?? e) };
  done('module-error');
}
if (wasm && app.state === 'loading') {
  app.AuthClient = wasm.AuthClient;
  app.AuthError = wasm.AuthError;
  try {
    const config = JSON.parse(localStorage.getItem(${JSON.stringify(CONFIG_KEY)}) ?? 'null');
    if (config) {
      app.auth = new wasm.AuthClient(config);
      // As the README's example, but on every load: it is null when the page is no callback,
      // and it also checks the return from the provider's logout.
      app.isCallback = app.auth.isCallback();
      try {
        app.callback = { ok: true, value: await app.auth.handleRedirectCallback() };
      } catch (e) {
        app.callback = { ok: false, error: describe(e) };
      }
    }
    done('ready');
  } catch (e) {
    app.error = describe(e);
    done('failed');
  }
}
</script>
</head>
<body><p>spa-oauth B2C e2e app</p></body>
</html>
`;

const MIME_TYPES = {
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

async function servePkg(res, pathname) {
  let rel;
  try {
    rel = decodeURIComponent(pathname.slice('/pkg/'.length));
  } catch {
    rel = null;
  }
  const file = rel && !rel.split('/').includes('..') && !rel.includes('\0') ? resolve(join(PKG_DIR, rel)) : null;
  const info = file && file.startsWith(PKG_DIR.endsWith(sep) ? PKG_DIR : PKG_DIR + sep) ? await stat(file).catch(() => null) : null;
  if (!info?.isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end('Not Found\n');
    return;
  }
  res.writeHead(200, {
    'Content-Type': MIME_TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': info.size,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
}

/** Serves the page at `/` and the wasm package at `/pkg/` on `http://localhost:<port>`. */
export async function startB2CApp() {
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' });
      res.end();
    } else if (pathname === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : PAGE);
    } else if (pathname.startsWith('/pkg/')) {
      servePkg(res, pathname).catch(() => res.destroy());
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end('Not Found\n');
    }
  });
  const port = await listen(server, 0);
  return { origin: `http://localhost:${port}`, redirectUri: `http://localhost:${port}/`, port, close: closer(server) };
}
