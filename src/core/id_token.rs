//! ID token claims validation (OpenID Connect Core 1.0 §3.1.3.7, and §12.2 after a refresh).
//! The signature is checked by the browser layer before these rules run.

use super::error::{AuthError, ErrorKind, Result};
use super::json::Json;

/// Default clock skew tolerated on `exp`, `iat` and `nbf`.
pub const DEFAULT_CLOCK_SKEW_S: i64 = 300;

/// What the ID token must say.
#[derive(Debug)]
pub struct Expected<'a> {
    /// The provider's issuer identifier (exact match, §3.1.3.7 step 2).
    pub issuer: &'a str,
    /// Our client id, which must be an audience (step 3).
    pub client_id: &'a str,
    /// The nonce sent with the login (§3.1.2.1); `None` on refresh.
    pub nonce: Option<&'a str>,
    /// Now, in seconds since the epoch.
    pub now_s: i64,
    /// Tolerated clock difference with the provider, in seconds.
    pub skew_s: i64,
}

fn invalid(what: &str) -> AuthError {
    AuthError::new(ErrorKind::InvalidIdToken, ["ID token: ", what].concat())
}

/// Checks `claims` against `expected`; the first failed rule is the error.
pub fn validate(claims: &Json, expected: &Expected<'_>) -> Result<()> {
    let text = |name: &str| claims.get(name).and_then(Json::as_str);
    let time = |name: &str| claims.get(name).and_then(Json::as_int_lenient);

    if text("iss") != Some(expected.issuer) {
        return Err(invalid("iss is not the expected issuer"));
    }
    if text("sub").is_none_or(str::is_empty) {
        return Err(invalid("no sub"));
    }
    let audiences: Vec<&str> = match claims.get("aud") {
        Some(Json::String(a)) => vec![a.as_str()],
        Some(Json::Array(items)) => items.iter().filter_map(Json::as_str).collect(),
        _ => return Err(invalid("no aud")),
    };
    if !audiences.contains(&expected.client_id) {
        return Err(invalid("aud does not contain this client"));
    }
    // Steps 4-5: with several audiences, the token must have been issued to us (azp).
    match text("azp") {
        Some(azp) if azp != expected.client_id => return Err(invalid("azp is another client")),
        None if audiences.len() > 1 => return Err(invalid("several audiences and no azp")),
        _ => {}
    }
    let exp = time("exp").ok_or_else(|| invalid("no exp"))?;
    if exp.saturating_add(expected.skew_s) <= expected.now_s {
        return Err(invalid("expired (exp)"));
    }
    let iat = time("iat").ok_or_else(|| invalid("no iat"))?;
    if iat > expected.now_s.saturating_add(expected.skew_s) {
        return Err(invalid("issued in the future (iat)"));
    }
    if time("nbf").is_some_and(|nbf| nbf > expected.now_s.saturating_add(expected.skew_s)) {
        return Err(invalid("not valid yet (nbf)"));
    }
    if claims.get("nbf").is_some() && time("nbf").is_none() {
        return Err(invalid("nbf is not a number"));
    }
    // Step 11: the nonce binds the token to this browser's login.
    if let Some(nonce) = expected.nonce {
        if text("nonce") != Some(nonce) {
            return Err(invalid("nonce does not match the login"));
        }
    }
    Ok(())
}

/// §12.2: an ID token from a refresh must be about the same user, from the same issuer, for
/// the same client as the one from the login.
pub fn validate_refreshed(previous: &Json, fresh: &Json) -> Result<()> {
    for claim in ["iss", "sub", "aud"] {
        if previous.get(claim) != fresh.get(claim) {
            return Err(invalid(&[claim, " changed on refresh"].concat()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    fn expected() -> Expected<'static> {
        Expected { issuer: "https://op.example.com", client_id: "spa", nonce: Some("n-0S6"), now_s: NOW, skew_s: 300 }
    }

    fn claims(edit: &str) -> Json {
        let base = format!(
            r#"{{"iss":"https://op.example.com","sub":"alice","aud":"spa","exp":{},"iat":{},"nonce":"n-0S6"{edit}}}"#,
            NOW + 600,
            NOW - 10
        );
        Json::parse(&base).unwrap()
    }

    fn with(replacements: &[(&str, &str)]) -> Json {
        let Json::Object(mut members) = claims("") else { unreachable!() };
        for (k, v) in replacements {
            members.retain(|(key, _)| key != k);
            if !v.is_empty() {
                members.push(((*k).into(), Json::parse(v).unwrap()));
            }
        }
        Json::Object(members)
    }

    #[test]
    fn accepts_a_good_token() {
        validate(&claims(""), &expected()).unwrap();
        validate(&with(&[("aud", r#"["spa","api"]"#), ("azp", r#""spa""#)]), &expected()).unwrap();
        validate(&with(&[("exp", &(NOW - 200).to_string())]), &expected()).unwrap();
    }

    #[test]
    fn every_rule_rejects() {
        let cases: [(&str, &[(&str, &str)]); 16] = [
            ("iss", &[("iss", r#""https://evil.example.com""#)]),
            ("iss missing", &[("iss", "")]),
            ("iss trailing slash", &[("iss", r#""https://op.example.com/""#)]),
            ("sub", &[("sub", "")]),
            ("sub empty", &[("sub", r#""""#)]),
            ("aud other", &[("aud", r#""other""#)]),
            ("aud missing", &[("aud", "")]),
            ("aud several no azp", &[("aud", r#"["spa","api"]"#)]),
            ("azp other", &[("azp", r#""other""#)]),
            ("exp past", &[("exp", &(NOW - 301).to_string())]),
            ("exp missing", &[("exp", "")]),
            ("iat future", &[("iat", &(NOW + 301).to_string())]),
            ("iat missing", &[("iat", "")]),
            ("nbf future", &[("nbf", &(NOW + 301).to_string())]),
            ("nonce", &[("nonce", r#""other""#)]),
            ("nonce missing", &[("nonce", "")]),
        ];
        for (name, edits) in cases {
            let e = validate(&with(edits), &expected()).unwrap_err();
            assert_eq!(e.code, "invalid_id_token", "{name}");
        }
    }

    /// Claims and clocks at either end of the range: the additions saturate, so an `exp` of
    /// `i64::MIN` is expired and an `iat` or `nbf` of `i64::MAX` is in the future.
    #[test]
    fn extreme_times_do_not_overflow() {
        let (min, max) = (i64::MIN.to_string(), i64::MAX.to_string());
        for edit in [("exp", &min), ("iat", &max), ("nbf", &max)] {
            assert_eq!(
                validate(&with(&[(edit.0, edit.1)]), &expected()).unwrap_err().code,
                "invalid_id_token",
                "{edit:?}"
            );
        }
        validate(&with(&[("exp", &max), ("iat", &min), ("nbf", &min)]), &expected()).unwrap();
        // A clock at the end of time has seen every token expire; one at its start, none issued.
        let end_of_time = Expected { now_s: i64::MAX, ..expected() };
        let e = validate(&with(&[("exp", &max), ("iat", &max)]), &end_of_time).unwrap_err();
        assert_eq!(e.message, "ID token: expired (exp)");
        let dawn_of_time = Expected { now_s: i64::MIN, ..expected() };
        let e = validate(&claims(""), &dawn_of_time).unwrap_err();
        assert_eq!(e.message, "ID token: issued in the future (iat)");
        validate(&with(&[("iat", &min)]), &dawn_of_time).unwrap();
    }

    #[test]
    fn refresh_keeps_the_same_user() {
        let before = claims("");
        validate_refreshed(&before, &with(&[("iat", &NOW.to_string()), ("nonce", "")])).unwrap();
        assert!(validate_refreshed(&before, &with(&[("sub", r#""mallory""#)])).is_err());
        assert!(validate_refreshed(&before, &with(&[("aud", r#""other""#)])).is_err());
    }
}
