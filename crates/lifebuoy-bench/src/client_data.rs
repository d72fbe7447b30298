//! The client sync data set: N tickets of one requester (field@demo.test), each with M
//! public messages, written with SQL as the server would have written them: ticket,
//! timeline events, messages, counters and one change-feed row per event and message.
//! Through the API this would take minutes of the single writer's time.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use lifebuoy_server::store::sqlite::{Durability, SqliteStore};
use rusqlite::{params, Connection, OptionalExtension};

use crate::generate::now_ms;
use crate::rng::Rng;
use crate::text;

pub const REQUESTER: &str = "field@demo.test";
pub const AGENT: &str = "agent@demo.test";
const BATCH: u64 = 2_000;
/// One year of history.
const SPAN_MS: i64 = 365 * 24 * 60 * 60 * 1000;
const CATEGORIES: &[&str] = &["general", "billing", "login", "sync", "printing", "mobile"];

pub struct ClientDataset {
    pub path: PathBuf,
    pub tickets: u64,
    pub messages: u64,
    pub bytes: u64,
    pub seconds: f64,
    pub reused: bool,
}

/// `work_dir/client-T-M.db`, generated unless `reuse` and a finished one is there.
pub async fn ensure(
    work_dir: &Path,
    tickets: u64,
    per_ticket: u64,
    reuse: bool,
) -> Result<ClientDataset> {
    let path = work_dir.join(format!("client-{tickets}-{per_ticket}.db"));
    let marker = work_dir.join(format!("client-{tickets}-{per_ticket}.complete"));
    let started = Instant::now();
    let reused = reuse && marker.exists() && path.exists();
    if !reused {
        for suffix in ["", "-wal", "-shm"] {
            let mut stale = path.as_os_str().to_owned();
            stale.push(suffix);
            let stale = PathBuf::from(stale);
            if stale.exists() {
                std::fs::remove_file(&stale)
                    .with_context(|| format!("removing {}", stale.display()))?;
            }
        }
        if marker.exists() {
            std::fs::remove_file(&marker)?;
        }
        eprintln!(
            "generating {tickets} tickets × {per_ticket} messages for {REQUESTER} in {} …",
            path.display()
        );
        let store = SqliteStore::open(&path, Durability::Normal)
            .await
            .context("creating the schema with the server's migrations")?;
        lifebuoy_server::demo::seed(&store)
            .await
            .context("seeding the demo accounts")?;
        store.close().await;
        let load = path.clone();
        tokio::task::spawn_blocking(move || bulk_load(&load, tickets, per_ticket))
            .await
            .context("the generator thread failed")??;
        std::fs::write(&marker, b"").with_context(|| format!("writing {}", marker.display()))?;
    }
    let conn = Connection::open(&path)?;
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0));
    Ok(ClientDataset {
        tickets: count("SELECT count(*) FROM tickets")? as u64,
        messages: count("SELECT count(*) FROM messages")? as u64,
        bytes: std::fs::metadata(&path).map_or(0, |m| m.len()),
        path,
        seconds: started.elapsed().as_secs_f64(),
        reused,
    })
}

fn user_id(conn: &Connection, email: &str) -> Result<String> {
    match conn
        .query_row("SELECT id FROM users WHERE email = ?", [email], |r| {
            r.get(0)
        })
        .optional()?
    {
        Some(id) => Ok(id),
        None => bail!("the demo account {email} is missing"),
    }
}

fn bulk_load(path: &Path, tickets: u64, per_ticket: u64) -> Result<()> {
    let mut conn = Connection::open(path)?;
    // Nothing is lost by a crash here except the run itself, so skip the syncing.
    conn.pragma_update(None, "synchronous", "OFF")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    let requester = user_id(&conn, REQUESTER)?;
    let agent = user_id(&conn, AGENT)?;
    let mut rng = Rng::new(tickets ^ per_ticket);
    let now = now_ms();
    let mut done = 0;
    while done < tickets {
        let end = (done + BATCH).min(tickets);
        let tx = conn.transaction()?;
        for i in done..end {
            let created_at =
                now - SPAN_MS + (i128::from(SPAN_MS) * i128::from(i) / i128::from(tickets)) as i64;
            insert_ticket(&tx, &mut rng, (&requester, &agent), created_at, per_ticket)?;
        }
        tx.commit()?;
        done = end;
    }
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(())
}

/// A ticket filed by the requester, answered by the agent first (which moves it from NEW
/// to IN_PROGRESS and sets `first_response_at`, as the server's rules do), then
/// alternating; every message public, every change in the requester's feed.
fn insert_ticket(
    tx: &Connection,
    rng: &mut Rng,
    (requester, agent): (&str, &str),
    created_at: i64,
    per_ticket: u64,
) -> Result<()> {
    // Messages a few minutes apart, so no ticket's history reaches into the future.
    let times: Vec<i64> = (1..=per_ticket as i64)
        .map(|k| created_at + k * 60_000 + rng.below(50_000) as i64)
        .collect();
    let first_response = times.first().copied();
    let updated_at = times.last().copied().unwrap_or(created_at);
    let status = if per_ticket == 0 {
        "NEW"
    } else {
        "IN_PROGRESS"
    };
    tx.prepare_cached(
        "INSERT INTO tickets (id, subject, description, status, priority, category, requester_id, \
         context, system_info, created_at, updated_at, first_response_at, public_messages) \
         VALUES (?, ?, ?, ?, ?, ?, ?, '{}', '{}', ?, ?, ?, ?)",
    )?
    .execute(params![
        rng.uuid().to_string(),
        text::subject(rng),
        text::description(rng),
        status,
        rng.below(4) as i64,
        rng.pick_str(CATEGORIES),
        requester,
        created_at,
        updated_at,
        first_response,
        per_ticket as i64,
    ])?;
    let seq = tx.last_insert_rowid();
    let mut event = tx.prepare_cached(
        "INSERT INTO ticket_events (ticket_seq, actor_id, kind, old_value, new_value, created_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )?;
    let mut message = tx.prepare_cached(
        "INSERT INTO messages (id, ticket_seq, author_id, body, internal, created_at) \
         VALUES (?, ?, ?, ?, 0, ?)",
    )?;
    let mut change = tx.prepare_cached(
        "INSERT INTO changes (ticket_seq, requester_id, kind, event_seq, message_seq, staff_only, \
         created_at) VALUES (?, ?, ?, ?, ?, 0, ?)",
    )?;
    event.execute(params![
        seq,
        requester,
        "created",
        None::<String>,
        "NEW",
        created_at
    ])?;
    let created = tx.last_insert_rowid();
    change.execute(params![
        seq,
        requester,
        "ticket_created",
        created,
        None::<i64>,
        created_at
    ])?;
    for (k, &at) in times.iter().enumerate() {
        let author = if k % 2 == 0 { agent } else { requester };
        message.execute(params![
            rng.uuid().to_string(),
            seq,
            author,
            text::reply(rng),
            at
        ])?;
        let m = tx.last_insert_rowid();
        change.execute(params![
            seq,
            requester,
            "message_created",
            None::<i64>,
            m,
            at
        ])?;
        if k == 0 {
            event.execute(params![
                seq,
                agent,
                "status_changed",
                "NEW",
                "IN_PROGRESS",
                at
            ])?;
            let e = tx.last_insert_rowid();
            change.execute(params![
                seq,
                requester,
                "ticket_updated",
                e,
                None::<i64>,
                at
            ])?;
        }
    }
    Ok(())
}
