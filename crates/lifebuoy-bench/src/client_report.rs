//! The client sync results, as plain text or Markdown.

use std::fmt::Write;

use crate::client_probe::ProbeResult;
use crate::cpu::Share;
use crate::load::Outcome;
use crate::machine::Machine;
use crate::report::{
    at_most, heading, item, mb, preamble, table, thousands, RunInfo, OTHER_CPU_WARNING_PCT,
};

pub const FIRST_SYNC_TARGET_S: f64 = 3.0;
pub const CLIENT_RSS_TARGET_MB: f64 = 150.0;
/// "2 KB", read strictly as 2,000 bytes.
pub const INCREMENTAL_TARGET_BYTES: u64 = 2_000;
pub const FLUSH_TARGET_S: f64 = 3.0;
pub const EVENT_P99_TARGET_MS: f64 = 50.0;

pub struct ClientReport {
    pub command: String,
    pub machine: Machine,
    pub settings: String,
    pub db_bytes: u64,
    pub probe: ProbeResult,
    pub cpu: Share,
    pub server_hwm_kib: u64,
}

pub fn render(r: &ClientReport, markdown: bool) -> String {
    let mut out = String::new();
    let item = item(markdown);
    let m = &r.machine;
    let p = &r.probe;
    preamble(
        &mut out,
        markdown,
        &RunInfo {
            command: &r.command,
            machine: m,
            data: "data",
            sqlite: true,
            settings: &r.settings,
        },
    );
    let _ = writeln!(
        out,
        "{item}server database {:.1} MB; server VmHWM over the run {:.1} MB; CPU over the probe's life \
         (server/bench+probe/other): {:.0}/{:.0}/{:.0} %\n",
        r.db_bytes as f64 / 1e6,
        mb(r.server_hwm_kib),
        r.cpu.server,
        r.cpu.bench,
        r.cpu.other
    );

    heading(&mut out, "Client sync", markdown);
    let events = Outcome::from_latencies(p.event_latencies_us.clone(), 0, 0.0);
    let posts = Outcome::from_latencies(p.post_latencies_us.clone(), 0, 0.0);
    let dash = || "-".to_owned();
    let outbox_errors = p.outbox_failed
        + p.outbox_queued
            .saturating_sub(p.outbox_sent + p.outbox_failed);
    let mut rows = vec![
        vec![
            "first-sync".to_owned(),
            format!(
                "{} tickets, {} messages",
                p.first_sync_tickets, p.first_sync_messages
            ),
            "0".to_owned(),
            format!("{:.0}", p.first_sync_ms),
            thousands(p.first_sync_up),
            thousands(p.first_sync_down),
            dash(),
            dash(),
            format!("{:.1}", mb(p.hwm_after_first_sync_kib)),
        ],
        vec![
            "idle-sync".to_owned(),
            "no change".to_owned(),
            "0".to_owned(),
            dash(),
            thousands(p.idle_sync_up),
            thousands(p.idle_sync_down),
            dash(),
            dash(),
            dash(),
        ],
        vec![
            "incremental-sync".to_owned(),
            format!(
                "1 agent reply, {} message(s) arrived",
                p.incremental_messages
            ),
            if p.incremental_messages == 1 {
                "0"
            } else {
                "1"
            }
            .to_owned(),
            format!("{:.1}", p.incremental_ms),
            thousands(p.incremental_up),
            thousands(p.incremental_down),
            dash(),
            dash(),
            dash(),
        ],
        vec![
            "outbox-flush".to_owned(),
            format!("{} sent of {} queued", p.outbox_sent, p.outbox_queued),
            outbox_errors.to_string(),
            format!("{:.0}", p.outbox_flush_ms),
            thousands(p.outbox_up),
            thousands(p.outbox_down),
            dash(),
            dash(),
            dash(),
        ],
        vec![
            "agent-post".to_owned(),
            format!("{} posted", p.events_posted),
            p.events_post_errors.to_string(),
            dash(),
            dash(),
            dash(),
            format!("{:.2}", posts.percentile_ms(50.0)),
            format!("{:.2}", posts.percentile_ms(99.0)),
            dash(),
        ],
        vec![
            "reply-to-event".to_owned(),
            format!("{} timed, max {:.1} ms", events.ok, events.max_ms()),
            (p.events_missed + p.events_post_errors).to_string(),
            dash(),
            dash(),
            dash(),
            format!("{:.2}", events.percentile_ms(50.0)),
            format!("{:.2}", events.percentile_ms(99.0)),
            format!("{:.1}", mb(p.final_hwm_kib)),
        ],
    ];
    // Built as (name, what, errors, ...) but shown with errors second: "what" has spaces,
    // and a plain-text reader (the smoke test) finds the errors in a fixed column.
    for row in &mut rows {
        row.swap(1, 2);
    }
    table(
        &mut out,
        &[
            "measurement",
            "errors",
            "what",
            "time ms",
            "bytes up",
            "bytes down",
            "p50 ms",
            "p99 ms",
            "client VmHWM MB",
        ],
        &rows,
        markdown,
    );
    let _ = writeln!(
        out,
        "{item}sign-in {:.0} ms; {} local tickets after the first sync ({} pages); RSS after it {:.1} MB; \
         queueing the {} replies locally took {:.0} ms; a one-row commit in the client's data dir \
         (WAL, synchronous=FULL, as its store) p50 {:.2} ms, p99 {:.2} ms{}{}",
        p.login_ms,
        p.local_tickets,
        p.first_sync_pages,
        mb(p.rss_after_first_sync_kib),
        p.outbox_queued,
        p.outbox_queue_ms,
        f64::from(p.local_commit_p50_us) / 1000.0,
        f64::from(p.local_commit_p99_us) / 1000.0,
        p.outbox_interrupted
            .as_ref()
            .map(|e| format!("; the flush was interrupted: {e}"))
            .unwrap_or_default(),
        if p.events_lagged > 0 {
            format!("; the event listener lagged by {} events", p.events_lagged)
        } else {
            String::new()
        }
    );
    if let Some(e) = &p.first_error {
        let _ = writeln!(out, "{item}first error: {e}");
    }
    out.push('\n');

    heading(&mut out, "Client targets", markdown);
    let incremental = p.incremental_up + p.incremental_down;
    let rows = vec![
        vec![
            format!("first sync ≤ {FIRST_SYNC_TARGET_S} s"),
            format!("{:.2} s", p.first_sync_ms / 1000.0),
            at_most(p.first_sync_ms / 1000.0, FIRST_SYNC_TARGET_S),
        ],
        vec![
            format!("client RSS ≤ {CLIENT_RSS_TARGET_MB:.0} MB (VmHWM after the first sync)"),
            format!("{:.1} MB", mb(p.hwm_after_first_sync_kib)),
            at_most(mb(p.hwm_after_first_sync_kib), CLIENT_RSS_TARGET_MB),
        ],
        vec![
            format!(
                "one incremental change ≤ {} bytes (up + down)",
                thousands(INCREMENTAL_TARGET_BYTES)
            ),
            format!("{} bytes", thousands(incremental)),
            at_most(incremental as f64, INCREMENTAL_TARGET_BYTES as f64),
        ],
        vec![
            "the same, read as 2 KiB (2,048 bytes)".to_owned(),
            format!("{} bytes", thousands(incremental)),
            at_most(incremental as f64, 2_048.0),
        ],
        vec![
            format!(
                "outbox flush of {} replies ≤ {FLUSH_TARGET_S} s",
                p.outbox_queued
            ),
            format!("{:.2} s", p.outbox_flush_ms / 1000.0),
            if outbox_errors > 0 {
                format!("{outbox_errors} not sent")
            } else {
                at_most(p.outbox_flush_ms / 1000.0, FLUSH_TARGET_S)
            },
        ],
        vec![
            format!("reply-to-event p99 ≤ {EVENT_P99_TARGET_MS:.0} ms"),
            format!("{:.2} ms", events.percentile_ms(99.0)),
            if p.events_missed > 0 {
                format!("{} missed", p.events_missed)
            } else {
                at_most(events.percentile_ms(99.0), EVENT_P99_TARGET_MS)
            },
        ],
    ];
    table(
        &mut out,
        &["target", "measured", "verdict"],
        &rows,
        markdown,
    );
    if r.cpu.other > OTHER_CPU_WARNING_PCT {
        let _ = writeln!(
            out,
            "WARNING: other processes used {:.0}% of the CPU during the run; rerun on a quiet machine \
             before reporting these numbers\n",
            r.cpu.other
        );
    }
    out
}
