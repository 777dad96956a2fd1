// Mistakes the typings must catch. Each one is on the line after its `@ts-expect-error`,
// followed by the TypeScript error it must cause; tests/package/package.test.mjs removes the
// directives from a copy and checks that tsc then reports exactly those errors on those lines.
import { AuthClient, AuthError, type AuthClientConfig, type TokenSet } from 'spa-oauth';

const redirectUri = 'http://localhost:8080/';
const auth = new AuthClient({ clientId: 'spa', redirectUri, authority: 'https://op.example.com' });

// ---- configuration --------------------------------------------------------------------------
// @ts-expect-error TS2561 misspelt option (clientID for clientId)
export const misspelt = new AuthClient({ clientID: 'spa', redirectUri });
// @ts-expect-error TS2322 form_post needs a server: not a response mode of this library
export const formPost: AuthClientConfig = { clientId: 'spa', redirectUri, responseMode: 'form_post' };
// @ts-expect-error TS2322 cookies are not a storage of this library
export const cookie: AuthClientConfig = { clientId: 'spa', redirectUri, storage: 'cookie' };
// @ts-expect-error TS2741 clientId is required
export const noClient = new AuthClient({ redirectUri });
// @ts-expect-error TS2322 scopes are an array, not a space-separated string
export const scopeString: AuthClientConfig = { clientId: 'spa', redirectUri, scopes: 'openid profile' };
// @ts-expect-error TS2322 seconds are numbers
export const marginString: AuthClientConfig = { clientId: 'spa', redirectUri, expiryMarginSeconds: '60' };

// @ts-expect-error TS2322 an API's scopes are an array
export const apiScopeString: AuthClientConfig = { clientId: 'spa', redirectUri, apis: [{ url: 'https://api.example.com', scopes: 'read' }] };
// @ts-expect-error TS2741 an API entry needs its url
export const apiWithoutUrl: AuthClientConfig = { clientId: 'spa', redirectUri, apis: [{ scopes: ['read'] }] };
// @ts-expect-error TS2322 getAccessToken's scopes are an array
export const tokenScopeString = auth.getAccessToken({ scopes: 'read' });

// ---- login ----------------------------------------------------------------------------------
// @ts-expect-error TS2561 misspelt login option (login_hint for loginHint)
await auth.loginRedirect({ login_hint: 'alice' });
// @ts-expect-error TS2322 extra parameters are strings
await auth.loginRedirect({ extraParams: { max_age: 0 } });

// ---- events ---------------------------------------------------------------------------------
// @ts-expect-error TS2345 no such event (tokensChanged)
auth.on('tokenChanged', () => {});
// @ts-expect-error TS2345 no such event (loggedOut)
auth.off('logout', () => {});

// ---- tokens ---------------------------------------------------------------------------------
const tokens = auth.getTokens();
// @ts-expect-error TS2322 getTokens() may be null
export const unchecked: TokenSet = tokens;
// @ts-expect-error TS2339 expiresAt is a number (ms since the epoch), not a string
export const day = tokens?.expiresAt?.slice(0, 10);
// @ts-expect-error TS2322 expiresAt is a number, and may be absent
export const expiresText: string = tokens?.expiresAt;
// @ts-expect-error TS2322 getAccessToken() is async
export const sync: string = auth.getAccessToken();
// @ts-expect-error TS2322 getAccessToken() resolves to null when logged out
export const maybe: string = await auth.getAccessToken();
// @ts-expect-error TS2531 getUser() may be null
export const sub: string = auth.getUser().sub;

// ---- errors ---------------------------------------------------------------------------------
try {
  await auth.refresh();
} catch (err) {
  // @ts-expect-error TS18046 a caught value is unknown until narrowed with instanceof AuthError
  console.log(err.code);
  if (err instanceof AuthError) {
    // @ts-expect-error TS2322 code is a string
    const n: number = err.code;
    // @ts-expect-error TS2540 code is read-only
    err.code = 'other';
    console.log(n);
  }
}
