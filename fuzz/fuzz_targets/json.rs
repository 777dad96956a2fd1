//! The JSON reader and writer, and the storage records read with them.
//!
//! Input: any text.
//! Properties:
//! - for any parsed value `v`, `Json::parse(&v.to_text()) == Some(v)`, and `to_text` is a
//!   fixed point after one round;
//! - `as_int_lenient` agrees with Rust's own integer parsing on what it accepts;
//! - `Transaction::from_json` and `TokenSet::from_json` never panic, and what they read
//!   survives their own `to_json` unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spa_oauth::core::json::Json;
use spa_oauth::core::token_set::TokenSet;
use spa_oauth::core::transaction::Transaction;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };

    if let Some(v) = Json::parse(text) {
        let written = v.to_text();
        let back = Json::parse(&written);
        assert_eq!(back.as_ref(), Some(&v), "{text:?} was written as {written:?}");
        assert_eq!(back.map(|b| b.to_text()).as_deref(), Some(written.as_str()));
        check_ints(&v);
    }

    if let Ok(t) = Transaction::from_json(text) {
        let record = t.to_json();
        assert_eq!(Transaction::from_json(&record).as_ref(), Ok(&t), "transaction record {record:?} from {text:?}");
    }
    if let Ok(t) = TokenSet::from_json(text) {
        let record = t.to_json();
        assert_eq!(TokenSet::from_json(&record).as_ref(), Ok(&t), "token record {record:?} from {text:?}");
    }
});

fn check_ints(v: &Json) {
    match v {
        Json::Number(n) | Json::String(n) => {
            if let Some(i) = v.as_int_lenient() {
                assert_eq!(n.parse::<i64>().ok(), Some(i), "as_int_lenient({n:?})");
            }
        }
        Json::Array(items) => items.iter().for_each(check_ints),
        Json::Object(members) => members.iter().for_each(|(_, m)| check_ints(m)),
        Json::Null | Json::Bool(_) => {}
    }
}
