use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Json;
use lifebuoy_domain::rules::Patch;
use lifebuoy_domain::validation::{self, Checker};
use lifebuoy_domain::wire::{
    CreateTicket, Problem, Ticket, TicketDetail, TicketPage, UpdateTicket,
};

use super::{created, list_query};
use crate::error::{Error, Result};
use crate::extract::{idempotency, path_id, ApiJson, CurrentUser};
use crate::state::AppState;
use crate::store::{Attach, NewTicket};

/// A page of the tickets the caller may see, newest activity first by default.
#[utoipa::path(get, path = "/api/v1/tickets", tag = "tickets",
    security(("bearer" = [])),
    params(
        ("status" = Option<Vec<lifebuoy_domain::Status>>, Query, description = "Repeatable, or comma-separated"),
        ("priority" = Option<Vec<lifebuoy_domain::Priority>>, Query, description = "Repeatable, or comma-separated"),
        ("category" = Option<String>, Query),
        ("assignee" = Option<String>, Query, description = "A user id, `me` or `none`"),
        ("requester" = Option<uuid::Uuid>, Query, description = "The requester's user id (a requester only ever sees their own tickets)"),
        ("view" = Option<lifebuoy_domain::staff::QueueView>, Query, description = "A queue view, combined with the other filters"),
        ("q" = Option<String>, Query, description = "Full text over subject, description and the messages the caller may see, or a ticket number such as LB-000042"),
        ("created_after" = Option<String>, Query, description = "RFC 3339"),
        ("created_before" = Option<String>, Query, description = "RFC 3339"),
        ("sort" = Option<lifebuoy_domain::wire::TicketSort>, Query),
        ("limit" = Option<u32>, Query, description = "1 to 100, default 25"),
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
    ),
    responses((status = 200, body = TicketPage), (status = 400, body = Problem), (status = 422, body = Problem)))]
pub async fn list_tickets(
    State(state): State<AppState>,
    me: CurrentUser,
    RawQuery(query): RawQuery,
) -> Result<Json<TicketPage>> {
    let filter = list_query::parse(query.as_deref(), me.user.id)?;
    Ok(Json(state.store.list_tickets(me.actor(), &filter).await?))
}

/// File a ticket. Send an `Idempotency-Key` so that a retry never files it twice.
#[utoipa::path(post, path = "/api/v1/tickets", tag = "tickets",
    security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Client-generated, at most 255 characters")),
    request_body = CreateTicket,
    responses((status = 201, body = Ticket), (status = 422, body = Problem)))]
pub async fn create_ticket(
    State(state): State<AppState>,
    me: CurrentUser,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateTicket>,
) -> Result<Response> {
    let idem = idempotency(&headers, "POST /tickets", &body)?;
    let mut check = Checker::new();
    let subject = check.check(validation::subject(&body.subject));
    let description = check.check(validation::description(&body.description));
    let category = match body.category.as_deref() {
        Some(c) => check.check(validation::category(c)).map(Some),
        None => Some(None),
    };
    for (field, value) in [
        ("context", &body.context),
        ("system_info", &body.system_info),
    ] {
        if let Some(v) = value {
            check.check(validation::json_object(field, v));
        }
    }
    check.finish()?;
    let (Some(subject), Some(description), Some(category)) = (subject, description, category)
    else {
        return Err(Error::internal("validated fields missing"));
    };
    let ticket = NewTicket {
        subject,
        description,
        category,
        priority: body.priority.unwrap_or_default(),
        context: body.context.unwrap_or_else(|| serde_json::json!({})),
        system_info: body.system_info.unwrap_or_else(|| serde_json::json!({})),
        attach: attach(&state, body.attachment_ids),
    };
    let result = state.store.create_ticket(me.actor(), ticket, idem).await?;
    Ok(created(result))
}

/// The files to attach, with the per-ticket limit the store enforces.
pub(super) fn attach(state: &AppState, ids: Option<Vec<uuid::Uuid>>) -> Attach {
    Attach {
        ids: ids.unwrap_or_default(),
        ticket_quota: i64::try_from(state.uploads.ticket_quota).unwrap_or(i64::MAX),
    }
}

/// A ticket with its conversation (oldest first) and timeline.
#[utoipa::path(get, path = "/api/v1/tickets/{id}", tag = "tickets",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = TicketDetail), (status = 404, body = Problem)))]
pub async fn get_ticket(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<TicketDetail>> {
    let id = path_id(&id, "ticket")?;
    state
        .store
        .ticket_detail(me.actor(), id)
        .await?
        .map(Json)
        .ok_or(Error::NotFound("ticket"))
}

/// Change status, priority, category, assignee or related article. Requesters may only
/// close their own ticket or reopen a resolved one.
#[utoipa::path(patch, path = "/api/v1/tickets/{id}", tag = "tickets",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)),
    request_body = UpdateTicket,
    responses(
        (status = 200, body = Ticket),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, body = Problem, description = "Illegal status move; `allowed` lists the legal ones"),
        (status = 422, body = Problem),
    ))]
pub async fn update_ticket(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UpdateTicket>,
) -> Result<Json<Ticket>> {
    let id = path_id(&id, "ticket")?;
    let patch = Patch::from_wire(body)?;
    Ok(Json(
        state.store.update_ticket(me.actor(), id, patch).await?,
    ))
}
