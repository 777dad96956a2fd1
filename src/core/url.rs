//! Just enough of absolute `http(s)` URLs to validate configured endpoints, compare origins
//! and add query parameters (RFC 3986 §3). The browser's own URL parser is not reachable from the
//! core, and pulling in the `url` crate would cost more than the whole client.

use super::form;
use super::text::{find, integer};

/// An absolute `http` or `https` URL, split at its component boundaries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpUrl<'a> {
    /// `http` or `https`, lower case.
    pub scheme: &'static str,
    /// Host (lower-cased) and optional `:port`, as written.
    pub authority: String,
    /// Path and query, without the fragment (`/` when empty).
    pub path_and_query: &'a str,
    /// Whether the URL carries a `#fragment`.
    pub has_fragment: bool,
}

impl<'a> HttpUrl<'a> {
    /// Splits `s`; `None` when it is not an absolute http(s) URL with a host, carries user info,
    /// or contains white space or control characters.
    pub fn parse(s: &'a str) -> Option<HttpUrl<'a>> {
        if s.bytes().any(|b| b <= b' ' || b == 0x7f || b == b'\\') {
            return None;
        }
        let separator = find(s, "://")?;
        let (scheme, rest) = (s.get(..separator)?, s.get(separator + 3..)?);
        let scheme = if scheme.eq_ignore_ascii_case("https") {
            "https"
        } else if scheme.eq_ignore_ascii_case("http") {
            "http"
        } else {
            return None;
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        if authority.is_empty() || authority.contains('@') || authority.starts_with(':') {
            return None;
        }
        let (path_and_query, has_fragment) = match tail.split_once('#') {
            Some((p, _)) => (p, true),
            None => (tail, false),
        };
        Some(HttpUrl { scheme, authority: authority.to_ascii_lowercase(), path_and_query, has_fragment })
    }

    /// The host without the port (IPv6 literals keep their brackets).
    pub fn host(&self) -> &str {
        let a = self.authority.as_str();
        if a.starts_with('[') {
            return a.find(']').and_then(|i| a.get(..=i)).unwrap_or(a);
        }
        a.split(':').next().unwrap_or(a)
    }

    /// The origin (RFC 6454), with the default port left out.
    pub fn origin(&self) -> String {
        let default_port = if self.scheme == "https" { ":443" } else { ":80" };
        let authority = self.authority.strip_suffix(default_port).unwrap_or(&self.authority);
        [self.scheme, "://", authority].concat()
    }

    /// Whether the host is a loopback name or address (RFC 8252 §8.3; `localhost` per RFC 6761).
    pub fn is_loopback(&self) -> bool {
        let host = self.host();
        host == "localhost" || host.ends_with(".localhost") || host == "[::1]" || is_ipv4_loopback(host)
    }

    /// Whether the URL may carry OAuth traffic: https anywhere, plain http only on loopback
    /// (RFC 6749 §3.1 and §10.9 require TLS; loopback never leaves the machine).
    pub fn is_secure_or_loopback(&self) -> bool {
        self.scheme == "https" || self.is_loopback()
    }
}

/// Whether `host` is a dotted-quad IPv4 address in 127.0.0.0/8 (RFC 1122 §3.2.1.3), read as
/// strictly as `Ipv4Addr`'s parser: four decimal octets, no leading zeros.
fn is_ipv4_loopback(host: &str) -> bool {
    let octet = |s: &str| {
        s.len() <= 3 && (s == "0" || !s.starts_with('0')) && integer(s).is_some_and(|n| (0..=255).contains(&n))
    };
    let octets: Vec<&str> = host.split('.').collect();
    octets.len() == 4 && octets.first() == Some(&"127") && octets.iter().all(|s| octet(s))
}

/// Adds form-encoded `params` to `base`'s query, keeping what it already holds (B2C endpoints
/// from discovery already carry `?p=`). `base` must not carry a fragment (RFC 6749 §3.1).
pub fn with_query(base: &str, params: &[(&str, &str)]) -> String {
    let mut query = String::new();
    for (k, v) in params {
        form::append_pair(&mut query, k, v);
    }
    let sep = match base.find('?') {
        None => "?",
        Some(i) if i + 1 == base.len() || base.ends_with('&') => "",
        Some(_) => "&",
    };
    if query.is_empty() {
        return base.to_owned();
    }
    [base, sep, &query].concat()
}

/// The origin of `url` (RFC 6454 §4), when it is an absolute http(s) URL.
pub fn origin_of(url: &str) -> Option<String> {
    HttpUrl::parse(url).map(|u| u.origin())
}

/// `url` without its query and fragment (RFC 3986 §3: they start at the first `?` or `#`).
pub fn without_query(url: &str) -> &str {
    url.bytes().position(|b| b == b'?' || b == b'#').map_or(url, |end| &url[..end])
}

/// Whether the query of `url` already holds parameter `key`.
pub fn query_has(url: &str, key: &str) -> bool {
    let query = url.split('#').next().unwrap_or("").split_once('?').map_or("", |(_, q)| q);
    query.split('&').any(|pair| pair.split('=').next() == Some(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_query_and_fragment() {
        assert_eq!(without_query("https://a.example/p?x=1#y"), "https://a.example/p");
        assert_eq!(without_query("https://a.example/p#y?x"), "https://a.example/p");
        assert_eq!(without_query("https://a.example/p"), "https://a.example/p");
        assert_eq!(without_query(""), "");
    }

    #[test]
    fn splits_urls() {
        let u = HttpUrl::parse("HTTPS://Login.Example.com:443/t/oauth2/v2.0/token?p=B2C_1_x#frag").unwrap();
        assert_eq!(u.scheme, "https");
        assert_eq!(u.host(), "login.example.com");
        assert_eq!(u.origin(), "https://login.example.com");
        assert_eq!(u.path_and_query, "/t/oauth2/v2.0/token?p=B2C_1_x");
        assert!(u.has_fragment);
        assert_eq!(HttpUrl::parse("http://localhost:8080").unwrap().origin(), "http://localhost:8080");
        assert_eq!(HttpUrl::parse("http://[::1]:9/x").unwrap().host(), "[::1]");
    }

    #[test]
    fn rejects_non_http_urls() {
        for bad in [
            "",
            "localhost:8080",
            "ftp://x",
            "https://",
            "https:///path",
            "https://user@host/",
            "https://a b/",
            "javascript:alert(1)",
            "https://:80/",
        ] {
            assert_eq!(HttpUrl::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_loopback_may_be_plain_http() {
        let ok = |s| HttpUrl::parse(s).unwrap().is_secure_or_loopback();
        assert!(ok("https://example.com"));
        assert!(ok("http://localhost:4000"));
        assert!(ok("http://127.0.0.1:4000/x"));
        assert!(ok("http://[::1]/"));
        assert!(!ok("http://example.com"));
        assert!(!ok("http://localhost.evil.com"));
        assert!(ok("http://127.1.2.3:9/"));
        assert!(!ok("http://127.0.0.1.nip.io/token"), "a DNS name that looks like loopback");
        assert!(!ok("http://127.evil.example/"));
    }

    #[test]
    fn adds_to_an_existing_query() {
        assert_eq!(with_query("https://h/a", &[("x", "1 2")]), "https://h/a?x=1+2");
        assert_eq!(with_query("https://h/a?p=b2c_1_si", &[("x", "1")]), "https://h/a?p=b2c_1_si&x=1");
        assert_eq!(with_query("https://h/a?", &[("x", "1")]), "https://h/a?x=1");
        assert_eq!(with_query("https://h/a", &[]), "https://h/a");
    }
}
