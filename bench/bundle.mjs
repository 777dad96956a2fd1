// Builds the bench site in bench/.build/site: /harness.js, and per library /<name>/app.js (its
// adapter bundled and minified by esbuild: exactly what an app using that API ships) plus, for
// spa-oauth, the .wasm next to it (the glue fetches new URL('spa_oauth_bg.wasm', import.meta.url)).
// The pages (/<name>/index.html, bare.html) are written later by writePages(), once the OP's address is known.
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { build } from 'esbuild';

import { LIBRARIES, ROOT } from './libraries.mjs';

export const SITE = join(ROOT, 'bench/.build/site');

/** Bundles every adapter; returns, per library, the files an app downloads for it. */
export async function bundleAll() {
  await rm(SITE, { recursive: true, force: true });
  await mkdir(SITE, { recursive: true });
  await copyFile(join(ROOT, 'bench/page/harness.js'), join(SITE, 'harness.js'));
  const shipped = {};
  for (const { name, ours } of LIBRARIES) {
    const dir = join(SITE, name);
    await build({
      entryPoints: [join(ROOT, `bench/adapters/${name}.js`)],
      outfile: join(dir, 'app.js'),
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      legalComments: 'none',
      logLevel: 'warning',
    });
    shipped[name] = [join(dir, 'app.js')];
    if (ours) {
      await copyFile(join(ROOT, 'pkg/spa_oauth_bg.wasm'), join(dir, 'spa_oauth_bg.wasm'));
      shipped[name].push(join(dir, 'spa_oauth_bg.wasm'));
    }
  }
  return shipped;
}

/**
 * The README's start-up recipe for a page: the wasm is downloaded and compiled from the page's
 * <head>, while the app's script loads; the adapter hands the promise to init(). Peers ship one
 * script and have nothing to start early.
 */
const EARLY_WASM = '<script>window.spaOauthWasm = WebAssembly.compileStreaming(fetch(\'spa_oauth_bg.wasm\'));</script>\n';

/**
 * Writes, for every library, /<name>/index.html (the page every figure but b⁗ loads, with the
 * start-up hints the library's docs give) and /<name>/bare.html (the same page without them: b⁗),
 * the client configuration inline.
 */
export async function writePages(configFor) {
  for (const { name, ours } of LIBRARIES) {
    const config = JSON.stringify(configFor(name)).replace(/</g, '\\u003c');
    const page = (hints) => `<!DOCTYPE html>
<meta charset="utf-8">
<title>bench: ${name}</title>
${hints}<script>window.BENCH_CONFIG = ${config};</script>
<script type="module" src="/harness.js"></script>
`;
    await writeFile(join(SITE, name, 'index.html'), page(ours ? EARLY_WASM : ''));
    await writeFile(join(SITE, name, 'bare.html'), page(''));
  }
}
