//! The optional step log (`logLevel`): each step of a flow on the console, never a secret.
//! Messages are built only from what is public: endpoint origins and paths (never queries),
//! HTTP statuses, error codes, lifetimes, algorithm names.

use crate::core::config::LogLevel;

/// Writes the steps at or above its level to the console.
pub struct Logger(LogLevel);

impl Logger {
    /// A logger at `level`.
    pub fn new(level: LogLevel) -> Self {
        Logger(level)
    }

    /// A step of a flow (`console.info`): the message is `parts` joined, only when it will be
    /// shown. Parts, not a closure: one function for every call site instead of one each.
    pub fn info(&self, parts: &[&str]) {
        if self.0 >= LogLevel::Info {
            web_sys::console::info_2(&"[spa-oauth]".into(), &parts.concat().into());
        }
    }

    /// A detail of a step (`console.debug`).
    pub fn debug(&self, parts: &[&str]) {
        if self.0 >= LogLevel::Debug {
            web_sys::console::debug_2(&"[spa-oauth]".into(), &parts.concat().into());
        }
    }
}

/// `url` without its query and fragment, for a log line (a query may carry `state` or `p`).
pub fn public_part(url: &str) -> &str {
    crate::core::url::without_query(url)
}
