//! Replies and internal notes on the writing connection.

use lifebuoy_domain::rules::{self, Actor};
use lifebuoy_domain::wire::Message;
use rusqlite::{params, Connection};
use uuid::Uuid;

use super::rows::{record_changes, record_message_change, ticket_row, write_state};
use super::{idempotency, uploads};
use crate::error::{Error, Result};
use crate::store::sqlite::rows::author;
use crate::store::sqlite::{now_ms, to_time};
use crate::store::{Created, Idempotency, NewMessage};

pub(in crate::store::sqlite) fn create(
    conn: &Connection,
    actor: Actor,
    ticket_id: Uuid,
    message: NewMessage,
    idem: Option<Idempotency>,
) -> Result<Created<Message>> {
    if let Some(body) = idempotency::replay(conn, actor.id, idem.as_ref())? {
        return Ok(Created::Replay(body));
    }
    let row = ticket_row(conn, actor, ticket_id)?.ok_or(Error::NotFound("ticket"))?;
    let mut state = row.state()?;
    let changes = rules::plan_message(&state, actor, message.internal)?;

    let now = now_ms();
    let id = Uuid::new_v4();
    let message_seq = conn
        .prepare_cached(
            "INSERT INTO messages (id, ticket_seq, author_id, body, internal, created_at) \
             VALUES (?, ?, ?, ?, ?, ?)",
        )?
        .insert(params![
            id.to_string(),
            row.seq,
            actor.id.to_string(),
            message.body,
            message.internal,
            now
        ])?;
    record_message_change(conn, row.seq, message_seq, message.internal, now)?;
    let attachments = uploads::attach(
        conn,
        actor,
        row.seq,
        Some(message_seq),
        message.internal,
        &message.attach,
        now,
    )?;
    conn.prepare_cached(if message.internal {
        "UPDATE tickets SET internal_messages = internal_messages + 1 WHERE seq = ?"
    } else {
        "UPDATE tickets SET public_messages = public_messages + 1 WHERE seq = ?"
    })?
    .execute([row.seq])?;

    for change in &changes {
        rules::apply(&mut state, change, to_time(now));
    }
    // An internal note leaves `updated_at` alone: a requester must not be able to tell
    // from their list that staff wrote something they cannot see.
    if !message.internal {
        write_state(conn, row.seq, &state, now)?;
    }
    record_changes(conn, row.seq, actor, &changes, now)?;

    let (name, role): (String, String) = conn
        .prepare_cached("SELECT name, role FROM users WHERE id = ?")?
        .query_row([actor.id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let created = Message {
        id,
        ticket_id,
        author: author(&actor.id.to_string(), name, &role)?,
        body: message.body,
        internal: message.internal,
        attachments,
        created_at: to_time(now),
    };
    idempotency::remember(conn, actor.id, idem.as_ref(), 201, &created)?;
    Ok(Created::New(created))
}
