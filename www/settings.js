// The demo's persisted settings: the response mode and the provider overrides (JSON), kept in
// localStorage so they survive the round trip to the provider. They can also be set once from
// URL query parameters (used by the e2e tests):
//
//   ?op=<issuer URL>   use this OpenID Provider (sets { authority })
//   &client=<id>       with this client_id
//   &mode=query        response mode: query | fragment
//   &storage=local     where tokens live: session | local | memory (sets { storage })
//   &margin=<seconds>  refresh this long before expiry (sets { expiryMarginSeconds })
//   &api=<origin>      auth.fetch may send the token there; repeatable (sets { apiOrigins })
//   ?reset             forget all saved settings
//
// A link is not trusted: when its parameters would change what is saved (anything but ?reset),
// the page asks first, naming the provider and API origins it would save. OK saves them; Cancel
// keeps the saved settings. Otherwise one click on a crafted link would point the demo at
// another provider (where the user then types a password) or send its tokens to another API.
//
// None of these names collides with an OAuth response parameter (code, state, iss, error,
// error_description, session_state); they are removed from the address bar once read, whatever
// the answer.

const KEYS = {
  responseMode: 'spa-oauth-demo.responseMode',
  provider: 'spa-oauth-demo.provider',
};
const RESPONSE_MODES = ['fragment', 'query'];
const STORAGE_KINDS = ['session', 'local', 'memory'];
const URL_PARAMS = ['op', 'client', 'mode', 'storage', 'margin', 'api', 'reset'];

/** The first line of the question a link with new settings asks (tests/e2e/helpers.mjs accepts it by this). */
export const LINK_SETTINGS_PROMPT = "This link would change the demo's saved settings:";

// Keys that say where the provider is; any of them replaces the default authority.
const LOCATION_KEYS = ['authority', 'metadataUrl', 'issuer', 'authorizationEndpoint', 'tokenEndpoint'];

function readJson(key) {
  try {
    const value = JSON.parse(localStorage.getItem(key));
    return value && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/** @returns {{ responseMode: 'fragment' | 'query', provider: object }} */
export function loadSettings() {
  const mode = localStorage.getItem(KEYS.responseMode);
  return {
    responseMode: RESPONSE_MODES.includes(mode) ? mode : 'fragment',
    provider: readJson(KEYS.provider) ?? {},
  };
}

export function saveSettings({ responseMode, provider }) {
  if (responseMode !== undefined) {
    if (!RESPONSE_MODES.includes(responseMode)) throw new Error(`response mode must be one of ${RESPONSE_MODES.join(', ')}`);
    localStorage.setItem(KEYS.responseMode, responseMode);
  }
  if (provider !== undefined) {
    if (!provider || typeof provider !== 'object' || Array.isArray(provider)) {
      throw new Error('provider overrides must be a JSON object');
    }
    if (Object.keys(provider).length) localStorage.setItem(KEYS.provider, JSON.stringify(provider));
    else localStorage.removeItem(KEYS.provider);
  }
}

export function clearSettings() {
  for (const key of Object.values(KEYS)) localStorage.removeItem(key);
}

/** `value` when it is an http(s) origin (scheme, host, port; no path), else null. */
function httpOrigin(value) {
  try {
    const url = new URL(value);
    const isOrigin = /^https?:$/.test(url.protocol) && url.origin === value.replace(/\/$/, '');
    return isOrigin ? url.origin : null;
  } catch {
    return null;
  }
}

/** `value` without trailing slashes when it is an http(s) URL written without blanks or control characters, else null. */
function httpUrl(value) {
  if (/[\s\p{C}]/u.test(value)) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? value.replace(/\/+$/, '') : null;
  } catch {
    return null;
  }
}

/** The settings a link's parameters ask for, over `current`, and the parameters ignored. */
function settingsFromParams(params, current) {
  const problems = [];
  const provider = { ...current.provider };
  let { responseMode } = current;
  if (params.has('op')) {
    const authority = httpUrl(params.get('op'));
    if (authority) {
      for (const key of LOCATION_KEYS) delete provider[key];
      delete provider.policy;
      provider.authority = authority;
    } else {
      problems.push(`ignored ?op=: not an http(s) URL`);
    }
  }
  if (params.has('client')) provider.clientId = params.get('client');
  if (params.has('storage')) {
    const storage = params.get('storage');
    if (STORAGE_KINDS.includes(storage)) provider.storage = storage;
    else problems.push(`ignored ?storage=: use ${STORAGE_KINDS.join(', ')}`);
  }
  if (params.has('margin')) {
    const margin = params.get('margin');
    if (/^\d+$/.test(margin)) provider.expiryMarginSeconds = Number(margin);
    else problems.push('ignored ?margin=: use a whole number of seconds');
  }
  if (params.has('api')) {
    const origins = params.getAll('api').map(httpOrigin);
    if (origins.every(Boolean)) provider.apiOrigins = origins;
    else problems.push('ignored ?api=: use http(s) origins (scheme, host, port; no path)');
  }
  if (params.has('mode')) {
    const mode = params.get('mode');
    if (RESPONSE_MODES.includes(mode)) responseMode = mode;
    else problems.push(`ignored ?mode=: use ${RESPONSE_MODES.join(' or ')}`);
  }
  return { settings: { responseMode, provider }, problems };
}

/** JSON with object keys sorted, so that two configurations compare by content. */
function canonicalJson(value) {
  return JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]))
    : v));
}

/** Where a configuration logs in: its authority, or the first other key that locates the provider. */
function providerKey(config) {
  return LOCATION_KEYS.find((key) => config[key] !== undefined && config[key] !== null);
}

/** A setting's value for the question, with control and format characters escaped (no spoofed lines). */
function shown(value, unset = 'not set') {
  if (value === undefined || value === null || (Array.isArray(value) && !value.length)) return unset;
  const text = Array.isArray(value) ? value.join(', ') : typeof value === 'string' ? value : JSON.stringify(value);
  return text.replace(/[\p{C}\p{Zl}\p{Zp}]/gu, (c) => `\\u{${c.codePointAt(0).toString(16)}}`);
}

const LABELS = {
  clientId: 'client ID',
  responseMode: 'response mode',
  storage: 'token storage',
  expiryMarginSeconds: 'refresh margin (seconds)',
};

/** The question a link asks before it changes the saved settings: `before` and `after` are effective configurations. */
function describeChange(before, after) {
  const line = (label, was, now, unset) => (canonicalJson(was) === canonicalJson(now)
    ? `${label}: ${shown(now, unset)} (unchanged)`
    : `${label}: ${shown(was, unset)} → ${shown(now, unset)}`);
  const lines = [
    line('provider (you log in there)', before[providerKey(before)], after[providerKey(after)]),
    line('API origins (auth.fetch sends the access token there)', before.apiOrigins, after.apiOrigins,
      "this page's origin only"),
  ];
  const listed = new Set(['apiOrigins', providerKey(before), providerKey(after)]);
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (listed.has(key) || canonicalJson(before[key]) === canonicalJson(after[key])) continue;
    lines.push(line(LABELS[key] ?? key, before[key], after[key]));
  }
  return [
    LINK_SETTINGS_PROMPT, '', ...lines, '',
    'Save them only if you trust the link: the demo would send you to that provider to log in, '
      + 'and its access tokens to those origins. OK saves them; Cancel keeps the current settings.',
  ].join('\n');
}

/**
 * Reads the settings given as URL query parameters and removes those parameters from the
 * address bar (other parameters, e.g. an OAuth response, are left alone). `?reset` forgets the
 * saved settings at once. Any other change to the effective configuration is saved only when
 * `ask` (window.confirm) says yes; `defaults` is the demo's configuration without settings.
 * @returns {string[]} problems with ignored or declined parameters, for display
 */
export function applyUrlOverrides(defaults, ask = (message) => window.confirm(message)) {
  const url = new URL(location.href);
  const params = url.searchParams;
  if (!URL_PARAMS.some((name) => params.has(name))) return [];

  if (params.has('reset')) clearSettings();
  const current = loadSettings();
  const { settings, problems } = settingsFromParams(params, current);

  for (const name of URL_PARAMS) params.delete(name);
  history.replaceState(history.state, '', url.href);

  const before = effectiveConfig(defaults, current);
  const after = effectiveConfig(defaults, settings);
  if (canonicalJson(before) === canonicalJson(after)) return problems;
  if (ask(describeChange(before, after))) {
    saveSettings(settings);
  } else {
    problems.push('the settings in the link were not saved (declined): the saved ones stay');
  }
  return problems;
}

/** The AuthClient configuration: defaults, then provider overrides, then the response mode. */
export function effectiveConfig(defaults, { responseMode, provider }) {
  const base = { ...defaults };
  if (LOCATION_KEYS.some((key) => key in provider)) delete base.authority;
  return { ...base, ...provider, responseMode };
}
