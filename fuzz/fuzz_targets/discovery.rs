//! Discovery documents (OpenID Connect Discovery 1.0 §3/§4.3, RFC 8414), checked against
//! three configurations: an https authority, a local oidc-provider with a configured token
//! endpoint, and a B2C-style metadata URL without a known issuer.
//!
//! Input: the document body, as text.
//! Properties, for an accepted document:
//! - the issuer is the expected one (a trailing `/` aside) when one is expected;
//! - configured endpoints win;
//! - every discovered endpoint is an absolute URL without fragment that is https, or plain
//!   http to a host that really is loopback: `localhost`, `*.localhost`, `[::1]`, or an IPv4
//!   address whose last label is a number (the WHATWG URL parser then reads the host as an
//!   IPv4 address, 127.x.y.z here, or refuses the URL). A name such as `127.0.0.1.nip.io` or
//!   `127.evil.example` goes to DNS and is not loopback.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use spa_oauth::core::config::{ClientConfig, RawConfig};
use spa_oauth::core::discovery::ProviderMetadata;
use spa_oauth::core::json::Json;
use spa_oauth::core::url::HttpUrl;

fn configs() -> &'static [ClientConfig] {
    static CONFIGS: OnceLock<Vec<ClientConfig>> = OnceLock::new();
    CONFIGS.get_or_init(|| {
        let raw = [
            RawConfig {
                client_id: Some("spa".into()),
                redirect_uri: Some("https://app.example.com/callback".into()),
                authority: Some("https://op.example.com".into()),
                ..Default::default()
            },
            RawConfig {
                client_id: Some("spa".into()),
                redirect_uri: Some("http://localhost:8080/".into()),
                authority: Some("http://localhost:4000".into()),
                token_endpoint: Some("https://proxy.example.com/token".into()),
                ..Default::default()
            },
            RawConfig {
                client_id: Some("90c0fe63-bcf2-44d5-8fb7-b8bbc0b29dc6".into()),
                redirect_uri: Some("https://app.example.com/".into()),
                metadata_url: Some(
                    "https://contoso.b2clogin.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration?p=B2C_1_signin"
                        .into(),
                ),
                ..Default::default()
            },
        ];
        raw.into_iter().map(|r| r.validate().expect("fixed configuration is valid")).collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else { return };
    for config in configs() {
        let Ok(m) = ProviderMetadata::from_discovery(body, config) else { continue };
        let doc = Json::parse(body).expect("an accepted document is JSON");

        let issuer = m.issuer.as_deref().expect("discovery always yields an issuer");
        assert_eq!(doc.get("issuer").and_then(Json::as_str), Some(issuer));
        if let Some(expected) = &config.issuer {
            assert_eq!(expected.trim_end_matches('/'), issuer.trim_end_matches('/'), "foreign issuer accepted");
        }
        assert_eq!(
            m.iss_parameter_supported,
            doc.get("authorization_response_iss_parameter_supported") == Some(&Json::Bool(true))
        );

        let endpoints = [
            ("authorization_endpoint", Some(&m.authorization_endpoint), &config.authorization_endpoint),
            ("token_endpoint", Some(&m.token_endpoint), &config.token_endpoint),
            ("end_session_endpoint", m.end_session_endpoint.as_ref(), &config.end_session_endpoint),
            ("jwks_uri", m.jwks_uri.as_ref(), &config.jwks_uri),
            ("userinfo_endpoint", m.userinfo_endpoint.as_ref(), &None),
        ];
        for (name, got, configured) in endpoints {
            if let Some(c) = configured {
                assert_eq!(got, Some(c), "{name}: the configured endpoint must win");
                continue;
            }
            let Some(url) = got else { continue };
            assert_eq!(doc.get(name).and_then(Json::as_str), Some(url.as_str()), "{name} not from the document");
            let parsed = HttpUrl::parse(url).unwrap_or_else(|| panic!("{name} {url:?} is not an http(s) URL"));
            assert!(!parsed.has_fragment, "{name} {url:?} has a fragment");
            assert!(
                parsed.scheme == "https" || really_loopback(&parsed.authority),
                "{name}: plain http to a host that is not loopback accepted: {url:?}"
            );
        }
    }
});

/// Independent reading of "loopback" for an authority (`host[:port]`, lower case).
fn really_loopback(authority: &str) -> bool {
    if authority.starts_with('[') {
        // `[::1]` then anything but `:port` is refused by the browser's URL parser.
        return authority.starts_with("[::1]");
    }
    let host = authority.split(':').next().unwrap_or("");
    if host == "localhost" || host.ends_with(".localhost") {
        return true;
    }
    // WHATWG URL "ends in a number": the last label (a trailing dot aside) is decimal or 0x-hex;
    // the host is then parsed as IPv4 (or the URL refused), else it is a domain name.
    let trimmed = host.strip_suffix('.').unwrap_or(host);
    let last = trimmed.rsplit('.').next().unwrap_or("");
    let numeric = (!last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()))
        || last.strip_prefix("0x").is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
    host.starts_with("127.") && numeric
}
