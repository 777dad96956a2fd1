//! The authorization request (RFC 6749 §4.1.1) with PKCE (RFC 7636 §4.3) and the response mode
//! (OAuth 2.0 Multiple Response Type Encoding Practices §2.1).

use super::apis::check_one_b2c_resource;
use super::b2c::endpoint_for_policy;
use super::config::{check_extra_param, check_policy, check_scopes, scope_param, ClientConfig};
use super::error::{AuthError, Result};
use super::pkce::CHALLENGE_METHOD;
use super::url::with_query;

/// How a login reaches the provider and comes back.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Interaction {
    /// The window navigates to the provider and back to `redirectUri` (`loginRedirect`).
    #[default]
    Redirect,
    /// A popup does, landing on `popupRedirectUri`, whose page hands the response to this one
    /// (`loginPopup`).
    Popup,
    /// A hidden frame does, with `prompt=none` (OIDC Core §3.1.2.1), landing on
    /// `silentRedirectUri` (`ssoSilent`, silent renewal).
    Silent,
}

impl Interaction {
    /// What `state` starts with, so that the page the response lands on knows to hand it over
    /// instead of redeeming it (js/api.js `relayResponse`). The rest of `state` is 32 random
    /// bytes, as for every login.
    pub fn state_prefix(self) -> &'static str {
        match self {
            Interaction::Redirect => "",
            Interaction::Popup => "p.",
            Interaction::Silent => "s.",
        }
    }
}

/// Per-login options of `loginRedirect()` and `loginPopup()`.
#[derive(Clone, Debug, Default)]
pub struct LoginOptions {
    /// OIDC Core §3.1.2.1 `prompt` (`login`, `consent`, `none`, `select_account`).
    pub prompt: Option<String>,
    /// OIDC Core §3.1.2.1 `login_hint`.
    pub login_hint: Option<String>,
    /// More parameters for this login only (`domain_hint`, `ui_locales`, ...); they win over
    /// `extraAuthParams` of the same name.
    pub extra_params: Vec<(String, String)>,
    /// Azure AD B2C: another policy for this login only (edit profile, sign up).
    pub policy: Option<String>,
    /// More scopes to consent to in this login (incremental consent), beyond the configured ones.
    pub scopes: Vec<String>,
    /// Set by the library, not by the app: how this login comes back.
    pub interaction: Interaction,
}

impl LoginOptions {
    /// The policy of this login: its own, else the configured one.
    pub fn policy<'a>(&'a self, config: &'a ClientConfig) -> Option<&'a str> {
        self.policy.as_deref().or(config.policy.as_deref())
    }
}

/// Builds the URL the browser is sent to. `state` and `code_challenge` are fresh per login.
pub fn authorization_url(
    config: &ClientConfig,
    endpoint: &str,
    state: &str,
    nonce: Option<&str>,
    code_challenge: &str,
    options: &LoginOptions,
) -> Result<String> {
    for (k, v) in &options.extra_params {
        check_extra_param("extraParams", k, v)?;
    }
    if let Some(p) = &options.policy {
        check_policy("policy", p)?;
    }
    check_scopes(&options.scopes).map_err(|e| AuthError::config("loginRedirect options", &e.message))?;
    let mut scopes = config.scopes.clone();
    scopes.extend(options.scopes.iter().filter(|s| !config.scopes.contains(s)).cloned());
    if config.policy.is_some() {
        check_one_b2c_resource("scopes", &scopes)?;
    }
    let scope = scope_param(&scopes);
    let mut params: Vec<(&str, &str)> = vec![
        ("client_id", &config.client_id),
        ("response_type", "code"),
        ("redirect_uri", config.redirect_uri_for(options.interaction)),
        ("response_mode", config.response_mode.as_str()),
        ("scope", &scope),
        ("state", state),
        ("code_challenge", code_challenge),
        ("code_challenge_method", CHALLENGE_METHOD),
    ];
    if let Some(n) = nonce {
        params.push(("nonce", n));
    }
    // A silent login must never show the user anything: the provider answers at once.
    match (&options.prompt, options.interaction) {
        (_, Interaction::Silent) => params.push(("prompt", "none")),
        (Some(p), _) => params.push(("prompt", p)),
        (None, _) => {}
    }
    if let Some(h) = &options.login_hint {
        params.push(("login_hint", h));
    }
    // RFC 8707 §2.1: the resources the session will ask tokens for, so the grant covers them.
    for api in &config.apis {
        if let Some(r) = &api.key.resource {
            if !params.iter().any(|(k, v)| *k == "resource" && v == r) {
                params.push(("resource", r));
            }
        }
    }
    let per_call = |k: &str| options.extra_params.iter().any(|(key, _)| key == k);
    params.extend(config.extra_auth_params.iter().filter(|(k, _)| !per_call(k)).map(|(k, v)| (k.as_str(), v.as_str())));
    params.extend(options.extra_params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let endpoint = endpoint_for_policy(endpoint, config.policy.as_deref(), options.policy(config));
    Ok(with_query(&endpoint, &params))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::RawConfig;
    use crate::core::form::decode_pairs;

    fn config(mode: &str) -> ClientConfig {
        RawConfig {
            client_id: Some("spa client".into()),
            redirect_uri: Some("http://localhost:8080/cb".into()),
            authority: Some("https://op.example.com".into()),
            scopes: Some(vec!["openid".into(), "offline_access".into()]),
            response_mode: Some(mode.into()),
            extra_auth_params: vec![("ui_locales".into(), "fr".into()), ("audience".into(), "api".into())],
            ..RawConfig::default()
        }
        .validate()
        .unwrap()
    }

    fn params(url: &str) -> Vec<(String, String)> {
        decode_pairs(url.split_once('?').unwrap().1).unwrap()
    }

    fn get<'a>(p: &'a [(String, String)], k: &str) -> Vec<&'a str> {
        p.iter().filter(|(key, _)| key == k).map(|(_, v)| v.as_str()).collect()
    }

    #[test]
    fn carries_every_required_parameter() {
        let opts =
            LoginOptions { prompt: Some("login".into()), login_hint: Some("a@b.c".into()), ..Default::default() };
        let url =
            authorization_url(&config("query"), "https://op.example.com/auth", "st", Some("n0"), "ch", &opts).unwrap();
        assert!(url.starts_with("https://op.example.com/auth?client_id=spa+client&response_type=code&"));
        let p = params(&url);
        for (k, v) in [
            ("redirect_uri", "http://localhost:8080/cb"),
            ("response_mode", "query"),
            ("scope", "openid offline_access"),
            ("state", "st"),
            ("code_challenge", "ch"),
            ("code_challenge_method", "S256"),
            ("nonce", "n0"),
            ("prompt", "login"),
            ("login_hint", "a@b.c"),
            ("ui_locales", "fr"),
        ] {
            assert_eq!(get(&p, k), [v], "{k}");
        }
    }

    #[test]
    fn extra_scopes_and_the_apis_resources_join_the_request() {
        let mut c = config("query");
        c.apis = crate::core::apis::check_apis(
            &[
                crate::core::apis::RawApi {
                    url: Some("https://api.test".into()),
                    scopes: Some(vec!["orders:read".into()]),
                    resource: Some("https://api.test".into()),
                },
                crate::core::apis::RawApi {
                    url: Some("https://api.test/v2".into()),
                    scopes: Some(vec!["orders:write".into()]),
                    resource: Some("https://api.test".into()),
                },
            ],
            c.url_rules(),
            false,
        )
        .unwrap();
        let opts = LoginOptions { scopes: vec!["orders:read".into(), "openid".into()], ..Default::default() };
        let p = params(&authorization_url(&c, "https://op.example.com/auth", "s", None, "c", &opts).unwrap());
        assert_eq!(get(&p, "scope"), ["openid offline_access orders:read"]);
        assert_eq!(get(&p, "resource"), ["https://api.test"]);
        let bad = LoginOptions { scopes: vec!["two words".into()], ..Default::default() };
        assert!(authorization_url(&c, "https://op.example.com/auth", "s", None, "c", &bad).is_err());

        c.policy = Some("b2c_1_signin".into());
        let mixed = LoginOptions {
            scopes: vec!["https://t.onmicrosoft.com/a/r".into(), "https://t.onmicrosoft.com/b/r".into()],
            ..Default::default()
        };
        let e = authorization_url(&c, "https://op.example.com/auth", "s", None, "c", &mixed).unwrap_err();
        assert!(e.message.contains("AADB2C90146"));
    }

    #[test]
    fn each_interaction_has_its_redirect_uri_state_prefix_and_prompt() {
        let mut c = config("query");
        c.popup_redirect_uri = "http://localhost:8080/popup".into();
        c.silent_redirect_uri = "http://localhost:8080/silent".into();
        let url_for = |interaction, prompt: Option<&str>| {
            let opts = LoginOptions { interaction, prompt: prompt.map(Into::into), ..Default::default() };
            params(&authorization_url(&c, "https://op.example.com/auth", "s", None, "c", &opts).unwrap())
        };
        let silent = url_for(Interaction::Silent, Some("login"));
        assert_eq!((get(&silent, "prompt"), get(&silent, "redirect_uri")), (vec!["none"], vec!["http://localhost:8080/silent"]));
        let popup = url_for(Interaction::Popup, Some("login"));
        assert_eq!((get(&popup, "prompt"), get(&popup, "redirect_uri")), (vec!["login"], vec!["http://localhost:8080/popup"]));
        let redirect = url_for(Interaction::Redirect, None);
        assert_eq!((get(&redirect, "prompt"), get(&redirect, "redirect_uri")), (vec![], vec!["http://localhost:8080/cb"]));
        let prefixes = [Interaction::Redirect, Interaction::Popup, Interaction::Silent].map(Interaction::state_prefix);
        assert_eq!(prefixes, ["", "p.", "s."]);
    }

    #[test]
    fn fragment_is_the_default_mode() {
        let url = authorization_url(
            &config("fragment"),
            "https://op.example.com/auth",
            "s",
            None,
            "c",
            &LoginOptions::default(),
        )
        .unwrap();
        assert_eq!(get(&params(&url), "response_mode"), ["fragment"]);
    }

    #[test]
    fn per_login_params_win_and_reserved_ones_are_refused() {
        let opts = LoginOptions { extra_params: vec![("audience".into(), "other".into())], ..Default::default() };
        let url = authorization_url(&config("query"), "https://op.example.com/auth", "s", None, "c", &opts).unwrap();
        assert_eq!(get(&params(&url), "audience"), ["other"]);
        let opts =
            LoginOptions { extra_params: vec![("code_challenge_method".into(), "plain".into())], ..Default::default() };
        let err =
            authorization_url(&config("query"), "https://op.example.com/auth", "s", None, "c", &opts).unwrap_err();
        assert!(err.message.starts_with("extraParams"));
    }

    #[test]
    fn keeps_the_endpoints_own_query_and_adds_the_policy_once() {
        let mut c = config("query");
        c.policy = Some("B2C_1A_signin".into());
        let url = authorization_url(
            &c,
            "https://t.b2clogin.com/t/oauth2/v2.0/authorize",
            "s",
            None,
            "c",
            &LoginOptions::default(),
        )
        .unwrap();
        assert_eq!(get(&params(&url), "p"), ["B2C_1A_signin"]);
        let url = authorization_url(
            &c,
            "https://t.b2clogin.com/t/oauth2/v2.0/authorize?p=b2c_1a_signin",
            "s",
            None,
            "c",
            &LoginOptions::default(),
        )
        .unwrap();
        assert_eq!(get(&params(&url), "p"), ["B2C_1A_signin"]);
    }

    #[test]
    fn a_login_may_use_another_policy_in_either_url_style() {
        let mut c = config("query");
        c.policy = Some("b2c_1_sign_in".into());
        let opts = LoginOptions { policy: Some("b2c_1_edit_profile".into()), ..Default::default() };
        let url = authorization_url(&c, "https://h/t/oauth2/v2.0/authorize", "s", None, "c", &opts).unwrap();
        assert_eq!(get(&params(&url), "p"), ["b2c_1_edit_profile"]);
        let url = authorization_url(
            &c,
            "https://t.b2clogin.com/t.onmicrosoft.com/B2C_1_SIGN_IN/oauth2/v2.0/authorize",
            "s",
            None,
            "c",
            &opts,
        )
        .unwrap();
        assert!(url.starts_with(
            "https://t.b2clogin.com/t.onmicrosoft.com/b2c_1_edit_profile/oauth2/v2.0/authorize?client_id="
        ));
        assert!(get(&params(&url), "p").is_empty());
        let bad = LoginOptions { policy: Some("b2c 1".into()), ..Default::default() };
        assert_eq!(authorization_url(&c, "https://h/a", "s", None, "c", &bad).unwrap_err().code, "invalid_config");
    }

    #[test]
    fn b2c_and_oidc_hints_pass_through() {
        let opts = LoginOptions {
            prompt: Some("login".into()),
            login_hint: Some("user@contoso.com".into()),
            extra_params: vec![("domain_hint".into(), "facebook.com".into()), ("ui_locales".into(), "es-ES".into())],
            ..Default::default()
        };
        let url = authorization_url(&config("query"), "https://h/a", "s", None, "c", &opts).unwrap();
        let p = params(&url);
        assert_eq!(get(&p, "prompt"), ["login"]);
        assert_eq!(get(&p, "login_hint"), ["user@contoso.com"]);
        assert_eq!(get(&p, "domain_hint"), ["facebook.com"]);
        assert_eq!(get(&p, "ui_locales"), ["es-ES"]);
    }
}
