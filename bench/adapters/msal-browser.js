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
//
// The second API: the login names its resource (RFC 8707) in extraQueryParameters (MSAL also
// appends them to the token endpoint's URL, where oidc-provider reads no parameters: the
// login's own token stays the UserInfo one) and asks consent for its scopes with
// extraScopesToConsent; acquireTokenSilent({ scopes, resource }) then
// mints its token with the refresh token and caches it under those scopes (MSAL's `resource`
// request field, sent on the token request and compared on cache hits). MSAL adds its default
// scopes to every token request, and this OP puts no offline_access on the refresh token (only
// with prompt=consent), so a refresh asking for it is refused (invalid_scope): the defaults are
// the login's scopes without offline_access, which the login still asks for.
import { PublicClientApplication } from '@azure/msal-browser';

import { hasAuthResponse } from './response.js';

export async function create({ issuer, clientId, redirectUri, scopes, api, discovery }) {
  const { host } = new URL(issuer);
  const app = new PublicClientApplication({
    auth: {
      clientId,
      authority: `https://${host}/`,
      knownAuthorities: [host],
      authorityMetadata: JSON.stringify(discovery),
      redirectUri,
      OIDCOptions: { responseMode: 'fragment', defaultScopes: scopes.filter((s) => s !== 'offline_access') },
    },
    cache: { cacheLocation: 'sessionStorage' },
    system: { protocolMode: 'OIDC' },
  });
  await app.initialize();
  return { app, scopes, api };
}

export const isCallback = hasAuthResponse;
export const login = ({ app, scopes, api }) => app.loginRedirect({
  scopes, extraScopesToConsent: api.scopes, extraQueryParameters: { resource: api.resource },
});

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

export async function getApiToken({ app, api }) {
  const account = app.getActiveAccount();
  if (!account) return null;
  return (await app.acquireTokenSilent({ scopes: api.scopes, resource: api.resource, account })).accessToken;
}
