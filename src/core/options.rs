//! The options objects apps pass (`new AuthClient(config)`, `loginRedirect(options)`,
//! `logout(options)`), read from their JSON text (`optionsJson` in js/api.js makes it) field by
//! field, so that a wrong field is reported by name (`invalid_config: clientId: must be a
//! string`) and a misspelt one is not silently ignored.
//!
//! One `JSON.stringify` and one parse replace a JS call per field and per type check
//! (measured: -0.5 KB gzip of wasm + glue), and the reading is pure Rust, tested natively.

use super::apis::{RawApi, TokenKey};
use super::authorize::{Interaction, LoginOptions};
use super::config::RawConfig;
use super::error::{AuthError, Result};
use super::json::Json;

/// The options of `new AuthClient(config)`, with the names of DESIGN.md (a contract).
pub const CONFIG_FIELDS: [&str; 28] = [
    "clientId",
    "redirectUri",
    "scopes",
    "responseMode",
    "authority",
    "metadataUrl",
    "issuer",
    "authorizationEndpoint",
    "tokenEndpoint",
    "endSessionEndpoint",
    "policy",
    "extraAuthParams",
    "storage",
    "apiOrigins",
    "expiryMarginSeconds",
    "jwksUri",
    "clockSkewSeconds",
    "postLogoutRedirectUri",
    "logLevel",
    "timeoutSeconds",
    "allowHttp",
    "apis",
    "popupRedirectUri",
    "popupTimeoutSeconds",
    "silentRedirectUri",
    "silentTimeoutSeconds",
    "silentRenew",
    "passwordResetPolicy",
];

/// The options of `loginRedirect()` read here; `appState` is the app's own JSON, kept apart.
pub const LOGIN_FIELDS: [&str; 6] = ["prompt", "loginHint", "appState", "extraParams", "policy", "scopes"];

/// `new AuthClient(config)`: `text` is the config's JSON, `None` when it has none (a cycle).
pub fn read_config(text: Option<&str>) -> Result<RawConfig> {
    let json = parse(text, "config")?;
    if matches!(json, Json::Null) {
        return Err(AuthError::config("config", "an options object with clientId and redirectUri is required"));
    }
    let mut f = Fields::new(&json, "config", &CONFIG_FIELDS)?;
    let raw = RawConfig {
        client_id: f.string("clientId"),
        redirect_uri: f.string("redirectUri"),
        scopes: f.strings("scopes"),
        response_mode: f.string("responseMode"),
        authority: f.string("authority"),
        metadata_url: f.string("metadataUrl"),
        issuer: f.string("issuer"),
        authorization_endpoint: f.string("authorizationEndpoint"),
        token_endpoint: f.string("tokenEndpoint"),
        end_session_endpoint: f.string("endSessionEndpoint"),
        policy: f.string("policy"),
        extra_auth_params: f.string_map("extraAuthParams"),
        storage: f.string("storage"),
        api_origins: f.strings("apiOrigins"),
        expiry_margin_seconds: f.number("expiryMarginSeconds"),
        jwks_uri: f.string("jwksUri"),
        clock_skew_seconds: f.number("clockSkewSeconds"),
        post_logout_redirect_uri: f.string("postLogoutRedirectUri"),
        log_level: f.string("logLevel"),
        timeout_seconds: f.number("timeoutSeconds"),
        allow_http: f.boolean("allowHttp"),
        apis: f.apis("apis"),
        popup_redirect_uri: f.string("popupRedirectUri"),
        popup_timeout_seconds: f.number("popupTimeoutSeconds"),
        silent_redirect_uri: f.string("silentRedirectUri"),
        silent_timeout_seconds: f.number("silentTimeoutSeconds"),
        silent_renew: f.boolean("silentRenew"),
        password_reset_policy: f.string("passwordResetPolicy"),
    };
    f.finish().map(|()| raw)
}

/// `loginRedirect(options)`, without `appState`.
pub fn read_login_options(text: Option<&str>) -> Result<LoginOptions> {
    let json = parse(text, "loginRedirect options")?;
    let mut f = Fields::new(&json, "loginRedirect options", &LOGIN_FIELDS)?;
    let options = LoginOptions {
        prompt: f.string("prompt"),
        login_hint: f.string("loginHint"),
        extra_params: f.string_map("extraParams"),
        policy: f.string("policy"),
        scopes: f.strings("scopes").unwrap_or_default(),
        interaction: Interaction::Redirect,
    };
    f.finish().map(|()| options)
}

/// `getAccessToken(options)`: the token of one API (`scopes`, optionally RFC 8707 `resource`),
/// or `None` for the login's token (no options, or no `scopes`).
pub fn read_token_options(text: Option<&str>) -> Result<Option<TokenKey>> {
    let json = parse(text, "getAccessToken options")?;
    let mut f = Fields::new(&json, "getAccessToken options", &["scopes", "resource"])?;
    let (scopes, resource) = (f.strings("scopes"), f.string("resource"));
    f.finish()?;
    match scopes {
        Some(scopes) => Ok(Some(TokenKey::new(scopes, resource))),
        None if resource.is_some() => Err(AuthError::config("resource", "needs the API's scopes")),
        None => Ok(None),
    }
}

/// `ssoSilent(options)`: the `loginHint`, if any.
pub fn read_silent_options(text: Option<&str>) -> Result<Option<String>> {
    let json = parse(text, "ssoSilent options")?;
    let mut f = Fields::new(&json, "ssoSilent options", &["loginHint"])?;
    let hint = f.string("loginHint");
    f.finish().map(|()| hint)
}

/// `logout(options)`: whether to go to the provider's end-session endpoint (default yes).
pub fn read_logout_redirect(text: Option<&str>) -> Result<bool> {
    let json = parse(text, "logout options")?;
    let mut f = Fields::new(&json, "logout options", &["redirect"])?;
    let redirect = f.boolean("redirect").unwrap_or(true);
    f.finish().map(|()| redirect)
}

/// Absent options (`undefined`) read as `null`; text that is no JSON is a value JSON cannot
/// hold (`optionsJson` only fails on cycles).
fn parse(text: Option<&str>, what: &str) -> Result<Json> {
    match text {
        None => Ok(Json::Null),
        Some(t) => Json::parse(t).ok_or_else(|| AuthError::config(what, "must be a plain object (no cycles)")),
    }
}

/// The members of one options object.
///
/// A field of the wrong type reads as absent and is remembered; [`Fields::finish`] returns the
/// first such problem. One exit instead of one per field keeps the wasm small.
struct Fields<'a> {
    members: &'a [(String, Json)],
    problem: Option<AuthError>,
}

impl<'a> Fields<'a> {
    /// `null` is no options at all; anything but an object is refused, and so is a key not in
    /// `known`.
    fn new(json: &'a Json, what: &str, known: &[&str]) -> Result<Fields<'a>> {
        let members = match json {
            Json::Null => &[][..],
            Json::Object(members) => members.as_slice(),
            _ => return Err(AuthError::config(what, "must be an object")),
        };
        if let Some((key, _)) = members.iter().find(|(k, _)| !known.contains(&k.as_str())) {
            return Err(AuthError::config(key, &["is not an option of ", what].concat()));
        }
        Ok(Fields { members, problem: None })
    }

    /// The first field that had the wrong type, if any.
    fn finish(self) -> Result<()> {
        self.problem.map_or(Ok(()), Err)
    }

    /// The field `key` converted by `convert`; absent (or `null`) is `None`, and so is a value
    /// `convert` refuses, after remembering that `key` `must` be something else.
    fn read<T>(&mut self, key: &str, must: &str, convert: impl FnOnce(&'a Json) -> Option<T>) -> Option<T> {
        let value = match self.members.iter().find(|(k, _)| k == key) {
            None | Some((_, Json::Null)) => return None,
            Some((_, v)) => v,
        };
        let converted = convert(value);
        if converted.is_none() && self.problem.is_none() {
            self.problem = Some(AuthError::config(key, must));
        }
        converted
    }

    fn string(&mut self, key: &str) -> Option<String> {
        self.read(key, "must be a string", |v| v.as_str().map(str::to_owned))
    }

    /// A number, as its JSON text (checked by the rule of its field).
    fn number(&mut self, key: &str) -> Option<String> {
        self.read(key, "must be a number", |v| match v {
            Json::Number(n) => Some(n.clone()),
            _ => None,
        })
    }

    fn boolean(&mut self, key: &str) -> Option<bool> {
        self.read(key, "must be a boolean", Json::as_bool)
    }

    fn strings(&mut self, key: &str) -> Option<Vec<String>> {
        self.read(key, "must be an array of strings", |v| match v {
            Json::Array(items) => {
                let mut strings = Vec::new();
                for item in items {
                    strings.push(item.as_str()?.to_owned());
                }
                Some(strings)
            }
            _ => None,
        })
    }

    /// The `apis` entries: objects of `url`, `scopes` and `resource`, nothing else.
    fn apis(&mut self, key: &str) -> Vec<RawApi> {
        self.read(key, "must be an array of { url, scopes, resource? } objects", |v| match v {
            Json::Array(items) => {
                let mut apis = Vec::new();
                for item in items {
                    let mut f = Fields::new(item, key, &["url", "scopes", "resource"]).ok()?;
                    let api = RawApi { url: f.string("url"), scopes: f.strings("scopes"), resource: f.string("resource") };
                    f.finish().ok()?;
                    apis.push(api);
                }
                Some(apis)
            }
            _ => None,
        })
        .unwrap_or_default()
    }

    fn string_map(&mut self, key: &str) -> Vec<(String, String)> {
        self.read(key, "must be an object of string values", |v| match v {
            Json::Object(members) => {
                let mut pairs = Vec::new();
                for (k, v) in members {
                    pairs.push((k.clone(), v.as_str()?.to_owned()));
                }
                Some(pairs)
            }
            _ => None,
        })
        .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{"clientId":"c","redirectUri":"https://app.example.com/"}"#;

    fn config_error(text: &str) -> String {
        read_config(Some(text)).err().map(|e| e.message.clone()).unwrap_or_default()
    }

    #[test]
    fn reads_apis_and_token_options() {
        let raw = read_config(Some(
            r#"{"clientId":"c","redirectUri":"x","apis":[{"url":"https://a.test","scopes":["r"],"resource":"https://a.test"}]}"#,
        ))
        .unwrap();
        assert_eq!(raw.apis.len(), 1);
        assert_eq!(raw.apis[0].resource.as_deref(), Some("https://a.test"));
        for bad in [r#""apis":{}"#, r#""apis":[{"url":"u","scope":["r"]}]"#, r#""apis":[{"url":1,"scopes":["r"]}]"#] {
            let text = format!(r#"{{"clientId":"c","redirectUri":"x",{bad}}}"#);
            assert!(config_error(&text).starts_with("apis: must be an array"), "{bad}: {}", config_error(&text));
        }
        assert_eq!(read_token_options(None).unwrap(), None);
        assert_eq!(read_token_options(Some("{}")).unwrap(), None);
        let key = read_token_options(Some(r#"{"scopes":["b","a"],"resource":"https://r.test"}"#)).unwrap().unwrap();
        assert_eq!((key.scope().as_str(), key.resource.as_deref()), ("a b", Some("https://r.test")));
        assert!(read_token_options(Some(r#"{"resource":"https://r.test"}"#)).unwrap_err().message.starts_with("resource"));
        assert!(read_token_options(Some(r#"{"scope":["a"]}"#)).is_err());
        let login = read_login_options(Some(r#"{"scopes":["x"]}"#)).unwrap();
        assert_eq!(login.scopes, ["x"]);
    }

    #[test]
    fn every_field_is_read_by_its_name() {
        let raw = read_config(Some(
            r#"{"clientId":"c","redirectUri":"https://app.example.com/","scopes":["openid","x"],
                "responseMode":"query","authority":"https://id.example.com","metadataUrl":"https://m.example.com/",
                "issuer":"https://i.example.com","authorizationEndpoint":"https://a.example.com/",
                "tokenEndpoint":"https://t.example.com/","endSessionEndpoint":"https://e.example.com/",
                "policy":"b2c_1_signin","extraAuthParams":{"ui_locales":"fr"},"storage":"local",
                "apiOrigins":["https://api.example.com"],"expiryMarginSeconds":30,"jwksUri":"https://j.example.com/",
                "clockSkewSeconds":120,"postLogoutRedirectUri":"https://app.example.com/bye","logLevel":"debug",
                "timeoutSeconds":5,"allowHttp":true}"#,
        ))
        .unwrap();
        assert_eq!(raw.client_id.as_deref(), Some("c"));
        assert_eq!(raw.scopes, Some(vec!["openid".to_owned(), "x".to_owned()]));
        assert_eq!(raw.extra_auth_params, vec![("ui_locales".to_owned(), "fr".to_owned())]);
        assert_eq!(raw.expiry_margin_seconds.as_deref(), Some("30"));
        assert_eq!(raw.clock_skew_seconds.as_deref(), Some("120"));
        assert_eq!(raw.timeout_seconds.as_deref(), Some("5"));
        assert_eq!(raw.allow_http, Some(true));
        assert_eq!(raw.post_logout_redirect_uri.as_deref(), Some("https://app.example.com/bye"));
        assert!(raw.validate().is_ok());
    }

    #[test]
    fn null_fields_are_absent() {
        let raw = read_config(Some(r#"{"clientId":"c","redirectUri":"https://a.example/","scopes":null}"#)).unwrap();
        assert_eq!(raw.scopes, None);
    }

    #[test]
    fn the_wrong_type_is_refused_by_name() {
        for (text, message) in [
            (r#"{"clientId":42,"redirectUri":"x"}"#, "clientId: must be a string"),
            (r#"{"clientId":"c","redirectUri":"x","scopes":"openid"}"#, "scopes: must be an array of strings"),
            (r#"{"clientId":"c","redirectUri":"x","scopes":["a",1]}"#, "scopes: must be an array of strings"),
            (
                r#"{"clientId":"c","redirectUri":"x","extraAuthParams":{"a":1}}"#,
                "extraAuthParams: must be an object of string values",
            ),
            (
                r#"{"clientId":"c","redirectUri":"x","extraAuthParams":[]}"#,
                "extraAuthParams: must be an object of string values",
            ),
            (r#"{"clientId":"c","redirectUri":"x","timeoutSeconds":"5"}"#, "timeoutSeconds: must be a number"),
            (r#"{"clientId":"c","redirectUri":"x","allowHttp":"yes"}"#, "allowHttp: must be a boolean"),
            // optionsJson turns functions, symbols, BigInt, NaN and ±Infinity into [null].
            (r#"{"clientId":[null],"redirectUri":"x"}"#, "clientId: must be a string"),
            (
                r#"{"clientId":"c","redirectUri":"x","expiryMarginSeconds":[null]}"#,
                "expiryMarginSeconds: must be a number",
            ),
        ] {
            assert_eq!(config_error(text), message, "{text}");
        }
    }

    #[test]
    fn the_first_wrong_field_is_the_one_named() {
        assert_eq!(config_error(r#"{"clientId":1,"redirectUri":2}"#), "clientId: must be a string");
    }

    #[test]
    fn unknown_options_and_non_objects_are_refused() {
        assert_eq!(config_error(r#"{"clientID":"c","redirectUri":"x"}"#), "clientID: is not an option of config");
        assert_eq!(config_error("[]"), "config: must be an object");
        assert_eq!(config_error("[null]"), "config: must be an object");
        assert_eq!(config_error("\"c\""), "config: must be an object");
        assert!(config_error("null").starts_with("config: an options object"));
        assert!(read_config(None).is_err(), "no config at all");
        assert_eq!(config_error("{"), "config: must be a plain object (no cycles)");
    }

    #[test]
    fn seconds_are_kept_as_number_text_for_the_config_rules() {
        for (seconds, ok) in
            [("0", true), ("86400", true), ("1.5", false), ("-1", false), ("1e3", false), ("86401", false)]
        {
            let text = MINIMAL
                .replace('}', &[r#","authority":"https://id.example.com","timeoutSeconds":"#, seconds, "}"].concat());
            let checked = read_config(Some(&text)).unwrap().validate();
            assert_eq!(checked.is_ok(), ok && seconds != "0", "timeoutSeconds {seconds}");
            let text = MINIMAL
                .replace('}', &[r#","authority":"https://id.example.com","clockSkewSeconds":"#, seconds, "}"].concat());
            assert_eq!(read_config(Some(&text)).unwrap().validate().is_ok(), ok, "clockSkewSeconds {seconds}");
        }
    }

    #[test]
    fn login_options() {
        let options = read_login_options(Some(
            r#"{"prompt":"login","loginHint":"a@b.c","extraParams":{"ui_locales":"fr"},"policy":"b2c_1_edit"}"#,
        ))
        .unwrap();
        assert_eq!(options.prompt.as_deref(), Some("login"));
        assert_eq!(options.login_hint.as_deref(), Some("a@b.c"));
        assert_eq!(options.extra_params, vec![("ui_locales".to_owned(), "fr".to_owned())]);
        assert_eq!(options.policy.as_deref(), Some("b2c_1_edit"));
        assert_eq!(read_login_options(None).unwrap().prompt, None);
        let err = read_login_options(Some(r#"{"promt":"login"}"#)).err().unwrap();
        assert_eq!(err.message, "promt: is not an option of loginRedirect options");
        let err = read_login_options(Some(r#"{"prompt":true}"#)).err().unwrap();
        assert_eq!(err.message, "prompt: must be a string");
    }

    #[test]
    fn logout_options() {
        assert!(read_logout_redirect(None).unwrap());
        assert!(read_logout_redirect(Some("{}")).unwrap());
        assert!(!read_logout_redirect(Some(r#"{"redirect":false}"#)).unwrap());
        assert_eq!(
            read_logout_redirect(Some(r#"{"redirect":"no"}"#)).err().unwrap().message,
            "redirect: must be a boolean"
        );
        assert_eq!(read_logout_redirect(Some("[]")).err().unwrap().message, "logout options: must be an object");
    }
}
