//! Uploaded files: staging, attaching (inside the ticket's or message's transaction),
//! who may read them, and what the sweeper should remove.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use lifebuoy_domain::rules::Actor;
use lifebuoy_domain::validation::MAX_ATTACHMENTS;
use lifebuoy_domain::wire::Attachment;
use lifebuoy_domain::FieldError;
use sqlx::SqliteConnection;
use uuid::Uuid;

use super::{idempotency, now_ms, parse_id, SqliteStore};
use crate::error::{Error, Result};
use crate::store::{Attach, Created, DeadUpload, FinishedUpload, Idempotency, StoredFile};

const MIB: f64 = 1024.0 * 1024.0;

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

/// Attaches the caller's staged uploads to a ticket (and message), or explains which ids
/// cannot be attached. Runs inside the caller's transaction: all or nothing.
pub(super) async fn attach(
    conn: &mut SqliteConnection,
    actor: Actor,
    ticket_seq: i64,
    message_seq: Option<i64>,
    internal: bool,
    attach: &Attach,
    now: i64,
) -> Result<Vec<Attachment>> {
    if attach.ids.is_empty() {
        return Ok(Vec::new());
    }
    if attach.ids.len() > MAX_ATTACHMENTS {
        return Err(FieldError::new(
            "attachment_ids",
            format!("at most {MAX_ATTACHMENTS} files can be attached at once"),
        )
        .into());
    }
    if attach.ids.iter().collect::<HashSet<_>>().len() != attach.ids.len() {
        return Err(FieldError::new("attachment_ids", "the same file is listed twice").into());
    }
    let mut errors = Vec::new();
    let mut total = 0;
    for (i, id) in attach.ids.iter().enumerate() {
        let size: Option<i64> = sqlx::query_scalar(
            "SELECT size FROM uploads WHERE id = ? AND owner_id = ? AND state = 'staged' \
             AND expires_at > ?",
        )
        .bind(id.to_string())
        .bind(actor.id.to_string())
        .bind(now)
        .fetch_optional(&mut *conn)
        .await?;
        match size {
            Some(size) => total += size,
            None => errors.push(FieldError::new(
                format!("attachment_ids[{i}]"),
                format!(
                    "{id} is not one of your uploads, is already attached, or has expired; upload the file again"
                ),
            )),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let existing: i64 =
        sqlx::query_scalar("SELECT COALESCE(SUM(size), 0) FROM uploads WHERE ticket_seq = ?")
            .bind(ticket_seq)
            .fetch_one(&mut *conn)
            .await?;
    if existing + total > attach.ticket_quota {
        return Err(FieldError::new(
            "attachment_ids",
            format!(
                "this ticket's files would total {:.1} MiB; a ticket holds at most {:.1} MiB",
                (existing + total) as f64 / MIB,
                attach.ticket_quota as f64 / MIB
            ),
        )
        .into());
    }
    for id in &attach.ids {
        sqlx::query(
            "UPDATE uploads SET state = 'attached', ticket_seq = ?, message_seq = ?, internal = ?, \
             attached_at = ?, expires_at = NULL WHERE id = ?",
        )
        .bind(ticket_seq)
        .bind(message_seq)
        .bind(internal)
        .bind(now)
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(if internal {
        "UPDATE tickets SET internal_attachments = internal_attachments + ? WHERE seq = ?"
    } else {
        "UPDATE tickets SET public_attachments = public_attachments + ? WHERE seq = ?"
    })
    .bind(attach.ids.len() as i64)
    .bind(ticket_seq)
    .execute(&mut *conn)
    .await?;

    let mut attached = Vec::new();
    for id in &attach.ids {
        let row: AttachmentRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{ATTACHMENT_COLUMNS} WHERE id = ?"
        )))
        .bind(id.to_string())
        .fetch_one(&mut *conn)
        .await?;
        attached.push(row.into_attachment()?);
    }
    Ok(attached)
}

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
    pub(super) async fn insert_upload(
        &self,
        owner: Uuid,
        id: Uuid,
        storage_key: &str,
        file_name: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO uploads (id, owner_id, state, storage_key, file_name, created_at) \
             VALUES (?, ?, 'receiving', ?, ?, ?)",
        )
        .bind(id.to_string())
        .bind(owner.to_string())
        .bind(storage_key)
        .bind(file_name)
        .bind(now_ms())
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    pub(super) async fn stage_upload(
        &self,
        owner: Uuid,
        id: Uuid,
        done: FinishedUpload,
        idem: Option<Idempotency>,
    ) -> Result<Created<Attachment>> {
        let mut tx = self.writer.begin().await?;
        if let Some(body) = idempotency::replay(&mut tx, owner, idem.as_ref()).await? {
            return Ok(Created::Replay(body));
        }
        let file_name: String = sqlx::query_scalar(
            "UPDATE uploads SET state = 'staged', content_type = ?, size = ?, sha256 = ?, \
             thumbnail_key = ?, expires_at = ? WHERE id = ? AND state = 'receiving' \
             RETURNING file_name",
        )
        .bind(&done.content_type)
        .bind(done.size)
        .bind(&done.sha256)
        .bind(&done.thumbnail_key)
        .bind(done.expires_at.timestamp_millis())
        .bind(id.to_string())
        .fetch_one(&mut *tx)
        .await?;
        let staged = Attachment {
            id,
            file_name,
            size: done.size,
            content_type: done.content_type,
            sha256: done.sha256,
            has_thumbnail: done.thumbnail_key.is_some(),
        };
        idempotency::remember(&mut tx, owner, idem.as_ref(), 201, &staged).await?;
        tx.commit().await?;
        Ok(Created::New(staged))
    }

    pub(super) async fn delete_upload(&self, id: Uuid) -> Result<()> {
        sqlx::query("DELETE FROM uploads WHERE id = ?")
            .bind(id.to_string())
            .execute(&self.writer)
            .await?;
        Ok(())
    }

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
