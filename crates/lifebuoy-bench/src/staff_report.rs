//! The `staff` group's results, with its targets and verdicts.

use std::fmt::Write;

use crate::cpu::Share;
use crate::load::Outcome;
use crate::machine::Machine;
use crate::report::{
    at_most, code, cpu_cell, heading, item, mb, preamble, table, thousands, RunInfo,
};

pub const QUEUE_P99_TARGET_MS: f64 = 15.0;
pub const STATS_P99_TARGET_MS: f64 = 100.0;
pub const EXPORT_RSS_TARGET_MB: f64 = 100.0;

pub struct QueueRow {
    pub workload: &'static str,
    pub clients: usize,
    pub outcome: Outcome,
    pub peak_rss_kib: u64,
}

pub struct ExportRun {
    pub rows: u64,
    pub bytes: u64,
    pub seconds: f64,
    /// Until the status line and headers arrived (the count is taken before the first row).
    pub first_byte: f64,
    pub rss_before_kib: u64,
    pub peak_rss_kib: u64,
    pub cpu: Share,
}

pub struct SizeRun {
    pub tickets: u64,
    pub db_bytes: u64,
    /// Each queue workload's query string.
    pub queries: Vec<(&'static str, String)>,
    pub rows: Vec<QueueRow>,
    pub export: ExportRun,
}

pub struct StaffReport {
    pub command: String,
    pub machine: Machine,
    pub settings: String,
    pub sizes: Vec<SizeRun>,
}

pub fn render(r: &StaffReport, markdown: bool) -> String {
    let mut out = String::new();
    let m = &r.machine;
    let item = item(markdown);
    preamble(
        &mut out,
        markdown,
        &RunInfo {
            command: &r.command,
            machine: m,
            data: "databases",
            sqlite: true,
            settings: &r.settings,
        },
    );
    let _ = writeln!(
        out,
        "{item}CPU column: share of the whole machine used by server/bench/everything else, in %\n"
    );

    let mut targets = Vec::new();
    for size in &r.sizes {
        heading(
            &mut out,
            &format!("Staff workspace, {} tickets", thousands(size.tickets)),
            markdown,
        );
        let _ = writeln!(
            out,
            "{item}database: {} tickets, {:.0} MB",
            thousands(size.tickets),
            size.db_bytes as f64 / 1e6
        );
        for (name, query) in &size.queries {
            let _ = writeln!(
                out,
                "{item}{name}: {}",
                code(&format!("GET /api/v1/tickets?{query}"), markdown)
            );
        }
        out.push('\n');
        let rows: Vec<Vec<String>> = size
            .rows
            .iter()
            .map(|row| {
                let o = &row.outcome;
                vec![
                    row.workload.to_owned(),
                    row.clients.to_string(),
                    o.ok.to_string(),
                    o.errors.to_string(),
                    format!("{:.0}", o.per_second()),
                    format!("{:.2}", o.percentile_ms(50.0)),
                    format!("{:.2}", o.percentile_ms(99.0)),
                    format!("{:.1}", o.max_ms()),
                    format!("{:.1}", mb(row.peak_rss_kib)),
                    cpu_cell(&o.cpu),
                ]
            })
            .collect();
        table(
            &mut out,
            &[
                "workload",
                "clients",
                "ok",
                "errors",
                "req/s",
                "p50 ms",
                "p99 ms",
                "max ms",
                "peak RSS MB",
                "CPU %",
            ],
            &rows,
            markdown,
        );
        let e = &size.export;
        table(
            &mut out,
            &[
                "export.csv",
                "rows",
                "MB",
                "headers after s",
                "total s",
                "rows/s",
                "RSS before MB",
                "peak RSS MB",
                "CPU %",
            ],
            &[vec![
                "all tickets".to_owned(),
                e.rows.to_string(),
                format!("{:.1}", e.bytes as f64 / 1e6),
                format!("{:.3}", e.first_byte),
                format!("{:.1}", e.seconds),
                format!("{:.0}", e.rows as f64 / e.seconds.max(1e-9)),
                format!("{:.1}", mb(e.rss_before_kib)),
                format!("{:.1}", mb(e.peak_rss_kib)),
                cpu_cell(&e.cpu),
            ]],
            markdown,
        );
        let n = thousands(size.tickets);
        for row in &size.rows {
            let p99 = row.outcome.percentile_ms(99.0);
            let (what, target) = if row.workload == "stats" {
                ("stats p99", STATS_P99_TARGET_MS)
            } else {
                (row.workload, QUEUE_P99_TARGET_MS)
            };
            let label = if row.workload == "stats" {
                format!("{what} ≤ {target:.0} ms")
            } else {
                format!("{what} p99 ≤ {target:.0} ms")
            };
            targets.push(vec![
                label,
                n.clone(),
                format!("{p99:.2} ms"),
                at_most(p99, target),
            ]);
        }
        let peak = mb(e.peak_rss_kib);
        targets.push(vec![
            format!("export peak RSS ≤ {EXPORT_RSS_TARGET_MB:.0} MB"),
            n.clone(),
            format!("{peak:.1} MB"),
            at_most(peak, EXPORT_RSS_TARGET_MB),
        ]);
    }
    heading(&mut out, "Targets", markdown);
    table(
        &mut out,
        &["target", "tickets", "measured", "verdict"],
        &targets,
        markdown,
    );
    out
}
