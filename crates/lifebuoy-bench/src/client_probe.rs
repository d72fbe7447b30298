//! `lifebuoy-bench client-probe` (hidden): the measured client, in its own process so that
//! its memory is its own. It signs in through a counting proxy, syncs, syncs again after
//! one agent reply, flushes queued replies, then follows live events while the agent
//! replies; it prints one JSON object with what it measured.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use clap::Args;
use lifebuoy_client::{Client, ClientEvent, ClientOptions, Connectivity, TicketFilter};
use reqwest::header::{HeaderValue, AUTHORIZATION};
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, mpsc};

use crate::client_data::{AGENT, REQUESTER};
use crate::counting_proxy::{self, Counters};
use crate::workloads::{sign_in, DEMO_PASSWORD};
use crate::{cpu, process, rng::Rng, text};

/// How long one reply may take to reach the client before it counts as missed.
const EVENT_TIMEOUT: Duration = Duration::from_secs(5);
/// Bounds on the phases that wait for the network.
const FLUSH_DEADLINE: Duration = Duration::from_secs(300);
const EVENTS_DEADLINE: Duration = Duration::from_secs(600);
const ONLINE_TIMEOUT: Duration = Duration::from_secs(120);

#[derive(Args, Clone)]
pub struct ProbeArgs {
    /// The server, `127.0.0.1:PORT`.
    #[arg(long)]
    pub server: SocketAddr,
    /// The client's data root (a fresh directory).
    #[arg(long)]
    pub data_root: PathBuf,
    /// Replies to queue and flush.
    #[arg(long)]
    pub replies: usize,
    /// Agent replies whose arrival as events is timed.
    #[arg(long)]
    pub events: usize,
}

/// Byte counts are of the TCP payload through the proxy, both directions.
#[derive(Serialize, Deserialize, Default, Debug)]
pub struct ProbeResult {
    pub login_ms: f64,
    pub first_sync_ms: f64,
    pub first_sync_pages: usize,
    pub first_sync_tickets: usize,
    pub first_sync_messages: usize,
    pub first_sync_up: u64,
    pub first_sync_down: u64,
    pub rss_after_first_sync_kib: u64,
    pub hwm_after_first_sync_kib: u64,
    pub local_tickets: usize,
    pub idle_sync_up: u64,
    pub idle_sync_down: u64,
    pub incremental_ms: f64,
    pub incremental_messages: usize,
    pub incremental_up: u64,
    pub incremental_down: u64,
    pub outbox_queued: usize,
    pub outbox_queue_ms: f64,
    pub outbox_flush_ms: f64,
    pub outbox_sent: usize,
    pub outbox_failed: usize,
    pub outbox_up: u64,
    pub outbox_down: u64,
    pub outbox_interrupted: Option<String>,
    pub events_posted: usize,
    pub events_post_errors: usize,
    pub events_missed: usize,
    pub events_lagged: u64,
    pub event_latencies_us: Vec<u32>,
    pub post_latencies_us: Vec<u32>,
    pub first_error: Option<String>,
    /// One small row per transaction in the client's data dir, with the client store's
    /// pragmas (WAL, synchronous=FULL): what each local commit of the outbox costs.
    pub local_commit_p50_us: u32,
    pub local_commit_p99_us: u32,
    pub final_hwm_kib: u64,
    pub cpu_ticks: u64,
}

fn micros(d: Duration) -> u32 {
    u32::try_from(d.as_micros()).unwrap_or(u32::MAX)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn delta(counters: &Counters, before: (u64, u64)) -> (u64, u64) {
    let (up, down) = counters.read();
    (up - before.0, down - before.1)
}

pub async fn run(args: ProbeArgs) -> Result<()> {
    // gnome-keyring on a private D-Bus session; it panics when it cannot start, which the
    // blocking task turns into an error here.
    tokio::task::spawn_blocking(lifebuoy_testkit::keyring)
        .await
        .map_err(|e| anyhow!("starting the keyring (dbus-daemon, gnome-keyring) failed: {e}"))?;
    let proxy = counting_proxy::start(args.server).await?;
    let direct = format!("http://{}", args.server);
    let mut r = ProbeResult::default();

    let t0 = Instant::now();
    let client = Client::login(
        &proxy.base,
        REQUESTER,
        DEMO_PASSWORD,
        ClientOptions {
            data_root: Some(args.data_root.clone()),
        },
    )
    .await
    .context("signing the client in")?;
    r.login_ms = ms(t0.elapsed());

    // First sync: an empty store, everything from the snapshot.
    let before = proxy.counters.read();
    let t0 = Instant::now();
    let report = client.sync_now().await.context("the first sync")?;
    r.first_sync_ms = ms(t0.elapsed());
    (r.first_sync_up, r.first_sync_down) = delta(&proxy.counters, before);
    (
        r.first_sync_pages,
        r.first_sync_tickets,
        r.first_sync_messages,
    ) = (report.pages, report.tickets, report.messages);
    (r.rss_after_first_sync_kib, r.hwm_after_first_sync_kib) =
        process::memory_kib(std::process::id()).unwrap_or((0, 0));
    eprintln!(
        "  [client] first sync: {} tickets, {} messages in {:.0} ms, {} B up, {} B down",
        r.first_sync_tickets,
        r.first_sync_messages,
        r.first_sync_ms,
        r.first_sync_up,
        r.first_sync_down
    );
    let tickets: Vec<(String, String)> = client
        .tickets(&TicketFilter::default())?
        .into_iter()
        .map(|t| (t.key, t.ticket.id.to_string()))
        .collect();
    r.local_tickets = tickets.len();
    let Some((_, changed_id)) = tickets.last().cloned() else {
        bail!("the first sync brought no tickets");
    };

    // A sync with nothing new: the fixed cost every incremental sync pays.
    let before = proxy.counters.read();
    client.sync_now().await.context("the idle sync")?;
    (r.idle_sync_up, r.idle_sync_down) = delta(&proxy.counters, before);

    // One change: the agent replies once, straight to the server, then the client syncs.
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    let agent = sign_in(&http, &direct, AGENT).await?;
    let mut rng = Rng::new(5);
    agent_reply(&http, &direct, &agent, &changed_id, &text::reply(&mut rng))
        .await
        .map_err(|e| anyhow!("the agent's reply for the incremental sync: {e}"))?;
    let before = proxy.counters.read();
    let t0 = Instant::now();
    let report = client.sync_now().await.context("the incremental sync")?;
    r.incremental_ms = ms(t0.elapsed());
    r.incremental_messages = report.messages;
    (r.incremental_up, r.incremental_down) = delta(&proxy.counters, before);

    flush_replies(&client, &proxy.counters, &tickets, args.replies, &mut r).await?;
    time_events(
        &client,
        &http,
        &direct,
        &agent,
        &tickets,
        args.events,
        &mut r,
    )
    .await?;

    client.stop();
    (r.local_commit_p50_us, r.local_commit_p99_us) = local_commits(&args.data_root)?;
    r.final_hwm_kib = process::memory_kib(std::process::id()).map_or(0, |(_, hwm)| hwm);
    r.cpu_ticks = cpu::process_ticks("self");
    println!("{}", serde_json::to_string(&r)?);
    Ok(())
}

/// 200 one-row transactions on a scratch SQLite file next to the client's store.
fn local_commits(dir: &std::path::Path) -> Result<(u32, u32)> {
    let path = dir.join("commit-floor.db");
    let conn = rusqlite::Connection::open(&path)?;
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.execute(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)",
        [],
    )?;
    let mut latencies = Vec::with_capacity(200);
    for i in 0..200 {
        let t0 = Instant::now();
        conn.execute("INSERT INTO t (v) VALUES (?)", [format!("row {i}")])?;
        latencies.push(micros(t0.elapsed()));
    }
    drop(conn);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("commit-floor.db{suffix}")));
    }
    latencies.sort_unstable();
    Ok((
        latencies[latencies.len() / 2],
        latencies[latencies.len() * 99 / 100],
    ))
}

/// Queues `n` replies spread over the tickets, then times one flush of them all.
async fn flush_replies(
    client: &Client,
    counters: &Counters,
    tickets: &[(String, String)],
    n: usize,
    r: &mut ProbeResult,
) -> Result<()> {
    let step = (tickets.len() / n.max(1)).max(1);
    let mut rng = Rng::new(9);
    let t0 = Instant::now();
    for i in 0..n {
        let (key, _) = &tickets[(i * step) % tickets.len()];
        client
            .reply(key, &text::reply(&mut rng), &[])
            .with_context(|| format!("queueing reply {i}"))?;
        r.outbox_queued += 1;
    }
    r.outbox_queue_ms = ms(t0.elapsed());
    let before = counters.read();
    let t0 = Instant::now();
    // One pass sends all that is due; more only if a network error made it back off.
    for _ in 0..100 {
        let report = client.flush_outbox().await.context("flushing the outbox")?;
        r.outbox_sent += report.sent;
        r.outbox_failed += report.failed;
        if report.interrupted.is_some() {
            r.outbox_interrupted = report.interrupted;
        }
        if r.outbox_sent + r.outbox_failed >= n || t0.elapsed() > FLUSH_DEADLINE {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    r.outbox_flush_ms = ms(t0.elapsed());
    (r.outbox_up, r.outbox_down) = delta(counters, before);
    eprintln!(
        "  [client] outbox: {} sent, {} failed in {:.0} ms",
        r.outbox_sent, r.outbox_failed, r.outbox_flush_ms
    );
    Ok(())
}

/// The agent replies on `n` different tickets, one at a time; each is timed from just
/// before its POST to the client's `NewReply` for that ticket.
async fn time_events(
    client: &Client,
    http: &reqwest::Client,
    direct: &str,
    agent: &HeaderValue,
    tickets: &[(String, String)],
    n: usize,
    r: &mut ProbeResult,
) -> Result<()> {
    let mut events = client.subscribe();
    let _running = client.run();
    wait_online(&mut events).await?;
    // Let the first pull (this client's own replies) finish and the live stream open.
    tokio::time::sleep(Duration::from_secs(1)).await;

    // Stamped as they arrive, by a task that does nothing else.
    let (tx, mut arrivals) = mpsc::unbounded_channel::<(String, Instant)>();
    let (lag_tx, mut lag_rx) = mpsc::unbounded_channel::<u64>();
    let listener = tokio::spawn(async move {
        loop {
            match events.recv().await {
                Ok(ClientEvent::NewReply { ticket_key, .. }) => {
                    if tx.send((ticket_key, Instant::now())).is_err() {
                        break;
                    }
                }
                Ok(_) => {}
                Err(broadcast::error::RecvError::Lagged(k)) => {
                    let _ = lag_tx.send(k);
                }
                Err(broadcast::error::RecvError::Closed) => break,
            }
        }
    });

    // Every ticket once (the client folds a second reply within 2 s into a later summary),
    // and not the one the incremental sync used.
    let candidates = &tickets[..tickets.len().saturating_sub(1)];
    let n = n.min(candidates.len());
    let step = (candidates.len() / n.max(1)).max(1);
    let mut rng = Rng::new(13);
    let started = Instant::now();
    for i in 0..n {
        if started.elapsed() > EVENTS_DEADLINE {
            break;
        }
        let (_, id) = &candidates[(i * step) % candidates.len()];
        let body = text::reply(&mut rng);
        let t0 = Instant::now();
        if let Err(e) = agent_reply(http, direct, agent, id, &body).await {
            r.events_post_errors += 1;
            r.first_error.get_or_insert(e);
            continue;
        }
        r.post_latencies_us.push(micros(t0.elapsed()));
        r.events_posted += 1;
        let wait_until = t0 + EVENT_TIMEOUT;
        let arrived = loop {
            let left = wait_until.saturating_duration_since(Instant::now());
            match tokio::time::timeout(left, arrivals.recv()).await {
                Ok(Some((key, at))) if key == *id => break Some(at),
                // An announcement for another ticket: a late one, not this reply's.
                Ok(Some(_)) => continue,
                Ok(None) | Err(_) => break None,
            }
        };
        match arrived {
            Some(at) => r.event_latencies_us.push(micros(at.duration_since(t0))),
            None => {
                r.events_missed += 1;
                r.first_error.get_or_insert_with(|| {
                    format!("no NewReply for ticket {id} within {EVENT_TIMEOUT:?}")
                });
            }
        }
    }
    listener.abort();
    while let Ok(k) = lag_rx.try_recv() {
        r.events_lagged += k;
    }
    client.stop();
    eprintln!(
        "  [client] events: {} posted, {} timed, {} missed",
        r.events_posted,
        r.event_latencies_us.len(),
        r.events_missed
    );
    Ok(())
}

async fn wait_online(events: &mut broadcast::Receiver<ClientEvent>) -> Result<()> {
    let deadline = Instant::now() + ONLINE_TIMEOUT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, events.recv()).await {
            Ok(Ok(ClientEvent::ConnectivityChanged(Connectivity::Online))) => return Ok(()),
            Ok(Ok(ClientEvent::ConnectivityChanged(Connectivity::SignedOut { reason }))) => {
                bail!("the client was signed out: {reason}")
            }
            Ok(Ok(_)) | Ok(Err(broadcast::error::RecvError::Lagged(_))) => {}
            Ok(Err(broadcast::error::RecvError::Closed)) => bail!("the client's events ended"),
            Err(_) => bail!("the client did not come online within {ONLINE_TIMEOUT:?}"),
        }
    }
}

/// A public reply by the agent, as a plain API client sends it.
async fn agent_reply(
    http: &reqwest::Client,
    base: &str,
    agent: &HeaderValue,
    ticket_id: &str,
    body: &str,
) -> Result<(), String> {
    let response = http
        .post(format!("{base}/api/v1/tickets/{ticket_id}/messages"))
        .header(AUTHORIZATION, agent)
        .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
        .json(&serde_json::json!({ "body": body }))
        .send()
        .await
        .map_err(|e| format!("the agent's reply failed: {e}"))?;
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| format!("reading the agent's reply answer: {e}"))?;
    if status.is_success() {
        Ok(())
    } else {
        Err(format!(
            "the agent's reply answered {status}: {}",
            text.chars().take(300).collect::<String>()
        ))
    }
}
