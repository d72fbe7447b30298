//! Drafts: what the user is writing, saved as they type, so a crash loses nothing.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::{now_ms, LocalStore, QueuedFile};
use crate::error::Result;

/// A ticket or reply being written. `key` is `new-ticket` or `reply:<ticket key>`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Draft {
    pub key: String,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub priority: Option<lifebuoy_domain::Priority>,
    /// Copies kept in the client's data dir.
    #[serde(default)]
    pub files: Vec<QueuedFile>,
    #[serde(default)]
    pub updated_at: i64,
}

impl LocalStore {
    pub fn save_draft(&self, draft: &Draft) -> Result<()> {
        let mut d = draft.clone();
        d.updated_at = now_ms();
        self.conn.execute(
            "INSERT INTO drafts (key, json, updated_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT(key) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at",
            params![d.key, serde_json::to_string(&d)?, d.updated_at],
        )?;
        Ok(())
    }

    pub fn draft(&self, key: &str) -> Result<Option<Draft>> {
        let json: Option<String> = self
            .conn
            .query_row("SELECT json FROM drafts WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(json.map(|j| serde_json::from_str(&j)).transpose()?)
    }

    /// Removes a draft; returns it so its files can be deleted or handed on.
    pub fn take_draft(&self, key: &str) -> Result<Option<Draft>> {
        let draft = self.draft(key)?;
        self.conn
            .execute("DELETE FROM drafts WHERE key = ?1", [key])?;
        Ok(draft)
    }
}
