//! The login transaction: what `loginRedirect()` must remember until the provider sends the
//! browser back (RFC 6749 §10.12 `state` binding, RFC 7636 §4.1 verifier), kept under a key
//! derived from its `state`, used once, and only for [`LIFETIME_MS`].

use core::fmt;

use super::error::{AuthError, ErrorKind, Result};
use super::json::Json;
use super::record::RecordWriter;
use super::secret::Secret;

/// A login must come back within 10 minutes (the lifetime of a code at most providers is
/// shorter still; RFC 6749 §4.1.2 recommends at most 10 minutes).
pub const LIFETIME_MS: i64 = 10 * 60 * 1000;

/// Storage format version of the record.
const VERSION: i64 = 1;

/// One pending login. `Debug` prints `state`, `verifier` and `nonce` as `***`: whoever reads
/// them can answer for this login (RFC 6749 §10.12, OIDC Core §15.5.2).
#[derive(Clone, PartialEq, Eq)]
pub struct Transaction {
    /// The `state` sent; the response must echo it.
    pub state: String,
    /// PKCE code verifier.
    pub verifier: Secret,
    /// The `redirect_uri` sent, which the token request must repeat (RFC 6749 §4.1.3).
    pub redirect_uri: String,
    /// The app's `appState`, as JSON text, handed back after the login.
    pub app_state: Option<String>,
    /// When the login started (ms since the epoch).
    pub created_at_ms: i64,
    /// Azure AD B2C: the policy of this login; its code must be redeemed with the same one.
    pub policy: Option<String>,
    /// OIDC Core §3.1.2.1 nonce sent with the login; the ID token must carry it.
    pub nonce: Option<String>,
}

impl fmt::Debug for Transaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transaction")
            .field("state", &format_args!("***"))
            .field("verifier", &self.verifier)
            .field("redirect_uri", &self.redirect_uri)
            .field("app_state", &self.app_state)
            .field("created_at_ms", &self.created_at_ms)
            .field("policy", &self.policy)
            .field("nonce", &self.nonce.as_ref().map(|_| format_args!("***")))
            .finish()
    }
}

impl Transaction {
    /// The storage record.
    pub fn to_json(&self) -> String {
        RecordWriter::new(VERSION as u32)
            .string("state", &self.state)
            .string("verifier", self.verifier.expose())
            .string("redirectUri", &self.redirect_uri)
            .int("createdAt", self.created_at_ms)
            .raw("appState", self.app_state.as_deref())
            .opt_string("policy", self.policy.as_deref())
            .opt_string("nonce", self.nonce.as_deref())
            .finish()
    }

    /// Reads a storage record back; a corrupted or foreign record is `state_mismatch` (the
    /// response cannot be matched to a login we started).
    pub fn from_json(text: &str) -> Result<Transaction> {
        let bad = || AuthError::new(ErrorKind::StateMismatch, "the stored login transaction is unreadable");
        let doc = Json::parse(text).ok_or_else(bad)?;
        if doc.get("v").and_then(Json::as_int_lenient) != Some(VERSION) {
            return Err(bad());
        }
        let text_of = |k: &str| doc.get(k).and_then(Json::as_str).map(str::to_owned).ok_or_else(bad);
        Ok(Transaction {
            state: text_of("state")?,
            verifier: Secret::new(text_of("verifier")?),
            redirect_uri: text_of("redirectUri")?,
            app_state: doc.get("appState").map(Json::to_text),
            created_at_ms: doc.get("createdAt").and_then(Json::as_int_lenient).ok_or_else(bad)?,
            policy: doc.get("policy").and_then(Json::as_str).map(str::to_owned),
            nonce: doc.get("nonce").and_then(Json::as_str).map(str::to_owned),
        })
    }

    /// Whether the login is too old to finish at `now_ms` (or was started in the future,
    /// which only a tampered record or a clock jump can produce).
    pub fn is_expired(&self, now_ms: i64) -> bool {
        let age = now_ms.saturating_sub(self.created_at_ms);
        !(-60_000..=LIFETIME_MS).contains(&age)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tx(app_state: Option<&str>) -> Transaction {
        Transaction {
            state: "st\"ate".into(),
            verifier: Secret::new("v".repeat(43)),
            redirect_uri: "http://localhost:8080/".into(),
            app_state: app_state.map(Into::into),
            created_at_ms: 1_700_000_000_000,
            policy: Some("B2C_1A_signin".into()),
            nonce: Some("n".into()),
        }
    }

    #[test]
    fn round_trips() {
        for app in [None, Some(r#"{"returnTo":"/orders?id=1","n":[1,2.5,null,true]}"#), Some("\"text\"")] {
            let t = tx(app);
            assert_eq!(Transaction::from_json(&t.to_json()).unwrap(), t);
        }
    }

    #[test]
    fn debug_hides_state_verifier_and_nonce() {
        let t = Transaction { state: "st-4f7a".into(), nonce: Some("no-9c2e".into()), ..tx(None) };
        let dbg = format!("{t:?}");
        assert!(!dbg.contains("st-4f7a") && !dbg.contains("vvvv") && !dbg.contains("no-9c2e"), "{dbg}");
        assert!(dbg.contains("B2C_1A_signin") && dbg.contains("nonce: Some(***)"), "{dbg}");
    }

    #[test]
    fn unreadable_records_are_state_mismatch() {
        for bad in [
            "",
            "{}",
            "null",
            r#"{"v":2,"state":"s","verifier":"v","redirectUri":"r","createdAt":1}"#,
            r#"{"v":1,"state":"s"}"#,
        ] {
            assert_eq!(Transaction::from_json(bad).unwrap_err().code, "state_mismatch", "{bad}");
        }
    }

    #[test]
    fn expires_after_ten_minutes() {
        let t = tx(None);
        assert!(!t.is_expired(t.created_at_ms));
        assert!(!t.is_expired(t.created_at_ms + LIFETIME_MS));
        assert!(t.is_expired(t.created_at_ms + LIFETIME_MS + 1));
        assert!(t.is_expired(t.created_at_ms - 3_600_000));
    }

    /// A tampered `createdAt` at either end of the range must read as expired, never as fresh:
    /// the age saturates instead of wrapping round into the accepted window.
    #[test]
    fn hostile_timestamps_are_expired() {
        const NOW: i64 = 1_700_000_000_000;
        for created_at_ms in [i64::MIN, i64::MIN + 1, -LIFETIME_MS, i64::MAX - LIFETIME_MS, i64::MAX] {
            assert!(Transaction { created_at_ms, ..tx(None) }.is_expired(NOW), "{created_at_ms}");
        }
        for now in [i64::MIN, i64::MAX] {
            assert!(tx(None).is_expired(now), "{now}");
        }
        let end_of_time = Transaction { created_at_ms: i64::MAX, ..tx(None) };
        assert!(!end_of_time.is_expired(i64::MAX));
        assert!(end_of_time.is_expired(i64::MIN));
    }
}
