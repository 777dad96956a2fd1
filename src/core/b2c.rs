//! Azure AD B2C specifics ("OAuth 2.0 authorization code flow" in Azure AD B2C): the policy
//! `p` that must travel with the authorization AND token requests, and the `AADB2Cnnnnn`
//! codes inside its error descriptions.
//!
//! Policy names are case-insensitive and never judged by their prefix (`b2c_1_` user flows,
//! `B2C_1A_` custom policies and anything else a tenant uses all pass).

use super::text::{find, push_separator};
use super::url::{query_has, with_query};

/// `endpoint` for `policy`. Three URL styles exist and all are kept in their style:
/// - `?p=<policy>` in the query (login.microsoftonline.com, discovery of B2C): its value is
///   replaced;
/// - the policy as a path segment (`https://t.b2clogin.com/t.onmicrosoft.com/<policy>/oauth2/...`):
///   the segment `configured` names, or else the one between the tenant and `oauth2`, is replaced;
/// - neither: `p` is added to the query.
pub fn endpoint_for_policy(endpoint: &str, configured: Option<&str>, policy: Option<&str>) -> String {
    let Some(policy) = policy else { return endpoint.to_owned() };
    if query_has(endpoint, "p") {
        return replace_query_param(endpoint, "p", policy);
    }
    replace_path_segment(endpoint, configured, policy).unwrap_or_else(|| with_query(endpoint, &[("p", policy)]))
}

fn replace_query_param(url: &str, key: &str, value: &str) -> String {
    let Some((base, query)) = url.split_once('?') else { return url.to_owned() };
    let mut replaced = String::new();
    for pair in query.split('&') {
        if pair.split('=').next() == Some(key) {
            super::form::append_pair(&mut replaced, key, value);
        } else {
            push_separator(&mut replaced, '&');
            replaced.push_str(pair);
        }
    }
    [base, "?", &replaced].concat()
}

fn replace_path_segment(url: &str, from: Option<&str>, to: &str) -> Option<String> {
    let (before_query, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = find(before_query, "://")? + 3;
    let path_start = scheme_end + before_query.get(scheme_end..)?.find('/')?;
    let (origin, path) = before_query.split_at(path_start);
    let mut path: Vec<&str> = path.split('/').collect();
    // `["", tenant, policy, "oauth2", ...]`: without a configured name, the segment before
    // `oauth2` is the policy when a tenant segment precedes it.
    let at = match from {
        Some(name) => path.iter().position(|s| s.eq_ignore_ascii_case(name)),
        None => path.iter().position(|s| *s == "oauth2").filter(|&i| i >= 3).map(|i| i - 1),
    };
    let found = match at.and_then(|i| path.get_mut(i)) {
        Some(segment) => {
            *segment = to;
            true
        }
        None => false,
    };
    found.then(|| {
        let mut out = origin.to_owned();
        for (i, segment) in path.iter().enumerate() {
            if i > 0 {
                out.push('/');
            }
            out.push_str(segment);
        }
        if let Some(q) = query {
            out.push('?');
            out.push_str(q);
        }
        out
    })
}

/// B2C's code for "the user has forgotten their password" on a sign-in page: the app is to
/// continue with its password reset policy.
pub const FORGOT_PASSWORD: &str = "AADB2C90118";

/// B2C's code for "this application does not have sufficient permissions against this web
/// resource": the API's permission (consent) is missing.
pub const MISSING_PERMISSION: &str = "AADB2C90205";

/// The `AADB2Cnnnnn` code in a B2C error description (`AADB2C90118` forgot password,
/// `AADB2C90091` user cancelled, ...), so apps can branch on it.
pub fn error_code(description: &str) -> Option<&str> {
    let start = find(description, "AADB2C")?;
    let digits = description.get(start + 6..)?.bytes().take_while(u8::is_ascii_digit).count();
    (digits >= 5).then(|| description.get(start..start + 6 + digits)).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_style_replaces_p() {
        let e = "https://login.microsoftonline.com/t/oauth2/v2.0/token?p=b2c_1_sign_in";
        assert_eq!(
            endpoint_for_policy(e, Some("b2c_1_sign_in"), Some("b2c_1_edit_profile")),
            "https://login.microsoftonline.com/t/oauth2/v2.0/token?p=b2c_1_edit_profile"
        );
        assert_eq!(endpoint_for_policy("https://h/a?x=1&p=A&y=2", None, Some("B")), "https://h/a?x=1&p=B&y=2");
    }

    #[test]
    fn path_style_replaces_the_segment_case_insensitively() {
        let e = "https://t.b2clogin.com/t.onmicrosoft.com/B2C_1A_SIGNIN/oauth2/v2.0/authorize";
        assert_eq!(
            endpoint_for_policy(e, Some("b2c_1a_signin"), Some("B2C_1A_PROFILEEDIT")),
            "https://t.b2clogin.com/t.onmicrosoft.com/B2C_1A_PROFILEEDIT/oauth2/v2.0/authorize"
        );
        assert_eq!(endpoint_for_policy(e, Some("b2c_1a_signin"), Some("b2c_1a_signin")).matches("signin").count(), 1);
        assert_eq!(
            endpoint_for_policy(e, None, Some("b2c_1_edit_profile")),
            "https://t.b2clogin.com/t.onmicrosoft.com/b2c_1_edit_profile/oauth2/v2.0/authorize",
            "no policy configured: the segment before oauth2"
        );
    }

    #[test]
    fn otherwise_p_is_added_once() {
        assert_eq!(endpoint_for_policy("https://h/t/token", None, Some("b2c_1_x")), "https://h/t/token?p=b2c_1_x");
        assert_eq!(
            endpoint_for_policy("https://h/t/token", Some("other"), Some("b2c_1_x")),
            "https://h/t/token?p=b2c_1_x"
        );
        assert_eq!(endpoint_for_policy("https://h/t/token", None, None), "https://h/t/token");
        let legacy = "https://login.microsoftonline.com/t.onmicrosoft.com/oauth2/v2.0/token";
        assert_eq!(endpoint_for_policy(legacy, None, Some("b2c_1_x")), format!("{legacy}?p=b2c_1_x"));
    }

    #[test]
    fn finds_b2c_error_codes() {
        assert_eq!(error_code("AADB2C90118: The user has forgotten their password."), Some("AADB2C90118"));
        assert_eq!(error_code("access_denied AADB2C90091: cancelled"), Some("AADB2C90091"));
        assert_eq!(error_code("AADB2C9: short"), None);
        assert_eq!(error_code("plain description"), None);
    }
}
