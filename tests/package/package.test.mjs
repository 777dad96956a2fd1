// The npm package as its users get it: `npm pack` of pkg/, installed into the Vite example
// (examples/vite) from the tarball, built with `vite build` and logged in through a real
// OpenID Provider in headless Chromium; imported from Node; and its typings checked by tsc.
//
// Needs pkg/ (`bash scripts/build.sh`) and the root devDependencies (`npm install`). The
// registry is used once per run for the example's dependencies (vite), from npm's cache when
// it can. pkg/ may be rebuilt while this runs: everything here works on one consistent copy.
import assert from 'node:assert/strict';
import {
  cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import {
  callbackParamsIn, launchBrowser, newPage, signInAtOP, waitForStatus,
} from '../e2e/helpers.mjs';
import { startOP } from '../support/op.mjs';
import {
  MINUTE, ROOT, assertExactlyTheMistakes, assertStartsWasmEarly, listFiles, markedMistakes, npm, run, runOk, snapshotPkg,
} from '../support/packed.mjs';
import { startStatic } from '../support/static.mjs';

const PKG = join(ROOT, 'pkg');
const EXAMPLE = join(ROOT, 'examples', 'vite');
const TYPES = join(ROOT, 'tests', 'package', 'types');
const TSC = join(ROOT, 'node_modules', '.bin', 'tsc');

const MARKER = '// spa-oauth: AuthError export';

// ---- helpers --------------------------------------------------------------------------------

/** Whether `dir` holds a finished build (wasm-pack's output after scripts/finish-pkg.mjs). */
function isFinished(dir) {
  const has = (file, text) => existsSync(join(dir, file)) && readFileSync(join(dir, file), 'utf8').includes(text);
  return existsSync(join(dir, 'spa_oauth_bg.wasm')) && existsSync(join(dir, 'LICENSE'))
    && has('spa_oauth.js', MARKER) && has('spa_oauth.d.ts', MARKER) && has('package.json', '"exports"');
}

/** The snippet files the module imports (`./snippets/<crate>-<hash>/js/<name>.js`). */
function importedSnippets(js) {
  return [...js.matchAll(/from '\.\/(snippets\/[^']+)'/g)].map((m) => m[1]);
}

/** A tsconfig in `dir` that extends tests/package/types/tsconfig.json, with `spa-oauth` at `pkg`. */
function writeTsconfig(dir, { pkg, files, compilerOptions = {} }) {
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    extends: join(TYPES, 'tsconfig.json'),
    compilerOptions: { paths: { 'spa-oauth': [pkg] }, ...compilerOptions },
    files,
  }, null, 2));
  return join(dir, 'tsconfig.json');
}

// ---- fixtures shared by the tests ----------------------------------------------------------

let work;       // temp dir of this run
let snapshot;   // consistent copy of pkg/
let tarball;    // npm pack of the snapshot
let packed;     // npm pack --json's report
let app;        // scratch copy of examples/vite, with the tarball installed

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'spa-oauth-package-'));
  snapshot = await snapshotPkg(PKG, join(work, 'pkg'), isFinished);
  const { stdout } = await npm(['pack', snapshot, '--json', '--pack-destination', work]);
  [packed] = JSON.parse(stdout);
  tarball = join(work, packed.filename);
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

// ---- (a) the tarball -----------------------------------------------------------------------

describe('npm pack', () => {
  it('contains exactly the module, its typings, the wasm, its snippets, the JS methods (client.js), the React bindings, the Vite plugin, LICENSE and README', () => {
    const files = packed.files.map((f) => f.path).sort();
    const js = readFileSync(join(snapshot, 'spa_oauth.js'), 'utf8');
    const snippets = importedSnippets(js);
    assert.ok(snippets.some((s) => s.endsWith('/js/api.js')), `AuthError snippet not imported: ${snippets}`);
    for (const s of snippets) assert.match(s, /^snippets\/spa-oauth-[0-9a-f]+\/js\/[\w-]+\.js$/);
    const expected = [
      'LICENSE', 'README.md', 'package.json', 'spa_oauth.d.ts', 'spa_oauth.js', 'spa_oauth_bg.wasm', ...snippets,
      'client.js', 'react.js', 'react.d.ts', 'vite.js', 'vite.d.ts',
    ].sort();
    assert.match(js, /from '\.\/client\.js'/);
    assert.deepEqual(files, [...new Set(expected)]);
    // The snippets the module needs are exactly those shipped.
    assert.deepEqual(listFiles(join(snapshot, 'snippets')).map((f) => `snippets/${f}`).sort(), [...new Set(snippets)].sort());
  });

  it('was built with the size profile whenever the toolchain can (rust-src installed)', async () => {
    const installed = await run('rustup', ['component', 'list', '--installed']);
    const recorded = join(ROOT, 'target', 'spa-oauth-build-profile');
    assert.ok(existsSync(recorded), `${recorded} is missing: build pkg/ with scripts/build.sh`);
    const profile = readFileSync(recorded, 'utf8').trim();
    if (/^rust-src/m.test(installed.stdout)) {
      assert.equal(profile, 'size', 'scripts/build.sh fell back to the plain profile (about 10 KB larger)');
    } else {
      assert.match(profile, /^plain: /);
    }
  });

  it('has a complete package.json', () => {
    const manifest = JSON.parse(readFileSync(join(snapshot, 'package.json'), 'utf8'));
    assert.equal(manifest.name, 'spa-oauth');
    assert.match(manifest.version, /^\d+\.\d+\.\d+(-[\w.]+)?$/);
    assert.equal(packed.name, 'spa-oauth');
    assert.equal(packed.version, manifest.version);
    assert.equal(manifest.type, 'module');
    assert.ok(manifest.description, 'description');
    assert.equal(manifest.license, 'MIT');
    assert.match(readFileSync(join(snapshot, 'LICENSE'), 'utf8'), /MIT License/);
    assert.match(manifest.repository?.url ?? '', /^(git\+)?https:\/\/github\.com\/[\w.-]+\/[\w.-]+(\.git)?$/);
    assert.equal(manifest.sideEffects, false);
    assert.ok(Array.isArray(manifest.files) && manifest.files.length > 0, 'files');

    const shipped = new Set(packed.files.map((f) => f.path));
    const ships = (path) => shipped.has(path.replace(/^\.\//, ''));
    assert.ok(ships(manifest.types), `types: ${manifest.types}`);
    assert.ok(ships(manifest.main), `main: ${manifest.main}`);
    const root = manifest.exports?.['.'];
    assert.ok(root && typeof root === 'object', 'exports["."] is a conditions object');
    // TypeScript reads conditions in order: `types` must come first.
    assert.deepEqual(Object.keys(root), ['types', 'default']);
    assert.ok(ships(root.types) && root.types.endsWith('.d.ts'), `exports["."].types: ${root.types}`);
    assert.ok(ships(root.default) && root.default.endsWith('.js'), `exports["."].default: ${root.default}`);
    assert.ok(ships(manifest.exports['./spa_oauth_bg.wasm']), 'exports["./spa_oauth_bg.wasm"]');
    assert.equal(manifest.exports['./package.json'], './package.json');
    // spa-oauth/react (tests/react/ drives it): its own entry; React an optional peer.
    assert.deepEqual(manifest.exports['./react'], { types: './react.d.ts', default: './react.js' });
    assert.ok(ships('react.js') && ships('react.d.ts'), 'react.js and react.d.ts shipped');
    assert.deepEqual(manifest.exports['./vite'], { types: './vite.d.ts', default: './vite.js' });
    assert.ok(ships('vite.js') && ships('vite.d.ts'), 'vite.js and vite.d.ts shipped');
    assert.deepEqual(manifest.peerDependencies, { react: '>=18', vite: '>=5' });
    assert.deepEqual(manifest.peerDependenciesMeta, { react: { optional: true }, vite: { optional: true } });
  });
});

// ---- (b) installed from the tarball into the Vite example ----------------------------------

describe('the Vite example, installed from the tarball', { timeout: 10 * MINUTE }, () => {
  let dist;

  before(async () => {
    app = join(work, 'app');
    cpSync(EXAMPLE, app, {
      recursive: true,
      filter: (src) => !/[/\\](node_modules|dist)$|\.tgz$|[/\\]package-lock\.json$/.test(src),
    });
    cpSync(tarball, join(app, 'spa-oauth.tgz'));
    await npm(['install', '--prefer-offline'], { cwd: app, timeout: 6 * MINUTE });
  });

  it('installs the packed files unchanged', () => {
    const installed = join(app, 'node_modules', 'spa-oauth');
    const files = listFiles(installed);
    assert.deepEqual(files, packed.files.map((f) => f.path).sort());
    // React is an optional peer dependency: an app without React gets none.
    assert.equal(existsSync(join(app, 'node_modules', 'react')), false, 'npm installed React into an app that does not use it');
    for (const file of files) {
      assert.ok(readFileSync(join(installed, file)).equals(readFileSync(join(snapshot, file))), `${file} differs from pkg/`);
    }
  });

  it('imports from Node: the ESM entry, its exports, no side effects', async () => {
    writeFileSync(join(app, 'node-import.mjs'), `
      const globalsBefore = Object.getOwnPropertyNames(globalThis).sort().join();
      const mod = await import('spa-oauth');
      const { default: manifest } = await import('spa-oauth/package.json', { with: { type: 'json' } });
      const err = new mod.AuthError('login_required', 'no session', 'refused', 400, 'AADB2C90118');
      console.log(JSON.stringify({
        exports: Object.keys(mod).sort(),
        kinds: Object.fromEntries(Object.entries(mod).map(([k, v]) => [k, typeof v])),
        newGlobals: Object.getOwnPropertyNames(globalThis).sort().join() !== globalsBefore,
        name: manifest.name,
        wasm: import.meta.resolve('spa-oauth/spa_oauth_bg.wasm'),
        error: {
          isError: err instanceof Error, name: err.name, code: err.code, message: err.message,
          description: err.description, status: err.status, b2cCode: err.b2cCode,
        },
      }));
    `);
    const { stdout } = await runOk(process.execPath, ['node-import.mjs'], { cwd: app });
    const seen = JSON.parse(stdout);
    assert.deepEqual(seen.exports, ['AuthClient', 'AuthError', 'default', 'initSync', 'relayResponse']);
    assert.deepEqual(seen.kinds, {
      AuthClient: 'function', AuthError: 'function', default: 'function', initSync: 'function', relayResponse: 'function',
    });
    assert.equal(seen.newGlobals, false, 'importing the package changed globalThis');
    assert.equal(seen.name, 'spa-oauth');
    assert.equal(fileURLToPath(seen.wasm), join(app, 'node_modules', 'spa-oauth', 'spa_oauth_bg.wasm'));
    assert.deepEqual(seen.error, {
      isError: true, name: 'AuthError', code: 'login_required', message: 'no session',
      description: 'refused', status: 400, b2cCode: 'AADB2C90118',
    });
  });

  it('type-checks against the installed typings (examples/vite/tsconfig.json)', async () => {
    await runOk(TSC, ['-p', join(app, 'tsconfig.json'), '--pretty', 'false'], { cwd: app });
  });

  it('builds with vite build: one wasm asset, the package\'s own', async () => {
    await runOk(join(app, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: app, timeout: 3 * MINUTE });
    dist = join(app, 'dist');
    const files = listFiles(dist);
    assert.ok(files.includes('index.html'), `dist: ${files}`);
    // The README's start-up recipe for Vite (spa-oauth/vite, in examples/vite/vite.config.ts).
    const wasm = assertStartsWasmEarly(dist);
    assert.ok(readFileSync(join(dist, wasm)).equals(readFileSync(join(snapshot, 'spa_oauth_bg.wasm'))));
    const js = files.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(dist, f), 'utf8')).join('\n');
    assert.ok(!js.includes('AGFzbQ'), 'the wasm is inlined into the JS as base64');
  });

  it('logs in through the OP in Chromium: logged-in, tokens present, clean URL', { timeout: 2 * MINUTE }, async (t) => {
    assert.ok(dist, 'vite build did not run');
    const web = await startStatic({ mounts: { '/': dist }, root: dist });
    t.after(() => web.close());
    const op = await startOP({ redirectUris: [`${web.origin}/`] });
    t.after(() => op.close());
    const browser = await launchBrowser();
    t.after(() => browser.close());

    const page = await newPage(browser);
    const warnings = [];
    page.on('console', (msg) => {
      const from = msg.location().url ?? '';
      if ((msg.type() === 'warning' || msg.type() === 'error') && from.startsWith(web.origin)) warnings.push(msg.text());
    });
    const wasmResponses = [];
    page.on('response', (res) => {
      if (res.url().endsWith('.wasm')) wasmResponses.push(res.headers()['content-type']);
    });

    const start = new URL('/', web.origin);
    start.searchParams.set('op', op.issuer);
    start.searchParams.set('client', 'spa-demo');
    await page.goto(start.href);
    await waitForStatus(page, 'logged-out');
    assert.deepEqual(wasmResponses, ['application/wasm']);
    // One download of the wasm, the page's early one: init() took that compile rather than
    // fetching again.
    const { wasmLoads, started } = await page.evaluate(() => ({
      wasmLoads: performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.wasm')).length,
      started: typeof window.spaOauthWasm?.then === 'function',
    }));
    assert.ok(started, 'the built index.html started no compile');
    assert.equal(wasmLoads, 1);

    const posts = op.tokenRequests();
    await page.locator('#login').click();
    await signInAtOP(page, op);
    await waitForStatus(page, 'logged-in');

    const session = JSON.parse(await page.locator('#session').textContent());
    const now = Date.now();
    assert.equal(session.accessToken, true, 'accessToken');
    assert.equal(session.idToken, true, 'idToken');
    assert.equal(session.refreshToken, true, 'refreshToken');
    assert.equal(session.tokenType, 'Bearer');
    assert.equal(session.sub, 'alice');
    assert.ok(session.expiresAt > now && session.expiresAt < now + 3700_000, `expiresAt ${session.expiresAt}`);
    assert.equal(op.tokenRequests() - posts, 1, 'token requests');
    assert.deepEqual(callbackParamsIn(page.url()), [], 'response parameters left in the URL');

    // A reload keeps the session (sessionStorage) without another token request.
    await page.reload();
    await waitForStatus(page, 'logged-in');
    assert.equal(op.tokenRequests() - posts, 1, 'token requests after reload');

    assert.deepEqual(page.pageErrors, [], 'page errors');
    assert.deepEqual(warnings, [], 'console warnings/errors (e.g. a deprecated init call)');
  });
});

// ---- (c) the typings ------------------------------------------------------------------------

describe('TypeScript', { timeout: 5 * MINUTE }, () => {
  let dir;
  before(() => {
    dir = mkdtempSync(join(work, 'types-'));
  });

  it('accepts the whole API used correctly (usage.ts) and every marked mistake (wrong-usage.ts)', async () => {
    const config = writeTsconfig(dir, { pkg: snapshot, files: [join(TYPES, 'usage.ts'), join(TYPES, 'wrong-usage.ts')] });
    await runOk(TSC, ['-p', config, '--pretty', 'false']);
  });

  it('rejects each mistake of wrong-usage.ts once its @ts-expect-error is removed', async () => {
    const { stripped, expected } = markedMistakes(readFileSync(join(TYPES, 'wrong-usage.ts'), 'utf8'), 'wrong-usage.ts');
    const copy = mkdtempSync(join(dir, 'stripped-'));
    writeFileSync(join(copy, 'wrong-usage.ts'), stripped);
    const config = writeTsconfig(copy, { pkg: snapshot, files: ['wrong-usage.ts'] });
    assertExactlyTheMistakes(await run(TSC, ['-p', config, '--pretty', 'false']), expected);
  });

  it('has no `any` in the public API of spa_oauth.d.ts', () => {
    const dts = readFileSync(join(snapshot, 'spa_oauth.d.ts'), 'utf8');
    // Comments blanked out (line numbers kept), so only types are searched.
    const code = dts
      .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
      .replace(/\/\/.*$/gm, '')
      .split('\n');
    // wasm-bindgen's own section (InitInput, InitOutput, SyncInitInput, initSync, the default
    // export __wbg_init) types the raw wasm exports: not part of our API.
    const first = code.findIndex((line) => line.startsWith('export type InitInput'));
    const last = code.findIndex((line) => line.startsWith('export default function __wbg_init'));
    assert.ok(first > 0 && last > first, 'wasm-bindgen\'s init section not found');
    const api = code.filter((_, i) => i < first || i > last).join('\n');
    assert.match(api, /export class AuthClient \{/);
    assert.match(api, /export class AuthError extends Error \{/);
    assert.match(api, /export interface AuthClientConfig \{/);
    const offenders = code
      .map((text, i) => ({ at: `spa_oauth.d.ts:${i + 1}`, text: text.trim() }))
      .filter(({ text }, i) => (i < first || i > last) && /\bany\b/.test(text));
    assert.deepEqual(offenders, [], 'the public typings use `any`');
  });

  it('usage.ts uses every option, method, field and event the typings declare', () => {
    const strip = (text) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    const dts = strip(readFileSync(join(snapshot, 'spa_oauth.d.ts'), 'utf8'));
    const usage = strip(readFileSync(join(TYPES, 'usage.ts'), 'utf8'));
    // Every declaration of `head`: AuthClient is a class plus an interface for its methods
    // written in JS (js/client.js), which TypeScript merges.
    const body = (head) => {
      const heads = [...dts.matchAll(new RegExp(`export (interface|class) ${head}\\b[^{]*\\{`, 'g'))];
      assert.ok(heads.length > 0, `${head} not found in spa_oauth.d.ts`);
      return heads.map(({ index }) => dts.slice(dts.indexOf('{', index) + 1, dts.indexOf('\n}', index))).join('\n');
    };
    const members = (head) => [...body(head).matchAll(/^\s*(?:readonly\s+)?(\w+)\??\s*[:(]/gm)].map((m) => m[1]);
    const declared = {
      AuthClientConfig: members('AuthClientConfig'),
      LoginRedirectOptions: members('LoginRedirectOptions'),
      TokenSet: members('TokenSet'),
      User: members('User'),
      AuthClient: members('AuthClient').filter((name) => name !== 'constructor'),
      AuthError: members('AuthError').filter((name) => name !== 'constructor'),
    };
    const events = [...(/export type AuthEventName =([^;]+);/.exec(dts)?.[1] ?? '').matchAll(/'(\w+)'/g)].map((m) => m[1]);
    assert.ok(declared.AuthClientConfig.includes('clientId') && declared.AuthClient.includes('loginRedirect') && events.length > 0,
      `could not read the typings: ${JSON.stringify({ ...declared, events })}`);
    const missing = Object.entries(declared)
      .flatMap(([type, names]) => names.filter((n) => !new RegExp(`\\b${n}\\b`).test(usage)).map((n) => `${type}.${n}`))
      .concat(events.filter((e) => !usage.includes(`'${e}'`)).map((e) => `event '${e}'`));
    assert.deepEqual(missing, [], 'tests/package/types/usage.ts does not use these: add them');
  });

  // Ordinary use the typings once refused: optional options, AuthError's real constructor.
  it('accepts optional options and AuthError\'s real constructor (optional-use.ts)', async () => {
    const copy = mkdtempSync(join(dir, 'pending-'));
    const config = writeTsconfig(copy, { pkg: snapshot, files: [join(TYPES, 'optional-use.ts')] });
    await runOk(TSC, ['-p', config, '--pretty', 'false']);
  });

  it('compiles with lib ES2022 + DOM and skipLibCheck off (no esnext lib needed)', async () => {
    const copy = mkdtempSync(join(dir, 'es2022-'));
    const config = writeTsconfig(copy, {
      pkg: snapshot, files: [join(TYPES, 'usage.ts')], compilerOptions: { lib: ['ES2022', 'DOM', 'DOM.Iterable'] },
    });
    await runOk(TSC, ['-p', config, '--pretty', 'false']);
  });
});
