// The demo page's settings from a link (?op=, ?api=, ...): a link is not trusted. One click on a
// crafted link must not point the demo at another provider (where the user would type a
// password) or another API (where auth.fetch would send the token) without the user saying so.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startOP } from '../support/op.mjs';
import { LINK_SETTINGS_PROMPT } from '../../www/settings.js';
import {
  TEST_TIMEOUT, demoEnvironment, isInteraction, newPage, openDemo, waitForStatus,
} from './helpers.mjs';

/** An API origin the link would add (loopback, so the client accepts it; nothing listens). */
const OTHER_API = 'http://127.0.0.1:9';

/** A link to the demo page carrying these settings parameters. */
function demoLink({ web }, params) {
  const url = new URL('/', web.origin);
  for (const [name, value] of Object.entries(params)) {
    for (const one of [value].flat()) url.searchParams.append(name, one);
  }
  return url.href;
}

/** The demo's saved settings, as stored in localStorage (null when none). */
function savedSettings(page) {
  return page.evaluate(() => ({
    provider: JSON.parse(localStorage.getItem('spa-oauth-demo.provider')),
    responseMode: localStorage.getItem('spa-oauth-demo.responseMode'),
  }));
}

/** The configuration the page gave `new AuthClient()`. */
function clientConfig(page) {
  return page.evaluate(() => window.demo.config);
}

/** Opens `href`, answering every dialog with `answer` ('accept' or 'dismiss'); returns the dialogs seen. */
async function followLink(page, href, answer) {
  const dialogs = [];
  const handler = (dialog) => {
    dialogs.push({ type: dialog.type(), message: dialog.message() });
    (answer === 'accept' ? dialog.accept() : dialog.dismiss()).catch(() => {});
  };
  page.on('dialog', handler);
  try {
    await page.goto(href);
    await waitForStatus(page, 'logged-out');
  } finally {
    page.off('dialog', handler);
  }
  return dialogs;
}

/** Every request (navigations included) the context's pages send to `origin`, as "METHOD /path". */
function watchOrigin(context, origin) {
  const seen = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === origin) seen.push(`${request.method()} ${url.pathname}`);
  });
  return seen;
}

describe('demo page: settings from a link', { timeout: 6 * TEST_TIMEOUT }, () => {
  const env = demoEnvironment();
  let other;

  before(async () => {
    // Another provider the page could log in at: real, so that an accepted link is seen working.
    other = await startOP({ redirectUris: [`${env.servers.web.origin}/`] });
  });
  after(() => other?.close());

  it('asks before saving, naming the provider and API origins it would save and those it would replace', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage(env.browser);
    try {
      await openDemo(page, env.servers);
      const dialogs = await followLink(page, demoLink(env.servers, { op: other.issuer, api: OTHER_API }), 'dismiss');

      assert.equal(dialogs.length, 1, `dialogs: ${JSON.stringify(dialogs)}`);
      const [{ type, message }] = dialogs;
      assert.equal(type, 'confirm');
      assert.ok(message.startsWith(LINK_SETTINGS_PROMPT), message);
      const line = (label) => message.split('\n').find((text) => text.startsWith(label)) ?? '';
      assert.equal(line('provider'), `provider (you log in there): ${env.servers.op.issuer} → ${other.issuer}`);
      assert.equal(line('API origins'),
        `API origins (auth.fetch sends the access token there): this page's origin only → ${OTHER_API}`);
      assert.deepEqual(page.pageErrors, []);
    } finally {
      await page.context().close();
    }
  });

  it('a link to another provider, declined: nothing is saved and the page never contacts that provider', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage(env.browser);
    try {
      const { op } = env.servers;
      await openDemo(page, env.servers);
      const saved = await savedSettings(page);
      assert.equal(saved.provider?.authority, op.issuer, 'openDemo saved its provider');
      const seen = watchOrigin(page.context(), other.issuer);

      const link = demoLink(env.servers, { op: other.issuer, api: OTHER_API, mode: 'query' });
      const dialogs = await followLink(page, link, 'dismiss');

      assert.equal(dialogs.length, 1, `dialogs: ${JSON.stringify(dialogs)}`);
      assert.deepEqual(await savedSettings(page), saved, 'saved settings');
      const config = await clientConfig(page);
      assert.equal(config.authority, op.issuer, 'the AuthClient\'s authority');
      assert.equal(config.apiOrigins, undefined, 'the AuthClient\'s apiOrigins');
      assert.equal(config.responseMode, 'fragment', 'the AuthClient\'s responseMode');
      assert.equal(new URL(page.url()).search, '', 'the link\'s parameters left the address bar');
      assert.match(await page.locator('#settings-error').textContent(), /not saved \(declined\)/);

      // Later visits ask nothing and keep the saved provider; the login goes there.
      assert.deepEqual(await followLink(page, page.url(), 'accept'), [], 'a visit without parameters asks nothing');
      assert.equal((await clientConfig(page)).authority, op.issuer);
      await page.locator('#login').click();
      await page.waitForURL(isInteraction(op));
      assert.deepEqual(seen, [], 'requests to the other provider');
      assert.deepEqual(page.pageErrors, []);
    } finally {
      await page.context().close();
    }
  });

  it('a link to another provider, accepted: saved, and the next login goes there', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage(env.browser);
    try {
      await openDemo(page, env.servers);
      const link = demoLink(env.servers, { op: other.issuer, api: OTHER_API, mode: 'query' });
      const dialogs = await followLink(page, link, 'accept');

      assert.equal(dialogs.length, 1, `dialogs: ${JSON.stringify(dialogs)}`);
      const saved = await savedSettings(page);
      assert.equal(saved.provider?.authority, other.issuer, 'saved authority');
      assert.deepEqual(saved.provider?.apiOrigins, [OTHER_API], 'saved apiOrigins');
      assert.equal(saved.responseMode, 'query', 'saved response mode');
      assert.equal(new URL(page.url()).search, '', 'the link\'s parameters left the address bar');

      // Saved for good: a visit without parameters asks nothing and uses them.
      assert.deepEqual(await followLink(page, page.url(), 'dismiss'), [], 'a visit without parameters asks nothing');
      const config = await clientConfig(page);
      assert.equal(config.authority, other.issuer);
      assert.deepEqual(config.apiOrigins, [OTHER_API]);
      assert.equal(config.responseMode, 'query');
      await page.locator('#login').click();
      await page.waitForURL(isInteraction(other));
      assert.deepEqual(page.pageErrors, []);
    } finally {
      await page.context().close();
    }
  });

  it('asks nothing for a link that changes nothing, nor for ?reset', { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage(env.browser);
    try {
      await openDemo(page, env.servers, { storage: 'local' });
      const saved = await savedSettings(page);
      const same = demoLink(env.servers, { op: env.servers.op.issuer, mode: 'fragment', storage: 'local' });
      assert.deepEqual(await followLink(page, same, 'dismiss'), [], 'the settings already saved');
      assert.deepEqual(await savedSettings(page), saved);

      assert.deepEqual(await followLink(page, demoLink(env.servers, { reset: '' }), 'dismiss'), [], '?reset');
      assert.deepEqual(await savedSettings(page), { provider: null, responseMode: null }, 'settings after ?reset');
      assert.equal((await clientConfig(page)).authority, 'http://localhost:4000', 'back to the default provider');
      assert.equal(new URL(page.url()).search, '');
      assert.deepEqual(page.pageErrors, []);
    } finally {
      await page.context().close();
    }
  });
});
