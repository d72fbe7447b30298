//! SQL text and its parameters, built piece by piece for the reader threads' rusqlite
//! connections (what sqlx's `QueryBuilder` is for the pool).

use std::fmt::{Display, Write};

use rusqlite::types::Value;
use rusqlite::ParamsFromIter;

pub(super) struct Sql {
    text: String,
    params: Vec<Value>,
}

impl Sql {
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            params: Vec::new(),
        }
    }

    /// Appends SQL text: never anything a user typed (that goes through [`Sql::push_bind`]).
    pub fn push(&mut self, text: impl Display) -> &mut Self {
        // Writing into a String cannot fail.
        let _ = write!(self.text, "{text}");
        self
    }

    /// Appends a parameter's placeholder and keeps its value.
    pub fn push_bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.params.push(value.into());
        self.text.push('?');
        self
    }

    /// Appends `(?, ?, …)` for `values`.
    pub fn push_list<V: Into<Value>>(&mut self, values: impl IntoIterator<Item = V>) -> &mut Self {
        self.text.push('(');
        for (i, value) in values.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.push_bind(value);
        }
        self.text.push(')');
        self
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn params(&self) -> ParamsFromIter<std::slice::Iter<'_, Value>> {
        rusqlite::params_from_iter(self.params.iter())
    }
}
