// Ordinary, correct use that the typings once refused (tests/package/package.test.mjs compiles it).
import { AuthClient, AuthError } from 'spa-oauth';

const auth = new AuthClient({ clientId: 'spa', redirectUri: 'http://localhost:8080/', authority: 'http://localhost:4000' });

// The options are optional at runtime and in the typings.
await auth.loginRedirect();
await auth.logout();
await auth.fetch('/api/me');

// js/api.js's AuthError constructor is (code, message, description?, status?, b2cCode?).
export const mock = new AuthError('login_required', 'no session');
