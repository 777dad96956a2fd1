// Everything the demo shows. Only textContent is written: no token, claim or error text is
// ever parsed as HTML.
import { decodeJwtPayload, describeExpiry, truncateToken } from './format.js';

const $ = (selector) => document.querySelector(selector);

/**
 * One of: loading, logged-out, redirecting, handling-callback, waiting-for-popup,
 * signing-in-silently, logged-in, error; and relayed, on the page a popup or silent login
 * landed on (it hands the response over and stops).
 */
export function setStatus(status) {
  const el = $('#status');
  el.dataset.status = status;
  el.textContent = status;
}

/**
 * On the page a popup or silent login landed on, once it handed the response over: says so,
 * and leaves nothing to click or edit (the page has no client, and a B2C password reset keeps
 * the popup open until the opener sends it on).
 */
export function showRelayed() {
  setStatus('relayed');
  for (const control of document.querySelectorAll('button, input, select, textarea')) control.disabled = true;
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

const LOGINS = ['#login', '#login-popup', '#sso-silent'];
const ACTIONS = [...LOGINS, '#get-token', '#logout', '#logout-everywhere'];

/** Disables the session buttons while an operation runs (or when there is no client). */
export function setBusy(busy) {
  for (const selector of ACTIONS) $(selector).disabled = busy;
  if (busy) setApiButtons(false);
}

export function renderButtons({ loggedIn }) {
  setBusy(false);
  for (const selector of LOGINS) $(selector).disabled = loggedIn;
  setApiButtons(loggedIn);
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
  el.textContent = el.hidden ? '' : `appState handed back by the login: ${JSON.stringify(appState)}`;
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

// ---- APIs -----------------------------------------------------------------------------------

const tokenLabel = ({ scopes, resource }) => `${scopes.join(' ')}${resource ? ` · resource ${resource}` : ''}`;

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'dataset') Object.assign(node.dataset, value);
    else node[name] = value;
  }
  node.append(...children);
  return node;
}

/**
 * One row per call of www/apis.js apiCalls(): its URL, the token auth.fetch picks for it, a
 * button that calls it and one that sends it another API's token. `onCall(call, wrong)` runs on
 * a click (`wrong` false or true).
 */
export function renderApiCalls(calls, onCall) {
  const list = $('#api-calls');
  list.replaceChildren(...calls.map((call) => {
    const own = el('button', { type: 'button', className: 'api-own', textContent: 'Call with auth.fetch' });
    own.addEventListener('click', () => onCall(call, false));
    const buttons = [own];
    if (call.wrong) {
      const wrong = el('button', {
        type: 'button', className: 'api-wrong', textContent: `Send apis[${call.wrong.index}]'s token instead`,
        title: `GET ${call.url} with the token for ${tokenLabel(call.wrong)}: the API must refuse it`,
      });
      wrong.addEventListener('click', () => onCall(call, true));
      buttons.push(wrong);
    }
    return el('li', { className: 'api-call', dataset: { index: String(call.index) } },
      el('div', {},
        el('code', { textContent: `GET ${call.url}` }),
        el('span', { className: 'muted', textContent: ` apis[${call.index}]: token for ${tokenLabel(call.token)}` })),
      el('div', { className: 'actions' }, ...buttons),
      el('dl', { className: 'tokens call-result', hidden: true }));
  }));
  $('#apis-none').hidden = calls.length > 0;
}

/** Enables the API buttons when there is a session and no other action runs. */
export function setApiButtons(enabled) {
  for (const button of document.querySelectorAll('#api-calls button')) button.disabled = !enabled;
}

/** What went: the token's audience and scopes (JWT claims), or what else is known of it. */
function describeToken(attempt) {
  if (!attempt.header) return 'none (no Authorization header)';
  const { claims } = attempt;
  if (claims) {
    const aud = [claims.aud].flat().join(', ');
    return `aud ${aud || '(none)'} · scope ${claims.scope ?? '(none)'}${attempt.is ? ` (${attempt.is})` : ''}`;
  }
  return attempt.is ?? 'opaque (not a JWT)';
}

/**
 * A call's outcome in its row: `{ wrong, url, attempts (www/wire.js), answer: { status,
 * statusText, challenge, body } | null, error }`. Each request sent is listed (auth.fetch
 * retries once after a 401 invalid_token). The row's dataset carries what the tests read.
 */
export function renderApiResult(index, { wrong, token, url, attempts, answer, error }) {
  const row = $(`#api-calls [data-index="${index}"]`);
  const box = row.querySelector('.call-result');
  const last = attempts.at(-1);
  const claims = last?.claims ?? {};
  Object.assign(row.dataset, {
    calls: String(Number(row.dataset.calls ?? 0) + 1),
    kind: wrong ? 'wrong' : 'own',
    status: answer ? String(answer.status) : 'error',
    aud: [claims.aud ?? ''].flat().join(' '),
    scope: claims.scope ?? '',
  });
  const lines = [
    ['Request', `GET ${url}`],
    ['Token asked', wrong ? `another API's: ${tokenLabel(token)} (set by the page; auth.fetch leaves it alone)`
      : `${tokenLabel(token)} (picked by auth.fetch: the longest apis prefix)`],
  ];
  attempts.forEach((attempt, n) => {
    const label = attempts.length > 1 ? ` (try ${n + 1}, answered ${attempt.status})` : '';
    lines.push([`Token sent${label}`, describeToken(attempt)]);
    lines.push(['Authorization', attempt.header ?? '—']);
  });
  if (answer) {
    lines.push(['Answer', `${answer.status} ${answer.statusText}`.trim()]);
    if (answer.challenge) lines.push(['WWW-Authenticate', answer.challenge]);
  } else {
    lines.push(['Answer', `none: ${error?.code ?? 'error'} ${error?.description ?? error?.message ?? ''}`.trim()]);
  }
  box.replaceChildren(...lines.flatMap(([term, text]) => [el('dt', { textContent: term }), el('dd', { textContent: text })]));
  if (answer) box.append(el('dt', { textContent: 'Body' }), el('dd', {}, el('pre', { className: 'claims answer-body', textContent: answer.body || '(empty)' })));
  box.hidden = false;
}

const apiTokens = new Map();

/**
 * The API tokens minted since the page loaded, from `tokensChanged` events whose payload names
 * an `api` ({ scopes, resource }): audience and scopes from the JWT, expiry, the token elided.
 * `null` clears the list (logout).
 */
export function renderApiToken(tokens) {
  if (tokens === null) apiTokens.clear();
  else {
    const claims = decodeJwtPayload(tokens.accessToken) ?? {};
    apiTokens.set(`${[...tokens.api.scopes].sort().join(' ')}\n${tokens.api.resource ?? ''}`, {
      asked: tokenLabel(tokens.api),
      aud: [claims.aud ?? '—'].flat().join(', '),
      scope: claims.scope ?? tokens.scope ?? '—',
      expires: tokens.expiresAt ? new Date(Number(tokens.expiresAt)).toLocaleTimeString() : '—',
      token: truncateToken(tokens.accessToken),
    });
  }
  $('#api-tokens').replaceChildren(...[...apiTokens.values()].map((t) => el('li', {},
    el('code', { textContent: t.asked }),
    el('span', { textContent: ` → aud ${t.aud}, scope ${t.scope}, expires ${t.expires}, ${t.token}` }))));
  $('#api-tokens-none').hidden = apiTokens.size > 0;
}
