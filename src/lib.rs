//! # spa-oauth
//!
//! An OAuth 2.0 / OpenID Connect client for single-page apps: the authorization code flow with
//! PKCE for a public client (RFC 6749 §4.1, RFC 7636), with Azure AD B2C as a first-class
//! provider, compiled to WebAssembly and used from JavaScript through [`api::AuthClient`].
//!
//! Layers, data flowing one way: [`api`] (the `#[wasm_bindgen]` surface) → [`client`]
//! (orchestration) → [`core`] decides (pure Rust, tested natively) and [`browser`] does I/O.
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

pub mod core;
pub mod single_flight;
pub mod turns;

#[cfg(target_arch = "wasm32")]
pub mod api;
#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod client;

// SAFETY: the module runs on the page's one thread; it starts no worker and shares no memory.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
