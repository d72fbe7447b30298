//! The last category list the server gave, so New ticket offers the right categories
//! offline. One JSON value in `meta`: it is only ever read and replaced whole.

use lifebuoy_domain::staff::Category;

use super::LocalStore;
use crate::error::Result;

const KEY: &str = "categories";

impl LocalStore {
    /// `None` until the list was fetched once.
    pub fn cached_categories(&self) -> Result<Option<Vec<Category>>> {
        Ok(self
            .meta(KEY)?
            .map(|json| serde_json::from_str(&json))
            .transpose()?)
    }

    pub fn cache_categories(&self, categories: &[Category]) -> Result<()> {
        self.set_meta(KEY, &serde_json::to_string(categories)?)
    }
}
