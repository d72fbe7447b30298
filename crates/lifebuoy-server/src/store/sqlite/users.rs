//! Reading accounts and sessions: sign-in and the user behind a bearer token.

use lifebuoy_domain::wire::User;

use super::{now_ms, parse_id, parse_stored, SqliteStore};
use crate::error::Result;
use crate::store::Credentials;

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

    pub(super) async fn find_session_user(&self, token_hash: [u8; 32]) -> Result<Option<User>> {
        let now = now_ms();
        let seen = match self.sessions.get(&token_hash, now) {
            Ok(user) => return Ok(Some(user)),
            Err(seen) => seen,
        };
        let row = sqlx::query_as::<_, SessionRow>(
            "SELECT u.id, u.email, u.name, u.role, s.expires_at FROM sessions s \
             JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = 1",
        )
        .bind(token_hash.to_vec())
        .bind(now)
        .fetch_optional(&self.reader)
        .await?;
        let Some(SessionRow { user, expires_at }) = row else {
            return Ok(None);
        };
        let user = user.into_user()?;
        self.sessions
            .put(seen, token_hash, user.clone(), expires_at);
        Ok(Some(user))
    }
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    #[sqlx(flatten)]
    user: UserRow,
    expires_at: i64,
}
