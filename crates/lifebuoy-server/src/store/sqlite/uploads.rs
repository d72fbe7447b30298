//! Reading uploaded files' rows: attachments as a viewer sees them, who may read a file,
//! and what the sweeper should remove. Staging and attaching are in `write::uploads`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use lifebuoy_domain::rules::Actor;
use lifebuoy_domain::wire::Attachment;
use sqlx::SqliteConnection;
use uuid::Uuid;

use super::{parse_id, SqliteStore};
use crate::error::Result;
use crate::store::{DeadUpload, StoredFile};

#[derive(sqlx::FromRow)]
pub(super) struct AttachmentRow {
    id: String,
    file_name: String,
    size: i64,
    content_type: String,
    sha256: String,
    has_thumbnail: bool,
    pub message_seq: Option<i64>,
}

impl AttachmentRow {
    pub fn into_attachment(self) -> Result<Attachment> {
        Ok(Attachment {
            id: parse_id(&self.id)?,
            file_name: self.file_name,
            size: self.size,
            content_type: self.content_type,
            sha256: self.sha256,
            has_thumbnail: self.has_thumbnail,
        })
    }
}

const ATTACHMENT_COLUMNS: &str = "SELECT id, file_name, size, content_type, sha256, \
    thumbnail_key IS NOT NULL AS has_thumbnail, message_seq FROM uploads";

/// A ticket's visible attachments: its own, and each message's by message seq.
pub(super) async fn attachments_of(
    conn: &mut SqliteConnection,
    viewer: Actor,
    ticket_seq: i64,
) -> Result<(Vec<Attachment>, HashMap<i64, Vec<Attachment>>)> {
    let filter = if viewer.role.is_staff() {
        ""
    } else {
        " AND internal = 0"
    };
    let rows: Vec<AttachmentRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{ATTACHMENT_COLUMNS} WHERE ticket_seq = ? AND state = 'attached'{filter} \
         ORDER BY attached_at, rowid"
    )))
    .bind(ticket_seq)
    .fetch_all(&mut *conn)
    .await?;
    let mut own = Vec::new();
    let mut by_message: HashMap<i64, Vec<Attachment>> = HashMap::new();
    for row in rows {
        match row.message_seq {
            Some(seq) => by_message
                .entry(seq)
                .or_default()
                .push(row.into_attachment()?),
            None => own.push(row.into_attachment()?),
        }
    }
    Ok((own, by_message))
}

impl SqliteStore {
    pub(super) async fn sum_staged(&self, owner: Uuid) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COALESCE(SUM(size), 0) FROM uploads WHERE owner_id = ? \
             AND state IN ('receiving', 'staged')",
        )
        .bind(owner.to_string())
        .fetch_one(&self.reader)
        .await?)
    }

    pub(super) async fn find_stored_file(
        &self,
        viewer: Actor,
        id: Uuid,
    ) -> Result<Option<StoredFile>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            storage_key: String,
            thumbnail_key: Option<String>,
            file_name: String,
            content_type: String,
            size: i64,
            state: String,
            owner_id: String,
            internal: bool,
            requester_id: Option<String>,
        }
        let row: Option<Row> = sqlx::query_as(
            "SELECT u.storage_key, u.thumbnail_key, u.file_name, u.content_type, u.size, u.state, \
             u.owner_id, u.internal, t.requester_id FROM uploads u \
             LEFT JOIN tickets t ON t.seq = u.ticket_seq WHERE u.id = ?",
        )
        .bind(id.to_string())
        .fetch_optional(&self.reader)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let me = viewer.id.to_string();
        let visible = match row.state.as_str() {
            // A staged file has no ticket yet: only its uploader may preview it.
            "staged" => row.owner_id == me,
            "attached" => {
                viewer.role.is_staff()
                    || (!row.internal && row.requester_id.as_deref() == Some(me.as_str()))
            }
            _ => false,
        };
        Ok(visible.then_some(StoredFile {
            storage_key: row.storage_key,
            thumbnail_key: row.thumbnail_key,
            file_name: row.file_name,
            content_type: row.content_type,
            size: row.size,
        }))
    }

    pub(super) async fn find_dead_uploads(
        &self,
        now: DateTime<Utc>,
        receiving_before: DateTime<Utc>,
    ) -> Result<Vec<DeadUpload>> {
        let rows: Vec<(String, String, Option<String>)> = sqlx::query_as(
            "SELECT id, storage_key, thumbnail_key FROM uploads WHERE \
             (state = 'staged' AND expires_at <= ?) OR (state = 'receiving' AND created_at < ?)",
        )
        .bind(now.timestamp_millis())
        .bind(receiving_before.timestamp_millis())
        .fetch_all(&self.reader)
        .await?;
        rows.into_iter()
            .map(|(id, storage_key, thumbnail_key)| {
                Ok(DeadUpload {
                    id: parse_id(&id)?,
                    storage_key,
                    thumbnail_key,
                })
            })
            .collect()
    }
}

/// One message's files (all share the message's visibility).
pub(super) async fn attachments_of_message(
    conn: &mut SqliteConnection,
    message_seq: i64,
) -> Result<Vec<Attachment>> {
    let rows: Vec<AttachmentRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{ATTACHMENT_COLUMNS} WHERE message_seq = ? AND state = 'attached' ORDER BY attached_at, rowid"
    )))
    .bind(message_seq)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(AttachmentRow::into_attachment)
        .collect()
}
