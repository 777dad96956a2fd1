//! Several APIs, one session: which access token a call needs (its scopes and, RFC 8707, its
//! resource), which configured API a request URL belongs to, and Azure AD B2C's rule of one
//! resource per token.
//!
//! One refresh token mints an access token per API (RFC 6749 §6 with a narrower `scope`;
//! RFC 8707 §2.2 with `resource`); each is cached under its [`TokenKey`].

use super::config::{check_scopes, scope_param, UrlRules};
use super::error::{AuthError, Result};
use super::json::Json;
use super::record::RecordWriter;
use super::text::find;
use super::token_set::TokenSet;
use super::url::HttpUrl;

/// What an API's access token is for: its scopes as a set (sorted, each once) and its RFC 8707
/// resource. Two calls get the same token exactly when their keys are equal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenKey {
    /// The scopes, sorted, without duplicates.
    pub scopes: Vec<String>,
    /// RFC 8707 resource indicator, when the API has one.
    pub resource: Option<String>,
}

impl TokenKey {
    /// The key of `scopes` (in any order, repeats allowed) and `resource`.
    pub fn new(mut scopes: Vec<String>, resource: Option<String>) -> TokenKey {
        scopes.sort_unstable();
        scopes.dedup();
        TokenKey { scopes, resource }
    }

    /// The `scope` parameter (RFC 6749 §3.3).
    pub fn scope(&self) -> String {
        scope_param(&self.scopes)
    }

    /// The key as one string, as js/client.js computes it for its cache lookup: the sorted
    /// scopes joined by spaces, then a line feed and the resource.
    pub fn text(&self) -> String {
        [&self.scope(), "\n", self.resource.as_deref().unwrap_or_default()].concat()
    }

    /// Checks what an app asked for: scopes per RFC 6749 §3.3, an absolute resource without a
    /// fragment (RFC 8707 §2), and with Azure AD B2C one resource only.
    pub fn check(&self, field: &str, rules: UrlRules, b2c: bool) -> Result<()> {
        if self.scopes.is_empty() {
            return Err(AuthError::config(field, "scopes must not be empty"));
        }
        check_scopes(&self.scopes).map_err(|e| AuthError::config(field, &e.message))?;
        if let Some(resource) = &self.resource {
            let ok = HttpUrl::parse(resource).is_some_and(|u| rules.permits(&u) && !u.has_fragment);
            if !ok {
                return Err(AuthError::config(field, "resource must be an https URL without a fragment (RFC 8707 §2)"));
            }
        }
        if b2c {
            check_one_b2c_resource(field, &self.scopes)?;
        }
        Ok(())
    }
}

/// An access token minted for one API with the session's refresh token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiToken {
    /// What it is for.
    pub key: TokenKey,
    /// The access token, its expiry and `not_before` (as in a [`TokenSet`]).
    pub access: TokenSet,
}

impl ApiToken {
    /// The token of `key` from a token response, without what belongs to the session (the
    /// refresh token, which the session keeps, and an ID token nobody asked to verify).
    pub fn new(key: TokenKey, fresh: &TokenSet) -> ApiToken {
        let access = TokenSet { refresh_token: None, id_token: None, policy: None, apis: Vec::new(), ..fresh.clone() };
        ApiToken { key, access }
    }

    /// The storage record: the key's scope and resource with the token's own record.
    pub fn to_json(&self) -> String {
        RecordWriter::new(1)
            .string("scopes", &self.key.scope())
            .opt_string("resource", self.key.resource.as_deref())
            .raw("token", Some(&self.access.to_json()))
            .finish()
    }

    /// Reads a record written by [`ApiToken::to_json`]; `None` when it is not one.
    pub fn from_json(doc: &Json) -> Option<ApiToken> {
        let scopes = doc.get("scopes")?.as_str()?.split(' ').map(str::to_owned).collect();
        let resource = doc.get("resource").and_then(Json::as_str).map(str::to_owned);
        let access = TokenSet::from_json(&doc.get("token")?.to_text()).ok()?;
        Some(ApiToken { key: TokenKey::new(scopes, resource), access })
    }
}

/// One entry of the `apis` option: requests under `url` carry a token for `key`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Api {
    /// Origin and path prefix, as the app wrote it (validated).
    pub url: String,
    /// The token its requests carry.
    pub key: TokenKey,
}

/// The `apis` option as the app wrote it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawApi {
    /// `url`.
    pub url: Option<String>,
    /// `scopes`.
    pub scopes: Option<Vec<String>>,
    /// `resource`.
    pub resource: Option<String>,
}

/// Validates the `apis` entries: an https (or loopback) URL without query or fragment,
/// non-empty scopes, each URL once; errors name the entry (`apis[1]`).
pub fn check_apis(raw: &[RawApi], rules: UrlRules, b2c: bool) -> Result<Vec<Api>> {
    let mut apis: Vec<Api> = Vec::new();
    for (i, entry) in raw.iter().enumerate() {
        let field = ["apis[", &super::text::decimal(i as i64), "]"].concat();
        let url = entry.url.as_deref().unwrap_or_default();
        let parsed =
            HttpUrl::parse(url).filter(|u| rules.permits(u) && !u.has_fragment && find(u.path_and_query, "?").is_none());
        let Some(parsed) = parsed else {
            return Err(AuthError::config(&field, "url must be an https (or loopback http) URL without query or fragment"));
        };
        let key = TokenKey::new(entry.scopes.clone().unwrap_or_default(), entry.resource.clone());
        key.check(&field, rules, b2c)?;
        let prefix = prefix_of(&parsed);
        if apis.iter().any(|a| HttpUrl::parse(&a.url).is_some_and(|u| prefix_of(&u) == prefix)) {
            return Err(AuthError::config(&field, "url is listed twice"));
        }
        apis.push(Api { url: url.to_owned(), key });
    }
    Ok(apis)
}

/// Origin and path of a parsed URL, the path without a trailing `/`: what prefixes compare.
fn prefix_of(url: &HttpUrl<'_>) -> (String, String) {
    let query = find(url.path_and_query, "?").unwrap_or(url.path_and_query.len());
    let path = url.path_and_query.get(..query).unwrap_or_default();
    (url.origin(), path.trim_end_matches('/').to_owned())
}

/// The entry whose URL is the longest prefix of `url`, compared on parsed URLs: the same origin
/// and a path that starts with the entry's path at a segment boundary (`/api` covers `/api` and
/// `/api/orders`, never `/apix`).
pub fn api_for<'a>(apis: &'a [Api], url: &str) -> Option<&'a Api> {
    let (origin, path) = prefix_of(&HttpUrl::parse(url)?);
    let mut best: Option<(&Api, usize)> = None;
    for api in apis {
        let Some((api_origin, api_path)) = HttpUrl::parse(&api.url).map(|u| prefix_of(&u)) else { continue };
        let under = path.strip_prefix(api_path.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
        if api_origin == origin && under && best.is_none_or(|(_, len)| api_path.len() > len) {
            best = Some((api, api_path.len()));
        }
    }
    best.map(|(api, _)| api)
}

/// Azure AD B2C issues an access token for one resource at a time: a request whose scopes name
/// two is refused by the tenant (AADB2C90146). A B2C scope is a URI whose last path segment is
/// the permission (`https://contoso.onmicrosoft.com/orders-api/orders.read`; the resource is
/// the rest); a bare client id asks for a token for the app itself. OpenID Connect scopes name
/// no resource.
pub fn check_one_b2c_resource(field: &str, scopes: &[String]) -> Result<()> {
    let mut first: Option<&str> = None;
    for scope in scopes {
        let Some(resource) = b2c_resource_of(scope) else { continue };
        match first {
            Some(other) if other != resource => {
                return Err(AuthError::config(
                    field,
                    &[
                        "scopes name two resources ('",
                        other,
                        "' and '",
                        resource,
                        "'): Azure AD B2C issues an access token for one resource at a time (AADB2C90146); ask for each API's token separately",
                    ]
                    .concat(),
                ));
            }
            _ => first = Some(resource),
        }
    }
    Ok(())
}

/// The resource a B2C scope names, or `None` for OpenID Connect's own scopes.
fn b2c_resource_of(scope: &str) -> Option<&str> {
    if OIDC_SCOPES.contains(&scope) {
        return None;
    }
    match scope.rfind('/') {
        Some(at) if find(scope, "://").is_some() => scope.get(..at),
        _ => Some(scope),
    }
}

/// OpenID Connect's scopes (OIDC Core §5.4, §11): they ask for claims or a refresh token, not
/// for a resource.
const OIDC_SCOPES: [&str; 6] = ["openid", "offline_access", "profile", "email", "address", "phone"];

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: UrlRules = UrlRules { allow_http: false };

    fn raw(url: &str, scopes: &[&str]) -> RawApi {
        RawApi { url: Some(url.into()), scopes: Some(scopes.iter().map(|s| (*s).into()).collect()), resource: None }
    }

    #[test]
    fn keys_compare_scopes_as_sets() {
        let a = TokenKey::new(vec!["b".into(), "a".into(), "b".into()], None);
        let b = TokenKey::new(vec!["a".into(), "b".into()], None);
        assert_eq!(a, b);
        assert_eq!(a.scope(), "a b");
        assert_eq!(a.text(), "a b\n");
        assert_ne!(a, TokenKey::new(vec!["a".into()], None));
        assert_ne!(a, TokenKey::new(vec!["a".into(), "b".into()], Some("https://api.test".into())));
        assert_eq!(TokenKey::new(vec!["x".into()], Some("https://r.test".into())).text(), "x\nhttps://r.test");
    }

    #[test]
    fn entries_are_validated_and_named() {
        let apis = check_apis(&[raw("https://api.test/v1", &["read"]), raw("http://localhost:9000", &["w"])], RULES, false)
            .unwrap();
        assert_eq!(apis.len(), 2);
        let message = |entries: &[RawApi]| check_apis(entries, RULES, false).unwrap_err().message.clone();
        assert!(message(&[raw("http://api.test/", &["r"])]).starts_with("apis[0]: url"));
        assert!(message(&[raw("https://api.test/?x=1", &["r"])]).starts_with("apis[0]: url"));
        assert!(message(&[raw("https://api.test/#x", &["r"])]).starts_with("apis[0]: url"));
        assert!(message(&[raw("not a url", &["r"])]).starts_with("apis[0]: url"));
        assert!(message(&[raw("https://a.test", &["r"]), raw("https://a.test/x", &[])]).starts_with("apis[1]: scopes"));
        assert!(message(&[raw("https://a.test", &["bad\"scope"])]).starts_with("apis[0]"));
        assert_eq!(message(&[raw("https://a.test/x", &["r"]), raw("https://A.test/x/", &["s"])]), "apis[1]: url is listed twice");
        let bad_resource = RawApi { resource: Some("https://r.test/#f".into()), ..raw("https://a.test", &["r"]) };
        assert!(message(&[bad_resource]).contains("RFC 8707"));
        assert!(check_apis(&[raw("http://api.test/", &["r"])], UrlRules { allow_http: true }, false).is_ok());
    }

    #[test]
    fn the_longest_prefix_wins_at_segment_boundaries() {
        let apis = check_apis(
            &[raw("https://api.test", &["root"]), raw("https://api.test/orders", &["orders"]), raw("https://other.test/", &["o"])],
            RULES,
            false,
        )
        .unwrap();
        let scope_for = |url: &str| api_for(&apis, url).map(|a| a.key.scope());
        assert_eq!(scope_for("https://api.test/orders/7?x=1").as_deref(), Some("orders"));
        assert_eq!(scope_for("https://api.test/orders").as_deref(), Some("orders"));
        assert_eq!(scope_for("https://api.test/ordersx").as_deref(), Some("root"));
        assert_eq!(scope_for("https://API.test:443/orders/").as_deref(), Some("orders"));
        assert_eq!(scope_for("https://api.test").as_deref(), Some("root"));
        assert_eq!(scope_for("https://other.test/anything").as_deref(), Some("o"));
        assert_eq!(scope_for("https://api.test.evil.test/orders"), None);
        assert_eq!(scope_for("http://api.test/orders"), None);
        assert_eq!(scope_for("/relative"), None);
    }

    #[test]
    fn b2c_tokens_name_one_resource() {
        let scopes = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let orders = "https://contoso.onmicrosoft.com/orders-api/orders.read";
        let orders_write = "https://contoso.onmicrosoft.com/orders-api/orders.write";
        let billing = "https://contoso.onmicrosoft.com/billing-api/billing.read";
        assert!(check_one_b2c_resource("s", &scopes(&[orders, orders_write, "openid", "offline_access"])).is_ok());
        assert!(check_one_b2c_resource("s", &scopes(&["90c0fe63-bcf2-44d5-8fb7-b8bbc0b29dc6", "openid"])).is_ok());
        let e = check_one_b2c_resource("s", &scopes(&[orders, billing])).unwrap_err();
        assert!(e.message.contains("AADB2C90146") && e.message.contains("billing-api"), "{}", e.message);
        assert!(check_one_b2c_resource("s", &scopes(&["90c0fe63-bcf2-44d5-8fb7-b8bbc0b29dc6", orders])).is_err());
        let mixed = check_apis(&[raw("https://a.test", &[orders, billing])], RULES, true);
        assert!(mixed.unwrap_err().message.starts_with("apis[0]: scopes name two resources"));
        assert!(check_apis(&[raw("https://a.test", &[orders, billing])], RULES, false).is_ok());
    }
}
