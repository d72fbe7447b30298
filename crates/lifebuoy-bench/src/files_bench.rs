//! `lifebuoy-bench files`: upload and download throughput of text files against raw disk
//! writes on the same filesystem, then server memory while many clients upload at once.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::Args;
use lifebuoy_server::store::sqlite::Durability;
use reqwest::header::HeaderValue;

use crate::files_report::{FilesReport, MemoryPhase, SizeRows, TransferRow};
use crate::process::{self, ChildServer, RssSampler};
use crate::transfers::{self, Transfer};
use crate::workloads::sign_in;
use crate::{cpu, disk_floor, machine, run};

/// The per-user staging allowance for the bench run (the default, 200 MiB, would refuse
/// uploads after 20 files of 10 MiB; staged files are kept until they expire).
const STAGED_QUOTA_MIB: u64 = 1_000_000;
/// No single measurement may take longer than this, whatever the server does.
const TRANSFER_DEADLINE: Duration = Duration::from_secs(600);
const REQUESTER: &str = "field@demo.test";

#[derive(Args, Clone)]
pub struct FilesArgs {
    /// File sizes in KiB, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1024,10240")]
    pub sizes_kib: Vec<u64>,
    /// MiB of file content per measurement: 300 means 300 files of 1 MiB or 30 of 10 MiB.
    #[arg(long, default_value_t = 300)]
    pub mib_per_run: u64,
    /// Concurrent clients of the concurrent rows (the other rows use one).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..))]
    pub concurrency: u16,
    /// Clients uploading at once while the server's memory is sampled.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..))]
    pub rss_clients: u16,
    /// How long they upload.
    #[arg(long, default_value_t = 10.0)]
    pub rss_seconds: f64,
    /// The size of each of their files, in KiB.
    #[arg(long, default_value_t = 10_240)]
    pub rss_size_kib: u64,
    /// At most this many uploads in the memory phase, so its disk use stays bounded.
    #[arg(long, default_value_t = 1_000)]
    pub rss_max_uploads: usize,
    /// Where the server's data and logs go; default a temporary directory removed afterwards.
    #[arg(long)]
    pub work_dir: Option<PathBuf>,
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

pub async fn bench(args: FilesArgs) -> Result<()> {
    if args.sizes_kib.is_empty() || args.sizes_kib.contains(&0) || args.rss_size_kib == 0 {
        bail!("file sizes must be at least 1 KiB");
    }
    let Some(rss_window) = run::seconds(args.rss_seconds).filter(|d| !d.is_zero()) else {
        bail!("--rss-seconds must be above 0 and at most an hour");
    };
    let server_bin = run::server_binary(args.server_bin.clone())?;
    let (work_dir, _temp) = run::work_dir(args.work_dir.as_deref())?;
    let durability = run::durability_name(args.durability);
    let largest_kib = args
        .sizes_kib
        .iter()
        .copied()
        .chain([args.rss_size_kib])
        .max()
        .unwrap_or(0);
    // The server's default per-file limit is 10 MiB, and a file of exactly 10 MiB passes;
    // raise it only if a larger size is asked for.
    let max_upload_mib = largest_kib.div_ceil(1024).max(10);
    let server_flags = vec![
        "--max-upload-mib".to_owned(),
        max_upload_mib.to_string(),
        "--user-staged-quota-mib".to_owned(),
        STAGED_QUOTA_MIB.to_string(),
    ];
    let machine = machine::describe(&work_dir);
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(usize::from(args.concurrency.max(args.rss_clients)) * 2)
        .timeout(Duration::from_secs(120))
        .build()?;

    let data_dir = fresh_dir(&work_dir.join("files-run"))?;
    let log = work_dir.join("server-files.log");
    let server =
        process::start_lifebuoy(&server_bin, &data_dir, &durability, &server_flags, &log).await?;
    let auth = sign_in(&http, &server.base, REQUESTER).await?;
    let mut sizes = Vec::new();
    for &kib in &args.sizes_kib {
        sizes.push(measure_size(&args, &http, &server, &auth, &data_dir, kib).await?);
    }
    server.stop().await?;
    std::fs::remove_dir_all(&data_dir).ok();

    let data_dir = fresh_dir(&work_dir.join("files-memory"))?;
    let log = work_dir.join("server-files-memory.log");
    let server =
        process::start_lifebuoy(&server_bin, &data_dir, &durability, &server_flags, &log).await?;
    let memory = measure_memory(&args, &http, &server, rss_window).await;
    server.stop().await?;
    std::fs::remove_dir_all(&data_dir).ok();
    let memory = memory?;

    let settings = format!(
        "server `--durability {durability} --demo --max-upload-mib {max_upload_mib} \
         --user-staged-quota-mib {STAGED_QUOTA_MIB}` (the staging allowance raised from 200 MiB so that \
         hundreds of staged uploads fit), log at its default level to a file; uploads as {REQUESTER}, \
         a `.log` text/plain file (streamed to the local disk store), downloads of the same user's staged \
         uploads; {} MiB of file content per row; MB = 10^6 bytes",
        args.mib_per_run
    );
    let report = FilesReport {
        command: run::command_line(),
        machine,
        settings,
        sizes,
        memory,
    };
    print!("{}", crate::files_report::render(&report, args.markdown));
    Ok(())
}

fn fresh_dir(dir: &Path) -> Result<PathBuf> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir.to_owned())
}

fn size_label(kib: u64) -> String {
    if kib % 1024 == 0 {
        format!("{}MiB", kib / 1024)
    } else {
        format!("{kib}KiB")
    }
}

async fn measure_size(
    args: &FilesArgs,
    http: &reqwest::Client,
    server: &ChildServer,
    auth: &HeaderValue,
    data_dir: &Path,
    kib: u64,
) -> Result<SizeRows> {
    let size = kib * 1024;
    let label = size_label(kib);
    let count = usize::try_from((args.mib_per_run * 1024).div_ceil(kib).max(2))?;
    let data = transfers::log_file(usize::try_from(size)?);
    let mut rows = Vec::new();

    // The same filesystem as the server's files, the same bytes, the same count.
    for fsync in [true, false] {
        let before = cpu::Snapshot::take(server.pid);
        let dir = data_dir.to_owned();
        let bytes = data.clone();
        let outcome = tokio::task::spawn_blocking(move || {
            disk_floor::write_files(&dir, &bytes, count, fsync)
        })
        .await
        .context("the disk floor thread failed")??;
        let mut moved = transfers::Moved {
            bytes: outcome.ok * size,
            outcome,
        };
        moved.outcome.cpu = cpu::Snapshot::take(server.pid).share_since(&before);
        let name = if fsync { "disk-fsync" } else { "disk-nofsync" };
        progress(name, &label, 1, &moved);
        rows.push(TransferRow {
            name,
            clients: 1,
            moved,
            peak_rss_kib: 0,
        });
    }

    let ids = Arc::new(Mutex::new(Vec::new()));
    let upload = Transfer::Upload {
        data: data.clone(),
        ids: ids.clone(),
    };
    for clients in [1, usize::from(args.concurrency)] {
        let row = measure(http, server, auth, "upload", upload.clone(), count, clients).await;
        progress("upload", &label, clients, &row.moved);
        rows.push(row);
    }
    let ids: Vec<String> = ids
        .lock()
        .map_err(|_| anyhow::anyhow!("the upload id list was poisoned"))?
        .clone();
    if ids.is_empty() {
        bail!("no {label} upload succeeded, so nothing can be downloaded; see the errors above");
    }
    let download = Transfer::Download {
        ids: Arc::new(ids),
        size,
    };
    for clients in [1, usize::from(args.concurrency)] {
        let row = measure(
            http,
            server,
            auth,
            "download",
            download.clone(),
            count,
            clients,
        )
        .await;
        progress("download", &label, clients, &row.moved);
        rows.push(row);
    }
    Ok(SizeRows { label, rows })
}

async fn measure(
    http: &reqwest::Client,
    server: &ChildServer,
    auth: &HeaderValue,
    name: &'static str,
    transfer: Transfer,
    count: usize,
    clients: usize,
) -> TransferRow {
    let before = cpu::Snapshot::take(server.pid);
    let sampler = RssSampler::start(server.pid);
    let mut moved = transfers::run(
        http,
        &server.base,
        auth,
        transfer,
        count,
        clients,
        TRANSFER_DEADLINE,
    )
    .await;
    let peak_rss_kib = sampler.finish();
    moved.outcome.cpu = cpu::Snapshot::take(server.pid).share_since(&before);
    TransferRow {
        name,
        clients,
        moved,
        peak_rss_kib,
    }
}

fn progress(name: &str, size: &str, clients: usize, m: &transfers::Moved) {
    eprintln!(
        "  [files {size}] {name} × {clients}: {:.1} MB/s, p50 {:.1} ms, p99 {:.1} ms, {} errors{}",
        m.mb_per_s(),
        m.outcome.percentile_ms(50.0),
        m.outcome.percentile_ms(99.0),
        m.outcome.errors,
        m.outcome
            .first_error
            .as_ref()
            .map(|e| format!(" (first: {e})"))
            .unwrap_or_default()
    );
}

/// Samples the server's VmRSS every 50 ms while `rss_clients` clients upload for the
/// window: memory must not grow with the bytes that pass through.
async fn measure_memory(
    args: &FilesArgs,
    http: &reqwest::Client,
    server: &ChildServer,
    window: Duration,
) -> Result<MemoryPhase> {
    let started_kib = process::memory_kib(server.pid).map_or(0, |(rss, _)| rss);
    let auth = sign_in(http, &server.base, REQUESTER).await?;
    let signed_in_kib = process::memory_kib(server.pid).map_or(0, |(rss, _)| rss);
    let size = args.rss_size_kib * 1024;
    let upload = Transfer::Upload {
        data: transfers::log_file(usize::try_from(size)?),
        ids: Arc::new(Mutex::new(Vec::new())),
    };
    let pid = server.pid;
    let t0 = Instant::now();
    // Bounded by the window (plus a margin for the last uploads) in any case.
    let samples_max = (window.as_millis() / 50 + 400) as usize;
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = stop.clone();
    let sampler = tokio::spawn(async move {
        let mut samples = Vec::with_capacity(samples_max);
        let mut tick = tokio::time::interval(Duration::from_millis(50));
        for _ in 0..samples_max {
            tick.tick().await;
            if stopped.load(Ordering::Relaxed) {
                break;
            }
            if let Some((rss, _)) = process::memory_kib(pid) {
                samples.push((t0.elapsed().as_secs_f64(), rss));
            }
        }
        samples
    });
    let before = cpu::Snapshot::take(server.pid);
    let moved = transfers::run(
        http,
        &server.base,
        &auth,
        upload,
        args.rss_max_uploads,
        usize::from(args.rss_clients),
        window,
    )
    .await;
    let cpu = cpu::Snapshot::take(server.pid).share_since(&before);
    let load_seconds = t0.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, Ordering::Relaxed);
    let samples = sampler.await.unwrap_or_default();
    let (after_kib, hwm_kib) = process::memory_kib(server.pid).unwrap_or((0, 0));
    progress(
        "memory phase upload",
        &size_label(args.rss_size_kib),
        usize::from(args.rss_clients),
        &moved,
    );
    let mut moved = moved;
    moved.outcome.cpu = cpu;
    Ok(MemoryPhase {
        clients: usize::from(args.rss_clients),
        size_label: size_label(args.rss_size_kib),
        moved,
        load_seconds,
        started_kib,
        signed_in_kib,
        samples,
        after_kib,
        hwm_kib,
    })
}
