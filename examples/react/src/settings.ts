// Which provider and APIs the app uses. They come from the URL (`?op=<issuer>&client=<id>`, and
// `&orders=<origin>&billing=<origin>` for the two APIs) and are kept in sessionStorage, because
// the provider sends the browser back to the bare redirect URI.
const SETTINGS_KEY = 'spa-oauth-example-react.settings';

export interface Settings {
  op: string;
  client: string;
  orders: string | null;
  billing: string | null;
}

/** An API the app calls with its own access token (RFC 8707 resource, its scope). */
export interface Api {
  name: 'orders' | 'billing';
  url: string;
  scopes: string[];
  resource: string;
}

export function readSettings(): Settings | null {
  const url = new URL(location.href);
  const op = url.searchParams.get('op');
  if (op) {
    const settings: Settings = {
      op,
      client: url.searchParams.get('client') ?? 'spa-demo',
      orders: url.searchParams.get('orders'),
      billing: url.searchParams.get('billing'),
    };
    sessionStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
    for (const name of ['op', 'client', 'orders', 'billing']) url.searchParams.delete(name);
    history.replaceState(history.state, '', url);
    return settings;
  }
  const saved = sessionStorage.getItem(SETTINGS_KEY);
  return saved ? (JSON.parse(saved) as Settings) : null;
}

/** The orders and billing APIs (tests/support/api-server.mjs with an audience), where given. */
export function apisOf(settings: Settings): Api[] {
  const apis: Api[] = [];
  if (settings.orders) {
    apis.push({ name: 'orders', url: `${settings.orders}/orders`, scopes: ['orders:read'], resource: 'https://orders.example' });
  }
  if (settings.billing) {
    apis.push({ name: 'billing', url: `${settings.billing}/invoices`, scopes: ['billing:read'], resource: 'https://billing.example' });
  }
  return apis;
}
