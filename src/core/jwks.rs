//! Choosing the verification key from a JWK Set (RFC 7517 §5) for a JWS header.

use super::error::{AuthError, ErrorKind, Result};
use super::json::Json;
use super::jwt::Alg;

/// What a key lookup found.
#[derive(Debug, PartialEq, Eq)]
pub enum KeyMatch {
    /// The JWK (as JSON text) to import and verify with.
    Found(String),
    /// No key has the token's `kid`: the provider may have rotated keys, fetch the set again.
    UnknownKid,
}

/// Largest JWK Set we read. A set holds a handful of public keys of well under 1 KB each (a few
/// KB with an `x5c` certificate chain): real sets weigh from 1 KB to some tens of KB. A quarter
/// of [`Json::MAX_BODY_LEN`] leaves ample room for those while bounding the parse of a document
/// that is fetched again whenever a token names an unknown `kid`.
const MAX_JWKS_LEN: usize = 256 * 1024;

/// Picks the key for `alg` and `kid`. A key must have the algorithm's `kty` (and `crv`), and
/// when it says so, `use: sig` (RFC 7517 §4.2), `key_ops` with `verify` (§4.3) and the same `alg`
/// (§4.4). Without a `kid`, exactly one key may match.
pub fn select_key(jwks: &str, alg: Alg, kid: Option<&str>) -> Result<KeyMatch> {
    let bad = |what: &str| AuthError::new(ErrorKind::InvalidIdToken, ["JWKS: ", what].concat());
    let doc = Json::parse_body(jwks, MAX_JWKS_LEN, &bad, "not a JSON object")?;
    let Some(Json::Array(keys)) = doc.get("keys") else { return Err(bad("no keys array")) };
    let text = |k: &Json, name: &str| k.get(name).and_then(Json::as_str).map(str::to_owned);
    // An optional member, when present, must be a string that passes `ok`.
    let optional = |k: &Json, name: &str, ok: &dyn Fn(&str) -> bool| match k.get(name) {
        None => true,
        Some(Json::String(s)) => ok(s),
        Some(_) => false,
    };
    let fits = |k: &&Json| {
        text(k, "kty").as_deref() == Some(alg.kty())
            && optional(k, "use", &|u| u == "sig")
            && may_verify(k)
            && optional(k, "alg", &|a| Alg::parse(a) == Some(alg))
            && alg.curve().is_none_or(|crv| text(k, "crv").as_deref() == Some(crv))
    };
    let candidates: Vec<&Json> = match kid {
        Some(kid) => keys.iter().filter(|k| text(k, "kid").as_deref() == Some(kid)).collect(),
        None => keys.iter().filter(fits).collect(),
    };
    match candidates.as_slice() {
        [] if kid.is_some() => Ok(KeyMatch::UnknownKid),
        [] => Err(bad(&["no key for ", alg.kty()].concat())),
        [key] if fits(key) => Ok(KeyMatch::Found(key.to_text())),
        [_] => Err(bad("the key named by kid does not fit the token's alg")),
        _ => Err(bad("several keys fit and the token names none (kid)")),
    }
}

/// RFC 7517 §4.3: a key with `key_ops` may verify signatures only when they include `verify`.
fn may_verify(key: &Json) -> bool {
    match key.get("key_ops") {
        None => true,
        Some(Json::Array(ops)) => ops.iter().any(|op| op.as_str() == Some("verify")),
        Some(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json::padded;

    const SET: &str = r#"{"keys":[
        {"kty":"RSA","kid":"r1","use":"sig","alg":"RS256","n":"AQAB","e":"AQAB"},
        {"kty":"RSA","kid":"enc","use":"enc","n":"AQAB","e":"AQAB"},
        {"kty":"EC","kid":"e1","crv":"P-256","x":"AA","y":"AA"},
        {"kty":"EC","kid":"odd-use","crv":"P-256","use":["sig"]},
        {"kty":"EC","kid":"odd-alg","crv":"P-256","alg":256},
        {"kty":"RSA","kid":"ops","key_ops":["encrypt","verify"],"n":"AQAB","e":"AQAB"},
        {"kty":"RSA","kid":"no-verify","key_ops":["encrypt","wrapKey"],"n":"AQAB","e":"AQAB"},
        {"kty":"RSA","kid":"no-ops","key_ops":[],"n":"AQAB","e":"AQAB"},
        {"kty":"RSA","kid":"odd-ops","key_ops":"verify","n":"AQAB","e":"AQAB"}
    ]}"#;

    fn found(m: KeyMatch) -> Json {
        match m {
            KeyMatch::Found(text) => Json::parse(&text).unwrap(),
            KeyMatch::UnknownKid => panic!("unknown kid"),
        }
    }

    #[test]
    fn sets_over_256_kib_are_refused() {
        assert!(select_key(&padded(SET, MAX_JWKS_LEN), Alg::Rs(256), Some("r1")).is_ok());
        let e = select_key(&padded(SET, MAX_JWKS_LEN + 1), Alg::Rs(256), Some("r1")).unwrap_err();
        assert_eq!(e.code, "invalid_id_token");
        assert!(e.message.contains("too large"), "{}", e.message);
    }

    #[test]
    fn picks_by_kid() {
        let key = found(select_key(SET, Alg::Rs(256), Some("r1")).unwrap());
        assert_eq!(key.get("kid").and_then(Json::as_str), Some("r1"));
        let key = found(select_key(SET, Alg::Es(256), Some("e1")).unwrap());
        assert_eq!(key.get("crv").and_then(Json::as_str), Some("P-256"));
    }

    #[test]
    fn an_unknown_kid_asks_for_a_refetch() {
        assert_eq!(select_key(SET, Alg::Rs(256), Some("new")).unwrap(), KeyMatch::UnknownKid);
    }

    #[test]
    fn a_key_must_fit_the_algorithm() {
        for (alg, kid) in [
            (Alg::Es(256), "r1"),
            (Alg::Ps(256), "r1"),
            (Alg::Rs(256), "enc"),
            (Alg::Es(384), "e1"),
            (Alg::Es(256), "odd-use"),
            (Alg::Es(256), "odd-alg"),
            (Alg::Rs(256), "no-verify"),
            (Alg::Rs(256), "no-ops"),
            (Alg::Rs(256), "odd-ops"),
        ] {
            assert_eq!(select_key(SET, alg, Some(kid)).unwrap_err().code, "invalid_id_token", "{alg:?} {kid}");
        }
    }

    #[test]
    fn key_ops_must_allow_verify() {
        let key = found(select_key(SET, Alg::Rs(256), Some("ops")).unwrap());
        assert_eq!(key.get("kid").and_then(Json::as_str), Some("ops"));
        // Without a kid, keys that may not verify are passed over like keys of another type.
        let set =
            r#"{"keys":[{"kty":"RSA","kid":"a","key_ops":["sign"]},{"kty":"RSA","kid":"b","key_ops":["verify"]}]}"#;
        let key = found(select_key(set, Alg::Rs(256), None).unwrap());
        assert_eq!(key.get("kid").and_then(Json::as_str), Some("b"));
        let none = r#"{"keys":[{"kty":"RSA","key_ops":["encrypt"]},{"kty":"RSA","use":"enc"}]}"#;
        assert_eq!(select_key(none, Alg::Rs(256), None).unwrap_err().code, "invalid_id_token");
    }

    #[test]
    fn without_kid_exactly_one_key_may_fit() {
        let key = found(select_key(SET, Alg::Es(256), None).unwrap());
        assert_eq!(key.get("kid").and_then(Json::as_str), Some("e1"));
        let two = r#"{"keys":[{"kty":"EC","crv":"P-256"},{"kty":"EC","crv":"P-256"}]}"#;
        assert!(select_key(two, Alg::Es(256), None).is_err());
        assert!(select_key(r#"{"keys":[]}"#, Alg::Es(256), None).is_err());
        assert!(select_key("{}", Alg::Es(256), None).is_err());
    }
}
