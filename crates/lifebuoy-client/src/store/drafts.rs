//! Drafts: what the user is writing, saved as they type, so a crash loses nothing.

use rusqlite::{params, OptionalExtension, Transaction};
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
    /// The key a draft lives under now: a reply begun on a ticket while it had only its
    /// local key moved to the server's id when the ticket was sent (`complete_ticket`),
    /// and a form still open under the old key keeps writing to the same draft.
    fn current_key(&self, key: &str) -> Result<String> {
        let Some(local) = key.strip_prefix(REPLY_PREFIX) else {
            return Ok(key.to_owned());
        };
        let server: Option<String> = self
            .conn
            .query_row(
                "SELECT server_id FROM aliases WHERE local_key = ?1",
                [local],
                |r| r.get(0),
            )
            .optional()?;
        Ok(match server {
            Some(id) => format!("{REPLY_PREFIX}{id}"),
            None => key.to_owned(),
        })
    }

    pub fn save_draft(&self, draft: &Draft) -> Result<()> {
        let mut d = draft.clone();
        d.key = self.current_key(&draft.key)?;
        d.updated_at = now_ms();
        self.conn.execute(
            "INSERT INTO drafts (key, json, updated_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT(key) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at",
            params![d.key, serde_json::to_string(&d)?, d.updated_at],
        )?;
        Ok(())
    }

    pub fn draft(&self, key: &str) -> Result<Option<Draft>> {
        let key = self.current_key(key)?;
        let json: Option<String> = self
            .conn
            .query_row("SELECT json FROM drafts WHERE key = ?1", [&key], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(json.map(|j| serde_json::from_str(&j)).transpose()?)
    }

    /// Removes a draft; returns it so its files can be deleted or handed on.
    pub fn take_draft(&self, key: &str) -> Result<Option<Draft>> {
        let key = self.current_key(key)?;
        let draft = self.draft(&key)?;
        self.conn
            .execute("DELETE FROM drafts WHERE key = ?1", [&key])?;
        Ok(draft)
    }
}

const REPLY_PREFIX: &str = "reply:";

/// In the transaction that gives a ticket its server id: the reply being written on it
/// follows, unless one was already written under the new key (then both are kept).
pub(crate) fn move_reply_draft(tx: &Transaction<'_>, local: &str, server: &str) -> Result<()> {
    let new_key = format!("{REPLY_PREFIX}{server}");
    tx.execute(
        "UPDATE OR IGNORE drafts SET key = ?2, json = json_set(json, '$.key', ?2) \
         WHERE key = ?1",
        params![format!("{REPLY_PREFIX}{local}"), new_key],
    )?;
    Ok(())
}
