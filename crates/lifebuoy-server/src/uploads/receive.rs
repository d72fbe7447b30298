//! One upload, from the request stream to storage. The file is checked from its first
//! bytes before anything is stored, counted as it streams (413 the moment it is too big),
//! hashed on the way, and never held whole in memory, except an image, which must be
//! decoded to be cleaned (and is bounded by the size limit).

use std::sync::{Arc, OnceLock};

use bytes::{Bytes, BytesMut};
use chrono::Utc;
use lifebuoy_domain::wire::Attachment;
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;
use uuid::Uuid;

use super::checks::{self, Allowed, Family, TextCheck};
use super::{images, mib};
use crate::blobs::Blobs;
use crate::error::{Error, Result};
use crate::state::AppState;
use crate::store::{Created, FinishedUpload, Idempotency};

/// Enough of the file to recognise its format.
const SNIFF_BYTES: usize = 8 * 1024;

/// Decoding images is CPU- and memory-hungry: one per core at a time.
fn image_slots() -> &'static Arc<Semaphore> {
    static SLOTS: OnceLock<Arc<Semaphore>> = OnceLock::new();
    SLOTS.get_or_init(|| {
        let n = std::thread::available_parallelism().map_or(2, |n| n.get());
        Arc::new(Semaphore::new(n))
    })
}

/// Counts bytes against the size limit and the uploader's remaining allowance.
struct Budget {
    received: u64,
    max_file: u64,
    allowance: u64,
    quota: u64,
}

impl Budget {
    fn take(&mut self, n: usize) -> Result<()> {
        self.received += n as u64;
        if self.received > self.max_file {
            return Err(Error::PayloadTooLarge(format!(
                "The file is larger than the {} limit for one file.",
                mib(self.max_file)
            )));
        }
        if self.received > self.allowance {
            return Err(Error::QuotaExceeded(format!(
                "Your uploads that are not attached to a ticket yet would exceed your {} \
                 allowance; attach or discard them first.",
                mib(self.quota)
            )));
        }
        Ok(())
    }
}

async fn next_chunk(field: &mut multer::Field<'static>) -> Result<Option<Bytes>> {
    field.chunk().await.map_err(|e| {
        Error::BadRequest(format!(
            "The upload was interrupted or is not valid multipart: {e}."
        ))
    })
}

/// Receives the `file` part, stores it as a staged upload owned by `owner`.
pub async fn receive(
    state: &AppState,
    owner: Uuid,
    mut field: multer::Field<'static>,
    idempotency_key: Option<String>,
) -> Result<Created<Attachment>> {
    let file_name = checks::clean_name(field.file_name().unwrap_or(""));
    let declared = field.content_type().map(|m| m.to_string());
    let limits = &state.uploads;
    let staged = u64::try_from(state.store.staged_bytes(owner).await?).unwrap_or(0);
    let mut budget = Budget {
        received: 0,
        max_file: limits.max_file_bytes,
        allowance: limits.user_staged_quota.saturating_sub(staged),
        quota: limits.user_staged_quota,
    };

    let mut head = BytesMut::new();
    let mut first = Vec::new();
    let mut finished = false;
    while head.len() < SNIFF_BYTES {
        match next_chunk(&mut field).await? {
            Some(chunk) => {
                budget.take(chunk.len())?;
                head.extend_from_slice(&chunk);
                first.push(chunk);
            }
            None => {
                finished = true;
                break;
            }
        }
    }
    let allowed = checks::classify(&file_name, declared.as_deref(), &head)?;

    let id = Uuid::new_v4();
    let key = format!("files/{id}");
    state
        .store
        .begin_upload(owner, id, &key, &file_name)
        .await?;
    let mut stream = Incoming {
        field,
        first,
        finished,
        budget,
    };
    let stored = match allowed.family {
        Family::Image(format) => store_image(&state.blobs, &key, id, format, &mut stream).await,
        _ => store_stream(&state.blobs, &key, allowed, &mut stream).await,
    };
    let (size, sha256, thumbnail_key) = match stored {
        Ok(done) => done,
        Err(e) => {
            discard(state, id, &key, Some(&format!("thumbs/{id}.png"))).await;
            return Err(e);
        }
    };

    let idempotency = match idempotency_key {
        Some(key) => {
            let mut h = Sha256::new();
            for part in ["POST /uploads", &sha256, &file_name, allowed.content_type] {
                h.update(part.as_bytes());
                h.update([0]);
            }
            Some(Idempotency {
                key,
                request_hash: h.finalize().into(),
            })
        }
        None => None,
    };
    let expires_at = Utc::now()
        + chrono::Duration::from_std(limits.staged_ttl).unwrap_or(chrono::Duration::days(1));
    let done = FinishedUpload {
        content_type: allowed.content_type.to_owned(),
        size: i64::try_from(size).unwrap_or(i64::MAX),
        sha256,
        thumbnail_key: thumbnail_key.clone(),
        expires_at,
    };
    match state
        .store
        .finish_upload(owner, id, done, idempotency)
        .await
    {
        Ok(Created::New(a)) => Ok(Created::New(a)),
        // The same upload was made before under this key: keep that one, drop this copy.
        Ok(Created::Replay(body)) => {
            discard(state, id, &key, thumbnail_key.as_deref()).await;
            Ok(Created::Replay(body))
        }
        Err(e) => {
            discard(state, id, &key, thumbnail_key.as_deref()).await;
            Err(e)
        }
    }
}

/// Removes a failed upload's file(s), then its row. If this itself fails, the row stays
/// and the sweeper finishes the job.
async fn discard(state: &AppState, id: Uuid, key: &str, thumbnail: Option<&str>) {
    let files_gone = state.blobs.delete(key).await.is_ok()
        && match thumbnail {
            Some(t) => state.blobs.delete(t).await.is_ok(),
            None => true,
        };
    if files_gone {
        if let Err(e) = state.store.forget_upload(id).await {
            tracing::warn!(error = %e, "could not forget a discarded upload; the sweeper will");
        }
    }
}

/// The rest of the part's bytes, after those read for sniffing.
struct Incoming {
    field: multer::Field<'static>,
    first: Vec<Bytes>,
    finished: bool,
    budget: Budget,
}

impl Incoming {
    async fn next(&mut self) -> Result<Option<Bytes>> {
        if !self.first.is_empty() {
            return Ok(Some(self.first.remove(0)));
        }
        if self.finished {
            return Ok(None);
        }
        match next_chunk(&mut self.field).await? {
            Some(chunk) => {
                self.budget.take(chunk.len())?;
                Ok(Some(chunk))
            }
            None => {
                self.finished = true;
                Ok(None)
            }
        }
    }
}

type Stored = (u64, String, Option<String>);

async fn store_stream(
    blobs: &Blobs,
    key: &str,
    allowed: &Allowed,
    incoming: &mut Incoming,
) -> Result<Stored> {
    let mut writer = blobs.writer(key).await?;
    let mut hasher = Sha256::new();
    let mut text = (allowed.family == Family::Text).then(TextCheck::default);
    let mut size = 0u64;
    let written: Result<()> = async {
        while let Some(chunk) = incoming.next().await? {
            if let Some(check) = text.as_mut() {
                check.feed(&chunk)?;
            }
            hasher.update(&chunk);
            size += chunk.len() as u64;
            writer.write(chunk).await?;
        }
        if let Some(check) = &text {
            check.finish()?;
        }
        Ok(())
    }
    .await;
    match written {
        Ok(()) => {
            writer.finish().await?;
            Ok((size, hex::encode(hasher.finalize()), None))
        }
        Err(e) => {
            writer.abort().await;
            Err(e)
        }
    }
}

async fn store_image(
    blobs: &Blobs,
    key: &str,
    id: Uuid,
    format: image::ImageFormat,
    incoming: &mut Incoming,
) -> Result<Stored> {
    let mut data = Vec::new();
    while let Some(chunk) = incoming.next().await? {
        data.extend_from_slice(&chunk);
    }
    let _slot = image_slots()
        .clone()
        .acquire_owned()
        .await
        .map_err(Error::internal)?;
    let cleaned = tokio::task::spawn_blocking(move || images::reencode(&data, format))
        .await
        .map_err(Error::internal)??;
    let sha256 = hex::encode(Sha256::digest(&cleaned.bytes));
    let size = cleaned.bytes.len() as u64;
    blobs.put(key, Bytes::from(cleaned.bytes)).await?;
    let thumb = format!("thumbs/{id}.png");
    blobs.put(&thumb, Bytes::from(cleaned.thumbnail)).await?;
    Ok((size, sha256, Some(thumb)))
}
