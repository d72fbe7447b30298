//! The CSV export, streamed to disk. The bytes go to a hidden `.part` file beside the
//! destination and are renamed into place only once the server finished the stream, so
//! the destination holds a complete export or nothing: never half a file that looks whole.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use futures::StreamExt;
use lifebuoy_domain::staff::QueueView;
use lifebuoy_domain::{Priority, Status};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use tokio::io::AsyncWriteExt;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use crate::api::{check, Api};
use crate::error::{ClientError, Result};

/// A server that sends nothing for this long has stopped; the export fails.
const IDLE_LIMIT: Duration = Duration::from_secs(60);
/// Progress is reported at most this often (and once at the end).
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// Which tickets to export: the list's filters, the queue's views among them, so "export
/// what I am looking at" is one filter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct ExportFilter {
    pub view: Option<QueueView>,
    /// Empty: every status.
    pub statuses: Vec<Status>,
    /// Empty: every priority.
    pub priorities: Vec<Priority>,
    pub category: Option<String>,
    /// A user id, `me` or `none` (unassigned).
    pub assignee: Option<String>,
    pub requester: Option<Uuid>,
    /// Created at or after this instant (the UI sends the user's local midnight).
    pub created_from: Option<DateTime<Utc>>,
    /// Created before this instant: the midnight after the last day wanted.
    pub created_before: Option<DateTime<Utc>>,
    /// Full text over subject, description and messages.
    pub text: Option<String>,
    /// Start with a UTF-8 byte order mark, which Excel needs to read accents right.
    pub bom: bool,
}

impl ExportFilter {
    /// The query string of `GET /api/v1/tickets/export.csv`.
    pub fn query(&self) -> Vec<(&'static str, String)> {
        let mut q: Vec<(&'static str, String)> = Vec::new();
        if let Some(view) = self.view {
            q.push(("view", view.as_str().to_owned()));
        }
        q.extend(
            self.statuses
                .iter()
                .map(|s| ("status", s.as_str().to_owned())),
        );
        q.extend(
            self.priorities
                .iter()
                .map(|p| ("priority", p.as_str().to_owned())),
        );
        fn text(v: &Option<String>) -> Option<&str> {
            v.as_deref().map(str::trim).filter(|t| !t.is_empty())
        }
        if let Some(c) = text(&self.category) {
            q.push(("category", c.to_owned()));
        }
        if let Some(a) = text(&self.assignee) {
            q.push(("assignee", a.to_owned()));
        }
        if let Some(r) = self.requester {
            q.push(("requester", r.to_string()));
        }
        let stamp = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        // The server compares strictly (`>`): "from" includes its own instant, so the
        // bound is the millisecond before it.
        if let Some(from) = self.created_from {
            q.push((
                "created_after",
                stamp(from - chrono::Duration::milliseconds(1)),
            ));
        }
        if let Some(before) = self.created_before {
            q.push(("created_before", stamp(before)));
        }
        if let Some(t) = text(&self.text) {
            q.push(("q", t.to_owned()));
        }
        if self.bom {
            q.push(("bom", "true".to_owned()));
        }
        q
    }
}

/// How far an export is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportProgress {
    pub rows: u64,
    pub bytes: u64,
    /// The server's `X-Total-Count`, when it sent one.
    pub total_rows: Option<u64>,
}

/// A finished export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportReport {
    pub path: PathBuf,
    pub rows: u64,
    pub bytes: u64,
}

/// Counts CSV records as the bytes pass: a newline inside a quoted cell is part of the
/// cell, not the end of a row.
#[derive(Debug, Default)]
pub(crate) struct RowCounter {
    quoted: bool,
    lines: u64,
    /// Bytes seen since the last record ended.
    open: bool,
}

impl RowCounter {
    pub(crate) fn feed(&mut self, chunk: &[u8]) {
        for &b in chunk {
            match b {
                b'"' => {
                    self.quoted = !self.quoted;
                    self.open = true;
                }
                b'\n' if !self.quoted => {
                    self.lines += 1;
                    self.open = false;
                }
                _ => self.open = true,
            }
        }
    }

    /// Complete records after the header line.
    pub(crate) fn rows(&self) -> u64 {
        self.lines.saturating_sub(1)
    }

    /// Records after the header once the stream ended: the last may lack its newline.
    pub(crate) fn finished_rows(&self) -> u64 {
        (self.lines + u64::from(self.open)).saturating_sub(1)
    }
}

/// The hidden file an export is written to; removed unless it was renamed into place,
/// also when the export future is dropped half-way.
struct PartFile {
    path: PathBuf,
    file: Option<tokio::fs::File>,
    kept: bool,
}

impl PartFile {
    async fn create(dest: &Path) -> Result<Self> {
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.is_empty())
            .ok_or_else(|| {
                ClientError::Invalid(format!("{} is not a file name", dest.display()))
            })?;
        let dir = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let suffix = uuid::Uuid::new_v4().simple().to_string();
        let path = dir.join(format!(".{name}.{}.part", &suffix[..8]));
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .await?;
        Ok(Self {
            path,
            file: Some(file),
            kept: false,
        })
    }

    async fn write(&mut self, bytes: &[u8]) -> Result<()> {
        match self.file.as_mut() {
            Some(f) => Ok(f.write_all(bytes).await?),
            None => Err(ClientError::Data(
                "the export file is already closed".into(),
            )),
        }
    }

    /// Makes the bytes durable, then puts the file where the user asked for it.
    async fn finish(mut self, dest: &Path) -> Result<()> {
        if let Some(mut f) = self.file.take() {
            f.flush().await?;
            f.sync_all().await?;
        }
        tokio::fs::rename(&self.path, dest).await?;
        self.kept = true;
        Ok(())
    }
}

impl Drop for PartFile {
    fn drop(&mut self) {
        if !self.kept {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn interrupted(rows: u64, total: Option<u64>, why: impl std::fmt::Display) -> ClientError {
    let done = match total {
        Some(t) => format!("{rows} of {t} rows"),
        None => format!("{rows} rows"),
    };
    ClientError::NeedsConnection {
        what: "The export".into(),
        detail: format!("the transfer broke off after {done}: {why}; nothing was saved"),
    }
}

impl Api {
    /// Streams `GET /api/v1/tickets/export.csv` into `dest`, reporting progress as it
    /// goes. On any failure or cancellation `dest` is left as it was.
    pub async fn export_csv(
        &self,
        filter: &ExportFilter,
        dest: &Path,
        progress: &mut (dyn FnMut(ExportProgress) + Send),
        cancel: &CancellationToken,
    ) -> Result<ExportReport> {
        let cancelled = || ClientError::Cancelled("The export".into());
        let mut part = PartFile::create(dest).await?;
        let req = self
            .request(Method::GET, "/api/v1/tickets/export.csv")
            .query(&filter.query());
        let res = tokio::select! {
            res = req.send() => res.map_err(ClientError::from_reqwest)?,
            () = cancel.cancelled() => return Err(cancelled()),
        };
        let res = check(res).await?;
        let total_rows = res
            .headers()
            .get("x-total-count")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse().ok());
        let mut now = ExportProgress {
            total_rows,
            ..ExportProgress::default()
        };
        progress(now);
        let mut last_report = Instant::now();
        let mut rows = RowCounter::default();
        let mut stream = res.bytes_stream();
        loop {
            let next = tokio::select! {
                next = tokio::time::timeout(IDLE_LIMIT, stream.next()) => next,
                () = cancel.cancelled() => return Err(cancelled()),
            };
            let chunk = match next {
                Ok(Some(Ok(chunk))) => chunk,
                Ok(None) => break,
                Ok(Some(Err(e))) => {
                    return Err(interrupted(rows.rows(), total_rows, e.without_url()))
                }
                Err(_) => {
                    return Err(interrupted(
                        rows.rows(),
                        total_rows,
                        "the server stopped sending",
                    ))
                }
            };
            part.write(&chunk).await?;
            rows.feed(&chunk);
            now.rows = rows.rows();
            now.bytes += chunk.len() as u64;
            if last_report.elapsed() >= PROGRESS_EVERY {
                progress(now);
                last_report = Instant::now();
            }
        }
        if cancel.is_cancelled() {
            return Err(cancelled());
        }
        part.finish(dest).await?;
        now.rows = rows.finished_rows();
        progress(now);
        Ok(ExportReport {
            path: dest.to_path_buf(),
            rows: now.rows,
            bytes: now.bytes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_records_not_lines() {
        let mut c = RowCounter::default();
        c.feed(b"\xEF\xBB\xBFnumber,subject\r\nLB-1,\"two\r\nlines\"\r\nLB-2,\"say \"\"hi");
        assert_eq!(c.rows(), 1, "the second record is still open");
        c.feed(b"\"\"\"\r\n");
        assert_eq!(c.rows(), 2);
        c.feed(b"LB-3,last");
        assert_eq!((c.rows(), c.finished_rows()), (2, 3));
        let mut header_only = RowCounter::default();
        header_only.feed(b"number,subject\r\n");
        assert_eq!(header_only.rows(), 0);
    }

    #[test]
    fn every_filter_becomes_the_servers_query_with_strict_time_bounds() {
        let at = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .map(|t| t.with_timezone(&Utc))
                .ok()
        };
        let requester = Uuid::from_u128(7);
        let filter = ExportFilter {
            view: Some(QueueView::UrgentHigh),
            statuses: vec![Status::New, Status::OnHold],
            priorities: vec![Priority::High],
            requester: Some(requester),
            // A user at UTC+1 picking 1 to 31 March.
            created_from: at("2026-02-28T23:00:00Z"),
            created_before: at("2026-03-31T22:00:00Z"),
            text: Some("  ".into()),
            category: Some("".into()),
            assignee: Some("none".into()),
            bom: true,
        };
        let q = filter.query();
        assert_eq!(
            q,
            vec![
                ("view", "urgent_high".to_owned()),
                ("status", "NEW".to_owned()),
                ("status", "ON_HOLD".to_owned()),
                ("priority", "HIGH".to_owned()),
                ("assignee", "none".to_owned()),
                ("requester", requester.to_string()),
                ("created_after", "2026-02-28T22:59:59.999Z".to_owned()),
                ("created_before", "2026-03-31T22:00:00.000Z".to_owned()),
                ("bom", "true".to_owned()),
            ]
        );
    }
}
