// Typings of `spa-oauth/react` (js/react.js). Hand-written; no `any`.
import type { ReactNode } from 'react';
import type {
  AccessTokenOptions, AuthClient, AuthError, LoginRedirectOptions, User,
} from './spa_oauth.js';

/**
 * Where the session stands:
 * - `'loading'`: the page carries a login (or logout) response that is being handled; shown
 *   from the first render of such a page until the response is handled, never followed by a
 *   passing `'anonymous'`; a page that only relays a popup's or silent frame's response (or
 *   starts an Azure AD B2C password reset) stays `'loading'`;
 * - `'authenticated'`: a session is held (a valid access token, or a refresh token to get one);
 * - `'anonymous'`: no session;
 * - `'error'`: the login that just came back failed (`error` says why) and there is no session.
 */
export type AuthStatus = 'loading' | 'authenticated' | 'anonymous' | 'error';

export interface AuthProviderProps {
  /** The app's one client; the provider handles its redirect callback once per page load. */
  client: AuthClient;
  /**
   * Called once after a redirect login, with its `appState`, before the status becomes
   * `'authenticated'`: route the user back here. Default: a same-origin `appState.returnTo`
   * path replaces the URL and a `popstate` event tells routers to read it. With several
   * providers on one client, the last one mounted with a callback gives it.
   */
  onRedirectCallback?: (appState: unknown) => void;
  children?: ReactNode;
}

/** Makes `client` available to the hooks, handles the page's redirect callback once, follows its events. */
export function AuthProvider(props: AuthProviderProps): ReactNode;

/** What `useAuth()` returns. The functions are the same objects on every render (safe in effect deps). */
export interface AuthState {
  readonly status: AuthStatus;
  /**
   * The verified ID token's claims, or `null`. The same object across refreshes whose new ID
   * token says the same of the user (only `iat`, `exp`, `nonce`, ... differ).
   */
  readonly user: User | null;
  /** The last failure: of the redirect callback, a refresh, a silent renewal; cleared by a new session. */
  readonly error: AuthError | null;
  readonly loginRedirect: (options?: LoginRedirectOptions) => Promise<void>;
  readonly loginPopup: (options?: LoginRedirectOptions) => Promise<{ appState?: unknown }>;
  /** Ends the session; `<RequireAuth>` starts no login by itself until the next session (its `login` still does). */
  readonly logout: (options?: { redirect?: boolean }) => Promise<void>;
  readonly getAccessToken: (options?: AccessTokenOptions) => Promise<string | null>;
}

/** The session's state and the client's login, logout and token functions. Inside `<AuthProvider>` only. */
export function useAuth(): AuthState;

/** What `useAccessToken()` returns. */
export interface AccessTokenState {
  /** The access token, or `null` (no session, not fetched yet, or `error`). */
  readonly token: string | null;
  /** Why there is no token (`interaction_required` for an API that needs consent, ...). */
  readonly error: AuthError | null;
  /** A token is expected (session held or being established) and not there yet. */
  readonly loading: boolean;
}

/** Options of `useAccessToken()`: an API's `{ scopes, resource? }`, or nothing for the login's token. */
export type UseAccessTokenOptions = AccessTokenOptions | { scopes?: undefined; resource?: undefined };

/**
 * The access token of one API (`getAccessToken({ scopes, resource })`), or of the login (no
 * options), kept current: a new token from the client (a refresh, a new login) re-renders the
 * component, and it is fetched again when the client would refresh it (`expiryMarginSeconds`
 * before its expiry), however it was obtained. A change of another API's token does not
 * re-render it; a login as another user fetches every API's token again.
 */
export function useAccessToken(options?: UseAccessTokenOptions): AccessTokenState;

/** What a function `fallback` of `<RequireAuth>` gets. */
export interface RequireAuthFallbackProps {
  readonly status: Exclude<AuthStatus, 'authenticated'>;
  /** Why the login failed, when it did (`popup_blocked`, `popup_closed`, `access_denied`, ...). */
  readonly error: AuthError | null;
  /** Starts the login again; call it from a click (a popup needs one). */
  readonly login: () => void;
}

export interface RequireAuthProps {
  children?: ReactNode;
  /** Shown until the user is logged in. */
  fallback?: ReactNode | ((props: RequireAuthFallbackProps) => ReactNode);
  /** Log in in a popup instead of a redirect. */
  popup?: boolean;
  /** Options of the login it starts; a redirect's `appState` defaults to `{ returnTo: <this URL> }`. */
  loginOptions?: LoginRedirectOptions;
}

/**
 * Its children once the user is logged in; otherwise the fallback, and one login started by
 * itself (a redirect by default). A failed login is not retried by itself: see `login`.
 */
export function RequireAuth(props: RequireAuthProps): ReactNode;
