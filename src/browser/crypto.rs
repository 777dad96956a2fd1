//! Entropy (`crypto.getRandomValues` through getrandom) and SHA-256 (SubtleCrypto).

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::core::error::{AuthError, ErrorKind, Result};
use crate::core::pkce::RANDOM_BYTES;

/// 32 bytes from the browser's CSPRNG.
pub fn random_bytes() -> Result<[u8; RANDOM_BYTES]> {
    let mut bytes = [0u8; RANDOM_BYTES];
    getrandom::fill(&mut bytes).map_err(|_| AuthError::new(ErrorKind::CryptoError, "crypto.getRandomValues failed"))?;
    Ok(bytes)
}

/// SHA-256 of `data` with SubtleCrypto, which exists only in secure contexts (https or localhost).
pub async fn sha256(data: &[u8]) -> Result<Vec<u8>> {
    let unavailable = || {
        AuthError::new(ErrorKind::CryptoError, "SubtleCrypto is unavailable: serve the page over https (or localhost)")
    };
    let subtle = js_sys::global()
        .dyn_into::<web_sys::Window>()
        .ok()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.subtle())
        .filter(|s| !s.is_undefined())
        .ok_or_else(unavailable)?;
    let promise = subtle.digest_with_str_and_u8_array("SHA-256", data).map_err(|_| unavailable())?;
    let digest =
        JsFuture::from(promise).await.map_err(|_| AuthError::new(ErrorKind::CryptoError, "SHA-256 digest failed"))?;
    Ok(js_sys::Uint8Array::new(&digest).to_vec())
}
