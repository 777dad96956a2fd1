//! Entropy (`crypto.getRandomValues` through getrandom) and SHA-256 (SubtleCrypto, through
//! `sha256` in js/api.js).

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::core::error::{AuthError, ErrorKind, Result};
use crate::core::pkce::RANDOM_BYTES;

#[wasm_bindgen(module = "/js/api.js")]
extern "C" {
    /// Resolves with the digest's bytes, or `undefined` without SubtleCrypto.
    #[wasm_bindgen(js_name = sha256)]
    fn subtle_sha256(data: &[u8]) -> Promise;
}

/// 32 bytes from the browser's CSPRNG.
pub fn random_bytes() -> Result<[u8; RANDOM_BYTES]> {
    let mut bytes = [0u8; RANDOM_BYTES];
    getrandom::fill(&mut bytes).map_err(|_| AuthError::new(ErrorKind::CryptoError, "crypto.getRandomValues failed"))?;
    Ok(bytes)
}

/// SHA-256 of `data` with SubtleCrypto, which exists only in secure contexts (https or localhost).
pub async fn sha256(data: &[u8]) -> Result<Vec<u8>> {
    let failed = |why: &str| AuthError::new(ErrorKind::CryptoError, why.to_owned());
    let digest = JsFuture::from(subtle_sha256(data)).await.map_err(|_| failed("SHA-256 digest failed"))?;
    if digest.is_undefined() {
        return Err(failed("SubtleCrypto is unavailable: serve the page over https (or localhost)"));
    }
    Ok(Uint8Array::new(&digest).to_vec())
}
