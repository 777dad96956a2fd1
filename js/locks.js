// Web Locks as a mutex for Rust: resolves, once the lock is held, with the function that
// releases it. Without navigator.locks (old browsers, insecure contexts) it resolves at once
// with a no-op: the caller then runs unlocked, as a single tab would.
export function acquireLock(name) {
  const locks = globalThis.navigator && globalThis.navigator.locks;
  if (!locks) return Promise.resolve(() => {});
  return new Promise((acquired, failed) => {
    locks
      .request(name, () => new Promise((release) => acquired(release)))
      .catch(failed);
  });
}
