//! Browser-layer tests, run in headless Chromium by `wasm-pack test --headless --chrome`
//! (scripts/test.sh starts tests/support/fixture-server.mjs and passes its origin in
//! SPA_OAUTH_FIXTURE at compile time).
#![cfg(target_arch = "wasm32")]

use spa_oauth::api::AuthClient;
use spa_oauth::browser::{crypto, http, jws, location, storage::Store};
use spa_oauth::client::Client;
use spa_oauth::core::apis::{RawApi, TokenKey};
use spa_oauth::core::authorize::LoginOptions;
use spa_oauth::core::config::{RawConfig, StorageKind};
use spa_oauth::core::form::decode_pairs;
use spa_oauth::core::json::Json;
use spa_oauth::core::jwt;
use spa_oauth::core::pkce;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{capture_console, fixture, page_url, restore_console, signed_token};

/// A fresh (token, public JWK) pair signed with `alg`.
async fn signed(alg: &str, claims: &str) -> (String, String) {
    let pair = js_sys::Array::from(&JsFuture::from(signed_token(alg, claims)).await.unwrap());
    (pair.get(0).as_string().unwrap(), pair.get(1).as_string().unwrap())
}

#[wasm_bindgen_test]
async fn webcrypto_verifies_rs_ps_and_es_signatures() {
    for alg in ["RS256", "PS256", "ES256", "ES384"] {
        let (token, jwk) = signed(alg, r#"{"sub":"alice"}"#).await;
        let parsed = jwt::parse(&token).unwrap();
        jws::verify(&parsed, &jwk).await.unwrap_or_else(|e| panic!("{alg}: {e}"));

        // One flipped bit in the payload, or another key: refused.
        let (payload_start, _) = token.split_once('.').unwrap();
        let tampered = format!(
            "{payload_start}.{}.{}",
            spa_oauth::core::base64url::encode(br#"{"sub":"mallory"}"#),
            token.rsplit('.').next().unwrap()
        );
        assert_eq!(
            jws::verify(&jwt::parse(&tampered).unwrap(), &jwk).await.unwrap_err().code,
            "invalid_id_token",
            "{alg}"
        );
        let (_, other_key) = signed(alg, "{}").await;
        assert_eq!(jws::verify(&parsed, &other_key).await.unwrap_err().code, "invalid_id_token", "{alg}");
    }
}

#[wasm_bindgen_test]
async fn a_key_of_another_type_is_refused() {
    let (token, _) = signed("ES256", "{}").await;
    let (_, rsa_key) = signed("RS256", "{}").await;
    assert_eq!(jws::verify(&jwt::parse(&token).unwrap(), &rsa_key).await.unwrap_err().code, "invalid_id_token");
}

fn code_of(err: &JsValue) -> String {
    js_sys::Reflect::get(err, &"code".into()).unwrap().as_string().unwrap_or_default()
}

#[wasm_bindgen_test]
fn session_local_and_memory_storage_round_trip() {
    for kind in [StorageKind::Session, StorageKind::Local, StorageKind::Memory] {
        let store = Store::open(kind).unwrap();
        store.set("spa-oauth:test", "välue \"1\"").unwrap();
        assert_eq!(store.get("spa-oauth:test").unwrap().as_deref(), Some("välue \"1\""));
        store.remove("spa-oauth:test");
        assert_eq!(store.get("spa-oauth:test").unwrap(), None);
    }
    let session = web_sys::window().unwrap().session_storage().unwrap().unwrap();
    Store::open(StorageKind::Session).unwrap().set("spa-oauth:visible", "1").unwrap();
    assert_eq!(session.get_item("spa-oauth:visible").unwrap().as_deref(), Some("1"));
    session.remove_item("spa-oauth:visible").unwrap();
}

#[wasm_bindgen_test]
fn getrandom_draws_fresh_bytes() {
    let a = crypto::random_bytes().unwrap();
    let b = crypto::random_bytes().unwrap();
    assert_ne!(a, b);
    assert_ne!(a, [0u8; 32]);
    assert!(pkce::is_valid_verifier(&pkce::verifier(&a)));
}

#[wasm_bindgen_test]
async fn subtle_crypto_sha256_gives_the_rfc7636_challenge() {
    let digest = crypto::sha256(b"abc").await.unwrap();
    assert_eq!(spa_oauth::core::base64url::encode(&digest), "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
    let challenge = pkce::challenge(&crypto::sha256(b"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").await.unwrap());
    assert_eq!(challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

#[wasm_bindgen_test]
async fn posts_a_form_body_without_cookies() {
    let answer = http::Http::new(30).post_form(&format!("{}/echo", fixture()), "a=1+2&b=%C3%A9").await.unwrap();
    assert_eq!(answer.status, 200);
    let echo = Json::parse(&answer.body).unwrap();
    assert_eq!(echo.get("method").and_then(Json::as_str), Some("POST"));
    assert_eq!(echo.get("contentType").and_then(Json::as_str), Some("application/x-www-form-urlencoded"));
    assert_eq!(echo.get("body").and_then(Json::as_str), Some("a=1+2&b=%C3%A9"));
    assert_eq!(echo.get("cookie"), Some(&Json::Null));
}

#[wasm_bindgen_test]
async fn http_errors_and_unreachable_servers() {
    let answer = http::Http::new(30).get(&format!("{}/status/503", fixture())).await.unwrap();
    assert_eq!(answer.status, 503);
    let err = http::Http::new(30).post_form("http://127.0.0.1:9/token", "").await.err().unwrap();
    assert_eq!(err.code, "network_error");
    assert!(err.message.contains("http://127.0.0.1:9"));
}

#[wasm_bindgen_test]
async fn a_hanging_server_times_out() {
    let started = spa_oauth::browser::now_ms();
    let err = http::Http::new(1).post_form(&format!("{}/hang", fixture()), "").await.err().unwrap();
    assert_eq!(err.code, "network_error");
    assert!(err.message.contains("timed out after 1 s"), "{}", err.message);
    assert!(spa_oauth::browser::now_ms() - started >= 900, "it waited for the time-out");
}

#[wasm_bindgen_test]
fn bad_config_throws_a_real_error_naming_the_field() {
    let config = js_sys::JSON::parse(r#"{"clientId":42,"redirectUri":"http://localhost/"}"#).unwrap();
    let err = AuthClient::new(config).err().unwrap();
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(code_of(&err), "invalid_config");
    let message = err.unchecked_ref::<js_sys::Error>().message().as_string().unwrap();
    assert!(message.starts_with("clientId"), "{message}");
    let unknown = js_sys::JSON::parse(r#"{"clientID":"x","redirectUri":"http://localhost/"}"#).unwrap();
    assert_eq!(code_of(&AuthClient::new(unknown).err().unwrap()), "invalid_config");
}

/// Options travel as JSON (`optionsJson` in js/api.js): what JSON cannot hold is refused, not dropped.
#[wasm_bindgen_test]
fn options_json_cannot_hold_are_refused_by_name() {
    let message_of = |config: JsValue| {
        let err = AuthClient::new(config).err().unwrap();
        assert_eq!(code_of(&err), "invalid_config");
        err.unchecked_ref::<js_sys::Error>().message().as_string().unwrap()
    };
    let config = || js_sys::JSON::parse(r#"{"clientId":"c","redirectUri":"http://localhost/"}"#).unwrap();
    let with = |key: &str, value: &JsValue| {
        let c = config();
        js_sys::Reflect::set(&c, &key.into(), value).unwrap();
        c
    };
    let function: JsValue = js_sys::Function::new_no_args("return 'x'").into();
    assert_eq!(message_of(with("clientId", &function)), "clientId: must be a string");
    assert_eq!(message_of(with("onLogin", &function)), "onLogin: is not an option of config");
    assert_eq!(message_of(with("timeoutSeconds", &f64::NAN.into())), "timeoutSeconds: must be a number");
    let cyclic = config();
    js_sys::Reflect::set(&cyclic, &"extraAuthParams".into(), &cyclic).unwrap();
    assert_eq!(message_of(cyclic), "config: must be a plain object (no cycles)");
    assert_eq!(message_of(function), "config: must be an object");
    assert!(message_of(JsValue::UNDEFINED).starts_with("config: an options object"));
}

/// The fixture provider's client, answering on this page in query mode.
fn test_config(storage: &str) -> RawConfig {
    RawConfig {
        client_id: Some("browser-test".into()),
        redirect_uri: Some(page_url()),
        response_mode: Some("query".into()),
        authority: Some(fixture().into()),
        scopes: Some(vec!["openid".into(), "offline_access".into()]),
        storage: Some(storage.into()),
        ..RawConfig::default()
    }
}

fn new_client(storage: &str) -> Client {
    Client::new(test_config(storage).validate().unwrap()).unwrap()
}

/// The value of `name` in the query of `url`.
fn param(url: &str, name: &str) -> String {
    decode_pairs(url.split_once('?').unwrap().1).unwrap().into_iter().find(|(k, _)| k == name).unwrap().1
}

fn set_url(url: &str) {
    location::replace(url);
}

fn current_search() -> String {
    web_sys::window().unwrap().location().search().unwrap()
}

/// The whole browser half of a login without leaving the page: discovery, transaction,
/// callback in the URL, code redeemed at the (B2C-shaped) fixture, tokens stored, URL cleaned.
#[wasm_bindgen_test]
async fn redeems_a_code_and_stores_the_tokens() {
    let client = new_client("session");
    client.logout().await;
    let url = client.authorization_request(LoginOptions::default(), Some(r#"{"to":"/x"}"#.into())).await.unwrap();
    assert!(url.starts_with(&format!("{}/authorize?", fixture())));
    let (state, nonce) = (param(&url, "state"), param(&url, "nonce"));

    set_url(&format!("{}?keep=1&code=fixture-code.{nonce}&state={}", page_url(), state));
    assert!(client.is_callback());
    let app_state = client.handle_redirect_callback().await.unwrap();
    assert_eq!(app_state, Some(Some(r#"{"to":"/x"}"#.into())));
    assert_eq!(current_search(), "?keep=1");
    let tokens = client.session.tokens().unwrap();
    assert_eq!(tokens.access_token.expose(), "fixture-access-token");
    assert!(tokens.expires_at_ms.unwrap() > spa_oauth::browser::now_ms() + 3_500_000);
    assert_eq!(client.cached_access_token().and_then(|t| t.as_string()).as_deref(), Some("fixture-access-token"));

    // A reload of the callback URL (or the back button) must not redeem again.
    set_url(&format!("{}?code=fixture-code.{nonce}&state={}", page_url(), state));
    assert_eq!(client.handle_redirect_callback().await.unwrap_err().code, "state_mismatch");
    assert_eq!(current_search(), "");

    // A new client on the same storage restores the session; logout clears it.
    let restored = new_client("session");
    assert_eq!(restored.cached_access_token().and_then(|t| t.as_string()).as_deref(), Some("fixture-access-token"));
    restored.logout().await;
    assert!(new_client("session").session.tokens().is_none());
}

#[wasm_bindgen_test]
async fn a_tampered_state_is_refused_before_any_redemption() {
    let client = new_client("memory");
    let _ = client.authorization_request(LoginOptions::default(), None).await.unwrap();
    set_url(&format!("{}?code=fixture-code&state=forged", page_url()));
    let err = client.handle_redirect_callback().await.unwrap_err();
    assert_eq!(err.code, "state_mismatch");
    assert_eq!(current_search(), "");
    assert!(client.session.tokens().is_none());
}

#[wasm_bindgen_test]
async fn provider_errors_and_responses_in_the_wrong_part() {
    let client = new_client("memory");
    let url = client.authorization_request(LoginOptions::default(), None).await.unwrap();
    let state = param(&url, "state");

    // A code in the part the response mode did not ask for: a callback (so the recommended
    // usage cleans it), refused, and the login in progress is left alone.
    set_url(&format!("{}#code=fixture-code&state={state}", page_url()));
    assert!(client.is_callback());
    assert_eq!(client.handle_redirect_callback().await.unwrap_err().code, "invalid_response");
    assert_eq!(web_sys::window().unwrap().location().hash().unwrap(), "");

    // An error there with another state: still invalid_response.
    set_url(&format!("{}#error=access_denied&state=forged", page_url()));
    assert_eq!(client.handle_redirect_callback().await.unwrap_err().code, "invalid_response");

    // An error there for this tab's pending login (providers that always answer errors in one
    // part): the provider's error, and the login is over.
    set_url(&format!("{}#error=access_denied&error_description=AADB2C90091%3A+cancelled&state={state}", page_url()));
    assert!(client.is_callback());
    let err = client.handle_redirect_callback().await.unwrap_err();
    assert_eq!((err.code.as_str(), err.description.as_deref()), ("access_denied", Some("AADB2C90091: cancelled")));
    assert_eq!(web_sys::window().unwrap().location().hash().unwrap(), "");
    set_url(&format!("{}?error=access_denied&state={state}", page_url()));
    assert_eq!(client.handle_redirect_callback().await.unwrap_err().code, "state_mismatch");

    let state = param(&client.authorization_request(LoginOptions::default(), None).await.unwrap(), "state");
    set_url(&format!("{}?error=access_denied&error_description=AADB2C90091%3A+cancelled&state={state}", page_url()));
    let err = client.handle_redirect_callback().await.unwrap_err();
    assert_eq!((err.code.as_str(), err.description.as_deref()), ("access_denied", Some("AADB2C90091: cancelled")));
    assert!(client.session.tokens().is_none());

    set_url(&page_url());
    assert_eq!(client.handle_redirect_callback().await.unwrap(), None);
}

/// With `openid`, every login this library starts has a nonce (OIDC Core §3.1.2.1); a
/// transaction without one was not started by it, and its ID token cannot be bound to this
/// browser: refused, nothing stored.
#[wasm_bindgen_test]
async fn a_transaction_without_a_nonce_is_refused() {
    let client = new_client("session");
    client.logout().await;
    let url = client.authorization_request(LoginOptions::default(), None).await.unwrap();
    let (state, nonce) = (param(&url, "state"), param(&url, "nonce"));
    let storage = web_sys::window().unwrap().session_storage().unwrap().unwrap();
    let key = (0..storage.length().unwrap())
        .filter_map(|i| storage.key(i).unwrap())
        .find(|k| k.starts_with("spa-oauth:browser-test:") && k.ends_with(":login"))
        .unwrap();
    let record = Json::parse(&storage.get_item(&key).unwrap().unwrap()).unwrap();
    let without_nonce = record.to_text().replace(&format!(r#","nonce":"{nonce}""#), "");
    assert_ne!(without_nonce, record.to_text(), "the record held the nonce");
    storage.set_item(&key, &without_nonce).unwrap();

    set_url(&format!("{}?code=fixture-code.{nonce}&state={state}", page_url()));
    let err = client.handle_redirect_callback().await.unwrap_err();
    assert_eq!(err.code, "invalid_id_token");
    assert!(err.message.contains("nonce"), "{}", err.message);
    assert!(client.session.tokens().is_none());
    assert!(new_client("session").session.tokens().is_none());
}

/// Without `openid` no ID token is verified, so one the provider sends anyway is not kept:
/// `getUser()` never answers claims nobody checked.
#[wasm_bindgen_test]
async fn an_id_token_nobody_asked_for_is_not_kept() {
    let config = RawConfig { scopes: Some(vec!["offline_access".into()]), ..test_config("memory") };
    let client = Client::new(config.validate().unwrap()).unwrap();
    let url = client.authorization_request(LoginOptions::default(), None).await.unwrap();
    assert!(!url.contains("nonce="));
    set_url(&format!("{}?code=fixture-code&state={}", page_url(), param(&url, "state")));
    client.handle_redirect_callback().await.unwrap();
    let tokens = client.session.tokens().unwrap();
    assert_eq!(tokens.access_token.expose(), "fixture-access-token");
    assert!(tokens.id_token.is_none(), "the unverified ID token was kept");
    assert_eq!(client.user(), None);
}

/// The refresh_token grants the fixture received: (refresh token, scope, resource).
async fn fixture_grants() -> Vec<(String, String, String)> {
    let answer = http::Http::new(30).get(&format!("{}/stats", fixture())).await.unwrap();
    let Some(Json::Array(grants)) = Json::parse(&answer.body).unwrap().get("grants").cloned() else { panic!("no grants") };
    let text = |g: &Json, k: &str| g.get(k).and_then(Json::as_str).unwrap_or_default().to_owned();
    grants.iter().map(|g| (text(g, "refreshToken"), text(g, "scope"), text(g, "resource"))).collect()
}

/// Several APIs: N concurrent calls for two APIs make two grants, one after the other, each
/// with the refresh token the one before returned; the login's token stays; the tokens are
/// stored, restored, and handed out by scope set (any order) and URL prefix only.
#[wasm_bindgen_test]
async fn one_refresh_token_mints_a_token_per_api_in_turn() {
    let api = |path: &str, scope: &str, resource: Option<&str>| RawApi {
        url: Some(format!("{}{path}", fixture())),
        scopes: Some(vec![scope.into(), "shared".into()]),
        resource: resource.map(str::to_owned),
    };
    let config = RawConfig {
        client_id: Some("apis-test".into()),
        apis: vec![api("/orders", "orders", Some("https://orders.test")), api("/billing", "billing", None)],
        ..test_config("session")
    };
    let client = Client::new(config.clone().validate().unwrap()).unwrap();
    client.logout().await;
    let url = client.authorization_request(LoginOptions::default(), None).await.unwrap();
    assert!(url.contains("&resource=https%3A%2F%2Forders.test"), "RFC 8707 §2.1: the login names the resource");
    let (state, nonce) = (param(&url, "state"), param(&url, "nonce"));
    set_url(&format!("{}?code=fixture-code.{nonce}&state={state}", page_url()));
    client.handle_redirect_callback().await.unwrap();
    let login = client.session.tokens().unwrap();

    let before = fixture_grants().await.len();
    let orders = client.api_key_for(&format!("{}/orders/7", fixture())).unwrap();
    let billing = client.api_key_for(&format!("{}/billing", fixture())).unwrap();
    assert_eq!(client.api_key_for(&format!("{}/ordersx", fixture())), None);
    let calls: Vec<_> = (0..10)
        .flat_map(|_| [orders.clone(), billing.clone()])
        .map(|key| Box::pin(client.api_access_token(key)))
        .collect();
    let tokens: Vec<String> = futures_join(calls).await.into_iter().map(|t| t.unwrap().unwrap()).collect();
    let grants = fixture_grants().await.split_off(before);
    assert_eq!(grants.len(), 2, "one grant per API: {grants:?}");
    assert_eq!(grants[0].0, login.refresh_token.as_ref().unwrap().expose(), "the first spends the login's refresh token");
    assert_ne!(grants[1].0, grants[0].0, "the second spends the rotated one, never the first again");
    let by_scope = |scope: &str| grants.iter().find(|g| g.1 == scope).unwrap().clone();
    assert_eq!(by_scope("orders shared").2, "https://orders.test");
    assert_eq!(by_scope("billing shared").2, "");
    assert_eq!(tokens.iter().step_by(2).collect::<std::collections::HashSet<_>>().len(), 1, "one orders token");
    assert_ne!(tokens[0], tokens[1], "each API its own token");

    let session = client.session.tokens().unwrap();
    assert_eq!(session.access_token, login.access_token, "the login's token stays");
    assert_ne!(session.refresh_token, login.refresh_token, "the newest refresh token is kept");
    let restored = Client::new(config.validate().unwrap()).unwrap();
    let reordered = TokenKey::new(vec!["shared".into(), "orders".into()], Some("https://orders.test".into()));
    let cached = restored.api_access_token(reordered).await.unwrap();
    assert_eq!(cached.as_deref(), Some(tokens[0].as_str()), "restored, and found by scope set");
    // RFC 8707: a resource the login did not name is never sent (oidc-provider would spend the
    // refresh token refusing it).
    let unnamed = TokenKey::new(vec!["orders".into()], Some("https://unnamed.test".into()));
    assert_eq!(restored.api_access_token(unnamed).await.unwrap_err().code, "invalid_config");
    let other = TokenKey::new(vec!["orders".into()], Some("https://orders.test".into()));
    assert_eq!(fixture_grants().await.len(), before + 2);
    assert_ne!(restored.api_access_token(other).await.unwrap().as_deref(), Some(tokens[0].as_str()));
    restored.logout().await;
    assert!(Client::new(test_config("session").validate().unwrap()).unwrap().session.tokens().is_none());
}

/// Awaits every future, polling them all (they run concurrently on the page's one thread).
fn futures_join<F: std::future::Future + Unpin>(futures: Vec<F>) -> impl std::future::Future<Output = Vec<F::Output>> {
    let mut pending: Vec<(F, Option<F::Output>)> = futures.into_iter().map(|f| (f, None)).collect();
    std::future::poll_fn(move |cx| {
        for (future, output) in pending.iter_mut().filter(|(_, o)| o.is_none()) {
            if let std::task::Poll::Ready(v) = std::pin::Pin::new(future).poll(cx) {
                *output = Some(v);
            }
        }
        if pending.iter().any(|(_, o)| o.is_none()) {
            return std::task::Poll::Pending;
        }
        std::task::Poll::Ready(pending.drain(..).map(|(_, o)| o.unwrap()).collect())
    })
}

#[wasm_bindgen_test]
async fn handle_redirect_callback_twice_at_once_shares_one_result() {
    let config = js_sys::JSON::parse(&format!(
        r#"{{"clientId":"twice","redirectUri":"{}","responseMode":"query","authority":"{}","storage":"memory"}}"#,
        page_url(),
        fixture()
    ))
    .unwrap();
    let auth = AuthClient::new(config).unwrap();
    set_url(&format!("{}?code=fixture-code&state=nope", page_url()));
    let (a, b) = (auth.handle_redirect_callback(), auth.handle_redirect_callback());
    assert!(JsValue::from(&a) == JsValue::from(&b), "the second call gets the same promise");
    let err = JsFuture::from(a).await.unwrap_err();
    assert_eq!(code_of(&err), "state_mismatch");
}

/// Seeds `sessionStorage` with a session whose access token has expired, for `client_id`.
fn seed_expired_session(client_id: &str, refresh_token: &str) {
    let key = format!("spa-oauth:{client_id}:{}/.well-known/openid-configuration:tokens", fixture());
    let record = format!(
        r#"{{"v":1,"accessToken":"expired-at","tokenType":"Bearer","expiresAt":{},"refreshToken":"{refresh_token}","scope":"openid offline_access"}}"#,
        spa_oauth::browser::now_ms() - 1000
    );
    web_sys::window().unwrap().session_storage().unwrap().unwrap().set_item(&key, &record).unwrap();
}

async fn refreshes_so_far() -> i64 {
    let answer = http::Http::new(30).get(&format!("{}/stats", fixture())).await.unwrap();
    Json::parse(&answer.body).unwrap().get("refreshes").and_then(Json::as_int_lenient).unwrap()
}

fn auth_client(client_id: &str) -> AuthClient {
    let config = js_sys::JSON::parse(&format!(
        r#"{{"clientId":"{client_id}","redirectUri":"{}","authority":"{}","scopes":["openid","offline_access"]}}"#,
        page_url(),
        fixture()
    ))
    .unwrap();
    AuthClient::new(config).unwrap()
}

/// `auth.on(event, callback)` as js/client.js gives it to the package's AuthClient.
fn listen(auth: &AuthClient, event: &str, callback: &JsValue) -> Result<(), JsValue> {
    let events = auth.events();
    let on: js_sys::Function = js_sys::Reflect::get(&events, &"on".into())?.unchecked_into();
    on.call2(&events, &event.into(), callback).map(drop)
}

/// RFC 6749 §6: twenty concurrent calls during expiry cost one refresh, all get its token, and
/// the rotated refresh token replaces the old one.
#[wasm_bindgen_test]
async fn concurrent_calls_during_expiry_share_one_refresh() {
    seed_expired_session("single-flight", "fixture-refresh-token");
    let auth = auth_client("single-flight");
    let changed = js_sys::Array::new();
    let record = {
        let changed = changed.clone();
        wasm_bindgen::closure::Closure::<dyn Fn(JsValue)>::new(move |tokens: JsValue| {
            changed.push(&tokens);
        })
    };
    listen(&auth, "tokensChanged", record.as_ref()).unwrap();
    let before = refreshes_so_far().await;
    let calls = js_sys::Array::new();
    for _ in 0..20 {
        calls.push(&auth.get_access_token(None));
    }
    let tokens = JsFuture::from(js_sys::Promise::all(&calls)).await.unwrap();
    let tokens: Vec<String> = js_sys::Array::from(&tokens).iter().map(|t| t.as_string().unwrap()).collect();
    assert_eq!(refreshes_so_far().await - before, 1, "one token request for twenty calls");
    assert!(tokens.iter().all(|t| *t == tokens[0] && t.starts_with("at-")), "{tokens:?}");
    let set = auth.get_tokens();
    let refresh_token = js_sys::Reflect::get(&set, &"refreshToken".into()).unwrap().as_string().unwrap();
    assert!(refresh_token.starts_with("rt-"), "rotated: {refresh_token}");
    assert_eq!(changed.length(), 1);
    // Now cached: no more requests.
    let again = JsFuture::from(auth.get_access_token(None)).await.unwrap().as_string().unwrap();
    assert_eq!(again, tokens[0]);
    assert_eq!(refreshes_so_far().await - before, 1);
}

/// RFC 6749 §5.2 invalid_grant on refresh: the session is cleared, `loggedOut` fires and the
/// app gets `login_required`.
#[wasm_bindgen_test]
async fn a_refused_refresh_token_ends_the_session() {
    seed_expired_session("revoked", "revoked");
    let auth = auth_client("revoked");
    let logged_out = std::rc::Rc::new(std::cell::Cell::new(false));
    let flag = logged_out.clone();
    let listener = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || flag.set(true));
    listen(&auth, "loggedOut", listener.as_ref()).unwrap();
    let err = JsFuture::from(auth.get_access_token(None)).await.unwrap_err();
    assert_eq!(code_of(&err), "login_required");
    assert!(auth.get_tokens().is_null());
    assert!(logged_out.get());
    assert!(JsFuture::from(auth.get_access_token(None)).await.unwrap().is_null(), "logged out now: null");
    let err = listen(&auth, "nonsense", &js_sys::Function::new_no_args("")).unwrap_err();
    assert_eq!(code_of(&err), "invalid_config");
    let err = listen(&auth, "loggedOut", &JsValue::from_str("not a function")).unwrap_err();
    assert_eq!(code_of(&err), "invalid_config");
}

/// OIDC Core §3.1.3.7: an ID token for another login (wrong nonce) is refused and nothing is
/// stored, although the token endpoint answered 200.
#[wasm_bindgen_test]
async fn an_id_token_with_the_wrong_nonce_stores_nothing() {
    let client = new_client("memory");
    let url = client.authorization_request(LoginOptions::default(), None).await.unwrap();
    set_url(&format!("{}?code=fixture-code.not-our-nonce&state={}", page_url(), param(&url, "state")));
    let err = client.handle_redirect_callback().await.unwrap_err();
    assert_eq!(err.code, "invalid_id_token");
    assert!(err.message.contains("nonce"), "{}", err.message);
    assert!(client.session.tokens().is_none());
}

/// The debug log traces every step of a login and a refresh, and never prints a secret.
#[wasm_bindgen_test]
async fn the_debug_log_traces_steps_without_secrets() {
    let config =
        RawConfig { client_id: Some("logged".into()), log_level: Some("debug".into()), ..test_config("memory") };
    let client = Client::new(config.validate().unwrap()).unwrap();
    let lines = capture_console();
    let url = client.authorization_request(LoginOptions::default(), None).await.unwrap();
    let (state, nonce) = (param(&url, "state"), param(&url, "nonce"));
    set_url(&format!("{}?code=fixture-code.{nonce}&state={state}", page_url()));
    client.handle_redirect_callback().await.unwrap();
    let tokens = client.session.tokens().unwrap();
    client.refresh().await.unwrap();
    let refreshed = client.session.tokens().unwrap();
    client.logout().await;
    restore_console();

    let log: Vec<String> = lines.iter().map(|l| l.as_string().unwrap()).collect();
    let text = log.join("\n");
    for step in
        ["callback: redeeming the code", "callback: logged in", "refresh: done", "logout: local session cleared"]
    {
        assert!(text.contains(step), "missing step {step:?} in:\n{text}");
    }
    let secrets = [
        state,
        nonce,
        "fixture-code".to_owned(),
        tokens.access_token.expose().to_owned(),
        tokens.refresh_token.unwrap().expose().to_owned(),
        tokens.id_token.unwrap().expose().to_owned(),
        refreshed.access_token.expose().to_owned(),
        refreshed.refresh_token.unwrap().expose().to_owned(),
    ];
    for secret in secrets {
        assert!(!text.contains(&secret), "a secret reached the console:\n{text}");
    }
}
