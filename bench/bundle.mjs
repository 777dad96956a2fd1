// Builds the bench site in bench/.build/site: /harness.js, and per library /<name>/app.js (its
// adapter bundled and minified by esbuild: exactly what an app using that API ships) plus, for
// spa-oauth, the .wasm next to it (the glue fetches new URL('spa_oauth_bg.wasm', import.meta.url)).
// The pages (/<name>/index.html) are written later by writePages(), once the OP's address is known.
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

/** Writes /<name>/index.html for every library, with the client configuration inline. */
export async function writePages(configFor) {
  for (const { name } of LIBRARIES) {
    const config = JSON.stringify(configFor(name)).replace(/</g, '\\u003c');
    await writeFile(join(SITE, name, 'index.html'), `<!DOCTYPE html>
<meta charset="utf-8">
<title>bench: ${name}</title>
<script>window.BENCH_CONFIG = ${config};</script>
<script type="module" src="/harness.js"></script>
`);
  }
}
