//! The one connection that writes, owned by one thread, with group commit.
//!
//! Through sqlx every statement of a write was a round trip to sqlx's worker thread, and
//! on the single writer connection those waits, not SQLite, bounded how many tickets a
//! second could be filed. Here a write is a closure that runs synchronously next to the
//! connection. The thread takes every write waiting in its queue, runs them one after
//! another in one transaction with a savepoint each, and commits once, so a burst of
//! writes shares one fsync. A write that fails rolls back only its own savepoint and gets
//! its own error; no caller hears of success before the commit that holds its write.
//!
//! Writes stay strictly serial (one thread, one connection), which is what keeps
//! idempotency checks and the change feed's gap-free order as simple as before.
//!
//! With full durability the fsync is pipelined: the connection commits without syncing
//! (`synchronous = NORMAL`, so SQLite has written the WAL frames but not flushed them),
//! and a second thread flushes the WAL file and only then answers the batch's callers and
//! moves the change feed. Meanwhile the writer already runs the next batch, so the CPU
//! work of one batch overlaps the disk flush of the one before, and one flush may cover
//! several batches. Nobody is told of a write before it is on disk; the change feed never
//! shows a position that is not (a power cut must not hand out a feed position twice),
//! though a plain read may see a row a few milliseconds before its fsync completes.

use std::fs::File;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{mpsc as sync_mpsc, Arc};
use std::time::Duration;

use rusqlite::Connection;
use tokio::sync::{mpsc, oneshot, watch};

use super::checkpointer::Checkpointer;
use super::Durability;
use crate::error::{Error, Result};

/// Writes committed together at most: bounds the wait of the first one in a burst.
const MAX_BATCH: usize = 128;
/// The writing connection's page cache (the read-only ones keep SQLite's default). 8 MiB
/// holds the hot index and full-text pages; 32 MiB cost ~7 % more writer CPU per write
/// (SQLite walks the larger cache at each commit) without fewer reads.
const WRITER_CACHE_KIB: i64 = 8 * 1024;
/// Writes waiting at most; further callers wait for room instead of piling up memory.
const QUEUE_DEPTH: usize = 1024;
/// Committed batches waiting for their flush at most; then the writer waits for the disk.
const UNSYNCED_BATCHES: usize = 8;
/// The log size (pages) at which the writer checkpoints by itself, should the
/// checkpointer fall behind (SQLite's default, 1,000, is what the checkpointer now does).
const BACKSTOP_CHECKPOINT_PAGES: i64 = 16_000;

/// The writing connection and how its commits reach the disk.
pub(super) struct WriteConnection {
    conn: Connection,
    path: PathBuf,
    /// The WAL file to flush after each commit; `None` when commits need no flush.
    wal: Option<PathBuf>,
}

/// Opens the writing connection with the same settings the sqlx pools use.
pub(super) fn connect(path: &Path, durability: Durability) -> Result<WriteConnection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Commits do not flush: with full durability the flusher thread does it before anyone
    // is answered (see the module comment). Checkpoints still flush the WAL and the
    // database file themselves, as NORMAL always does.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Each create touches the same index and full-text pages over and over; with SQLite's
    // default 2 MiB cache they were read back from the OS on almost every write.
    conn.pragma_update(None, "cache_size", -WRITER_CACHE_KIB)?;
    // Checkpoints are the checkpointer thread's job; this is only the backstop.
    conn.pragma_update(None, "wal_autocheckpoint", BACKSTOP_CHECKPOINT_PAGES)?;
    // Every write statement the server has, plus the transaction control, stays prepared.
    conn.set_prepared_statement_cache_capacity(128);
    let wal = match durability {
        Durability::Full => {
            let mut name = path.as_os_str().to_owned();
            name.push("-wal");
            Some(PathBuf::from(name))
        }
        Durability::Normal => None,
    };
    Ok(WriteConnection {
        conn,
        path: path.to_owned(),
        wal,
    })
}

/// The async side: hands writes to the thread and waits for their answers.
pub(super) struct Writer {
    queue: mpsc::Sender<Command>,
}

enum Command {
    Write(Box<dyn Job>),
    Close(oneshot::Sender<()>),
}

impl Writer {
    /// Starts the thread; it tells `feed` the newest change-feed position after commits.
    pub fn start(conn: WriteConnection, feed: Arc<watch::Sender<i64>>) -> Result<Self> {
        let (queue, inbox) = mpsc::channel(QUEUE_DEPTH);
        let flusher = match conn.wal {
            Some(wal) => {
                let (committed, unsynced) = sync_mpsc::sync_channel(UNSYNCED_BATCHES);
                let feed = Arc::clone(&feed);
                let thread = std::thread::Builder::new()
                    .name("sqlite-flusher".to_owned())
                    .spawn(move || flush_loop(&wal, &unsynced, &feed))
                    .map_err(|e| {
                        Error::Internal(format!("cannot start the database flusher: {e}"))
                    })?;
                Some(Flusher { committed, thread })
            }
            None => None,
        };
        let checkpointer = Checkpointer::start(&conn.path)?;
        let conn = conn.conn;
        std::thread::Builder::new()
            .name("sqlite-writer".to_owned())
            .spawn(move || serve(conn, inbox, &feed, flusher, checkpointer))
            .map_err(|e| Error::Internal(format!("cannot start the database writer: {e}")))?;
        Ok(Self { queue })
    }

    /// Runs `work` inside the next batch's transaction; answers once that has committed.
    pub async fn write<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let task = Task {
            work: Some(work),
            outcome: None,
            reply,
        };
        self.queue
            .send(Command::Write(Box::new(task)))
            .await
            .map_err(|_| closed())?;
        answer.await.map_err(|_| closed())?
    }

    /// Finishes the writes already queued, then closes the connection.
    pub async fn close(&self) {
        let (done, closed) = oneshot::channel();
        if self.queue.send(Command::Close(done)).await.is_ok() {
            let _ = closed.await;
        }
    }
}

fn closed() -> Error {
    Error::Unavailable("the database is closed".to_owned())
}

/// A write with its caller's answer channel, type-erased so that one queue holds all.
trait Job: Send {
    /// Runs the write; true if it succeeded and its savepoint should be kept.
    fn run(&mut self, conn: &Connection) -> bool;
    /// Answers the caller; `committed` is the fate of the transaction the write ran in.
    fn answer(self: Box<Self>, committed: std::result::Result<(), &str>);
}

struct Task<T, F> {
    work: Option<F>,
    outcome: Option<Result<T>>,
    reply: oneshot::Sender<Result<T>>,
}

impl<T, F> Job for Task<T, F>
where
    T: Send,
    F: FnOnce(&Connection) -> Result<T> + Send,
{
    fn run(&mut self, conn: &Connection) -> bool {
        let Some(work) = self.work.take() else {
            return false;
        };
        // A panic must cost one request, not the thread every later write depends on.
        let outcome = catch_unwind(AssertUnwindSafe(|| work(conn)))
            .unwrap_or_else(|_| Err(Error::internal("a database write panicked")));
        let ok = outcome.is_ok();
        self.outcome = Some(outcome);
        ok
    }

    fn answer(self: Box<Self>, committed: std::result::Result<(), &str>) {
        let outcome = match (self.outcome, committed) {
            (Some(Ok(_)), Err(why)) => Err(Error::Internal(format!(
                "the write was not committed: {why}"
            ))),
            (Some(outcome), _) => outcome,
            (None, Err(why)) => Err(Error::Internal(format!("the write did not run: {why}"))),
            (None, Ok(())) => Err(Error::internal("the write did not run")),
        };
        // The caller may have gone (its request was cancelled); the write stands anyway,
        // and a retry with the same Idempotency-Key gets its answer.
        let _ = self.reply.send(outcome);
    }
}

/// The writer's handle on the flusher thread.
struct Flusher {
    committed: sync_mpsc::SyncSender<Committed>,
    thread: std::thread::JoinHandle<()>,
}

/// A committed batch waiting for its flush: the callers to answer and the feed position
/// its commit reached.
struct Committed {
    jobs: Vec<Box<dyn Job>>,
    position: Option<i64>,
}

fn serve(
    conn: Connection,
    mut inbox: mpsc::Receiver<Command>,
    feed: &watch::Sender<i64>,
    flusher: Option<Flusher>,
    checkpointer: Checkpointer,
) {
    let mut batch: Vec<Box<dyn Job>> = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = inbox.blocking_recv() {
        let mut closing = None;
        let mut next = Some(first);
        while let Some(command) = next.take() {
            match command {
                Command::Write(job) => batch.push(job),
                Command::Close(done) => {
                    closing = Some(done);
                    break;
                }
            }
            if batch.len() < MAX_BATCH {
                next = inbox.try_recv().ok();
            }
        }
        if !batch.is_empty() {
            run_batch(&conn, &mut batch, feed, flusher.as_ref());
            checkpointer.nudge();
        }
        if let Some(done) = closing {
            // Everything committed is flushed and answered before the connection goes.
            if let Some(Flusher { committed, thread }) = flusher {
                drop(committed);
                if thread.join().is_err() {
                    tracing::error!("the database flusher panicked");
                }
            }
            checkpointer.stop();
            if let Err((_, e)) = conn.close() {
                tracing::warn!(error = %e, "closing the database writer failed");
            }
            let _ = done.send(());
            return;
        }
    }
}

fn exec(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)?.execute([])?;
    Ok(())
}

/// Runs `batch` in as few transactions as possible (one unless SQLite aborts one).
fn run_batch(
    conn: &Connection,
    batch: &mut Vec<Box<dyn Job>>,
    feed: &watch::Sender<i64>,
    flusher: Option<&Flusher>,
) {
    let mut done: Vec<Box<dyn Job>> = Vec::with_capacity(batch.len());
    for mut job in batch.drain(..) {
        if conn.is_autocommit() {
            if let Err(e) = exec(conn, "BEGIN IMMEDIATE") {
                job.answer(Err(&e.to_string()));
                continue;
            }
        }
        if let Err(e) = exec(conn, "SAVEPOINT write") {
            job.answer(Err(&e.to_string()));
            continue;
        }
        let ok = job.run(conn);
        if conn.is_autocommit() {
            // SQLite rolled the whole transaction back (a full disk, an I/O error):
            // everything written in it so far is gone, not just this write.
            let why = "SQLite rolled the transaction back";
            for earlier in done.drain(..) {
                earlier.answer(Err(why));
            }
            job.answer(Err(why));
            continue;
        }
        let closed = if ok {
            exec(conn, "RELEASE write")
        } else {
            exec(conn, "ROLLBACK TO write").and_then(|()| exec(conn, "RELEASE write"))
        };
        if let Err(e) = closed {
            let why = e.to_string();
            let _ = exec(conn, "ROLLBACK");
            for earlier in done.drain(..) {
                earlier.answer(Err(&why));
            }
            job.answer(Err(&why));
            continue;
        }
        done.push(job);
    }
    if conn.is_autocommit() {
        return;
    }
    let committed = exec(conn, "COMMIT").map_err(|e| {
        let _ = exec(conn, "ROLLBACK");
        e.to_string()
    });
    if committed.is_ok() {
        let position = feed_position(conn);
        if let Some(flusher) = flusher {
            let waiting = Committed {
                jobs: done,
                position,
            };
            if let Err(sync_mpsc::SendError(lost)) = flusher.committed.send(waiting) {
                for job in lost.jobs {
                    job.answer(Err("the database flusher stopped"));
                }
            }
            return;
        }
        announce(feed, position);
    }
    for job in done {
        job.answer(committed.as_ref().map(|_| ()).map_err(String::as_str));
    }
}

/// Flushes the WAL once for every committed batch waiting, then answers them all.
fn flush_loop(wal: &Path, unsynced: &sync_mpsc::Receiver<Committed>, feed: &watch::Sender<i64>) {
    let mut file: Option<File> = None;
    while let Ok(first) = unsynced.recv() {
        let mut batches = vec![first];
        batches.extend(unsynced.try_iter());
        let flushed = flush(wal, &mut file);
        if let Err(e) = &flushed {
            tracing::error!(error = %e, "flushing the database's write-ahead log failed");
            // A failed fsync may have dropped the dirty pages: reopen before trusting it again.
            file = None;
        }
        let position = batches.iter().filter_map(|b| b.position).max();
        if flushed.is_ok() {
            announce(feed, position);
        }
        let answer = flushed.map_err(|_| "the write may not have reached the disk");
        for batch in batches {
            for job in batch.jobs {
                job.answer(answer);
            }
        }
    }
}

fn flush(wal: &Path, file: &mut Option<File>) -> std::io::Result<()> {
    let open = match file {
        Some(open) => open,
        None => file.insert(File::open(wal)?),
    };
    // fsync reaches the file's pages whichever descriptor wrote them.
    open.sync_data()
}

/// The newest change-feed position, read right after a commit.
fn feed_position(conn: &Connection) -> Option<i64> {
    match conn
        .prepare_cached("SELECT MAX(seq) FROM changes")
        .and_then(|mut s| s.query_row([], |r| r.get::<_, Option<i64>>(0)))
    {
        Ok(newest) => Some(newest.unwrap_or(0)),
        Err(e) => {
            tracing::warn!(error = %e, "reading the change-feed position failed");
            None
        }
    }
}

/// Moves the feed position that `/sync` and `/events` serve up to, once the rows are
/// visible to readers and, with full durability, on disk.
fn announce(feed: &watch::Sender<i64>, position: Option<i64>) {
    let Some(newest) = position else {
        return;
    };
    feed.send_if_modified(|current| {
        let moved = newest > *current;
        if moved {
            *current = newest;
        }
        moved
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(dir: &tempfile::TempDir, durability: Durability) -> (Writer, Arc<watch::Sender<i64>>) {
        let conn = connect(&dir.path().join("db"), durability).expect("open");
        conn.conn
            .execute_batch(
                "CREATE TABLE changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER NOT NULL);",
            )
            .expect("schema");
        let feed = Arc::new(watch::channel(0).0);
        (Writer::start(conn, Arc::clone(&feed)).expect("start"), feed)
    }

    /// Many writes at once share batches; each failing one loses only its own rows and
    /// gets its own error, and a panicking one does not stop the thread.
    #[tokio::test]
    async fn a_failing_write_rolls_back_only_itself() {
        for durability in [Durability::Normal, Durability::Full] {
            failing_writes_roll_back_alone(durability).await;
        }
    }

    async fn failing_writes_roll_back_alone(durability: Durability) {
        let dir = tempfile::tempdir().expect("temp dir");
        let (writer, feed) = open(&dir, durability);
        let writer = Arc::new(writer);
        let mut tasks = Vec::new();
        for n in 0..200_i64 {
            let writer = Arc::clone(&writer);
            tasks.push(tokio::spawn(async move {
                writer
                    .write(move |c| {
                        c.execute("INSERT INTO changes (n) VALUES (?)", [n])?;
                        match n % 4 {
                            1 => Err(Error::Conflict(format!("no {n}"))),
                            3 if n == 3 => panic!("a bug in one write"),
                            _ => Ok(n),
                        }
                    })
                    .await
            }));
        }
        for (n, task) in (0..200_i64).zip(tasks) {
            match (n % 4, task.await.expect("task")) {
                (1, Err(Error::Conflict(m))) => assert_eq!(m, format!("no {n}")),
                (3, Err(Error::Internal(_))) if n == 3 => {}
                (_, Ok(got)) => assert_eq!(got, n),
                (_, other) => panic!("write {n}: unexpected {:?}", other.err()),
            }
        }
        let kept = writer
            .write(|c| {
                let mut s = c.prepare("SELECT n FROM changes ORDER BY seq")?;
                let rows = s.query_map([], |r| r.get::<_, i64>(0))?;
                Ok(rows.collect::<rusqlite::Result<Vec<i64>>>()?)
            })
            .await
            .expect("read back");
        let mut expected: Vec<i64> = (0..200).filter(|n| n % 4 != 1 && *n != 3).collect();
        let mut sorted = kept.clone();
        sorted.sort_unstable();
        expected.sort_unstable();
        assert_eq!(sorted, expected);
        // Rolled-back savepoints give their sequence numbers back: no gaps.
        assert_eq!(*feed.borrow(), kept.len() as i64);
        writer.close().await;
        assert!(matches!(
            writer.write(|_| Ok(())).await,
            Err(Error::Unavailable(_))
        ));
    }

    /// Committed rows reach the database file itself soon after, without waiting for the
    /// log to fill: a copy of the file alone, without its log, holds them.
    #[tokio::test]
    async fn commits_are_checkpointed_into_the_database_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (writer, _) = open(&dir, Durability::Full);
        for n in 0..50_i64 {
            writer
                .write(move |c| Ok(c.execute("INSERT INTO changes (n) VALUES (?)", [n])?))
                .await
                .expect("write");
        }
        let copy = dir.path().join("copy");
        let mut found = 0;
        for _ in 0..50 {
            tokio::time::sleep(Duration::from_millis(20)).await;
            std::fs::copy(dir.path().join("db"), &copy).expect("copy the file");
            let conn = Connection::open(&copy).expect("open the copy");
            found = conn
                .query_row("SELECT COUNT(*) FROM changes", [], |r| r.get::<_, i64>(0))
                .expect("count");
            drop(conn);
            std::fs::remove_file(&copy).ok();
            if found == 50 {
                break;
            }
        }
        assert_eq!(found, 50, "every committed row is in the database file");
        writer.close().await;
    }

    /// With full durability nobody hears of a write, and the feed does not move, until the
    /// WAL flush succeeded. Here the flusher cannot open the WAL (its name is unlinked
    /// under SQLite, which keeps writing through its open descriptor), so the commit
    /// stands in SQLite but the caller is told it may not be on disk.
    #[tokio::test]
    async fn a_failed_flush_is_reported_and_not_announced() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (writer, feed) = open(&dir, Durability::Full);
        std::fs::remove_file(dir.path().join("db-wal")).expect("unlink the WAL");
        let outcome = writer
            .write(|c| Ok(c.execute("INSERT INTO changes (n) VALUES (1)", [])?))
            .await;
        match outcome {
            Err(Error::Internal(why)) => assert!(why.contains("disk"), "{why}"),
            other => panic!("expected a flush error, got {:?}", other.map(|_| ())),
        }
        assert_eq!(
            *feed.borrow(),
            0,
            "an unflushed write must not reach the feed"
        );
        writer.close().await;
    }
}
