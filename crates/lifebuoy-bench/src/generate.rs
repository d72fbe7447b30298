//! Builds a database of N tickets: the server's own schema and demo accounts, then rows
//! written straight with SQL in large transactions, because going through the API would
//! take hours at a million tickets.

use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use lifebuoy_domain::wire::EventKind;
use lifebuoy_server::store::sqlite::{Durability, SqliteStore};
use rusqlite::{params, Connection};

use crate::rng::Rng;
use crate::ticket_plan;

const EXTRA_REQUESTERS: usize = 1_000;
const EXTRA_AGENTS: usize = 20;
const BATCH: u64 = 20_000;
/// Two years of history.
const SPAN_MS: i64 = 730 * 24 * 60 * 60 * 1000;

pub struct Dataset {
    pub path: PathBuf,
    pub tickets: u64,
    pub messages: u64,
    pub seconds: f64,
    pub reused: bool,
    pub bytes: u64,
}

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Generates `work_dir/tickets-N.db`, or reuses it if asked and a previous run finished it.
pub async fn ensure(work_dir: &Path, tickets: u64, reuse: bool) -> Result<Dataset> {
    let path = work_dir.join(format!("tickets-{tickets}.db"));
    // Written last: a generation that was interrupted is never mistaken for a finished one.
    let marker = work_dir.join(format!("tickets-{tickets}.complete"));
    let started = Instant::now();
    if reuse && marker.exists() && path.exists() {
        let (tickets, messages) = count(&path)?;
        return Ok(Dataset {
            bytes: file_size(&path),
            path,
            tickets,
            messages,
            seconds: started.elapsed().as_secs_f64(),
            reused: true,
        });
    }
    for stale in [
        &marker,
        &path,
        &with_suffix(&path, "-wal"),
        &with_suffix(&path, "-shm"),
    ] {
        if stale.exists() {
            std::fs::remove_file(stale).with_context(|| format!("removing {}", stale.display()))?;
        }
    }
    eprintln!("generating {tickets} tickets in {} …", path.display());
    let store = SqliteStore::open(&path, Durability::Normal)
        .await
        .context("creating the schema with the server's migrations")?;
    lifebuoy_server::demo::seed(&store)
        .await
        .context("seeding the demo accounts")?;
    store.close().await;
    let load_path = path.clone();
    let messages = tokio::task::spawn_blocking(move || bulk_load(&load_path, tickets))
        .await
        .context("the generator thread failed")??;
    std::fs::write(&marker, b"").with_context(|| format!("writing {}", marker.display()))?;
    Ok(Dataset {
        bytes: file_size(&path),
        path,
        tickets,
        messages,
        seconds: started.elapsed().as_secs_f64(),
        reused: false,
    })
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

fn count(path: &Path) -> Result<(u64, u64)> {
    let conn = Connection::open(path)?;
    let tickets: i64 = conn.query_row("SELECT count(*) FROM tickets", [], |r| r.get(0))?;
    let messages: i64 = conn.query_row("SELECT count(*) FROM messages", [], |r| r.get(0))?;
    Ok((tickets as u64, messages as u64))
}

struct Users {
    ids: Vec<String>,
    requesters: Vec<usize>,
    agents: Vec<usize>,
}

fn users(conn: &Connection, rng: &mut Rng, now: i64) -> Result<Users> {
    let mut users = Users {
        ids: Vec::new(),
        requesters: Vec::new(),
        agents: Vec::new(),
    };
    let mut stmt = conn.prepare("SELECT id, role FROM users ORDER BY email")?;
    let demo = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in demo {
        let (id, role) = row?;
        let list = if role == "requester" {
            &mut users.requesters
        } else {
            &mut users.agents
        };
        list.push(users.ids.len());
        users.ids.push(id);
    }
    // A hash no password matches: these accounts exist to own rows, not to sign in.
    let mut insert = conn.prepare(
        "INSERT INTO users (id, email, name, role, password_hash, active, created_at) \
         VALUES (?, ?, ?, ?, '!', 1, ?)",
    )?;
    for (role, n) in [("requester", EXTRA_REQUESTERS), ("agent", EXTRA_AGENTS)] {
        for i in 1..=n {
            let id = rng.uuid().to_string();
            let email = format!("{role}{i}@bench.test");
            let name = format!("Bench {role} {i}");
            insert.execute(params![id, email, name, role, now - SPAN_MS])?;
            let list = if role == "requester" {
                &mut users.requesters
            } else {
                &mut users.agents
            };
            list.push(users.ids.len());
            users.ids.push(id);
        }
    }
    Ok(users)
}

/// Writes the tickets, their messages and timelines; returns how many messages it wrote.
fn bulk_load(path: &Path, tickets: u64) -> Result<u64> {
    let mut conn = Connection::open(path)?;
    // Nothing is lost by a crash here except the run itself, so skip the syncing.
    conn.pragma_update(None, "synchronous", "OFF")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "cache_size", -1_000_000)?;
    let mut rng = Rng::new(tickets);
    let now = now_ms();
    let tx = conn.transaction()?;
    let users = users(&tx, &mut rng, now)?;
    tx.commit()?;

    let started = Instant::now();
    let mut messages = 0u64;
    let start = now - SPAN_MS;
    let mut done = 0u64;
    while done < tickets {
        let tx = conn.transaction()?;
        let end = (done + BATCH).min(tickets);
        for i in done..end {
            let created_at =
                start + (i128::from(SPAN_MS) * i128::from(i) / i128::from(tickets)) as i64;
            messages += insert_one(&tx, &mut rng, &users, created_at, now)?;
        }
        tx.commit()?;
        done = end;
        if done % (BATCH * 10) == 0 || done == tickets {
            eprintln!(
                "  {done}/{tickets} tickets, {messages} messages, {:.0} s",
                started.elapsed().as_secs_f64()
            );
        }
    }
    // Leave one self-contained file, as a server that was shut down cleanly would.
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(messages)
}

fn insert_one(
    tx: &Connection,
    rng: &mut Rng,
    users: &Users,
    created_at: i64,
    now: i64,
) -> Result<u64> {
    // One in fifty tickets belongs to a demo requester, so their own lists are not empty.
    let requester = if rng.chance(2) {
        users.requesters[rng.below(2) as usize]
    } else {
        *rng.pick(&users.requesters)
    };
    let agent = *rng.pick(&users.agents);
    let plan = ticket_plan::plan(rng, created_at, now, requester, agent);
    let mut ticket = tx.prepare_cached(
        "INSERT INTO tickets (id, subject, description, status, priority, category, \
         requester_id, assignee_id, context, system_info, created_at, updated_at, \
         first_response_at, resolved_at, closed_at, public_messages, internal_messages) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )?;
    ticket.execute(params![
        rng.uuid().to_string(),
        plan.subject,
        plan.description,
        plan.status.as_str(),
        plan.priority,
        plan.category,
        users.ids[plan.requester],
        plan.assignee.map(|a| &users.ids[a]),
        plan.context,
        plan.system_info,
        plan.created_at,
        plan.updated_at,
        plan.first_response_at,
        plan.resolved_at,
        plan.closed_at,
        plan.public_messages(),
        plan.internal_messages(),
    ])?;
    let seq = tx.last_insert_rowid();
    let requester_id = &users.ids[plan.requester];
    let mut message = tx.prepare_cached(
        "INSERT INTO messages (id, ticket_seq, author_id, body, internal, created_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )?;
    let mut event = tx.prepare_cached(
        "INSERT INTO ticket_events (ticket_seq, actor_id, kind, old_value, new_value, created_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )?;
    // The change feed gets a row per event and per message, in the order they happened,
    // as the server writes it in each change's own transaction.
    let mut change = tx.prepare_cached(
        "INSERT INTO changes (ticket_seq, requester_id, kind, event_seq, message_seq, staff_only, \
         created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )?;
    let mut timeline: Vec<(i64, Option<usize>, Option<usize>)> = plan
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| (e.at, Some(i), None))
        .chain(
            plan.messages
                .iter()
                .enumerate()
                .map(|(i, m)| (m.at, None, Some(i))),
        )
        .collect();
    timeline.sort_by_key(|&(at, event, _)| (at, event.is_none()));
    for (at, event_index, message_index) in timeline {
        if let Some(e) = event_index.map(|i| &plan.events[i]) {
            event.execute(params![
                seq,
                users.ids[e.actor],
                e.kind.as_str(),
                e.from,
                e.to,
                e.at
            ])?;
            let kind = if e.kind == EventKind::Created {
                "ticket_created"
            } else {
                "ticket_updated"
            };
            let event_seq = tx.last_insert_rowid();
            change.execute(params![
                seq,
                requester_id,
                kind,
                event_seq,
                None::<i64>,
                false,
                at
            ])?;
        }
        if let Some(m) = message_index.map(|i| &plan.messages[i]) {
            let id = rng.uuid().to_string();
            message.execute(params![
                id,
                seq,
                users.ids[m.author],
                m.body,
                m.internal,
                m.at
            ])?;
            let message_seq = tx.last_insert_rowid();
            change.execute(params![
                seq,
                requester_id,
                "message_created",
                None::<i64>,
                message_seq,
                m.internal,
                at
            ])?;
        }
    }
    Ok(plan.messages.len() as u64)
}
