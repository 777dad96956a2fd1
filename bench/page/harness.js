// The bench page's script, the same for every library (served unbundled at /harness.js; the
// library's bundle is /<library>/app.js). Times are performance.now() ms; nothing here prints
// a token. The runner (bench/browser.mjs) reads `window.bench`.
const scriptStart = performance.now();
const config = window.BENCH_CONFIG;
const heapSamples = [];
const sampleHeap = () => {
  const used = performance.memory?.usedJSHeapSize;
  if (used) heapSamples.push(used);
};

/** ms of [from, to] spent waiting on requests to the OP (Resource Timing, overlaps merged). */
function networkMs(from, to) {
  const spans = performance.getEntriesByType('resource')
    .filter((e) => e.name.startsWith(`${config.issuer}/`) && e.startTime >= from && e.responseEnd <= to)
    .map((e) => [e.startTime, e.responseEnd])
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [s, e] of spans) {
    if (e > end) total += e - Math.max(s, end);
    end = Math.max(end, e);
  }
  return total;
}

const bench = {
  heapSamples,
  /** Starts the login; the navigate event to the OP ends the measured interval. */
  login() {
    const start = performance.now();
    const record = { startEpochMs: performance.timeOrigin + start, navigateMs: null, networkMs: null };
    const save = () => sessionStorage.setItem('bench.login', JSON.stringify(record));
    navigation.addEventListener('navigate', (event) => {
      if (!event.destination.url.startsWith(`${config.issuer}/`)) return;
      const now = performance.now();
      record.navigateMs = now - start;
      record.networkMs = networkMs(start, now);
      save();
    });
    save();
    bench.adapter.login(bench.client).catch(fail);
  },
  /**
   * The hot path: awaited getAccessToken() calls. A warm-up of at least 200 ms first, then
   * `rounds` rounds of N calls, N >= `minCalls`. A round shorter than `minRoundMs` is discarded
   * and N grown (performance.now() has 0.1 ms steps here), so every kept round lasts that long.
   * Returns the calls/s of each kept round and the final N.
   */
  hot(rounds, minCalls, minRoundMs) {
    const { adapter, client } = bench;
    return measure(async (calls) => {
      const start = performance.now();
      for (let i = 0; i < calls; i += 1) {
        if (typeof await adapter.getAccessToken(client) !== 'string') throw new Error('no access token');
      }
      return performance.now() - start;
    }, rounds, minCalls, minRoundMs, sampleHeap);
  },
  /**
   * e2, the same for the second API's token: the first call mints it (checked: a JWT for the
   * API's resource, not the login's token), then warm-up and rounds as in hot(), in a loop of
   * its own (its call site's feedback is not shared with hot()'s). No heap samples (figure f
   * stays the login's). null when the adapter has no getApiToken.
   */
  async hotApi(rounds, minCalls, minRoundMs) {
    const { adapter, client } = bench;
    if (!adapter.getApiToken) return null;
    const first = await adapter.getApiToken(client);
    if (typeof first !== 'string') throw new Error('no access token for the second API');
    if (first === await adapter.getAccessToken(client)) throw new Error("the second API's token is the login's");
    const aud = [].concat(JSON.parse(atob(first.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).aud);
    if (!aud.includes(config.api.resource)) throw new Error(`the second API's token is for ${aud.join(', ')}`);
    return measure(async (calls) => {
      const start = performance.now();
      for (let i = 0; i < calls; i += 1) {
        if (typeof await adapter.getApiToken(client) !== 'string') throw new Error('no access token for the second API');
      }
      return performance.now() - start;
    }, rounds, minCalls, minRoundMs, () => {});
  },
  wasmMemoryBytes: () => bench.adapter.wasmMemoryBytes?.(bench.client) ?? null,
};
window.bench = bench;

/** Runs `round(calls)` (ms) as hot() describes; `afterRound` after each kept round. */
async function measure(round, rounds, minCalls, minRoundMs, afterRound) {
  let callsPerRound = minCalls;
  for (let warmUpMs = 0; warmUpMs < 200;) warmUpMs += await round(minCalls);
  const perSecond = [];
  while (perSecond.length < rounds) {
    const ms = await round(callsPerRound);
    if (ms < minRoundMs) {
      const needed = (callsPerRound * minRoundMs * 1.2) / Math.max(ms, 0.1);
      callsPerRound = Math.max(callsPerRound * 2, Math.ceil(needed / 1000) * 1000);
      continue;
    }
    perSecond.push(callsPerRound / (ms / 1000));
    afterRound();
  }
  return { callsPerRound, perSecond };
}

function fail(err) {
  bench.error = `${err?.name ?? 'Error'}: ${err?.code ?? ''} ${err?.message ?? err}`.trim();
}

try {
  sampleHeap();
  bench.adapter = await import(new URL('app.js', location.href).href);
  const imported = performance.now();
  sampleHeap();
  bench.client = await bench.adapter.create(config);
  const ready = performance.now();
  sampleHeap();
  bench.startup = {
    importMs: imported - scriptStart,
    createMs: ready - imported,
    totalMs: ready - scriptStart,
    steps: bench.adapter.startupSteps?.(bench.client) ?? null,
  };
  if (bench.adapter.isCallback(bench.client)) {
    await bench.adapter.handleCallback(bench.client);
    const stored = performance.now();
    sampleHeap();
    if (typeof await bench.adapter.getAccessToken(bench.client) !== 'string') throw new Error('no access token after the callback');
    bench.callback = {
      handlerMs: stored - ready, networkMs: networkMs(ready, stored), fromScriptStartMs: stored - scriptStart,
    };
  }
  bench.ready = true;
} catch (err) {
  fail(err);
}
