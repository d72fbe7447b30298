//! `lifebuoy-bench desktop`: the desktop app's start, idle memory and size, and the
//! screenshot path, each against issue 6's target. See BENCHMARKS.md.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, ValueEnum};
use lifebuoy_client::{Client, ClientOptions};

use crate::desktop_app::{tree_memory, AppLauncher, Running};
use crate::desktop_report::{AppPart, DesktopReport, Launches, Memory, SizePart, FLOOR_LABEL};
use crate::workloads::DEMO_PASSWORD;
use crate::{client_data, desktop_capture, machine, process, run};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Part {
    /// Cold start and idle memory of the app, next to the framework floor.
    App,
    /// Only the framework floor: a bare WebKitGTK window's idle memory (needs no app).
    Floor,
    /// Screenshot capture, redaction and encoding.
    Capture,
    /// The app binary's size.
    Size,
}

#[derive(Args, Clone)]
pub struct DesktopArgs {
    /// Tickets of the requester whose store the app opens.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(2..))]
    pub tickets: u64,
    /// Public messages per ticket in that data set (the client bench's, reusable).
    #[arg(long, default_value_t = 5)]
    pub messages_per_ticket: u64,
    /// Measured launches for each start time (after one unrecorded launch of each).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..))]
    pub runs: u64,
    /// Seconds after the app's start at which its memory is read.
    #[arg(long, default_value_t = 10.0)]
    pub idle_seconds: f64,
    /// Measured screenshots (after 3 unrecorded ones).
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u64).range(1..))]
    pub capture_iterations: u64,
    /// Measure only these parts (comma-separated); default all.
    #[arg(long, value_enum, value_delimiter = ',')]
    pub only: Vec<Part>,
    /// The app to measure; default the `lifebuoy-desktop` next to this executable.
    #[arg(long)]
    pub app_bin: Option<PathBuf>,
    /// Where the database, stores and logs go; default a temporary directory.
    #[arg(long)]
    pub work_dir: Option<PathBuf>,
    /// Reuse the database a previous run generated in --work-dir.
    #[arg(long)]
    pub reuse: bool,
    /// The server the app syncs with; default the `lifebuoy-server` next to this executable.
    #[arg(long)]
    pub server_bin: Option<PathBuf>,
    /// Print the results as Markdown (for BENCHMARKS.md) instead of plain text.
    #[arg(long)]
    pub markdown: bool,
}

impl DesktopArgs {
    fn wants(&self, part: Part) -> bool {
        self.only.is_empty() || self.only.contains(&part)
    }
}

/// The 1, 5 and 15 minute load averages, as /proc/loadavg gives them.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The bare WebKitGTK window this crate builds next to the bench.
fn floor_binary() -> Result<PathBuf> {
    let path = std::env::current_exe()?.with_file_name("lifebuoy-webkit-floor");
    if !path.is_file() {
        bail!(
            "no {} (built with this bench: `cargo build -p lifebuoy-bench`)",
            path.display()
        );
    }
    Ok(path)
}

fn app_binary(given: Option<PathBuf>) -> Result<PathBuf> {
    let path = match given {
        Some(path) => path,
        None => std::env::current_exe()?.with_file_name("lifebuoy-desktop"),
    };
    if !path.is_file() {
        bail!(
            "no app binary at {}: build it first with `cargo build --release -p lifebuoy-desktop` \
             (the same profile as this bench), or pass --app-bin PATH",
            path.display()
        );
    }
    Ok(path)
}

pub async fn bench(args: DesktopArgs) -> Result<()> {
    let (work_dir, _temp) = run::work_dir(args.work_dir.as_deref())?;
    let mut report = DesktopReport {
        command: run::command_line(),
        machine: machine::describe(&work_dir),
        load_before: load_average(),
        app: None,
        floor: None,
        capture: None,
        size: None,
        load_after: String::new(),
    };
    let app_bin = if args.wants(Part::App) || args.wants(Part::Size) {
        Some(app_binary(args.app_bin.clone())?)
    } else {
        None
    };
    if let (true, Some(bin)) = (args.wants(Part::App), &app_bin) {
        report.app = Some(measure_app(&args, bin, &work_dir).await?);
    } else if args.wants(Part::Floor) {
        report.floor = Some(measure_floor_alone(&args, &work_dir).await?);
    }
    if args.wants(Part::Capture) {
        eprintln!(
            "  [desktop] screenshots on a {}×{} Xvfb …",
            desktop_capture::WIDTH,
            desktop_capture::HEIGHT
        );
        let load = load_average();
        let result = desktop_capture::run(args.capture_iterations as usize).await?;
        report.capture = Some((result, load));
    }
    if let (true, Some(bin)) = (args.wants(Part::Size), &app_bin) {
        report.size = Some(binary_size(bin, &work_dir)?);
    }
    report.load_after = load_average();
    print!("{}", crate::desktop_report::render(&report, args.markdown));
    Ok(())
}

async fn measure_app(args: &DesktopArgs, bin: &Path, work_dir: &Path) -> Result<AppPart> {
    let server_bin = run::server_binary(args.server_bin.clone())?;
    let dataset =
        client_data::ensure(work_dir, args.tickets, args.messages_per_ticket, args.reuse).await?;
    let run_dir = work_dir.join("desktop-server");
    if run_dir.exists() {
        std::fs::remove_dir_all(&run_dir)?;
    }
    std::fs::create_dir_all(&run_dir)?;
    std::fs::copy(&dataset.path, run_dir.join("lifebuoy.db")).context("copying the database")?;
    let server = process::start_lifebuoy(
        &server_bin,
        &run_dir,
        "full",
        &[],
        &work_dir.join("server-desktop.log"),
    )
    .await?;
    let result = with_server(args, bin, work_dir, &server.base, dataset.tickets).await;
    server.stop().await?;
    std::fs::remove_dir_all(&run_dir).ok();
    result
}

async fn with_server(
    args: &DesktopArgs,
    bin: &Path,
    work_dir: &Path,
    server: &str,
    tickets: u64,
) -> Result<AppPart> {
    // gnome-keyring on a private D-Bus session, inherited by the app: it resumes from it.
    tokio::task::spawn_blocking(lifebuoy_testkit::keyring)
        .await
        .map_err(|e| anyhow!("starting the keyring (dbus-daemon, gnome-keyring) failed: {e}"))?;
    let store = work_dir.join("desktop-store");
    if store.exists() {
        std::fs::remove_dir_all(&store)?;
    }
    eprintln!("  [desktop] filling the app's store: signing in and syncing {tickets} tickets …");
    let client = Client::login(
        server,
        client_data::REQUESTER,
        DEMO_PASSWORD,
        ClientOptions {
            data_root: Some(store.clone()),
        },
    )
    .await
    .context("signing the store's client in")?;
    let synced = client.sync_now().await.context("filling the store")?;
    client.stop();
    drop(client);
    if synced.tickets as u64 != tickets {
        bail!("the store got {} tickets, not {tickets}", synced.tickets);
    }

    // Xvfb panics when it cannot start; the app needs a screen, so say why and stop.
    let x = std::panic::catch_unwind(|| {
        lifebuoy_testkit::xvfb_sized(desktop_capture::WIDTH, desktop_capture::HEIGHT)
    })
    .map_err(|_| anyhow!("Xvfb could not start (install the xvfb package)"))?;
    let home = work_dir.join("desktop-home");
    let launcher = AppLauncher {
        bin: bin.to_owned(),
        server: server.to_owned(),
        home,
        log: work_dir.join("desktop-app.log"),
    };
    let empty = tempfile::tempdir_in(work_dir)?;
    let load = load_average();

    eprintln!(
        "  [desktop] {} + 1 launches each, ticket list and sign-in screen …",
        args.runs
    );
    let mut list = Launches::default();
    let mut floor = Launches::default();
    for i in 0..=args.runs {
        let fresh = tempfile::tempdir_in(empty.path())?;
        let f = launcher
            .launch(fresh.path(), "sign-in", false)
            .await?
            .painted_ms;
        let t = launcher.launch(&store, "tickets", false).await?.painted_ms;
        if i == 0 {
            (floor.first, list.first) = (f, t);
        } else {
            floor.runs.push(f);
            list.runs.push(t);
        }
    }

    eprintln!("  [desktop] memory {} s after start …", args.idle_seconds);
    let idle = Duration::from_secs_f64(args.idle_seconds.max(0.0));
    let mut memory = Vec::new();
    for (label, dir, screen) in [
        ("ticket list", store.clone(), "tickets"),
        (
            "sign-in, empty store",
            tempfile::tempdir_in(empty.path())?.keep(),
            "sign-in",
        ),
    ] {
        let app = launcher.launch(&dir, screen, true).await?;
        memory.push(Memory {
            label,
            processes: idle_memory(app, idle).await,
        });
    }
    let bare = launcher.launch_floor(&floor_binary()?).await?;
    memory.push(Memory {
        label: FLOOR_LABEL,
        processes: idle_memory(bare, idle).await,
    });
    drop(x);
    Ok(AppPart {
        tickets,
        list,
        floor,
        memory,
        idle_seconds: args.idle_seconds,
        load,
    })
}

/// The memory of every process under `running`, `idle` after its start; then stops it.
async fn idle_memory(
    mut running: Running,
    idle: Duration,
) -> Vec<crate::desktop_app::ProcessMemory> {
    if let Some(rest) = idle.checked_sub(running.started.elapsed()) {
        tokio::time::sleep(rest).await;
    }
    let processes = tree_memory(running.pid);
    running.stop().await;
    processes
}

/// `--only floor`: the bare WebKitGTK window alone, on its own Xvfb and session bus.
async fn measure_floor_alone(args: &DesktopArgs, work_dir: &Path) -> Result<(Memory, String)> {
    let bin = floor_binary()?;
    tokio::task::spawn_blocking(lifebuoy_testkit::keyring)
        .await
        .map_err(|e| {
            anyhow!("starting the session bus (dbus-daemon, gnome-keyring) failed: {e}")
        })?;
    let x = std::panic::catch_unwind(|| {
        lifebuoy_testkit::xvfb_sized(desktop_capture::WIDTH, desktop_capture::HEIGHT)
    })
    .map_err(|_| anyhow!("Xvfb could not start (install the xvfb package)"))?;
    let launcher = AppLauncher {
        bin: bin.clone(),
        server: String::new(),
        home: work_dir.join("desktop-home"),
        log: work_dir.join("desktop-app.log"),
    };
    let load = load_average();
    eprintln!(
        "  [desktop] bare WebKitGTK window, memory {} s after start …",
        args.idle_seconds
    );
    let floor = launcher.launch_floor(&bin).await?;
    let processes = idle_memory(floor, Duration::from_secs_f64(args.idle_seconds.max(0.0))).await;
    drop(x);
    Ok((
        Memory {
            label: FLOOR_LABEL,
            processes,
        },
        load,
    ))
}

fn binary_size(bin: &Path, work_dir: &Path) -> Result<SizePart> {
    let bytes = std::fs::metadata(bin)?.len();
    let copy = work_dir.join("lifebuoy-desktop.stripped");
    std::fs::copy(bin, &copy)?;
    let stripped = match std::process::Command::new("strip")
        .arg("--strip-all")
        .arg(&copy)
        .status()
    {
        Ok(status) if status.success() => Some(std::fs::metadata(&copy)?.len()),
        _ => None,
    };
    std::fs::remove_file(&copy).ok();
    Ok(SizePart {
        path: bin.display().to_string(),
        bytes,
        stripped,
    })
}
