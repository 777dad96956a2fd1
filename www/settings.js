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
// None of these names collides with an OAuth response parameter (code, state, iss, error,
// error_description, session_state); they are removed from the address bar once read.

const KEYS = {
  responseMode: 'spa-oauth-demo.responseMode',
  provider: 'spa-oauth-demo.provider',
};
const RESPONSE_MODES = ['fragment', 'query'];
const STORAGE_KINDS = ['session', 'local', 'memory'];
const URL_PARAMS = ['op', 'client', 'mode', 'storage', 'margin', 'api', 'reset'];

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

function httpUrl(value) {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? value.replace(/\/+$/, '') : null;
  } catch {
    return null;
  }
}

/**
 * Persists the settings given as URL query parameters and removes those parameters from the
 * address bar (other parameters, e.g. an OAuth response, are left alone).
 * @returns {string[]} problems with ignored parameters, for display
 */
export function applyUrlOverrides() {
  const url = new URL(location.href);
  const params = url.searchParams;
  if (!URL_PARAMS.some((name) => params.has(name))) return [];

  const problems = [];
  if (params.has('reset')) clearSettings();

  const provider = { ...loadSettings().provider };
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
  saveSettings({ provider });

  if (params.has('mode')) {
    const mode = params.get('mode');
    if (RESPONSE_MODES.includes(mode)) saveSettings({ responseMode: mode });
    else problems.push(`ignored ?mode=: use ${RESPONSE_MODES.join(' or ')}`);
  }

  for (const name of URL_PARAMS) params.delete(name);
  history.replaceState(history.state, '', url.href);
  return problems;
}

/** The AuthClient configuration: defaults, then provider overrides, then the response mode. */
export function effectiveConfig(defaults, { responseMode, provider }) {
  const base = { ...defaults };
  if (LOCATION_KEYS.some((key) => key in provider)) delete base.authority;
  return { ...base, ...provider, responseMode };
}
