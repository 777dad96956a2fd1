#!/usr/bin/env node
// spa-oauth vs peers, in headless Chromium against the local OP: `npm run bench`.
//   --no-build     use pkg/ as it is (default: bash scripts/build.sh first)
//   --runs N       complete logins per library, each in a fresh browser context (default 11, min 5)
//   --rounds N     measured hot-path rounds per run (default 7)
//   --calls N      minimum getAccessToken() calls per round (default 1000)
//   --round-ms N   minimum duration of a round (default 50; performance.now() has 0.1 ms steps)
// Writes bench/results.md, bench/results.json and bench/ratios.svg. See bench/README.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { startBench, runAlone, runOnce, runWarm } from './browser.mjs';
import { bundleAll } from './bundle.mjs';
import { FIGURES, valuesOf } from './figures.mjs';
import { LIBRARIES, ROOT, versions } from './libraries.mjs';
import { writeReport } from './report.mjs';
import { measureSizes } from './sizes.mjs';
import { summarize } from './stats.mjs';

const { values: args } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    runs: { type: 'string', default: '11' },
    rounds: { type: 'string', default: '7' },
    calls: { type: 'string', default: '1000' },
    'round-ms': { type: 'string', default: '50' },
  },
});
const positive = (name, min) => {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}`);
  return n;
};
const options = { runs: positive('runs', 5), rounds: positive('rounds', 7), calls: positive('calls', 1000), roundMs: positive('round-ms', 1) };
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const started = Date.now();
const loadStart = loadavg();

const command = process.env.npm_lifecycle_event === 'bench'
  ? `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`
  : `node bench/run.mjs ${process.argv.slice(2).join(' ')}`.trim();

if (!args['no-build']) {
  log('building the release package: bash scripts/build.sh');
  const build = spawnSync('bash', ['scripts/build.sh'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`scripts/build.sh failed (exit ${build.status})`);
}

log('bundling the adapters with esbuild');
const shipped = await bundleAll();
const sizes = Object.fromEntries(Object.entries(shipped).map(([name, files]) => [name, measureSizes(files)]));

const bench = await startBench();
const chromium = `Chromium ${bench.browser.version()}`;
const runs = Object.fromEntries(LIBRARIES.map(({ name }) => [name, []]));
const failures = Object.fromEntries(LIBRARIES.map(({ name }) => [name, []]));
try {
  for (let run = 0; run < options.runs; run += 1) {
    // Interleaved, and each round in another order, so drift in the machine's load is shared.
    const order = LIBRARIES.map((_, i) => LIBRARIES[(i + run) % LIBRARIES.length].name);
    for (const name of order) {
      try {
        const result = {
          ...await runOnce(bench, name, options),
          ...await runAlone(bench, name, run),
          ...await runWarm(bench, name, run + 1),
        };
        runs[name].push(result);
        log(`run ${run + 1}/${options.runs} ${name}: start-up ${result.startupMs.toFixed(1)} ms `
          + `(alone ${result.startupAloneMs.toFixed(1)} ms, without the hints ${result.startupBareMs.toFixed(1)} ms, returning ${result.startupWarmMs.toFixed(1)} ms), `
          + `login ${result.loginToNavigateMs.toFixed(1)} ms, callback ${result.callbackMs.toFixed(1)} ms`);
      } catch (err) {
        failures[name].push({ run: run + 1, error: err.message.split('\n')[0] });
        log(`run ${run + 1}/${options.runs} ${name}: FAILED ${err.message.split('\n')[0]}`);
      }
    }
  }
} finally {
  await bench.close();
}

/** The most frequent request list of each phase over the runs. */
function network(list) {
  if (!list.length) return null;
  const commonest = (phase) => {
    const counts = new Map();
    for (const run of list) {
      const key = JSON.stringify(run.opRequests[phase]);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return JSON.parse([...counts].sort((a, b) => b[1] - a[1])[0][0]);
  };
  return { login: commonest('login'), callback: commonest('callback'), api: commonest('api') };
}

const summary = {};
for (const { name } of LIBRARIES) {
  summary[name] = {};
  for (const figure of FIGURES) {
    const values = figure.static ? [sizes[name][figure.key]] : runs[name].flatMap((run) => valuesOf(run, figure.key));
    summary[name][figure.key] = summarize(values);
  }
}

const git = (...a) => execFileSync('git', a, { cwd: ROOT, encoding: 'utf8' }).trim();
const dirty = git('status', '--porcelain', '--', 'src', 'js', 'Cargo.toml', 'Cargo.lock');
const cpuModel = cpus()[0]?.model ?? 'unknown CPU';
const osRelease = readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]*)/m)?.[1] ?? process.platform;

const results = {
  meta: {
    date: new Date().toISOString(),
    command,
    ...options,
    durationMs: Date.now() - started,
    node: process.version,
    chromium,
    versions: versions(),
    spaOauthSource: `commit ${git('rev-parse', '--short', 'HEAD')}${dirty ? ' + uncommitted changes in src/, js/ or Cargo files' : ''}`,
    machine: {
      nproc: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()),
      cpu: cpuModel.replace(/\s+/g, ' '),
      memoryGB: Number((totalmem() / 1e9).toFixed(1)),
      freeMemoryGB: Number((freemem() / 1e9).toFixed(1)),
      os: osRelease,
      loadStart,
      loadEnd: loadavg(),
    },
  },
  libraries: LIBRARIES,
  figures: FIGURES,
  sizes,
  summary,
  network: Object.fromEntries(LIBRARIES.map(({ name }) => [name, network(runs[name])])),
  failures,
  runs,
};
await writeReport(results, join(ROOT, 'bench'));
log(`done in ${(results.meta.durationMs / 1000).toFixed(0)} s: bench/results.md, bench/results.json, bench/ratios.svg`);
