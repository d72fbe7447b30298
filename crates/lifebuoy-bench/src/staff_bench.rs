//! `lifebuoy-bench staff`: the staff workspace on the generated databases: filtered and
//! searched queue pages, the stats endpoint, and a CSV export of every ticket with the
//! server's memory sampled throughout.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Args;
use futures::StreamExt;
use lifebuoy_server::store::sqlite::Durability;
use reqwest::header::{HeaderValue, AUTHORIZATION};
use tokio::process::Command;

use crate::load::{self, Outcome, Workload};
use crate::process::{self, ChildServer, RssSampler};
use crate::staff_report::{ExportRun, QueueRow, SizeRun, StaffReport};
use crate::workloads::{preflight, sign_in, Fetch};
use crate::{cpu, generate, machine, run};

/// A word of the generator's vocabulary (`text.rs`): it is in a large share of tickets, so
/// the search must narrow a big match set, the hard case.
pub const COMMON_WORD: &str = "printer";

const OPEN: &str = "status=NEW&status=IN_PROGRESS&status=WAITING_FOR_USER&status=ON_HOLD";

/// The queue pages measured: (name, query after `/api/v1/tickets?`).
pub fn queues() -> Vec<(&'static str, String)> {
    vec![
        (
            "queue-filtered",
            "status=NEW&status=IN_PROGRESS&priority=HIGH&limit=25".to_owned(),
        ),
        (
            "queue-search",
            format!("status=NEW&status=IN_PROGRESS&priority=HIGH&q={COMMON_WORD}&limit=25"),
        ),
        ("queue-unassigned", format!("assignee=none&{OPEN}&limit=25")),
    ]
}

#[derive(Args, Clone)]
pub struct StaffArgs {
    /// Database sizes, in tickets, comma-separated (the same files the default run makes).
    #[arg(long, value_delimiter = ',', default_value = "100000,1000000")]
    pub tickets: Vec<u64>,
    /// Concurrent clients on the queue pages.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..))]
    pub clients: u16,
    /// Concurrent clients on the stats endpoint (staff dashboards refreshing at once).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
    pub stats_clients: u16,
    /// Measured seconds per workload.
    #[arg(long, default_value_t = 10.0)]
    pub seconds: f64,
    /// Unrecorded seconds before each workload is measured.
    #[arg(long, default_value_t = 1.0)]
    pub warmup: f64,
    /// Where databases and logs go; default a temporary directory removed afterwards.
    #[arg(long)]
    pub work_dir: Option<PathBuf>,
    /// Reuse databases a previous run generated in --work-dir, instead of regenerating.
    #[arg(long)]
    pub reuse: bool,
    /// The server to measure; default the `lifebuoy-server` next to this executable.
    #[arg(long)]
    pub server_bin: Option<PathBuf>,
    /// Passed to the server's --durability.
    #[arg(long, value_enum, default_value = "full")]
    pub durability: Durability,
    /// Print the results as Markdown (for BENCHMARKS.md) instead of plain text.
    #[arg(long)]
    pub markdown: bool,
}

pub async fn bench(args: StaffArgs) -> Result<()> {
    let measure = run::seconds(args.seconds).filter(|d| !d.is_zero());
    let (Some(measure), Some(warmup)) = (measure, run::seconds(args.warmup)) else {
        bail!("--seconds must be above 0 and --warmup at least 0");
    };
    if let Some(n) = args.tickets.iter().find(|&&n| n < 100) {
        bail!("--tickets {n} is too small: each size needs at least 100 tickets");
    }
    let server_bin = run::server_binary(args.server_bin.clone())?;
    let (work_dir, _temp) = run::work_dir(args.work_dir.as_deref())?;
    let durability = run::durability_name(args.durability);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(usize::from(args.clients) * 2)
        .timeout(std::time::Duration::from_secs(600))
        .build()?;
    let machine = machine::describe(&work_dir);
    let mut sizes = Vec::new();
    for &tickets in &args.tickets {
        let dataset = generate::ensure(&work_dir, tickets, args.reuse).await?;
        eprintln!(
            "  [{tickets}] database ready ({} tickets) in {:.1} s{}",
            dataset.tickets,
            dataset.seconds,
            if dataset.reused { ", reused" } else { "" }
        );
        // Every workload here only reads (sign-ins aside), so the server runs on the
        // generated file itself: a copy of a million tickets is 3.5 GB more disk.
        let port = process::free_port()?;
        let mut command = Command::new(&server_bin);
        command
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .arg("--data-dir")
            .arg(&work_dir)
            .args(["--durability", &durability, "--demo"])
            .env(
                "LIFEBUOY_DATABASE_URL",
                format!("sqlite:{}", dataset.path.display()),
            )
            .env_remove("LIFEBUOY_S3_ENDPOINT");
        let log = work_dir.join(format!("server-staff-{tickets}.log"));
        let mut server = process::start(command, port, &log).await?;
        let settings = Settings {
            client: &client,
            warmup,
            measure,
            clients: usize::from(args.clients),
            stats_clients: usize::from(args.stats_clients),
        };
        let result = measure_size(&settings, &mut server, tickets).await;
        server.stop().await?;
        let mut size = result?;
        size.tickets = dataset.tickets;
        size.db_bytes = dataset.bytes;
        sizes.push(size);
    }
    let report = StaffReport {
        command: run::command_line(),
        machine,
        settings: format!(
            "queue pages: {} concurrent clients; stats: {} client(s); {} s measured per workload \
             after {} s warm-up; export: one client reading as fast as it can; server \
             `--durability {durability}`, log at its default level to a file",
            args.clients, args.stats_clients, args.seconds, args.warmup
        ),
        sizes,
    };
    print!("{}", crate::staff_report::render(&report, args.markdown));
    Ok(())
}

struct Settings<'a> {
    client: &'a reqwest::Client,
    warmup: std::time::Duration,
    measure: std::time::Duration,
    clients: usize,
    stats_clients: usize,
}

impl Settings<'_> {
    async fn load(
        &self,
        server: &mut ChildServer,
        name: &'static str,
        workload: Arc<dyn Workload>,
        clients: usize,
    ) -> Result<QueueRow> {
        let sampler = RssSampler::start(server.pid);
        let before = cpu::Snapshot::take(server.pid);
        let mut outcome = load::run(
            self.client,
            workload,
            clients,
            self.warmup,
            self.measure,
            name.len() as u64,
        )
        .await;
        outcome.cpu = cpu::Snapshot::take(server.pid).share_since(&before);
        let peak_rss_kib = sampler.finish();
        server.check_alive()?;
        progress(name, &outcome);
        Ok(QueueRow {
            workload: name,
            clients,
            outcome,
            peak_rss_kib,
        })
    }
}

fn progress(name: &str, o: &Outcome) {
    eprintln!(
        "  {name}: {:.0}/s, p50 {:.2} ms, p99 {:.2} ms, {} errors",
        o.per_second(),
        o.percentile_ms(50.0),
        o.percentile_ms(99.0),
        o.errors
    );
}

async fn measure_size(s: &Settings<'_>, server: &mut ChildServer, tickets: u64) -> Result<SizeRun> {
    let base = server.base.clone();
    let agent = sign_in(s.client, &base, "agent@demo.test").await?;
    let mut rows = Vec::new();
    let mut queries = Vec::new();
    for (name, query) in queues() {
        let url = format!("{base}/api/v1/tickets?{query}");
        let items = preflight(s.client, &url, &agent).await?;
        if items == 0 {
            bail!("GET {url} found no tickets: it would measure an empty page");
        }
        queries.push((name, query.clone()));
        let fetch = Fetch {
            urls: vec![url],
            auth: Some(agent.clone()),
        };
        rows.push(s.load(server, name, Arc::new(fetch), s.clients).await?);
    }
    let stats_url = format!("{base}/api/v1/stats");
    preflight(s.client, &stats_url, &agent).await?;
    let stats = Fetch {
        urls: vec![stats_url],
        auth: Some(agent.clone()),
    };
    rows.push(
        s.load(server, "stats", Arc::new(stats), s.stats_clients)
            .await?,
    );
    eprintln!("  [{tickets}] exporting every ticket as CSV …");
    let export = export_all(s.client, server, &agent).await?;
    eprintln!(
        "  [{tickets}] export: {} rows in {:.1} s, peak RSS {:.1} MB",
        export.rows,
        export.seconds,
        crate::report::mb(export.peak_rss_kib)
    );
    Ok(SizeRun {
        tickets,
        db_bytes: 0,
        queries,
        rows,
        export,
    })
}

/// Downloads the whole export, counting rows as they arrive (the generated text has no
/// line breaks inside cells, so each CRLF ends one row), with the server's RSS sampled.
async fn export_all(
    client: &reqwest::Client,
    server: &mut ChildServer,
    auth: &HeaderValue,
) -> Result<ExportRun> {
    let rss_before_kib = process::memory_kib(server.pid).map_or(0, |(rss, _)| rss);
    let sampler = RssSampler::start(server.pid);
    let before = cpu::Snapshot::take(server.pid);
    let started = Instant::now();
    let response = client
        .get(format!("{}/api/v1/tickets/export.csv", server.base))
        .header(AUTHORIZATION, auth)
        .send()
        .await
        .context("starting the export")?;
    let status = response.status();
    if !status.is_success() {
        bail!("the export answered {status}");
    }
    let total: u64 = response
        .headers()
        .get("x-total-count")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .context("the export has no X-Total-Count")?;
    let first_byte = started.elapsed().as_secs_f64();
    let mut body = response.bytes_stream();
    let (mut bytes, mut lines, mut last) = (0u64, 0u64, 0u8);
    while let Some(chunk) = body.next().await {
        let chunk = chunk.context("the export broke off")?;
        bytes += chunk.len() as u64;
        for &b in chunk.iter() {
            if b == b'\n' && last == b'\r' {
                lines += 1;
            }
            last = b;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let cpu = cpu::Snapshot::take(server.pid).share_since(&before);
    let peak_rss_kib = sampler.finish();
    server.check_alive()?;
    let rows = lines.saturating_sub(1);
    if rows != total {
        bail!("the export had {rows} rows but announced {total}");
    }
    Ok(ExportRun {
        rows,
        bytes,
        seconds,
        first_byte,
        rss_before_kib,
        peak_rss_kib,
        cpu,
    })
}
