// The hostile-input catalog: every attack or fault, and what it must get. Included by
// tests/catalog.rs (runs each case in headless Chromium against the fixture server) and by
// tests/catalog_doc.rs (writes docs/catalog.md from this table). `catalog!` is defined by each.
//
// Templates in URLs and configs: {state} {nonce} of the login started by the case, {code} a code
// the fixture redeems, {big} 100 KB of text, {fixture} the fixture server's origin. A code or
// refresh token `fault-<name>.{nonce}` makes the fixture's token endpoint answer that fault
// (tests/support/fixture-tokens.mjs).

/// One hostile input or fault.
pub struct Case {
    /// Where it attacks.
    pub area: &'static str,
    /// What the attacker or the fault does.
    pub input: &'static str,
    /// How the case is set up.
    pub setup: Setup,
    /// What it must get.
    pub expect: Expect,
}

/// How a case is set up.
pub enum Setup {
    /// A login is started, the page URL becomes `url`, the callback is handled.
    Callback { mode: &'static str, url: &'static str, config: &'static str },
    /// A session is seeded with `refresh_token`, then `refresh()` runs.
    Refresh { refresh_token: &'static str, config: &'static str },
    /// `new AuthClient(config)`.
    Config(&'static str),
    /// A scenario the runner knows by name.
    Scenario(&'static str),
}

/// The outcome a case must have.
pub struct Expect {
    /// The `AuthError.code`, or "" for success.
    pub code: &'static str,
    /// Token requests the case may cause.
    pub token_requests: u32,
    /// Whether a session is held afterwards.
    pub stored: bool,
}

const fn query(url: &'static str) -> Setup {
    Setup::Callback { mode: "query", url, config: "" }
}
const fn fragment(url: &'static str) -> Setup {
    Setup::Callback { mode: "fragment", url, config: "" }
}
const fn query_with(url: &'static str, config: &'static str) -> Setup {
    Setup::Callback { mode: "query", url, config }
}
const fn fault(url: &'static str) -> Setup {
    query(url)
}
const fn refresh(refresh_token: &'static str) -> Setup {
    Setup::Refresh { refresh_token, config: "" }
}
/// Refused before any token request; nothing stored.
const fn refused(code: &'static str) -> Expect {
    Expect { code, token_requests: 0, stored: false }
}
/// Refused after one token request; nothing stored.
const fn refused_after_request(code: &'static str) -> Expect {
    Expect { code, token_requests: 1, stored: false }
}
/// The client starts without a session and without an error; the bad record is dropped.
const fn starts_logged_out() -> Expect {
    Expect { code: "", token_requests: 0, stored: false }
}
/// A refresh failed and the session stays (the fault may pass).
const fn refresh_failed_session_kept(code: &'static str) -> Expect {
    Expect { code, token_requests: 1, stored: true }
}
/// A refresh answered, but its ID token failed a definitive check: the provider has rotated
/// the refresh token away, so the session ends (every copy cleared).
const fn refresh_failed_session_ended(code: &'static str) -> Expect {
    Expect { code, token_requests: 1, stored: false }
}

catalog! {
    // Authorization response (RFC 6749 §4.1.2): what reaches the redirect URI.
    state_missing => Case { area: "authorization response", input: "code without state", setup: query("?code={code}"), expect: refused("state_mismatch") },
    state_empty => Case { area: "authorization response", input: "empty state", setup: query("?code={code}&state="), expect: refused("state_mismatch") },
    state_unknown => Case { area: "authorization response", input: "state of no login of this tab (login CSRF)", setup: query("?code={code}&state=forged-by-attacker"), expect: refused("state_mismatch") },
    state_tampered => Case { area: "authorization response", input: "state with one character added", setup: query("?code={code}&state={state}x"), expect: refused("state_mismatch") },
    state_duplicated => Case { area: "authorization response", input: "state twice", setup: query("?code={code}&state={state}&state={state}"), expect: refused("invalid_response") },
    code_duplicated => Case { area: "authorization response", input: "code twice (parameter pollution)", setup: query("?code={code}&code=injected&state={state}"), expect: refused("invalid_response") },
    code_and_error => Case { area: "authorization response", input: "code and error together", setup: query("?code={code}&error=access_denied&state={state}"), expect: refused("invalid_response") },
    code_empty => Case { area: "authorization response", input: "empty code", setup: query("?code=&state={state}"), expect: refused("invalid_response") },
    wrong_part_query => Case { area: "authorization response", input: "response in the query when fragment was asked", setup: fragment("?code={code}&state={state}"), expect: refused("invalid_response") },
    wrong_part_fragment => Case { area: "authorization response", input: "response in the fragment when query was asked", setup: query("#code={code}&state={state}"), expect: refused("invalid_response") },
    huge_parameter => Case { area: "authorization response", input: "100 KB code", setup: query("?code={big}&state={state}"), expect: refused("invalid_response") },
    bad_percent_encoding => Case { area: "authorization response", input: "invalid percent-encoding (%zz)", setup: query("?code=%zz&state={state}"), expect: refused("invalid_response") },
    non_utf8 => Case { area: "authorization response", input: "percent-encoded bytes that are not UTF-8", setup: query("?code=%FF%FE&state={state}"), expect: refused("invalid_response") },
    iss_forged => Case { area: "authorization response", input: "iss of another issuer (mix-up, RFC 9207)", setup: query("?code={code}&state={state}&iss=https%3A%2F%2Fevil.example.com"), expect: refused("issuer_mismatch") },
    iss_missing => Case { area: "authorization response", input: "no iss from a provider that promises it", setup: query_with("?code={code}&state={state}", r#""metadataUrl":"{fixture}/iss-required/.well-known/openid-configuration""#), expect: refused("issuer_mismatch") },
    iss_duplicated => Case { area: "authorization response", input: "iss twice", setup: query("?code={code}&state={state}&iss=a&iss=b"), expect: refused("invalid_response") },
    error_access_denied => Case { area: "authorization response", input: "the user cancels (B2C AADB2C90091)", setup: query("?error=access_denied&error_description=AADB2C90091%3A+The+user+has+cancelled.&state={state}"), expect: refused("access_denied") },
    error_forged_state => Case { area: "authorization response", input: "an error with a forged state", setup: query("?error=access_denied&state=forged"), expect: refused("state_mismatch") },
    error_code_malformed => Case { area: "authorization response", input: "error code with markup (outside RFC 6749 §A.7)", setup: query("?error=%3Cscript%3Ealert(1)%3C%2Fscript%3E&state={state}"), expect: refused("invalid_response") },
    error_code_too_long => Case { area: "authorization response", input: "error code of 200 characters", setup: query("?error=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&state={state}"), expect: refused("invalid_response") },
    error_description_markup => Case { area: "authorization response", input: "error_description carrying HTML", setup: query("?error=server_error&error_description=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E&state={state}"), expect: refused("server_error") },
    no_login_in_progress => Case { area: "authorization response", input: "a response in a tab that started no login", setup: Setup::Scenario("no_login_in_progress"), expect: refused("state_mismatch") },
    superseded_login => Case { area: "authorization response", input: "the response of an earlier login after a newer one started", setup: Setup::Scenario("superseded_login"), expect: refused("state_mismatch") },
    transaction_expired => Case { area: "authorization response", input: "a login older than 10 minutes", setup: Setup::Scenario("transaction_expired"), expect: refused("transaction_expired") },
    reload_after_success => Case { area: "authorization response", input: "the callback reloaded (or reached by the back button) after success", setup: Setup::Scenario("reload_after_success"), expect: Expect { code: "state_mismatch", token_requests: 1, stored: true } },
    double_callback => Case { area: "authorization response", input: "handleRedirectCallback() twice at once (React StrictMode)", setup: Setup::Scenario("double_callback"), expect: Expect { code: "", token_requests: 1, stored: true } },

    // Token endpoint (RFC 6749 §5): what answers the code redemption.
    token_400_oauth => Case { area: "token endpoint", input: "400 with an OAuth error (B2C AADB2C90080)", setup: fault("?code=fault-400-oauth.{nonce}&state={state}"), expect: refused_after_request("invalid_grant") },
    token_400_empty => Case { area: "token endpoint", input: "400 without a body", setup: fault("?code=fault-400-empty.{nonce}&state={state}"), expect: refused_after_request("http_error") },
    token_401 => Case { area: "token endpoint", input: "401 in plain text", setup: fault("?code=fault-401.{nonce}&state={state}"), expect: refused_after_request("http_error") },
    token_500 => Case { area: "token endpoint", input: "500 with an empty JSON object", setup: fault("?code=fault-500.{nonce}&state={state}"), expect: refused_after_request("http_error") },
    token_503_html => Case { area: "token endpoint", input: "503 with an HTML page", setup: fault("?code=fault-503-html.{nonce}&state={state}"), expect: refused_after_request("http_error") },
    token_invalid_json => Case { area: "token endpoint", input: "200 with truncated JSON", setup: fault("?code=fault-invalid-json.{nonce}&state={state}"), expect: refused_after_request("invalid_token_response") },
    token_array => Case { area: "token endpoint", input: "200 with a JSON array", setup: fault("?code=fault-array.{nonce}&state={state}"), expect: refused_after_request("invalid_token_response") },
    token_error_in_200 => Case { area: "token endpoint", input: "200 carrying an OAuth error", setup: fault("?code=fault-error-200.{nonce}&state={state}"), expect: refused_after_request("access_denied") },
    token_no_access_token => Case { area: "token endpoint", input: "no access_token", setup: fault("?code=fault-no-access-token.{nonce}&state={state}"), expect: refused_after_request("invalid_token_response") },
    token_access_token_number => Case { area: "token endpoint", input: "access_token that is a number", setup: fault("?code=fault-access-token-number.{nonce}&state={state}"), expect: refused_after_request("invalid_token_response") },
    token_type_mac => Case { area: "token endpoint", input: "token_type mac", setup: fault("?code=fault-token-type-mac.{nonce}&state={state}"), expect: refused_after_request("invalid_token_response") },
    token_type_missing => Case { area: "token endpoint", input: "no token_type", setup: fault("?code=fault-token-type-missing.{nonce}&state={state}"), expect: refused_after_request("invalid_token_response") },
    expires_negative => Case { area: "token endpoint", input: "expires_in -1", setup: fault("?code=fault-expires-negative.{nonce}&state={state}"), expect: refused_after_request("invalid_token_response") },
    expires_zero => Case { area: "token endpoint", input: "expires_in \"0\"", setup: fault("?code=fault-expires-zero.{nonce}&state={state}"), expect: refused_after_request("invalid_token_response") },
    expires_absurd => Case { area: "token endpoint", input: "expires_in of 31,000 years", setup: fault("?code=fault-expires-absurd.{nonce}&state={state}"), expect: refused_after_request("invalid_token_response") },
    expires_text => Case { area: "token endpoint", input: "expires_in \"soon\"", setup: fault("?code=fault-expires-text.{nonce}&state={state}"), expect: refused_after_request("invalid_token_response") },
    expires_fraction => Case { area: "token endpoint", input: "expires_in 3600.5", setup: fault("?code=fault-expires-fraction.{nonce}&state={state}"), expect: refused_after_request("invalid_token_response") },
    duplicate_json_keys => Case { area: "token endpoint", input: "access_token twice in the JSON", setup: fault("?code=fault-duplicate-keys.{nonce}&state={state}"), expect: refused_after_request("invalid_token_response") },
    body_2mb => Case { area: "token endpoint", input: "a 2 MB body", setup: fault("?code=fault-2mb.{nonce}&state={state}"), expect: refused_after_request("invalid_token_response") },
    cors_refused => Case { area: "token endpoint", input: "no CORS header (the browser hides the answer)", setup: fault("?code=fault-cors.{nonce}&state={state}"), expect: refused_after_request("network_error") },
    unreachable => Case { area: "token endpoint", input: "nothing listening", setup: query_with("?code={code}&state={state}", r#""tokenEndpoint":"http://127.0.0.1:9/token""#), expect: refused("network_error") },
    not_before_ahead => Case { area: "token endpoint", input: "not_before 30 minutes ahead (a wrong device clock), then getAccessToken()", setup: Setup::Scenario("not_before_ahead"), expect: Expect { code: "token_not_yet_valid", token_requests: 1, stored: true } },
    hanging => Case { area: "token endpoint", input: "never answers (timeoutSeconds 1)", setup: query_with("?code=fault-hang.{nonce}&state={state}", r#""timeoutSeconds":1"#), expect: refused_after_request("network_error") },

    // ID token (OIDC Core §3.1.3.7): in a 200 answer to the code.
    id_token_missing => Case { area: "ID token", input: "no id_token although openid was asked", setup: fault("?code=fault-no-id-token.{nonce}&state={state}"), expect: refused_after_request("invalid_id_token") },
    id_token_alg_none => Case { area: "ID token", input: "alg none, no signature", setup: fault("?code=fault-id-alg-none.{nonce}&state={state}"), expect: refused_after_request("invalid_id_token") },
    id_token_hs256 => Case { area: "ID token", input: "HS256 signed with a guessable secret", setup: fault("?code=fault-id-hs256.{nonce}&state={state}"), expect: refused_after_request("invalid_id_token") },
    id_token_bad_signature => Case { area: "ID token", input: "signed by another key with the provider's kid", setup: fault("?code=fault-id-bad-signature.{nonce}&state={state}"), expect: refused_after_request("invalid_id_token") },
    id_token_unknown_kid => Case { area: "ID token", input: "a kid the provider does not publish", setup: fault("?code=fault-id-unknown-kid.{nonce}&state={state}"), expect: refused_after_request("invalid_id_token") },
    id_token_wrong_aud => Case { area: "ID token", input: "issued to another client", setup: fault("?code=fault-id-wrong-aud.{nonce}&state={state}"), expect: refused_after_request("invalid_id_token") },
    id_token_wrong_iss => Case { area: "ID token", input: "another issuer", setup: fault("?code=fault-id-wrong-iss.{nonce}&state={state}"), expect: refused_after_request("invalid_id_token") },
    id_token_expired => Case { area: "ID token", input: "expired an hour ago", setup: fault("?code=fault-id-expired.{nonce}&state={state}"), expect: refused_after_request("invalid_id_token") },
    id_token_future_iat => Case { area: "ID token", input: "issued an hour in the future", setup: fault("?code=fault-id-future-iat.{nonce}&state={state}"), expect: refused_after_request("invalid_id_token") },
    id_token_wrong_nonce => Case { area: "ID token", input: "the nonce of another login (replay)", setup: fault("?code=fixture-code.another-nonce&state={state}"), expect: refused_after_request("invalid_id_token") },

    // Refresh (RFC 6749 §6): a session exists, the refresh meets a fault.
    refresh_revoked => Case { area: "refresh", input: "refresh token revoked (invalid_grant)", setup: refresh("fault-400-oauth"), expect: Expect { code: "login_required", token_requests: 1, stored: false } },
    refresh_500 => Case { area: "refresh", input: "500 from the token endpoint", setup: refresh("fault-500"), expect: refresh_failed_session_kept("http_error") },
    refresh_invalid_json => Case { area: "refresh", input: "truncated JSON", setup: refresh("fault-invalid-json"), expect: refresh_failed_session_kept("invalid_token_response") },
    refresh_hanging => Case { area: "refresh", input: "never answers (timeoutSeconds 1)", setup: Setup::Refresh { refresh_token: "fault-hang", config: r#""timeoutSeconds":1"# }, expect: refresh_failed_session_kept("network_error") },
    refresh_other_user => Case { area: "refresh", input: "an ID token for another user", setup: refresh("fault-id-other-user"), expect: refresh_failed_session_ended("invalid_id_token") },
    refresh_bad_signature => Case { area: "refresh", input: "an ID token signed by another key", setup: refresh("fault-id-bad-signature"), expect: refresh_failed_session_ended("invalid_id_token") },

    // Storage: disabled, full, corrupted, or written by another version.
    storage_disabled => Case { area: "storage", input: "sessionStorage throws on access (sandboxed iframe, privacy mode)", setup: Setup::Scenario("storage_disabled"), expect: refused("storage_error") },
    storage_quota_on_login => Case { area: "storage", input: "QuotaExceededError when the login is saved", setup: Setup::Scenario("storage_quota_on_login"), expect: refused("storage_error") },
    storage_quota_on_tokens => Case { area: "storage", input: "QuotaExceededError when the tokens are saved", setup: Setup::Scenario("storage_quota_on_tokens"), expect: refused_after_request("storage_error") },
    corrupted_tokens => Case { area: "storage", input: "our token record is not JSON", setup: Setup::Scenario("corrupted_tokens"), expect: starts_logged_out() },
    future_tokens => Case { area: "storage", input: "a token record written by a future version", setup: Setup::Scenario("future_tokens"), expect: starts_logged_out() },
    corrupted_login => Case { area: "storage", input: "our login record is not JSON", setup: Setup::Scenario("corrupted_login"), expect: refused("state_mismatch") },

    // Configuration: every field wrong in turn; the error names it.
    config_missing => Case { area: "config", input: "no config at all", setup: Setup::Config("null"), expect: refused("invalid_config") },
    config_array => Case { area: "config", input: "an array instead of an object", setup: Setup::Config("[]"), expect: refused("invalid_config") },
    client_id_missing => Case { area: "config", input: "clientId missing", setup: Setup::Config(r#"{"redirectUri":"{page}","authority":"{fixture}"}"#), expect: refused("invalid_config") },
    client_id_number => Case { area: "config", input: "clientId a number", setup: Setup::Config(r#"{"clientId":42,"redirectUri":"{page}","authority":"{fixture}"}"#), expect: refused("invalid_config") },
    redirect_relative => Case { area: "config", input: "redirectUri relative", setup: Setup::Config(r#"{"clientId":"c","redirectUri":"/callback","authority":"{fixture}"}"#), expect: refused("invalid_config") },
    redirect_other_origin => Case { area: "config", input: "redirectUri on another origin", setup: Setup::Config(r#"{"clientId":"c","redirectUri":"https://evil.example.com/","authority":"{fixture}"}"#), expect: refused("invalid_config") },
    redirect_fragment => Case { area: "config", input: "redirectUri with a fragment", setup: Setup::Config(r#"{"clientId":"c","redirectUri":"{page}#x","authority":"{fixture}"}"#), expect: refused("invalid_config") },
    authority_plain_http => Case { area: "config", input: "http authority beyond localhost", setup: Setup::Config(r#"{"clientId":"c","redirectUri":"{page}","authority":"http://login.example.com"}"#), expect: refused("invalid_config") },
    authority_query => Case { area: "config", input: "authority with a query", setup: Setup::Config(r#"{"clientId":"c","redirectUri":"{page}","authority":"https://login.example.com/?p=x"}"#), expect: refused("invalid_config") },
    metadata_javascript => Case { area: "config", input: "metadataUrl javascript:", setup: Setup::Config(r#"{"clientId":"c","redirectUri":"{page}","metadataUrl":"javascript:alert(1)"}"#), expect: refused("invalid_config") },
    endpoints_missing => Case { area: "config", input: "no authority, no endpoints", setup: Setup::Config(r#"{"clientId":"c","redirectUri":"{page}"}"#), expect: refused("invalid_config") },
    token_endpoint_ftp => Case { area: "config", input: "tokenEndpoint ftp:", setup: Setup::Config(r#"{"clientId":"c","redirectUri":"{page}","authority":"{fixture}","tokenEndpoint":"ftp://x/token"}"#), expect: refused("invalid_config") },
    scopes_string => Case { area: "config", input: "scopes a string", setup: Setup::Config(r#"{"clientId":"c","redirectUri":"{page}","authority":"{fixture}","scopes":"openid"}"#), expect: refused("invalid_config") },
    scope_with_space => Case { area: "config", input: "a scope with a space", setup: Setup::Config(r#"{"clientId":"c","redirectUri":"{page}","authority":"{fixture}","scopes":["openid profile"]}"#), expect: refused("invalid_config") },
    form_post => Case { area: "config", input: "responseMode form_post", setup: Setup::Config(r#"{"clientId":"c","redirectUri":"{page}","authority":"{fixture}","responseMode":"form_post"}"#), expect: refused("invalid_config") },
    storage_cookie => Case { area: "config", input: "storage 'cookie'", setup: Setup::Config(r#"{"clientId":"c","redirectUri":"{page}","authority":"{fixture}","storage":"cookie"}"#), expect: refused("invalid_config") },
    api_origin_path => Case { area: "config", input: "apiOrigins entry with a path", setup: Setup::Config(r#"{"clientId":"c","redirectUri":"{page}","authority":"{fixture}","apiOrigins":["https://api.example.com/v1"]}"#), expect: refused("invalid_config") },
    unknown_option => Case { area: "config", input: "a misspelt option (clientID)", setup: Setup::Config(r#"{"clientID":"c","redirectUri":"{page}","authority":"{fixture}"}"#), expect: refused("invalid_config") },
    reserved_extra_param => Case { area: "config", input: "extraAuthParams overriding state", setup: Setup::Config(r#"{"clientId":"c","redirectUri":"{page}","authority":"{fixture}","extraAuthParams":{"state":"fixed"}}"#), expect: refused("invalid_config") },
    margin_negative => Case { area: "config", input: "expiryMarginSeconds -1", setup: Setup::Config(r#"{"clientId":"c","redirectUri":"{page}","authority":"{fixture}","expiryMarginSeconds":-1}"#), expect: refused("invalid_config") },
    timeout_zero => Case { area: "config", input: "timeoutSeconds 0", setup: Setup::Config(r#"{"clientId":"c","redirectUri":"{page}","authority":"{fixture}","timeoutSeconds":0}"#), expect: refused("invalid_config") },
    policy_space => Case { area: "config", input: "a policy name with a space", setup: Setup::Config(r#"{"clientId":"c","redirectUri":"{page}","authority":"{fixture}","policy":"b2c 1"}"#), expect: refused("invalid_config") },
    allow_http_text => Case { area: "config", input: "allowHttp \"yes\"", setup: Setup::Config(r#"{"clientId":"c","redirectUri":"{page}","authority":"{fixture}","allowHttp":"yes"}"#), expect: refused("invalid_config") },
}
