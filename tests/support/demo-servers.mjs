// Everything `npm run demo` runs, in one call that scripts/serve-demo.mjs and the e2e test
// (tests/e2e/demo-apis.test.mjs) share: the demo page, the local OpenID Provider with two
// resource servers (RFC 8707), the orders and billing APIs (tests/support/api-server.mjs with an
// `audience`: each accepts only JWTs, signed by the OP, whose `aud` is its own resource) and the
// gateway in front of both (tests/support/gateway.mjs).
//
// URLs, scopes and resources come from www/apis.js, the page's own description of the APIs.
import {
  API_PATHS, API_RESOURCES, API_SCOPES, localApis,
} from '../../www/apis.js';
import { startApi } from './api-server.mjs';
import { startGateway } from './gateway.mjs';
import { startOP } from './op.mjs';
import { startStatic } from './static.mjs';

/**
 * Starts the demo. Ports default to 0 (any free one: tests); serve-demo.mjs passes the fixed
 * ones the page expects (www/apis.js). `accessTokenTtl`: seconds, as startOP's.
 *
 * Returns the servers (`web`, `op`, `orders`, `billing`, `gateway`), `settings`: the provider
 * overrides that point the page at these servers when they are not on the page's default ports
 * (`{ authority, scopes, apis }`, for the Settings box), and `close()`.
 */
export async function startDemoServers({
  ports: { page = 0, op: opPort = 0, orders: ordersPort = 0, billing: billingPort = 0, gateway: gatewayPort = 0 } = {},
  accessTokenTtl = 3600,
} = {}) {
  const started = [];
  const keep = (server) => {
    started.push(server);
    return server;
  };
  const close = () => Promise.all(started.map((s) => s.close())).then(() => {});
  try {
    const web = keep(await startStatic({ port: page }));
    const corsOrigins = [web.origin];
    const op = keep(await startOP({
      port: opPort,
      redirectUris: [`${web.origin}/`],
      postLogoutRedirectUris: [`${web.origin}/`],
      accessTokenTtl,
      resources: {
        [API_RESOURCES.orders]: { scopes: [API_SCOPES.orders] },
        [API_RESOURCES.billing]: { scopes: [API_SCOPES.billing] },
      },
    }));

    // api-server.mjs in resource-server mode: a JWT whose aud is this API's resource, or 401.
    const api = (name, port) => startApi({
      name: `${name} API`, port, corsOrigins, issuer: op.issuer, audience: API_RESOURCES[name],
    });
    const orders = keep(await api('orders', ordersPort));
    const billing = keep(await api('billing', billingPort));

    // Each route checks the token meant for its backend and forwards it there (gateway.mjs).
    const route = (name, backend) => ({
      path: API_PATHS[name], backend: backend.origin, audience: API_RESOURCES[name], scope: API_SCOPES[name],
    });
    const gateway = keep(await startGateway({
      issuer: op.issuer, port: gatewayPort, corsOrigins, routes: [route('orders', orders), route('billing', billing)],
    }));

    const apis = localApis({ orders: orders.origin, billing: billing.origin, gateway: gateway.origin });
    const settings = {
      authority: op.issuer,
      scopes: ['openid', 'profile', 'email', 'offline_access', ...apis.scopes],
      apis: apis.apis,
    };
    return { web, op, orders, billing, gateway, settings, close };
  } catch (err) {
    await close();
    throw err;
  }
}
