//! The staff side of the v1 API, typed: stats, user accounts and categories. The CSV
//! export streams to a file and lives in `export`.

use lifebuoy_domain::staff::{
    Category, CategoryList, CreateCategory, CreateUser, UpdateCategory, UpdateUser, UserAccount,
};
use lifebuoy_domain::wire::Stats;
use reqwest::Method;
use uuid::Uuid;

use crate::api::Api;
use crate::error::Result;

impl Api {
    /// `GET /api/v1/stats` (staff).
    pub async fn stats(&self) -> Result<Stats> {
        self.json(self.request(Method::GET, "/api/v1/stats")).await
    }

    /// `GET /api/v1/users` (admin): every account, active or not.
    pub async fn create_user(&self, body: &CreateUser) -> Result<UserAccount> {
        self.json(self.request(Method::POST, "/api/v1/users").json(body))
            .await
    }

    pub async fn update_user(&self, id: Uuid, body: &UpdateUser) -> Result<UserAccount> {
        self.json(
            self.request(Method::PATCH, &format!("/api/v1/users/{id}"))
                .json(body),
        )
        .await
    }

    /// `GET /api/v1/categories`; `all` (staff only) includes archived ones.
    pub async fn categories(&self, all: bool) -> Result<CategoryList> {
        let query = [("all", all.to_string())];
        self.json(
            self.request(Method::GET, "/api/v1/categories")
                .query(&query),
        )
        .await
    }

    pub async fn create_category(&self, body: &CreateCategory) -> Result<Category> {
        self.json(self.request(Method::POST, "/api/v1/categories").json(body))
            .await
    }

    pub async fn update_category(&self, id: Uuid, body: &UpdateCategory) -> Result<Category> {
        self.json(
            self.request(Method::PATCH, &format!("/api/v1/categories/{id}"))
                .json(body),
        )
        .await
    }
}
