//! The token request (RFC 6749 §4.1.3 with RFC 7636 §4.5) and the token response (§5.1
//! success, §5.2 error), including Azure AD B2C's numbers-as-strings.

use super::error::{AuthError, ErrorKind, Result};
use super::form::encode_pairs;
use super::json::Json;
use super::secret::Secret;
use super::token_set::TokenSet;
use crate::core::text::decimal;

/// Longest `expires_in` we believe: ten years. Anything longer is a broken server.
const MAX_EXPIRES_IN_S: i64 = 10 * 365 * 24 * 3600;

/// RFC 6749 §4.1.3 + RFC 7636 §4.5: the body that redeems an authorization code.
pub fn authorization_code_body(client_id: &str, code: &Secret, redirect_uri: &str, verifier: &Secret) -> String {
    encode_pairs([
        ("grant_type", "authorization_code"),
        ("code", code.expose()),
        ("redirect_uri", redirect_uri),
        ("client_id", client_id),
        ("code_verifier", verifier.expose()),
    ])
}

/// RFC 6749 §6: the body of a refresh. `scope` is what the provider granted (or, when it did
/// not say, what was asked): asking for more than was granted is an error (§6). `redirect_uri`
/// goes along because Azure AD B2C asks for it; other servers ignore it (§3.2).
///
/// For an API's token (several APIs), `scope` is that API's and `resource` its RFC 8707 §2.2
/// resource indicator, when it has one.
pub fn refresh_body(
    client_id: &str,
    refresh_token: &Secret,
    scope: &str,
    redirect_uri: &str,
    resource: Option<&str>,
) -> String {
    let pairs = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token.expose()),
        ("client_id", client_id),
        ("scope", scope),
        ("redirect_uri", redirect_uri),
    ];
    encode_pairs(pairs.into_iter().chain(resource.map(|r| ("resource", r))))
}

/// Parses the token endpoint's answer. `sent_at_ms` is when the request was sent: expiry
/// counts from then, never from the (later) arrival of the answer.
pub fn parse_token_response(status: u16, body: &str, sent_at_ms: i64) -> Result<TokenSet> {
    let invalid = |what: &str| {
        AuthError::new(ErrorKind::InvalidTokenResponse, ["token response: ", what].concat()).with_status(status)
    };
    let parsed = Json::parse_body(body, Json::MAX_BODY_LEN, &invalid, "not a JSON object");
    let doc = parsed.as_ref().ok();

    // §5.2: an error response, whatever the status (some servers send 200 with an error).
    if let Some(error) = doc.and_then(|d| d.get("error")).and_then(Json::as_str) {
        let description = doc.and_then(|d| d.get("error_description")).and_then(Json::as_str);
        return Err(AuthError::provider(error, description, Some(status)));
    }
    if !(200..300).contains(&status) {
        return Err(AuthError::new(
            ErrorKind::HttpError,
            ["the token endpoint answered HTTP ", &decimal(status.into())].concat(),
        )
        .with_status(status));
    }
    let doc = parsed?;
    let text = |k: &str| -> Result<Option<String>> {
        match doc.get(k) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
            Some(_) => Err(invalid(&[k, " is not a non-empty string"].concat())),
        }
    };
    let access_token = text("access_token")?.ok_or_else(|| invalid("no access_token"))?;
    let token_type = text("token_type")?.ok_or_else(|| invalid("no token_type"))?;
    if !token_type.eq_ignore_ascii_case("bearer") {
        return Err(invalid(&["unsupported token_type '", &token_type, "' (only Bearer is supported)"].concat()));
    }
    let seconds = |k: &str| -> Result<Option<i64>> {
        match doc.get(k) {
            None | Some(Json::Null) => Ok(None),
            Some(v) => v.as_int_lenient().map(Some).ok_or_else(|| invalid(&[k, " is not an integer"].concat())),
        }
    };
    let expires_at_ms = match seconds("expires_in")? {
        Some(s) if (1..=MAX_EXPIRES_IN_S).contains(&s) => Some(sent_at_ms.saturating_add(s * 1000)),
        Some(_) => return Err(invalid("expires_in is out of range")),
        None => None,
    };
    // Azure AD B2C's `not_before`: seconds since the epoch, believable only up to 10 years ahead
    // (of a clock that may itself be anywhere: the product saturates rather than overflow).
    let not_before_ms = match seconds("not_before")? {
        Some(s) if (0..=sent_at_ms / 1000 + MAX_EXPIRES_IN_S).contains(&s) => Some(s.saturating_mul(1000)),
        Some(_) => return Err(invalid("not_before is out of range")),
        None => None,
    };
    Ok(TokenSet {
        access_token: Secret::new(access_token),
        token_type: "Bearer".into(),
        expires_at_ms,
        not_before_ms,
        refresh_token: text("refresh_token")?.map(Secret::new),
        id_token: text("id_token")?.map(Secret::new),
        scope: text("scope")?,
        policy: None,
        apis: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::form::decode_pairs;
    use crate::core::json::padded;

    const SENT: i64 = 1_700_000_000_000;

    #[test]
    fn builds_the_code_redemption_body() {
        let body = authorization_code_body("spa", &Secret::new("c+d"), "http://localhost:8080/", &Secret::new("ver"));
        let pairs = decode_pairs(&body).unwrap();
        let keys: Vec<_> = pairs.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["grant_type", "code", "redirect_uri", "client_id", "code_verifier"]);
        assert_eq!(pairs[1].1, "c+d");
    }

    #[test]
    fn builds_the_refresh_body() {
        let body = refresh_body("spa", &Secret::new("r t"), "openid offline_access", "http://localhost:8080/", None);
        assert_eq!(
            body,
            "grant_type=refresh_token&refresh_token=r+t&client_id=spa&scope=openid+offline_access&redirect_uri=http%3A%2F%2Flocalhost%3A8080%2F"
        );
        let for_api = refresh_body("spa", &Secret::new("rt"), "orders:read", "http://localhost/", Some("https://api.test/"));
        assert!(for_api.ends_with("&scope=orders%3Aread&redirect_uri=http%3A%2F%2Flocalhost%2F&resource=https%3A%2F%2Fapi.test%2F"));
    }

    #[test]
    fn parses_a_standard_response() {
        let t = parse_token_response(200, r#"{"access_token":"at","token_type":"bearer","expires_in":3600,"refresh_token":"rt","id_token":"it","scope":"openid"}"#, SENT).unwrap();
        assert_eq!(t.access_token.expose(), "at");
        assert_eq!(t.expires_at_ms, Some(SENT + 3_600_000));
        assert_eq!(t.refresh_token.as_ref().map(Secret::expose), Some("rt"));
        assert_eq!(t.id_token.as_ref().map(Secret::expose), Some("it"));
        assert_eq!(t.scope.as_deref(), Some("openid"));
        assert_eq!(t.token_type, "Bearer");
    }

    /// The exact shape of Azure AD B2C's documented answer.
    #[test]
    fn parses_b2c_strings_for_numbers() {
        let t = parse_token_response(200, r#"{"not_before":"1442340812","token_type":"Bearer","access_token":"eyJ0","scope":"90c0fe63-bcf2-44d5-8fb7-b8bbc0b29dc6 offline_access","expires_in":"3600","refresh_token":"AAQf"}"#, SENT).unwrap();
        assert_eq!(t.expires_at_ms, Some(SENT + 3_600_000));
        assert_eq!(t.not_before_ms, Some(1_442_340_812_000));
    }

    #[test]
    fn missing_expires_in_means_unknown_expiry() {
        let t = parse_token_response(200, r#"{"access_token":"at","token_type":"Bearer"}"#, SENT).unwrap();
        assert_eq!(t.expires_at_ms, None);
    }

    #[test]
    fn oauth_errors_keep_their_code_and_status() {
        let e = parse_token_response(
            400,
            r#"{"error":"invalid_grant","error_description":"AADB2C90080: The provided grant has expired."}"#,
            SENT,
        )
        .unwrap_err();
        assert_eq!((e.code.as_str(), e.status), ("invalid_grant", Some(400)));
        assert_eq!(e.description.as_deref(), Some("AADB2C90080: The provided grant has expired."));
        let e = parse_token_response(200, r#"{"error":"access_denied"}"#, SENT).unwrap_err();
        assert_eq!(e.code, "access_denied");
    }

    #[test]
    fn http_failures_without_an_oauth_body() {
        for (status, body) in
            [(400, ""), (401, "Unauthorized"), (500, "{}"), (503, "<html>busy</html>"), (502, r#"{"error":42}"#)]
        {
            let e = parse_token_response(status, body, SENT).unwrap_err();
            assert_eq!((e.code.as_str(), e.status), ("http_error", Some(status)), "{body}");
        }
    }

    #[test]
    fn bodies_over_a_megabyte_are_refused() {
        let ok = r#"{"access_token":"at","token_type":"Bearer"}"#;
        assert!(parse_token_response(200, &padded(ok, Json::MAX_BODY_LEN), SENT).is_ok());
        let e = parse_token_response(200, &padded(ok, Json::MAX_BODY_LEN + 1), SENT).unwrap_err();
        assert_eq!((e.code.as_str(), e.status), ("invalid_token_response", Some(200)));
        assert!(e.message.contains("too large"), "{}", e.message);
        let e = parse_token_response(502, &padded(r#"{"error":"x"}"#, Json::MAX_BODY_LEN + 1), SENT).unwrap_err();
        assert_eq!((e.code.as_str(), e.status), ("http_error", Some(502)));
    }

    #[test]
    fn extreme_clocks_and_times_do_not_overflow() {
        let body =
            |nb: i64| format!(r#"{{"access_token":"at","token_type":"Bearer","expires_in":3600,"not_before":{nb}}}"#);
        let t = parse_token_response(200, &body(i64::MAX / 1000 + 1), i64::MAX).unwrap();
        assert_eq!((t.expires_at_ms, t.not_before_ms), (Some(i64::MAX), Some(i64::MAX)));
        let e = parse_token_response(200, &body(i64::MAX), i64::MAX).unwrap_err();
        assert_eq!(e.code, "invalid_token_response");
        let e = parse_token_response(200, &body(0), i64::MIN).unwrap_err();
        assert_eq!(e.code, "invalid_token_response");
        let e = parse_token_response(200, &body(i64::MIN), SENT).unwrap_err();
        assert_eq!(e.code, "invalid_token_response");
    }

    #[test]
    fn rejects_malformed_success_responses() {
        for body in [
            "",
            "not json",
            "[]",
            r#""at""#,
            r#"{"token_type":"Bearer"}"#,
            r#"{"access_token":"","token_type":"Bearer"}"#,
            r#"{"access_token":42,"token_type":"Bearer"}"#,
            r#"{"access_token":"at"}"#,
            r#"{"access_token":"at","token_type":"mac"}"#,
            r#"{"access_token":"at","token_type":"Bearer","expires_in":-1}"#,
            r#"{"access_token":"at","token_type":"Bearer","expires_in":0}"#,
            r#"{"access_token":"at","token_type":"Bearer","expires_in":"soon"}"#,
            r#"{"access_token":"at","token_type":"Bearer","expires_in":1e99}"#,
            r#"{"access_token":"at","token_type":"Bearer","expires_in":999999999999}"#,
            r#"{"access_token":"at","token_type":"Bearer","refresh_token":{}}"#,
            r#"{"access_token":"at","access_token":"other","token_type":"Bearer"}"#,
            r#"{"access_token":"at","token_type":"Bearer","not_before":1000000000000000}"#,
            r#"{"access_token":"at","token_type":"Bearer","not_before":-1}"#,
        ] {
            let e = parse_token_response(200, body, SENT).unwrap_err();
            assert_eq!(e.code, "invalid_token_response", "{body}");
            assert!(!e.message.contains("at\""), "no token in the message");
        }
    }
}
