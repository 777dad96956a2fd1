// oauth4webapi: protocol primitives only, so this adapter is the app code around them:
// discovery when needed, the transaction and the tokens in sessionStorage (like spa-oauth's
// defaults), a refresh when the token has less than 60 s left. The second API: the login asks
// for its scopes and names its resource (RFC 8707); its token is minted with the refresh token
// (scope and resource as additional parameters) and kept in a Map by resource, in this page's
// memory, with the same 60 s rule; every grant's new refresh token replaces the old one.
import * as oauth from 'oauth4webapi';

import { cleanUrl, fragmentParams, hasAuthResponse } from './response.js';

const TRANSACTION = 'o4w.transaction';
const TOKENS = 'o4w.tokens';
const MARGIN_MS = 60_000;
// The local OP is plain http on localhost; oauth4webapi refuses http unless told.
const options = { [oauth.allowInsecureRequests]: true };

export function create(config) {
  const stored = sessionStorage.getItem(TOKENS);
  return {
    config, client: { client_id: config.clientId }, tokens: stored && JSON.parse(stored), apiTokens: new Map(),
  };
}

async function discover({ config }) {
  const issuer = new URL(config.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...options, algorithm: 'oidc' }));
}

export const isCallback = hasAuthResponse;

export async function login(app) {
  const as = await discover(app);
  const verifier = oauth.generateRandomCodeVerifier();
  const transaction = { verifier, state: oauth.generateRandomState(), nonce: oauth.generateRandomNonce() };
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    response_mode: 'fragment',
    client_id: app.config.clientId,
    redirect_uri: app.config.redirectUri,
    scope: [...app.config.scopes, ...app.config.api.scopes].join(' '),
    resource: app.config.api.resource,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: transaction.state,
    nonce: transaction.nonce,
  });
  sessionStorage.setItem(TRANSACTION, JSON.stringify(transaction));
  location.assign(url);
}

function store(app, response) {
  app.tokens = {
    accessToken: response.access_token,
    refreshToken: response.refresh_token ?? app.tokens?.refreshToken,
    idToken: response.id_token ?? app.tokens?.idToken,
    expiresAt: Date.now() + response.expires_in * 1000,
  };
  sessionStorage.setItem(TOKENS, JSON.stringify(app.tokens));
}

export async function handleCallback(app) {
  const transaction = JSON.parse(sessionStorage.getItem(TRANSACTION));
  sessionStorage.removeItem(TRANSACTION);
  const params = fragmentParams();
  cleanUrl();
  const as = await discover(app);
  const validated = oauth.validateAuthResponse(as, app.client, params, transaction.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as, app.client, oauth.None(), validated, app.config.redirectUri, transaction.verifier, options,
  );
  store(app, await oauth.processAuthorizationCodeResponse(as, app.client, response, {
    expectedNonce: transaction.nonce, requireIdToken: true,
  }));
}

export async function getAccessToken(app) {
  if (!app.tokens) return null;
  if (app.tokens.expiresAt - MARGIN_MS > Date.now()) return app.tokens.accessToken;
  const as = await discover(app);
  const response = await oauth.refreshTokenGrantRequest(as, app.client, oauth.None(), app.tokens.refreshToken, options);
  store(app, await oauth.processRefreshTokenResponse(as, app.client, response));
  return app.tokens.accessToken;
}

export async function getApiToken(app) {
  const { api } = app.config;
  const cached = app.apiTokens.get(api.resource);
  if (cached && cached.expiresAt - MARGIN_MS > Date.now()) return cached.accessToken;
  if (!app.tokens) return null;
  const as = await discover(app);
  const response = await oauth.refreshTokenGrantRequest(as, app.client, oauth.None(), app.tokens.refreshToken, {
    ...options, additionalParameters: { scope: api.scopes.join(' '), resource: api.resource },
  });
  const result = await oauth.processRefreshTokenResponse(as, app.client, response);
  if (result.refresh_token) {
    app.tokens.refreshToken = result.refresh_token;
    sessionStorage.setItem(TOKENS, JSON.stringify(app.tokens));
  }
  app.apiTokens.set(api.resource, { accessToken: result.access_token, expiresAt: Date.now() + result.expires_in * 1000 });
  return result.access_token;
}
