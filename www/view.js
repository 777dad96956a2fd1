// Everything the demo shows. Only textContent is written: no token, claim or error text is
// ever parsed as HTML.
import { decodeJwtPayload, describeExpiry, truncateToken } from './format.js';

const $ = (selector) => document.querySelector(selector);

/** One of: loading, logged-out, redirecting, handling-callback, logged-in, error. */
export function setStatus(status) {
  const el = $('#status');
  el.dataset.status = status;
  el.textContent = status;
}

/** Shows an AuthError (code, description, HTTP status) or any other thrown value. */
export function showError(err) {
  const code = err?.code ?? (err?.name === 'AuthError' ? 'unknown' : 'unexpected');
  const parts = [err?.description || err?.message || String(err)];
  if (err?.status) parts.push(`(HTTP ${err.status})`);
  const box = $('#error');
  box.dataset.code = code;
  box.querySelector('.error-code').textContent = code;
  box.querySelector('.error-message').textContent = parts.join(' ');
  box.hidden = false;
}

export function clearError() {
  const box = $('#error');
  box.hidden = true;
  delete box.dataset.code;
  box.querySelector('.error-code').textContent = '';
  box.querySelector('.error-message').textContent = '';
}

const ACTIONS = ['#login', '#get-token', '#logout', '#logout-everywhere'];

/** Disables the session buttons while an operation runs (or when there is no client). */
export function setBusy(busy) {
  for (const selector of ACTIONS) $(selector).disabled = busy;
}

export function renderButtons({ loggedIn }) {
  setBusy(false);
  $('#login').disabled = loggedIn;
}

function claimsText(token) {
  if (!token) return '—';
  const claims = decodeJwtPayload(token);
  return claims ? JSON.stringify(claims, null, 2) : 'opaque (not a JWT)';
}

let ticker = null;

/** Updates the expiry countdown and isAuthenticated() every second. */
function startTicker(expiresAt, isAuthenticated) {
  clearInterval(ticker);
  const expiresIn = $('#expires-in');
  const authenticated = $('#tokens [data-field="authenticated"]');
  const tick = () => {
    expiresIn.textContent = expiresAt ? `(${describeExpiry(expiresAt)})` : '';
    authenticated.textContent = String(isAuthenticated());
  };
  tick();
  ticker = setInterval(tick, 1000);
}

/** The token set from AuthClient.getTokens() (or null); `isAuthenticated` is polled. */
export function renderTokens(tokens, { isAuthenticated }) {
  const show = {
    accessToken: truncateToken(tokens?.accessToken),
    refreshToken: tokens?.refreshToken ? truncateToken(tokens.refreshToken) : '—',
    idToken: tokens?.idToken ? truncateToken(tokens.idToken) : '—',
    tokenType: tokens?.tokenType || '—',
    scope: tokens?.scope || '—',
    expiresAt: tokens?.expiresAt ? new Date(Number(tokens.expiresAt)).toLocaleString() : '—',
  };
  for (const [field, text] of Object.entries(show)) {
    $(`#tokens [data-field="${field}"]`).textContent = text;
  }
  startTicker(tokens?.expiresAt ? Number(tokens.expiresAt) : null, isAuthenticated);
  $('#id-claims').textContent = claimsText(tokens?.idToken);
  $('#access-claims').textContent = claimsText(tokens?.accessToken);
}

/** The outcome of the "Get access token" button: 'token', 'none', 'error', or null to clear. */
export function renderGetTokenResult(outcome, token) {
  const el = $('#get-token-result');
  if (outcome === null) {
    delete el.dataset.result;
    el.textContent = '';
    return;
  }
  el.dataset.result = outcome;
  el.textContent = {
    token: `getAccessToken() returned a token: ${truncateToken(token)}`,
    none: 'getAccessToken() returned null: not logged in, or the token expired and could not be renewed.',
    error: 'getAccessToken() failed: see the error above.',
  }[outcome];
}

export function renderAppState(appState) {
  const el = $('#app-state');
  el.hidden = appState === undefined || appState === null;
  el.textContent = el.hidden ? '' : `appState returned by the callback: ${JSON.stringify(appState)}`;
}

export function renderSettings({ responseMode, provider }, config) {
  $('#response-mode').value = responseMode;
  $('#provider-json').value = JSON.stringify(provider, null, 2);
  $('#effective-config').textContent = JSON.stringify(config, null, 2);
}

export function showSettingsError(message) {
  const el = $('#settings-error');
  el.textContent = message ?? '';
  el.hidden = !message;
}
