//! Removes uploads nobody will use: staged files past their time, and files whose upload
//! was cut off by a crash (their row is still `receiving`).

use chrono::{DateTime, Utc};

use crate::blobs::Blobs;
use crate::error::Result;
use crate::store::Store;

/// Deletes each dead upload's files, then its row; returns how many went.
pub async fn sweep_uploads(
    store: &dyn Store,
    blobs: &Blobs,
    now: DateTime<Utc>,
    receiving_before: DateTime<Utc>,
) -> Result<usize> {
    let dead = store.dead_uploads(now, receiving_before).await?;
    let count = dead.len();
    for upload in dead {
        blobs.delete(&upload.storage_key).await?;
        if let Some(thumb) = &upload.thumbnail_key {
            blobs.delete(thumb).await?;
        }
        store.forget_upload(upload.id).await?;
    }
    Ok(count)
}
