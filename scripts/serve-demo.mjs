#!/usr/bin/env node
// Runs the demo until Ctrl-C: the demo page, a local OpenID Provider, two APIs (orders,
// billing) that each accept only their own tokens, and a gateway that checks a token and
// forwards the call with it (tests/support/demo-servers.mjs; the page's side: www/apis.js).
//
//   OP_PORT=4000 PAGE_PORT=8080 ORDERS_PORT=4001 BILLING_PORT=4002 GATEWAY_PORT=4003 \
//   ACCESS_TOKEN_TTL=3600 node scripts/serve-demo.mjs
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { startDemoServers } from '../tests/support/demo-servers.mjs';
import { LOCAL_API_ORIGINS, LOCAL_OP } from '../www/apis.js';

function portFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name} must be a port number (1-65535), got ${JSON.stringify(raw)}`);
  }
  return port;
}

function positiveIntFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer (seconds)`);
  return value;
}

async function main() {
  const ports = {
    op: portFromEnv('OP_PORT', 4000),
    page: portFromEnv('PAGE_PORT', 8080),
    orders: portFromEnv('ORDERS_PORT', 4001),
    billing: portFromEnv('BILLING_PORT', 4002),
    gateway: portFromEnv('GATEWAY_PORT', 4003),
  };
  const accessTokenTtl = positiveIntFromEnv('ACCESS_TOKEN_TTL', 3600);

  const pkgEntry = fileURLToPath(new URL('../pkg/spa_oauth.js', import.meta.url));
  if (!existsSync(pkgEntry)) {
    console.warn(`warning: ${pkgEntry} not found; build the wasm package first or the page cannot start.`);
  }

  const servers = await startDemoServers({ ports, accessTokenTtl });
  const { web, op, orders, billing, gateway } = servers;

  // The page defaults to the OP on :4000 and the APIs on :4001-4003; tell it otherwise when they moved.
  const page = op.issuer === LOCAL_OP ? `${web.origin}/` : `${web.origin}/?op=${op.issuer}`;
  const moved = op.issuer !== LOCAL_OP || orders.origin !== LOCAL_API_ORIGINS.orders
    || billing.origin !== LOCAL_API_ORIGINS.billing || gateway.origin !== LOCAL_API_ORIGINS.gateway;

  const [ordersApi, billingApi] = servers.settings.apis;
  console.log(`OpenID Provider  ${op.issuer}  (client_id spa-demo; any login and password)`);
  console.log(`Orders API       ${ordersApi.url}  (accepts aud ${ordersApi.resource} only)`);
  console.log(`Billing API      ${billingApi.url}  (accepts aud ${billingApi.resource} only)`);
  console.log(`Gateway          ${gateway.origin}  (/orders, /invoices: checks the token, forwards it to the API behind)`);
  console.log(`Demo page        ${page}`);
  if (moved) {
    console.log('The servers are not where the page looks by default: paste this into its Settings box');
    console.log('("Provider overrides"), then "Save and reload", to call the APIs:');
    console.log(JSON.stringify(servers.settings));
  }
  console.log('Press Ctrl-C to stop.');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await servers.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(`serve-demo: ${err.message}`);
  process.exit(1);
});
