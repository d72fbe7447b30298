//! The `desktop` group's results, with issue 6's targets and verdicts.

use std::fmt::Write;

use crate::desktop_app::ProcessMemory;
use crate::desktop_capture::{CaptureResult, HEIGHT, WIDTH};
use crate::machine::Machine;
use crate::report::{heading, mb, table, thousands};

pub const START_TARGET_MS: f64 = 1000.0;
pub const IDLE_TARGET_MB: f64 = 200.0;
pub const CAPTURE_TARGET_MS: f64 = 150.0;
/// The memory rows of `lifebuoy-webkit-floor`: the framework with nothing of the app.
pub const FLOOR_LABEL: &str = "floor: bare WebKitGTK, empty page";

#[derive(Default)]
pub struct Launches {
    /// The unrecorded first launch.
    pub first: f64,
    pub runs: Vec<f64>,
}

pub struct Memory {
    pub label: &'static str,
    pub processes: Vec<ProcessMemory>,
}

pub struct AppPart {
    pub tickets: u64,
    pub list: Launches,
    pub floor: Launches,
    pub memory: Vec<Memory>,
    pub idle_seconds: f64,
    pub load: String,
}

pub struct SizePart {
    pub path: String,
    pub bytes: u64,
    pub stripped: Option<u64>,
}

pub struct DesktopReport {
    pub command: String,
    pub machine: Machine,
    pub load_before: String,
    pub app: Option<AppPart>,
    /// `--only floor`: the framework floor alone, and the load average when it began.
    pub floor: Option<(Memory, String)>,
    /// The result and the load average when it started.
    pub capture: Option<(CaptureResult, String)>,
    pub size: Option<SizePart>,
    pub load_after: String,
}

/// Nearest-rank percentile of unsorted samples; 0 for none.
pub fn percentile(samples: &[f64], pct: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((pct / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn verdict(measured: f64, target: f64) -> String {
    if measured <= target {
        "met".to_owned()
    } else {
        format!("MISSED by {:.0}%", (measured / target - 1.0) * 100.0)
    }
}

fn launch_row(what: &str, l: &Launches, target: Option<f64>) -> Vec<String> {
    let max = l.runs.iter().copied().fold(0.0, f64::max);
    let median = percentile(&l.runs, 50.0);
    vec![
        what.to_owned(),
        l.runs.len().to_string(),
        format!("{:.0}", percentile(&l.runs, 0.0)),
        format!("{median:.0}"),
        format!("{max:.0}"),
        format!("{:.0}", l.first),
        target.map_or_else(|| "-".to_owned(), |t| format!("≤ {t:.0}")),
        target.map_or_else(|| "-".to_owned(), |t| verdict(max, t)),
    ]
}

fn render_app(out: &mut String, a: &AppPart, markdown: bool, item: &str) {
    heading(out, "Desktop app start and idle memory", markdown);
    let _ = writeln!(
        out,
        "{item}load average when the launches began: {}\n",
        a.load
    );
    table(
        out,
        &[
            "launch → first screen painted",
            "runs",
            "min ms",
            "median ms",
            "max ms",
            "first launch ms",
            "target ms",
            "verdict (max)",
        ],
        &[
            launch_row(
                &format!("ticket list, {} cached tickets", thousands(a.tickets)),
                &a.list,
                Some(START_TARGET_MS),
            ),
            launch_row("floor: sign-in screen, empty store", &a.floor, None),
        ],
        markdown,
    );
    memory_table(out, &a.memory, markdown);
    if let Some(list) = a.memory.first() {
        let (rss, pss) = totals(&list.processes);
        let _ = writeln!(
            out,
            "{item}idle memory {:.0} s after start, ticket list: PSS {:.1} MB, {} (RSS sum {:.1} MB, {}; target ≤ {IDLE_TARGET_MB:.0} MB)",
            a.idle_seconds,
            mb(pss),
            verdict(mb(pss), IDLE_TARGET_MB),
            mb(rss),
            verdict(mb(rss), IDLE_TARGET_MB),
        );
        if let Some(floor) = a.memory.iter().find(|m| m.label == FLOOR_LABEL) {
            let _ = write!(out, "{item}the ticket list over the framework floor, PSS:");
            for role in [Role::App, Role::Network, Role::Web] {
                let _ = write!(
                    out,
                    " {} {:+.1} MB,",
                    role.name(),
                    mb(role.pss(&list.processes)) - mb(role.pss(&floor.processes))
                );
            }
            let (_, floor_pss) = totals(&floor.processes);
            let _ = writeln!(out, " all {:+.1} MB", mb(pss) - mb(floor_pss));
        }
        out.push('\n');
    }
}

/// Which of the three processes a row is, whatever the root binary is called.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    App,
    Network,
    Web,
}

impl Role {
    fn of(name: &str) -> Role {
        // /proc's comm is cut at 15 bytes: "WebKitNetworkPr", "WebKitWebProces".
        if name.starts_with("WebKitNetwork") {
            Role::Network
        } else if name.starts_with("WebKitWeb") {
            Role::Web
        } else {
            Role::App
        }
    }

    fn name(self) -> &'static str {
        match self {
            Role::App => "app",
            Role::Network => "network",
            Role::Web => "web",
        }
    }

    fn pss(self, processes: &[ProcessMemory]) -> u64 {
        processes
            .iter()
            .filter(|p| Role::of(&p.name) == self)
            .map(|p| p.pss_kib)
            .sum()
    }
}

fn memory_table(out: &mut String, memory: &[Memory], markdown: bool) {
    let mut rows = Vec::new();
    for m in memory {
        for p in &m.processes {
            rows.push(vec![
                m.label.to_owned(),
                p.name.clone(),
                format!("{:.1}", mb(p.rss_kib)),
                format!("{:.1}", mb(p.pss_kib)),
            ]);
        }
        let (rss, pss) = totals(&m.processes);
        rows.push(vec![
            m.label.to_owned(),
            format!("all {} processes", m.processes.len()),
            format!("{:.1}", mb(rss)),
            format!("{:.1}", mb(pss)),
        ]);
    }
    table(
        out,
        &["screen", "process", "RSS MB", "PSS MB"],
        &rows,
        markdown,
    );
}

fn totals(processes: &[ProcessMemory]) -> (u64, u64) {
    (
        processes.iter().map(|p| p.rss_kib).sum(),
        processes.iter().map(|p| p.pss_kib).sum(),
    )
}

fn render_capture(out: &mut String, c: &CaptureResult, load: &str, markdown: bool, item: &str) {
    heading(
        out,
        &format!("Screenshot of a {WIDTH}×{HEIGHT} screen"),
        markdown,
    );
    let _ = writeln!(
        out,
        "{item}load average when it began: {load}; {} measured iterations; PNG {} bytes\n",
        c.iterations,
        thousands(c.png_bytes as u64)
    );
    let row = |what: &str, s: &[f64], target: Option<f64>| {
        vec![
            what.to_owned(),
            format!("{:.1}", percentile(s, 50.0)),
            format!("{:.1}", percentile(s, 99.0)),
            format!("{:.1}", percentile(s, 100.0)),
            target.map_or_else(|| "-".to_owned(), |t| format!("≤ {t:.0}")),
            target.map_or_else(|| "-".to_owned(), |t| verdict(percentile(s, 99.0), t)),
        ]
    };
    table(
        out,
        &[
            "step",
            "p50 ms",
            "p99 ms",
            "max ms",
            "target ms",
            "verdict (p99)",
        ],
        &[
            row("capture (list monitors, capture one)", &c.capture, None),
            row("edit (crop + 3 blackouts)", &c.edit, None),
            row("encode PNG", &c.encode, None),
            row("total", &c.total, Some(CAPTURE_TARGET_MS)),
            row("preview JPEG 1600 px (apart)", &c.preview, None),
        ],
        markdown,
    );
}

pub fn render(r: &DesktopReport, markdown: bool) -> String {
    let mut out = String::new();
    let m = &r.machine;
    let item = if markdown { "- " } else { "" };
    let code = |s: &str| {
        if markdown {
            format!("`{s}`")
        } else {
            s.to_owned()
        }
    };
    let _ = writeln!(out, "{item}command: {}", code(&r.command));
    let _ = writeln!(
        out,
        "{item}machine: {} × {}, {:.1} GiB RAM, {}, kernel {}, work dir on {}",
        m.cores, m.cpu, m.memory_gib, m.os, m.kernel, m.filesystem
    );
    let _ = writeln!(out, "{item}bench build: {}", m.build);
    let _ = writeln!(
        out,
        "{item}load average (1/5/15 min) before: {}; after: {}\n",
        r.load_before, r.load_after
    );
    if let Some(a) = &r.app {
        render_app(&mut out, a, markdown, item);
    }
    if let Some((floor, load)) = &r.floor {
        heading(&mut out, "Framework floor: bare WebKitGTK window", markdown);
        let _ = writeln!(out, "{item}load average when it began: {load}\n");
        memory_table(&mut out, std::slice::from_ref(floor), markdown);
    }
    if let Some((c, load)) = &r.capture {
        render_capture(&mut out, c, load, markdown, item);
    }
    if let Some(s) = &r.size {
        heading(&mut out, "App binary size", markdown);
        let stripped = s.stripped.map_or_else(
            || "strip not found".to_owned(),
            |b| format!("{:.1}", b as f64 / 1e6),
        );
        table(
            &mut out,
            &["binary", "MB", "stripped MB"],
            &[vec![
                s.path.clone(),
                format!("{:.1}", s.bytes as f64 / 1e6),
                stripped,
            ]],
            markdown,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn percentiles_are_nearest_rank() {
        let s = [5.0, 1.0, 4.0, 2.0, 3.0];
        assert_eq!(percentile(&s, 50.0), 3.0);
        assert_eq!(percentile(&s, 0.0), 1.0);
        assert_eq!(percentile(&s, 99.0), 5.0);
        assert_eq!(percentile(&[], 50.0), 0.0);
    }
}
