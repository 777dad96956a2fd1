//! Keeps docs/catalog.md, the readable summary of the hostile-input catalog, in step with
//! tests/catalog/cases.rs. `SPA_OAUTH_WRITE_DOCS=1 cargo test --test catalog_doc` rewrites it.
#![cfg(not(target_arch = "wasm32"))]
#![allow(dead_code)] // the runner's half of the case table lives in tests/catalog.rs

macro_rules! catalog {
    ($($id:ident => $case:expr,)*) => {
        fn cases() -> Vec<(&'static str, Case)> {
            vec![$((stringify!($id), $case)),*]
        }
    };
}

include!("catalog/cases.rs");

fn outcome(e: &Expect) -> String {
    let result = match e.code {
        "" => "no error".to_owned(),
        code => format!("`{code}`"),
    };
    let requests = match e.token_requests {
        0 => "no token request".to_owned(),
        1 => "one token request".to_owned(),
        n => format!("{n} token requests"),
    };
    let session = if e.stored { "session held" } else { "no session" };
    format!("{result}; {requests}; {session}")
}

fn render() -> String {
    let cases = cases();
    let mut out = String::from(
        "# Hostile inputs and faults: what each one gets\n\n\
         Generated from `tests/catalog/cases.rs` by `tests/catalog_doc.rs`; every row is a test that runs in\n\
         headless Chromium against `tests/support/fixture-server.mjs` (`npm test`). Besides the outcome below,\n\
         every case checks that the URL holds no `code`, `state`, `iss` or `error` afterwards, and that no\n\
         secret of the login (state, nonce, PKCE verifier, code, tokens) appears in the error or on the console.\n",
    );
    let mut area = "";
    for (id, case) in &cases {
        if case.area != area {
            area = case.area;
            out.push_str(&format!("\n## {area}\n\n| case | input | outcome |\n| --- | --- | --- |\n"));
        }
        out.push_str(&format!("| `{id}` | {} | {} |\n", case.input.replace('|', "\\|"), outcome(&case.expect)));
    }
    out.push_str(&format!("\n{} cases.\n", cases.len()));
    out
}

#[test]
fn catalog_doc_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/catalog.md");
    let fresh = render();
    if std::env::var_os("SPA_OAUTH_WRITE_DOCS").is_some() {
        std::fs::write(path, &fresh).unwrap();
    }
    let current = std::fs::read_to_string(path).unwrap_or_default();
    assert!(current == fresh, "docs/catalog.md is stale: run SPA_OAUTH_WRITE_DOCS=1 cargo test --test catalog_doc");
}

#[test]
fn the_catalog_has_at_least_60_cases() {
    assert!(cases().len() >= 60);
}
