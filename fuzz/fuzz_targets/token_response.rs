//! Token endpoint answers (RFC 6749 §5.1/§5.2, Azure AD B2C's strings-for-numbers).
//!
//! Input: text `STATUS[ SENT_AT_MS]\nBODY`. STATUS is a decimal u16 (200 when it does not
//! parse); SENT_AT_MS is when the request was sent, folded into 0 ..= 4102444800000 (up to the
//! year 2100, what `Date.now()` can give); without a first line the whole input is a body
//! answered with 200 at a fixed time.
//! Properties:
//! - every error carries the HTTP status;
//! - success only for 2xx, with a non-empty access token, `token_type` "Bearer", an expiry in
//!   1 s ..= 10 years after `sent_at`;
//! - a token set survives its storage record: `TokenSet::from_json(to_json(t)) == t`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spa_oauth::core::token::parse_token_response;
use spa_oauth::core::token_set::TokenSet;

const SENT_DEFAULT: i64 = 1_700_000_000_000;
const SENT_MAX: i64 = 4_102_444_800_000;
const TEN_YEARS_S: i64 = 10 * 365 * 24 * 3600;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (status, sent_at, body) = match text.split_once('\n') {
        Some((head, body)) => {
            let mut words = head.split(' ');
            let status = words.next().and_then(|s| s.trim().parse::<u16>().ok()).unwrap_or(200);
            let sent_at = words
                .next()
                .and_then(|s| s.trim().parse::<i64>().ok())
                .map_or(SENT_DEFAULT, |t| t.rem_euclid(SENT_MAX + 1));
            (status, sent_at, body)
        }
        None => (200, SENT_DEFAULT, text),
    };

    match parse_token_response(status, body, sent_at) {
        Err(e) => {
            assert_eq!(e.status, Some(status), "error without the status: {e:?}");
            assert!(!e.code.is_empty(), "error without a code: {e:?}");
        }
        Ok(t) => {
            assert!((200..300).contains(&status), "success for HTTP {status}: {body:?}");
            assert!(!t.access_token.expose().is_empty(), "empty access token accepted: {body:?}");
            assert_eq!(t.token_type, "Bearer");
            if let Some(exp) = t.expires_at_ms {
                assert!(
                    (sent_at + 1000..=sent_at + TEN_YEARS_S * 1000).contains(&exp),
                    "expiry {exp} out of range for sent_at {sent_at}: {body:?}"
                );
            }
            let record = t.to_json();
            match TokenSet::from_json(&record) {
                Ok(back) => assert_eq!(back, t, "storage record {record:?} does not round-trip (body {body:?})"),
                Err(e) => panic!("storage record {record:?} unreadable: {e:?} (body {body:?})"),
            }
        }
    }
});
