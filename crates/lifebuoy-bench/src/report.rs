//! Results as plain-text tables for a terminal, or Markdown for BENCHMARKS.md.

use std::fmt::Write;

use crate::cpu::Share;
use crate::load::Outcome;
use crate::machine::Machine;

pub const CREATE_TARGET_PER_S: f64 = 3_000.0;
pub const LIST_P99_TARGET_MS: f64 = 10.0;
pub const RSS_TARGET_MB: f64 = 100.0;

pub struct Row {
    pub workload: &'static str,
    pub outcome: Outcome,
    pub peak_rss_kib: u64,
    /// The floor this workload is compared with, and that floor's requests per second.
    pub floor: (&'static str, f64),
}

pub struct SizeResult {
    pub tickets: u64,
    pub messages: u64,
    pub db_bytes: u64,
    pub generated: String,
    /// The deep cursor's row in the list, and the list's length when it was taken.
    pub deep_at: (u64, u64),
    pub rows: Vec<Row>,
    /// Resident memory when the server answered its first health check.
    pub started_rss_kib: u64,
    /// ... and after the bench's two sign-ins, before any load.
    pub signed_in_rss_kib: u64,
    pub hwm_kib: u64,
    pub sqlite_floor: Outcome,
}

pub struct Floors {
    pub body_bytes: usize,
    pub get: Outcome,
    pub post: Outcome,
}

pub struct Report {
    pub command: String,
    pub machine: Machine,
    pub settings: String,
    pub floors: Floors,
    pub sizes: Vec<SizeResult>,
}

pub fn mb(kib: u64) -> f64 {
    kib as f64 * 1024.0 / 1e6
}

pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn outcome_cells(o: &Outcome) -> Vec<String> {
    vec![
        o.ok.to_string(),
        o.errors.to_string(),
        format!("{:.0}", o.per_second()),
        format!("{:.2}", o.percentile_ms(50.0)),
        format!("{:.2}", o.percentile_ms(99.0)),
        format!("{:.1}", o.max_ms()),
    ]
}

/// The first column is left-aligned, the rest right-aligned, so numbers line up.
pub fn table(out: &mut String, headers: &[&str], rows: &[Vec<String>], markdown: bool) {
    if markdown {
        let _ = writeln!(out, "| {} |", headers.join(" | "));
        let rule: Vec<&str> = (0..headers.len())
            .map(|i| if i == 0 { "---" } else { "---:" })
            .collect();
        let _ = writeln!(out, "|{}|", rule.join("|"));
        for row in rows {
            let _ = writeln!(out, "| {} |", row.join(" | "));
        }
        out.push('\n');
        return;
    }
    let mut widths: Vec<usize> = headers.iter().map(|h| h.len()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (c, w))| {
                if i == 0 {
                    format!("{c:<w$}")
                } else {
                    format!("{c:>w$}")
                }
            })
            .collect::<Vec<_>>()
            .join("  ")
    };
    let _ = writeln!(out, "{}", line(headers.to_vec()));
    for row in rows {
        let _ = writeln!(out, "{}", line(row.iter().map(String::as_str).collect()));
    }
    out.push('\n');
}

pub fn heading(out: &mut String, text: &str, markdown: bool) {
    if markdown {
        let _ = writeln!(out, "### {text}\n");
    } else {
        let _ = writeln!(out, "== {text} ==");
    }
}

/// Above this share of the machine, something else was competing for the CPU.
pub const OTHER_CPU_WARNING_PCT: f64 = 5.0;

/// The CPU column: server/bench/everything else, in % of the machine.
pub fn cpu_cell(c: &Share) -> String {
    format!("{:.0}/{:.0}/{:.0}", c.server, c.bench, c.other)
}

/// A list item's lead: Markdown bullets, or nothing on a terminal.
pub fn item(markdown: bool) -> &'static str {
    if markdown {
        "- "
    } else {
        ""
    }
}

pub fn code(s: &str, markdown: bool) -> String {
    if markdown {
        format!("`{s}`")
    } else {
        s.to_owned()
    }
}

/// How a group was run, for the lines its results open with.
pub struct RunInfo<'a> {
    pub command: &'a str,
    pub machine: &'a Machine,
    /// What lives on the measured filesystem ("databases", "data", …).
    pub data: &'a str,
    /// Whether the build line names the SQLite version (the groups that measure it).
    pub sqlite: bool,
    pub settings: &'a str,
}

/// The lines every group's results open with: how it was run, and on what machine.
pub fn preamble(out: &mut String, markdown: bool, run: &RunInfo<'_>) {
    let item = item(markdown);
    let m = run.machine;
    let _ = writeln!(out, "{item}command: {}", code(run.command, markdown));
    let _ = writeln!(
        out,
        "{item}machine: {} × {}, {:.1} GiB RAM, {}, kernel {}, {} on {}",
        m.cores, m.cpu, m.memory_gib, m.os, m.kernel, run.data, m.filesystem
    );
    if run.sqlite {
        let _ = writeln!(out, "{item}build: {}; SQLite {}", m.build, m.sqlite);
    } else {
        let _ = writeln!(out, "{item}build: {}", m.build);
    }
    let _ = writeln!(out, "{item}{}", run.settings);
}

pub fn render(r: &Report, markdown: bool) -> String {
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
        "{item}CPU column: share of the whole machine (all cores) used by server/bench/everything else \
         during the workload, warm-up included, in %\n"
    );

    heading(&mut out, "Floors", markdown);
    let f = &r.floors;
    let mut floors = vec![
        ("http GET constant JSON".to_owned(), &f.get),
        (
            "http POST ticket body, constant JSON back".to_owned(),
            &f.post,
        ),
    ];
    for size in &r.sizes {
        floors.push((
            format!(
                "sqlite insert, 1 row/transaction (before {})",
                thousands(size.tickets)
            ),
            &size.sqlite_floor,
        ));
    }
    let rows: Vec<Vec<String>> = floors
        .into_iter()
        .map(|(name, o)| {
            let mut cells = vec![name];
            cells.extend(outcome_cells(o));
            cells.push(cpu_cell(&o.cpu));
            cells
        })
        .collect();
    table(
        &mut out,
        &[
            "floor", "ok", "errors", "per s", "p50 ms", "p99 ms", "max ms", "CPU %",
        ],
        &rows,
        markdown,
    );
    let _ = writeln!(
        out,
        "{item}the constant JSON answer is {} bytes, about one ticket\n",
        f.body_bytes
    );

    for size in &r.sizes {
        size_section(&mut out, size, markdown);
    }
    heading(&mut out, "Targets", markdown);
    table(
        &mut out,
        &["target", "tickets", "measured", "verdict"],
        &targets(r),
        markdown,
    );
    let mut measured: Vec<(String, &Outcome)> = vec![
        ("the HTTP GET floor".to_owned(), &f.get),
        ("the HTTP POST floor".to_owned(), &f.post),
    ];
    for size in &r.sizes {
        let at = thousands(size.tickets);
        // Not the SQLite floor: the kernel threads that write its commits to disk count as
        // "other", so it would always warn.
        for row in &size.rows {
            measured.push((format!("{} at {at}", row.workload), &row.outcome));
        }
    }
    let crowded: Vec<String> = measured
        .into_iter()
        .filter(|(_, o)| o.cpu.other > OTHER_CPU_WARNING_PCT)
        .map(|(name, _)| name)
        .collect();
    if !crowded.is_empty() {
        let _ = writeln!(
            out,
            "WARNING: other processes used over {OTHER_CPU_WARNING_PCT:.0}% of the CPU during: {}; \
             those numbers are not from a quiet machine.",
            crowded.join(", ")
        );
    }
    out
}

fn size_section(out: &mut String, size: &SizeResult, markdown: bool) {
    let item = item(markdown);
    heading(
        out,
        &format!("{} tickets", thousands(size.tickets)),
        markdown,
    );
    let _ = writeln!(
        out,
        "{item}database: {} tickets, {} messages, {:.0} MB, {}; deep cursor at row {} of {}",
        thousands(size.tickets),
        thousands(size.messages),
        size.db_bytes as f64 / 1e6,
        size.generated,
        thousands(size.deep_at.0),
        thousands(size.deep_at.1)
    );
    let _ = writeln!(
        out,
        "{item}server RSS: {:.1} MB when first healthy, {:.1} MB after two sign-ins, \
         {:.1} MB peak over the whole run (VmHWM)\n",
        mb(size.started_rss_kib),
        mb(size.signed_in_rss_kib),
        mb(size.hwm_kib)
    );
    let rows: Vec<Vec<String>> = size
        .rows
        .iter()
        .map(|row| {
            let ratio = row.outcome.per_second() / row.floor.1.max(f64::MIN_POSITIVE);
            let mut cells = vec![row.workload.to_owned()];
            cells.extend(outcome_cells(&row.outcome));
            cells.push(format!("{:.1}", mb(row.peak_rss_kib)));
            cells.push(cpu_cell(&row.outcome.cpu));
            cells.push(format!("{:.1}% of {}", ratio * 100.0, row.floor.0));
            cells
        })
        .collect();
    table(
        out,
        &[
            "workload",
            "ok",
            "errors",
            "req/s",
            "p50 ms",
            "p99 ms",
            "max ms",
            "peak RSS MB",
            "CPU %",
            "vs floor",
        ],
        &rows,
        markdown,
    );
    if let Some(create) = size.rows.iter().find(|row| row.workload == "create") {
        let floor = size.sqlite_floor.per_second();
        let _ = writeln!(
            out,
            "{item}create ÷ SQLite insert floor: {:.0} / {:.0} = {:.2}",
            create.outcome.per_second(),
            floor,
            create.outcome.per_second() / floor.max(f64::MIN_POSITIVE)
        );
    }
    for row in size.rows.iter().filter(|row| row.outcome.errors > 0) {
        let _ = writeln!(
            out,
            "{item}{} had {} errors; the first: {}",
            row.workload,
            row.outcome.errors,
            row.outcome.first_error.as_deref().unwrap_or("?")
        );
    }
    out.push('\n');
}

/// For a target the measure must stay under.
pub fn at_most(measured: f64, target: f64) -> String {
    verdict(measured <= target, measured, target)
}

fn verdict(ok: bool, measured: f64, target: f64) -> String {
    if ok {
        "met".to_owned()
    } else {
        format!(
            "MISSED by {:.0}%",
            ((measured - target) / target * 100.0).abs()
        )
    }
}

fn targets(r: &Report) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for size in &r.sizes {
        let tickets = thousands(size.tickets);
        for row in &size.rows {
            let o = &row.outcome;
            if row.workload == "create" {
                let v = o.per_second();
                rows.push(vec![
                    format!("create ≥ {CREATE_TARGET_PER_S:.0}/s"),
                    tickets.clone(),
                    format!("{v:.0}/s"),
                    verdict(
                        o.errors == 0 && v >= CREATE_TARGET_PER_S,
                        v,
                        CREATE_TARGET_PER_S,
                    ),
                ]);
            }
            if row.workload.starts_with("list") {
                let v = o.percentile_ms(99.0);
                rows.push(vec![
                    format!("{} p99 ≤ {LIST_P99_TARGET_MS:.0} ms", row.workload),
                    tickets.clone(),
                    format!("{v:.2} ms"),
                    verdict(
                        o.errors == 0 && v <= LIST_P99_TARGET_MS,
                        v,
                        LIST_P99_TARGET_MS,
                    ),
                ]);
            }
        }
        let v = mb(size.hwm_kib);
        rows.push(vec![
            format!("server RSS ≤ {RSS_TARGET_MB:.0} MB"),
            tickets,
            format!("{v:.1} MB"),
            at_most(v, RSS_TARGET_MB),
        ]);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(100_000), "100,000");
    }

    #[test]
    fn text_tables_align_and_markdown_tables_have_rules() {
        let rows = vec![vec!["create".to_owned(), "12".to_owned()]];
        let mut text = String::new();
        table(&mut text, &["workload", "n"], &rows, false);
        assert_eq!(text, "workload   n\ncreate    12\n\n");
        let mut md = String::new();
        table(&mut md, &["workload", "n"], &rows, true);
        assert!(md.starts_with("| workload | n |\n|---|---:|\n| create | 12 |"));
    }
}
