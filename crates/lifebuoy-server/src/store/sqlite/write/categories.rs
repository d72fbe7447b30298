//! Categories on the writing connection: creating, renaming (on every ticket too) and
//! archiving them, and checking the category a ticket is filed or moved under.

use lifebuoy_domain::rules::Actor;
use lifebuoy_domain::staff::Category;
use lifebuoy_domain::wire::EventKind;
use lifebuoy_domain::FieldError;
use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use super::idempotency;
use super::rows::record_event;
use crate::error::{Error, Result};
use crate::store::sqlite::categories::{CategoryRow, CATEGORY_SELECT};
use crate::store::sqlite::now_ms;
use crate::store::{CategoryChange, Created, Idempotency};

fn category(conn: &Connection, id: Uuid) -> Result<Option<Category>> {
    conn.prepare_cached(&format!("{CATEGORY_SELECT} WHERE c.id = ?"))?
        .query_row([id.to_string()], |r| {
            Ok(CategoryRow {
                id: r.get(0)?,
                name: r.get(1)?,
                active: r.get(2)?,
                is_default: r.get(3)?,
                ticket_count: r.get(4)?,
            })
        })
        .optional()?
        .map(CategoryRow::into_category)
        .transpose()
}

/// Every category's name and whether it is active, for comparisons SQLite cannot make
/// (case beyond ASCII). There are tens of categories, not thousands.
fn all_names(conn: &Connection) -> Result<Vec<(String, String, bool)>> {
    let mut stmt = conn.prepare_cached("SELECT id, name, active FROM categories")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn same_name(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

/// Refuses a name another category already has, ignoring case.
fn check_unique(conn: &Connection, name: &str, except: Option<&str>) -> Result<()> {
    let taken = all_names(conn)?
        .into_iter()
        .find(|(id, other, _)| Some(id.as_str()) != except && same_name(other, name));
    match taken {
        Some((_, other, _)) => Err(Error::Conflict(format!(
            "A category named `{other}` already exists."
        ))),
        None => Ok(()),
    }
}

/// The stored spelling of the category a ticket is filed or moved under: an active one,
/// matched ignoring case; none asked for means the default.
pub(super) fn for_ticket(conn: &Connection, requested: Option<&str>) -> Result<String> {
    let Some(requested) = requested else {
        let default: Option<String> = conn
            .prepare_cached("SELECT name FROM categories WHERE is_default = 1")?
            .query_row([], |r| r.get(0))
            .optional()?;
        return default.ok_or_else(|| Error::internal("no default category"));
    };
    let names = all_names(conn)?;
    match names.iter().find(|(_, name, _)| same_name(name, requested)) {
        Some((_, name, true)) => Ok(name.clone()),
        Some((_, name, false)) => Err(FieldError::new(
            "category",
            format!("the category `{name}` is archived; choose another one"),
        )
        .into()),
        None => {
            let mut active: Vec<&str> = names
                .iter()
                .filter(|(_, _, active)| *active)
                .map(|(_, name, _)| name.as_str())
                .collect();
            active.sort_unstable_by_key(|n| n.to_lowercase());
            Err(FieldError::new(
                "category",
                format!(
                    "there is no category `{requested}`; choose one of: {}",
                    active.join(", ")
                ),
            )
            .into())
        }
    }
}

pub(in crate::store::sqlite) fn create(
    conn: &Connection,
    actor: Actor,
    name: String,
    idem: Option<Idempotency>,
) -> Result<Created<Category>> {
    if let Some(body) = idempotency::replay(conn, actor.id, idem.as_ref())? {
        return Ok(Created::Replay(body));
    }
    check_unique(conn, &name, None)?;
    let id = Uuid::new_v4();
    conn.prepare_cached(
        "INSERT INTO categories (id, name, active, is_default, created_at) VALUES (?, ?, 1, 0, ?)",
    )?
    .execute(params![id.to_string(), name, now_ms()])?;
    let created = category(conn, id)?.ok_or(Error::NotFound("category"))?;
    idempotency::remember(conn, actor.id, idem.as_ref(), 201, &created)?;
    Ok(Created::New(created))
}

/// Renames and/or (un)archives. A rename rewrites the category on its tickets and
/// records it in each one's timeline, which puts each in the change feed: clients
/// re-sync those tickets like any other change. `updated_at` stays, so nobody's list
/// reorders or shows the tickets as having new activity.
pub(in crate::store::sqlite) fn update(
    conn: &Connection,
    actor: Actor,
    id: Uuid,
    change: CategoryChange,
) -> Result<(Category, usize)> {
    let before = category(conn, id)?.ok_or(Error::NotFound("category"))?;
    if change.active == Some(false) && before.is_default {
        return Err(Error::Conflict(format!(
            "`{}` is the default category, where tickets filed without one go; it cannot be \
             archived.",
            before.name
        )));
    }
    let mut renamed = 0;
    if let Some(name) = change.name.as_ref().filter(|n| **n != before.name) {
        check_unique(conn, name, Some(&id.to_string()))?;
        conn.prepare_cached("UPDATE categories SET name = ? WHERE id = ?")?
            .execute(params![name, id.to_string()])?;
        let seqs = conn
            .prepare_cached("SELECT seq FROM tickets WHERE category = ? ORDER BY seq")?
            .query_map([&before.name], |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        conn.prepare_cached("UPDATE tickets SET category = ? WHERE category = ?")?
            .execute(params![name, before.name])?;
        let now = now_ms();
        for seq in &seqs {
            record_event(
                conn,
                *seq,
                Some(actor.id),
                EventKind::CategoryChanged,
                Some(before.name.clone()),
                Some(name.clone()),
                now,
            )?;
        }
        renamed = seqs.len();
    }
    if let Some(active) = change.active {
        conn.prepare_cached("UPDATE categories SET active = ? WHERE id = ?")?
            .execute(params![active, id.to_string()])?;
    }
    let after = category(conn, id)?.ok_or(Error::NotFound("category"))?;
    Ok((after, renamed))
}
