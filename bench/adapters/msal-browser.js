// @azure/msal-browser against a generic OpenID Provider: protocolMode 'OIDC' and the OP's host
// in knownAuthorities, as MSAL's docs say for non-Microsoft providers. Two things MSAL needs
// that the other libraries do not:
// - its authority must be an https: URL (UrlString.validateAsUri throws authority_uri_insecure
//   for http:, loopback included), while the local OP's issuer is http://localhost:<port>;
// - a discovery document fetched over the network must name an issuer with the authority's
//   scheme and host, or an https issuer in knownAuthorities (Authority.validateIssuer), which
//   the OP's http issuer never is.
// So the authority is the OP's host with https: (a name only: MSAL never fetches it) and the
// endpoints come from the OP's discovery document given in `authorityMetadata` (fetched by the
// bench runner), which MSAL then uses without any discovery request of its own.
import { PublicClientApplication } from '@azure/msal-browser';

import { hasAuthResponse } from './response.js';

export async function create({ issuer, clientId, redirectUri, scopes, discovery }) {
  const { host } = new URL(issuer);
  const app = new PublicClientApplication({
    auth: {
      clientId,
      authority: `https://${host}/`,
      knownAuthorities: [host],
      authorityMetadata: JSON.stringify(discovery),
      redirectUri,
      OIDCOptions: { responseMode: 'fragment', defaultScopes: scopes },
    },
    cache: { cacheLocation: 'sessionStorage' },
    system: { protocolMode: 'OIDC' },
  });
  await app.initialize();
  return { app, scopes };
}

export const isCallback = hasAuthResponse;
export const login = ({ app, scopes }) => app.loginRedirect({ scopes });

export async function handleCallback({ app }) {
  const result = await app.handleRedirectPromise();
  if (!result?.account) throw new Error('msal-browser: handleRedirectPromise returned no account');
  app.setActiveAccount(result.account);
}

export async function getAccessToken({ app, scopes }) {
  const account = app.getActiveAccount();
  if (!account) return null;
  return (await app.acquireTokenSilent({ scopes, account })).accessToken;
}
