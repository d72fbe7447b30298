//! The release desktop app launched as a user would, on a real X server, timed from
//! process spawn to the first painted screen (the app's `LIFEBUOY_STARTUP_PROBE` line),
//! and its memory summed over the whole process tree, WebKit's processes included.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, ChildStdout, Command};

const PAINT_TIMEOUT: Duration = Duration::from_secs(60);
const EXIT_TIMEOUT: Duration = Duration::from_secs(15);
const PROBE_LINE: &str = "lifebuoy-startup-probe painted ";
/// What `lifebuoy-webkit-floor` prints when its empty page has loaded.
const FLOOR_LINE: &str = "lifebuoy-webkit-floor loaded";

/// How the app is started: the same for every launch but the store it is pointed at.
pub struct AppLauncher {
    pub bin: PathBuf,
    pub server: String,
    /// XDG config/data/cache homes, so WebKit's and the plugins' files stay in the bench.
    pub home: PathBuf,
    pub log: PathBuf,
}

pub struct Running {
    child: Child,
    pub pid: u32,
    pub started: Instant,
    /// Spawn to the probe's line, in ms.
    pub painted_ms: f64,
}

impl AppLauncher {
    fn command(&self, store: &Path, probe: &str) -> Result<Command> {
        let mut command = self.desktop_command(&self.bin)?;
        command
            .env("LIFEBUOY_CLIENT_DIR", store)
            .env("LIFEBUOY_SERVER", &self.server)
            .env("LIFEBUOY_STARTUP_PROBE", probe);
        Ok(command)
    }

    /// `bin` in the app's desktop environment: the same X display, session bus and
    /// XDG directories, output to the log.
    fn desktop_command(&self, bin: &Path) -> Result<Command> {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .with_context(|| format!("opening {}", self.log.display()))?;
        let mut command = Command::new(bin);
        command
            .env("XDG_CONFIG_HOME", self.home.join("config"))
            .env("XDG_DATA_HOME", self.home.join("data"))
            .env("XDG_CACHE_HOME", self.home.join("cache"))
            // No accessibility bus on this private session; GTK would wait for one.
            .env("NO_AT_BRIDGE", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .kill_on_drop(true);
        Ok(command)
    }

    /// Starts the bare WebKitGTK window (`lifebuoy-webkit-floor`) exactly as the app is
    /// started, and waits until its empty page has loaded; it runs until stopped.
    pub async fn launch_floor(&self, bin: &Path) -> Result<Running> {
        let mut command = self.desktop_command(bin)?;
        let started = Instant::now();
        let mut child = command
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let pid = child.id().context("the floor window has no pid")?;
        let stdout = child.stdout.take().context("the floor window's stdout")?;
        tokio::time::timeout(PAINT_TIMEOUT, line(stdout, FLOOR_LINE))
            .await
            .map_err(|_| {
                anyhow::anyhow!(
                    "the bare WebKitGTK window loaded nothing in {PAINT_TIMEOUT:?}; see {}",
                    self.log.display()
                )
            })??;
        Ok(Running {
            child,
            pid,
            started,
            painted_ms: started.elapsed().as_secs_f64() * 1000.0,
        })
    }

    /// Starts the app on `store` and waits until it reports `screen` painted. With
    /// `keep` it stays running; otherwise it exits by itself and is waited for.
    pub async fn launch(&self, store: &Path, screen: &str, keep: bool) -> Result<Running> {
        let mut command = self.command(store, if keep { "keep" } else { "1" })?;
        let started = Instant::now();
        let mut child = command
            .spawn()
            .with_context(|| format!("starting {}", self.bin.display()))?;
        let pid = child.id().context("the app has no pid")?;
        let stdout = child.stdout.take().context("the app's stdout")?;
        let seen = tokio::time::timeout(PAINT_TIMEOUT, painted(stdout))
            .await
            .map_err(|_| {
                anyhow::anyhow!(
                    "the app painted nothing in {PAINT_TIMEOUT:?}; see {}",
                    self.log.display()
                )
            })??;
        let painted_ms = started.elapsed().as_secs_f64() * 1000.0;
        if seen != screen {
            bail!(
                "the app's first screen was {seen:?}, not {screen:?}; see {}",
                self.log.display()
            );
        }
        let mut running = Running {
            child,
            pid,
            started,
            painted_ms,
        };
        if !keep {
            running.wait_exit().await?;
        }
        Ok(running)
    }
}

/// The screen named on the probe's line.
async fn painted(stdout: ChildStdout) -> Result<String> {
    let mut lines = BufReader::new(stdout).lines();
    while let Some(line) = lines.next_line().await? {
        if let Some(screen) = line.strip_prefix(PROBE_LINE) {
            return Ok(screen.trim().to_owned());
        }
    }
    bail!("the app exited without painting")
}

/// Waits for `expected` on the process's stdout.
async fn line(stdout: ChildStdout, expected: &str) -> Result<()> {
    let mut lines = BufReader::new(stdout).lines();
    while let Some(line) = lines.next_line().await? {
        if line.trim() == expected {
            return Ok(());
        }
    }
    bail!("the process exited before printing {expected:?}")
}

impl Running {
    async fn wait_exit(&mut self) -> Result<()> {
        match tokio::time::timeout(EXIT_TIMEOUT, self.child.wait()).await {
            Ok(status) => {
                status?;
                Ok(())
            }
            Err(_) => {
                self.stop().await;
                bail!("the app did not exit within {EXIT_TIMEOUT:?} of painting")
            }
        }
    }

    /// Ends the app, then any of its processes still left (WebKit's end with it).
    pub async fn stop(&mut self) {
        let family = descendants(self.pid);
        let _ = self.child.kill().await;
        let deadline = Instant::now() + Duration::from_secs(5);
        while family.iter().any(|p| alive(*p)) && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        for pid in family.into_iter().filter(|p| alive(*p)) {
            // Only processes this launch started; a pid reused meanwhile is not a child.
            if parent_chain_reaches(pid, self.pid) {
                // SAFETY: kill(2) has no memory effects; the pid is checked just above.
                unsafe {
                    libc::kill(pid as libc::pid_t, libc::SIGKILL);
                }
            }
        }
    }
}

fn alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

/// (parent pid, command name) from /proc/PID/stat.
fn stat(pid: u32) -> Option<(u32, String)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The name is in parentheses and may itself hold spaces or parentheses.
    let (open, close) = (text.find('(')?, text.rfind(')')?);
    let name = text[open + 1..close].to_owned();
    let ppid = text[close + 1..].split_whitespace().nth(1)?.parse().ok()?;
    Some((ppid, name))
}

fn parent_chain_reaches(mut pid: u32, root: u32) -> bool {
    for _ in 0..64 {
        match stat(pid) {
            Some((ppid, _)) if ppid == root => return true,
            Some((ppid, _)) if ppid > 1 => pid = ppid,
            _ => return false,
        }
    }
    false
}

/// `root` and every process under it, by walking /proc.
pub fn descendants(root: u32) -> Vec<u32> {
    let mut children: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for entry in dir.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            if let Some((ppid, _)) = stat(pid) {
                children.entry(ppid).or_default().push(pid);
            }
        }
    }
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() {
        if let Some(kids) = children.get(&out[i]) {
            out.extend(kids);
        }
        i += 1;
    }
    out
}

/// One process's share of the app's memory.
#[derive(Debug, Clone)]
pub struct ProcessMemory {
    pub name: String,
    pub rss_kib: u64,
    pub pss_kib: u64,
}

/// Rss and Pss of every process in the tree, from /proc/PID/smaps_rollup.
pub fn tree_memory(root: u32) -> Vec<ProcessMemory> {
    descendants(root)
        .into_iter()
        .filter_map(|pid| {
            let (_, name) = stat(pid)?;
            let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
            let field = |key: &str| {
                rollup
                    .lines()
                    .find_map(|l| l.strip_prefix(key))
                    .and_then(|rest| rest.split_whitespace().next()?.parse::<u64>().ok())
            };
            Some(ProcessMemory {
                name,
                rss_kib: field("Rss:")?,
                pss_kib: field("Pss:")?,
            })
        })
        .collect()
}
