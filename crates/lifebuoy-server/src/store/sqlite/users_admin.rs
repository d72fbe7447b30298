//! Reading accounts for staff: the user list.

use lifebuoy_domain::staff::UserAccount;
use sqlx::{QueryBuilder, Sqlite};

use super::{parse_id, parse_stored, to_time, SqliteStore};
use crate::error::Result;
use crate::store::UserFilter;

pub(super) const ACCOUNT_SELECT: &str =
    "SELECT id, email, name, role, active, created_at FROM users";

#[derive(sqlx::FromRow)]
pub(super) struct AccountRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub active: bool,
    pub created_at: i64,
}

impl AccountRow {
    pub fn into_account(self) -> Result<UserAccount> {
        Ok(UserAccount {
            id: parse_id(&self.id)?,
            email: self.email,
            name: self.name,
            role: parse_stored("role", &self.role)?,
            active: self.active,
            created_at: to_time(self.created_at),
        })
    }
}

/// `text` as a LIKE pattern that matches it literally anywhere.
fn contains_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

impl SqliteStore {
    pub(super) async fn find_users(&self, filter: &UserFilter) -> Result<Vec<UserAccount>> {
        let mut qb = QueryBuilder::<Sqlite>::new(ACCOUNT_SELECT);
        qb.push(" WHERE 1 = 1");
        if !filter.roles.is_empty() {
            qb.push(" AND role IN (");
            let mut list = qb.separated(", ");
            for role in &filter.roles {
                list.push_bind(role.as_str());
            }
            qb.push(")");
        }
        if let Some(active) = filter.active {
            qb.push(" AND active = ").push_bind(active);
        }
        if let Some(text) = &filter.text {
            // SQLite's LIKE ignores case for ASCII letters only; other letters match as typed.
            let pattern = contains_pattern(text);
            qb.push(" AND (name LIKE ")
                .push_bind(pattern.clone())
                .push(" ESCAPE '\\' OR email LIKE ")
                .push_bind(pattern)
                .push(" ESCAPE '\\')");
        }
        qb.push(" ORDER BY name COLLATE NOCASE, email");
        qb.build_query_as::<AccountRow>()
            .fetch_all(&self.reader)
            .await?
            .into_iter()
            .map(AccountRow::into_account)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_match_only_themselves() {
        assert_eq!(contains_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }
}
