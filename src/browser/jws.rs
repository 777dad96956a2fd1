//! JWS signature verification with WebCrypto (RFC 7515 §5.2 with the RFC 7518 §3 algorithms).
//! The wasm chose the key and the algorithm's parameters; `verifySignature` in js/api.js
//! imports the key and checks the signature.

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::core::error::{AuthError, ErrorKind, Result};
use crate::core::jwt::Jws;

#[wasm_bindgen(module = "/js/api.js")]
extern "C" {
    /// Resolves with `'verified'`, `'unavailable'` (no SubtleCrypto) or why the signature does
    /// not hold; rejects when WebCrypto cannot check it.
    #[wasm_bindgen(js_name = verifySignature)]
    fn verify_signature(
        jwk: &str,
        name: &str,
        hash: &str,
        named_curve: Option<&str>,
        salt_length: u32,
        signature: &[u8],
        data: &[u8],
    ) -> Promise;
}

/// Verifies `jws`'s signature with the JWK `jwk_json`. A bad signature and a key WebCrypto
/// refuses are both `invalid_id_token`: either way the token is not to be trusted.
pub async fn verify(jws: &Jws<'_>, jwk_json: &str) -> Result<()> {
    let invalid = |what: &str| AuthError::new(ErrorKind::InvalidIdToken, ["ID token: ", what].concat());
    let alg = jws.alg;
    let checked = verify_signature(
        jwk_json,
        alg.webcrypto_name(),
        alg.hash(),
        alg.curve(),
        alg.pss_salt_len(),
        &jws.signature,
        jws.signing_input.as_bytes(),
    );
    let outcome = JsFuture::from(checked).await.map_err(|_| invalid("the signature cannot be checked"))?;
    match outcome.as_string().as_deref() {
        Some("verified") => Ok(()),
        Some("unavailable") => Err(AuthError::new(ErrorKind::CryptoError, "SubtleCrypto is unavailable")),
        Some(why) => Err(invalid(why)),
        None => Err(invalid("the signature cannot be checked")),
    }
}
