//! Checkpoints on their own thread and connection.
//!
//! SQLite copies the write-ahead log back into the database file (a checkpoint) on the
//! committing connection once the log passes 1,000 pages. On the writer thread that meant
//! every few batches one commit also copied thousands of pages and fsynced the database
//! file: about a tenth of the writer's time, and the slowest answers. Here a connection of
//! its own does it right after commits, passively (it never waits for, or blocks, the
//! writer or a reader). The writer keeps a much larger automatic checkpoint as a backstop
//! should this thread ever fall behind.

use std::path::Path;
use std::sync::mpsc::{sync_channel, SyncSender, TrySendError};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

use crate::error::{Error, Result};

/// How long after a commit the checkpoint waits, so that one covers a few batches. Short
/// on purpose: a checkpoint's fsync of the database file holds up the flusher's fsync of the
/// log, which every answer waits for, and a checkpoint every 20 ms (or 200) copied and
/// flushed enough random pages to stall answers for 100+ ms. Every 2 ms: reply p99 at
/// 1,000,000 tickets 158 → 28 ms, create 29 → 12.5 ms, for ~10 % fewer replies a second
/// at saturation (BENCHMARKS.md, "Checkpoints every 2 ms").
const PAUSE: Duration = Duration::from_millis(2);

pub(super) struct Checkpointer {
    wake: SyncSender<()>,
    thread: JoinHandle<()>,
}

impl Checkpointer {
    pub fn start(path: &Path) -> Result<Self> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(10))?;
        // Checkpoints flush the log and the database file at every level but OFF.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        let (wake, woken) = sync_channel::<()>(1);
        let thread = std::thread::Builder::new()
            .name("sqlite-checkpoint".to_owned())
            .spawn(move || {
                while woken.recv().is_ok() {
                    std::thread::sleep(PAUSE);
                    while woken.try_recv().is_ok() {}
                    checkpoint(&conn);
                }
                checkpoint(&conn);
            })
            .map_err(|e| Error::Internal(format!("cannot start the database checkpointer: {e}")))?;
        Ok(Self { wake, thread })
    }

    /// Asks for a checkpoint soon; free when one is already asked for.
    pub fn nudge(&self) {
        if let Err(TrySendError::Disconnected(())) = self.wake.try_send(()) {
            tracing::warn!("the database checkpointer has stopped");
        }
    }

    /// Runs a last checkpoint and waits for the thread to end.
    pub fn stop(self) {
        drop(self.wake);
        if self.thread.join().is_err() {
            tracing::error!("the database checkpointer panicked");
        }
    }
}

fn checkpoint(conn: &Connection) {
    // A busy or partial pass (a reader still on old frames) is simply retried after the
    // next commit, so its (busy, frames, copied) answer is not needed.
    let outcome = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
    if let Err(e) = outcome {
        tracing::warn!(error = %e, "checkpointing the database failed");
    }
}
