// spa-oauth in a Vite app. The package is built with wasm-pack `--target web`: import its JS,
// let Vite emit the .wasm as an asset (`?url`), and hand `init` the compile that the built page
// started in its <head> (spa-oauth/vite), or that URL (the dev server's page starts nothing).
import init, { AuthClient, AuthError, type AuthClientConfig, type TokenSet } from 'spa-oauth';
import wasmUrl from 'spa-oauth/spa_oauth_bg.wasm?url';

// The built page's early start of the wasm (spa-oauth/vite in vite.config.ts).
declare global { interface Window { spaOauthWasm?: Promise<WebAssembly.Module> } }

// The provider comes from the URL (`?op=<issuer>&client=<id>`) and is kept in sessionStorage,
// because the provider sends the browser back to the bare redirect URI.
const SETTINGS_KEY = 'spa-oauth-example.settings';

interface Settings {
  op: string;
  client: string;
}

function readSettings(): Settings | null {
  const url = new URL(location.href);
  const op = url.searchParams.get('op');
  const client = url.searchParams.get('client') ?? 'spa-demo';
  if (op) {
    sessionStorage.setItem(SETTINGS_KEY, JSON.stringify({ op, client }));
    url.searchParams.delete('op');
    url.searchParams.delete('client');
    history.replaceState(history.state, '', url);
    return { op, client };
  }
  const saved = sessionStorage.getItem(SETTINGS_KEY);
  return saved ? (JSON.parse(saved) as Settings) : null;
}

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;

function setStatus(status: 'loading' | 'logged-out' | 'logged-in' | 'error') {
  const output = $('#status');
  output.dataset.status = status;
  output.textContent = status;
}

function showError(err: unknown) {
  const box = $('#error');
  box.hidden = false;
  if (err instanceof AuthError) {
    box.dataset.code = err.code;
    box.textContent = `${err.code}: ${err.message}`;
  } else {
    box.dataset.code = 'unexpected';
    box.textContent = String(err);
  }
  setStatus('error');
}

/** What the session holds, without printing token values. */
function describe(tokens: TokenSet | null, auth: AuthClient): string {
  if (!tokens) return '—';
  const user = auth.getUser();
  return JSON.stringify({
    accessToken: tokens.accessToken.length > 0,
    refreshToken: Boolean(tokens.refreshToken),
    idToken: Boolean(tokens.idToken),
    expiresAt: tokens.expiresAt ?? null,
    tokenType: tokens.tokenType,
    sub: user?.sub ?? null,
  }, null, 2);
}

function render(auth: AuthClient) {
  const tokens = auth.getTokens();
  setStatus(tokens ? 'logged-in' : 'logged-out');
  $('#session').textContent = describe(tokens, auth);
  $<HTMLButtonElement>('#login').hidden = Boolean(tokens);
  $<HTMLButtonElement>('#logout').hidden = !tokens;
}

async function main() {
  await init({ module_or_path: window.spaOauthWasm ?? wasmUrl });

  const settings = readSettings();
  if (!settings) throw new Error('open this page with ?op=<issuer URL>&client=<client id>');

  const config: AuthClientConfig = {
    clientId: settings.client,
    redirectUri: `${location.origin}/`,
    authority: settings.op,
    scopes: ['openid', 'profile', 'offline_access'],
  };
  const auth = new AuthClient(config);
  auth.on('tokensChanged', () => render(auth));
  auth.on('loggedOut', () => render(auth));

  if (auth.isCallback()) await auth.handleRedirectCallback();
  render(auth);

  const login = $<HTMLButtonElement>('#login');
  login.disabled = false;
  login.addEventListener('click', () => {
    auth.loginRedirect({ appState: { returnTo: location.pathname } }).catch(showError);
  });
  $('#logout').addEventListener('click', () => {
    auth.logout({ redirect: false }).then(() => render(auth), showError);
  });
}

main().catch(showError);
