//! Account changes by an admin, on the writing connection. The last-admin and
//! self-deactivation rules are checked here, inside the write, so two admins acting at
//! once cannot both pass them.

use lifebuoy_domain::rules::Actor;
use lifebuoy_domain::staff::UserAccount;
use lifebuoy_domain::Role;
use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use super::{idempotency, users};
use crate::error::{Error, Result};
use crate::store::sqlite::users_admin::{AccountRow, ACCOUNT_SELECT};
use crate::store::{Created, Idempotency, NewUser, UserChange};

fn account(conn: &Connection, id: Uuid) -> Result<Option<UserAccount>> {
    conn.prepare_cached(&format!("{ACCOUNT_SELECT} WHERE id = ?"))?
        .query_row([id.to_string()], |r| {
            Ok(AccountRow {
                id: r.get(0)?,
                email: r.get(1)?,
                name: r.get(2)?,
                role: r.get(3)?,
                active: r.get(4)?,
                created_at: r.get(5)?,
            })
        })
        .optional()?
        .map(AccountRow::into_account)
        .transpose()
}

pub(in crate::store::sqlite) fn add(
    conn: &Connection,
    actor: Actor,
    user: NewUser,
    idem: Option<Idempotency>,
) -> Result<Created<UserAccount>> {
    if let Some(body) = idempotency::replay(conn, actor.id, idem.as_ref())? {
        return Ok(Created::Replay(body));
    }
    let created = users::create(conn, user)?;
    let account = account(conn, created.id)?.ok_or(Error::NotFound("user"))?;
    idempotency::remember(conn, actor.id, idem.as_ref(), 201, &account)?;
    Ok(Created::New(account))
}

/// What an update did: the account after it, and whether its sessions were revoked.
pub(in crate::store::sqlite) struct Updated {
    pub account: UserAccount,
    pub revoked_sessions: usize,
}

pub(in crate::store::sqlite) fn update(
    conn: &Connection,
    actor: Actor,
    id: Uuid,
    change: UserChange,
) -> Result<Updated> {
    let before = account(conn, id)?.ok_or(Error::NotFound("user"))?;
    if change.active == Some(false) && id == actor.id {
        return Err(Error::Conflict(
            "You cannot deactivate your own account; ask another admin to do it.".to_owned(),
        ));
    }
    let stays_admin =
        change.role.unwrap_or(before.role) == Role::Admin && change.active.unwrap_or(before.active);
    if before.role == Role::Admin && before.active && !stays_admin {
        let active_admins: i64 = conn
            .prepare_cached("SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = 1")?
            .query_row([], |r| r.get(0))?;
        if active_admins <= 1 {
            return Err(Error::Conflict(format!(
                "{} is the last active admin: make another user an admin first, or nobody \
                 could manage users and categories any more.",
                before.name
            )));
        }
    }
    conn.prepare_cached(
        "UPDATE users SET name = COALESCE(?, name), role = COALESCE(?, role), \
         active = COALESCE(?, active), password_hash = COALESCE(?, password_hash) WHERE id = ?",
    )?
    .execute(params![
        change.name,
        change.role.map(Role::as_str),
        change.active,
        change.password_hash,
        id.to_string(),
    ])?;
    let revoke = change.active == Some(false) || change.password_hash.is_some();
    let revoked_sessions = if revoke {
        conn.prepare_cached("DELETE FROM sessions WHERE user_id = ?")?
            .execute([id.to_string()])?
    } else {
        0
    };
    let account = account(conn, id)?.ok_or(Error::NotFound("user"))?;
    Ok(Updated {
        account,
        revoked_sessions,
    })
}
