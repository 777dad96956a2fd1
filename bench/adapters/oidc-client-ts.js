// oidc-client-ts: UserManager with its defaults (user in sessionStorage, discovery fetched by
// its MetadataService, kept in memory only), code flow + PKCE, response in the fragment.
// The login asks for the second API's scopes and names its resource, as the other adapters'
// do; there is no getApiToken: a UserManager holds one User, one access token (see
// bench/libraries.mjs).
import { UserManager } from 'oidc-client-ts';

import { cleanUrl, hasAuthResponse } from './response.js';

export function create({ issuer, clientId, redirectUri, scopes, api }) {
  return new UserManager({
    authority: issuer,
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: [...scopes, ...api.scopes].join(' '),
    extraQueryParams: { resource: api.resource },
    response_type: 'code',
    response_mode: 'fragment',
    automaticSilentRenew: false,
  });
}

export const isCallback = hasAuthResponse;
export const login = (manager) => manager.signinRedirect();

export async function handleCallback(manager) {
  await manager.signinRedirectCallback();
  cleanUrl();
}

export async function getAccessToken(manager) {
  let user = await manager.getUser();
  // As an app would: an expired token is renewed (refresh token grant) before use.
  if (user?.expired) user = await manager.signinSilent();
  return user?.access_token ?? null;
}
