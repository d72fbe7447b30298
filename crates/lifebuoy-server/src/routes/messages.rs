use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Json;
use lifebuoy_domain::validation::{self, Checker};
use lifebuoy_domain::wire::{CreateMessage, Message, Problem, Ticket};

use super::tickets::attach;
use super::{created, require_staff};
use crate::error::{Error, Result};
use crate::extract::{idempotency, path_id, ApiJson, CurrentUser};
use crate::state::AppState;
use crate::store::NewMessage;

/// Reply on a ticket, or (staff only) write an internal note.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/messages", tag = "tickets",
    security(("bearer" = [])),
    params(
        ("id" = uuid::Uuid, Path),
        ("Idempotency-Key" = Option<String>, Header, description = "Client-generated, at most 255 characters"),
    ),
    request_body = CreateMessage,
    responses(
        (status = 201, body = Message),
        (status = 403, body = Problem, description = "A requester asked for an internal note"),
        (status = 404, body = Problem),
        (status = 409, body = Problem, description = "The ticket is closed"),
        (status = 422, body = Problem),
    ))]
pub async fn create_message(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateMessage>,
) -> Result<Response> {
    let ticket_id = path_id(&id, "ticket")?;
    let idem = idempotency(
        &headers,
        &format!("POST /tickets/{ticket_id}/messages"),
        &body,
    )?;
    let mut check = Checker::new();
    let text = check.check(validation::body(&body.body));
    check.finish()?;
    let text = text.ok_or_else(|| Error::internal("validated body missing"))?;
    let internal = body.internal.unwrap_or(false);
    if internal {
        require_staff(&me, "write internal notes")?;
    }
    let message = NewMessage {
        body: text,
        internal,
        attach: attach(&state, body.attachment_ids),
    };
    let result = state
        .store
        .add_message(me.actor(), ticket_id, message, idem)
        .await?;
    Ok(created(result))
}

/// Mark a public reply as the ticket's resolution; the ticket becomes RESOLVED.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/messages/{mid}/resolution", tag = "tickets",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path), ("mid" = uuid::Uuid, Path)),
    responses(
        (status = 200, body = Ticket),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, body = Problem),
        (status = 422, body = Problem, description = "An internal note cannot be the resolution"),
    ))]
pub async fn mark_resolution(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((id, mid)): Path<(String, String)>,
) -> Result<Json<Ticket>> {
    require_staff(&me, "mark a resolution")?;
    let ticket_id = path_id(&id, "ticket")?;
    let message_id = path_id(&mid, "message")?;
    Ok(Json(
        state
            .store
            .mark_resolution(me.actor(), ticket_id, message_id)
            .await?,
    ))
}
