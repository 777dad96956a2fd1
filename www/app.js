// spa-oauth demo: wires an AuthClient (the wasm package) to the page.
import {
  applyUrlOverrides, clearSettings, effectiveConfig, loadSettings, saveSettings,
} from './settings.js';
import * as view from './view.js';

// ---- Configuration ----------------------------------------------------------------------
// Defaults: the local OP started by `npm run demo` (scripts/serve-demo.mjs). Override them
// in the Settings form (kept in localStorage) or from a link, ?op=<issuer>&mode=query (the page
// asks before it saves a link's settings: see settings.js).
const DEFAULT_CONFIG = {
  authority: 'http://localhost:4000',
  clientId: 'spa-demo',
  redirectUri: `${location.origin}/`,
  scopes: ['openid', 'profile', 'email', 'offline_access'],
};
const WASM_MODULE = '/pkg/spa_oauth.js';
// -----------------------------------------------------------------------------------------

// Whether a user action is running: its buttons stay disabled until it ends.
let busy = false;

function setBusy(value) {
  busy = value;
  view.setBusy(value);
}

// "logged-in" means there is a session (a token set), even when its access token is about to
// expire: getAccessToken() is the one to renew it. isAuthenticated() is shown with the tokens.
function render(auth) {
  const tokens = auth.getTokens();
  view.setStatus(tokens ? 'logged-in' : 'logged-out');
  if (!busy) view.renderButtons({ loggedIn: Boolean(tokens) });
  view.renderTokens(tokens, { isAuthenticated: () => auth.isAuthenticated() });
}

function fail(err) {
  view.showError(err);
  view.setStatus('error');
}

/** Runs one user action: clears the last error, renders the outcome, shows any failure. */
async function perform(auth, action) {
  view.clearError();
  setBusy(true);
  let failure = null;
  try {
    await action();
  } catch (err) {
    failure = err;
  }
  setBusy(false);
  try {
    render(auth);
  } catch (err) {
    failure ??= err;
  }
  if (failure) fail(failure);
}

/** Runs a user action that leaves the page for the provider; shows why when it cannot. */
async function redirect(auth, action) {
  view.clearError();
  setBusy(true);
  view.setStatus('redirecting');
  try {
    await action();
  } catch (err) {
    setBusy(false);
    render(auth);
    fail(err);
  }
}

function wireActions(auth) {
  document.querySelector('#login').addEventListener('click', () => redirect(auth, () => (
    auth.loginRedirect({ appState: { returnTo: location.pathname } })
  )));

  document.querySelector('#get-token').addEventListener('click', () => perform(auth, async () => {
    try {
      const token = await auth.getAccessToken();
      view.renderGetTokenResult(token ? 'token' : 'none', token);
    } catch (err) {
      view.renderGetTokenResult('error');
      throw err;
    }
  }));

  document.querySelector('#logout').addEventListener('click', () => perform(auth, async () => {
    await auth.logout({ redirect: false });
    view.renderGetTokenResult(null);
    view.renderAppState(null);
  }));

  // Ends the provider's session too: its end-session page, then back here with a `state`
  // that handleRedirectCallback() checks. Without an end-session endpoint, a local logout.
  document.querySelector('#logout-everywhere').addEventListener('click', () => redirect(auth, async () => {
    await auth.logout();
    setBusy(false);
    render(auth);
  }));

  // A login, refresh or logout in another tab (storage: 'local'), or a refresh that ended the
  // session, shows at once.
  auth.on('tokensChanged', () => render(auth));
  auth.on('loggedOut', () => render(auth));
}

function wireSettings() {
  document.querySelector('#settings').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    try {
      const text = form.elements.provider.value.trim();
      saveSettings({ responseMode: form.elements.responseMode.value, provider: text ? JSON.parse(text) : {} });
    } catch (err) {
      view.showSettingsError(`Not saved: ${err.message}`);
      return;
    }
    location.reload();
  });

  document.querySelector('#reset').addEventListener('click', () => {
    clearSettings();
    location.reload();
  });
}

/** Loads the wasm package and creates the client; any failure becomes an AuthError-like value. */
async function createClient(config) {
  let wasm;
  try {
    wasm = await import(WASM_MODULE);
    await wasm.default();
  } catch (err) {
    throw { code: 'unavailable', message: `Could not load ${WASM_MODULE}: ${err?.message ?? err}` };
  }
  return new wasm.AuthClient(config);
}

async function main() {
  const problems = applyUrlOverrides(DEFAULT_CONFIG);
  const settings = loadSettings();
  const config = effectiveConfig(DEFAULT_CONFIG, settings);
  view.renderSettings(settings, config);
  view.showSettingsError(problems.join('; ') || null);
  wireSettings();
  setBusy(true);

  let auth;
  try {
    auth = await createClient(config);
  } catch (err) {
    fail(err);
    return;
  }
  // For the e2e tests and for poking around in the console.
  window.demo = { auth, config };
  wireActions(auth);

  if (auth.isCallback()) view.setStatus('handling-callback');
  await perform(auth, async () => {
    // A login response, or the return from the provider's logout (its `state` is checked).
    const result = await auth.handleRedirectCallback();
    if (result) view.renderAppState(result.appState);
  });
}

main();
