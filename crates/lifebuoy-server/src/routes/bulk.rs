use std::collections::HashSet;

use axum::extract::State;
use axum::Json;
use lifebuoy_domain::rules::Patch;
use lifebuoy_domain::staff::{BulkOutcome, BulkResult, BulkUpdate, BULK_LIMIT};
use lifebuoy_domain::wire::Problem;
use lifebuoy_domain::FieldError;

use super::require_staff;
use crate::error::{Error, Result};
use crate::extract::{ApiJson, CurrentUser};
use crate::state::AppState;

/// Apply one change to many tickets (staff). Each ticket is changed on its own with the
/// rules of a single PATCH; the answer is 200 with each ticket's outcome in input order
/// (the problem a PATCH would have answered when it was refused) and the counts.
#[utoipa::path(post, path = "/api/v1/tickets/bulk", tag = "staff",
    security(("bearer" = [])),
    request_body = BulkUpdate,
    responses(
        (status = 200, body = BulkResult),
        (status = 403, body = Problem),
        (status = 422, body = Problem, description = "No ids, more than 100, a repeated id, or no change"),
    ))]
pub async fn bulk_update(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(body): ApiJson<BulkUpdate>,
) -> Result<Json<BulkResult>> {
    require_staff(&me, "change tickets in bulk")?;
    let mut errors = Vec::new();
    let n = body.ticket_ids.len();
    if n == 0 || n > BULK_LIMIT {
        errors.push(FieldError::new(
            "ticket_ids",
            format!("send 1 to {BULK_LIMIT} ticket ids (got {n})"),
        ));
    }
    let mut seen = HashSet::new();
    if let Some(dup) = body.ticket_ids.iter().find(|id| !seen.insert(**id)) {
        errors.push(FieldError::new(
            "ticket_ids",
            format!("ticket {dup} is listed more than once"),
        ));
    }
    if body.changes.is_empty() {
        errors.push(FieldError::new(
            "changes",
            "send at least one of status, priority, category, assignee_id, related_article_id",
        ));
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let patch = Patch::from_wire(body.changes)?;
    let ids = body.ticket_ids.clone();
    let outcomes = state
        .store
        .bulk_update(me.actor(), body.ticket_ids, patch)
        .await?;
    let results: Vec<BulkOutcome> = ids
        .into_iter()
        .zip(outcomes)
        .map(|(ticket_id, outcome)| match outcome {
            Ok(ticket) => BulkOutcome {
                ticket_id,
                ticket: Some(ticket),
                error: None,
            },
            Err(e) => {
                if matches!(
                    e,
                    Error::Database(_) | Error::Sqlite(_) | Error::Internal(_)
                ) {
                    tracing::error!(%ticket_id, error = %e, "a ticket of a bulk change failed");
                }
                BulkOutcome {
                    ticket_id,
                    ticket: None,
                    error: Some(e.to_problem()),
                }
            }
        })
        .collect();
    let updated = results.iter().filter(|r| r.error.is_none()).count() as i64;
    Ok(Json(BulkResult {
        updated,
        failed: results.len() as i64 - updated,
        results,
    }))
}
