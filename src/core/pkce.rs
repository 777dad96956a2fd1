//! Proof Key for Code Exchange (RFC 7636) and the random values of a login.
//!
//! The browser supplies the entropy (`crypto.getRandomValues`) and the SHA-256 (SubtleCrypto);
//! this module turns bytes into the strings the protocol sends.

use super::base64url;

/// Bytes of entropy in the verifier, `state` and `nonce`: 256 bits, the RFC 7636 §7.1
/// recommendation (the verifier is then 43 characters, the §4.1 minimum).
pub const RANDOM_BYTES: usize = 32;

/// RFC 7636 §4.2: the only method we send; `plain` is never offered.
pub const CHALLENGE_METHOD: &str = "S256";

/// RFC 7636 §4.1: the code verifier, base64url of 32 random octets (43 unreserved characters).
pub fn verifier(random: &[u8; RANDOM_BYTES]) -> String {
    base64url::encode(random)
}

/// RFC 7636 §4.2: `code_challenge = BASE64URL(SHA256(ASCII(code_verifier)))`, from the digest.
pub fn challenge(sha256_of_verifier: &[u8]) -> String {
    base64url::encode(sha256_of_verifier)
}

/// A `state` or `nonce`: 256 random bits, base64url (RFC 6749 §10.10 wants them unguessable).
pub fn random_value(random: &[u8; RANDOM_BYTES]) -> String {
    base64url::encode(random)
}

/// Whether `v` is a verifier RFC 7636 §4.1 allows: 43–128 characters of `[A-Za-z0-9-._~]`.
pub fn is_valid_verifier(v: &str) -> bool {
    (43..=128).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7636 Appendix B.
    #[test]
    fn rfc7636_appendix_b() {
        let random = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191,
            240, 91, 88, 5, 88, 83, 132, 141, 121,
        ];
        let v = verifier(&random);
        assert_eq!(v, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert!(is_valid_verifier(&v));
        let digest = [
            19, 211, 30, 150, 26, 26, 216, 236, 47, 22, 177, 12, 76, 152, 46, 8, 118, 168, 120, 173, 109, 241, 68, 86,
            110, 225, 137, 74, 203, 112, 249, 195,
        ];
        assert_eq!(challenge(&digest), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    #[test]
    fn verifier_rules() {
        assert!(!is_valid_verifier(&"a".repeat(42)));
        assert!(is_valid_verifier(&"a".repeat(128)));
        assert!(!is_valid_verifier(&"a".repeat(129)));
        assert!(!is_valid_verifier(&format!("{}+", "a".repeat(42))));
    }
}
