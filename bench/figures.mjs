// What the bench reports: each figure, its unit, and which direction is better. `valuesOf(run,
// key)` gives a run's values (an array: the hot paths contribute one value per round).
const KB = 1000;
const MB = 1000 * 1000;

export const FIGURES = [
  { key: 'gzip', label: 'a. shipped size, gzip -9', unit: 'kB', scale: KB, better: 'lower', static: true },
  { key: 'brotli', label: 'a. shipped size, brotli q11', unit: 'kB', scale: KB, better: 'lower', static: true },
  { key: 'startupMs', label: 'b. start-up: import → ready client', unit: 'ms', better: 'lower' },
  { key: 'startupCreateMs', label: 'b′. …of which create() (ours: wasm compile, instantiate, new AuthClient)', unit: 'ms', better: 'lower' },
  { key: 'startupAloneMs', label: 'b‴. b alone: the page loaded cold in a fresh context, nothing else done', unit: 'ms', better: 'lower' },
  { key: 'startupAloneCreateMs', label: 'b‴′. …of which create()', unit: 'ms', better: 'lower' },
  { key: 'startupAloneInitMs', label: 'b‴′ (ours) init(): the rest of the download and compile, instantiate', unit: 'ms', better: 'lower' },
  { key: 'startupAloneConstructMs', label: 'b‴′ (ours) new AuthClient (config, storage read, tab claim)', unit: 'ms', better: 'lower' },
  { key: 'startupBareMs', label: 'b⁗. b‴ without the start-up hints (ours: the wasm not started early), beside b‴', unit: 'ms', better: 'lower' },
  { key: 'startupBareCreateMs', label: 'b⁗′. …of which create()', unit: 'ms', better: 'lower' },
  { key: 'startupBareInitMs', label: 'b⁗′ (ours) init(): fetch, compile, instantiate', unit: 'ms', better: 'lower' },
  { key: 'startupBareConstructMs', label: 'b⁗′ (ours) new AuthClient', unit: 'ms', better: 'lower' },
  { key: 'startupWarmMs', label: 'b2. returning visitor: b with the HTTP cache warm (2nd load)', unit: 'ms', better: 'lower' },
  { key: 'startupWarmCreateMs', label: 'b2′. …of which create()', unit: 'ms', better: 'lower' },
  { key: 'loginToNavigateMs', label: 'c. login() → navigation to the authorize endpoint', unit: 'ms', better: 'lower' },
  { key: 'loginToRequestMs', label: 'c′. login() → authorize request sent (CDP clock)', unit: 'ms', better: 'lower' },
  { key: 'loginOwnMs', label: 'c″. …minus time waiting on the OP (Resource Timing)', unit: 'ms', better: 'lower' },
  { key: 'callbackMs', label: 'd. callback page script start → tokens stored', unit: 'ms', better: 'lower' },
  { key: 'callbackHandlerMs', label: 'd′. callback handler alone (client ready → stored)', unit: 'ms', better: 'lower' },
  { key: 'callbackOwnMs', label: 'd″. …handler minus time waiting on the OP', unit: 'ms', better: 'lower' },
  { key: 'hotCallsPerSecond', label: 'e. getAccessToken() hot path', unit: 'calls/s', scale: 1, better: 'higher' },
  { key: 'apiHotCallsPerSecond', label: "e2. getAccessToken({ scopes }) hot path, a second API's cached token", unit: 'calls/s', scale: 1, better: 'higher' },
  { key: 'heapPeakBytes', label: 'f. peak JS heap, callback page', unit: 'MB', scale: MB, better: 'lower' },
  { key: 'heapAfterLoginBytes', label: 'f. JS heap after login, after GC', unit: 'MB', scale: MB, better: 'lower' },
  { key: 'wasmMemoryBytes', label: 'f. wasm linear memory after login', unit: 'MB', scale: MB, better: 'lower' },
  { key: 'memoryAfterLoginBytes', label: 'f. JS heap after GC + wasm memory', unit: 'MB', scale: MB, better: 'lower' },
];

/** A run's values for `key` (numbers only; absent figures give []). */
export function valuesOf(run, key) {
  if (key === 'memoryAfterLoginBytes') return [run.heapAfterLoginBytes + (run.wasmMemoryBytes ?? 0)];
  const value = run[key];
  if (Array.isArray(value)) return value;
  return Number.isFinite(value) ? [value] : [];
}
