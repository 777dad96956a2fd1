//! Text building and reading without the heavy parts of `core`: `format!` pulls its whole
//! machinery (padding, `Arguments`, integer formatting) into the wasm, about 2 KB gzip; messages
//! here are joined from `&str` pieces with `[..].concat()` and numbers written by [`decimal`].
//! Substring search by `str::find(&str)` brings the Two-Way searcher (~1.5 KB of wasm) for
//! needles of a few bytes: [`find`] is a plain scan; [`integer`] reads what `str::parse` would.

/// `n` in decimal, like `n.to_string()`.
pub fn decimal(n: i64) -> String {
    let mut digits = Vec::with_capacity(20);
    let mut rest = n.unsigned_abs();
    loop {
        digits.push(b'0' + (rest % 10) as u8);
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if n < 0 {
        digits.push(b'-');
    }
    digits.reverse();
    digits.into_iter().map(char::from).collect()
}

/// Starts the next item of a `separator`-separated list in `out`: the separator, unless `out`
/// is empty (what `[..].join` does, without its generic copy loop).
pub fn push_separator(out: &mut String, separator: char) {
    if !out.is_empty() {
        out.push(separator);
    }
}

/// The byte offset of the first `needle` in `haystack`, like `haystack.find(needle)`.
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack.as_bytes().windows(needle.len()).position(|w| w == needle.as_bytes())
}

/// `[-]digits` as an i64, like `text.parse::<i64>()` without its `+` sign; `None` on anything
/// else or on overflow.
pub fn integer(text: &str) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if digits.is_empty() {
        return None;
    }
    digits.bytes().try_fold(0i64, |n, b| {
        let digit = i64::from(b.checked_sub(b'0').filter(|d| *d <= 9)?);
        n.checked_mul(10)?.checked_add(if negative { -digit } else { digit })
    })
}

#[cfg(test)]
mod tests {
    use super::{decimal, find, integer, push_separator};

    #[test]
    fn joins_like_join() {
        let mut out = String::new();
        for piece in ["a", "", "b"] {
            push_separator(&mut out, '&');
            out.push_str(piece);
        }
        assert_eq!(out, ["a", "", "b"].join("&"));
    }

    #[test]
    fn finds_what_str_find_finds() {
        for (haystack, needle) in
            [("https://x", "://"), ("a", "://"), ("", "x"), ("x AADB2C90118", "AADB2C"), ("ab", "")]
        {
            assert_eq!(find(haystack, needle), haystack.find(needle), "{haystack} {needle}");
        }
    }

    #[test]
    fn reads_integers_like_parse() {
        for text in ["0", "-7", "3600", "9223372036854775807", "-9223372036854775808"] {
            assert_eq!(integer(text), text.parse().ok(), "{text}");
        }
        for text in ["", "-", "+1", "1.5", "1e3", " 1", "9223372036854775808", "١"] {
            assert_eq!(integer(text), None, "{text}");
        }
    }

    #[test]
    fn writes_what_to_string_writes() {
        for n in [0, 7, -7, 10, 401, -86_400, 1_700_000_000_000, i64::MAX, i64::MIN] {
            assert_eq!(decimal(n), n.to_string());
        }
    }
}
