//! Starting and stopping the server: open storage, seed, listen, sweep, shut down cleanly.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::net::TcpListener;

use crate::auth::LoginLimiter;
use crate::blobs::{BlobConfig, Blobs};
use crate::error::{Error, Result};
use crate::state::AppState;
use crate::store::sqlite::{Durability, SqliteStore};
use crate::store::Store;
use crate::uploads::sweep::sweep_uploads;
use crate::uploads::UploadLimits;

/// Idempotency keys are kept at least this long (the contract promises 24 hours).
pub const IDEMPOTENCY_RETENTION: Duration = Duration::from_secs(48 * 60 * 60);
/// An upload still `receiving` after this long was cut off (a crash, a dead client).
const RECEIVING_GIVE_UP: Duration = Duration::from_secs(6 * 60 * 60);

#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub database: PathBuf,
    pub durability: Durability,
    pub demo: bool,
    pub session_ttl: Duration,
    pub blobs: BlobConfig,
    pub uploads: UploadLimits,
    /// How often expired sessions, keys and uploads are swept (also once at start).
    pub sweep_every: Duration,
}

/// Where the SQLite file lives: `LIFEBUOY_DATABASE_URL` if given, else `DATA_DIR/lifebuoy.db`.
pub fn database_path(data_dir: &Path, database_url: Option<&str>) -> Result<PathBuf> {
    let Some(url) = database_url.map(str::trim).filter(|u| !u.is_empty()) else {
        return Ok(data_dir.join("lifebuoy.db"));
    };
    if let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        let path = path.split('?').next().unwrap_or(path);
        if !path.is_empty() {
            return Ok(PathBuf::from(path));
        }
    }
    let scheme = url.split(':').next().unwrap_or(url);
    Err(Error::BadRequest(format!(
        "The database URL scheme `{scheme}` is not supported by this build; use sqlite:PATH, \
         or leave LIFEBUOY_DATABASE_URL unset to keep the database in the data dir."
    )))
}

/// Creates the data dir readable by its owner only: it holds every ticket.
pub fn prepare_data_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| {
        Error::Internal(format!("cannot create the data dir {}: {e}", dir.display()))
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
    }
    Ok(())
}

pub async fn open_state(config: &ServerConfig) -> Result<AppState> {
    let blobs = Arc::new(Blobs::open(&config.blobs)?);
    let store = SqliteStore::open(&config.database, config.durability).await?;
    let store: Arc<dyn Store> = Arc::new(store);
    if config.demo {
        let created = crate::demo::seed(store.as_ref()).await?;
        tracing::warn!(
            created,
            "DEMO MODE: the demo accounts exist with the public password `{}`. \
             Never run --demo on a server that real people use.",
            crate::demo::DEMO_PASSWORD
        );
    }
    Ok(AppState {
        store,
        blobs,
        limiter: Arc::new(LoginLimiter::default()),
        session_ttl: config.session_ttl,
        uploads: config.uploads.clone(),
        shutdown: tokio_util::sync::CancellationToken::new(),
    })
}

/// Serves until `shutdown` resolves, then finishes the requests under way.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    sweep_every: Duration,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let sweeper = tokio::spawn(sweep_forever(state.clone(), sweep_every));
    let streams = state.shutdown.clone();
    let app = crate::app::router(state);
    // Small answers must not wait for the peer's delayed ACK (Nagle): ~40 ms per download.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp: &mut tokio::net::TcpStream| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "could not set TCP_NODELAY");
        }
    });
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown.await;
            streams.cancel();
        })
        .await;
    sweeper.abort();
    served.map_err(|e| Error::Internal(format!("the server stopped: {e}")))
}

async fn sweep_forever(state: AppState, every: Duration) {
    // Uploads still `receiving` from before this process started were cut off by its end.
    let started = Utc::now();
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        let now = Utc::now();
        let keys_before = now
            - chrono::Duration::from_std(IDEMPOTENCY_RETENTION)
                .unwrap_or(chrono::Duration::days(2));
        if let Err(e) = state.store.sweep(now, keys_before).await {
            tracing::warn!(error = %e, "sweeping expired sessions and idempotency keys failed");
        }
        let give_up = now
            - chrono::Duration::from_std(RECEIVING_GIVE_UP).unwrap_or(chrono::Duration::hours(6));
        match sweep_uploads(
            state.store.as_ref(),
            &state.blobs,
            now,
            give_up.max(started),
        )
        .await
        {
            Ok(0) => {}
            Ok(n) => tracing::info!(removed = n, "swept unused and unfinished uploads"),
            Err(e) => tracing::warn!(error = %e, "sweeping uploads failed"),
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests under way");
}
