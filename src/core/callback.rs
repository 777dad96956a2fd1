//! The authorization response (RFC 6749 §4.1.2 and §4.1.2.1), read from the query or the
//! fragment, and the parameters that must leave the URL afterwards.

use core::fmt;

use super::config::ResponseMode;
use super::error::{AuthError, ErrorKind, Result};
use super::form::{decode_component, decode_pairs};
use super::secret::Secret;
use super::text::push_separator;

/// Parameters of an authorization response; all are removed from the URL once it is handled
/// (RFC 9700 §4.2.4: a code left in the URL leaks through history, referrers and logs).
pub const RESPONSE_PARAMS: [&str; 6] = ["code", "state", "iss", "error", "error_description", "error_uri"];

/// Longest URL part we parse (the Chromium URL limit is 2 MB; a response is a few hundred bytes).
const MAX_RESPONSE_LEN: usize = 16 * 1024;

/// What the provider answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Success: the code to redeem.
    Code(Secret),
    /// The provider refused (`access_denied`, `login_required`, ...).
    Error(AuthError),
}

/// A parsed authorization response. Its `state` must still be matched to a transaction.
/// `Debug` prints the `state` as `***` (and the code, a [`Secret`], likewise).
#[derive(Clone, PartialEq, Eq)]
pub struct AuthorizationResponse {
    /// The `state` echoed by the provider.
    pub state: String,
    /// RFC 9207 `iss`, when sent.
    pub iss: Option<String>,
    /// Code or error.
    pub outcome: Outcome,
}

impl fmt::Debug for AuthorizationResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationResponse")
            .field("state", &format_args!("***"))
            .field("iss", &self.iss)
            .field("outcome", &self.outcome)
            .finish()
    }
}

/// The URL part that holds the response in `mode`, given `location.search` and `location.hash`
/// (with or without their leading `?` / `#`).
pub fn response_part<'a>(mode: ResponseMode, search: &'a str, hash: &'a str) -> &'a str {
    match mode {
        ResponseMode::Query => search.strip_prefix('?').unwrap_or(search),
        ResponseMode::Fragment => hash.strip_prefix('#').unwrap_or(hash),
    }
}

/// Whether a URL part looks like an authorization response: it has a `code` or an `error`.
/// Cheap; it decodes nothing. A `state` is not required here: a code without one is a forged or
/// broken response, which must be refused (and cleaned from the URL), not ignored.
pub fn looks_like_response(part: &str) -> bool {
    part.split('&').any(|p| matches!(p.split('=').next(), Some("code" | "error")))
}

/// Parses the response part. Every parameter may appear at most once (RFC 6749 §3.1), a code
/// and an error never together; a missing `state` is `state_mismatch` (we always send one).
pub fn parse_response(part: &str) -> Result<AuthorizationResponse> {
    let invalid = |what: &str| AuthError::new(ErrorKind::InvalidResponse, ["authorization response: ", what].concat());
    if part.len() > MAX_RESPONSE_LEN {
        return Err(invalid("too long"));
    }
    let pairs = decode_pairs(part)?;
    let mut found: [Option<&str>; RESPONSE_PARAMS.len()] = Default::default();
    for (key, value) in &pairs {
        if let Some(i) = RESPONSE_PARAMS.iter().position(|p| p == key) {
            let slot = found.get_mut(i).ok_or_else(|| invalid("internal"))?;
            if slot.replace(value.as_str()).is_some() {
                return Err(invalid(&["parameter '", key, "' appears more than once"].concat()));
            }
        }
    }
    let [code, state, iss, error, description, _uri] = found;
    let state = state
        .filter(|s| !s.is_empty())
        .ok_or_else(|| AuthError::new(ErrorKind::StateMismatch, "the authorization response has no state"))?;
    let outcome = match (code, error) {
        (Some(_), Some(_)) => return Err(invalid("both code and error")),
        (Some(c), None) if !c.is_empty() => Outcome::Code(Secret::new(c)),
        (_, Some(e)) => Outcome::Error(AuthError::provider(e, description, None)),
        _ => return Err(invalid("no code")),
    };
    Ok(AuthorizationResponse { state: state.to_owned(), iss: iss.map(str::to_owned), outcome })
}

/// Removes [`RESPONSE_PARAMS`] from a URL part, keeping the app's own parameters verbatim.
/// Names are compared decoded (`%69ss` is `iss`); a name that does not decode goes too.
/// Returns the part without its leading `?`/`#`; empty when nothing is left.
pub fn strip_response_params(part: &str) -> String {
    let is_response_param = |pair: &str| {
        let name = pair.split('=').next().unwrap_or_default();
        decode_component(name).is_none_or(|n| RESPONSE_PARAMS.contains(&n.as_str()))
    };
    let mut kept = String::new();
    for pair in part.split('&').filter(|p| !p.is_empty() && !is_response_param(p)) {
        push_separator(&mut kept, '&');
        kept.push_str(pair);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_mode_part() {
        assert_eq!(response_part(ResponseMode::Query, "?code=a&state=b", "#x"), "code=a&state=b");
        assert_eq!(response_part(ResponseMode::Fragment, "?x=1", "#code=a&state=b"), "code=a&state=b");
        assert_eq!(response_part(ResponseMode::Fragment, "", ""), "");
    }

    #[test]
    fn recognises_responses() {
        assert!(looks_like_response("code=a&state=b"));
        assert!(looks_like_response("state=b&error=access_denied"));
        assert!(looks_like_response("code=a"));
        assert!(!looks_like_response("tab=code&state=1"));
        assert!(!looks_like_response("codes=1&errors=2"));
        assert!(!looks_like_response(""));
    }

    #[test]
    fn parses_a_code_response() {
        let r = parse_response("code=abc%2Bdef&state=s1&iss=http%3A%2F%2Flocalhost%3A4000&session_state=x").unwrap();
        assert_eq!(r.state, "s1");
        assert_eq!(r.iss.as_deref(), Some("http://localhost:4000"));
        assert_eq!(r.outcome, Outcome::Code(Secret::new("abc+def")));
    }

    #[test]
    fn debug_hides_state_and_code() {
        for part in ["code=c0de-5e&state=st-4f7a", "error=access_denied&state=st-4f7a"] {
            let dbg = format!("{:?}", parse_response(part).unwrap());
            assert!(!dbg.contains("st-4f7a") && !dbg.contains("c0de-5e"), "{dbg}");
            assert!(dbg.contains("state: ***"), "{dbg}");
        }
    }

    #[test]
    fn parses_an_error_response_b2c_style() {
        let r = parse_response("error=access_denied&error_description=AADB2C90091%3a+The+user+has+cancelled+entering+self-asserted+information.&state=s").unwrap();
        let Outcome::Error(e) = r.outcome else { panic!("expected an error") };
        assert_eq!(e.code, "access_denied");
        assert_eq!(
            e.description.as_deref(),
            Some("AADB2C90091: The user has cancelled entering self-asserted information.")
        );
    }

    #[test]
    fn rejects_malformed_responses() {
        let code = |p: &str| parse_response(p).unwrap_err().0.code;
        assert_eq!(code("code=a"), "state_mismatch");
        assert_eq!(code("code=a&state="), "state_mismatch");
        assert_eq!(code("code=a&state=s&state=t"), "invalid_response");
        assert_eq!(code("code=a&code=b&state=s"), "invalid_response");
        assert_eq!(code("code=a&error=access_denied&state=s"), "invalid_response");
        assert_eq!(code("code=&state=s"), "invalid_response");
        assert_eq!(code("state=s&iss=x"), "invalid_response");
        assert_eq!(code("code=%ZZ&state=s"), "invalid_response");
        assert_eq!(code(&format!("code={}&state=s", "a".repeat(MAX_RESPONSE_LEN))), "invalid_response");
    }

    #[test]
    fn malformed_provider_error_codes_do_not_pass_through() {
        let r = parse_response("error=%3Cscript%3E%22&state=s").unwrap();
        let Outcome::Error(e) = r.outcome else { panic!("expected an error") };
        assert_eq!(e.code, "invalid_response");
    }

    #[test]
    fn strips_only_response_params() {
        assert_eq!(strip_response_params("tab=2&code=a&state=b&iss=c&session_state=z"), "tab=2&session_state=z");
        assert_eq!(strip_response_params("error=x&error_description=y&state=s"), "");
        assert_eq!(strip_response_params("codes=1&statex=2"), "codes=1&statex=2");
        assert_eq!(strip_response_params("a=1&%69ss=x&error_descriptio%6E=y&b%ZZ=2"), "a=1");
    }
}
