//! Reads that run next to their connection: one hop per request, not one per row.
//!
//! Through sqlx each statement is a round trip to its connection's worker thread and each
//! row a message back, so a searched queue page (its plan, then 26 rows) spent about a
//! third of its CPU switching threads. A read here is a closure that runs every statement
//! it needs on a reader thread's own connection and answers once. The ticket list and its
//! search, the queue counts and the export run here; the other reads, each a statement or
//! two, still use the sqlx pool.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use tokio::sync::{mpsc, oneshot};

use crate::error::{Error, Result};

/// Reads waiting at most; further callers wait for room instead of piling up memory.
const QUEUE_DEPTH: usize = 1024;

type Job = Box<dyn FnOnce(&Connection) + Send>;

enum Command {
    Read(Job),
    Stop,
}

/// Reader threads, each with its own read-only connection, taking reads from one queue.
pub(super) struct Readers {
    queue: mpsc::Sender<Command>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

fn connect(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(10))?;
    // The list's statements differ by filter and word count; all stay prepared.
    conn.set_prepared_statement_cache_capacity(128);
    Ok(conn)
}

impl Readers {
    /// Opens `count` connections to `path` (whose schema is current) and starts a thread for each.
    pub fn start(path: &Path, count: usize) -> Result<Self> {
        let (queue, inbox) = mpsc::channel(QUEUE_DEPTH);
        let inbox = Arc::new(Mutex::new(inbox));
        let mut threads = Vec::with_capacity(count);
        for i in 0..count {
            let conn = connect(path)?;
            let inbox = Arc::clone(&inbox);
            let thread = std::thread::Builder::new()
                .name(format!("sqlite-reader-{i}"))
                .spawn(move || serve(&conn, &inbox))
                .map_err(Error::internal)?;
            threads.push(thread);
        }
        Ok(Self {
            queue,
            threads: Mutex::new(threads),
        })
    }

    /// Runs `read` on a reader thread and returns its answer.
    pub async fn read<R: Send + 'static>(
        &self,
        read: impl FnOnce(&Connection) -> Result<R> + Send + 'static,
    ) -> Result<R> {
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move |conn| {
            // The caller may have gone away (a dropped request): nobody to tell then.
            let _ = answer.send(read(conn));
        });
        self.queue
            .send(Command::Read(job))
            .await
            .map_err(|_| Error::internal("the database readers have stopped"))?;
        answered
            .await
            .map_err(|_| Error::internal("a database read failed unexpectedly"))?
    }

    /// Lets the reads already queued finish, then stops every thread and closes its connection.
    pub async fn close(&self) {
        let threads = match self.threads.lock() {
            Ok(mut threads) => std::mem::take(&mut *threads),
            Err(_) => return,
        };
        for _ in &threads {
            if self.queue.send(Command::Stop).await.is_err() {
                break;
            }
        }
        let _ = tokio::task::spawn_blocking(move || {
            for thread in threads {
                let _ = thread.join();
            }
        })
        .await;
    }
}

fn serve(conn: &Connection, inbox: &Mutex<mpsc::Receiver<Command>>) {
    loop {
        // One thread waits on the queue at a time, holding the lock; the rest wait for it.
        let command = match inbox.lock() {
            Ok(mut inbox) => inbox.blocking_recv(),
            Err(_) => return,
        };
        match command {
            // A read that panics drops its answer (its caller gets an error); the thread
            // and its connection carry on.
            Some(Command::Read(job)) => {
                let _ = catch_unwind(AssertUnwindSafe(|| job(conn)));
            }
            Some(Command::Stop) | None => return,
        }
    }
}
