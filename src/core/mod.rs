//! The protocol core: pure Rust, no browser APIs, tested natively with `cargo test`.
//!
//! It decides; the [`crate::browser`] layer does the I/O. Every public function documents the
//! RFC section it implements.

pub mod apis;
pub mod authorize;
pub mod b2c;
pub mod base64url;
pub mod callback;
pub mod config;
pub mod discovery;
pub mod error;
pub mod form;
pub mod id_token;
pub mod json;
pub mod jwks;
pub mod jwt;
pub mod options;
pub mod pkce;
pub mod record;
pub mod resource;
pub mod secret;
pub mod text;
pub mod token;
pub mod token_set;
pub mod transaction;
pub mod url;
