//! The hostile-input catalog (tests/catalog/cases.rs), each case a test in headless Chromium
//! against tests/support/fixture-server.mjs. Every case checks, besides its error code: how
//! many token requests it caused, whether a session is held, that the URL is clean, and that
//! no secret of the login (state, nonce, verifier, code, tokens) is in the error or on the console.
#![cfg(target_arch = "wasm32")]
#![allow(dead_code)] // the case table's helpers are shared with tests/catalog_doc.rs

use js_sys::Reflect;
use spa_oauth::api::AuthClient;
use spa_oauth::browser::{http::Http, now_ms};
use spa_oauth::client::Client;
use spa_oauth::core::authorize::LoginOptions;
use spa_oauth::core::config::RawConfig;
use spa_oauth::core::form::decode_pairs;
use spa_oauth::core::json::Json;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{
    capture_console, disable_session_storage, enable_session_storage, fill_storage, fixture, page_url, restore_console,
    sleep, unfill_storage,
};

macro_rules! catalog {
    ($($id:ident => $case:expr,)*) => {
        $(
            #[wasm_bindgen_test]
            async fn $id() {
                run(stringify!($id), $case).await;
            }
        )*
    };
}

include!("catalog/cases.rs");

fn session_storage() -> web_sys::Storage {
    web_sys::window().unwrap().session_storage().unwrap().unwrap()
}

/// The storage key of `what` (`tokens`, `login`) for the case's client.
fn key(id: &str, what: &str) -> String {
    format!("spa-oauth:{id}:{}/.well-known/openid-configuration:{what}", fixture())
}

/// What a case produced.
struct Outcome {
    /// Error code, message and description; `None` on success.
    error: Option<(String, String, String)>,
    /// Whether a session is held afterwards.
    stored: bool,
    /// Values that must appear nowhere.
    secrets: Vec<String>,
}

impl Outcome {
    /// What `client` holds after a step that ended with `error`.
    fn of(client: &Client, error: Option<(String, String, String)>, secrets: Vec<String>) -> Outcome {
        Outcome { error, stored: client.session.tokens().is_some(), secrets }
    }
}

fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    vars.iter().fold(template.to_owned(), |t, (name, value)| t.replace(&format!("{{{name}}}"), value))
}

fn config(id: &str, mode: &str, extra: &str) -> RawConfig {
    let extra = fill(extra, &[("fixture", fixture())]);
    let json = Json::parse(&format!("{{{extra}}}")).unwrap();
    let text = |k: &str| json.get(k).and_then(Json::as_str).map(str::to_owned);
    let mut c = RawConfig {
        client_id: Some(id.into()),
        redirect_uri: Some(page_url()),
        response_mode: Some(mode.into()),
        authority: Some(fixture().into()),
        scopes: Some(vec!["openid".into(), "offline_access".into()]),
        log_level: Some("debug".into()),
        ..RawConfig::default()
    };
    if let Some(m) = text("metadataUrl") {
        c.metadata_url = Some(m);
        c.authority = None;
        c.issuer = Some(fixture().into());
    }
    c.token_endpoint = text("tokenEndpoint");
    c.timeout_seconds = json.get("timeoutSeconds").map(Json::to_text);
    c
}

fn client(id: &str, mode: &str, extra: &str) -> Client {
    Client::new(config(id, mode, extra).validate().unwrap()).unwrap()
}

/// Starts a login; returns (state, nonce, verifier).
async fn start_login(client: &Client, id: &str) -> (String, String, String) {
    let url = client.authorization_request(LoginOptions::default(), None).await.unwrap();
    let params = decode_pairs(url.split_once('?').unwrap().1).unwrap();
    let get = |k: &str| params.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let record = session_storage().get_item(&key(id, "login")).unwrap().unwrap_or_default();
    let verifier = Json::parse(&record).and_then(|r| r.get("verifier").and_then(Json::as_str).map(str::to_owned));
    (get("state"), get("nonce"), verifier.unwrap_or_default())
}

/// Puts `suffix` after the page's path. Chromium refuses more than about 200 history updates in
/// 10 seconds (and the library makes one per callback), so the catalog paces itself.
async fn set_url(suffix: &str) {
    let url = format!("{}{suffix}", page_url());
    let history = web_sys::window().unwrap().history().unwrap();
    for _ in 0..40 {
        JsFuture::from(sleep(120)).await.unwrap();
        if history.replace_state_with_url(&JsValue::NULL, "", Some(&url)).is_ok() {
            return;
        }
    }
    panic!("the browser kept refusing history.replaceState");
}

async fn callback(client: &Client) -> Option<(String, String, String)> {
    client.handle_redirect_callback().await.err().map(parts)
}

/// An error's code, message and description, as the catalog compares them.
fn parts(e: spa_oauth::core::error::AuthError) -> (String, String, String) {
    let e = *e.0;
    (e.code, e.message, e.description.unwrap_or_default())
}

fn js_error(e: &JsValue) -> (String, String, String) {
    let text = |k: &str| Reflect::get(e, &k.into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
    (text("code"), text("message"), text("description"))
}

fn session_of(client: &Client, mut secrets: Vec<String>) -> Vec<String> {
    if let Some(t) = client.session.tokens() {
        secrets.push(t.access_token.expose().to_owned());
        secrets.extend(t.refresh_token.map(|r| r.expose().to_owned()));
        secrets.extend(t.id_token.map(|r| r.expose().to_owned()));
    }
    secrets
}

async fn token_requests() -> i64 {
    let answer = Http::new(10).get(&format!("{}/stats", fixture())).await.unwrap();
    Json::parse(&answer.body).unwrap().get("tokenRequests").and_then(Json::as_int_lenient).unwrap()
}

/// A logged-in client of `id`, through a successful callback.
async fn logged_in(id: &str, extra: &str) -> Client {
    let client = client(id, "query", extra);
    let (state, nonce, _) = start_login(&client, id).await;
    set_url(&format!("?code=fixture-code.{nonce}&state={state}")).await;
    assert_eq!(callback(&client).await, None, "the setup login must succeed");
    client
}

async fn run_callback(id: &str, mode: &str, url: &str, extra: &str) -> Outcome {
    let client = client(id, mode, extra);
    let (state, nonce, verifier) = start_login(&client, id).await;
    let code = format!("fixture-code.{nonce}");
    let big = "a".repeat(100 * 1024);
    set_url(&fill(url, &[("state", &state), ("nonce", &nonce), ("code", &code), ("big", &big)])).await;
    let error = callback(&client).await;
    Outcome::of(&client, error, session_of(&client, vec![state, nonce, verifier, code]))
}

async fn run_refresh(id: &str, refresh_token: &str, extra: &str) -> (Outcome, i64) {
    let client = logged_in(id, extra).await;
    let secrets = session_of(&client, Vec::new());
    // The stored session now holds the fault's refresh token and an expired access token.
    let record = session_storage().get_item(&key(id, "tokens")).unwrap().unwrap();
    let record = js_sys::JSON::parse(&record).unwrap();
    Reflect::set(&record, &"refreshToken".into(), &refresh_token.into()).unwrap();
    Reflect::set(&record, &"expiresAt".into(), &JsValue::from_f64((now_ms() - 1000) as f64)).unwrap();
    session_storage().set_item(&key(id, "tokens"), &String::from(js_sys::JSON::stringify(&record).unwrap())).unwrap();
    drop(client);
    let client = self::client(id, "query", extra);
    let before = token_requests().await;
    let error = client.refresh().await.err().map(parts);
    let outcome = Outcome::of(&client, error, secrets);
    (outcome, before)
}

fn run_config(template: &str) -> Outcome {
    let json = fill(template, &[("page", &page_url()), ("fixture", fixture())]);
    let error = AuthClient::new(js_sys::JSON::parse(&json).unwrap()).err().map(|e| js_error(&e));
    Outcome { error, stored: false, secrets: Vec::new() }
}

async fn run_scenario(id: &str, name: &str) -> (Outcome, i64) {
    let mut before = token_requests().await;
    let outcome = match name {
        "no_login_in_progress" => {
            let client = client(id, "query", "");
            set_url("?code=fixture-code&state=some-state").await;
            Outcome::of(&client, callback(&client).await, Vec::new())
        }
        "superseded_login" => {
            let client = client(id, "query", "");
            let (first_state, first_nonce, _) = start_login(&client, id).await;
            let (state, nonce, verifier) = start_login(&client, id).await;
            set_url(&format!("?code=fixture-code.{first_nonce}&state={first_state}")).await;
            let error = callback(&client).await;
            Outcome::of(&client, error, vec![state, nonce, verifier])
        }
        "transaction_expired" => {
            let client = client(id, "query", "");
            let (state, nonce, verifier) = start_login(&client, id).await;
            let login = key(id, "login");
            let record = js_sys::JSON::parse(&session_storage().get_item(&login).unwrap().unwrap()).unwrap();
            Reflect::set(&record, &"createdAt".into(), &JsValue::from_f64((now_ms() - 11 * 60 * 1000) as f64)).unwrap();
            session_storage().set_item(&login, &String::from(js_sys::JSON::stringify(&record).unwrap())).unwrap();
            set_url(&format!("?code=fixture-code.{nonce}&state={state}")).await;
            let error = callback(&client).await;
            Outcome::of(&client, error, vec![state, nonce, verifier])
        }
        "reload_after_success" => {
            let client = client(id, "query", "");
            let (state, nonce, verifier) = start_login(&client, id).await;
            let url = format!("?code=fixture-code.{nonce}&state={state}");
            set_url(&url).await;
            assert_eq!(callback(&client).await, None);
            set_url(&url).await;
            let error = callback(&client).await;
            Outcome::of(&client, error, session_of(&client, vec![state, nonce, verifier]))
        }
        "double_callback" => {
            let starter = client(id, "query", "");
            let (state, nonce, verifier) = start_login(&starter, id).await;
            let json = format!(
                r#"{{"clientId":"{id}","redirectUri":"{}","responseMode":"query","authority":"{}","scopes":["openid","offline_access"]}}"#,
                page_url(),
                fixture()
            );
            let auth = AuthClient::new(js_sys::JSON::parse(&json).unwrap()).unwrap();
            set_url(&format!("?code=fixture-code.{nonce}&state={state}")).await;
            let (a, b) = (auth.handle_redirect_callback(), auth.handle_redirect_callback());
            let (a, b) = (JsFuture::from(a).await, JsFuture::from(b).await);
            let error = a.as_ref().err().or(b.as_ref().err()).map(js_error);
            assert!(a.is_ok() == b.is_ok(), "both calls get the same result");
            Outcome { error, stored: !auth.get_tokens().is_null(), secrets: vec![state, nonce, verifier] }
        }
        "storage_disabled" => {
            disable_session_storage();
            let result = Client::new(config(id, "query", "").validate().unwrap());
            enable_session_storage();
            let error = result.err().map(parts);
            Outcome { error, stored: false, secrets: Vec::new() }
        }
        "storage_quota_on_login" => {
            let client = client(id, "query", "");
            fill_storage();
            let result = client.authorization_request(LoginOptions::default(), None).await;
            unfill_storage();
            let error = result.err().map(parts);
            Outcome { error, stored: false, secrets: Vec::new() }
        }
        "storage_quota_on_tokens" => {
            let client = client(id, "query", "");
            let (state, nonce, verifier) = start_login(&client, id).await;
            before = token_requests().await;
            set_url(&format!("?code=fixture-code.{nonce}&state={state}")).await;
            fill_storage();
            let error = callback(&client).await;
            unfill_storage();
            Outcome::of(&client, error, vec![state, nonce, verifier])
        }
        "corrupted_tokens" | "future_tokens" => {
            let record = if name == "corrupted_tokens" {
                "{\"v\":1,\"accessToken\":".to_owned()
            } else {
                r#"{"v":99,"accessToken":"from-the-future","tokenType":"Bearer","refreshToken":"rt"}"#.to_owned()
            };
            session_storage().set_item(&key(id, "tokens"), &record).unwrap();
            let client = client(id, "query", "");
            let dropped = session_storage().get_item(&key(id, "tokens")).unwrap().is_none();
            assert!(dropped, "the unreadable record is removed");
            Outcome::of(&client, None, Vec::new())
        }
        "not_before_ahead" => {
            let client = client(id, "query", "");
            let (state, nonce, verifier) = start_login(&client, id).await;
            set_url(&format!("?code=fault-not-before-ahead.{nonce}&state={state}")).await;
            assert_eq!(callback(&client).await, None, "the login itself succeeds");
            let error = client.access_token().await.err().map(parts);
            Outcome::of(&client, error, session_of(&client, vec![state, nonce, verifier]))
        }
        "corrupted_login" => {
            let client = client(id, "query", "");
            let (state, nonce, verifier) = start_login(&client, id).await;
            session_storage().set_item(&key(id, "login"), "{\"v\":1,\"state\":").unwrap();
            set_url(&format!("?code=fixture-code.{nonce}&state={state}")).await;
            let error = callback(&client).await;
            Outcome::of(&client, error, vec![state, nonce, verifier])
        }
        other => panic!("unknown scenario {other}"),
    };
    (outcome, before)
}

async fn run(id: &str, case: Case) {
    let lines = capture_console();
    let start = token_requests().await;
    let (outcome, before) = match case.setup {
        Setup::Callback { mode, url, config } => (run_callback(id, mode, url, config).await, start),
        Setup::Refresh { refresh_token, config } => run_refresh(id, refresh_token, config).await,
        Setup::Config(json) => (run_config(json), start),
        Setup::Scenario(name) => run_scenario(id, name).await,
    };
    restore_console();
    let requests = token_requests().await - before;

    let (code, message, description) = outcome.error.clone().unwrap_or_default();
    let loc = web_sys::window().unwrap().location();
    let left = loc.search().unwrap() + &loc.hash().unwrap();
    assert_eq!(
        code, case.expect.code,
        "{id}: error code ({message}; stored {}, {requests} requests, URL now {left:.80})",
        outcome.stored
    );
    assert_eq!(requests, i64::from(case.expect.token_requests), "{id}: token requests");
    assert_eq!(outcome.stored, case.expect.stored, "{id}: session held afterwards");
    for param in ["code=", "state=", "error=", "iss="] {
        assert!(!left.contains(param), "{id}: '{param}' left in the URL: {left}");
    }
    let console: Vec<String> = lines.iter().filter_map(|l| l.as_string()).collect();
    for secret in outcome.secrets.iter().filter(|s| s.len() >= 8) {
        assert!(
            !message.contains(secret.as_str()) && !description.contains(secret.as_str()),
            "{id}: a secret in the error"
        );
        assert!(!console.iter().any(|l| l.contains(secret.as_str())), "{id}: a secret on the console");
    }
    set_url("").await;
}
