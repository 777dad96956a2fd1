// The whole public API of `spa-oauth`, used the way the README shows, under strict TypeScript.
// Never run: `tsc --noEmit` must accept it (tests/package/package.test.mjs). The `Expect<...>`
// lines pin the exact types, so an `any` sneaking into the typings fails here too.
import init, {
  AuthClient,
  AuthError,
  initSync,
  relayResponse,
  type AuthClientConfig,
  type AuthErrorCode,
  type AuthEventName,
  type InitOutput,
  type LoginRedirectOptions,
  type TokenSet,
  type User,
} from 'spa-oauth';

// ---- type-level assertions ------------------------------------------------------------------
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
type IsAny<T> = 0 extends 1 & T ? true : false;
type Expect<T extends true> = T;
type Not<T extends boolean> = T extends true ? false : true;

type Client = AuthClient;
export type Checks = [
  Expect<Equal<ReturnType<Client['getTokens']>, TokenSet | null>>,
  Expect<Equal<ReturnType<Client['getUser']>, User | null>>,
  Expect<Equal<ReturnType<Client['getAccessToken']>, Promise<string | null>>>,
  Expect<Equal<ReturnType<Client['loginPopup']>, Promise<{ appState?: unknown }>>>,
  Expect<Equal<ReturnType<Client['refresh']>, Promise<string>>>,
  Expect<Equal<ReturnType<Client['fetch']>, Promise<Response>>>,
  Expect<Equal<ReturnType<Client['getUserInfo']>, Promise<Record<string, unknown>>>>,
  Expect<Equal<ReturnType<Client['handleRedirectCallback']>, Promise<{ appState?: unknown } | null>>>,
  Expect<Equal<ReturnType<Client['loginRedirect']>, Promise<void>>>,
  Expect<Equal<ReturnType<Client['logout']>, Promise<void>>>,
  Expect<Equal<ReturnType<Client['isAuthenticated']>, boolean>>,
  Expect<Equal<ReturnType<Client['isCallback']>, boolean>>,
  Expect<Equal<ConstructorParameters<typeof AuthClient>, [config: AuthClientConfig]>>,
  Expect<Equal<Parameters<Client['on']>[0], AuthEventName>>,
  Expect<Equal<AuthEventName, 'tokensChanged' | 'loggedOut' | 'refreshFailed' | 'silentRenewed' | 'silentRenewFailed'>>,
  Expect<Equal<ReturnType<Client['ssoSilent']>, Promise<void>>>,
  Expect<Equal<TokenSet['expiresAt'], number | undefined>>,
  Expect<Equal<TokenSet['tokenType'], 'Bearer'>>,
  Expect<Equal<AuthError['code'], AuthErrorCode>>,
  Expect<Equal<AuthError['status'], number | undefined>>,
  Expect<Not<IsAny<AuthClientConfig>>>,
  Expect<Not<IsAny<LoginRedirectOptions>>>,
  Expect<Not<IsAny<User['sub']>>>,
  Expect<Not<IsAny<User['department']>>>,
  Expect<Not<IsAny<Parameters<Client['fetch']>[0]>>>,
  Expect<Not<IsAny<Parameters<Client['on']>[1]>>>,
  Expect<Not<IsAny<Awaited<ReturnType<typeof init>>>>>,
];

// ---- start-up -------------------------------------------------------------------------------
// Bundlers: hand the .wasm's URL to init (the object form; the positional one is deprecated).
const output: InitOutput = await init({ module_or_path: new URL('spa-oauth/spa_oauth_bg.wasm', import.meta.url) });
output.memory.buffer.byteLength satisfies number;
export function startFromBytes(bytes: ArrayBuffer): InitOutput {
  return initSync({ module: bytes });
}

// ---- configuration --------------------------------------------------------------------------
const config: AuthClientConfig = {
  clientId: 'spa-demo',
  redirectUri: `${location.origin}/`,
  authority: 'https://login.example.com',
  scopes: ['openid', 'profile', 'offline_access'],
  responseMode: 'query',
  storage: 'local',
  apiOrigins: ['https://api.example.com'],
  expiryMarginSeconds: 60,
  logLevel: 'info',
  timeoutSeconds: 30,
  allowHttp: false,
  clockSkewSeconds: 300,
  postLogoutRedirectUri: `${location.origin}/bye`,
  extraAuthParams: { ui_locales: 'fr' },
  popupRedirectUri: `${location.origin}/popup.html`,
  popupTimeoutSeconds: 120,
  silentRedirectUri: `${location.origin}/silent.html`,
  silentTimeoutSeconds: 5,
  silentRenew: true,
  passwordResetPolicy: 'b2c_1_password_reset',
  apis: [
    { url: 'https://api.example.com/orders', scopes: ['orders:read'], resource: 'https://api.example.com' },
    { url: 'https://billing.example.com', scopes: ['billing:read'] },
  ],
};
const auth = new AuthClient(config);

// ---- popup -----------------------------------------------------------------------------------
export function onLoginClick(): Promise<{ appState?: unknown }> {
  return auth.loginPopup({ appState: { returnTo: '/orders' }, loginHint: 'alice' });
}
export async function signInQuietly(): Promise<boolean> {
  try {
    await auth.ssoSilent({ loginHint: 'alice@example.com' });
    return true;
  } catch (err) {
    if (err instanceof AuthError && (err.code === 'login_required' || err.code === 'timeout')) return false;
    throw err;
  }
}
auth.on('silentRenewed', () => console.log('renewed without the user'));
auth.on('silentRenewFailed', (err: AuthError) => console.warn(err.code));
// on popup.html: hands the response to the opener, then closes the popup
export const relayed: boolean = relayResponse();

// ---- several APIs ---------------------------------------------------------------------------
export const ordersToken: Promise<string | null> = auth.getAccessToken({ scopes: ['orders:read'], resource: 'https://api.example.com' });
export async function withConsent(): Promise<string | null> {
  try {
    return await auth.getAccessToken({ scopes: ['billing:read'] });
  } catch (err) {
    if (err instanceof AuthError && err.code === 'interaction_required') {
      const scopes: string[] | undefined = err.scopes;
      const said: string | undefined = err.providerError;
      console.warn(said);
      if (scopes) await auth.loginRedirect({ scopes });
    }
    return null;
  }
}
auth.on('tokensChanged', (t: TokenSet) => console.log(t.api?.scopes.join(' ') ?? 'the login token', t.api?.resource));

// Azure AD B2C, endpoints from a policy's metadata URL.
export const b2c = new AuthClient({
  clientId: '90c0fe63-bcf2-44d5-8fb7-b8bbc0b29dc6',
  redirectUri: `${location.origin}/`,
  metadataUrl: 'https://contoso.b2clogin.com/contoso.onmicrosoft.com/b2c_1_sign_in/v2.0/.well-known/openid-configuration',
  issuer: 'https://contoso.b2clogin.com/00000000-0000-0000-0000-000000000000/v2.0/',
  policy: 'b2c_1_sign_in',
  scopes: ['openid', 'offline_access'],
  storage: 'memory',
});

// Explicit endpoints, no discovery.
export const explicit = new AuthClient({
  clientId: 'spa',
  redirectUri: 'http://localhost:8080/',
  issuer: 'https://op.example.com',
  authorizationEndpoint: 'https://op.example.com/authorize',
  tokenEndpoint: 'https://op.example.com/token',
  endSessionEndpoint: 'https://op.example.com/logout',
  jwksUri: 'https://op.example.com/jwks',
  responseMode: 'fragment',
  storage: 'session',
});

// ---- events ---------------------------------------------------------------------------------
const onTokens = (tokens: TokenSet) => {
  const msLeft: number = (tokens.expiresAt ?? Date.now()) - Date.now();
  console.log('new tokens, valid for', Math.round(msLeft / 1000), 's', tokens.scope?.split(' '));
};
auth.on('tokensChanged', onTokens);
auth.on('loggedOut', () => console.log('logged out'));
auth.on('refreshFailed', (err: AuthError) => console.warn(err.code));
auth.off('tokensChanged', onTokens);

// ---- errors ---------------------------------------------------------------------------------
function explain(err: unknown): string {
  if (!(err instanceof AuthError)) throw err;
  const code: AuthErrorCode = err.code;
  const base: Error = err;
  switch (code) {
    case 'login_required':
      return 'please log in again';
    case 'access_denied':
      return err.b2cCode === 'AADB2C90091' ? 'cancelled' : (err.description ?? 'denied');
    case 'http_error':
      return `HTTP ${err.status ?? '?'}`;
    default:
      return `${err.name} ${code}: ${base.message}`;
  }
}

// ---- login, callback, tokens ----------------------------------------------------------------
if (auth.isCallback()) {
  try {
    const result = await auth.handleRedirectCallback();
    const returnTo = (result?.appState as { returnTo?: string } | undefined)?.returnTo;
    if (returnTo) history.replaceState(null, '', returnTo);
  } catch (err) {
    console.warn(explain(err));
  }
}

const login: LoginRedirectOptions = {
  prompt: 'login',
  loginHint: 'alice@example.com',
  appState: { returnTo: location.pathname },
  extraParams: { domain_hint: 'example.com' },
  policy: 'b2c_1_edit_profile',
};
if (!auth.isAuthenticated()) await auth.loginRedirect(login);
await auth.loginRedirect({ prompt: 'select_account' });
await auth.loginRedirect({ prompt: 'custom_vendor_prompt' });

const token: string | null = await auth.getAccessToken();
if (token !== null) console.log(token.length);
const refreshed: string = await auth.refresh();
console.log(refreshed.length);

const tokens = auth.getTokens();
if (tokens) {
  const access: string = tokens.accessToken;
  const expires: Date | null = tokens.expiresAt === undefined ? null : new Date(tokens.expiresAt);
  const refresh: string | undefined = tokens.refreshToken;
  const id: string | undefined = tokens.idToken;
  console.log(access.length, expires?.toISOString(), refresh?.length, id?.length, tokens.tokenType);
}

const user = auth.getUser();
if (user) {
  const sub: string = user.sub;
  const issuer: string = user.iss;
  const audiences: string[] = typeof user.aud === 'string' ? [user.aud] : user.aud;
  const seconds: number = user.exp - user.iat;
  const department = user.department;
  const label = typeof department === 'string' ? department : (user.name ?? user.email ?? sub);
  console.log(issuer, audiences, seconds, label, user.nonce);
}
const info = await auth.getUserInfo();
console.log(info.sub);

// ---- auth.fetch -----------------------------------------------------------------------------
const res: Response = await auth.fetch('https://api.example.com/me', { headers: { Accept: 'application/json' } });
await auth.fetch(new URL('/api/items', location.origin), { method: 'POST', body: JSON.stringify({ a: 1 }) });
await auth.fetch(new Request('/api/items'), {});
console.log(res.status);

// ---- logout ---------------------------------------------------------------------------------
await auth.logout({ redirect: false });
await auth.logout({});
auth.free();
