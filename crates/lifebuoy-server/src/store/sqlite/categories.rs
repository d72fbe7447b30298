//! Reading categories, with how many tickets the viewer may see in each.

use lifebuoy_domain::rules::Actor;
use lifebuoy_domain::staff::Category;
use sqlx::{QueryBuilder, Sqlite};

use super::{parse_id, SqliteStore};
use crate::error::Result;

/// A category row; `ticket_count` is whatever the query counted.
#[derive(sqlx::FromRow)]
pub(super) struct CategoryRow {
    pub id: String,
    pub name: String,
    pub active: bool,
    pub is_default: bool,
    pub ticket_count: i64,
}

impl CategoryRow {
    pub fn into_category(self) -> Result<Category> {
        Ok(Category {
            id: parse_id(&self.id)?,
            name: self.name,
            active: self.active,
            is_default: self.is_default,
            ticket_count: self.ticket_count,
        })
    }
}

/// Every category with the count of all its tickets (what staff see).
pub(super) const CATEGORY_SELECT: &str = "SELECT c.id, c.name, c.active, c.is_default, \
    (SELECT COUNT(*) FROM tickets t WHERE t.category = c.name) AS ticket_count FROM categories c";

impl SqliteStore {
    pub(super) async fn find_categories(
        &self,
        viewer: Actor,
        include_archived: bool,
    ) -> Result<Vec<Category>> {
        let mut qb = QueryBuilder::<Sqlite>::new(
            "SELECT c.id, c.name, c.active, c.is_default, \
             (SELECT COUNT(*) FROM tickets t WHERE t.category = c.name",
        );
        // A requester counts only their own tickets: the others' are not theirs to know of.
        if !viewer.role.is_staff() {
            qb.push(" AND t.requester_id = ")
                .push_bind(viewer.id.to_string());
        }
        qb.push(") AS ticket_count FROM categories c");
        if !include_archived {
            qb.push(" WHERE c.active = 1");
        }
        qb.push(" ORDER BY c.name COLLATE NOCASE");
        qb.build_query_as::<CategoryRow>()
            .fetch_all(&self.reader)
            .await?
            .into_iter()
            .map(CategoryRow::into_category)
            .collect()
    }
}
