//! Accounts, sessions and the periodic sweep on the writing connection.

use chrono::{DateTime, Utc};
use lifebuoy_domain::wire::User;
use rusqlite::{ffi, params, Connection};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::store::sqlite::now_ms;
use crate::store::NewUser;

pub(in crate::store::sqlite) fn create(conn: &Connection, user: NewUser) -> Result<User> {
    let id = Uuid::new_v4();
    let result = conn
        .prepare_cached(
            "INSERT INTO users (id, email, name, role, password_hash, active, created_at) \
             VALUES (?, ?, ?, ?, ?, 1, ?)",
        )?
        .execute(params![
            id.to_string(),
            user.email,
            user.name,
            user.role.as_str(),
            user.password_hash,
            now_ms()
        ]);
    match result {
        Ok(_) => Ok(User {
            id,
            email: user.email,
            name: user.name,
            role: user.role,
        }),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.extended_code == ffi::SQLITE_CONSTRAINT_UNIQUE =>
        {
            Err(Error::Conflict(format!(
                "a user with the email {} already exists",
                user.email
            )))
        }
        Err(e) => Err(e.into()),
    }
}

/// Creates the user unless one with that email exists; true if it was created.
pub(in crate::store::sqlite) fn create_if_missing(
    conn: &Connection,
    user: NewUser,
) -> Result<bool> {
    let inserted = conn
        .prepare_cached(
            "INSERT INTO users (id, email, name, role, password_hash, active, created_at) \
             VALUES (?, ?, ?, ?, ?, 1, ?) ON CONFLICT (email) DO NOTHING",
        )?
        .execute(params![
            Uuid::new_v4().to_string(),
            user.email,
            user.name,
            user.role.as_str(),
            user.password_hash,
            now_ms()
        ])?;
    Ok(inserted == 1)
}

pub(in crate::store::sqlite) fn create_session(
    conn: &Connection,
    user_id: Uuid,
    token_hash: [u8; 32],
    expires_at: DateTime<Utc>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
    )?
    .execute(params![
        &token_hash[..],
        user_id.to_string(),
        now_ms(),
        expires_at.timestamp_millis()
    ])?;
    Ok(())
}

pub(in crate::store::sqlite) fn delete_session(
    conn: &Connection,
    token_hash: [u8; 32],
) -> Result<()> {
    conn.prepare_cached("DELETE FROM sessions WHERE token_hash = ?")?
        .execute([&token_hash[..]])?;
    Ok(())
}

/// Deletes expired sessions and idempotency records older than `keys_before`.
pub(in crate::store::sqlite) fn sweep(
    conn: &Connection,
    now: DateTime<Utc>,
    keys_before: DateTime<Utc>,
) -> Result<()> {
    conn.prepare_cached("DELETE FROM sessions WHERE expires_at <= ?")?
        .execute([now.timestamp_millis()])?;
    conn.prepare_cached("DELETE FROM idempotency_keys WHERE created_at < ?")?
        .execute([keys_before.timestamp_millis()])?;
    Ok(())
}
