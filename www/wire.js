// What the API buttons show is what went over the wire: while a button's call runs, the page
// watches the requests to that call's URL (auth.fetch sends them with window.fetch) and keeps,
// of each, the Authorization header ELIDED and the claims of a JWT access token, then the
// answer's status. The token itself is dropped at once: it is never kept, shown or logged.
//
// This is the demo looking over the library's shoulder, for display only. An app does not need
// it: auth.fetch picks the token (the `apis` entry whose url is the longest prefix of the
// request's, src/core/apis.rs).
import { decodeJwtPayload, truncateToken } from './format.js';

const watchers = new Set();
let installed = false;

/** What a watcher keeps of an Authorization header: its scheme, an excerpt, and JWT claims. */
function describeAuthorization(header) {
  if (!header) return { header: null, claims: null, token: null };
  const match = /^(\S+)\s+(\S+)$/.exec(header);
  if (!match) return { header: '(not a bearer token)', claims: null, token: null };
  const [, scheme, token] = match;
  return { header: `${scheme} ${truncateToken(token)}`, claims: decodeJwtPayload(token), token };
}

function install() {
  if (installed) return;
  installed = true;
  const send = window.fetch;
  window.fetch = function fetch(input, init) {
    const url = watchers.size ? urlOf(input) : null;
    const watching = [...watchers].filter((w) => w.url === url);
    if (!watching.length) return send.call(this, input, init);

    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    const { header, claims, token } = describeAuthorization(headers.get('Authorization'));
    // Which of the page's known tokens this is, by comparison only (the token is not kept).
    const attempts = watching.map((w) => {
      const attempt = { header, claims, is: token ? w.identify(token) : null, status: null };
      w.attempts.push(attempt);
      return attempt;
    });
    const sent = send.call(this, input, init);
    sent.then(
      (res) => { for (const attempt of attempts) attempt.status = res.status; },
      () => { for (const attempt of attempts) attempt.status = 'network error'; },
    );
    return sent;
  };
}

/** The absolute URL a fetch() argument names, or null (then fetch() itself says what is wrong). */
function urlOf(input) {
  try {
    return input instanceof Request ? input.url : new URL(input, location.href).href;
  } catch {
    return null;
  }
}

/**
 * Watches the requests to `url` until `stop()`, which returns them oldest first:
 * `{ header: 'Bearer eyJhbGciOi…x7Qk (812 chars)' | null, claims: object | null, is, status }`,
 * where `is` is what `identify(token)` said about the token (it sees the token, keeps nothing).
 */
export function watchRequests(url, identify = () => null) {
  install();
  const watcher = { url: urlOf(url), attempts: [], identify };
  watchers.add(watcher);
  return {
    stop() {
      watchers.delete(watcher);
      return watcher.attempts;
    },
  };
}
