//! Text building without `core::fmt`: `format!` pulls its whole machinery (padding, `Arguments`,
//! integer formatting) into the wasm, about 2 KB gzip; messages here are joined from `&str`
//! pieces with `[..].concat()` and numbers written by [`decimal`].

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

#[cfg(test)]
mod tests {
    use super::decimal;

    #[test]
    fn writes_what_to_string_writes() {
        for n in [0, 7, -7, 10, 401, -86_400, 1_700_000_000_000, i64::MAX, i64::MIN] {
            assert_eq!(decimal(n), n.to_string());
        }
    }
}
