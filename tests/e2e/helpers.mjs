// Shared e2e plumbing: servers on ephemeral ports, the browser, the OP's login pages and the
// demo page's observable state. Never returns or prints token values, codes or verifiers.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { startApi } from '../support/api-server.mjs';
import { startOP } from '../support/op.mjs';
import { startStatic } from '../support/static.mjs';
import { LINK_SETTINGS_PROMPT } from '../../www/settings.js';

export const TEST_TIMEOUT = 30_000;
const STEP_TIMEOUT = 10_000;

/** The OAuth response parameters that must never stay in the page URL. */
export const CALLBACK_PARAMS = ['code', 'state', 'iss', 'error', 'error_description', 'session_state'];

const PKG_ENTRY = fileURLToPath(new URL('../../pkg/spa_oauth.js', import.meta.url));

/** Fails fast, with the fix, when the wasm package has not been built. */
export function assertPkgBuilt() {
  assert.ok(existsSync(PKG_ENTRY), `${PKG_ENTRY} is missing: build the wasm package (wasm-pack --target web) first`);
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
}

/**
 * Starts the page server, an OP whose only redirect URI (and post-logout redirect URI) is the
 * page's root, and `apis` protected APIs (tests/support/api-server.mjs) open to the page.
 * `accessTokenTtl`: see startOP.
 * @returns {Promise<{ web, op, apis: object[], close(): Promise<void> }>}
 */
export async function startServers({ accessTokenTtl, apis = 0 } = {}) {
  const web = await startStatic();
  const op = await startOP({
    redirectUris: [`${web.origin}/`], postLogoutRedirectUris: [`${web.origin}/`], accessTokenTtl,
  });
  const started = await Promise.all(Array.from({ length: apis }, () => (
    startApi({ issuer: op.issuer, corsOrigins: [web.origin] })
  )));
  const all = [web, op, ...started];
  return { web, op, apis: started, close: () => Promise.all(all.map((s) => s.close())).then(() => {}) };
}

/**
 * The servers and the browser of a suite: started before its tests, closed after them. Call it
 * inside `describe`; read `env.servers` and `env.browser` in the tests.
 */
export function demoEnvironment(serverOptions) {
  const env = { servers: undefined, browser: undefined };
  before(async () => {
    assertPkgBuilt();
    env.servers = await startServers(serverOptions);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.servers?.close();
  });
  return env;
}

/** A fresh context (empty storage and cookies) and page; uncaught page errors are collected. */
export async function newPage(browser) {
  return newTab(await browser.newContext());
}

/** Another page in `context`: a tab sharing its cookies and localStorage. */
export async function newTab(context) {
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.pageErrors = [];
  page.on('pageerror', (err) => page.pageErrors.push(err.message));
  return page;
}

/** A URL predicate: the OP's login and consent pages. */
export const isInteraction = (op) => (url) => url.origin === op.issuer && url.pathname.startsWith('/interaction/');

/**
 * On the OP's dev login page: sign in with any name, then consent. `beforeConsent` runs on
 * the consent page, right before the step that redirects back to the client.
 */
export async function signInAtOP(page, op, { login = 'alice', password = 'any-password', beforeConsent } = {}) {
  await page.waitForURL(isInteraction(op));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: 'Sign-in' }).click();
  const consent = page.getByRole('button', { name: 'Continue' });
  await consent.waitFor();
  await beforeConsent?.();
  await consent.click();
}

/** On the OP's dev login page: the cancel link, which answers error=access_denied. */
export async function cancelAtOP(page, op) {
  await page.waitForURL(isInteraction(op));
  await page.getByRole('link', { name: 'Cancel' }).click();
}

// ---- the demo page ------------------------------------------------------------------------

/**
 * Opens the demo pointed at this OP in `mode`, and waits until it is ready and shows `expect`.
 * `storage`, `margin` (expiryMarginSeconds) and `apiOrigins` go to the AuthClient when given.
 * The page asks before it saves settings from a link: the question is accepted.
 */
export async function openDemo(page, { web, op }, {
  mode = 'fragment', storage, margin, apiOrigins = [], expect = 'logged-out',
} = {}) {
  const url = new URL('/', web.origin);
  url.searchParams.set('op', op.issuer);
  url.searchParams.set('mode', mode);
  if (storage !== undefined) url.searchParams.set('storage', storage);
  if (margin !== undefined) url.searchParams.set('margin', String(margin));
  for (const origin of apiOrigins) url.searchParams.append('api', origin);
  const stopAccepting = acceptLinkSettings(page);
  try {
    await page.goto(url.href);
    await waitForStatus(page, expect);
  } finally {
    stopAccepting();
  }
}

/**
 * Until the returned function is called, accepts the demo's question before it saves a link's
 * settings (www/settings.js), as the user who chose the link would. Any other dialog gets what
 * Playwright gives it without a handler (dismissed; beforeunload accepted), unless the test
 * listens for dialogs itself.
 */
export function acceptLinkSettings(page) {
  // A dialog the page no longer waits for (it navigated or closed) cannot be answered: ignore that.
  const handler = (dialog) => {
    if (dialog.type() === 'confirm' && dialog.message().startsWith(LINK_SETTINGS_PROMPT)) {
      dialog.accept().catch(() => {});
    } else if (page.listenerCount('dialog') + page.context().listenerCount('dialog') === 1) {
      (dialog.type() === 'beforeunload' ? dialog.accept() : dialog.dismiss()).catch(() => {});
    }
  };
  page.on('dialog', handler);
  return () => page.off('dialog', handler);
}

export async function readStatus(page) {
  return page.evaluate(() => ({
    status: document.querySelector('#status')?.dataset.status ?? null,
    error: document.querySelector('#error')?.dataset.code ?? null,
    message: document.querySelector('#error')?.textContent.trim() ?? '',
  }));
}

/**
 * Starts watching where the OP's response arrives at the page. Returns a function that gives
 * 'query', 'fragment' or null (no response seen yet).
 */
export function watchResponseDelivery(page, { web }) {
  let delivery = null;
  page.on('framenavigated', (frame) => {
    if (frame !== page.mainFrame()) return;
    const url = new URL(frame.url());
    if (url.origin !== web.origin) return;
    const has = (params) => params.has('code') || params.has('error');
    if (has(url.searchParams)) delivery = 'query';
    else if (has(new URLSearchParams(url.hash.slice(1)))) delivery = 'fragment';
  });
  return () => delivery;
}

/** Clicks the demo's login button and follows the OP's dev login page to its consent step. */
export async function loginThroughDemo(page, { op }, options) {
  await page.locator('#login').click();
  await signInAtOP(page, op, options);
}

/** Waits for `#status` to read `expected`; on timeout, fails with what the page shows instead. */
export async function waitForStatus(page, expected, timeout = STEP_TIMEOUT) {
  try {
    await page.locator(`#status[data-status="${expected}"]`).waitFor({ timeout });
  } catch {
    const seen = await readStatus(page).catch(() => null);
    assert.fail(`#status never became "${expected}" (url ${redactedUrl(page.url())}): `
      + `${JSON.stringify(seen)}; page errors: ${JSON.stringify(page.pageErrors ?? [])}`);
  }
}

/** What the page's AuthClient holds, as shapes and times only (no token values). */
export function readAuth(page) {
  return page.evaluate(() => {
    const { auth } = window.demo;
    const tokens = auth.getTokens();
    const present = (value) => typeof value === 'string' && value.length > 0;
    return {
      authenticated: auth.isAuthenticated(),
      tokens: tokens && {
        accessToken: present(tokens.accessToken),
        refreshToken: present(tokens.refreshToken),
        idToken: present(tokens.idToken),
        expiresAt: Number(tokens.expiresAt),
        tokenType: tokens.tokenType,
      },
      now: Date.now(),
    };
  });
}

/**
 * A login the page refused: `#error` shows `code` (and a message matching `message`), no
 * session in memory or storage, `tokenPosts` token requests since `tokenPostsBefore`, and no
 * response parameter left in the URL.
 */
export async function assertLoginRejected(page, { op }, { code, message, tokenPostsBefore, tokenPosts = 0 }) {
  await waitForStatus(page, 'error');
  const shown = await readStatus(page);
  assert.equal(shown.error, code, `#error shows ${shown.error}: ${shown.message}`);
  if (message) assert.match(shown.message, message);

  const { authenticated, tokens } = await readAuth(page);
  assert.equal(authenticated, false, 'isAuthenticated()');
  assert.equal(tokens, null, 'getTokens()');
  assert.deepEqual(await tokenStorageKeys(page), [], 'token entries in storage');

  assert.equal(op.tokenRequests() - tokenPostsBefore, tokenPosts, 'token requests');
  assert.deepEqual(callbackParamsIn(page.url()), [], 'response parameters left in the URL');
}

/** Names of the page's Web Storage entries that hold tokens. */
export async function tokenStorageKeys(page) {
  const keys = await storageKeys(page);
  return [...keys.session, ...keys.local].filter((key) => /token/i.test(key));
}

/** Names (never values) of the page's Web Storage entries. */
export function storageKeys(page) {
  return page.evaluate(() => ({
    session: Object.keys(sessionStorage),
    local: Object.keys(localStorage),
  }));
}

/** The OAuth response parameters present in the URL's query or fragment. */
export function callbackParamsIn(href) {
  const url = new URL(href);
  const fragment = new URLSearchParams(url.hash.slice(1));
  return CALLBACK_PARAMS.filter((name) => url.searchParams.has(name) || fragment.has(name));
}

/** A URL fit for an error message: response parameter values replaced. */
export function redactedUrl(href) {
  const url = new URL(href);
  const redact = (params) => {
    for (const name of CALLBACK_PARAMS) if (params.has(name)) params.set(name, 'redacted');
    return params;
  };
  url.search = redact(url.searchParams).toString();
  if (url.hash) url.hash = redact(new URLSearchParams(url.hash.slice(1))).toString();
  return url.href;
}

/**
 * Opens the demo with its saved settings set directly (as the Settings form would save them),
 * for configuration a link cannot carry: `provider` is merged over `{ authority: op.issuer }`
 * (e.g. `{ scopes, apis, storage, expiryMarginSeconds }`), `mode` is the response mode. Waits
 * until the page is ready and shows `expect`. In a second tab of the same context, the settings
 * are already there: pass `save: false` to just open the page.
 */
export async function openDemoWithSettings(page, { web, op }, {
  mode = 'fragment', provider = {}, expect = 'logged-out', save = true,
} = {}) {
  const root = new URL('/', web.origin).href;
  if (save) {
    await page.goto(root);
    await page.evaluate(({ settings, responseMode }) => {
      localStorage.setItem('spa-oauth-demo.provider', JSON.stringify(settings));
      localStorage.setItem('spa-oauth-demo.responseMode', responseMode);
    }, { settings: { authority: op.issuer, ...provider }, responseMode: mode });
  }
  await page.goto(root);
  await waitForStatus(page, expect);
}
