//! Accounts, for staff to list and admins to manage.

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Json;
use lifebuoy_domain::staff::{CreateUser, UpdateUser, UserAccount, UserList};
use lifebuoy_domain::validation::{self, Checker};
use lifebuoy_domain::wire::Problem;
use lifebuoy_domain::{FieldError, Role};
use serde_json::json;

use super::{created, require_admin, require_staff};
use crate::auth::hash_password;
use crate::error::{Error, Result};
use crate::extract::{idempotency, path_id, ApiJson, CurrentUser};
use crate::state::AppState;
use crate::store::{NewUser, UserChange, UserFilter};

fn parse_filter(raw: Option<&str>) -> Result<UserFilter> {
    let mut filter = UserFilter::default();
    let mut errors = Vec::new();
    for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        let value = value.trim();
        match key.as_ref() {
            "role" => {
                for part in value.split(',') {
                    match part.trim().parse::<Role>() {
                        Ok(role) => filter.roles.push(role),
                        Err(e) => errors.push(FieldError::new("role", e)),
                    }
                }
            }
            "active" => match value {
                "true" => filter.active = Some(true),
                "false" => filter.active = Some(false),
                _ => errors.push(FieldError::new("active", "active must be true or false")),
            },
            "q" => filter.text = Some(value.to_owned()).filter(|v| !v.is_empty()),
            other => errors.push(FieldError::new(
                other,
                format!("unknown query parameter `{other}`; known ones are: role, active, q"),
            )),
        }
    }
    if errors.is_empty() {
        Ok(filter)
    } else {
        Err(Error::Validation(errors))
    }
}

/// The accounts, sorted by name. Staff only (agents pick assignees from it).
#[utoipa::path(get, path = "/api/v1/users", tag = "staff",
    security(("bearer" = [])),
    params(
        ("role" = Option<Vec<Role>>, Query, description = "Repeatable, or comma-separated"),
        ("active" = Option<bool>, Query),
        ("q" = Option<String>, Query, description = "Part of the name or email, ignoring case"),
    ),
    responses((status = 200, body = UserList), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list_users(
    State(state): State<AppState>,
    me: CurrentUser,
    RawQuery(query): RawQuery,
) -> Result<Json<UserList>> {
    require_staff(&me, "see the user list")?;
    let filter = parse_filter(query.as_deref())?;
    let items = state.store.list_users(&filter).await?;
    Ok(Json(UserList { items }))
}

/// Create an account (admin). Emails are unique ignoring case; passwords have at least
/// 10 characters and are stored as argon2id hashes.
#[utoipa::path(post, path = "/api/v1/users", tag = "staff",
    security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Client-generated, at most 255 characters")),
    request_body = CreateUser,
    responses(
        (status = 201, body = UserAccount),
        (status = 403, body = Problem),
        (status = 409, body = Problem, description = "The email is taken"),
        (status = 422, body = Problem),
    ))]
pub async fn create_user(
    State(state): State<AppState>,
    me: CurrentUser,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateUser>,
) -> Result<Response> {
    require_admin(&me, "create users")?;
    // The key is bound to the request without its password: the stored hash is a fast
    // SHA-256, and must not become a way to test password guesses offline.
    let idem = idempotency(
        &headers,
        "POST /users",
        &json!({"email": body.email, "name": body.name, "role": body.role}),
    )?;
    let mut check = Checker::new();
    let email = check.check(validation::email(&body.email));
    let name = check.check(validation::name(&body.name));
    check.check(validation::password(&body.password));
    check.finish()?;
    let (Some(email), Some(name)) = (email, name) else {
        return Err(Error::internal("validated fields missing"));
    };
    let user = NewUser {
        email,
        name,
        role: body.role,
        password_hash: hash_password(body.password).await?,
    };
    let result = state.store.add_user(me.actor(), user, idem).await?;
    if let crate::store::Created::New(account) = &result {
        tracing::info!(
            admin_id = %me.user.id,
            user_id = %account.id,
            role = %account.role,
            "created a user"
        );
    }
    Ok(created(result))
}

/// Rename, change the role, (de)activate or set the password (admin). Deactivating or
/// setting the password signs the user out everywhere at once. The last active admin
/// can be neither demoted nor deactivated, and nobody can deactivate themselves (409).
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "staff",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)),
    request_body = UpdateUser,
    responses(
        (status = 200, body = UserAccount),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, body = Problem, description = "The last active admin, or deactivating yourself"),
        (status = 422, body = Problem),
    ))]
pub async fn update_user(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UpdateUser>,
) -> Result<Json<UserAccount>> {
    require_admin(&me, "change users")?;
    let id = path_id(&id, "user")?;
    if body.name.is_none()
        && body.role.is_none()
        && body.active.is_none()
        && body.password.is_none()
    {
        return Err(
            FieldError::new("body", "send at least one of name, role, active, password").into(),
        );
    }
    let mut check = Checker::new();
    let name = body
        .name
        .as_deref()
        .and_then(|n| check.check(validation::name(n)));
    if let Some(p) = &body.password {
        check.check(validation::password(p));
    }
    check.finish()?;
    let password_hash = match body.password {
        Some(p) => Some(hash_password(p).await?),
        None => None,
    };
    let password_changed = password_hash.is_some();
    let change = UserChange {
        name,
        role: body.role,
        active: body.active,
        password_hash,
    };
    let account = state.store.update_user(me.actor(), id, change).await?;
    tracing::info!(
        admin_id = %me.user.id,
        user_id = %account.id,
        name_changed = body.name.is_some(),
        role = ?body.role,
        active = ?body.active,
        password_changed,
        "changed a user"
    );
    Ok(Json(account))
}
