//! `application/x-www-form-urlencoded` (WHATWG URL §5) for request bodies, query strings and
//! the authorization response (RFC 6749 §4.1.2 and OAuth 2.0 Multiple Response Types §5 for the
//! fragment), plus the JSON string escaping used by the storage records.

use super::error::{AuthError, ErrorKind, Result};
use super::text::push_separator;

/// Appends `key=value` to `out`, `&`-separated, both form-urlencoded (RFC 6749 Appendix B).
pub fn append_pair(out: &mut String, key: &str, value: &str) {
    push_separator(out, '&');
    encode_into(out, key);
    out.push('=');
    encode_into(out, value);
}

/// Encodes `pairs` as a form body.
pub fn encode_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (k, v) in pairs {
        append_pair(&mut out, k, v);
    }
    out
}

/// The hex digit of the low four bits of `n`, upper or lower case.
pub fn hex_digit(n: u32, upper: bool) -> char {
    let c = char::from_digit(n & 15, 16).unwrap_or('0');
    if upper {
        c.to_ascii_uppercase()
    } else {
        c
    }
}

fn encode_into(out: &mut String, s: &str) {
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => out.push(b as char),
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(hex_digit(u32::from(b >> 4), true));
                out.push(hex_digit(u32::from(b), true));
            }
        }
    }
}

/// Decodes a form-urlencoded string (without its leading `?` or `#`) into pairs, in order.
///
/// Stricter than the WHATWG parser on purpose: a `%` not followed by two hex digits, or bytes
/// that are not UTF-8 after decoding, are an error rather than silently replaced, because an
/// authorization response that is not what the provider sent must not be trusted.
pub fn decode_pairs(input: &str) -> Result<Vec<(String, String)>> {
    let mut pairs = Vec::new();
    for part in input.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        pairs.push((decode(k)?, decode(v)?));
    }
    Ok(pairs)
}

/// Decodes one form-urlencoded component; `None` when it is not valid.
pub fn decode_component(s: &str) -> Option<String> {
    decode(s).ok()
}

fn decode(s: &str) -> Result<String> {
    let bad = || AuthError::new(ErrorKind::InvalidResponse, "the response has invalid percent-encoding");
    let mut bytes = Vec::with_capacity(s.len());
    let mut it = s.bytes();
    while let Some(b) = it.next() {
        match b {
            b'+' => bytes.push(b' '),
            b'%' => {
                let hi = it.next().and_then(hex_value).ok_or_else(bad)?;
                let lo = it.next().and_then(hex_value).ok_or_else(bad)?;
                bytes.push(hi << 4 | lo);
            }
            _ => bytes.push(b),
        }
    }
    String::from_utf8(bytes).map_err(|_| AuthError::new(ErrorKind::InvalidResponse, "the response is not valid UTF-8"))
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Appends `s` as a JSON string literal (RFC 8259 §7) to `out`.
pub fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(hex_digit(c as u32 >> 4, false));
                out.push(hex_digit(c as u32, false));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_reserved_and_unicode() {
        assert_eq!(encode_pairs([("a b", "x&y=z/é~")]), "a+b=x%26y%3Dz%2F%C3%A9%7E");
        assert_eq!(encode_pairs([("k", "")]), "k=");
    }

    #[test]
    fn decodes_what_it_encodes() {
        let body = encode_pairs([("redirect_uri", "http://localhost:8080/cb?x=1"), ("scope", "openid offline_access")]);
        let pairs = decode_pairs(&body).unwrap();
        assert_eq!(pairs[0], ("redirect_uri".into(), "http://localhost:8080/cb?x=1".into()));
        assert_eq!(pairs[1], ("scope".into(), "openid offline_access".into()));
    }

    #[test]
    fn keeps_order_duplicates_and_empty_values() {
        let pairs = decode_pairs("a=1&&b&a=2").unwrap();
        assert_eq!(pairs, vec![("a".into(), "1".into()), ("b".into(), "".into()), ("a".into(), "2".into())]);
    }

    #[test]
    fn rejects_bad_percent_encoding_and_non_utf8() {
        for bad in ["a=%", "a=%4", "a=%zz", "a=%C3%28", "%FF=1"] {
            assert_eq!(decode_pairs(bad).unwrap_err().code, "invalid_response", "{bad}");
        }
    }

    #[test]
    fn json_strings_are_escaped() {
        let mut s = String::new();
        push_json_string(&mut s, "a\"b\\c\n\u{1}é");
        assert_eq!(s, r#""a\"b\\c\n\u0001é""#);
    }
}
