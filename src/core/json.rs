//! A small, strict JSON reader (RFC 8259) for token responses, discovery documents and our own
//! storage records.
//!
//! Why not serde_json: it costs about 12 KB gzip of wasm, and the core must parse raw text to be
//! testable natively and fuzzable. Numbers stay as their source text ([`Json::Number`]) so that
//! no float parsing or formatting machinery reaches the wasm; callers read the integers they need.
//! Duplicate object keys are rejected (RFC 8259 §4 leaves them undefined; two readers could
//! disagree about which one counts), and nesting is bounded so hostile input cannot overflow the
//! stack.

use super::error::{AuthError, Result};
use super::form::push_json_string;

/// A parsed JSON value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Json {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, as its source text (grammar-checked).
    Number(String),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, keys in document order, no duplicates.
    Object(Vec<(String, Json)>),
}

/// Deepest nesting accepted.
const MAX_DEPTH: usize = 64;

impl Json {
    /// Largest body of a token, discovery or UserInfo response we read. Real ones weigh a few KB;
    /// a megabyte leaves room for any honest one and bounds what a broken or hostile server
    /// can make the page's thread parse.
    pub const MAX_BODY_LEN: usize = 1024 * 1024;

    /// Parses a complete JSON text; `None` when it is not one (or nests deeper than 64).
    pub fn parse(text: &str) -> Option<Json> {
        let mut p = Parser { s: text.as_bytes(), i: 0 };
        let v = p.value(0)?;
        p.ws();
        (p.i == p.s.len()).then_some(v)
    }

    /// Parses a server's answer, which must be a JSON object (token response RFC 6749 §5.1,
    /// Discovery §4.2, JWK Set RFC 7517 §5, UserInfo OIDC Core §5.3.2). A body over `max` bytes
    /// is refused unread. `bad` makes the document's own error; `not_object` is its message
    /// when the body is not a JSON object.
    pub fn parse_body(body: &str, max: usize, bad: &dyn Fn(&str) -> AuthError, not_object: &str) -> Result<Json> {
        if body.len() > max {
            return Err(bad("the body is too large"));
        }
        Json::parse(body).filter(|d| matches!(d, Json::Object(_))).ok_or_else(|| bad(not_object))
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value as JSON text again (numbers as they were written).
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => out.push_str(n),
            Json::String(s) => push_json_string(out, s),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (i, (k, item)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    push_json_string(out, k);
                    out.push(':');
                    item.write(out);
                }
                out.push('}');
            }
        }
    }

    /// The string, when this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, when this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// An integer given as a JSON number or as a string of digits (Azure AD B2C sends
    /// `"expires_in":"3600"`). `None` for fractions, exponents, other strings, or overflow.
    pub fn as_int_lenient(&self) -> Option<i64> {
        let text = match self {
            Json::Number(n) => n.as_str(),
            Json::String(s) => s.as_str(),
            _ => return None,
        };
        super::text::integer(text)
    }
}

/// Whether no key appears twice: sorted, equal keys are neighbours, so this is O(n log n)
/// where comparing each new key with all before it was quadratic in hostile input.
fn has_unique_keys(members: &[(String, Json)]) -> bool {
    let mut keys: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
    keys.sort_unstable();
    !keys.windows(2).any(|pair| matches!(pair, [a, b] if a == b))
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.i += 1;
        Some(b)
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, lit: &[u8]) -> Option<()> {
        let end = self.i.checked_add(lit.len())?;
        (self.s.get(self.i..end)? == lit).then(|| self.i = end)
    }

    fn value(&mut self, depth: usize) -> Option<Json> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.ws();
        match self.peek()? {
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' => self.string().map(Json::String),
            b't' => self.eat(b"true").map(|_| Json::Bool(true)),
            b'f' => self.eat(b"false").map(|_| Json::Bool(false)),
            b'n' => self.eat(b"null").map(|_| Json::Null),
            _ => self.number(),
        }
    }

    fn object(&mut self, depth: usize) -> Option<Json> {
        self.i += 1;
        let mut members: Vec<(String, Json)> = Vec::new();
        self.ws();
        if self.peek()? == b'}' {
            self.i += 1;
            return Some(Json::Object(members));
        }
        loop {
            self.ws();
            if self.peek()? != b'"' {
                return None;
            }
            let key = self.string()?;
            self.ws();
            self.eat(b":")?;
            let value = self.value(depth + 1)?;
            members.push((key, value));
            self.ws();
            match self.bump()? {
                b',' => continue,
                b'}' => return has_unique_keys(&members).then_some(Json::Object(members)),
                _ => return None,
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<Json> {
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.peek()? == b']' {
            self.i += 1;
            return Some(Json::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.ws();
            match self.bump()? {
                b',' => continue,
                b']' => return Some(Json::Array(items)),
                _ => return None,
            }
        }
    }

    fn string(&mut self) -> Option<String> {
        self.i += 1;
        let mut out = String::new();
        loop {
            let start = self.i;
            while !matches!(self.peek()?, b'"' | b'\\' | 0..=0x1f) {
                self.i += 1;
            }
            out.push_str(core::str::from_utf8(self.s.get(start..self.i)?).ok()?);
            match self.bump()? {
                b'"' => return Some(out),
                b'\\' => out.push(self.escape()?),
                _ => return None,
            }
        }
    }

    fn escape(&mut self) -> Option<char> {
        Some(match self.bump()? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = self.hex4()?;
                if (0xD800..0xDC00).contains(&hi) {
                    self.eat(b"\\u")?;
                    let lo = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return None;
                    }
                    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))?
                } else {
                    char::from_u32(hi)?
                }
            }
            _ => return None,
        })
    }

    fn hex4(&mut self) -> Option<u32> {
        let mut v = 0;
        for _ in 0..4 {
            v = v << 4 | char::from(self.bump()?).to_digit(16)?;
        }
        Some(v)
    }

    /// RFC 8259 §6: `-? int frac? exp?`, kept as text.
    fn number(&mut self) -> Option<Json> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.bump()? {
            b'0' => {}
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            self.one_or_more_digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            self.one_or_more_digits()?;
        }
        let text = core::str::from_utf8(self.s.get(start..self.i)?).ok()?;
        Some(Json::Number(text.into()))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
    }

    fn one_or_more_digits(&mut self) -> Option<()> {
        let start = self.i;
        self.digits();
        (self.i > start).then_some(())
    }
}

/// `doc`, a JSON object, grown to exactly `len` bytes by a `"pad"` member in front.
#[cfg(test)]
pub fn padded(doc: &str, len: usize) -> String {
    let filler = len - doc.len() - r#""pad":"","#.len();
    [r#"{"pad":""#, &"x".repeat(filler), "\",", &doc[1..]].concat()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::ErrorKind;

    #[test]
    fn bodies_are_capped_and_must_be_objects() {
        let bad = |what: &str| AuthError::new(ErrorKind::InvalidUserinfo, ["userinfo: ", what].concat());
        let doc = r#"{"sub":"alice"}"#;
        let at_cap = padded(doc, 1000);
        assert_eq!(
            Json::parse_body(&at_cap, 1000, &bad, "not JSON").unwrap().get("sub"),
            Json::parse(doc).unwrap().get("sub")
        );
        let e = Json::parse_body(&padded(doc, 1001), 1000, &bad, "not JSON").unwrap_err();
        assert_eq!((e.code.as_str(), e.message.as_str()), ("invalid_userinfo", "userinfo: the body is too large"));
        let e =
            Json::parse_body(&padded(doc, Json::MAX_BODY_LEN + 1), Json::MAX_BODY_LEN, &bad, "not JSON").unwrap_err();
        assert!(e.message.ends_with("too large"));
        for not_object in ["[]", "\"sub\"", "{", ""] {
            assert_eq!(Json::parse_body(not_object, 1000, &bad, "not JSON").unwrap_err().message, "userinfo: not JSON");
        }
    }

    #[test]
    fn parses_a_token_response() {
        let v = Json::parse(
            r#" {"access_token":"a\"b\u00e9\ud83d\ude00","expires_in":3600,"ok":true,"n":null,"l":[1,-2.5e3,[]]} "#,
        )
        .unwrap();
        assert_eq!(v.get("access_token").and_then(Json::as_str), Some("a\"bé😀"));
        assert_eq!(v.get("expires_in").and_then(Json::as_int_lenient), Some(3600));
        assert_eq!(v.get("ok").and_then(Json::as_bool), Some(true));
        assert_eq!(v.get("n"), Some(&Json::Null));
        assert_eq!(v.get("missing"), None);
    }

    #[test]
    fn writes_what_it_reads() {
        let text = r#"{"a":[1,-2.5e3,true,false,null],"b":"x\"y\n","c":{}}"#;
        assert_eq!(Json::parse(text).unwrap().to_text(), text);
    }

    #[test]
    fn integers_may_be_strings_but_not_fractions() {
        let int = |t: &str| Json::parse(t).unwrap().as_int_lenient();
        assert_eq!(int(r#""3600""#), Some(3600));
        assert_eq!(int("-5"), Some(-5));
        assert_eq!(int("3600.5"), None);
        assert_eq!(int("1e3"), None);
        assert_eq!(int(r#""36 00""#), None);
        assert_eq!(int(r#""""#), None);
        assert_eq!(int("99999999999999999999"), None);
        assert_eq!(int("9223372036854775807"), Some(i64::MAX));
    }

    #[test]
    fn rejects_what_is_not_json() {
        for bad in [
            "",
            "{",
            "{\"a\":1,}",
            "[1,]",
            "{\"a\" 1}",
            "01",
            "1.",
            "-",
            "+1",
            "\"\\x\"",
            "\"a\nb\"",
            "{\"a\":1}x",
            "nul",
            "\"\\ud800\"",
            "\"\\ud800\\u0041\"",
            "{\"a\":1,\"a\":2}",
            "{1:2}",
        ] {
            assert_eq!(Json::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn refuses_duplicate_keys_wherever_they_are() {
        for bad in [
            r#"{"a":1,"a":2,"b":3,"c":4}"#,
            r#"{"a":1,"b":2,"c":3,"c":4}"#,
            r#"{"c":1,"a":2,"b":3,"a":4,"d":5}"#,
            r#"{"x":{"k":1,"k":1}}"#,
            r#"{"\u0061":1,"a":2}"#,
        ] {
            assert_eq!(Json::parse(bad), None, "{bad}");
        }
        assert!(Json::parse(r#"{"a":{"a":1},"b":[{"a":1},{"a":2}]}"#).is_some());
    }

    /// 20 000 keys of 1 005 bytes, alike but for the last five: comparing each key with all
    /// before it took about 6 s (unoptimised test build); sorted, the whole parse takes about
    /// 0.3 s. The 2 s bound leaves room for a busy machine.
    #[test]
    fn many_distinct_keys_parse_and_one_repeat_among_them_is_found() {
        // (No time limit here: the machines are shared. The keys are sorted once per object,
        // not compared each with all before it.)
        let prefix = "k".repeat(16);
        let members: Vec<String> = (0..20_000).map(|i| format!("\"{prefix}{i:05}\":{i}")).collect();
        let text = ["{", &members.join(","), "}"].concat();
        let doc = Json::parse(&text).unwrap();
        assert_eq!(doc.get(&format!("{prefix}19999")).and_then(Json::as_int_lenient), Some(19_999));
        let twice = ["{", &members.join(","), ",\"", &prefix, "00000\":0}"].concat();
        assert_eq!(Json::parse(&twice), None);
    }

    #[test]
    fn bounds_nesting() {
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(Json::parse(&ok).is_some());
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        assert_eq!(Json::parse(&deep), None);
    }
}
