//! `lifebuoy-bench client`: the client crate against a real server holding one
//! requester's N tickets. The client runs in a child process (`client-probe`) so its
//! memory is measured alone.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::Args;
use lifebuoy_server::store::sqlite::Durability;
use tokio::process::Command;

use crate::client_probe::ProbeResult;
use crate::client_report::ClientReport;
use crate::{client_data, cpu, machine, process, run};

/// The probe's phases are each bounded; this bounds the whole of it.
const PROBE_DEADLINE: Duration = Duration::from_secs(1800);

#[derive(Args, Clone)]
pub struct ClientArgs {
    /// Tickets of the one requester.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(2..))]
    pub tickets: u64,
    /// Public messages per ticket (5 × 10,000 = 50,000).
    #[arg(long, default_value_t = 5)]
    pub messages_per_ticket: u64,
    /// Replies queued offline, then flushed at once.
    #[arg(long, default_value_t = 1_000)]
    pub replies: usize,
    /// Agent replies timed from POST to the client's event, each on another ticket.
    #[arg(long, default_value_t = 1_000)]
    pub events: usize,
    /// Where the database, client data and logs go; default a temporary directory.
    #[arg(long)]
    pub work_dir: Option<PathBuf>,
    /// Reuse the database a previous run generated in --work-dir.
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

pub async fn bench(args: ClientArgs) -> Result<()> {
    let server_bin = run::server_binary(args.server_bin.clone())?;
    let (work_dir, _temp) = run::work_dir(args.work_dir.as_deref())?;
    let durability = run::durability_name(args.durability);
    let machine = machine::describe(&work_dir);
    let dataset = client_data::ensure(
        &work_dir,
        args.tickets,
        args.messages_per_ticket,
        args.reuse,
    )
    .await?;
    eprintln!(
        "  [client] database ready ({} tickets, {} messages, {:.1} MB) in {:.1} s{}",
        dataset.tickets,
        dataset.messages,
        dataset.bytes as f64 / 1e6,
        dataset.seconds,
        if dataset.reused { ", reused" } else { "" }
    );

    // A fresh copy each run: the replies of one run never change the next one's sync.
    let run_dir = work_dir.join("client-run");
    if run_dir.exists() {
        std::fs::remove_dir_all(&run_dir)?;
    }
    std::fs::create_dir_all(&run_dir)?;
    std::fs::copy(&dataset.path, run_dir.join("lifebuoy.db"))
        .context("copying the database for this run")?;
    let client_root = work_dir.join("client-data");
    if client_root.exists() {
        std::fs::remove_dir_all(&client_root)?;
    }
    std::fs::create_dir_all(&client_root)?;

    let log = work_dir.join("server-client.log");
    let server = process::start_lifebuoy(&server_bin, &run_dir, &durability, &[], &log).await?;
    let result = probe(&args, &server, &client_root).await;
    let server_hwm_kib = process::memory_kib(server.pid).map_or(0, |(_, hwm)| hwm);
    server.stop().await?;
    let (probe, cpu) = result?;
    std::fs::remove_dir_all(&run_dir).ok();
    std::fs::remove_dir_all(&client_root).ok();

    let settings = format!(
        "server `--durability {durability} --demo`, log at its default level to a file; one requester \
         ({}) with {} tickets and {} public messages; the client (crate lifebuoy-client) in its own \
         process, signed in as that requester through a counting TCP proxy on loopback (in the same \
         process); the agent ({}) posts with plain reqwest straight to the server",
        client_data::REQUESTER,
        dataset.tickets,
        dataset.messages,
        client_data::AGENT
    );
    let report = ClientReport {
        command: run::command_line(),
        machine,
        settings,
        db_bytes: dataset.bytes,
        probe,
        cpu,
        server_hwm_kib,
    };
    print!("{}", crate::client_report::render(&report, args.markdown));
    Ok(())
}

/// Runs the probe against `server`; its result and the machine's CPU shares meanwhile
/// (server / bench and probe / everything else).
async fn probe(
    args: &ClientArgs,
    server: &process::ChildServer,
    client_root: &std::path::Path,
) -> Result<(ProbeResult, cpu::Share)> {
    let addr: SocketAddr = server
        .base
        .trim_start_matches("http://")
        .parse()
        .context("the server's address")?;
    let mut command = Command::new(std::env::current_exe()?);
    command
        .arg("client-probe")
        .args(["--server", &addr.to_string(), "--data-root"])
        .arg(client_root)
        .args([
            "--replies",
            &args.replies.to_string(),
            "--events",
            &args.events.to_string(),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true);
    let before = cpu::Snapshot::take(server.pid);
    let child = command.spawn().context("starting the client probe")?;
    let output = tokio::time::timeout(PROBE_DEADLINE, child.wait_with_output())
        .await
        .map_err(|_| anyhow::anyhow!("the client probe took over {PROBE_DEADLINE:?}"))?
        .context("waiting for the client probe")?;
    let mut share = cpu::Snapshot::take(server.pid).share_since(&before);
    if !output.status.success() {
        bail!("the client probe failed: {}", output.status);
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .context("the client probe printed no result")?;
    let result: ProbeResult =
        serde_json::from_str(line).context("reading the client probe's result")?;
    // The probe's ticks were counted as "other"; it is ours.
    let total_ticks = share_ticks(&before);
    if total_ticks > 0 {
        let probe_pct = result.cpu_ticks as f64 * 100.0 / total_ticks as f64;
        share.bench += probe_pct;
        share.other = (share.other - probe_pct).max(0.0);
    }
    Ok((result, share))
}

/// All the machine's clock ticks since `before`.
fn share_ticks(before: &cpu::Snapshot) -> u64 {
    cpu::Snapshot::take(0).total_since(before)
}
