// Mistakes the typings of `spa-oauth/react` must catch. Each one is on the line after its
// `@ts-expect-error`, followed by the TypeScript error it must cause; tests/react/react.test.mjs
// removes the directives from a copy and checks that tsc then reports exactly those errors on
// those lines.
import { AuthClient } from 'spa-oauth';
import {
  AuthProvider, RequireAuth, useAccessToken, useAuth, type AuthStatus,
} from 'spa-oauth/react';

const auth = new AuthClient({ clientId: 'spa', redirectUri: 'http://localhost:8080/', authority: 'https://op.example.com' });

// ---- the provider -----------------------------------------------------------------------------
// @ts-expect-error TS2741 the provider needs its client
export const noClient = <AuthProvider><p /></AuthProvider>;
// @ts-expect-error TS2353 the client is an AuthClient, not its configuration
export const config = <AuthProvider client={{ clientId: 'spa' }} />;
// @ts-expect-error TS2322 onRedirectCallback gets the appState only
export const twoArgs = <AuthProvider client={auth} onRedirectCallback={(_state: unknown, path: string) => path} />;

// ---- useAuth ----------------------------------------------------------------------------------
export function Status() {
  const state = useAuth();
  // @ts-expect-error TS2367 no such status (anonymous)
  const out = state.status === 'logged-out';
  // @ts-expect-error TS18047 user is null when nobody is logged in
  const sub: string = state.user.sub;
  // @ts-expect-error TS2540 the state is read-only
  state.status = 'loading';
  // @ts-expect-error TS2561 misspelt login option (login_hint for loginHint)
  void state.loginRedirect({ login_hint: 'alice' });
  // @ts-expect-error TS2322 getAccessToken's scopes are an array
  void state.getAccessToken({ scopes: 'orders:read' });
  // @ts-expect-error TS2339 no such function: the client's refresh() is not part of useAuth
  void state.refresh();
  return <p>{String(out)} {sub}</p>;
}

// @ts-expect-error TS2322 a status is one of four words
export const status: AuthStatus = 'logged-in';

// ---- useAccessToken ---------------------------------------------------------------------------
export function Token() {
  // @ts-expect-error TS2322 scopes are an array
  const orders = useAccessToken({ scopes: 'orders:read' });
  // @ts-expect-error TS2345 a resource needs the API's scopes
  const resourceOnly = useAccessToken({ resource: 'https://orders.example' });
  // @ts-expect-error TS2322 the token may be null
  const token: string = useAccessToken().token;
  return <p>{orders.token} {resourceOnly.token} {token}</p>;
}

// ---- RequireAuth ------------------------------------------------------------------------------
// @ts-expect-error TS2322 popup is a flag, not the window's features
export const features = <RequireAuth popup="width=500" />;
// @ts-expect-error TS2322 a fallback function gets the status, the error and login, not the user
export const userFallback = <RequireAuth fallback={({ user }: { user: string }) => user} />;
// @ts-expect-error TS2561 misspelt login option (appState)
export const options = <RequireAuth loginOptions={{ app_state: { returnTo: '/' } }} />;
