//! The ticket list's query string. Parsed by hand because `status` repeats; unknown
//! parameters are refused, so a typo never silently widens a search.

use chrono::{DateTime, Utc};
use lifebuoy_domain::staff::QueueView;
use lifebuoy_domain::wire::TicketSort;
use lifebuoy_domain::{FieldError, Priority, Status};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::store::cursor::{search_words, Cursor};
use crate::store::{AssigneeFilter, TicketFilter};

pub const DEFAULT_LIMIT: u32 = 25;
pub const MAX_LIMIT: u32 = 100;
const KNOWN: &str = "status, priority, category, assignee, requester, view, q, created_after, \
    created_before, sort, limit, cursor";

fn bad(field: &str, message: String) -> FieldError {
    FieldError::new(field, message)
}

fn time(field: &str, value: &str) -> Result<DateTime<Utc>, FieldError> {
    DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            bad(
                field,
                format!("{field} must be an RFC 3339 time such as 2026-01-31T09:00:00Z"),
            )
        })
}

/// `LB-42` or `lb-000042`; bare digits stay a word search (they match words in text).
fn ticket_number(value: &str) -> Option<i64> {
    let digits = value
        .get(..3)
        .filter(|prefix| prefix.eq_ignore_ascii_case("lb-"))
        .and_then(|_| value.get(3..))?;
    lifebuoy_domain::parse_ticket_number(digits)
}

fn view(value: &str) -> Result<QueueView, FieldError> {
    serde_json::from_value(serde_json::Value::String(value.to_owned())).map_err(|_| {
        let names: Vec<String> = QueueView::ALL
            .iter()
            .filter_map(|v| serde_json::to_value(v).ok())
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        bad("view", format!("view must be one of: {}", names.join(", ")))
    })
}

/// Parses the list query. `me` is the caller, for `assignee=me`.
pub fn parse(raw: Option<&str>, me: Uuid) -> Result<TicketFilter> {
    let mut filter = TicketFilter {
        limit: DEFAULT_LIMIT,
        ..TicketFilter::default()
    };
    let mut cursor = None;
    let mut errors = Vec::new();
    for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        let value = value.trim();
        let outcome: Result<(), FieldError> = match key.as_ref() {
            "status" => value
                .split(',')
                .map(|s| s.trim().parse::<Status>().map_err(|e| bad("status", e)))
                .try_for_each(|s| s.map(|s| filter.statuses.push(s))),
            "priority" => value
                .split(',')
                .map(|p| p.trim().parse::<Priority>().map_err(|e| bad("priority", e)))
                .try_for_each(|p| p.map(|p| filter.priorities.push(p))),
            "view" => view(value).map(|v| filter.view = Some(v)),
            "requester" => Uuid::parse_str(value)
                .map(|id| filter.requester = Some(id))
                .map_err(|_| bad("requester", "requester must be a user id".into())),
            "category" if !value.is_empty() => {
                filter.category = Some(value.to_owned());
                Ok(())
            }
            "category" => Ok(()),
            "assignee" => match value {
                "me" => {
                    filter.assignee = Some(AssigneeFilter::User(me));
                    Ok(())
                }
                "none" => {
                    filter.assignee = Some(AssigneeFilter::Unassigned);
                    Ok(())
                }
                other => Uuid::parse_str(other)
                    .map(|id| filter.assignee = Some(AssigneeFilter::User(id)))
                    .map_err(|_| {
                        bad(
                            "assignee",
                            "assignee must be a user id, `me` or `none`".into(),
                        )
                    }),
            },
            // A ticket number as people write it finds that ticket: the words "lb" and
            // "000042" would find nothing, numbers not being in the searched text.
            "q" => {
                match ticket_number(value) {
                    Some(n) => filter.number = Some(n),
                    None => filter.search = search_words(value),
                }
                Ok(())
            }
            "created_after" => time("created_after", value).map(|t| filter.created_after = Some(t)),
            "created_before" => {
                time("created_before", value).map(|t| filter.created_before = Some(t))
            }
            "sort" => match value {
                "updated_desc" => Ok(TicketSort::UpdatedDesc),
                "created_desc" => Ok(TicketSort::CreatedDesc),
                "priority_desc" => Ok(TicketSort::PriorityDesc),
                _ => Err(bad(
                    "sort",
                    "sort must be updated_desc, created_desc or priority_desc".into(),
                )),
            }
            .map(|sort| filter.sort = sort),
            "limit" => match value.parse::<i64>() {
                Ok(n) if n >= 1 => {
                    filter.limit = n.min(i64::from(MAX_LIMIT)) as u32;
                    Ok(())
                }
                _ => Err(bad(
                    "limit",
                    format!("limit must be a whole number from 1 to {MAX_LIMIT}"),
                )),
            },
            "cursor" => {
                cursor = Some(value.to_owned());
                Ok(())
            }
            other => Err(bad(
                other,
                format!("unknown query parameter `{other}`; known ones are: {KNOWN}"),
            )),
        };
        if let Err(e) = outcome {
            errors.push(e);
        }
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    if let Some(text) = cursor.filter(|c| !c.is_empty()) {
        filter.after = Some(Cursor::decode(&text, filter.sort)?);
    }
    Ok(filter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_and_comma_separated_statuses_both_work() {
        let f = parse(
            Some("status=NEW&status=ON_HOLD,CLOSED&limit=500"),
            Uuid::nil(),
        );
        let f = f.unwrap_or_default();
        assert_eq!(
            f.statuses,
            vec![Status::New, Status::OnHold, Status::Closed]
        );
        assert_eq!(f.limit, MAX_LIMIT);
    }

    #[test]
    fn priorities_repeat_and_views_parse() {
        let f = parse(
            Some("priority=HIGH&priority=URGENT,LOW&view=urgent_high"),
            Uuid::nil(),
        )
        .unwrap_or_default();
        assert_eq!(
            f.priorities,
            vec![Priority::High, Priority::Urgent, Priority::Low]
        );
        assert_eq!(f.view, Some(QueueView::UrgentHigh));
        match parse(Some("view=everything&requester=me"), Uuid::nil()) {
            Err(Error::Validation(errs)) => {
                assert!(
                    errs[0].message.contains("unassigned"),
                    "{}",
                    errs[0].message
                );
                assert_eq!(errs[1].field, "requester");
            }
            _ => panic!("expected a 422"),
        }
    }

    #[test]
    fn bad_values_and_unknown_keys_are_named() {
        match parse(Some("priority=SUPER&colour=red&limit=0"), Uuid::nil()) {
            Err(Error::Validation(errs)) => {
                let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, ["priority", "colour", "limit"]);
            }
            _ => panic!("expected a 422"),
        }
    }
}
