//! Image previews, cached in the account dir so open tickets show them offline.

use lifebuoy_domain::wire::{Attachment, Message};
use uuid::Uuid;

use crate::client::Client;
use crate::error::Result;

/// How many previews one sync round fetches at most, so a first sync stays quick.
const PREFETCH_PER_ROUND: usize = 50;

impl Client {
    fn thumbnail_path(&self, attachment: Uuid) -> std::path::PathBuf {
        self.inner
            .dir
            .join("thumbs")
            .join(format!("{attachment}.png"))
    }

    /// The preview of an image attachment: from the cache, else from the server (and
    /// then cached).
    pub async fn thumbnail(&self, attachment: Uuid) -> Result<Vec<u8>> {
        let path = self.thumbnail_path(attachment);
        if let Ok(bytes) = tokio::fs::read(&path).await {
            return Ok(bytes);
        }
        let bytes = self
            .inner
            .api
            .download(&format!("/api/v1/attachments/{attachment}/thumbnail"))
            .await?;
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        // Written aside and renamed, so a crash never leaves half a picture in the cache.
        let tmp = path.with_extension("part");
        tokio::fs::write(&tmp, &bytes).await?;
        tokio::fs::rename(&tmp, &path).await?;
        Ok(bytes.to_vec())
    }

    /// Fetches previews that are not cached yet; returns how many arrived.
    pub(crate) async fn prefetch_thumbnails(&self) -> Result<usize> {
        let wanted: Vec<Uuid> = self
            .store()?
            .previewable_attachments()?
            .into_iter()
            .filter(|id| !self.thumbnail_path(*id).exists())
            .take(PREFETCH_PER_ROUND)
            .collect();
        let mut fetched = 0;
        for id in wanted {
            self.thumbnail(id).await?;
            fetched += 1;
        }
        Ok(fetched)
    }
}

/// Ids of attachments that have a preview, among a ticket's files and messages.
pub(crate) fn previewable(files: &[Attachment], messages: &[Message]) -> Vec<Uuid> {
    files
        .iter()
        .chain(messages.iter().flat_map(|m| m.attachments.iter()))
        .filter(|a| a.has_thumbnail)
        .map(|a| a.id)
        .collect()
}
