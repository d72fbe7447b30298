//! `GET /api/v1/tickets/export.csv`: every ticket matching the list's filters, one CSV
//! row each, streamed page by page so memory stays flat however many match.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use lifebuoy_domain::rules::Actor;
use lifebuoy_domain::wire::Problem;
use tokio_util::sync::CancellationToken;

use super::list_query;
use crate::error::{Error, Result};
use crate::extract::CurrentUser;
use crate::state::AppState;
use crate::store::export::{ExportRow, EXPORT_PAGE};
use crate::store::{Store, TicketFilter};

const COLUMNS: [&str; 14] = [
    "number",
    "subject",
    "status",
    "priority",
    "category",
    "requester_name",
    "requester_email",
    "assignee_name",
    "created_at",
    "updated_at",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "message_count",
];

/// Excel reads a file as UTF-8 only when it starts with this mark.
const BOM: &str = "\u{feff}";

/// A spreadsheet runs a cell that starts with one of these as a formula (CSV injection);
/// a leading apostrophe makes it show the text instead.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// The tickets the list would show for the same filters, as CSV: ticket-number order,
/// RFC 4180 quoting, CRLF line ends, UTC RFC 3339 times (empty when unset), formula-like
/// cells neutralised. `X-Total-Count` is how many matched when the export began. The
/// list's `sort`, `limit` and `cursor` are accepted, so a list's query can be passed as it
/// is, and ignored. A download that fails part-way ends without its final chunk, so it
/// is seen as incomplete, never as a shorter file. Staff only.
#[utoipa::path(get, path = "/api/v1/tickets/export.csv", tag = "staff",
    security(("bearer" = [])),
    params(
        ("status" = Option<Vec<lifebuoy_domain::Status>>, Query, description = "Repeatable, or comma-separated"),
        ("priority" = Option<lifebuoy_domain::Priority>, Query),
        ("category" = Option<String>, Query),
        ("assignee" = Option<String>, Query, description = "A user id, `me` or `none`"),
        ("q" = Option<String>, Query, description = "Full text over subject, description and messages, or a ticket number such as LB-000042"),
        ("created_after" = Option<String>, Query, description = "RFC 3339"),
        ("created_before" = Option<String>, Query, description = "RFC 3339"),
        ("bom" = Option<bool>, Query, description = "Start with a UTF-8 byte order mark, for Excel"),
    ),
    responses(
        (status = 200, content_type = "text/csv", body = String,
            headers(("X-Total-Count" = i64, description = "Rows matching when the export began"))),
        (status = 403, body = Problem),
        (status = 422, body = Problem)))]
pub async fn export_csv(
    State(state): State<AppState>,
    me: CurrentUser,
    RawQuery(query): RawQuery,
) -> Result<Response> {
    if !me.user.role.is_staff() {
        return Err(Error::Forbidden(
            "only support staff can export tickets".to_owned(),
        ));
    }
    let (bom, rest) = take_bom(query.as_deref().unwrap_or(""))?;
    let filter = list_query::parse(Some(&rest), me.user.id)?;
    let total = state.store.export_count(me.actor(), &filter).await?;
    let mut preamble = if bom {
        BOM.as_bytes().to_vec()
    } else {
        Vec::new()
    };
    write_rows(&mut preamble, &[], true)?;
    let pages = Pages {
        store: Arc::clone(&state.store),
        viewer: me.actor(),
        filter,
        after: 0,
        preamble: Some(preamble),
        done: false,
        shutdown: state.shutdown.clone(),
    };
    let body = futures::stream::try_unfold(pages, |pages| async move {
        pages.next().await.map_err(|e| {
            tracing::error!(error = %e, "the CSV export failed part-way; the download is cut off");
            std::io::Error::other(e.to_string())
        })
    });
    let filename = format!(
        "attachment; filename=\"lifebuoy-tickets-{}.csv\"",
        Utc::now().format("%Y-%m-%d")
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (header::CONTENT_DISPOSITION, header_value(&filename)?),
            (
                header::HeaderName::from_static("x-total-count"),
                header_value(&total.to_string())?,
            ),
        ],
        Body::from_stream(body),
    )
        .into_response())
}

fn header_value(text: &str) -> Result<HeaderValue> {
    HeaderValue::from_str(text).map_err(Error::internal)
}

/// Splits `bom` off the query; the rest is the list's query, parsed by its own rules.
fn take_bom(raw: &str) -> Result<(bool, String)> {
    let mut bom = false;
    let mut rest = form_urlencoded::Serializer::new(String::new());
    for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
        if key == "bom" {
            bom = match value.trim() {
                "true" | "1" => true,
                "false" | "0" | "" => false,
                _ => {
                    return Err(Error::Validation(vec![lifebuoy_domain::FieldError::new(
                        "bom",
                        "bom must be true or false".to_owned(),
                    )]))
                }
            };
        } else {
            rest.append_pair(&key, &value);
        }
    }
    Ok((bom, rest.finish()))
}

/// Where the export is: each step reads one page after `after` and encodes it.
struct Pages {
    store: Arc<dyn Store>,
    viewer: Actor,
    filter: TicketFilter,
    after: i64,
    /// The byte order mark and header row, sent with the first page.
    preamble: Option<Vec<u8>>,
    done: bool,
    shutdown: CancellationToken,
}

impl Pages {
    async fn next(mut self) -> Result<Option<(Bytes, Self)>> {
        if self.done {
            return Ok(None);
        }
        if self.shutdown.is_cancelled() {
            return Err(Error::Unavailable("the server is shutting down".to_owned()));
        }
        let rows = self
            .store
            .export_page(self.viewer, &self.filter, self.after, EXPORT_PAGE)
            .await?;
        self.done = rows.len() < EXPORT_PAGE as usize;
        let mut out = self.preamble.take().unwrap_or_default();
        write_rows(&mut out, &rows, false)?;
        if let Some(last) = rows.last() {
            self.after = last.seq;
        }
        if out.is_empty() {
            return Ok(None);
        }
        Ok(Some((Bytes::from(out), self)))
    }
}

fn time(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default()
}

/// Appends `rows` (or the header row) to `out` as CSV.
fn write_rows(out: &mut Vec<u8>, rows: &[ExportRow], header: bool) -> Result<()> {
    let mut csv = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    let failed = |e: csv::Error| Error::Internal(format!("writing CSV: {e}"));
    if header {
        csv.write_record(COLUMNS).map_err(failed)?;
    }
    for row in rows {
        let cells: [String; 14] = [
            row.number.clone(),
            row.subject.clone(),
            row.status.to_string(),
            row.priority.to_string(),
            row.category.clone(),
            row.requester_name.clone(),
            row.requester_email.clone(),
            row.assignee_name.clone().unwrap_or_default(),
            time(Some(row.created_at)),
            time(Some(row.updated_at)),
            time(row.first_response_at),
            time(row.resolved_at),
            time(row.closed_at),
            row.message_count.to_string(),
        ];
        csv.write_record(cells.iter().map(|c| neutralise(c).into_owned()))
            .map_err(failed)?;
    }
    csv.flush()
        .map_err(|e| Error::Internal(format!("writing CSV: {e}")))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised_and_nothing_else_is() {
        for risky in ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"] {
            assert_eq!(neutralise(risky), format!("'{risky}"));
        }
        for plain in [
            "",
            "Printer jams",
            "a=b",
            " =1",
            "'quoted",
            "LB-000001",
            "ünï",
        ] {
            assert_eq!(neutralise(plain), plain);
        }
    }

    #[test]
    fn bom_is_taken_off_and_the_rest_kept() {
        let (bom, rest) = take_bom("status=NEW&bom=true&q=a%20b").unwrap_or_default();
        assert!(bom);
        assert_eq!(rest, "status=NEW&q=a+b");
        assert!(matches!(take_bom("bom=yes"), Err(Error::Validation(_))));
        assert_eq!(take_bom("").ok(), Some((false, String::new())));
    }
}
