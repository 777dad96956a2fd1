// The in-browser measurements: the local OP and the bench site, headless Chromium, and one
// complete login per run (fresh browser context: empty storage, cookies and caches); then the
// returning visitor's start-up in a second Chromium with a profile on disk.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

import { signInAtOP } from '../tests/e2e/helpers.mjs';
import { startOP } from '../tests/support/op.mjs';
import { SITE, writePages } from './bundle.mjs';
import { LIBRARIES } from './libraries.mjs';
import { startSite } from './site.mjs';

/** The login's own token: the scopes every adapter's getAccessToken() asks for. */
export const SCOPES = ['openid', 'profile', 'offline_access'];
/**
 * The second API (figure e2): an RFC 8707 resource server of the OP. Every adapter's login asks
 * consent for its scopes and names its resource, so the authorize requests stay alike; its
 * token is a JWT whose `aud` is the resource. `url` is never requested.
 */
export const API = { url: 'https://api.bench.test/', scopes: ['api.read'], resource: 'https://api.bench.test/' };
const CLIENT_ID = 'spa-demo';
const STEP_TIMEOUT = 20_000;

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
  // performance.memory.usedJSHeapSize unquantized, for the in-page heap samples.
  '--enable-precise-memory-info',
];

/**
 * Starts the site (bench/site.mjs), the OP (one redirect URI per library page, the second API
 * as a resource server), Chromium for the runs, and a second Chromium with a user data
 * directory for the returning visitor (see runWarm).
 */
export async function startBench() {
  const web = await startSite(SITE);
  const redirectUri = (name) => `${web.origin}/${name}/`;
  const op = await startOP({
    clientId: CLIENT_ID,
    redirectUris: LIBRARIES.map(({ name }) => redirectUri(name)),
    resources: { [API.resource]: API.scopes },
  });
  const discovery = await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json();
  await writePages((name) => ({
    issuer: op.issuer, clientId: CLIENT_ID, redirectUri: redirectUri(name), scopes: SCOPES, api: API, discovery,
  }));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const profile = await mkdtemp(join(tmpdir(), 'spa-oauth-bench-profile-'));
  const returning = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  return {
    web,
    op,
    browser,
    returning,
    close: async () => {
      await Promise.all([browser.close(), returning.close()]);
      await Promise.all([web.close(), op.close(), rm(profile, { recursive: true, force: true })]);
    },
  };
}

/** Requests the bench page's scripts send to the OP (not navigations), by phase: `GET /jwks`, ... */
function watchOpRequests(page, { web, op }) {
  const log = { login: [], callback: [], api: [] };
  let phase = null;
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!phase || url.origin !== op.issuer || request.isNavigationRequest()) return;
    if (!request.frame().url().startsWith(`${web.origin}/`)) return;
    log[phase].push(`${request.method()} ${url.pathname}`);
  });
  return { log, phase: (name) => { phase = name; } };
}

async function waitForBench(page, what) {
  const handle = await page.waitForFunction(
    (key) => window.bench?.error ?? (window.bench?.[key] !== undefined && window.bench.ready),
    what, { timeout: STEP_TIMEOUT },
  );
  const error = await page.evaluate(() => window.bench.error ?? null);
  if (error) throw new Error(`page error (${page.url().split('#')[0]}): ${error}`);
  await handle.dispose();
}

/**
 * One run for library `name`: page load (start-up), login up to the authorization request,
 * sign-in at the OP, callback, the getAccessToken() hot path, heap and wasm memory, then the
 * second API's token (minted, then its hot path).
 */
export async function runOnce({ web, op, browser }, name, { rounds, calls, roundMs }) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT);
    const pageErrors = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    const requests = watchOpRequests(page, { web, op });

    await page.goto(`${web.origin}/${name}/`);
    await waitForBench(page, 'startup');
    const startup = await page.evaluate(() => window.bench.startup);

    // c. login -> the navigation request to the authorization endpoint.
    requests.phase('login');
    const authRequest = page.waitForRequest((request) => request.isNavigationRequest()
      && request.url().startsWith(`${op.issuer}/auth?`), { timeout: STEP_TIMEOUT });
    await page.evaluate(() => window.bench.login());
    const request = await authRequest;
    await request.response(); // timing() is filled in with the response
    const requestStartEpochMs = request.timing().startTime;
    requests.phase('callback');
    await signInAtOP(page, op);
    await page.waitForURL((url) => url.origin === web.origin, { timeout: STEP_TIMEOUT });
    await waitForBench(page, 'callback');
    requests.phase(null);
    const { callback, loginRecord, callbackStartup } = await page.evaluate(() => ({
      callback: window.bench.callback,
      callbackStartup: window.bench.startup,
      loginRecord: JSON.parse(sessionStorage.getItem('bench.login')),
    }));

    // f. after login: the JS heap after a full GC (CDP), and the wasm instance's linear memory.
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize: heapAfterLoginBytes } = await cdp.send('Runtime.getHeapUsage');
    const wasmMemoryBytes = await page.evaluate(() => window.bench.wasmMemoryBytes());

    // e. hot path.
    const hot = await page.evaluate((args) => window.bench.hot(...args), [rounds, calls, roundMs]);
    const heapSamples = await page.evaluate(() => window.bench.heapSamples);

    // e2. the second API's token: the first call mints it, then its hot path.
    requests.phase('api');
    const hotApi = await page.evaluate((args) => window.bench.hotApi(...args), [rounds, calls, roundMs]);
    requests.phase(null);
    if (pageErrors.length) throw new Error(`uncaught page errors: ${pageErrors.join('; ')}`);

    return {
      startupMs: startup.totalMs,
      startupImportMs: startup.importMs,
      startupCreateMs: startup.createMs,
      loginToNavigateMs: loginRecord.navigateMs,
      loginOwnMs: loginRecord.navigateMs - loginRecord.networkMs,
      loginToRequestMs: requestStartEpochMs - loginRecord.startEpochMs,
      callbackMs: callback.fromScriptStartMs,
      callbackHandlerMs: callback.handlerMs,
      callbackOwnMs: callback.handlerMs - callback.networkMs,
      callbackStartupMs: callbackStartup.totalMs,
      hotCallsPerSecond: hot.perSecond,
      hotCallsPerRound: hot.callsPerRound,
      apiHotCallsPerSecond: hotApi?.perSecond ?? null,
      apiHotCallsPerRound: hotApi?.callsPerRound ?? null,
      heapAfterLoginBytes,
      heapPeakBytes: Math.max(...heapSamples, heapAfterLoginBytes),
      wasmMemoryBytes,
      opRequests: requests.log,
    };
  } finally {
    await context.close();
  }
}

/** What Resource Timing says of the bundle (and wasm) this page loaded: bytes over the wire. */
const shippedTransfers = (page) => page.evaluate(() => performance.getEntriesByType('resource')
  .filter((e) => /\/(app\.js|[^/]+\.wasm)$/.test(new URL(e.name).pathname))
  .map((e) => ({ file: new URL(e.name).pathname.split('/').pop(), transferSize: e.transferSize })));

async function loadStartup(context, url) {
  const page = await context.newPage();
  try {
    page.setDefaultTimeout(STEP_TIMEOUT);
    const pageErrors = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(url);
    await waitForBench(page, 'startup');
    const startup = await page.evaluate(() => window.bench.startup);
    const transfers = await shippedTransfers(page);
    if (pageErrors.length) throw new Error(`uncaught page errors: ${pageErrors.join('; ')}`);
    return { startup, transfers };
  } finally {
    await page.close();
  }
}

/**
 * b‴ and b⁗: the start-up alone, cold, of the page with the library's start-up hints (index.html)
 * and of the same page without them (bare.html: for us, no early start of the wasm), each in a fresh context
 * of its own, one right after the other, in an order that alternates with `run`: the two are
 * taken under the same conditions, apart from the login and hot path of b's page.
 */
export async function runAlone({ web, browser }, name, run) {
  const load = async (file) => {
    const context = await browser.newContext();
    try {
      return (await loadStartup(context, `${web.origin}/${name}/${file}`)).startup;
    } finally {
      await context.close();
    }
  };
  const order = run % 2 ? ['bare.html', 'index.html'] : ['index.html', 'bare.html'];
  const startups = {};
  for (const file of order) startups[file] = await load(file);
  const [alone, bare] = [startups['index.html'], startups['bare.html']];
  return {
    startupAloneMs: alone.totalMs,
    startupAloneCreateMs: alone.createMs,
    startupAloneInitMs: alone.steps?.initMs,
    startupAloneConstructMs: alone.steps?.constructMs,
    startupBareMs: bare.totalMs,
    startupBareCreateMs: bare.createMs,
    startupBareInitMs: bare.steps?.initMs,
    startupBareConstructMs: bare.steps?.constructMs,
  };
}

/**
 * b2, the returning visitor, in the Chromium with a profile on disk (an incognito-like context
 * keeps no code cache at all): the page under a URL prefix of its own for this run
 * (bench/site.mjs: cacheable scripts and wasm), loaded once in a tab that is then closed, and
 * the start-up measured on the second load, in a new tab. Throws unless the first load fetched
 * the bundle over the network and the second took it (and the wasm) from the HTTP cache.
 */
export async function runWarm({ web, returning }, name, run) {
  const url = web.warmUrl(`r${run}`, `/${name}/`);
  const first = await loadStartup(returning, url);
  if (!first.transfers.length || first.transfers.some((t) => t.transferSize === 0)) {
    throw new Error(`returning visitor: the first load was served from a cache (${JSON.stringify(first.transfers)})`);
  }
  const second = await loadStartup(returning, url);
  if (second.transfers.length !== first.transfers.length || second.transfers.some((t) => t.transferSize !== 0)) {
    throw new Error(`returning visitor: the second load was not served from the HTTP cache (${JSON.stringify(second.transfers)})`);
  }
  return {
    startupWarmMs: second.startup.totalMs,
    startupWarmImportMs: second.startup.importMs,
    startupWarmCreateMs: second.startup.createMs,
  };
}
