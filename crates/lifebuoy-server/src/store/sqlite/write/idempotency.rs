//! Idempotency records, read and written inside the create's own transaction. Because all
//! writes are serial (see the module docs of `sqlite`), two requests with the same key
//! cannot both miss the record: the second waits and then finds the first's answer.

use sqlx::SqliteConnection;
use uuid::Uuid;

use super::now_ms;
use crate::error::{Error, Result};
use crate::store::Idempotency;

/// The stored answer for this key, if the same request was made before.
pub(super) async fn replay(
    conn: &mut SqliteConnection,
    user: Uuid,
    idem: Option<&Idempotency>,
) -> Result<Option<String>> {
    let Some(idem) = idem else { return Ok(None) };
    let row = sqlx::query_as::<_, (Vec<u8>, String)>(
        "SELECT request_hash, body FROM idempotency_keys WHERE user_id = ? AND key = ?",
    )
    .bind(user.to_string())
    .bind(&idem.key)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some((hash, body)) if hash == idem.request_hash => Ok(Some(body)),
        Some(_) => Err(Error::IdempotencyMismatch),
        None => Ok(None),
    }
}

pub(super) async fn remember(
    conn: &mut SqliteConnection,
    user: Uuid,
    idem: Option<&Idempotency>,
    status: u16,
    body: &impl serde::Serialize,
) -> Result<()> {
    let Some(idem) = idem else { return Ok(()) };
    let body = serde_json::to_string(body).map_err(Error::internal)?;
    sqlx::query(
        "INSERT INTO idempotency_keys (user_id, key, request_hash, status, body, created_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(user.to_string())
    .bind(&idem.key)
    .bind(idem.request_hash.to_vec())
    .bind(i64::from(status))
    .bind(body)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
