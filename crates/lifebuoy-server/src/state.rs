use std::sync::Arc;
use std::time::Duration;

use crate::auth::LoginLimiter;
use crate::blobs::Blobs;
use crate::store::Store;
use crate::uploads::UploadLimits;

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub blobs: Arc<Blobs>,
    pub limiter: Arc<LoginLimiter>,
    pub session_ttl: Duration,
    pub uploads: UploadLimits,
    /// Cancelled when the server shuts down, so that live streams end and let it.
    pub shutdown: tokio_util::sync::CancellationToken,
}
