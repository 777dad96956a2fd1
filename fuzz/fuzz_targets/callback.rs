//! The authorization response as it comes from `location.search` / `location.hash`:
//! form decoding, response parsing, and the clean-up of the URL.
//!
//! Input: the URL part (without `?`/`#`), as text.
//! Properties:
//! - `decode_pairs` → `encode_pairs` → `decode_pairs` gives the same pairs;
//! - a parsed response has a non-empty `state`, and a `Code` outcome a non-empty code;
//! - `strip_response_params` leaves no response parameter (raw key), is idempotent, keeps the
//!   other parameters verbatim and in order;
//! - when the client would handle the part (`looks_like_response`) and it parses, the code and
//!   the state are gone from the stripped part, even after decoding its keys.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spa_oauth::core::callback::{looks_like_response, parse_response, strip_response_params, Outcome, RESPONSE_PARAMS};
use spa_oauth::core::form::{decode_pairs, encode_pairs};

fuzz_target!(|data: &[u8]| {
    let Ok(part) = std::str::from_utf8(data) else { return };

    if let Ok(pairs) = decode_pairs(part) {
        let encoded = encode_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let again = decode_pairs(&encoded).expect("encode_pairs output must decode");
        assert_eq!(again, pairs, "form round trip of {part:?} via {encoded:?}");
    }

    let looks = looks_like_response(part);
    let parsed = parse_response(part);
    let stripped = strip_response_params(part);

    if let Ok(r) = &parsed {
        assert!(!r.state.is_empty(), "accepted an empty state: {part:?}");
        if let Outcome::Code(code) = &r.outcome {
            assert!(!code.expose().is_empty(), "accepted an empty code: {part:?}");
        }
    }

    // Stripping: no raw response key left, idempotent, the rest kept verbatim and in order.
    let kept: Vec<&str> = stripped.split('&').filter(|p| !p.is_empty()).collect();
    assert_eq!(kept.join("&"), stripped, "stripped part has empty segments: {stripped:?}");
    for p in &kept {
        let key = p.split('=').next().unwrap_or("");
        assert!(!RESPONSE_PARAMS.contains(&key), "{key:?} left in {stripped:?} (from {part:?})");
    }
    assert_eq!(strip_response_params(&stripped), stripped, "strip is not idempotent on {part:?}");
    let mut originals = part.split('&');
    for p in &kept {
        assert!(originals.any(|o| o == *p), "{p:?} is not an original parameter of {part:?} (or out of order)");
    }

    // What the client does (looks_like_response, then clean_url, then parse_response): the code
    // and the state must leave the URL, however their keys were encoded.
    if looks && parsed.is_ok() {
        if let Ok(rest) = decode_pairs(&stripped) {
            for (k, _) in &rest {
                assert!(k != "code" && k != "state", "decoded {k:?} survives stripping: {part:?} -> {stripped:?}");
            }
        }
    }
});
