//! JWS compact serialization (RFC 7515 §7.1) of ID tokens: split, decode, and the signature
//! algorithms we accept (RFC 7518 §3), each mapped to its WebCrypto parameters.
//!
//! `none` and the HMAC family are refused outright: `none` is unsigned, and an HS* signature
//! made with a public client's (public) secret proves nothing (OIDC Core §10.1).

use super::base64url;
use super::error::{AuthError, ErrorKind, Result};
use super::json::Json;

/// Largest ID token we parse.
const MAX_TOKEN_LEN: usize = 64 * 1024;

/// A signature algorithm we verify.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alg {
    /// RSASSA-PKCS1-v1_5 with SHA-256/384/512.
    Rs(u16),
    /// RSASSA-PSS with SHA-256/384/512 (salt length = hash length, RFC 7518 §3.5).
    Ps(u16),
    /// ECDSA on P-256/P-384/P-521 with SHA-256/384/512.
    Es(u16),
}

impl Alg {
    /// Parses a JWS `alg`; `None` for anything we do not verify.
    pub fn parse(alg: &str) -> Option<Alg> {
        Some(match alg {
            "RS256" => Alg::Rs(256),
            "RS384" => Alg::Rs(384),
            "RS512" => Alg::Rs(512),
            "PS256" => Alg::Ps(256),
            "PS384" => Alg::Ps(384),
            "PS512" => Alg::Ps(512),
            "ES256" => Alg::Es(256),
            "ES384" => Alg::Es(384),
            "ES512" => Alg::Es(512),
            _ => return None,
        })
    }

    /// The JWK `kty` of its keys.
    pub fn kty(self) -> &'static str {
        match self {
            Alg::Rs(_) | Alg::Ps(_) => "RSA",
            Alg::Es(_) => "EC",
        }
    }

    /// The JWK `crv` an EC key must have (RFC 7518 §3.4).
    pub fn curve(self) -> Option<&'static str> {
        match self {
            Alg::Es(256) => Some("P-256"),
            Alg::Es(384) => Some("P-384"),
            Alg::Es(_) => Some("P-521"),
            _ => None,
        }
    }

    /// WebCrypto algorithm name.
    pub fn webcrypto_name(self) -> &'static str {
        match self {
            Alg::Rs(_) => "RSASSA-PKCS1-v1_5",
            Alg::Ps(_) => "RSA-PSS",
            Alg::Es(_) => "ECDSA",
        }
    }

    /// WebCrypto hash name.
    pub fn hash(self) -> &'static str {
        match self {
            Alg::Rs(256) | Alg::Ps(256) | Alg::Es(256) => "SHA-256",
            Alg::Rs(384) | Alg::Ps(384) | Alg::Es(384) => "SHA-384",
            _ => "SHA-512",
        }
    }

    /// RSA-PSS salt length in bytes: the hash length.
    pub fn pss_salt_len(self) -> u32 {
        match self {
            Alg::Ps(bits) | Alg::Rs(bits) | Alg::Es(bits) => u32::from(bits) / 8,
        }
    }
}

/// A parsed, not yet verified, JWS.
#[derive(Debug)]
pub struct Jws<'a> {
    /// The verified-to-be algorithm.
    pub alg: Alg,
    /// Key id from the header.
    pub kid: Option<String>,
    /// `BASE64URL(header) || '.' || BASE64URL(payload)`: what the signature covers.
    pub signing_input: &'a str,
    /// The signature bytes.
    pub signature: Vec<u8>,
    /// The payload, parsed: the claims.
    pub claims: Json,
}

fn invalid(what: &str) -> AuthError {
    AuthError::new(ErrorKind::InvalidIdToken, ["ID token: ", what].concat())
}

/// Splits and decodes a compact JWS; refuses unknown algorithms and critical extensions.
pub fn parse(token: &str) -> Result<Jws<'_>> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(invalid("too long"));
    }
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid("not a JWS in compact serialization (three parts)"));
    };
    let json_part = |part: &str, name: &str| -> Result<Json> {
        let bytes = base64url::decode(part).ok_or_else(|| invalid(&[name, " is not base64url"].concat()))?;
        let text = core::str::from_utf8(&bytes).map_err(|_| invalid(&[name, " is not UTF-8"].concat()))?;
        Json::parse(text)
            .filter(|j| matches!(j, Json::Object(_)))
            .ok_or_else(|| invalid(&[name, " is not a JSON object"].concat()))
    };
    let header_json = json_part(header, "header")?;
    let alg_name = header_json.get("alg").and_then(Json::as_str).ok_or_else(|| invalid("no alg"))?;
    let alg = Alg::parse(alg_name).ok_or_else(|| invalid(&["alg '", alg_name, "' is not accepted"].concat()))?;
    if header_json.get("crit").is_some() {
        return Err(invalid("critical header extensions are not supported (RFC 7515 §4.1.11)"));
    }
    let kid = match header_json.get("kid") {
        None => None,
        Some(Json::String(k)) => Some(k.clone()),
        Some(_) => return Err(invalid("kid is not a string")),
    };
    let signature =
        base64url::decode(signature).filter(|s| !s.is_empty()).ok_or_else(|| invalid("no valid signature"))?;
    let signing_input = token.get(..header.len() + 1 + payload.len()).ok_or_else(|| invalid("malformed"))?;
    Ok(Jws { alg, kid, signing_input, signature, claims: json_part(payload, "payload")? })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        base64url::encode(s.as_bytes())
    }

    fn token(header: &str, payload: &str) -> String {
        format!("{}.{}.{}", b64(header), b64(payload), b64("sig"))
    }

    #[test]
    fn parses_a_compact_jws() {
        let t = token(r#"{"alg":"RS256","kid":"k1","typ":"JWT"}"#, r#"{"sub":"alice"}"#);
        let jws = parse(&t).unwrap();
        assert_eq!(jws.alg, Alg::Rs(256));
        assert_eq!(jws.kid.as_deref(), Some("k1"));
        assert_eq!(jws.signature, b"sig");
        assert_eq!(jws.claims.get("sub").and_then(Json::as_str), Some("alice"));
        assert_eq!(jws.signing_input, t.rsplit_once('.').unwrap().0);
    }

    #[test]
    fn refuses_unsigned_and_symmetric_algorithms() {
        for alg in ["none", "None", "HS256", "HS512", "", "RS1", "EdDSA"] {
            let t = token(&format!(r#"{{"alg":"{alg}"}}"#), "{}");
            let e = parse(&t).unwrap_err();
            assert_eq!(e.code, "invalid_id_token", "{alg}");
        }
    }

    #[test]
    fn refuses_malformed_tokens() {
        let good_header = b64(r#"{"alg":"ES256"}"#);
        for bad in [
            String::new(),
            "a.b".into(),
            "a.b.c.d".into(),
            format!("{good_header}.{}.", b64("{}")),
            format!("{good_header}.{}.c2ln", b64("[]")),
            format!("{good_header}.not*b64.c2ln"),
            format!("{}.{}.c2ln", b64(r#"{"alg":"ES256","crit":["exp"]}"#), b64("{}")),
            format!("{}.{}.c2ln", b64(r#"{"alg":"ES256","kid":7}"#), b64("{}")),
            format!("{}.{}.c2ln", b64(r#"{"kid":"x"}"#), b64("{}")),
        ] {
            assert_eq!(parse(&bad).unwrap_err().code, "invalid_id_token", "{bad}");
        }
    }

    #[test]
    fn maps_to_webcrypto() {
        assert_eq!(
            (Alg::Ps(384).webcrypto_name(), Alg::Ps(384).hash(), Alg::Ps(384).pss_salt_len()),
            ("RSA-PSS", "SHA-384", 48)
        );
        assert_eq!((Alg::Es(512).curve(), Alg::Es(512).hash()), (Some("P-521"), "SHA-512"));
        assert_eq!(Alg::Rs(256).kty(), "RSA");
    }
}
