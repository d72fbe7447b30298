//! One bench run: the floors once, then each database size against a fresh server.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use lifebuoy_server::store::sqlite::Durability;
use tokio::process::Command;

use crate::load::{self, Outcome, Workload};
use crate::process::{self, ChildServer, RssSampler};
use crate::report::{Floors, Report, Row, SizeResult};
use crate::workloads::{preflight, sign_in, CreateTicket, Fetch, Reply};
use crate::{cpu, floors, generate, machine, report, samples, BenchArgs};

/// Enough distinct targets that the page cache, not luck, decides what is hot.
const TARGETS: usize = 10_000;
const PAGE: usize = 25;
const MAX_SECONDS: f64 = 3600.0;

pub fn seconds(value: f64) -> Option<Duration> {
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|_| value <= MAX_SECONDS)
}

struct Plan {
    args: BenchArgs,
    work_dir: PathBuf,
    server_bin: PathBuf,
    durability: String,
    client: reqwest::Client,
    warmup: Duration,
    measure: Duration,
}

impl Plan {
    /// Loads the server `pid` with `workload`, noting who used the CPU meanwhile.
    async fn load(&self, pid: u32, workload: Arc<dyn Workload>, seed: u64) -> Outcome {
        let before = cpu::Snapshot::take(pid);
        let mut outcome = load::run(
            &self.client,
            workload,
            usize::from(self.args.clients),
            self.warmup,
            self.measure,
            seed,
        )
        .await;
        outcome.cpu = cpu::Snapshot::take(pid).share_since(&before);
        outcome
    }
}

pub async fn bench(args: BenchArgs) -> Result<()> {
    let measure = seconds(args.seconds).filter(|d| !d.is_zero());
    let (Some(measure), Some(warmup)) = (measure, seconds(args.warmup)) else {
        bail!("--seconds must be above 0 and --warmup at least 0, both at most {MAX_SECONDS} s");
    };
    if let Some(n) = args.tickets.iter().find(|&&n| n < 100) {
        bail!("--tickets {n} is too small: each size needs at least 100 tickets");
    }
    let server_bin = server_binary(args.server_bin.clone())?;
    // Kept alive until the end of the run: dropping it deletes the directory.
    let (work_dir, _temp) = work_dir(args.work_dir.as_deref())?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(usize::from(args.clients) * 2)
        .timeout(Duration::from_secs(60))
        .build()?;
    let durability = durability_name(args.durability);
    let settings = format!(
        "{} concurrent clients (one shared HTTP/1.1 connection pool), {} s measured per workload after {} s warm-up, \
         server `--durability {durability}`, server log level as configured (default info) written to a file",
        args.clients, args.seconds, args.warmup
    );
    let plan = Plan {
        args,
        work_dir,
        server_bin,
        durability,
        client,
        warmup,
        measure,
    };
    let machine = machine::describe(&plan.work_dir);
    let floors = measure_floors(&plan).await?;
    let mut sizes = Vec::new();
    for &tickets in &plan.args.tickets {
        sizes.push(measure_size(&plan, tickets, &floors).await?);
    }
    let report = Report {
        command: command_line(),
        machine,
        settings,
        floors,
        sizes,
    };
    print!("{}", report::render(&report, plan.args.markdown));
    Ok(())
}

/// `given`, created if need be, or a temporary directory that lives as long as the
/// returned guard.
pub fn work_dir(given: Option<&Path>) -> Result<(PathBuf, Option<tempfile::TempDir>)> {
    match given {
        Some(dir) => {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            Ok((dir.to_owned(), None))
        }
        None => {
            let temp = tempfile::Builder::new()
                .prefix("lifebuoy-bench")
                .tempdir()?;
            Ok((temp.path().to_owned(), Some(temp)))
        }
    }
}

/// The `--durability` value as the server's command line spells it.
pub fn durability_name(d: Durability) -> String {
    d.to_possible_value()
        .map_or_else(|| "full".to_owned(), |v| v.get_name().to_owned())
}

/// The server built by the same `cargo build` as this bench, unless told otherwise.
pub fn server_binary(given: Option<PathBuf>) -> Result<PathBuf> {
    let path = match given {
        Some(path) => path,
        None => std::env::current_exe()
            .context("finding this executable's directory")?
            .with_file_name("lifebuoy-server"),
    };
    if !path.is_file() {
        bail!(
            "no server binary at {}: build it first with `cargo build --release -p lifebuoy-server` \
             (the same profile as this bench), or pass --server-bin PATH",
            path.display()
        );
    }
    Ok(path)
}

pub fn command_line() -> String {
    std::env::args()
        .map(|a| {
            if a.contains(|c: char| c.is_whitespace() || c == '\'') {
                format!("'{}'", a.replace('\'', r"'\''"))
            } else {
                a
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

async fn measure_floors(plan: &Plan) -> Result<Floors> {
    let port = process::free_port()?;
    let mut command = Command::new(std::env::current_exe()?);
    command.args(["floor-server", "--listen", &format!("127.0.0.1:{port}")]);
    let server = process::start(command, port, &plan.work_dir.join("floor-server.log")).await?;
    let url = format!("{}/constant", server.base);
    let get = plan
        .load(
            server.pid,
            Arc::new(Fetch {
                urls: vec![url.clone()],
                auth: None,
            }),
            1,
        )
        .await;
    progress("floor", "http GET", &get);
    let post = plan
        .load(server.pid, Arc::new(CreateTicket { url, auth: None }), 2)
        .await;
    progress("floor", "http POST", &post);
    server.stop().await?;
    if get.errors + post.errors > 0 {
        bail!(
            "the HTTP floor had errors; the first: {}",
            get.first_error.or(post.first_error).unwrap_or_default()
        );
    }
    Ok(Floors {
        body_bytes: floors::constant_ticket_json().len(),
        get,
        post,
    })
}

fn progress(size: &str, workload: &str, o: &Outcome) {
    eprintln!(
        "  [{size}] {workload}: {:.0}/s, p50 {:.2} ms, p99 {:.2} ms, {} errors",
        o.per_second(),
        o.percentile_ms(50.0),
        o.percentile_ms(99.0),
        o.errors
    );
}

async fn measure_size(plan: &Plan, tickets: u64, floors: &Floors) -> Result<SizeResult> {
    let dataset = generate::ensure(&plan.work_dir, tickets, plan.args.reuse).await?;
    eprintln!(
        "  [{tickets}] database ready ({} tickets, {} messages) in {:.1} s{}",
        dataset.tickets,
        dataset.messages,
        dataset.seconds,
        if dataset.reused { ", reused" } else { "" }
    );
    let targets = samples::pick_targets(&dataset.path, TARGETS, tickets)?;
    // Measured next to this size's writes: this disk's fsync time drifts over minutes.
    let before = cpu::Snapshot::take(0);
    let mut sqlite_floor =
        floors::sqlite_inserts(&plan.work_dir, plan.args.durability, plan.measure).await?;
    sqlite_floor.cpu = cpu::Snapshot::take(0).share_since(&before);
    progress(&tickets.to_string(), "sqlite insert floor", &sqlite_floor);
    // Every run starts from the same rows: the writes of one run never skew the next.
    let run_dir = plan.work_dir.join(format!("run-{tickets}"));
    if run_dir.exists() {
        std::fs::remove_dir_all(&run_dir)?;
    }
    std::fs::create_dir_all(&run_dir)?;
    let db = run_dir.join("lifebuoy.db");
    std::fs::copy(&dataset.path, &db).context("copying the database for this run")?;

    let port = process::free_port()?;
    let mut command = Command::new(&plan.server_bin);
    command
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(&run_dir)
        .args(["--durability", &plan.durability, "--demo"])
        // The bench measures the local database and file store, whatever this shell says.
        .env_remove("LIFEBUOY_DATABASE_URL")
        .env_remove("LIFEBUOY_S3_ENDPOINT");
    let log = plan.work_dir.join(format!("server-{tickets}.log"));
    let mut server = process::start(command, port, &log).await?;
    let started_rss_kib = process::memory_kib(server.pid).map_or(0, |(rss, _)| rss);
    let result = measure_workloads(plan, &mut server, tickets, &db, targets, floors).await;
    let hwm_kib = process::memory_kib(server.pid).map_or(0, |(_, hwm)| hwm);
    server.stop().await?;
    let measured = result?;
    std::fs::remove_dir_all(&run_dir).ok();
    Ok(SizeResult {
        tickets: dataset.tickets,
        messages: dataset.messages,
        db_bytes: dataset.bytes,
        generated: if dataset.reused {
            "reused from an earlier run".to_owned()
        } else {
            format!("generated in {:.1} s", dataset.seconds)
        },
        deep_at: measured.deep_at,
        rows: measured.rows,
        started_rss_kib,
        signed_in_rss_kib: measured.signed_in_rss_kib,
        hwm_kib,
        sqlite_floor,
    })
}

struct Measured {
    rows: Vec<Row>,
    deep_at: (u64, u64),
    signed_in_rss_kib: u64,
}

async fn measure_workloads(
    plan: &Plan,
    server: &mut ChildServer,
    tickets: u64,
    db: &Path,
    targets: samples::Targets,
    floors: &Floors,
) -> Result<Measured> {
    let base = server.base.clone();
    let agent = sign_in(&plan.client, &base, "agent@demo.test").await?;
    let requester = sign_in(&plan.client, &base, "field@demo.test").await?;
    let signed_in_rss_kib = process::memory_kib(server.pid).map_or(0, |(rss, _)| rss);
    let post_floor = ("POST floor", floors.post.per_second());
    let get_floor = ("GET floor", floors.get.per_second());
    let list_url = format!("{base}/api/v1/tickets?limit={PAGE}");

    let mut rows = Vec::new();
    let create = CreateTicket {
        url: format!("{base}/api/v1/tickets"),
        auth: Some(requester),
    };
    rows.push(
        measure(
            plan,
            server,
            tickets,
            "create",
            Arc::new(create),
            post_floor,
        )
        .await?,
    );
    let reply = Reply {
        base: base.clone(),
        auth: agent.clone(),
        ticket_ids: targets.open,
    };
    rows.push(measure(plan, server, tickets, "reply", Arc::new(reply), post_floor).await?);

    check_page(plan, &list_url, &agent).await?;
    let first = Fetch {
        urls: vec![list_url.clone()],
        auth: Some(agent.clone()),
    };
    rows.push(
        measure(
            plan,
            server,
            tickets,
            "list-first",
            Arc::new(first),
            get_floor,
        )
        .await?,
    );

    // Computed now, after the writes above, so it points at the middle of today's list.
    let (cursor, deep_offset, total) = samples::middle_cursor(db)?;
    let deep_url = format!("{list_url}&cursor={cursor}");
    check_page(plan, &deep_url, &agent).await?;
    let deep = Fetch {
        urls: vec![deep_url],
        auth: Some(agent.clone()),
    };
    rows.push(
        measure(
            plan,
            server,
            tickets,
            "list-deep",
            Arc::new(deep),
            get_floor,
        )
        .await?,
    );

    let detail = Fetch {
        urls: targets
            .any
            .iter()
            .map(|id| format!("{base}/api/v1/tickets/{id}"))
            .collect(),
        auth: Some(agent),
    };
    rows.push(measure(plan, server, tickets, "detail", Arc::new(detail), get_floor).await?);
    Ok(Measured {
        rows,
        deep_at: (deep_offset, total),
        signed_in_rss_kib,
    })
}

/// A list URL that answered a short page would measure something cheaper than claimed.
async fn check_page(plan: &Plan, url: &str, auth: &reqwest::header::HeaderValue) -> Result<()> {
    let items = preflight(&plan.client, url, auth).await?;
    if items != PAGE {
        bail!("GET {url} answered {items} tickets, not a full page of {PAGE}");
    }
    Ok(())
}

async fn measure(
    plan: &Plan,
    server: &mut ChildServer,
    tickets: u64,
    name: &'static str,
    workload: Arc<dyn Workload>,
    floor: (&'static str, f64),
) -> Result<Row> {
    let sampler = RssSampler::start(server.pid);
    let outcome = plan
        .load(
            server.pid,
            workload,
            name.bytes()
                .fold(tickets, |h, b| h.wrapping_mul(31) ^ u64::from(b)),
        )
        .await;
    let peak_rss_kib = sampler.finish();
    server.check_alive()?;
    progress(&tickets.to_string(), name, &outcome);
    Ok(Row {
        workload: name,
        outcome,
        peak_rss_kib,
        floor,
    })
}
