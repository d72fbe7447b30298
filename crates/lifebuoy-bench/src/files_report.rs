//! The attachments results, as plain text or Markdown.

use std::fmt::Write;

use crate::machine::Machine;
use crate::report::{
    at_most, cpu_cell, heading, item, mb, preamble, table, RunInfo, OTHER_CPU_WARNING_PCT,
};
use crate::transfers::Moved;

pub const UPLOAD_RSS_TARGET_MB: f64 = 150.0;
/// Growth of the mean RSS from the second to the last second of the window still called flat.
const FLAT_GROWTH_PCT: f64 = 10.0;

pub struct TransferRow {
    /// One word, so that the smoke test can find the row.
    pub name: &'static str,
    pub clients: usize,
    pub moved: Moved,
    /// 0 when the server is not involved (the disk floor).
    pub peak_rss_kib: u64,
}

pub struct SizeRows {
    pub label: String,
    pub rows: Vec<TransferRow>,
}

pub struct MemoryPhase {
    pub clients: usize,
    pub size_label: String,
    pub moved: Moved,
    pub load_seconds: f64,
    pub started_kib: u64,
    pub signed_in_kib: u64,
    /// (seconds since the load began, VmRSS KiB), every 50 ms.
    pub samples: Vec<(f64, u64)>,
    pub after_kib: u64,
    pub hwm_kib: u64,
}

impl MemoryPhase {
    fn mean_kib(&self, from: f64, to: f64) -> u64 {
        let inside: Vec<u64> = self
            .samples
            .iter()
            .filter(|(t, _)| *t >= from && *t < to)
            .map(|&(_, rss)| rss)
            .collect();
        if inside.is_empty() {
            0
        } else {
            inside.iter().sum::<u64>() / inside.len() as u64
        }
    }

    fn first_second_kib(&self) -> u64 {
        self.mean_kib(0.0, 1.0)
    }

    fn last_second_kib(&self) -> u64 {
        self.mean_kib((self.load_seconds - 1.0).max(0.0), self.load_seconds)
    }

    fn peak_kib(&self) -> u64 {
        self.samples
            .iter()
            .filter(|(t, _)| *t < self.load_seconds)
            .map(|&(_, rss)| rss)
            .max()
            .unwrap_or(0)
    }
}

pub struct FilesReport {
    pub command: String,
    pub machine: Machine,
    pub settings: String,
    pub sizes: Vec<SizeRows>,
    pub memory: MemoryPhase,
}

pub fn render(r: &FilesReport, markdown: bool) -> String {
    let mut out = String::new();
    let item = item(markdown);
    preamble(
        &mut out,
        markdown,
        &RunInfo {
            command: &r.command,
            machine: &r.machine,
            data: "server data and disk floor",
            sqlite: false,
            settings: &r.settings,
        },
    );
    let _ = writeln!(
        out,
        "{item}CPU column: share of the whole machine used by server/bench/everything else, in %; \
         the disk floor is written by the bench itself\n"
    );

    let mut busy = false;
    for size in &r.sizes {
        heading(
            &mut out,
            &format!("Attachments, {} files", size.label),
            markdown,
        );
        let floor = |name: &str| {
            size.rows
                .iter()
                .find(|row| row.name == name)
                .map_or(0.0, |row| row.moved.mb_per_s())
        };
        let (synced, unsynced) = (floor("disk-fsync"), floor("disk-nofsync"));
        let rows: Vec<Vec<String>> = size
            .rows
            .iter()
            .map(|row| {
                let o = &row.moved.outcome;
                // The kernel's writeback of the floor's own files shows up as "other".
                busy |= !row.name.starts_with("disk") && o.cpu.other > OTHER_CPU_WARNING_PCT;
                let vs = if row.name.starts_with("disk") || synced <= 0.0 || unsynced <= 0.0 {
                    "floor".to_owned()
                } else {
                    format!(
                        "{:.2}× fsync, {:.2}× no-fsync",
                        row.moved.mb_per_s() / synced,
                        row.moved.mb_per_s() / unsynced
                    )
                };
                vec![
                    row.name.to_owned(),
                    size.label.clone(),
                    row.clients.to_string(),
                    o.ok.to_string(),
                    o.errors.to_string(),
                    format!("{:.1}", row.moved.mb_per_s()),
                    format!("{:.2}", o.percentile_ms(50.0)),
                    format!("{:.2}", o.percentile_ms(99.0)),
                    format!("{:.1}", o.max_ms()),
                    if row.peak_rss_kib == 0 {
                        "-".to_owned()
                    } else {
                        format!("{:.1}", mb(row.peak_rss_kib))
                    },
                    cpu_cell(&row.moved.outcome.cpu),
                    vs,
                ]
            })
            .collect();
        table(
            &mut out,
            &[
                "measurement",
                "size",
                "clients",
                "ok",
                "errors",
                "MB/s",
                "p50 ms",
                "p99 ms",
                "max ms",
                "server peak RSS MB",
                "CPU %",
                "vs disk floor",
            ],
            &rows,
            markdown,
        );
        for row in &size.rows {
            if let Some(e) = &row.moved.outcome.first_error {
                let _ = writeln!(
                    out,
                    "{item}{} × {}: first error: {e}",
                    row.name, row.clients
                );
            }
        }
    }

    let p = &r.memory;
    heading(
        &mut out,
        &format!(
            "Server memory, {} clients uploading {} files",
            p.clients, p.size_label
        ),
        markdown,
    );
    let (first, last, peak) = (p.first_second_kib(), p.last_second_kib(), p.peak_kib());
    let growth = mb(last) - mb(first);
    let growth_pct = if first > 0 {
        growth * 100.0 / mb(first)
    } else {
        0.0
    };
    // The first second is the ramp from an idle server to eight busy connections; whether
    // memory grows with the bytes that pass is told by the seconds after it.
    let settled = p.mean_kib(1.0, 2.0);
    let settled_growth = mb(last) - mb(settled);
    let settled_pct = if settled > 0 {
        settled_growth * 100.0 / mb(settled)
    } else {
        growth_pct
    };
    let flat = p.load_seconds >= 3.0 && settled_pct <= FLAT_GROWTH_PCT;
    busy |= p.moved.outcome.cpu.other > OTHER_CPU_WARNING_PCT;
    let o = &p.moved.outcome;
    let rows = vec![vec![
        "memory-upload".to_owned(),
        p.size_label.clone(),
        p.clients.to_string(),
        o.ok.to_string(),
        o.errors.to_string(),
        format!("{:.1}", p.moved.mb_per_s()),
        format!("{:.0}", o.percentile_ms(50.0)),
        format!("{:.0}", o.percentile_ms(99.0)),
        format!("{:.1}", mb(p.signed_in_kib)),
        format!("{:.1}", mb(first)),
        format!("{:.1}", mb(last)),
        format!("{:.1}", mb(peak)),
        format!("{:.1}", mb(p.hwm_kib)),
        cpu_cell(&p.moved.outcome.cpu),
    ]];
    table(
        &mut out,
        &[
            "phase",
            "size",
            "clients",
            "ok",
            "errors",
            "MB/s",
            "p50 ms",
            "p99 ms",
            "RSS before MB",
            "RSS 1st s MB",
            "RSS last s MB",
            "peak RSS MB",
            "VmHWM MB",
            "CPU %",
        ],
        &rows,
        markdown,
    );
    let _ = writeln!(
        out,
        "{item}{:.1} s of load, {} samples every 50 ms; RSS {:.1} MB when the server was first healthy, \
         {:.1} MB after sign-in, {:.1} MB 0.5 s after the load; growth from the first to the last second \
         {growth:+.1} MB ({growth_pct:+.1} %), from the second second (after the ramp-up) to the last \
         {settled_growth:+.1} MB ({settled_pct:+.1} %): {}",
        p.load_seconds,
        p.samples.len(),
        mb(p.started_kib),
        mb(p.signed_in_kib),
        mb(p.after_kib),
        if flat { "flat" } else { "NOT flat" }
    );
    let per_second: Vec<String> = (0..p.load_seconds.ceil() as usize)
        .map(|s| format!("{:.0}", mb(p.mean_kib(s as f64, s as f64 + 1.0))))
        .collect();
    let _ = writeln!(
        out,
        "{item}mean RSS in each second of the load, MB: {}",
        per_second.join(", ")
    );
    if let Some(e) = &o.first_error {
        let _ = writeln!(out, "{item}first error: {e}");
    }
    out.push('\n');

    heading(&mut out, "Attachment targets", markdown);
    let worst = peak.max(p.hwm_kib);
    table(
        &mut out,
        &["target", "measured", "verdict"],
        &[
            vec![
                format!(
                    "server RSS ≤ {UPLOAD_RSS_TARGET_MB:.0} MB, {} clients uploading {}",
                    p.clients, p.size_label
                ),
                format!("{:.1} MB (peak of sampled VmRSS and VmHWM)", mb(worst)),
                at_most(mb(worst), UPLOAD_RSS_TARGET_MB),
            ],
            vec![
                format!(
                    "server RSS flat during that load (≤ {:.0} % growth after the first second)",
                    FLAT_GROWTH_PCT
                ),
                format!("{settled_growth:+.1} MB ({settled_pct:+.1} %) 2nd → last second"),
                if flat { "met" } else { "MISSED" }.to_owned(),
            ],
        ],
        markdown,
    );
    if busy {
        let _ = writeln!(
            out,
            "WARNING: other processes used over {OTHER_CPU_WARNING_PCT}% of the CPU during a measurement; \
             rerun on a quiet machine before reporting these numbers\n"
        );
    }
    out
}
