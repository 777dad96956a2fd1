//! Where tokens and login transactions live: `sessionStorage`, `localStorage` or memory.
//!
//! Web Storage throws when it is disabled (sandboxed iframes, some private modes) or full
//! (`QuotaExceededError`); both become `storage_error`, never a panic.

use std::cell::RefCell;

use crate::core::config::StorageKind;
use crate::core::error::{AuthError, ErrorKind, Result};

/// A key-value store.
pub enum Store {
    /// `window.sessionStorage` or `window.localStorage`.
    Web(web_sys::Storage),
    /// Memory of this page only: a handful of keys, so a list beats a map in code size.
    Memory(RefCell<Vec<(String, String)>>),
}

impl Store {
    /// Opens the store of `kind`. Web Storage that is unavailable is an error: silently
    /// falling back would lose the login on the next page.
    pub fn open(kind: StorageKind) -> Result<Store> {
        let unavailable = || AuthError::new(ErrorKind::StorageError, "Web Storage is unavailable in this context");
        let window = web_sys::window().ok_or_else(unavailable)?;
        let storage = match kind {
            StorageKind::Memory => return Ok(Store::Memory(RefCell::default())),
            StorageKind::Session => window.session_storage(),
            StorageKind::Local => window.local_storage(),
        };
        storage.ok().flatten().map(Store::Web).ok_or_else(unavailable)
    }

    /// The value under `key`.
    pub fn get(&self, key: &str) -> Result<Option<String>> {
        match self {
            Store::Web(s) => s.get_item(key).map_err(|_| failed("read")),
            Store::Memory(m) => Ok(m.borrow().iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())),
        }
    }

    /// Stores `value` under `key`.
    pub fn set(&self, key: &str, value: &str) -> Result<()> {
        match self {
            Store::Web(s) => s.set_item(key, value).map_err(|_| failed("write (quota exceeded?)")),
            Store::Memory(m) => {
                let mut entries = m.borrow_mut();
                entries.retain(|(k, _)| k != key);
                entries.push((key.to_owned(), value.to_owned()));
                Ok(())
            }
        }
    }

    /// Removes `key`; failing to remove is not an error worth stopping for.
    pub fn remove(&self, key: &str) {
        match self {
            Store::Web(s) => {
                let _ = s.remove_item(key);
            }
            Store::Memory(m) => {
                m.borrow_mut().retain(|(k, _)| k != key);
            }
        }
    }
}

fn failed(what: &str) -> AuthError {
    AuthError::new(ErrorKind::StorageError, ["Web Storage failed to ", what].concat())
}
