//! Idempotency records, read and written inside the create's own savepoint. Because all
//! writes are serial (see `writer`), two requests with the same key cannot both miss the
//! record: the second runs after the first and finds its answer.

use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::store::sqlite::now_ms;
use crate::store::Idempotency;

/// The stored answer for this key, if the same request was made before.
pub(super) fn replay(
    conn: &Connection,
    user: Uuid,
    idem: Option<&Idempotency>,
) -> Result<Option<String>> {
    let Some(idem) = idem else { return Ok(None) };
    let row: Option<(Vec<u8>, String)> = conn
        .prepare_cached(
            "SELECT request_hash, body FROM idempotency_keys WHERE user_id = ? AND key = ?",
        )?
        .query_row(params![user.to_string(), idem.key], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    match row {
        Some((hash, body)) if hash.as_slice() == idem.request_hash.as_slice() => Ok(Some(body)),
        Some(_) => Err(Error::IdempotencyMismatch),
        None => Ok(None),
    }
}

pub(super) fn remember(
    conn: &Connection,
    user: Uuid,
    idem: Option<&Idempotency>,
    status: u16,
    body: &impl serde::Serialize,
) -> Result<()> {
    let Some(idem) = idem else { return Ok(()) };
    let body = serde_json::to_string(body).map_err(Error::internal)?;
    conn.prepare_cached(
        "INSERT INTO idempotency_keys (user_id, key, request_hash, status, body, created_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![
        user.to_string(),
        idem.key,
        &idem.request_hash[..],
        i64::from(status),
        body,
        now_ms()
    ])?;
    Ok(())
}
