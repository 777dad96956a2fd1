// The demo's APIs: the ones `npm run demo` starts beside the local OpenID Provider, and the
// calls the page's API buttons make. No DOM here: tests/support/demo-servers.mjs imports this
// file too, so the servers and the page agree on URLs, scopes and resources.
//
//   orders API   http://localhost:4001/orders    accepts tokens with aud https://orders.example
//   billing API  http://localhost:4002/invoices  accepts tokens with aud https://billing.example
//   gateway      http://localhost:4003/orders    checks an orders token, forwards it to the orders API
//                http://localhost:4003/invoices  checks a billing token, forwards it to the billing API
//
// A resource (RFC 8707) names an API, not where it listens (like an Azure App ID URI): the
// tokens' `aud` stays the same on any port, and `.example` is reserved (RFC 2606), so nothing
// ever answers there.
//
// The gateway has no audience of its own: as in Azure API Management's "forward the token to
// the backend" sample (validate-jwt, then the call goes on with its Authorization header), it
// checks the token meant for the backend it fronts and passes it through; the backend checks it
// again. So the page sends the orders token to both http://localhost:4001/orders and
// http://localhost:4003/orders, and auth.fetch picks it by the longest `apis` prefix.

export const LOCAL_OP = 'http://localhost:4000';

/** The default origins of the local APIs (scripts/serve-demo.mjs). */
export const LOCAL_API_ORIGINS = {
  orders: 'http://localhost:4001',
  billing: 'http://localhost:4002',
  gateway: 'http://localhost:4003',
};

/** Each API's resource indicator: the `aud` of its tokens. */
export const API_RESOURCES = { orders: 'https://orders.example', billing: 'https://billing.example' };

/** Each API's scope, and the path the page calls (on the API, and on the gateway in front of it). */
export const API_SCOPES = { orders: 'orders:read', billing: 'billing:read' };
export const API_PATHS = { orders: '/orders', billing: '/invoices' };

/** The `scopes` to add to the login's and the `apis` entries for the local APIs at `origins`. */
export function localApis(origins = LOCAL_API_ORIGINS) {
  const entry = (name, origin) => ({
    url: `${origin}${API_PATHS[name]}`,
    scopes: [API_SCOPES[name]],
    resource: API_RESOURCES[name],
  });
  return {
    scopes: Object.values(API_SCOPES),
    apis: [
      entry('orders', origins.orders),
      entry('billing', origins.billing),
      entry('orders', origins.gateway),
      entry('billing', origins.gateway),
    ],
  };
}

/**
 * `config` with the local APIs when it logs in at the local OP and names no `apis` of its own
 * (set some in the Settings box to call others). Elsewhere the page calls no API: another
 * provider knows neither these resources nor their scopes.
 */
export function withLocalApis(config) {
  if (config.authority !== LOCAL_OP || config.apis !== undefined) return config;
  const { scopes, apis } = localApis();
  const login = config.scopes ?? ['openid'];
  return { ...config, scopes: [...login, ...scopes.filter((s) => !login.includes(s))], apis };
}

/** Two `apis` entries ask for the same token when their scope sets and resources match. */
function sameToken(a, b) {
  const set = (scopes) => [...new Set(scopes)].sort().join(' ');
  return set(a.scopes) === set(b.scopes) && (a.resource ?? null) === (b.resource ?? null);
}

/**
 * The page's API calls, one per `apis` entry: GET its url with auth.fetch (which attaches that
 * entry's token), and, to show the APIs' own check, the same URL with another API's token
 * (`wrong`: the first entry that asks for a different token; null when there is none).
 */
export function apiCalls(apis = []) {
  return apis.map((api, index) => {
    const other = apis.findIndex((candidate) => !sameToken(candidate, api));
    return {
      index,
      url: api.url,
      token: { scopes: api.scopes, resource: api.resource },
      wrong: other < 0 ? null : { index: other, scopes: apis[other].scopes, resource: apis[other].resource },
    };
  });
}
