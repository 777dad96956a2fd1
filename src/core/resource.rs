//! Calls to resource servers with the access token (RFC 6750): where the token may go, and
//! when a 401 means the token is no good.

use super::url::origin_of;

/// Whether a request to `url` may carry the access token: only to the page's own origin or to
/// an origin the app listed in `apiOrigins`, so a token never reaches a third party by
/// accident (RFC 6750 §5.3, RFC 9700 §4.9).
pub fn may_carry_token(url: &str, page_origin: &str, api_origins: &[String]) -> bool {
    let Some(origin) = origin_of(url) else { return false };
    if api_origins.is_empty() {
        origin == page_origin
    } else {
        api_origins.contains(&origin)
    }
}

/// RFC 6750 §3.1: whether a `WWW-Authenticate` header says the token itself was refused
/// (`Bearer error="invalid_token"`): then one refresh and one retry can help, anything else not.
pub fn is_invalid_token_challenge(www_authenticate: &str) -> bool {
    let lower = www_authenticate.to_ascii_lowercase();
    let Some(rest) = lower.trim_start().strip_prefix("bearer") else { return false };
    rest.split(',').any(|param| {
        let Some((name, value)) = param.split_once('=') else { return false };
        name.trim() == "error" && value.trim().trim_matches('"') == "invalid_token"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_go_to_the_page_origin_by_default() {
        let page = "http://localhost:8080";
        assert!(may_carry_token("http://localhost:8080/api/orders", page, &[]));
        assert!(!may_carry_token("http://localhost:9090/api", page, &[]));
        assert!(!may_carry_token("https://evil.example.com/", page, &[]));
        assert!(!may_carry_token("/relative", page, &[]));
    }

    #[test]
    fn an_allow_list_replaces_the_default() {
        let allowed = vec!["https://api.example.com".to_owned()];
        assert!(may_carry_token("https://API.example.com:443/v1", "http://localhost:8080", &allowed));
        assert!(!may_carry_token("https://api.example.com.evil.net/v1", "http://localhost:8080", &allowed));
        assert!(!may_carry_token("http://localhost:8080/", "http://localhost:8080", &allowed));
    }

    #[test]
    fn recognises_invalid_token_challenges() {
        assert!(is_invalid_token_challenge(
            r#"Bearer realm="api", error="invalid_token", error_description="expired""#
        ));
        assert!(is_invalid_token_challenge("bearer error=invalid_token"));
        assert!(!is_invalid_token_challenge(r#"Bearer error="insufficient_scope""#));
        assert!(!is_invalid_token_challenge(r#"Basic realm="x""#));
        assert!(!is_invalid_token_challenge(""));
    }
}
