//! Writing the flat JSON records we keep in storage (read back with [`super::json::Json`]).

use super::form::push_json_string;
use crate::core::text::decimal;

/// Builds one JSON object, member by member.
pub struct RecordWriter(String);

impl RecordWriter {
    /// Starts a record with its format version, `{"v":N`.
    pub fn new(version: u32) -> Self {
        RecordWriter(["{\"v\":", &decimal(version.into())].concat())
    }

    /// Adds a string member.
    pub fn string(mut self, key: &str, value: &str) -> Self {
        self.key(key);
        push_json_string(&mut self.0, value);
        self
    }

    /// Adds a string member when there is a value.
    pub fn opt_string(self, key: &str, value: Option<&str>) -> Self {
        match value {
            Some(v) => self.string(key, v),
            None => self,
        }
    }

    /// Adds an integer member.
    pub fn int(mut self, key: &str, value: i64) -> Self {
        self.key(key);
        self.0.push_str(&decimal(value));
        self
    }

    /// Adds an integer member when there is a value.
    pub fn opt_int(self, key: &str, value: Option<i64>) -> Self {
        match value {
            Some(v) => self.int(key, v),
            None => self,
        }
    }

    /// Adds a member whose value is already JSON text (the app's `appState`).
    pub fn raw(mut self, key: &str, json: Option<&str>) -> Self {
        if let Some(j) = json {
            self.key(key);
            self.0.push_str(j);
        }
        self
    }

    fn key(&mut self, key: &str) {
        self.0.push(',');
        push_json_string(&mut self.0, key);
        self.0.push(':');
    }

    /// The finished JSON text.
    pub fn finish(mut self) -> String {
        self.0.push('}');
        self.0
    }
}
