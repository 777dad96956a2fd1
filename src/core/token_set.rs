//! The tokens of a session (RFC 6749 §5.1), their validity, and their storage record.

use super::apis::{ApiToken, TokenKey};
use super::error::{AuthError, ErrorKind, Result};
use super::json::Json;
use super::jwt;
use super::record::RecordWriter;
use super::secret::Secret;

/// Storage format version of the record.
const VERSION: i64 = 1;

/// What a successful token response gave us.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenSet {
    /// The access token.
    pub access_token: Secret,
    /// Always `Bearer` (the only type we accept).
    pub token_type: String,
    /// When the access token expires (ms since the epoch), counted from when the request was
    /// sent; `None` when the provider did not say.
    pub expires_at_ms: Option<i64>,
    /// Azure AD B2C `not_before` (ms since the epoch): not valid before then.
    pub not_before_ms: Option<i64>,
    /// The refresh token, when issued.
    pub refresh_token: Option<Secret>,
    /// The OpenID Connect ID token, when issued.
    pub id_token: Option<Secret>,
    /// Granted scope (RFC 6749 §3.3), when the provider said.
    pub scope: Option<String>,
    /// Azure AD B2C: the policy that issued the tokens; refreshes use it.
    pub policy: Option<String>,
    /// The access tokens minted for APIs with this session's refresh token (several APIs).
    pub apis: Vec<ApiToken>,
}

/// How far ahead of the device clock a `not_before` may be and the token still be used.
pub const NOT_BEFORE_SKEW_MS: i64 = 5 * 60 * 1000;

impl TokenSet {
    /// Whether the access token can be used at `now_ms`, with `margin_ms` to spare. A token of
    /// unknown lifetime is usable until the resource server says otherwise.
    pub fn is_usable_at(&self, now_ms: i64, margin_ms: i64) -> bool {
        let (from, until) = self.usable_window_ms(margin_ms);
        from.is_none_or(|f| now_ms >= f) && until.is_none_or(|u| now_ms < u)
    }

    /// When the access token is usable with `margin_ms` to spare: from (`None`: always had
    /// started) until (`None`: no known end), in ms since the epoch. The JS hot path of
    /// `getAccessToken()` compares `Date.now()` to these two numbers.
    pub fn usable_window_ms(&self, margin_ms: i64) -> (Option<i64>, Option<i64>) {
        (
            self.not_before_ms.map(|nb| nb.saturating_sub(NOT_BEFORE_SKEW_MS)),
            self.expires_at_ms.map(|exp| exp.saturating_sub(margin_ms)),
        )
    }

    /// Whether `not_before` (Azure AD B2C) has come, with 5 minutes of clock skew allowed.
    pub fn has_started_at(&self, now_ms: i64) -> bool {
        self.usable_window_ms(0).0.is_none_or(|from| now_ms >= from)
    }

    /// RFC 6749 §6 and OIDC Core §12.2: the session after a refresh answered `fresh`. A
    /// rotated refresh token replaces the old one; an answer without one keeps the old one, and
    /// likewise for the ID token and the granted scope.
    pub fn refreshed_by(self, fresh: TokenSet) -> TokenSet {
        TokenSet {
            refresh_token: fresh.refresh_token.or(self.refresh_token),
            id_token: fresh.id_token.or(self.id_token),
            scope: fresh.scope.or(self.scope),
            policy: self.policy,
            apis: self.apis,
            ..fresh
        }
    }

    /// The session after a grant for an API answered `fresh`: the same login tokens, the
    /// rotated refresh token when there is one, and `fresh`'s access token as `key`'s.
    pub fn with_api_token(mut self, key: TokenKey, fresh: &TokenSet) -> TokenSet {
        if let Some(rotated) = &fresh.refresh_token {
            self.refresh_token = Some(rotated.clone());
        }
        self.apis.retain(|t| t.key != key);
        self.apis.push(ApiToken::new(key, fresh));
        self
    }

    /// Whether both sets' ID tokens name the same user of the same issuer (`iss` and `sub`,
    /// OIDC Core §2); `false` when either has none.
    pub fn is_same_user(&self, other: &TokenSet) -> bool {
        let user = |t: &TokenSet| {
            let claims = jwt::parse(t.id_token.as_ref()?.expose()).ok()?.claims;
            let text = |k: &str| claims.get(k).and_then(Json::as_str).map(str::to_owned);
            Some((text("iss")?, text("sub")?))
        };
        user(self).is_some_and(|u| user(other) == Some(u))
    }

    /// The token cached for `key`.
    pub fn api_token(&self, key: &TokenKey) -> Option<&ApiToken> {
        self.apis.iter().find(|t| t.key == *key)
    }

    /// The storage record.
    pub fn to_json(&self) -> String {
        RecordWriter::new(VERSION as u32)
            .string("accessToken", self.access_token.expose())
            .string("tokenType", &self.token_type)
            .opt_int("expiresAt", self.expires_at_ms)
            .opt_int("notBefore", self.not_before_ms)
            .opt_string("refreshToken", self.refresh_token.as_ref().map(Secret::expose))
            .opt_string("idToken", self.id_token.as_ref().map(Secret::expose))
            .opt_string("scope", self.scope.as_deref())
            .opt_string("policy", self.policy.as_deref())
            .raw("apis", self.apis_json().as_deref())
            .finish()
    }

    /// The API tokens as a JSON array, `None` when there are none.
    fn apis_json(&self) -> Option<String> {
        let mut json = String::new();
        for token in &self.apis {
            json.push(if json.is_empty() { '[' } else { ',' });
            json.push_str(&token.to_json());
        }
        (!json.is_empty()).then(|| json + "]")
    }

    /// Reads a storage record back. A record we cannot read (corrupted, written by another
    /// version) is a `storage_error`; the caller clears it.
    pub fn from_json(text: &str) -> Result<TokenSet> {
        let bad = || AuthError::new(ErrorKind::StorageError, "the stored tokens are unreadable");
        let doc = Json::parse(text).ok_or_else(bad)?;
        if doc.get("v").and_then(Json::as_int_lenient) != Some(VERSION) {
            return Err(bad());
        }
        let text_of = |k: &str| doc.get(k).and_then(Json::as_str).map(str::to_owned);
        let int_of = |k: &str| doc.get(k).and_then(Json::as_int_lenient);
        Ok(TokenSet {
            access_token: Secret::new(text_of("accessToken").ok_or_else(bad)?),
            token_type: text_of("tokenType").ok_or_else(bad)?,
            expires_at_ms: int_of("expiresAt"),
            not_before_ms: int_of("notBefore"),
            refresh_token: text_of("refreshToken").map(Secret::new),
            id_token: text_of("idToken").map(Secret::new),
            scope: text_of("scope"),
            policy: text_of("policy"),
            apis: match doc.get("apis") {
                Some(Json::Array(items)) => items.iter().filter_map(ApiToken::from_json).collect(),
                _ => Vec::new(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> TokenSet {
        TokenSet {
            access_token: Secret::new("a\"t"),
            token_type: "Bearer".into(),
            expires_at_ms: Some(1_000_000),
            not_before_ms: None,
            refresh_token: Some(Secret::new("rt")),
            id_token: None,
            scope: Some("openid offline_access".into()),
            policy: Some("b2c_1_sign_in".into()),
            apis: Vec::new(),
        }
    }

    #[test]
    fn round_trips() {
        let s = set();
        assert_eq!(TokenSet::from_json(&s.to_json()).unwrap(), s);
    }

    #[test]
    fn api_tokens_round_trip_and_replace_their_own_key_only() {
        let orders = TokenKey::new(vec!["orders:read".into()], Some("https://orders.test".into()));
        let billing = TokenKey::new(vec!["billing".into(), "a".into()], None);
        let minted = |at: &str, rt: Option<&str>| TokenSet {
            access_token: Secret::new(at),
            refresh_token: rt.map(Secret::new),
            id_token: Some(Secret::new("unasked")),
            ..set()
        };
        let session = set()
            .with_api_token(orders.clone(), &minted("o1", Some("rt2")))
            .with_api_token(billing.clone(), &minted("b1", None));
        assert_eq!(session.refresh_token.as_ref().map(Secret::expose), Some("rt2"));
        assert_eq!(session.access_token.expose(), "a\"t", "the login's token stays");
        assert_eq!(session.api_token(&orders).map(|t| t.access.access_token.expose()), Some("o1"));
        assert_eq!(session.api_token(&billing).map(|t| t.access.access_token.expose()), Some("b1"));
        assert!(session.apis.iter().all(|t| t.access.refresh_token.is_none() && t.access.id_token.is_none()));
        let again = session.clone().with_api_token(orders.clone(), &minted("o2", None));
        assert_eq!(again.apis.len(), 2);
        assert_eq!(again.api_token(&orders).map(|t| t.access.access_token.expose()), Some("o2"));
        assert_eq!(TokenSet::from_json(&again.to_json()).unwrap(), again);
        let refreshed = again.clone().refreshed_by(TokenSet { access_token: Secret::new("login2"), ..set() });
        assert_eq!(refreshed.apis, again.apis, "a login refresh keeps the API tokens");
        let reordered = TokenKey::new(vec!["a".into(), "billing".into()], None);
        assert!(again.api_token(&reordered).is_some());
        assert!(again.api_token(&TokenKey::new(vec!["billing".into()], None)).is_none());
    }

    #[test]
    fn refresh_keeps_what_the_answer_leaves_out() {
        let old = TokenSet { id_token: Some(Secret::new("id")), ..set() };
        let rotated = TokenSet {
            access_token: Secret::new("at2"),
            refresh_token: Some(Secret::new("rt2")),
            scope: None,
            ..set()
        };
        let merged = old.clone().refreshed_by(rotated);
        assert_eq!(merged.access_token.expose(), "at2");
        assert_eq!(merged.refresh_token.as_ref().map(Secret::expose), Some("rt2"));
        assert_eq!(merged.id_token.as_ref().map(Secret::expose), Some("id"));
        assert_eq!(merged.scope.as_deref(), Some("openid offline_access"));
        let kept = old.refreshed_by(TokenSet { refresh_token: None, ..set() });
        assert_eq!(kept.refresh_token.as_ref().map(Secret::expose), Some("rt"));
    }

    #[test]
    fn usable_until_the_margin() {
        let s = set();
        assert!(s.is_usable_at(900_000, 60_000));
        assert!(!s.is_usable_at(940_000, 60_000));
        assert!(!s.is_usable_at(1_000_000, 0));
        let unknown = TokenSet { expires_at_ms: None, ..set() };
        assert!(unknown.is_usable_at(i64::MAX, 60_000));
    }

    #[test]
    fn not_before_is_respected_with_clock_skew() {
        let s = TokenSet { not_before_ms: Some(1_000_000), expires_at_ms: None, ..set() };
        assert!(!s.is_usable_at(1_000_000 - 5 * 60 * 1000 - 1, 0));
        assert!(s.is_usable_at(1_000_000 - 5 * 60 * 1000, 0));
    }

    #[test]
    fn the_usable_window_is_what_is_usable_at_decides() {
        let s = TokenSet { not_before_ms: Some(500_000), ..set() };
        // not_before 500 000 less 300 000 of skew; expiry 1 000 000 less the 60 000 margin.
        assert_eq!(s.usable_window_ms(60_000), (Some(200_000), Some(940_000)));
        for (now, usable) in [
            (i64::MIN, false),
            (0, false),
            (199_999, false),
            (200_000, true),
            (500_000, true),
            (939_999, true),
            (940_000, false),
            (1_000_000, false),
            (i64::MAX, false),
        ] {
            assert_eq!(s.is_usable_at(now, 60_000), usable, "{now}");
        }
        let unknown = TokenSet { expires_at_ms: None, not_before_ms: None, ..set() };
        assert_eq!(unknown.usable_window_ms(60_000), (None, None));
        assert!(unknown.is_usable_at(i64::MIN, 60_000) && unknown.is_usable_at(i64::MAX, 60_000));
    }

    /// Stored times at either end of the range: an impossible expiry reads as expired, an
    /// impossible `not_before` as not started; nothing wraps round into the usable window.
    #[test]
    fn extreme_stored_times_do_not_overflow() {
        const NOW: i64 = 1_700_000_000_000;
        let at = |expires_at_ms, not_before_ms| TokenSet { expires_at_ms, not_before_ms, ..set() };
        assert!(!at(Some(i64::MIN), None).is_usable_at(NOW, 60_000));
        assert!(!at(None, Some(i64::MAX)).is_usable_at(NOW, 60_000));
        assert!(!at(None, Some(i64::MAX)).has_started_at(NOW));
        assert!(at(None, Some(i64::MIN)).has_started_at(i64::MIN));
        assert!(at(Some(i64::MAX), None).is_usable_at(i64::MAX - 60_001, 60_000));
        assert!(!at(Some(i64::MAX), None).is_usable_at(i64::MAX - 60_000, 60_000));
        assert_eq!(at(Some(i64::MIN), Some(i64::MIN)).usable_window_ms(i64::MAX), (Some(i64::MIN), Some(i64::MIN)));
        assert_eq!(
            at(Some(i64::MAX), Some(i64::MAX)).usable_window_ms(i64::MIN),
            (Some(i64::MAX - NOT_BEFORE_SKEW_MS), Some(i64::MAX))
        );
    }

    #[test]
    fn debug_hides_tokens() {
        let dbg = format!("{:?}", set());
        assert!(!dbg.contains("a\\\"t") && !dbg.contains("\"rt\""));
    }

    #[test]
    fn unreadable_records_are_storage_errors() {
        for bad in ["{", "{\"v\":99,\"accessToken\":\"a\",\"tokenType\":\"Bearer\"}", "{\"v\":1}"] {
            assert_eq!(TokenSet::from_json(bad).unwrap_err().code, "storage_error");
        }
    }
}
