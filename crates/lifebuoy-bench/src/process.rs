//! Servers under test run as child processes, so their memory is their own and they
//! compete for the CPU with the load generator exactly as a real deployment would.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use tokio::process::{Child, Command};

const STARTUP_TIMEOUT: Duration = Duration::from_secs(120);

pub struct ChildServer {
    child: Child,
    pub pid: u32,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    pub log: PathBuf,
}

/// A port the kernel just handed out, free again for the child to bind.
pub fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").context("finding a free port")?;
    Ok(listener.local_addr()?.port())
}

/// Starts `command` (which must listen on `port`) with its output going to `log`, and
/// waits until `GET /healthz` answers 200.
pub async fn start(mut command: Command, port: u16, log: &Path) -> Result<ChildServer> {
    let out = File::create(log).with_context(|| format!("creating {}", log.display()))?;
    let err = out.try_clone()?;
    command
        .stdout(out)
        .stderr(err)
        .stdin(std::process::Stdio::null());
    // A bench that fails half-way must not leave a server running.
    command.kill_on_drop(true);
    let mut child = command.spawn().context("starting the server process")?;
    let pid = child.id().context("the server process has no pid")?;
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()?;
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            bail!(
                "the server exited with {status} before it was ready; its log {} ends:\n{}",
                log.display(),
                tail(log)
            );
        }
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await {
            if r.status().is_success() {
                break;
            }
        }
        if started.elapsed() > STARTUP_TIMEOUT {
            bail!(
                "the server did not become healthy in {STARTUP_TIMEOUT:?}; see {}",
                log.display()
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(ChildServer {
        child,
        pid,
        base,
        log: log.to_owned(),
    })
}

impl ChildServer {
    pub async fn stop(mut self) -> Result<()> {
        self.child.kill().await.context("stopping the server")
    }

    /// Fails if the server died while it was being measured.
    pub fn check_alive(&mut self) -> Result<()> {
        if let Some(status) = self.child.try_wait()? {
            bail!(
                "the server exited with {status}; its log {} ends:\n{}",
                self.log.display(),
                tail(&self.log)
            );
        }
        Ok(())
    }
}

fn tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

/// (VmRSS, VmHWM) in KiB from /proc: resident now, and the peak over the process's life.
pub fn memory_kib(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse::<u64>().ok())
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// Polls VmRSS every 50 ms while a workload runs, for that workload's peak.
pub struct RssSampler {
    task: tokio::task::JoinHandle<()>,
    peak: Arc<AtomicU64>,
}

impl RssSampler {
    pub fn start(pid: u32) -> Self {
        let peak = Arc::new(AtomicU64::new(0));
        let seen = peak.clone();
        let task = tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(50));
            loop {
                tick.tick().await;
                if let Some((rss, _)) = memory_kib(pid) {
                    seen.fetch_max(rss, Ordering::Relaxed);
                }
            }
        });
        Self { task, peak }
    }

    /// The peak VmRSS seen, in KiB.
    pub fn finish(self) -> u64 {
        self.task.abort();
        self.peak.load(Ordering::Relaxed)
    }
}

/// Starts `lifebuoy-server serve --demo` on a free loopback port with its data in
/// `data_dir`, plus `extra` flags; its output goes to `log`.
pub async fn start_lifebuoy(
    server_bin: &Path,
    data_dir: &Path,
    durability: &str,
    extra: &[String],
    log: &Path,
) -> Result<ChildServer> {
    let port = free_port()?;
    let mut command = Command::new(server_bin);
    command
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(data_dir)
        .args(["--durability", durability, "--demo"])
        .args(extra)
        // The bench measures the local database and file store, whatever this shell says.
        .env_remove("LIFEBUOY_DATABASE_URL")
        .env_remove("LIFEBUOY_S3_ENDPOINT");
    start(command, port, log).await
}
