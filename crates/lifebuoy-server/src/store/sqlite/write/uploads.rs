//! Uploads on the writing connection: the row before the file, staging when it is stored,
//! and attaching inside the ticket's or message's own write (all or nothing).

use std::collections::HashSet;

use lifebuoy_domain::rules::Actor;
use lifebuoy_domain::validation::MAX_ATTACHMENTS;
use lifebuoy_domain::wire::Attachment;
use lifebuoy_domain::FieldError;
use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use super::idempotency;
use crate::error::{Error, Result};
use crate::store::sqlite::now_ms;
use crate::store::{Attach, Created, FinishedUpload, Idempotency};

const MIB: f64 = 1024.0 * 1024.0;

/// Attaches the caller's staged uploads to a ticket (and message), or explains which ids
/// cannot be attached.
pub(super) fn attach(
    conn: &Connection,
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
    let mut staged = conn.prepare_cached(
        "SELECT size FROM uploads WHERE id = ? AND owner_id = ? AND state = 'staged' \
         AND expires_at > ?",
    )?;
    for (i, id) in attach.ids.iter().enumerate() {
        let size: Option<i64> = staged
            .query_row(params![id.to_string(), actor.id.to_string(), now], |r| {
                r.get(0)
            })
            .optional()?;
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
    let existing: i64 = conn
        .prepare_cached("SELECT COALESCE(SUM(size), 0) FROM uploads WHERE ticket_seq = ?")?
        .query_row([ticket_seq], |r| r.get(0))?;
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
    let mut attached = Vec::with_capacity(attach.ids.len());
    let mut mark = conn.prepare_cached(
        "UPDATE uploads SET state = 'attached', ticket_seq = ?, message_seq = ?, internal = ?, \
         attached_at = ?, expires_at = NULL WHERE id = ? \
         RETURNING file_name, size, content_type, sha256, thumbnail_key IS NOT NULL",
    )?;
    for id in &attach.ids {
        attached.push(mark.query_row(
            params![ticket_seq, message_seq, internal, now, id.to_string()],
            |r| {
                Ok(Attachment {
                    id: *id,
                    file_name: r.get(0)?,
                    size: r.get(1)?,
                    content_type: r.get(2)?,
                    sha256: r.get(3)?,
                    has_thumbnail: r.get(4)?,
                })
            },
        )?);
    }
    conn.prepare_cached(if internal {
        "UPDATE tickets SET internal_attachments = internal_attachments + ? WHERE seq = ?"
    } else {
        "UPDATE tickets SET public_attachments = public_attachments + ? WHERE seq = ?"
    })?
    .execute(params![attach.ids.len() as i64, ticket_seq])?;
    Ok(attached)
}

/// Records an upload about to be written, before a byte is written.
pub(in crate::store::sqlite) fn begin(
    conn: &Connection,
    owner: Uuid,
    id: Uuid,
    storage_key: &str,
    file_name: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO uploads (id, owner_id, state, storage_key, file_name, created_at) \
         VALUES (?, ?, 'receiving', ?, ?, ?)",
    )?
    .execute(params![
        id.to_string(),
        owner.to_string(),
        storage_key,
        file_name,
        now_ms()
    ])?;
    Ok(())
}

/// Marks a stored and checked upload staged, or replays an earlier answer under the key.
pub(in crate::store::sqlite) fn stage(
    conn: &Connection,
    owner: Uuid,
    id: Uuid,
    done: FinishedUpload,
    idem: Option<Idempotency>,
) -> Result<Created<Attachment>> {
    if let Some(body) = idempotency::replay(conn, owner, idem.as_ref())? {
        return Ok(Created::Replay(body));
    }
    let file_name: String = conn
        .prepare_cached(
            "UPDATE uploads SET state = 'staged', content_type = ?, size = ?, sha256 = ?, \
             thumbnail_key = ?, expires_at = ? WHERE id = ? AND state = 'receiving' \
             RETURNING file_name",
        )?
        .query_row(
            params![
                done.content_type,
                done.size,
                done.sha256,
                done.thumbnail_key,
                done.expires_at.timestamp_millis(),
                id.to_string()
            ],
            |r| r.get(0),
        )?;
    let staged = Attachment {
        id,
        file_name,
        size: done.size,
        content_type: done.content_type,
        sha256: done.sha256,
        has_thumbnail: done.thumbnail_key.is_some(),
    };
    idempotency::remember(conn, owner, idem.as_ref(), 201, &staged)?;
    Ok(Created::New(staged))
}

/// Forgets an upload's row (its file must already be gone).
pub(in crate::store::sqlite) fn forget(conn: &Connection, id: Uuid) -> Result<()> {
    conn.prepare_cached("DELETE FROM uploads WHERE id = ?")?
        .execute([id.to_string()])?;
    Ok(())
}
