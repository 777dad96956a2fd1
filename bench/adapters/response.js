// Shared by the peer adapters: where the authorization response is (fragment, as every adapter
// asks for it) and how an app removes it from the address bar afterwards.

/** The authorization response parameters of this page's URL fragment. */
export const fragmentParams = () => new URLSearchParams(location.hash.slice(1));

/** Whether the fragment carries an authorization response. */
export function hasAuthResponse() {
  const params = fragmentParams();
  return params.has('state') && (params.has('code') || params.has('error'));
}

/** Drops the response from the URL, as spa-oauth and msal-browser do themselves. */
export const cleanUrl = () => history.replaceState(history.state, '', location.pathname + location.search);
