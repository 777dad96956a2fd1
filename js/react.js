// spa-oauth/react: React bindings for an AuthClient (React 18 or later, a peer dependency).
// scripts/finish-pkg.mjs copies this file into the package as its own entry (`spa-oauth/react`,
// typed by js/react.d.ts); the main entry never imports it, so apps without React ship none of it.
//
// One store per AuthClient (a WeakMap), shared by every provider and hook of that client:
// - the redirect callback is handled once per client, so once per page load, whatever React
//   does with effects (StrictMode mounts them twice: react-oidc-context #401 and #1638,
//   auth0-react #355 redeemed the code twice). The client also shares one promise between
//   concurrent calls; this guard does not rely on it;
// - the state is 'loading' from the first render of a page that carries a response until that
//   response is handled, then the session's: never 'anonymous' in between;
// - React reads it with useSyncExternalStore; each access token (the login's, each API's) is a
//   snapshot of its own, so a component re-renders only when what it reads changes;
// - the client's events (auth.on) are listened to while a provider is mounted, and let go
//   (auth.off) when the last one unmounts.
import {
  createContext, createElement, useCallback, useContext, useEffect, useRef, useState, useSyncExternalStore,
} from 'react';

const EVENTS = ['tokensChanged', 'loggedOut', 'refreshFailed', 'silentRenewed', 'silentRenewFailed'];
/** setTimeout's longest delay. */
const MAX_DELAY_MS = 2 ** 31 - 1;
/** Claims that differ between two ID tokens of one session without saying anything new of the user. */
const PER_TOKEN_CLAIMS = new Set(['iat', 'exp', 'nbf', 'nonce', 'at_hash', 'c_hash', 'jti', 'rh', 'uti']);

/** The automatic logins of <RequireAuth> after a logout: none, until a new session (a never-settling "login"). */
const LOGGED_OUT = new Promise(() => {});

const AuthContext = createContext(null);
const stores = new WeakMap();

function storeOf(client) {
  let store = stores.get(client);
  if (!store) {
    store = createStore(client);
    stores.set(client, store);
  }
  return store;
}

function useStore(hook) {
  const store = useContext(AuthContext);
  if (!store) throw new Error(`spa-oauth/react: ${hook} must be used inside <AuthProvider client={...}>`);
  return store;
}

/** A session to use: a valid access token, or a refresh token to get one. */
function hasSession(client) {
  const tokens = client.getTokens();
  return tokens !== null && (client.isAuthenticated() || typeof tokens.refreshToken === 'string');
}

function sameClaims(a, b) {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (!PER_TOKEN_CLAIMS.has(key) && JSON.stringify(a[key]) !== JSON.stringify(b[key])) return false;
  }
  return true;
}

/** The cache key of a token, as the core files it (scopes as a set, resource); '' for the login's. */
function tokenKey(options) {
  const scopes = options?.scopes;
  if (!Array.isArray(scopes)) return '';
  return `${[...new Set(scopes)].sort().join(' ')}\n${options.resource ?? ''}`;
}

/**
 * What happens with `appState` after a redirect login when the provider has no
 * `onRedirectCallback`: a same-origin `returnTo` path becomes the URL, and a `popstate` event
 * tells routers that listen to it (React Router, wouter, ...) to read it.
 */
function defaultOnRedirect(appState) {
  const to = appState !== null && typeof appState === 'object' ? appState.returnTo : undefined;
  if (typeof to !== 'string' || !to.startsWith('/')) return;
  const url = new URL(to, location.href);
  if (url.origin !== location.origin || url.href === location.href) return;
  history.replaceState(history.state, '', url.href);
  dispatchEvent(new PopStateEvent('popstate', { state: history.state }));
}

/**
 * Whether the URL carries a login response (a code or an error, not a logout return's lone
 * state) that the client handles or relays: at its redirect URI, or a popup's or silent
 * frame's (state `p.`/`s.`, relayed wherever it lands). handleRedirectCallback() resolves null
 * for one it relayed, or for a B2C forgot-password answer that starts the reset login: that
 * page stays 'loading' (no 'anonymous', no login started by <RequireAuth> there).
 */
function carriesLoginResponse(client) {
  return [location.search, location.hash].some((part) => {
    const params = new URLSearchParams(part.slice(1));
    if (!params.has('code') && !params.has('error')) return false;
    return client.isCallback() || /^[ps]\./.test(params.get('state') ?? '');
  });
}

function report(error) {
  if (typeof reportError === 'function') reportError(error);
  else setTimeout(() => { throw error; });
}

function createStore(client) {
  const actions = {
    loginRedirect: (options) => client.loginRedirect(options),
    loginPopup: (options) => client.loginPopup(options),
    logout(options) {
      // The session ends here: <RequireAuth> must not start a login that races the navigation
      // to the provider's end-session (or, with redirect: false, logs the user straight back in).
      autoLogin = LOGGED_OUT;
      return client.logout(options).catch((error) => {
        if (autoLogin === LOGGED_OUT) autoLogin = null;
        throw error;
      });
    },
    getAccessToken: (options) => client.getAccessToken(options),
  };

  /** The session as the client holds it now; `user` stays the same object while its claims do. */
  function fromClient(error) {
    if (!hasSession(client)) return { status: 'anonymous', user: null, error };
    const user = client.getUser();
    const kept = state?.user && user && sameClaims(state.user, user) ? state.user : user;
    return { status: 'authenticated', user: kept, error };
  }

  const loginResponse = carriesLoginResponse(client);
  let state = null;
  state = {
    ...(loginResponse || client.isCallback() ? { status: 'loading', user: null, error: null } : fromClient(null)), ...actions,
  };
  const listeners = new Set();
  let callback = null;
  let attached = 0;
  /** The providers' onRedirectCallback, latest last: one without a callback replaces none. */
  const redirectHandlers = [];
  /** Bumped when a session ends: token answers for an older session are dropped. */
  let generation = 0;
  /** The automatic login of <RequireAuth> under way, so that it starts once (StrictMode, several guards). */
  let autoLogin = null;

  function set(next) {
    if (next.status === state.status && next.user === state.user && next.error === state.error) return;
    const before = state.status;
    state = { ...next, ...actions };
    for (const listener of [...listeners]) listener();
    if (before !== state.status) {
      if (state.status === 'authenticated' && autoLogin === LOGGED_OUT) autoLogin = null;
      sessionChanged();
    }
    watchSessionEnd();
  }

  const refreshState = () => {
    if (state.status !== 'loading') set(fromClient(state.error));
  };

  /**
   * A session without a refresh token ends when its access token expires, with no event (the
   * client's getAccessToken() just resolves null): the state is read again then.
   */
  let sessionTimer;
  function watchSessionEnd() {
    clearTimeout(sessionTimer);
    sessionTimer = undefined;
    const held = client.getTokens();
    const end = held?.expiresAt;
    if (!attached || state.status !== 'authenticated' || typeof held?.refreshToken === 'string' || typeof end !== 'number') return;
    sessionTimer = setTimeout(() => {
      sessionTimer = undefined;
      refreshState();
    }, Math.min(Math.max(end - Date.now(), 0) + 1000, MAX_DELAY_MS));
  }

  const handlers = {
    tokensChanged(tokenSet) {
      if (tokenSet?.api) {
        tokenChanged(tokenKey(tokenSet.api), tokenSet);
        return;
      }
      tokenChanged('', tokenSet);
      if (state.status === 'loading') return;
      // A login as another user (no logout between): the client dropped the previous user's
      // API tokens without an event for each; the components showing them must not keep them.
      const otherUser = state.status === 'authenticated' && client.getUser()?.sub !== state.user?.sub;
      set(fromClient(null));
      if (otherUser) dropApiTokens();
      watchSessionEnd();
    },
    loggedOut() {
      generation += 1;
      refreshState();
    },
    refreshFailed(error) {
      set({ ...state, error });
      refreshState();
    },
    silentRenewed() {
      if (state.status !== 'loading') set(fromClient(null));
    },
    silentRenewFailed(error) {
      set({ ...state, error });
      refreshState();
    },
  };

  function handleCallback() {
    callback = client.handleRedirectCallback().then(
      (result) => {
        // A response relayed to the page that waits for it (popup, silent frame), or a B2C
        // forgot-password answer whose reset login is under way: this page is no session's.
        if (!result && loginResponse) return;
        if (result) {
          try {
            (redirectHandlers.at(-1)?.fn ?? defaultOnRedirect)(result.appState);
          } catch (error) {
            report(error);
          }
        }
        set(fromClient(null));
      },
      (error) => {
        // The login failed; a session from before it (if any) is still there.
        const now = fromClient(error);
        set(now.status === 'anonymous' ? { ...now, status: 'error' } : now);
      },
    );
  }

  function attach() {
    attached += 1;
    if (attached === 1) for (const event of EVENTS) client.on(event, handlers[event]);
    refreshState();
    if (!callback) handleCallback();
    for (const entry of tokens.values()) schedule(entry);
    watchSessionEnd();
    return () => {
      attached -= 1;
      if (attached > 0) return;
      for (const event of EVENTS) client.off(event, handlers[event]);
      for (const entry of tokens.values()) stopTimer(entry);
      watchSessionEnd();
    };
  }

  // ---- access tokens, one snapshot per key --------------------------------------------------

  const tokens = new Map();

  function emptyToken() {
    const expected = state.status === 'authenticated' || state.status === 'loading';
    return { token: null, error: null, loading: expected };
  }

  function entryOf(key, options) {
    let entry = tokens.get(key);
    if (!entry) {
      const copy = key === '' ? undefined : { scopes: [...options.scopes], ...(options.resource !== undefined && { resource: options.resource }) };
      entry = {
        key, options: copy, snapshot: emptyToken(), listeners: new Set(), fetching: -1, timer: undefined,
      };
      entry.subscribe = (listener) => subscribeToken(entry, listener);
      entry.getSnapshot = () => entry.snapshot;
      tokens.set(key, entry);
    }
    return entry;
  }

  function update(entry, next) {
    const now = entry.snapshot;
    if (now.token === next.token && now.error === next.error && now.loading === next.loading) return;
    entry.snapshot = next;
    for (const listener of [...entry.listeners]) listener();
  }

  function stopTimer(entry) {
    clearTimeout(entry.timer);
    entry.timer = undefined;
  }

  /**
   * The end of the window in which the client answers this token from its cache (its expiry
   * less the client's margin), however the token came (a login, a refresh, the cache at a
   * reload, auth.fetch): read from the client's own hot-path windows (js/client.js).
   */
  function windowEnd(entry) {
    const window = entry.key === '' ? client.__hotPath() : client.__apiHotPaths().get(entry.key);
    const until = window?.until;
    return typeof until === 'number' && Number.isFinite(until) ? until : undefined;
  }

  /** Fetches the token again when the client would refresh it (its window's end), while it is shown. */
  function schedule(entry) {
    stopTimer(entry);
    if (!entry.listeners.size || !attached || state.status !== 'authenticated') return;
    const until = windowEnd(entry);
    const now = Date.now();
    if (until === undefined || until <= now) return;
    const at = until + 10;
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      fetchToken(entry);
    }, Math.min(at - now, MAX_DELAY_MS));
  }

  function fetchToken(entry) {
    if (state.status !== 'authenticated' || entry.fetching === generation) return;
    const asked = generation;
    entry.fetching = asked;
    client.getAccessToken(entry.options).then(
      (token) => {
        if (entry.fetching === asked) entry.fetching = -1;
        if (asked !== generation) return;
        update(entry, { token, error: null, loading: false });
        // null: the session is gone (expired with no refresh token), which no event tells.
        if (token === null) refreshState();
        else schedule(entry);
      },
      (error) => {
        if (entry.fetching === asked) entry.fetching = -1;
        if (asked !== generation) return;
        update(entry, { token: null, error, loading: false });
        refreshState();
      },
    );
  }

  function tokenChanged(key, tokenSet) {
    const entry = tokens.get(key);
    if (!entry) return;
    update(entry, { token: tokenSet.accessToken, error: null, loading: false });
    schedule(entry);
  }

  function subscribeToken(entry, listener) {
    entry.listeners.add(listener);
    if (entry.listeners.size === 1) {
      fetchToken(entry);
      schedule(entry);
    }
    return () => {
      entry.listeners.delete(listener);
      if (!entry.listeners.size) stopTimer(entry);
    };
  }

  /** Another user's session: every API token is fetched again for the components that show it. */
  function dropApiTokens() {
    generation += 1; // answers for the previous user are dropped
    for (const entry of tokens.values()) {
      if (entry.key === '') continue;
      stopTimer(entry);
      update(entry, { token: null, error: null, loading: true });
      if (entry.listeners.size) fetchToken(entry);
    }
  }

  /** The session began or ended: tokens are fetched for the components that show them, or dropped. */
  function sessionChanged() {
    for (const entry of tokens.values()) {
      if (state.status === 'authenticated') {
        update(entry, { ...entry.snapshot, loading: entry.snapshot.token === null });
        if (entry.listeners.size) fetchToken(entry);
      } else {
        stopTimer(entry);
        update(entry, emptyToken());
      }
    }
  }

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    attach,
    /** A provider's onRedirectCallback, while it is mounted with it; its removal. */
    setOnRedirect(fn) {
      if (!fn) return undefined;
      const mine = { fn };
      redirectHandlers.push(mine);
      return () => {
        redirectHandlers.splice(redirectHandlers.indexOf(mine), 1);
      };
    },
    entryOf,
    /** Starts `start()` unless an automatic login is already under way; its promise. */
    autoLogin(start) {
      if (autoLogin) return autoLogin;
      let started;
      try {
        started = start();
      } catch (error) {
        started = Promise.reject(error);
      }
      autoLogin = started;
      started.catch(() => {
        if (autoLogin === started) autoLogin = null;
      });
      return started;
    },
    endAutoLogin(started) {
      if (autoLogin === started) autoLogin = null;
    },
  };
}

// ---- components and hooks ---------------------------------------------------------------------

/**
 * Makes `client` available to the hooks below, handles the page's redirect callback once, and
 * follows the client's events while mounted.
 */
export function AuthProvider({ client, onRedirectCallback, children }) {
  const store = storeOf(client);
  // Declared first: React runs a component's effects in order, so the callback's handler is
  // set before attach() can start it.
  useEffect(() => store.setOnRedirect(onRedirectCallback), [store, onRedirectCallback]);
  useEffect(() => store.attach(), [store]);
  return createElement(AuthContext.Provider, { value: store }, children);
}

/** `{ status, user, error, loginRedirect, loginPopup, logout, getAccessToken }`; the functions never change. */
export function useAuth() {
  const store = useStore('useAuth');
  return useSyncExternalStore(store.subscribe, store.getState, store.getState);
}

/**
 * `{ token, error, loading }`: the access token of an API (`{ scopes, resource }`), or the login's
 * (no options), kept up to date; only a change of this token re-renders the component.
 */
export function useAccessToken(options) {
  const store = useStore('useAccessToken');
  const entry = store.entryOf(tokenKey(options), options);
  return useSyncExternalStore(entry.subscribe, entry.getSnapshot, entry.getSnapshot);
}

const here = () => `${location.pathname}${location.search}${location.hash}`;

/**
 * Its children once the user is logged in. Otherwise it renders `fallback` (a node, or a
 * function of `{ status, error, login }`) and starts one login: a redirect whose `appState` is
 * `{ returnTo: <this URL> }`, or with `popup` a popup login. A login that fails is not started
 * again by itself: the fallback's `login` does that (from a click, as a blocked popup needs).
 */
export function RequireAuth({ children, fallback = null, popup = false, loginOptions }) {
  const store = useStore('RequireAuth');
  const { status, error, loginRedirect, loginPopup } = useSyncExternalStore(store.subscribe, store.getState, store.getState);
  const [failure, setFailure] = useState(null);
  const latestOptions = useRef(loginOptions);
  useEffect(() => {
    latestOptions.current = loginOptions;
  });
  const start = useCallback(() => {
    const options = latestOptions.current ?? {};
    return popup
      ? loginPopup(options)
      : loginRedirect({ ...options, appState: options.appState ?? { returnTo: here() } });
  }, [popup, loginPopup, loginRedirect]);
  const login = useCallback(() => {
    setFailure(null);
    // Called from a click: the popup opens before any await, as popup blockers require.
    start().catch(setFailure);
  }, [start]);

  const tried = useRef(false);
  useEffect(() => {
    if (status === 'authenticated') {
      tried.current = false;
      setFailure((now) => (now === null ? now : null));
      return;
    }
    if (status !== 'anonymous' || tried.current) return;
    tried.current = true;
    const started = store.autoLogin(start);
    started.then(
      () => { if (popup) store.endAutoLogin(started); },
      (e) => setFailure(e),
    );
  }, [status, start, popup, store]);

  if (status === 'authenticated') return children ?? null;
  return typeof fallback === 'function' ? fallback({ status, error: failure ?? error, login }) : fallback;
}
