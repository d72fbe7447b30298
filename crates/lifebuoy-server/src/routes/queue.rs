use axum::extract::State;
use axum::Json;
use lifebuoy_domain::staff::QueueCounts;
use lifebuoy_domain::wire::Problem;

use super::require_staff;
use crate::error::Result;
use crate::extract::CurrentUser;
use crate::state::AppState;

/// How many tickets each queue view holds for the caller (`mine`: assigned to them).
/// The same views filter `GET /tickets?view=…`. Staff only.
#[utoipa::path(get, path = "/api/v1/queue/counts", tag = "staff",
    security(("bearer" = [])),
    responses((status = 200, body = QueueCounts), (status = 403, body = Problem)))]
pub async fn queue_counts(
    State(state): State<AppState>,
    me: CurrentUser,
) -> Result<Json<QueueCounts>> {
    require_staff(&me, "see queue counts")?;
    Ok(Json(state.store.queue_counts(me.actor()).await?))
}
