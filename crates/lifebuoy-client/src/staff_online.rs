//! Staff work that only the server can do: stats, the CSV export, user and category
//! management. None of it is queued: offline, each says it needs a connection. The
//! category list is the exception: it is cached, so New ticket works offline.

use std::future::Future;
use std::path::Path;

use lifebuoy_domain::staff::UserAccount;
use lifebuoy_domain::staff::{Category, CreateCategory, CreateUser, UpdateCategory, UpdateUser};
use lifebuoy_domain::wire::Stats;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use crate::error::{ClientError, Result};
use crate::events::Connectivity;
use crate::export::{ExportFilter, ExportProgress, ExportReport};
use crate::Client;

impl Client {
    /// Runs a call that needs the server, naming what failed if it is out of reach.
    async fn online<T>(&self, what: &str, call: impl Future<Output = Result<T>>) -> Result<T> {
        call.await.map_err(|e| match e {
            ClientError::Network(detail) => ClientError::NeedsConnection {
                what: what.to_owned(),
                detail,
            },
            other => other,
        })
    }

    pub async fn stats(&self) -> Result<Stats> {
        self.online("The stats", self.inner.api.stats()).await
    }

    /// Every account, active or not (admin).
    pub async fn users(&self) -> Result<Vec<UserAccount>> {
        Ok(self
            .online("The user list", self.inner.api.users(&[]))
            .await?
            .items)
    }

    pub async fn create_user(&self, body: &CreateUser) -> Result<UserAccount> {
        self.online("Creating a user", self.inner.api.create_user(body))
            .await
    }

    pub async fn update_user(&self, id: Uuid, body: &UpdateUser) -> Result<UserAccount> {
        self.online("Changing a user", self.inner.api.update_user(id, body))
            .await
    }

    /// The server's categories (for staff, archived ones too), remembered for offline
    /// use. Offline (or when the server fails) the last list fetched.
    pub async fn categories(&self) -> Result<Vec<Category>> {
        let fetched = if matches!(self.connectivity(), Connectivity::Offline { .. }) {
            Err(ClientError::Network("offline".into()))
        } else {
            let all = self.inner.user.role.is_staff();
            self.inner.api.categories(all).await
        };
        match fetched {
            Ok(list) => {
                self.store()?.cache_categories(&list.items)?;
                Ok(list.items)
            }
            Err(e) if e.is_retryable() => match self.store()?.cached_categories()? {
                Some(cached) => Ok(cached),
                None => Err(ClientError::NeedsConnection {
                    what: "The category list".into(),
                    detail: e.to_string(),
                }),
            },
            Err(e) => Err(e),
        }
    }

    /// The last category list fetched; `None` before the first fetch.
    pub fn cached_categories(&self) -> Result<Option<Vec<Category>>> {
        self.store()?.cached_categories()
    }

    pub async fn create_category(&self, name: &str) -> Result<Category> {
        let body = CreateCategory {
            name: name.to_owned(),
        };
        let created = self
            .online("Creating a category", self.inner.api.create_category(&body))
            .await?;
        self.remember_category(&created)?;
        Ok(created)
    }

    pub async fn update_category(&self, id: Uuid, body: &UpdateCategory) -> Result<Category> {
        let updated = self
            .online(
                "Changing a category",
                self.inner.api.update_category(id, body),
            )
            .await?;
        self.remember_category(&updated)?;
        Ok(updated)
    }

    /// Keeps the cache in step with a change made here, without another round trip.
    /// Without a cached list there is nothing to keep in step: one category alone would
    /// hide the others from New ticket.
    fn remember_category(&self, category: &Category) -> Result<()> {
        let store = self.store()?;
        let Some(mut list) = store.cached_categories()? else {
            return Ok(());
        };
        match list.iter_mut().find(|c| c.id == category.id) {
            Some(slot) => *slot = category.clone(),
            None => list.push(category.clone()),
        }
        store.cache_categories(&list)
    }

    /// Streams the tickets matching `filter` as CSV into `dest` (see [`crate::export`]).
    pub async fn export_csv(
        &self,
        filter: &ExportFilter,
        dest: &Path,
        progress: &mut (dyn FnMut(ExportProgress) + Send),
        cancel: &CancellationToken,
    ) -> Result<ExportReport> {
        self.online(
            "The export",
            self.inner.api.export_csv(filter, dest, progress, cancel),
        )
        .await
    }
}
