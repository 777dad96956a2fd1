// spa-oauth/react as React users get it: `npm pack` of pkg/, installed from the tarball into the
// React example (examples/react: Vite, React 19, <StrictMode>), its typings checked by tsc there,
// and the app built with React's development build (where StrictMode mounts every effect twice)
// and driven in headless Chromium against the local OpenID Provider and two APIs.
//
// What the issue (19) asks of the bindings, each held here: one code redemption per login under
// StrictMode (the OP counts the POSTs); no 'anonymous' rendered between a callback page's load
// and the callback's end (the page records every status React commits, and the DOM's); the
// user back on the route they asked for; one automatic login per protected route (one popup,
// one authorization request); a refreshed API token re-rendering its own consumer only.
//
// Needs pkg/ (`bash scripts/build.sh`; SPA_OAUTH_PKG=<dir> tests another build) and the root
// devDependencies. The registry is used for the example's dependencies, from npm's cache when
// it can.
import assert from 'node:assert/strict';
import {
  cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';

import { build } from 'esbuild';

import {
  callbackParamsIn, cancelAtOP, isInteraction, launchBrowser, newPage, readStatus, signInAtOP, waitForStatus,
} from '../e2e/helpers.mjs';
import { startApi } from '../support/api-server.mjs';
import { startOP } from '../support/op.mjs';
import {
  MINUTE, ROOT, assertExactlyTheMistakes, assertStartsWasmEarly, markedMistakes, npm, run, runOk, snapshotPkg,
} from '../support/packed.mjs';
import { startStatic } from '../support/static.mjs';

const PKG = resolve(ROOT, process.env.SPA_OAUTH_PKG ?? 'pkg');
const EXAMPLE = join(ROOT, 'examples', 'react');
const TYPES = join(ROOT, 'tests', 'react', 'types');
const TSC = join(ROOT, 'node_modules', '.bin', 'tsc');

const TEST_TIMEOUT = MINUTE;
const CLIENT_ID = 'spa-demo';
const ORDERS = 'https://orders.example';
const BILLING = 'https://billing.example';
/** Seconds of life of the orders tokens minted while a test waits for one to be refreshed. */
const SHORT_TTL = 64;

// ---- helpers --------------------------------------------------------------------------------

const isFinished = (dir) => ['react.js', 'react.d.ts', 'spa_oauth_bg.wasm', 'LICENSE'].every((f) => existsSync(join(dir, f)))
  && readFileSync(join(dir, 'package.json'), 'utf8').includes('"./react"');

/** Strict options, as tests/package/types/tsconfig.json, with React's JSX. */
const STRICT = {
  target: 'ES2022',
  lib: ['ESNext', 'DOM', 'DOM.Iterable'],
  module: 'ESNext',
  moduleResolution: 'bundler',
  jsx: 'react-jsx',
  types: [],
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  isolatedModules: true,
  verbatimModuleSyntax: true,
  skipLibCheck: false,
  noEmit: true,
};

// ---- fixtures shared by the tests ----------------------------------------------------------

let work; // temp dir of this run
let snapshot; // consistent copy of pkg/
let app; // scratch copy of examples/react, the tarball installed
let dist; // its development build

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'spa-oauth-react-'));
  snapshot = await snapshotPkg(PKG, join(work, 'pkg'), isFinished);
  const { stdout } = await npm(['pack', snapshot, '--json', '--pack-destination', work]);
  const [packed] = JSON.parse(stdout);
  app = join(work, 'app');
  cpSync(EXAMPLE, app, {
    recursive: true,
    filter: (src) => !/[/\\](node_modules|dist)$|\.tgz$|[/\\]package-lock\.json$/.test(src),
  });
  cpSync(join(work, packed.filename), join(app, 'spa-oauth.tgz'));
  await npm(['install', '--prefer-offline'], { cwd: app, timeout: 6 * MINUTE });
  // React's development build: StrictMode double-mounts effects only there.
  await runOk(join(app, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], {
    cwd: app, timeout: 3 * MINUTE, env: { NODE_ENV: 'development' },
  });
  dist = join(app, 'dist');
}, { timeout: 10 * MINUTE });

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

// ---- (a) the entry ------------------------------------------------------------------------

describe('the spa-oauth/react entry', () => {
  it('is an export of its own, typed, with React as an optional peer dependency', () => {
    const manifest = JSON.parse(readFileSync(join(snapshot, 'package.json'), 'utf8'));
    assert.deepEqual(manifest.exports['./react'], { types: './react.d.ts', default: './react.js' });
    assert.deepEqual(manifest.peerDependencies, { react: '>=18', vite: '>=5' });
    assert.deepEqual(manifest.peerDependenciesMeta, { react: { optional: true }, vite: { optional: true } });
    assert.equal(manifest.dependencies, undefined, 'dependencies');
    const installed = join(app, 'node_modules', 'spa-oauth');
    for (const file of ['react.js', 'react.d.ts']) {
      assert.ok(readFileSync(join(installed, file)).equals(readFileSync(join(snapshot, file))), `${file} installed as packed`);
    }
  });

  it('reaches no app that imports only spa-oauth; imports nothing but React itself', async (t) => {
    const bundle = (entry, external = []) => build({
      entryPoints: [join(snapshot, entry)], bundle: true, minify: true, format: 'esm', write: false,
      metafile: true, external, logLevel: 'silent',
    });
    const main = await bundle('spa_oauth.js');
    const inputs = Object.keys(main.metafile.inputs).map((p) => basename(p));
    assert.ok(!inputs.includes('react.js'), `the main entry bundles react.js: ${inputs}`);
    const mainText = main.outputFiles[0].text;
    assert.ok(!/useSyncExternalStore|RequireAuth|from ?["']react["']/.test(mainText), 'React bindings in the main entry');

    const react = await bundle('react.js', ['react']);
    assert.deepEqual(Object.keys(react.metafile.inputs).map((p) => basename(p)), ['react.js'], 'react.js bundles only itself');
    const imports = Object.values(react.metafile.outputs)[0].imports.map((i) => i.path);
    assert.deepEqual([...new Set(imports)], ['react']);
    const size = (result) => gzipSync(result.outputFiles[0].contents, { level: 9 }).length;
    t.diagnostic(`spa-oauth/react: ${size(react)} B gzip -9 (minified, React not counted); main entry glue ${size(main)} B`);
  });
});

describe('the spa-oauth/vite entry', () => {
  it("makes the example's build start the wasm from its <head>, before the app's script", () => {
    assertStartsWasmEarly(dist);
  });
});

// ---- (b) the typings ------------------------------------------------------------------------

describe('TypeScript', { timeout: 5 * MINUTE }, () => {
  /** A tsconfig in a fresh dir inside the app (so `react` and `spa-oauth` resolve as an app's). */
  function project(files, name) {
    const dir = mkdtempSync(join(app, `${name}-`));
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: STRICT, files: Object.keys(files) }, null, 2));
    return join(dir, 'tsconfig.json');
  }
  const source = (file) => readFileSync(join(TYPES, file), 'utf8');

  it('type-checks the example app (its own tsconfig)', async () => {
    await runOk(TSC, ['-p', join(app, 'tsconfig.json'), '--pretty', 'false'], { cwd: app });
  });

  it('accepts the whole API used correctly (usage.tsx) and every marked mistake (wrong-usage.tsx)', async () => {
    const config = project({ 'usage.tsx': source('usage.tsx'), 'wrong-usage.tsx': source('wrong-usage.tsx') }, 'types');
    await runOk(TSC, ['-p', config, '--pretty', 'false'], { cwd: app });
  });

  it('rejects each mistake of wrong-usage.tsx once its @ts-expect-error is removed', async () => {
    const { stripped, expected } = markedMistakes(source('wrong-usage.tsx'), 'wrong-usage.tsx');
    const config = project({ 'wrong-usage.tsx': stripped }, 'stripped');
    assertExactlyTheMistakes(await run(TSC, ['-p', config, '--pretty', 'false'], { cwd: app }), expected);
  });

  it('has no `any` in react.d.ts, and usage.tsx uses every export it declares', () => {
    const strip = (text) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    const dts = strip(readFileSync(join(snapshot, 'react.d.ts'), 'utf8'));
    assert.doesNotMatch(dts, /\bany\b/);
    const exported = [...dts.matchAll(/^export (?:function|interface|type) (\w+)/gm)].map((m) => m[1]);
    assert.ok(exported.includes('useAuth') && exported.includes('RequireAuth'), `exports: ${exported}`);
    const usage = strip(source('usage.tsx'));
    assert.deepEqual(exported.filter((name) => !new RegExp(`\\b${name}\\b`).test(usage)), [], 'not used by usage.tsx');
  });
});

// ---- (c) the example app in Chromium --------------------------------------------------------

/** Records, from the document's start, every value the page's #status shows (a DOM observer). */
function recordDomStatuses(page) {
  return page.addInitScript(() => {
    const seen = [];
    window.domStatuses = seen;
    new MutationObserver(() => {
      const status = document.querySelector('#status')?.dataset.status;
      if (status && seen.at(-1) !== status) seen.push(status);
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
  });
}

/** The page's own navigations to the OP's authorization endpoint (logins started by redirect). */
function countAuthorizationRequests(page, op) {
  let count = 0;
  page.on('request', (request) => {
    if (!request.isNavigationRequest() || request.frame() !== page.mainFrame()) return;
    const url = new URL(request.url());
    if (url.origin === op.issuer && url.pathname === '/auth') count += 1;
  });
  return () => count;
}

/** What the page recorded (examples/react/src/trace.ts) and the DOM observer saw, this load. */
const traceOf = (page) => page.evaluate(() => {
  const { statuses, effectRuns, redirects, commits, distinctTokens } = window.reactExample;
  return {
    statuses: [...statuses], effectRuns, redirects, commits: { ...commits }, distinctTokens: { ...distinctTokens },
    dom: [...(window.domStatuses ?? [])],
  };
});

const until = async (what, check, timeout = 10_000) => {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await sleep(100);
  }
};

describe('the React example under StrictMode, in Chromium', { timeout: 10 * MINUTE }, () => {
  let web;
  let op;
  let orders;
  let billing;
  let browser;
  let shortOrders = false; // mint orders tokens with SHORT_TTL seconds of life
  let shortLogin = false; // the same for the login's access token

  before(async () => {
    assert.ok(dist, 'the example was not built');
    // The routes the app has are its index.html too (a static host's SPA fallback).
    web = await startStatic({ mounts: { '/': dist, '/protected/': dist, '/popup-protected/': dist }, root: dist });
    op = await startOP({
      redirectUris: [`${web.origin}/`],
      resources: { [ORDERS]: ['orders:read'], [BILLING]: ['billing:read'] },
      accessTokenTtl: (grantType, resource) => ((resource === ORDERS && shortOrders)
        || (grantType === 'authorization_code' && resource === undefined && shortLogin) ? SHORT_TTL : 3600),
    });
    const api = (name, audience) => startApi({ name, issuer: op.issuer, audience, corsOrigins: [web.origin] });
    orders = await api('orders API', ORDERS);
    billing = await api('billing API', BILLING);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await Promise.all([web, op, orders, billing].filter(Boolean).map((s) => s.close()));
  });

  /** A fresh browser context and page, recording statuses; `path` opened with the settings in its URL. */
  async function open(t, path, { expect } = {}) {
    const page = await newPage(browser);
    t.after(() => page.context().close());
    await recordDomStatuses(page);
    page.authRequests = countAuthorizationRequests(page, op);
    page.popups = [];
    page.on('popup', (popup) => page.popups.push(popup));
    const url = new URL(path, web.origin);
    url.searchParams.set('op', op.issuer);
    url.searchParams.set('client', CLIENT_ID);
    url.searchParams.set('orders', orders.origin);
    url.searchParams.set('billing', billing.origin);
    await page.goto(url.href);
    if (expect) await waitForStatus(page, expect);
    return page;
  }

  const codeRedemptions = () => op.tokenRequests('authorization_code');
  const grantsFor = (resource) => op.grantLog().filter((g) => g.grantType === 'refresh_token' && g.resource === resource).length;

  async function callApi(page, name) {
    await page.locator(`#call-${name}`).click();
    await page.locator(`#answer-${name}:not(:empty)`).waitFor();
    return JSON.parse(await page.locator(`#answer-${name}`).textContent());
  }

  async function logInWithPopup(page, click) {
    const [popup] = await Promise.all([page.waitForEvent('popup'), click()]);
    await signInAtOP(popup, op);
    await popup.waitForEvent('close', { timeout: 10_000 }).catch(() => {});
    assert.equal(popup.isClosed(), true, 'the popup closed itself');
  }

  it('RequireAuth: a protected route logs in by redirect and comes back to it; one code redemption; '
    + 'loading, then authenticated, never anonymous; both APIs called with their own tokens', { timeout: TEST_TIMEOUT }, async (t) => {
    const redemptions = codeRedemptions();
    const page = await open(t, '/protected/');
    await signInAtOP(page, op);

    await waitForStatus(page, 'authenticated');
    await page.locator('#api-orders[data-token="present"]').waitFor();
    await page.locator('#api-billing[data-token="present"]').waitFor();
    assert.equal(new URL(page.url()).pathname, '/protected/', 'back on the route asked for');
    assert.deepEqual(callbackParamsIn(page.url()), [], 'response parameters left in the URL');
    assert.equal(codeRedemptions() - redemptions, 1, 'authorization_code POSTs');
    assert.equal(page.authRequests(), 1, 'authorization requests');

    const seen = await traceOf(page);
    assert.equal(seen.effectRuns, 2, 'StrictMode double-mounted the effects (React development build)');
    assert.deepEqual(seen.statuses, ['loading', 'authenticated'], 'statuses React committed on the callback page');
    assert.deepEqual(seen.dom, ['loading', 'authenticated'], 'statuses the DOM showed on the callback page');
    assert.deepEqual(seen.redirects, [{ returnTo: '/protected/' }], 'onRedirectCallback calls');
    assert.equal(grantsFor(ORDERS), 1, 'orders token requests');
    assert.equal(grantsFor(BILLING), 1, 'billing token requests');

    const user = 'alice';
    assert.equal(await page.locator('#user').getAttribute('data-sub'), user);
    assert.deepEqual(await callApi(page, 'orders'), {
      status: 200, body: { api: 'orders API', path: '/orders', audience: ORDERS, scope: 'orders:read', sub: user },
    });
    assert.deepEqual(await callApi(page, 'billing'), {
      status: 200, body: { api: 'billing API', path: '/invoices', audience: BILLING, scope: 'billing:read', sub: user },
    });

    // A reload is no callback: the session shows from the first frame, nothing is redeemed.
    await page.reload();
    await page.locator('#api-orders[data-token="present"]').waitFor();
    const reloaded = await traceOf(page);
    assert.deepEqual(reloaded.statuses, ['authenticated']);
    assert.deepEqual(reloaded.dom, ['authenticated']);
    assert.equal(codeRedemptions() - redemptions, 1, 'authorization_code POSTs after the reload');
    assert.deepEqual(page.pageErrors, [], 'page errors');
  });

  it('useAccessToken: a refreshed API token re-renders its own consumer only', { timeout: TEST_TIMEOUT }, async (t) => {
    shortOrders = true;
    t.after(() => { shortOrders = false; });
    const page = await open(t, '/protected/');
    await signInAtOP(page, op);
    await page.locator('#api-orders[data-token="present"]').waitFor();
    await page.locator('#api-billing[data-token="present"]').waitFor();
    const ordersGrants = grantsFor(ORDERS);
    const billingGrants = grantsFor(BILLING);
    const settled = await traceOf(page);
    assert.deepEqual(settled.distinctTokens, { login: 1, orders: 1, billing: 1 });

    // The orders token lives SHORT_TTL s: a minute before its end, useAccessToken fetches it
    // again, the client refreshes it, and tokensChanged (api: orders) brings the new one.
    shortOrders = false;
    await until('a new orders token', async () => (await traceOf(page)).distinctTokens.orders >= 2, (SHORT_TTL - 50) * 1000);
    const now = await traceOf(page);
    assert.equal(grantsFor(ORDERS) - ordersGrants, 1, 'orders token requests');
    assert.equal(grantsFor(BILLING) - billingGrants, 0, 'billing token requests');
    assert.deepEqual(now.distinctTokens, { login: 1, orders: 2, billing: 1 });
    assert.ok(now.commits.orders > settled.commits.orders, 'the orders panel showed its new token');
    assert.equal(now.commits.billing, settled.commits.billing, 'the billing panel re-rendered');
    assert.equal(now.commits.login, settled.commits.login, 'the login token\'s consumer re-rendered');
    assert.equal(now.commits.app, settled.commits.app, 'useAuth\'s consumer re-rendered');
    assert.deepEqual(now.statuses, ['loading', 'authenticated']);

    assert.equal((await callApi(page, 'orders')).status, 200, 'the new orders token works');

    // A refresh of the login's tokens: a new access token and ID token, the same user. Only the
    // login token's consumer re-renders; useAuth's `user` stays the same object.
    await page.evaluate(() => window.reactExample.auth.refresh().then(() => undefined));
    await until('a new login token', async () => (await traceOf(page)).distinctTokens.login >= 2);
    const refreshed = await traceOf(page);
    const loginRefresh = op.grantLog().filter((g) => g.grantType === 'refresh_token' && g.resource === null).at(-1);
    assert.ok(loginRefresh?.issued?.id, 'the refresh brought a new ID token');
    assert.deepEqual(refreshed.distinctTokens, { login: 2, orders: 2, billing: 1 });
    assert.ok(refreshed.commits.login > now.commits.login, 'the login token\'s consumer showed the new token');
    assert.equal(refreshed.commits.app, now.commits.app, 'useAuth\'s consumer re-rendered (same user)');
    assert.equal(refreshed.commits.orders, now.commits.orders + 1, 'the orders panel re-rendered (its answer shown once)');
    assert.equal(refreshed.commits.billing, now.commits.billing, 'the billing panel re-rendered');
    assert.deepEqual(page.pageErrors, [], 'page errors');
  });

  it('loginPopup from a click: one code redemption, the opener goes from anonymous to authenticated', {
    timeout: TEST_TIMEOUT,
  }, async (t) => {
    const page = await open(t, '/', { expect: 'anonymous' });
    const redemptions = codeRedemptions();
    const navigations = [];
    page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) navigations.push(frame.url()); });
    await logInWithPopup(page, () => page.locator('#login-popup').click());
    await waitForStatus(page, 'authenticated');
    await page.locator('#login-token[data-state="present"]').waitFor();
    assert.equal(codeRedemptions() - redemptions, 1, 'authorization_code POSTs');
    assert.deepEqual(navigations, [], 'the opener navigated');
    const seen = await traceOf(page);
    assert.deepEqual(seen.statuses, ['anonymous', 'authenticated']);
    assert.deepEqual(seen.dom, ['anonymous', 'authenticated']);
    assert.equal(await page.locator('#user').getAttribute('data-sub'), 'alice');
    assert.deepEqual(page.pageErrors, [], 'page errors');
  });

  it('RequireAuth popup: one popup opened by itself; a closed popup waits for a click, which logs in', {
    timeout: TEST_TIMEOUT,
  }, async (t) => {
    const redemptions = codeRedemptions();
    const page = await open(t, '/popup-protected/');
    await until('the login popup', () => page.popups.length > 0);
    const [first] = page.popups;
    await first.waitForURL(isInteraction(op));
    // A popup closed later than 3 s after it went to the provider is the user's doing (see README).
    await sleep(3500);
    await first.close();
    await page.locator('#fallback[data-code="popup_closed"]').waitFor();
    await sleep(500);
    assert.equal(page.popups.length, 1, 'popups opened by RequireAuth (StrictMode mounts its effect twice)');

    await logInWithPopup(page, () => page.locator('#fallback-login').click());
    await page.locator('#profile').waitFor();
    assert.equal(await page.locator('#profile').textContent(), 'Profile of alice');
    assert.equal(codeRedemptions() - redemptions, 1, 'authorization_code POSTs');
    assert.equal(page.authRequests(), 0, 'the page itself went to the provider');
    const seen = await traceOf(page);
    assert.equal(seen.effectRuns, 2, 'StrictMode double-mounted the effects');
    assert.deepEqual(seen.statuses, ['anonymous', 'authenticated']);
    assert.deepEqual(page.pageErrors, [], 'page errors');
  });

  it('logout: at the provider (loading, then anonymous on the way back), and here only', { timeout: TEST_TIMEOUT }, async (t) => {
    const page = await open(t, '/', { expect: 'anonymous' });
    await page.locator('#login').click();
    await signInAtOP(page, op);
    await waitForStatus(page, 'authenticated');
    await page.locator('#login-token[data-state="present"]').waitFor();

    await page.locator('#logout').click();
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL((url) => url.origin === web.origin);
    await waitForStatus(page, 'anonymous');
    assert.equal(page.url(), `${web.origin}/`, 'the URL is clean');
    await page.locator('#login-token[data-state="none"]').waitFor();
    const back = await traceOf(page);
    assert.deepEqual(back.statuses, ['loading', 'anonymous'], 'statuses on the return from the provider');
    assert.deepEqual(back.dom, ['loading', 'anonymous']);

    // Log in again (the provider asks again: its session ended), then log out here only.
    await logInWithPopup(page, () => page.locator('#login-popup').click());
    await waitForStatus(page, 'authenticated');
    await page.locator('#login-token[data-state="present"]').waitFor();
    await page.locator('#logout-local').click();
    await waitForStatus(page, 'anonymous');
    await page.locator('#login-token[data-state="none"]').waitFor();
    assert.equal(await page.evaluate(() => window.reactExample.auth.getTokens()), null, 'getTokens()');
    assert.deepEqual((await traceOf(page)).statuses, ['loading', 'anonymous', 'authenticated', 'anonymous']);
    assert.deepEqual(page.pageErrors, [], 'page errors');
  });

  it('a cancelled login: loading, then error (access_denied), no login started again by itself', {
    timeout: TEST_TIMEOUT,
  }, async (t) => {
    const redemptions = codeRedemptions();
    const page = await open(t, '/protected/');
    await cancelAtOP(page, op);
    await waitForStatus(page, 'error');
    assert.equal((await readStatus(page)).error, 'access_denied');
    const seen = await traceOf(page);
    assert.deepEqual(seen.statuses, ['loading', 'error']);
    assert.deepEqual(seen.dom, ['loading', 'error']);
    assert.deepEqual(seen.redirects, [], 'onRedirectCallback calls');

    // The protected route after a failed login: the fallback offers a login, none starts by itself.
    await page.locator('#nav-protected').click();
    await page.locator('#fallback[data-code="access_denied"]').waitFor();
    await sleep(500);
    assert.equal(page.authRequests(), 1, 'authorization requests');
    await page.locator('#fallback-login').click();
    await signInAtOP(page, op);
    await page.locator('#api-billing[data-token="present"]').waitFor();
    assert.equal(new URL(page.url()).pathname, '/protected/');
    assert.equal(codeRedemptions() - redemptions, 1, 'authorization_code POSTs');
    assert.deepEqual(page.pageErrors, [], 'page errors');
  });
  it('logout on a protected route: RequireAuth starts no login, here only or on the way to the provider', {
    timeout: TEST_TIMEOUT,
  }, async (t) => {
    // Here only: the status turns anonymous on the protected route; no login follows.
    const local = await open(t, '/protected/');
    await signInAtOP(local, op);
    await local.locator('#api-orders[data-token="present"]').waitFor();
    await local.locator('#logout-local').click();
    await waitForStatus(local, 'anonymous');
    await local.locator('#fallback').waitFor();
    await sleep(1000);
    assert.equal(local.authRequests(), 1, 'authorization requests (the login only)');
    assert.equal(new URL(local.url()).pathname, '/protected/');
    assert.deepEqual((await traceOf(local)).statuses, ['loading', 'authenticated', 'anonymous']);
    assert.equal(await local.evaluate(() => window.reactExample.auth.getTokens()), null, 'getTokens()');
    assert.deepEqual(local.pageErrors, [], 'page errors');

    // At the provider: the page goes to its end-session, with no login racing it, and comes back anonymous.
    const page = await open(t, '/protected/');
    await signInAtOP(page, op);
    await page.locator('#api-orders[data-token="present"]').waitFor();
    await page.locator('#logout').click();
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL((url) => url.origin === web.origin);
    await waitForStatus(page, 'anonymous');
    await sleep(500);
    assert.equal(page.authRequests(), 1, 'authorization requests (the login only)');
    assert.equal(page.url(), `${web.origin}/`);
    assert.deepEqual(page.pageErrors, [], 'page errors');
  });

  it('a page that relays a silent frame\'s or popup\'s response stays loading: no anonymous, no login of its own', {
    timeout: TEST_TIMEOUT,
  }, async (t) => {
    // On a protected route (a silentRedirectUri of the app's), and on the redirect URI itself.
    for (const path of ['/protected/#code=x&state=s.abc', '/#code=x&state=s.abc', '/popup-protected/?code=x&state=s.abc']) {
      const page = await open(t, path);
      await until('the response relayed', async () => !/code=/.test(page.url()));
      await sleep(1000);
      assert.equal(page.authRequests(), 0, `${path}: authorization requests`);
      assert.equal(page.popups.length, 0, `${path}: popups`);
      const seen = await traceOf(page);
      assert.deepEqual(seen.statuses, ['loading'], `${path}: statuses`);
      assert.deepEqual(seen.dom, ['loading'], `${path}: statuses in the DOM`);
      assert.deepEqual(page.pageErrors, [], 'page errors');
    }
  });

  it('a session without a refresh token: anonymous once its access token ends', { timeout: TEST_TIMEOUT }, async (t) => {
    shortLogin = true;
    t.after(() => { shortLogin = false; });
    const page = await open(t, '/', { expect: 'anonymous' });
    // The provider's answer without its refresh token: the session lasts as long as its access token.
    await page.context().route((url) => url.origin === op.issuer && url.pathname === '/token', async (route) => {
      const response = await route.fetch();
      const { refresh_token: _, ...body } = await response.json();
      await route.fulfill({ response, json: body });
    });
    await page.locator('#login').click();
    await signInAtOP(page, op);
    await waitForStatus(page, 'authenticated');
    shortLogin = false;
    const held = await page.evaluate(() => {
      const tokens = window.reactExample.auth.getTokens();
      return { refresh: 'refreshToken' in tokens, life: tokens.expiresAt - Date.now() };
    });
    assert.equal(held.refresh, false, 'a refresh token');
    assert.ok(held.life <= SHORT_TTL * 1000, `the access token lives ${held.life} ms`);
    // expiryMarginSeconds (60) before its end the client gives no token any more: the session is over.
    await waitForStatus(page, 'anonymous', (SHORT_TTL - 50) * 1000);
    await page.locator('#login-token[data-state="none"]').waitFor();
    assert.deepEqual((await traceOf(page)).statuses, ['loading', 'authenticated', 'anonymous']);
    assert.deepEqual(page.pageErrors, [], 'page errors');
  });

  it('useAccessToken: an API token read from the cache at a reload is fetched again before it expires', {
    timeout: TEST_TIMEOUT,
  }, async (t) => {
    shortOrders = true;
    t.after(() => { shortOrders = false; });
    const page = await open(t, '/protected/');
    await signInAtOP(page, op);
    await page.locator('#api-orders[data-token="present"]').waitFor();
    shortOrders = false;
    const ordersGrants = grantsFor(ORDERS);
    await page.reload();
    await page.locator('#api-orders[data-token="present"]').waitFor();
    assert.equal(grantsFor(ORDERS), ordersGrants, 'the reload took the orders token from the cache');
    await until('a new orders token', async () => (await traceOf(page)).distinctTokens.orders >= 2, (SHORT_TTL - 50) * 1000);
    assert.equal(grantsFor(ORDERS) - ordersGrants, 1, 'orders token requests');
    assert.equal((await callApi(page, 'orders')).status, 200, 'the new orders token works');
    assert.deepEqual(page.pageErrors, [], 'page errors');
  });

  it('a login as another user without logout: each API token is fetched again, for the new user', {
    timeout: TEST_TIMEOUT,
  }, async (t) => {
    const page = await open(t, '/protected/');
    await signInAtOP(page, op);
    await page.locator('#api-orders[data-token="present"]').waitFor();
    assert.equal((await callApi(page, 'orders')).body.sub, 'alice');

    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.evaluate(() => { window.reactExample.auth.loginPopup({ prompt: 'login' }).catch(() => {}); }),
    ]);
    await signInAtOP(popup, op, { login: 'bob' });
    await page.locator('#user[data-sub="bob"]').waitFor();
    await until('new API tokens', async () => {
      const { distinctTokens } = await traceOf(page);
      return distinctTokens.orders >= 2 && distinctTokens.billing >= 2;
    });
    await page.locator('#call-orders').click();
    await page.locator('#answer-orders', { hasText: '"sub":"bob"' }).waitFor();
    await page.locator('#call-billing').click();
    await page.locator('#answer-billing', { hasText: '"sub":"bob"' }).waitFor();
    assert.deepEqual(page.pageErrors, [], 'page errors');
  });
});
