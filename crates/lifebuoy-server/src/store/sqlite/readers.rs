//! Reads that run next to their connection: one hop per request, not one per row.
//!
//! Through sqlx each statement is a round trip to its connection's worker thread and each
//! row a message back, so a searched queue page (its plan, then 26 rows) spent about a
//! third of its CPU switching threads. A read here is a closure that runs every statement
//! it needs on a reader thread's own connection and answers once. The ticket list and its
//! search, the queue counts, the stats and the export run here; the other reads, each a
//! statement or two, still use the sqlx pool.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use tokio::sync::{mpsc, oneshot};

use super::word_test;
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
    word_test::register(&conn)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn database(dir: &tempfile::TempDir) -> std::path::PathBuf {
        let path = dir.path().join("db");
        let conn = Connection::open(&path).expect("create");
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (7);",
        )
        .expect("schema");
        path
    }

    fn seven(conn: &Connection) -> Result<i64> {
        Ok(conn.query_row("SELECT n FROM t", [], |row| row.get(0))?)
    }

    #[tokio::test]
    async fn a_read_that_panics_fails_alone_and_the_readers_carry_on() {
        let dir = tempfile::tempdir().expect("dir");
        let readers = Readers::start(&database(&dir), 1).expect("start");
        let failed = readers
            .read(|_| -> Result<i64> { panic!("a bug in one read") })
            .await;
        assert!(matches!(failed, Err(Error::Internal(_))), "{failed:?}");
        // The one thread survived the panic and still answers.
        assert_eq!(readers.read(seven).await.expect("read"), 7);
    }

    #[tokio::test]
    async fn reads_are_read_only() {
        let dir = tempfile::tempdir().expect("dir");
        let readers = Readers::start(&database(&dir), 2).expect("start");
        let write = readers
            .read(|conn| Ok(conn.execute("INSERT INTO t VALUES (8)", [])?))
            .await;
        assert!(matches!(write, Err(Error::Sqlite(_))), "{write:?}");
        assert_eq!(readers.read(seven).await.expect("read"), 7);
    }

    #[tokio::test]
    async fn queued_reads_finish_before_close_and_later_ones_are_refused() {
        let dir = tempfile::tempdir().expect("dir");
        let readers = Arc::new(Readers::start(&database(&dir), 2).expect("start"));
        let queued: Vec<_> = (0..20)
            .map(|_| {
                let readers = Arc::clone(&readers);
                tokio::spawn(async move { readers.read(seven).await })
            })
            .collect();
        tokio::task::yield_now().await;
        readers.close().await;
        for read in queued {
            // Each read either ran before the close or was refused, never left hanging.
            match read.await.expect("task") {
                Ok(n) => assert_eq!(n, 7),
                Err(e) => assert!(matches!(e, Error::Internal(_)), "{e:?}"),
            }
        }
        let after = readers.read(seven).await;
        assert!(matches!(after, Err(Error::Internal(_))), "{after:?}");
    }
}
