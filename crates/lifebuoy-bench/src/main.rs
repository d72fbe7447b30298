//! `lifebuoy-bench`: loads a real `lifebuoy-server` over loopback on generated databases
//! and compares it with an HTTP floor and a SQLite floor. See BENCHMARKS.md.

mod client_bench;
mod client_data;
mod client_probe;
mod client_report;
mod counting_proxy;
mod cpu;
mod desktop_app;
mod desktop_bench;
mod desktop_capture;
mod desktop_report;
mod desktop_screen;
mod disk_floor;
mod files_bench;
mod files_report;
mod floors;
mod generate;
mod load;
mod machine;
mod process;
mod report;
mod rng;
mod run;
mod samples;
mod staff_bench;
mod staff_report;
mod text;
mod ticket_plan;
mod transfers;
mod workloads;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use lifebuoy_server::store::sqlite::Durability;

#[derive(Parser)]
#[command(
    name = "lifebuoy-bench",
    about = "Benchmarks lifebuoy-server on loopback: create, reply, list and detail on generated databases \
             (default), attachments (`files`), client sync (`client`), the staff workspace (`staff`) and the desktop app (`desktop`)",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Group>,
    #[command(flatten)]
    bench: BenchArgs,
}

#[derive(Subcommand)]
enum Group {
    /// Attachments: upload and download throughput against raw disk writes, and server
    /// memory while many clients upload at once.
    Files(files_bench::FilesArgs),
    /// The client crate: first sync, incremental sync, outbox flush, reply-to-event latency.
    Client(client_bench::ClientArgs),
    /// The staff workspace: filtered and searched queue pages, stats, and a CSV export of
    /// every ticket with the server's memory sampled.
    Staff(staff_bench::StaffArgs),
    /// The desktop app: cold start to the painted ticket list, idle memory with WebKit's
    /// processes, binary size; and a 1920×1080 screenshot captured, redacted, encoded.
    Desktop(desktop_bench::DesktopArgs),
    /// The HTTP floor server; the bench starts it as its own child process.
    #[command(hide = true)]
    FloorServer {
        #[arg(long)]
        listen: SocketAddr,
    },
    /// The measured client; `client` starts it as its own process so its memory is its own.
    #[command(hide = true)]
    ClientProbe(client_probe::ProbeArgs),
}

#[derive(Args, Clone)]
pub struct BenchArgs {
    /// Database sizes to generate and load, in tickets, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "100000,1000000")]
    pub tickets: Vec<u64>,
    /// Concurrent clients, each sending its next request when the last one is answered.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..))]
    pub clients: u16,
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
    /// Passed to the server's --durability, and used by the SQLite floor.
    #[arg(long, value_enum, default_value = "full")]
    pub durability: Durability,
    /// Print the results as Markdown (for BENCHMARKS.md) instead of plain text.
    #[arg(long)]
    pub markdown: bool,
}

async fn interrupted() {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {},
        () = term => {},
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let stopped = || anyhow::anyhow!("interrupted; the servers it started are stopped");
    // Returning drops the run, and with it the child servers (they are killed on drop).
    let result = match cli.command {
        Some(Group::FloorServer { listen }) => floors::serve_constant(listen).await,
        Some(Group::ClientProbe(args)) => client_probe::run(args).await,
        Some(Group::Files(args)) => tokio::select! {
            result = files_bench::bench(args) => result,
            () = interrupted() => Err(stopped()),
        },
        Some(Group::Staff(args)) => tokio::select! {
            result = staff_bench::bench(args) => result,
            () = interrupted() => Err(stopped()),
        },
        Some(Group::Desktop(args)) => tokio::select! {
            result = desktop_bench::bench(args) => result,
            () = interrupted() => Err(stopped()),
        },
        Some(Group::Client(args)) => tokio::select! {
            result = client_bench::bench(args) => result,
            () = interrupted() => Err(stopped()),
        },
        None => tokio::select! {
            result = run::bench(cli.bench) => result,
            () = interrupted() => Err(stopped()),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lifebuoy-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}
