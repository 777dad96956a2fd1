//! JWS signature verification with WebCrypto (RFC 7515 §5.2 with the RFC 7518 §3 algorithms).

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::CryptoKey;

use super::set_property;
use crate::core::error::{AuthError, ErrorKind, Result};
use crate::core::jwt::{Alg, Jws};

fn object(pairs: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        set_property(&o, k, v);
    }
    o
}

/// Verifies `jws`'s signature with the JWK `jwk_json`. A bad signature and a key WebCrypto
/// refuses are both `invalid_id_token`: either way the token is not to be trusted.
pub async fn verify(jws: &Jws<'_>, jwk_json: &str) -> Result<()> {
    let invalid = |what: &str| AuthError::new(ErrorKind::InvalidIdToken, ["ID token: ", what].concat());
    let subtle = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.subtle())
        .ok_or_else(|| AuthError::new(ErrorKind::CryptoError, "SubtleCrypto is unavailable"))?;
    let alg = jws.alg;
    let hash = object(&[("name", alg.hash().into())]);
    let mut import = vec![("name", JsValue::from_str(alg.webcrypto_name())), ("hash", hash.clone().into())];
    if let Some(curve) = alg.curve() {
        import.push(("namedCurve", curve.into()));
    }
    let jwk: Object = js_sys::JSON::parse(jwk_json).map_err(|_| invalid("unreadable key"))?.unchecked_into();
    // The JWK's own `alg`/`use`/`key_ops` were checked when the key was chosen; WebCrypto
    // refuses a JWK whose `alg` names another hash, so keep only what it needs.
    for member in ["alg", "use", "key_ops", "x5c", "x5t", "x5t#S256", "kid"] {
        let _ = Reflect::delete_property(&jwk, &JsValue::from_str(member));
    }
    let usages = Array::of1(&"verify".into());
    let key = subtle
        .import_key_with_object("jwk", &jwk, &object(&import), false, &usages)
        .map_err(|_| invalid("the key cannot be imported"))?;
    let key: CryptoKey = JsFuture::from(key).await.map_err(|_| invalid("the key cannot be imported"))?.unchecked_into();
    let params = match alg {
        Alg::Rs(_) => object(&[("name", alg.webcrypto_name().into())]),
        Alg::Ps(_) => object(&[("name", alg.webcrypto_name().into()), ("saltLength", alg.pss_salt_len().into())]),
        Alg::Es(_) => object(&[("name", alg.webcrypto_name().into()), ("hash", hash.into())]),
    };
    let verified = subtle
        .verify_with_object_and_u8_array_and_u8_array(&params, &key, &jws.signature, jws.signing_input.as_bytes())
        .map_err(|_| invalid("the signature cannot be checked"))?;
    let ok = JsFuture::from(verified).await.map_err(|_| invalid("the signature cannot be checked"))?;
    if ok.as_bool() == Some(true) {
        Ok(())
    } else {
        Err(invalid("bad signature"))
    }
}
