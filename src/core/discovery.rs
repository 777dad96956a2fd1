//! Provider metadata: OpenID Connect Discovery 1.0 §3/§4 and RFC 8414 §2/§3, merged with the
//! endpoints the app configured explicitly.

use super::config::ClientConfig;
use super::error::{AuthError, ErrorKind, Result};
use super::json::Json;
use super::url::HttpUrl;

/// The provider endpoints and capabilities a login needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderMetadata {
    /// The issuer identifier, when known.
    pub issuer: Option<String>,
    /// RFC 6749 §3.1 authorization endpoint.
    pub authorization_endpoint: String,
    /// RFC 6749 §3.2 token endpoint.
    pub token_endpoint: String,
    /// OpenID Connect RP-Initiated Logout 1.0 end-session endpoint.
    pub end_session_endpoint: Option<String>,
    /// RFC 9207 §3: the provider sends `iss` in every authorization response.
    pub iss_parameter_supported: bool,
    /// RFC 7517 key set of the ID token signatures.
    pub jwks_uri: Option<String>,
    /// OIDC Core §5.3 UserInfo endpoint.
    pub userinfo_endpoint: Option<String>,
}

impl ProviderMetadata {
    /// Metadata from the configuration alone (no discovery): both endpoints were validated.
    pub fn from_config(config: &ClientConfig) -> Option<ProviderMetadata> {
        Some(ProviderMetadata {
            issuer: config.issuer.clone(),
            authorization_endpoint: config.authorization_endpoint.clone()?,
            token_endpoint: config.token_endpoint.clone()?,
            end_session_endpoint: config.end_session_endpoint.clone(),
            iss_parameter_supported: false,
            jwks_uri: config.jwks_uri.clone(),
            userinfo_endpoint: None,
        })
    }

    /// Parses a discovery document and checks it against the configuration: the `issuer` must
    /// be the expected one (Discovery §4.3; a trailing `/` aside), endpoints must pass the
    /// configured URLs' rules (https or loopback, any http with `allowHttp`; RFC 6749 §3.1).
    /// Explicitly configured endpoints win over discovered ones.
    pub fn from_discovery(body: &str, config: &ClientConfig) -> Result<ProviderMetadata> {
        let bad = |what: &str| AuthError::new(ErrorKind::DiscoveryError, ["discovery document: ", what].concat());
        let doc = Json::parse_body(body, Json::MAX_BODY_LEN, &bad, "not a JSON object")?;
        let issuer = doc.get("issuer").and_then(Json::as_str).ok_or_else(|| bad("no issuer"))?;
        if let Some(expected) = &config.issuer {
            if expected.trim_end_matches('/') != issuer.trim_end_matches('/') {
                return Err(bad(&[
                    "issuer is '",
                    issuer,
                    "' but '",
                    expected,
                    "' was expected (set `issuer` when it differs from the authority)",
                ]
                .concat()));
            }
        }
        let rules = config.url_rules();
        let endpoint = |name: &str, configured: &Option<String>| -> Result<Option<String>> {
            if let Some(c) = configured {
                return Ok(Some(c.clone()));
            }
            match doc.get(name) {
                None | Some(Json::Null) => Ok(None),
                Some(Json::String(s)) if HttpUrl::parse(s).is_some_and(|u| rules.permits(&u) && !u.has_fragment) => {
                    Ok(Some(s.clone()))
                }
                Some(_) => Err(bad(&[name, " is not an https URL"].concat())),
            }
        };
        Ok(ProviderMetadata {
            issuer: Some(issuer.to_owned()),
            authorization_endpoint: endpoint("authorization_endpoint", &config.authorization_endpoint)?
                .ok_or_else(|| bad("no authorization_endpoint"))?,
            token_endpoint: endpoint("token_endpoint", &config.token_endpoint)?
                .ok_or_else(|| bad("no token_endpoint"))?,
            end_session_endpoint: endpoint("end_session_endpoint", &config.end_session_endpoint)?,
            jwks_uri: endpoint("jwks_uri", &config.jwks_uri)?,
            userinfo_endpoint: endpoint("userinfo_endpoint", &None)?,
            iss_parameter_supported: doc
                .get("authorization_response_iss_parameter_supported")
                .and_then(Json::as_bool)
                .unwrap_or(false),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::RawConfig;
    use crate::core::json::padded;

    fn config() -> ClientConfig {
        RawConfig {
            client_id: Some("spa".into()),
            redirect_uri: Some("http://localhost:8080/".into()),
            authority: Some("https://op.example.com".into()),
            ..RawConfig::default()
        }
        .validate()
        .unwrap()
    }

    const DOC: &str = r#"{"issuer":"https://op.example.com/","authorization_endpoint":"https://op.example.com/auth",
        "token_endpoint":"https://op.example.com/token","end_session_endpoint":"https://op.example.com/logout",
        "authorization_response_iss_parameter_supported":true,"jwks_uri":"https://op.example.com/jwks"}"#;

    #[test]
    fn reads_endpoints_and_rfc9207_flag() {
        let m = ProviderMetadata::from_discovery(DOC, &config()).unwrap();
        assert_eq!(m.issuer.as_deref(), Some("https://op.example.com/"));
        assert_eq!(m.token_endpoint, "https://op.example.com/token");
        assert_eq!(m.end_session_endpoint.as_deref(), Some("https://op.example.com/logout"));
        assert!(m.iss_parameter_supported);
        assert_eq!(m.jwks_uri.as_deref(), Some("https://op.example.com/jwks"));
    }

    #[test]
    fn configured_endpoints_win() {
        let mut c = config();
        c.token_endpoint = Some("https://proxy.example.com/token".into());
        assert_eq!(
            ProviderMetadata::from_discovery(DOC, &c).unwrap().token_endpoint,
            "https://proxy.example.com/token"
        );
    }

    #[test]
    fn plain_http_endpoints_only_with_allow_http() {
        let doc = r#"{"issuer":"http://idp.test","authorization_endpoint":"http://idp.test/auth",
            "token_endpoint":"http://idp.test/token","jwks_uri":"http://idp.test/jwks"}"#;
        let raw = RawConfig {
            client_id: Some("spa".into()),
            redirect_uri: Some("http://localhost:8080/".into()),
            metadata_url: Some("https://config.example.com/openid-configuration".into()),
            ..RawConfig::default()
        };
        let without = raw.clone().validate().unwrap();
        let e = ProviderMetadata::from_discovery(doc, &without).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("discovery_error", "discovery document: authorization_endpoint is not an https URL")
        );
        let with = RawConfig { allow_http: Some(true), ..raw }.validate().unwrap();
        let m = ProviderMetadata::from_discovery(doc, &with).unwrap();
        assert_eq!(
            (m.token_endpoint.as_str(), m.jwks_uri.as_deref()),
            ("http://idp.test/token", Some("http://idp.test/jwks"))
        );
        let fragment = doc.replace("/auth", "/auth#x");
        assert_eq!(ProviderMetadata::from_discovery(&fragment, &with).unwrap_err().code, "discovery_error");
    }

    #[test]
    fn documents_over_a_megabyte_are_refused() {
        assert!(ProviderMetadata::from_discovery(&padded(DOC, Json::MAX_BODY_LEN), &config()).is_ok());
        let e = ProviderMetadata::from_discovery(&padded(DOC, Json::MAX_BODY_LEN + 1), &config()).unwrap_err();
        assert_eq!(e.code, "discovery_error");
        assert!(e.message.contains("too large"), "{}", e.message);
    }

    #[test]
    fn rejects_untrustworthy_documents() {
        let c = config();
        for doc in [
            "not json",
            r#"{"authorization_endpoint":"https://op.example.com/auth","token_endpoint":"https://op.example.com/token"}"#,
            r#"{"issuer":"https://evil.example.com","authorization_endpoint":"https://op.example.com/auth","token_endpoint":"https://op.example.com/token"}"#,
            r#"{"issuer":"https://op.example.com","authorization_endpoint":"http://op.example.com/auth","token_endpoint":"https://op.example.com/token"}"#,
            r#"{"issuer":"https://op.example.com","authorization_endpoint":"https://op.example.com/auth"}"#,
            r#"{"issuer":"https://op.example.com","authorization_endpoint":"https://op.example.com/auth","token_endpoint":42}"#,
        ] {
            assert_eq!(ProviderMetadata::from_discovery(doc, &c).unwrap_err().code, "discovery_error", "{doc}");
        }
    }
}
