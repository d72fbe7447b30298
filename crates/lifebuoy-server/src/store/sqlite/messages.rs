//! Replies and internal notes.

use lifebuoy_domain::rules::{self, Actor};
use lifebuoy_domain::wire::Message;
use uuid::Uuid;

use super::rows::{self, author, record_changes, ticket_row};
use super::{idempotency, now_ms, to_time, uploads, SqliteStore};
use crate::error::{Error, Result};
use crate::store::{Created, Idempotency, NewMessage};

impl SqliteStore {
    pub(super) async fn insert_message(
        &self,
        actor: Actor,
        ticket_id: Uuid,
        message: NewMessage,
        idem: Option<Idempotency>,
    ) -> Result<Created<Message>> {
        let mut tx = self.writer.begin().await?;
        if let Some(body) = idempotency::replay(&mut tx, actor.id, idem.as_ref()).await? {
            return Ok(Created::Replay(body));
        }
        let row = ticket_row(&mut tx, actor, ticket_id)
            .await?
            .ok_or(Error::NotFound("ticket"))?;
        let mut state = row.state()?;
        let changes = rules::plan_message(&state, actor, message.internal)?;

        let now = now_ms();
        let id = Uuid::new_v4();
        let message_seq: i64 = sqlx::query_scalar(
            "INSERT INTO messages (id, ticket_seq, author_id, body, internal, created_at) \
             VALUES (?, ?, ?, ?, ?, ?) RETURNING seq",
        )
        .bind(id.to_string())
        .bind(row.seq)
        .bind(actor.id.to_string())
        .bind(&message.body)
        .bind(message.internal)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        rows::record_message_change(&mut tx, row.seq, message_seq, message.internal, now).await?;
        let attachments = uploads::attach(
            &mut tx,
            actor,
            row.seq,
            Some(message_seq),
            message.internal,
            &message.attach,
            now,
        )
        .await?;
        sqlx::query(if message.internal {
            "UPDATE tickets SET internal_messages = internal_messages + 1 WHERE seq = ?"
        } else {
            "UPDATE tickets SET public_messages = public_messages + 1 WHERE seq = ?"
        })
        .bind(row.seq)
        .execute(&mut *tx)
        .await?;

        for change in &changes {
            rules::apply(&mut state, change, to_time(now));
        }
        // An internal note leaves `updated_at` alone: a requester must not be able to tell
        // from their list that staff wrote something they cannot see.
        if !message.internal {
            rows::write_state(&mut tx, row.seq, &state, now).await?;
        }
        record_changes(&mut tx, row.seq, actor, &changes, now).await?;

        let (name, role): (String, String) =
            sqlx::query_as("SELECT name, role FROM users WHERE id = ?")
                .bind(actor.id.to_string())
                .fetch_one(&mut *tx)
                .await?;
        let created = Message {
            id,
            ticket_id,
            author: author(&actor.id.to_string(), name, &role)?,
            body: message.body,
            internal: message.internal,
            attachments,
            created_at: to_time(now),
        };
        idempotency::remember(&mut tx, actor.id, idem.as_ref(), 201, &created).await?;
        tx.commit().await?;
        self.announce().await;
        Ok(Created::New(created))
    }
}
