// spa-oauth demo: wires an AuthClient (the wasm package) to the page.
import { LOCAL_OP, apiCalls, withLocalApis } from './apis.js';
import {
  applyUrlOverrides, clearSettings, effectiveConfig, loadSettings, saveSettings,
} from './settings.js';
import * as view from './view.js';
import { watchRequests } from './wire.js';

// ---- Configuration ----------------------------------------------------------------------
// Defaults: the local OP started by `npm run demo` (scripts/serve-demo.mjs). Override them
// in the Settings form (kept in localStorage) or from a link, ?op=<issuer>&mode=query (the page
// asks before it saves a link's settings: see settings.js). With the local OP, the page also
// calls the local APIs and the gateway (`apis`, added by withLocalApis: see apis.js).
const DEFAULT_CONFIG = {
  authority: LOCAL_OP,
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

  // loginPopup() opens the popup when it is called, so it is called right here, in the click's
  // own task, before any await: browsers block a popup opened later (AuthError popup_blocked).
  // The session lands in this page without navigating it; the popup closes itself.
  document.querySelector('#login-popup').addEventListener('click', () => {
    const login = auth.loginPopup({ appState: { returnTo: location.pathname } });
    perform(auth, async () => {
      view.setStatus('waiting-for-popup');
      view.renderAppState(null);
      const result = await login;
      view.renderAppState(result.appState);
    });
  });

  // A hidden frame asks the provider with prompt=none: logged in without any interaction when
  // the provider still has the user's session (another tab logged in), its login_required
  // (or interaction_required, consent_required) otherwise, timeout when it cannot be framed.
  document.querySelector('#sso-silent').addEventListener('click', () => perform(auth, async () => {
    view.setStatus('signing-in-silently');
    view.renderAppState(null);
    await auth.ssoSilent();
  }));

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
  // session, shows at once. An API's token (payload with `api`) joins the API tokens list.
  auth.on('tokensChanged', (tokens) => {
    if (tokens?.api) view.renderApiToken(tokens);
    else render(auth);
  });
  auth.on('loggedOut', () => {
    view.renderApiToken(null);
    render(auth);
  });
}

/** The answer of an API call, for display: status, challenge, and the body (JSON pretty-printed, capped). */
async function readAnswer(response) {
  const text = await response.text();
  let body = text;
  try {
    body = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // not JSON: shown as it came
  }
  return {
    status: response.status,
    statusText: response.statusText,
    challenge: response.headers.get('WWW-Authenticate'),
    body: body.length > 4000 ? `${body.slice(0, 4000)}…` : body,
  };
}

/**
 * One API button: GET the call's URL with auth.fetch, which attaches the token of the `apis`
 * entry covering it. `wrong`: the page sets another API's token itself (auth.fetch leaves an
 * app's own Authorization header alone), to show that the API refuses it. The row shows what
 * went over the wire (www/wire.js) and the answer.
 */
async function callApi(auth, call, wrong) {
  const token = wrong ? call.wrong : call.token;
  // Tells the login's (opaque) token apart; the API tokens speak for themselves (JWT claims).
  const identify = (sent) => (sent === auth.getTokens()?.accessToken ? "the login's access token" : null);
  const watch = watchRequests(call.url, identify);
  let answer = null;
  let error = null;
  try {
    const init = {};
    if (wrong) {
      const other = await auth.getAccessToken({ scopes: token.scopes, resource: token.resource });
      if (other === null) throw { code: 'login_required', message: 'no session: log in first' };
      init.headers = { Authorization: `Bearer ${other}` };
    }
    answer = await readAnswer(await auth.fetch(call.url, init));
  } catch (err) {
    error = err;
  }
  view.renderApiResult(call.index, { wrong, token, url: call.url, attempts: watch.stop(), answer, error });
  if (error) throw error;
}

function wireApis(auth, config) {
  view.renderApiCalls(apiCalls(config.apis), (call, wrong) => perform(auth, () => callApi(auth, call, wrong)));
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

/** Loads the wasm package; a failure becomes an AuthError-like value. */
async function loadWasm() {
  try {
    const wasm = await import(WASM_MODULE);
    // The compile index.html started early (README, "Start-up"); init() fetches it without one.
    await wasm.default({ module_or_path: window.spaOauthWasm });
    return wasm;
  } catch (err) {
    throw { code: 'unavailable', message: `Could not load ${WASM_MODULE}: ${err?.message ?? err}` };
  }
}

async function main() {
  const loading = loadWasm();
  const wasm = await loading.catch(() => null);
  // This page is also where the popup of "Log in with a popup" and the hidden frame of "Sign in
  // silently" land (popupRedirectUri and silentRedirectUri default to redirectUri). There it
  // only hands the response to the tab that started the login, which redeems it, and stops:
  // no settings read or asked for, no client (a frame shares the tab's sessionStorage), no
  // buttons. relayResponse() closes a popup; it is false on any other visit. (A package without
  // it, an older build, still relays in handleRedirectCallback() below.)
  if (typeof wasm?.relayResponse === 'function' && wasm.relayResponse()) {
    view.showRelayed();
    return;
  }

  const problems = applyUrlOverrides(DEFAULT_CONFIG);
  const settings = loadSettings();
  const config = withLocalApis(effectiveConfig(DEFAULT_CONFIG, settings));
  view.renderSettings(settings, config);
  view.showSettingsError(problems.join('; ') || null);
  wireSettings();
  setBusy(true);

  let auth;
  try {
    auth = new (await loading).AuthClient(config);
  } catch (err) {
    fail(err);
    return;
  }
  // For the e2e tests and for poking around in the console.
  window.demo = { auth, config };
  wireActions(auth);
  wireApis(auth, config);

  if (auth.isCallback()) view.setStatus('handling-callback');
  await perform(auth, async () => {
    // A login response, or the return from the provider's logout (its `state` is checked).
    const result = await auth.handleRedirectCallback();
    if (result) view.renderAppState(result.appState);
  });
}

main();
