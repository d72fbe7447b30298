use axum::extract::State;
use axum::Json;
use chrono::Utc;
use lifebuoy_domain::wire::{Problem, Stats};

use crate::error::{Error, Result};
use crate::extract::CurrentUser;
use crate::state::AppState;

/// Support figures: open and unassigned counts, counts by status, priority and category,
/// first-response and resolution times, and the 30-day resolution rate. Staff only.
#[utoipa::path(get, path = "/api/v1/stats", tag = "staff",
    security(("bearer" = [])),
    responses((status = 200, body = Stats), (status = 403, body = Problem)))]
pub async fn stats(State(state): State<AppState>, me: CurrentUser) -> Result<Json<Stats>> {
    if !me.user.role.is_staff() {
        return Err(Error::Forbidden(
            "only support staff can see stats".to_owned(),
        ));
    }
    Ok(Json(state.store.stats(Utc::now()).await?))
}
