//! The system details a ticket may carry, gathered once here so the CLI and the desktop
//! app send the same fields. They are shown to the user before sending, and hold nothing
//! secret: no host name, user name or network address.

use std::path::Path;

use serde_json::{json, Map, Value};
use sysinfo::{CpuRefreshKind, Disks, System};

const MIB: u64 = 1024 * 1024;

/// The time zone's name, from `TZ` or the system's configuration.
fn time_zone() -> Option<String> {
    if let Ok(tz) = std::env::var("TZ") {
        if !tz.trim().is_empty() {
            return Some(tz.trim().trim_start_matches(':').to_owned());
        }
    }
    if let Ok(text) = std::fs::read_to_string("/etc/timezone") {
        if !text.trim().is_empty() {
            return Some(text.trim().to_owned());
        }
    }
    let target = std::fs::read_link("/etc/localtime").ok()?;
    let text = target.to_string_lossy();
    text.split("zoneinfo/").nth(1).map(str::to_owned)
}

/// Details of this machine as a JSON object of short values. `data_dir` picks the disk
/// whose free space is reported (the one the client's data lives on).
pub fn collect(data_dir: &Path, app: &str) -> Value {
    let mut info = Map::new();
    let mut put = |key: &str, value: Value| {
        info.insert(key.to_owned(), value);
    };
    if let Ok(os) = System::long_os_version() {
        put("os", json!(os));
    }
    if let Ok(kernel) = System::kernel_version() {
        put("kernel", json!(kernel));
    }
    put("architecture", json!(std::env::consts::ARCH));
    if let Ok(mut sys) = System::new() {
        sys.refresh_cpu_list(CpuRefreshKind::nothing());
        sys.refresh_memory();
        if let Some(cpu) = sys.cpus().first() {
            put(
                "cpu",
                json!(format!("{} × {}", sys.cpus().len(), cpu.brand().trim())),
            );
        }
        put("memory_total_mb", json!(sys.total_memory() / MIB));
        put("memory_available_mb", json!(sys.available_memory() / MIB));
    }
    if let Ok(disks) = Disks::new_with_refreshed_list() {
        let data_disk = disks
            .iter()
            .filter(|d| data_dir.starts_with(d.mount_point()))
            .max_by_key(|d| d.mount_point().as_os_str().len());
        if let Some(disk) = data_disk {
            put("disk_free_mb", json!(disk.available_space() / MIB));
        }
    }
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
    if let Some(locale) = locale {
        put("locale", json!(locale));
    }
    if let Some(tz) = time_zone() {
        put("time_zone", json!(tz));
    }
    if let Ok(uptime) = System::uptime() {
        put("uptime_hours", json!(uptime / 3600));
    }
    put("app", json!(app));
    Value::Object(info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_real_values_and_nothing_identifying() {
        let info = collect(Path::new("/"), "test 1.0");
        assert_eq!(info["architecture"], std::env::consts::ARCH);
        assert!(info["memory_total_mb"].as_u64().unwrap_or(0) > 0, "{info}");
        assert!(info["disk_free_mb"].as_u64().is_some(), "{info}");
        assert!(info["os"].as_str().is_some_and(|s| !s.is_empty()), "{info}");
        let text = info.to_string();
        if let Ok(host) = std::fs::read_to_string("/etc/hostname") {
            let host = host.trim();
            if host.len() > 3 {
                assert!(!text.contains(host), "no host name: {text}");
            }
        }
    }
}
