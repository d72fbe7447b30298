//! What the staff administration routes ask of the store: user and category changes,
//! already validated by the handlers.

use lifebuoy_domain::Role;

/// `GET /users` filters. Empty `roles`: every role.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub roles: Vec<Role>,
    pub active: Option<bool>,
    /// Matched as a substring of the name or email, ignoring case.
    pub text: Option<String>,
}

/// A validated `PATCH /users/{id}`. The password arrives already hashed.
#[derive(Default)]
pub struct UserChange {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub password_hash: Option<String>,
}

/// A validated `PATCH /categories/{id}`.
#[derive(Debug, Clone, Default)]
pub struct CategoryChange {
    pub name: Option<String>,
    pub active: Option<bool>,
}
