// IndexedDB as the tabs' shared record of the session, read under the refresh lock.
// localStorage is copied into every tab's process and updated there asynchronously, so a tab
// that takes the lock right after another tab refreshed can still read the OLD refresh token
// from it, and replay it. A read in an IndexedDB transaction sees every write committed before.
const DB = 'spa-oauth';
const STORE = 'sessions';
let opening;

function database() {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opening;
}

function run(mode, operation) {
  return database().then((db) => new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const request = operation(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  }));
}

/** The record under `key`, or null. */
export function sharedGet(key) {
  return run('readonly', (store) => store.get(key)).then((value) => (typeof value === 'string' ? value : null));
}

/** Stores `value` under `key`, or deletes it when `value` is null; resolves once committed. */
export function sharedSet(key, value) {
  return run('readwrite', (store) => (value == null ? store.delete(key) : store.put(value, key))).then(() => undefined);
}
