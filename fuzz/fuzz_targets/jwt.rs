//! ID tokens: JWS compact parsing, key choice from a JWK Set, claim validation (OIDC Core
//! §3.1.3.7 and §12.2), and base64url.
//!
//! Input, two forms:
//! - no `\n`: the token text itself (`header.payload.signature`);
//! - with `\n`: `HEADER_JSON\nPAYLOAD_JSON\nSIGNATURE_BYTES`, each base64url-encoded here and
//!   joined with `.`, so that libFuzzer can work on the JSON rather than on its base64url.
//!
//! Properties:
//! - base64url: `decode(encode(x)) == x` for the raw input; whatever `decode` accepts,
//!   `encode` gives back exactly (canonical input only);
//! - a parsed JWS: `signing_input` is the token up to its last `.`, the signature is the last
//!   part decoded, the claims are an object;
//! - a key chosen from a JWK Set fits the algorithm (kty, crv, use, alg) and the kid; the same
//!   with the claims used as a (hostile) JWK Set;
//! - `validate` accepts only what an independent reading of §3.1.3.7 accepts;
//!   `validate_refreshed` only when iss, sub and aud are unchanged; neither panics at extreme
//!   clocks.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spa_oauth::core::base64url::{decode, encode};
use spa_oauth::core::id_token::{validate, validate_refreshed, Expected};
use spa_oauth::core::json::Json;
use spa_oauth::core::jwks::{select_key, KeyMatch};
use spa_oauth::core::jwt::{parse, Alg};

const JWKS: &str = r#"{"keys":[
 {"kty":"RSA","use":"sig","kid":"r1","alg":"RS256","e":"AQAB","n":"sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw"},
 {"kty":"RSA","use":"sig","kid":"ps","alg":"PS256","e":"AQAB","n":"AQAB"},
 {"kty":"RSA","use":"enc","kid":"enc","e":"AQAB","n":"AQAB"},
 {"kty":"EC","use":"sig","kid":"e1","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"},
 {"kty":"EC","kid":"e3","crv":"P-384","x":"AA","y":"AA"},
 {"kty":"EC","crv":"P-521","x":"AA","y":"AA"},
 {"kty":"oct","kid":"h","k":"c2VjcmV0"}
]}"#;

const ISSUER: &str = "https://op.example.com";
const CLIENT: &str = "spa";
const NONCE: &str = "n-0S6_WzA2Mj";
const NOW: i64 = 1_800_000_000;
const SKEW: i64 = 300;

const PREVIOUS: &str = r#"{"iss":"https://op.example.com","sub":"alice","aud":"spa","exp":1800000600,"iat":1799999990,"nonce":"n-0S6_WzA2Mj"}"#;

fuzz_target!(|data: &[u8]| {
    // base64url, on the raw bytes.
    let text = encode(data);
    assert_eq!(decode(&text).as_deref(), Some(data), "decode(encode(x)) != x for {data:?}");
    assert_eq!(text.len(), (data.len() * 4).div_ceil(3), "unpadded length of {data:?}");

    let token: String = match data.iter().position(|&b| b == b'\n') {
        Some(i) => {
            let (header, rest) = data.split_at(i);
            let rest = &rest[1..];
            let (payload, signature) = match rest.iter().position(|&b| b == b'\n') {
                Some(j) => (&rest[..j], &rest[j + 1..]),
                None => (rest, &b"sig"[..]),
            };
            format!("{}.{}.{}", encode(header), encode(payload), encode(signature))
        }
        None => match std::str::from_utf8(data) {
            Ok(t) => t.to_owned(),
            Err(_) => return,
        },
    };

    // Canonical base64url only: what decodes re-encodes to the same text.
    for part in token.split('.') {
        if let Some(bytes) = decode(part) {
            assert_eq!(encode(&bytes), part, "non-canonical base64url accepted");
        }
    }

    let Ok(jws) = parse(&token) else { return };
    let (before_sig, sig_part) = token.rsplit_once('.').expect("a parsed JWS has dots");
    assert_eq!(jws.signing_input, before_sig);
    assert_eq!(encode(&jws.signature), sig_part);
    assert!(!jws.signature.is_empty());
    assert!(matches!(jws.claims, Json::Object(_)), "claims are not an object");

    let kid = jws.kid.as_deref();
    for (set, which) in [(JWKS.to_owned(), "fixed JWKS"), (jws.claims.to_text(), "claims as JWKS")] {
        for k in [kid, None] {
            if let Ok(KeyMatch::Found(key)) = select_key(&set, jws.alg, k) {
                check_key(&key, jws.alg, k, which);
            }
        }
    }

    let expected = Expected { issuer: ISSUER, client_id: CLIENT, nonce: Some(NONCE), now_s: NOW, skew_s: SKEW };
    let verdict = validate(&jws.claims, &expected);
    let oracle = independent_validation(&jws.claims);
    if verdict.is_ok() {
        assert_eq!(oracle, Ok(()), "validate accepted claims it should refuse: {}", jws.claims.to_text());
    } else {
        assert!(oracle.is_err(), "validate refused good claims ({verdict:?}): {}", jws.claims.to_text());
    }
    // Extreme clocks and skews: no overflow panic.
    for (now_s, skew_s) in [(i64::MAX, i64::MAX), (i64::MIN, i64::MAX), (i64::MIN, i64::MIN), (0, i64::MIN), (NOW, 0)] {
        let _ = validate(&jws.claims, &Expected { issuer: ISSUER, client_id: CLIENT, nonce: None, now_s, skew_s });
    }

    let previous = Json::parse(PREVIOUS).expect("fixed claims parse");
    if validate_refreshed(&previous, &jws.claims).is_ok() {
        for claim in ["iss", "sub", "aud"] {
            assert_eq!(previous.get(claim), jws.claims.get(claim), "{claim} changed but the refresh was accepted");
        }
    }
    assert!(validate_refreshed(&jws.claims, &jws.claims).is_ok(), "a token is not its own refresh");
});

/// A key `select_key` returns must be one the token may be verified with.
fn check_key(key: &str, alg: Alg, kid: Option<&str>, which: &str) {
    let key = Json::parse(key).unwrap_or_else(|| panic!("{which}: the chosen key is not JSON: {key}"));
    let text = |name: &str| key.get(name).and_then(Json::as_str);
    assert_eq!(text("kty"), Some(alg.kty()), "{which}: wrong kty for {alg:?}: {}", key.to_text());
    if let Some(crv) = alg.curve() {
        assert_eq!(text("crv"), Some(crv), "{which}: wrong curve for {alg:?}: {}", key.to_text());
    }
    if let Some(u) = key.get("use") {
        assert_eq!(u.as_str(), Some("sig"), "{which}: key not for signatures: {}", key.to_text());
    }
    if let Some(a) = key.get("alg") {
        assert_eq!(a.as_str().and_then(Alg::parse), Some(alg), "{which}: key for another alg: {}", key.to_text());
    }
    if let Some(kid) = kid {
        assert_eq!(text("kid"), Some(kid), "{which}: key with another kid: {}", key.to_text());
    }
}

/// OIDC Core §3.1.3.7 (steps 2-5, 9, 10, 11) read independently of the library, with its
/// choices: times may be strings of digits (B2C), `nbf` is honoured, the skew applies both ways.
fn independent_validation(claims: &Json) -> Result<(), &'static str> {
    let text = |name: &str| claims.get(name).and_then(Json::as_str);
    let time = |name: &str| claims.get(name).and_then(Json::as_int_lenient).map(i128::from);
    let (now, skew) = (i128::from(NOW), i128::from(SKEW));
    if text("iss") != Some(ISSUER) {
        return Err("iss");
    }
    if text("sub").is_none_or(str::is_empty) {
        return Err("sub");
    }
    let audiences: Vec<&str> = match claims.get("aud") {
        Some(Json::String(a)) => vec![a],
        Some(Json::Array(items)) => items.iter().filter_map(Json::as_str).collect(),
        _ => return Err("aud"),
    };
    if !audiences.contains(&CLIENT) {
        return Err("aud");
    }
    match text("azp") {
        Some(azp) if azp != CLIENT => return Err("azp"),
        None if audiences.len() > 1 => return Err("azp"),
        _ => {}
    }
    if time("exp").is_none_or(|exp| exp + skew <= now) {
        return Err("exp");
    }
    if time("iat").is_none_or(|iat| iat > now + skew) {
        return Err("iat");
    }
    if claims.get("nbf").is_some() && time("nbf").is_none_or(|nbf| nbf > now + skew) {
        return Err("nbf");
    }
    if text("nonce") != Some(NONCE) {
        return Err("nonce");
    }
    Ok(())
}
