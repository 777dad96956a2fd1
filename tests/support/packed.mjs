// What the package tests (tests/package/) and the React tests (tests/react/) share: running
// commands, a consistent copy of pkg/ to pack (other work rebuilds pkg/ now and then), the
// checks of a typings file of marked mistakes, and of an example's Vite build.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MINUTE = 60_000;

/** Runs a command; resolves { stdout, stderr, code } (never rejects on a non-zero exit). */
export function run(file, args, { cwd = ROOT, timeout = 2 * MINUTE, env } = {}) {
  return new Promise((resolve, reject) => {
    execFile(file, args, {
      cwd, timeout, maxBuffer: 32 * 1024 * 1024, env: { ...process.env, ...env },
    }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') reject(Object.assign(err, { stdout, stderr }));
      else resolve({ stdout, stderr, code: err ? err.code : 0 });
    });
  });
}

/** Like run(), but fails with the command's output unless it exits 0. */
export async function runOk(file, args, options) {
  const result = await run(file, args, options);
  assert.equal(result.code, 0, `${basename(file)} ${args.join(' ')} exited ${result.code}\n`
    + `--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  return result;
}

export const npm = (args, options) => runOk('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], options);

/** The files under `dir`, relative to it, sorted. */
export function listFiles(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path, base) : [relative(base, path)];
  }).sort();
}

function fingerprint(dir) {
  return listFiles(dir).map((file) => {
    const { size, mtimeMs } = statSync(join(dir, file));
    return `${file}:${size}:${mtimeMs}`;
  }).join('\n');
}

/**
 * An example's Vite build (`dist`) holds spa-oauth's wasm as its one `.wasm` asset, and its
 * index.html starts that wasm from the <head> before the app's module script (spa-oauth/vite,
 * the README's "Start-up"). Returns the asset's path in `dist`.
 */
export function assertStartsWasmEarly(dist) {
  const wasm = listFiles(dist).filter((f) => f.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `wasm assets: ${wasm}`);
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const early = html.indexOf(`window.spaOauthWasm = WebAssembly.compileStreaming(fetch("/${wasm[0]}"))`);
  assert.ok(early > 0 && early < html.indexOf('<script type="module"'), html);
  return wasm[0];
}

/**
 * A consistent copy of `pkg` in `dest`: nothing changed while copying, and `isFinished(dest)`
 * holds (the build was complete). Waits up to 3 minutes for a build under way.
 */
export async function snapshotPkg(pkg, dest, isFinished) {
  const deadline = Date.now() + 3 * MINUTE;
  for (;;) {
    try {
      const before = fingerprint(pkg);
      rmSync(dest, { recursive: true, force: true });
      cpSync(pkg, dest, { recursive: true });
      if (before === fingerprint(pkg) && isFinished(dest)) return dest;
    } catch (err) {
      if (err.code !== 'ENOENT') throw err;
    }
    assert.ok(Date.now() < deadline, `${pkg} is missing or unfinished: build it with \`bash scripts/build.sh\``);
    await sleep(5000);
  }
}

/** tsc's diagnostics as { file, line, code } (line 1-based). */
function diagnostics(output) {
  return [...output.matchAll(/^(.+?)\((\d+),\d+\): error (TS\d+):/gm)]
    .map(([, file, line, code]) => ({ file: basename(file), line: Number(line), code }));
}

/**
 * A typings file of marked mistakes (`// @ts-expect-error TSnnnn why` above each): the text with
 * the markers blanked (line numbers kept) and what tsc must then report, `{ file, line, code, why }`.
 */
export function markedMistakes(text, file) {
  const expected = [];
  const stripped = text.split('\n').map((line, i) => {
    const m = /^\s*\/\/ @ts-expect-error (TS\d+) (.+)$/.exec(line);
    if (!m) return line;
    expected.push({ file, line: i + 2, code: m[1], why: m[2] });
    return '';
  });
  assert.ok(expected.length >= 10, `only ${expected.length} marked mistakes`);
  return { stripped: stripped.join('\n'), expected };
}

/** tsc's run over the stripped mistakes failed with exactly the `expected` errors. */
export function assertExactlyTheMistakes({ code, stdout }, expected) {
  assert.notEqual(code, 0, 'tsc accepted the mistakes without their @ts-expect-error lines');
  const seen = diagnostics(stdout);
  const key = (d) => `${d.file}:${d.line} ${d.code}`;
  for (const e of expected) {
    assert.ok(seen.some((d) => key(d) === key(e)), `no ${e.code} on line ${e.line} (${e.why}); tsc said:\n${stdout}`);
  }
  const unexpected = seen.filter((d) => !expected.some((e) => key(e) === key(d)));
  assert.deepEqual(unexpected, [], `errors that no @ts-expect-error announces:\n${stdout}`);
}
