//! The two floors a workload is compared with: the same HTTP stack (tokio, hyper, axum)
//! answering a constant JSON, and bare SQLite committing ticket rows one at a time.
//! Nothing real can be faster than its floor, so the ratio shows where the time goes.

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use axum::body::Bytes;
use axum::http::{header, StatusCode};
use axum::routing::get;
use axum::Router;
use lifebuoy_server::store::sqlite::{Durability, SqliteStore};
use rusqlite::{params, Connection};

use crate::generate::now_ms;
use crate::load::Outcome;
use crate::rng::Rng;
use crate::text;

/// A ticket as the API renders it, for the floor server to answer with.
pub fn constant_ticket_json() -> String {
    let mut rng = Rng::new(42);
    let now = "2026-01-31T09:00:00.123Z";
    json_string(&serde_json::json!({
        "id": rng.uuid(),
        "number": "LB-000042",
        "subject": text::subject(&mut rng),
        "description": text::description(&mut rng),
        "status": "IN_PROGRESS",
        "priority": "MEDIUM",
        "category": "sync",
        "requester": { "id": rng.uuid(), "name": "Fran Field" },
        "assignee": { "id": rng.uuid(), "name": "Avery Agent" },
        "context": { "app_version": "2.4.0", "screen": "help/new-ticket" },
        "system_info": { "os": "Windows 11 23H2", "arch": "x86_64", "memory_gb": 16 },
        "related_article_id": null,
        "created_at": now,
        "updated_at": now,
        "first_response_at": now,
        "resolved_at": null,
        "closed_at": null,
        "resolution_message_id": null,
        "message_count": 3,
        "attachment_count": 0,
    }))
}

fn json_string(value: &serde_json::Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Serves `GET /constant` and `POST /constant` (the body is read, then dropped) until
/// killed. Runs in a child process started by the bench itself.
pub async fn serve_constant(listen: SocketAddr) -> Result<()> {
    let body = Bytes::from(constant_ticket_json());
    let for_get = body.clone();
    let app = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route(
            "/constant",
            get(move || {
                let body = for_get.clone();
                async move { ([(header::CONTENT_TYPE, "application/json")], body) }
            })
            .post(move |_request: Bytes| {
                let body = body.clone();
                async move {
                    (
                        StatusCode::CREATED,
                        [(header::CONTENT_TYPE, "application/json")],
                        body,
                    )
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("listening on {listen}"))?;
    axum::serve(listener, app)
        .await
        .context("the floor server stopped")
}

/// Commits ticket rows one transaction each, on one connection, for `duration`: the
/// most any single-writer server can do with this schema and durability.
pub async fn sqlite_inserts(
    dir: &Path,
    durability: Durability,
    duration: Duration,
) -> Result<Outcome> {
    let path = dir.join("floor.db");
    for suffix in ["", "-wal", "-shm"] {
        let file = dir.join(format!("floor.db{suffix}"));
        if file.exists() {
            std::fs::remove_file(&file).with_context(|| format!("removing {}", file.display()))?;
        }
    }
    // The server's own migrations: the same indexes and full-text triggers fire.
    SqliteStore::open(&path, durability)
        .await
        .context("creating the floor database")?
        .close()
        .await;
    tokio::task::spawn_blocking(move || insert_loop(&path, durability, duration))
        .await
        .context("the SQLite floor thread failed")?
}

fn insert_loop(path: &Path, durability: Durability, duration: Duration) -> Result<Outcome> {
    let mut conn = Connection::open(path)?;
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
    conn.pragma_update(
        None,
        "synchronous",
        match durability {
            Durability::Full => "FULL",
            Durability::Normal => "NORMAL",
        },
    )?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    let mut rng = Rng::new(7);
    let requester = rng.uuid().to_string();
    conn.execute(
        "INSERT INTO users (id, email, name, role, password_hash, active, created_at) \
         VALUES (?, 'floor@bench.test', 'Floor', 'requester', '!', 1, ?)",
        params![requester, now_ms()],
    )?;
    let mut latencies = Vec::new();
    let started = Instant::now();
    while started.elapsed() < duration {
        let (id, subject, description) = (
            rng.uuid().to_string(),
            text::subject(&mut rng),
            text::description(&mut rng),
        );
        let t0 = Instant::now();
        let tx = conn.transaction()?;
        let now = now_ms();
        tx.prepare_cached(
            "INSERT INTO tickets (id, subject, description, status, priority, category, \
             requester_id, context, system_info, created_at, updated_at) \
             VALUES (?, ?, ?, 'NEW', 1, 'general', ?, '{}', '{}', ?, ?)",
        )?
        .execute(params![id, subject, description, requester, now, now])?;
        tx.commit()?;
        latencies.push(u32::try_from(t0.elapsed().as_micros()).unwrap_or(u32::MAX));
    }
    Ok(Outcome::from_latencies(
        latencies,
        0,
        started.elapsed().as_secs_f64(),
    ))
}
