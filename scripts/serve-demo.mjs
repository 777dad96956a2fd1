#!/usr/bin/env node
// Runs the demo: a local OpenID Provider and the demo page, until Ctrl-C.
//
//   OP_PORT=4000 PAGE_PORT=8080 ACCESS_TOKEN_TTL=3600 node scripts/serve-demo.mjs
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { startOP } from '../tests/support/op.mjs';
import { startStatic } from '../tests/support/static.mjs';

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
  const opPort = portFromEnv('OP_PORT', 4000);
  const pagePort = portFromEnv('PAGE_PORT', 8080);
  const accessTokenTtl = positiveIntFromEnv('ACCESS_TOKEN_TTL', 3600);

  const pkgEntry = fileURLToPath(new URL('../pkg/spa_oauth.js', import.meta.url));
  if (!existsSync(pkgEntry)) {
    console.warn(`warning: ${pkgEntry} not found; build the wasm package first or the page cannot start.`);
  }

  const web = await startStatic({ port: pagePort });
  const op = await startOP({ port: opPort, redirectUris: [`${web.origin}/`], accessTokenTtl });

  // The page defaults to http://localhost:4000; tell it otherwise when the OP moved.
  const page = op.issuer === 'http://localhost:4000' ? `${web.origin}/` : `${web.origin}/?op=${op.issuer}`;

  console.log(`OpenID Provider  ${op.issuer}  (client_id spa-demo; any login and password)`);
  console.log(`Demo page        ${page}`);
  console.log('Press Ctrl-C to stop.');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.all([web.close(), op.close()]);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(`serve-demo: ${err.message}`);
  process.exit(1);
});
