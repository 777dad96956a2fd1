// The whole of `spa-oauth/react`, used the way the README shows, under strict TypeScript.
// Never run: `tsc --noEmit` must accept it (tests/react/react.test.mjs, in the React example
// installed from the tarball, so `react` and `spa-oauth` resolve as in an app). The `Expect`
// lines pin the exact types, so an `any` sneaking into the typings fails here too.
import { StrictMode, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { AuthClient, type AuthError, type User } from 'spa-oauth';
import {
  AuthProvider,
  RequireAuth,
  useAccessToken,
  useAuth,
  type AccessTokenState,
  type AuthProviderProps,
  type AuthState,
  type AuthStatus,
  type RequireAuthFallbackProps,
  type RequireAuthProps,
  type UseAccessTokenOptions,
} from 'spa-oauth/react';

// ---- type-level assertions ------------------------------------------------------------------
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
type IsAny<T> = 0 extends 1 & T ? true : false;
type Expect<T extends true> = T;
type Not<T extends boolean> = T extends true ? false : true;

export type Checks = [
  Expect<Equal<AuthStatus, 'loading' | 'authenticated' | 'anonymous' | 'error'>>,
  Expect<Equal<AuthState['status'], AuthStatus>>,
  Expect<Equal<AuthState['user'], User | null>>,
  Expect<Equal<AuthState['error'], AuthError | null>>,
  Expect<Equal<ReturnType<AuthState['loginRedirect']>, Promise<void>>>,
  Expect<Equal<ReturnType<AuthState['loginPopup']>, Promise<{ appState?: unknown }>>>,
  Expect<Equal<ReturnType<AuthState['logout']>, Promise<void>>>,
  Expect<Equal<ReturnType<AuthState['getAccessToken']>, Promise<string | null>>>,
  Expect<Equal<ReturnType<typeof useAuth>, AuthState>>,
  Expect<Equal<ReturnType<typeof useAccessToken>, AccessTokenState>>,
  Expect<Equal<AccessTokenState['token'], string | null>>,
  Expect<Equal<AccessTokenState['error'], AuthError | null>>,
  Expect<Equal<AccessTokenState['loading'], boolean>>,
  Expect<Equal<AuthProviderProps['client'], AuthClient>>,
  Expect<Equal<RequireAuthFallbackProps['status'], 'loading' | 'anonymous' | 'error'>>,
  Expect<Equal<RequireAuthFallbackProps['login'], () => void>>,
  Expect<Equal<RequireAuthProps['popup'], boolean | undefined>>,
  Expect<Not<IsAny<Parameters<typeof useAccessToken>[0]>>>,
  Expect<Not<IsAny<Parameters<typeof AuthProvider>[0]>>>,
  Expect<Not<IsAny<Parameters<typeof RequireAuth>[0]>>>,
  Expect<Not<IsAny<ReturnType<typeof RequireAuth>>>>,
  Expect<Not<IsAny<Parameters<NonNullable<AuthProviderProps['onRedirectCallback']>>[0]>>>,
];

// ---- the provider -----------------------------------------------------------------------------
const auth = new AuthClient({ clientId: 'spa', redirectUri: `${location.origin}/`, authority: 'https://login.example.com' });

function onRedirectCallback(appState: unknown) {
  const returnTo = (appState as { returnTo?: string } | undefined)?.returnTo;
  if (returnTo) history.replaceState(null, '', returnTo);
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AuthProvider client={auth} onRedirectCallback={onRedirectCallback}>
      <App />
    </AuthProvider>
    <AuthProvider client={auth}>
      <p>the default onRedirectCallback</p>
    </AuthProvider>
  </StrictMode>,
);

// ---- useAuth ----------------------------------------------------------------------------------
function App() {
  const { status, user, error, loginRedirect, loginPopup, logout, getAccessToken } = useAuth();
  useEffect(() => {
    if (status === 'authenticated') void getAccessToken({ scopes: ['orders:read'], resource: 'https://orders.example' });
  }, [status, getAccessToken]);
  const sub: string | undefined = user?.sub;
  const code: string | undefined = error?.code;
  return (
    <>
      <p>{status} {sub} {code}</p>
      <button onClick={() => loginRedirect({ appState: { returnTo: '/orders' }, loginHint: 'alice' })}>Log in</button>
      <button onClick={() => loginPopup().then(({ appState }) => console.log(appState))}>Popup</button>
      <button onClick={() => logout({ redirect: false })}>Log out</button>
      <button onClick={() => logout()}>Log out everywhere</button>
      <RequireAuth fallback={<p>Redirecting…</p>}>
        <Orders />
        <LoginToken />
      </RequireAuth>
      <RequireAuth popup loginOptions={{ prompt: 'login' }} fallback={(props) => <Fallback {...props} />}>
        <p>profile</p>
      </RequireAuth>
      <RequireAuth>only when logged in</RequireAuth>
    </>
  );
}

function Fallback({ status, error, login }: RequireAuthFallbackProps) {
  return (
    <p>
      {status} {error?.code === 'popup_blocked' ? 'blocked' : error?.message}
      <button onClick={login}>Log in</button>
    </p>
  );
}

// ---- useAccessToken ---------------------------------------------------------------------------
function Orders() {
  const orders: UseAccessTokenOptions = { scopes: ['orders:read'], resource: 'https://orders.example' };
  const { token, error, loading } = useAccessToken(orders);
  const billing = useAccessToken({ scopes: ['billing:read'] });
  if (loading || billing.loading) return <p>…</p>;
  if (error?.code === 'interaction_required') return <p>needs consent: {error.scopes?.join(' ')}</p>;
  const header: string | null = token && `Bearer ${token}`;
  return <p>{header?.length} {billing.token?.length}</p>;
}

function LoginToken() {
  const { token } = useAccessToken();
  const same = useAccessToken({});
  return <p>{token === same.token ? 'one token' : 'two'}</p>;
}
