//! Ticket categories: everyone reads the active ones, admins manage them.

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Json;
use lifebuoy_domain::staff::{Category, CategoryList, CreateCategory, UpdateCategory};
use lifebuoy_domain::wire::Problem;
use lifebuoy_domain::{validation, FieldError};

use super::{created, require_admin};
use crate::error::Result;
use crate::extract::{idempotency, path_id, ApiJson, CurrentUser};
use crate::state::AppState;
use crate::store::CategoryChange;

/// A category name: 1–60 characters after trimming, on one line. Reported at `name`.
fn category_name(value: &str) -> Result<String, FieldError> {
    validation::category(value).map_err(|e| FieldError::new("name", e.message))
}

/// The categories with how many of the caller's visible tickets each holds, by name.
/// Archived ones are left out unless staff ask for them with `all=true`.
#[utoipa::path(get, path = "/api/v1/categories", tag = "tickets",
    security(("bearer" = [])),
    params(("all" = Option<bool>, Query, description = "Staff: include archived categories")),
    responses((status = 200, body = CategoryList), (status = 422, body = Problem)))]
pub async fn list_categories(
    State(state): State<AppState>,
    me: CurrentUser,
    RawQuery(query): RawQuery,
) -> Result<Json<CategoryList>> {
    let mut all = false;
    for (key, value) in form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes()) {
        match (key.as_ref(), value.trim()) {
            ("all", "true") => all = true,
            ("all", "false") => all = false,
            ("all", _) => return Err(FieldError::new("all", "all must be true or false").into()),
            (other, _) => {
                return Err(FieldError::new(
                    other,
                    format!("unknown query parameter `{other}`; the only one is: all"),
                )
                .into())
            }
        }
    }
    // Archived categories are an administrative matter; requesters only ever pick from
    // the active ones.
    let include_archived = all && me.user.role.is_staff();
    let items = state
        .store
        .list_categories(me.actor(), include_archived)
        .await?;
    Ok(Json(CategoryList { items }))
}

/// Add a category (admin). Names are unique ignoring case.
#[utoipa::path(post, path = "/api/v1/categories", tag = "staff",
    security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Client-generated, at most 255 characters")),
    request_body = CreateCategory,
    responses(
        (status = 201, body = Category),
        (status = 403, body = Problem),
        (status = 409, body = Problem, description = "The name is taken"),
        (status = 422, body = Problem),
    ))]
pub async fn create_category(
    State(state): State<AppState>,
    me: CurrentUser,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateCategory>,
) -> Result<Response> {
    require_admin(&me, "manage categories")?;
    let idem = idempotency(&headers, "POST /categories", &body)?;
    let name = category_name(&body.name)?;
    let result = state
        .store
        .create_category(me.actor(), name.clone(), idem)
        .await?;
    if let crate::store::Created::New(category) = &result {
        tracing::info!(admin_id = %me.user.id, category_id = %category.id, name, "created a category");
    }
    Ok(created(result))
}

/// Rename and/or archive a category (admin). A rename renames it on every ticket, in
/// the same transaction, and each such ticket reaches clients through the change feed.
/// The default category cannot be archived (409).
#[utoipa::path(patch, path = "/api/v1/categories/{id}", tag = "staff",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)),
    request_body = UpdateCategory,
    responses(
        (status = 200, body = Category),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, body = Problem, description = "The name is taken, or archiving the default"),
        (status = 422, body = Problem),
    ))]
pub async fn update_category(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UpdateCategory>,
) -> Result<Json<Category>> {
    require_admin(&me, "manage categories")?;
    let id = path_id(&id, "category")?;
    if body.name.is_none() && body.active.is_none() {
        return Err(FieldError::new("body", "send at least one of name, active").into());
    }
    let name = body.name.as_deref().map(category_name).transpose()?;
    let change = CategoryChange {
        name,
        active: body.active,
    };
    let category = state.store.update_category(me.actor(), id, change).await?;
    tracing::info!(
        admin_id = %me.user.id,
        category_id = %category.id,
        name = category.name,
        active = category.active,
        "changed a category"
    );
    Ok(Json(category))
}
