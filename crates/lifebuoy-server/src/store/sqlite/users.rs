//! Accounts and sessions.

use chrono::{DateTime, Utc};
use lifebuoy_domain::wire::User;
use uuid::Uuid;

use super::{now_ms, parse_id, parse_stored, SqliteStore};
use crate::error::{Error, Result};
use crate::store::{Credentials, NewUser};

#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    email: String,
    name: String,
    role: String,
}

impl UserRow {
    fn into_user(self) -> Result<User> {
        Ok(User {
            id: parse_id(&self.id)?,
            email: self.email,
            name: self.name,
            role: parse_stored("role", &self.role)?,
        })
    }
}

impl SqliteStore {
    pub(super) async fn insert_user(&self, user: NewUser) -> Result<User> {
        let id = Uuid::new_v4();
        let result = sqlx::query(
            "INSERT INTO users (id, email, name, role, password_hash, active, created_at) \
             VALUES (?, ?, ?, ?, ?, 1, ?)",
        )
        .bind(id.to_string())
        .bind(&user.email)
        .bind(&user.name)
        .bind(user.role.as_str())
        .bind(&user.password_hash)
        .bind(now_ms())
        .execute(&self.writer)
        .await;
        match result {
            Ok(_) => Ok(User {
                id,
                email: user.email,
                name: user.name,
                role: user.role,
            }),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(Error::Conflict(
                format!("a user with the email {} already exists", user.email),
            )),
            Err(e) => Err(e.into()),
        }
    }

    pub(super) async fn insert_user_if_missing(&self, user: NewUser) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO users (id, email, name, role, password_hash, active, created_at) \
             VALUES (?, ?, ?, ?, ?, 1, ?) ON CONFLICT (email) DO NOTHING",
        )
        .bind(Uuid::new_v4().to_string())
        .bind(&user.email)
        .bind(&user.name)
        .bind(user.role.as_str())
        .bind(&user.password_hash)
        .bind(now_ms())
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub(super) async fn find_credentials(&self, email: &str) -> Result<Option<Credentials>> {
        let row = sqlx::query_as::<_, (String, String, String, String, String, bool)>(
            "SELECT id, email, name, role, password_hash, active FROM users WHERE email = ?",
        )
        .bind(email)
        .fetch_optional(&self.reader)
        .await?;
        let Some((id, email, name, role, password_hash, active)) = row else {
            return Ok(None);
        };
        Ok(Some(Credentials {
            user: UserRow {
                id,
                email,
                name,
                role,
            }
            .into_user()?,
            password_hash,
            active,
        }))
    }

    pub(super) async fn insert_session(
        &self,
        user_id: Uuid,
        token_hash: [u8; 32],
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
        )
        .bind(token_hash.to_vec())
        .bind(user_id.to_string())
        .bind(now_ms())
        .bind(expires_at.timestamp_millis())
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    pub(super) async fn find_session_user(&self, token_hash: [u8; 32]) -> Result<Option<User>> {
        let row = sqlx::query_as::<_, UserRow>(
            "SELECT u.id, u.email, u.name, u.role FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = 1",
        )
        .bind(token_hash.to_vec())
        .bind(now_ms())
        .fetch_optional(&self.reader)
        .await?;
        row.map(UserRow::into_user).transpose()
    }

    pub(super) async fn remove_session(&self, token_hash: [u8; 32]) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(token_hash.to_vec())
            .execute(&self.writer)
            .await?;
        Ok(())
    }
}
