//! The facts a reader needs to judge the numbers: what ran them, and how.

use std::path::Path;

pub struct Machine {
    pub cpu: String,
    pub cores: usize,
    pub memory_gib: f64,
    pub os: String,
    pub kernel: String,
    pub filesystem: String,
    pub sqlite: &'static str,
    pub build: &'static str,
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

pub fn describe(work_dir: &Path) -> Machine {
    let cpuinfo = read("/proc/cpuinfo");
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|rest| rest.trim_start_matches([' ', '\t', ':']).trim().to_owned())
        .unwrap_or_else(|| "unknown".to_owned());
    let memory_kib = read("/proc/meminfo")
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|rest| rest.split_whitespace().next()?.parse::<f64>().ok())
        .unwrap_or(0.0);
    let os = read("/etc/os-release")
        .lines()
        .find_map(|l| l.strip_prefix("PRETTY_NAME="))
        .map(|v| v.trim_matches('"').to_owned())
        .unwrap_or_else(|| std::env::consts::OS.to_owned());
    Machine {
        cpu,
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        memory_gib: memory_kib / 1024.0 / 1024.0,
        os,
        kernel: read("/proc/sys/kernel/osrelease").trim().to_owned(),
        filesystem: filesystem_of(work_dir),
        sqlite: rusqlite::version(),
        build: if cfg!(debug_assertions) {
            "debug (numbers are not representative; use --release)"
        } else {
            "release"
        },
    }
}

/// The mount holding the databases, from /proc/self/mounts: fsync cost depends on it.
fn filesystem_of(dir: &Path) -> String {
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_owned());
    read("/proc/self/mounts")
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let (source, target, kind) = (f.next()?, f.next()?, f.next()?);
            dir.starts_with(target)
                .then(|| (target.len(), format!("{kind} on {source}")))
        })
        .max_by_key(|(len, _)| *len)
        .map_or_else(|| "unknown".to_owned(), |(_, s)| s)
}
