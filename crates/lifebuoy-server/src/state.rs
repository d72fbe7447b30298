use std::sync::Arc;
use std::time::Duration;

use crate::auth::LoginLimiter;
use crate::store::Store;

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub limiter: Arc<LoginLimiter>,
    pub session_ttl: Duration,
}
