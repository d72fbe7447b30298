//! The staff queue over the local store: views, filters, search and sorting in SQL, so
//! it works offline and stays quick with every ticket of the desk cached.

use chrono::{DateTime, Utc};
use lifebuoy_domain::staff::{QueueCounts, QueueView, ViewAssignee, ViewFilter};
use lifebuoy_domain::wire::TicketSort;
use lifebuoy_domain::{Priority, Status};
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::tickets::LocalTicket;
use super::LocalStore;
use crate::error::Result;

/// Whose tickets, by assignee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AssigneeFilter {
    Me,
    Nobody,
    User { id: Uuid },
}

/// What the queue shows. Every condition narrows the list (the view's too).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct QueueFilter {
    pub view: Option<QueueView>,
    /// Empty: any status.
    pub statuses: Vec<Status>,
    /// Empty: any priority.
    pub priorities: Vec<Priority>,
    pub category: Option<String>,
    pub assignee: Option<AssigneeFilter>,
    pub requester: Option<Uuid>,
    pub created_after: Option<DateTime<Utc>>,
    pub created_before: Option<DateTime<Utc>>,
    /// Matched, ignoring case, against the number, subject, description and the
    /// messages this user can see.
    pub text: Option<String>,
    pub sort: TicketSort,
    pub limit: Option<u32>,
}

const PRIORITY_RANK: &str = "CASE t.priority WHEN 'URGENT' THEN 4 WHEN 'HIGH' THEN 3 \
     WHEN 'MEDIUM' THEN 2 ELSE 1 END";

/// SQL conditions with their parameters, built up one filter at a time.
#[derive(Default)]
struct Conditions {
    sql: Vec<String>,
    params: Vec<Value>,
}

impl Conditions {
    fn bind(&mut self, value: Value) -> String {
        self.params.push(value);
        format!("?{}", self.params.len())
    }

    fn one_of(&mut self, column: &str, values: Vec<&str>) {
        if values.is_empty() {
            return;
        }
        let slots: Vec<String> = values
            .into_iter()
            .map(|v| self.bind(Value::Text(v.to_owned())))
            .collect();
        self.sql.push(format!("{column} IN ({})", slots.join(", ")));
    }

    fn assignee(&mut self, who: &AssigneeFilter, me: Uuid) {
        match who {
            AssigneeFilter::Nobody => self.sql.push("t.assignee_id IS NULL".into()),
            AssigneeFilter::Me => {
                let slot = self.bind(Value::Text(me.to_string()));
                self.sql.push(format!("t.assignee_id = {slot}"));
            }
            AssigneeFilter::User { id } => {
                let slot = self.bind(Value::Text(id.to_string()));
                self.sql.push(format!("t.assignee_id = {slot}"));
            }
        }
    }

    fn view(&mut self, filter: &ViewFilter, me: Uuid) {
        self.one_of(
            "t.status",
            filter.statuses.iter().map(|s| s.as_str()).collect(),
        );
        self.one_of(
            "t.priority",
            filter.priorities.iter().map(|p| p.as_str()).collect(),
        );
        match filter.assignee {
            Some(ViewAssignee::Me) => self.assignee(&AssigneeFilter::Me, me),
            Some(ViewAssignee::Nobody) => self.assignee(&AssigneeFilter::Nobody, me),
            None => {}
        }
    }

    fn clause(&self) -> String {
        if self.sql.is_empty() {
            "1".into()
        } else {
            self.sql.join(" AND ")
        }
    }
}

impl LocalStore {
    /// The queue for staff user `me`. A ticket is unread when its requester filed it or
    /// wrote since `me` last opened it.
    pub fn queue_tickets(&self, filter: &QueueFilter, me: Uuid) -> Result<Vec<LocalTicket>> {
        let mut c = Conditions::default();
        if let Some(view) = filter.view {
            c.view(&view.filter(), me);
        }
        c.one_of(
            "t.status",
            filter.statuses.iter().map(|s| s.as_str()).collect(),
        );
        c.one_of(
            "t.priority",
            filter.priorities.iter().map(|p| p.as_str()).collect(),
        );
        if let Some(category) = filter.category.as_deref().filter(|s| !s.is_empty()) {
            let slot = c.bind(Value::Text(category.to_owned()));
            c.sql.push(format!("t.category = {slot}"));
        }
        if let Some(who) = &filter.assignee {
            c.assignee(who, me);
        }
        if let Some(requester) = filter.requester {
            let slot = c.bind(Value::Text(requester.to_string()));
            c.sql.push(format!("t.requester_id = {slot}"));
        }
        if let Some(after) = filter.created_after {
            let slot = c.bind(Value::Integer(after.timestamp_millis()));
            c.sql.push(format!("t.created_at >= {slot}"));
        }
        if let Some(before) = filter.created_before {
            let slot = c.bind(Value::Integer(before.timestamp_millis()));
            c.sql.push(format!("t.created_at < {slot}"));
        }
        if let Some(text) = filter
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            // Like the server's search (so "Export these" saves what is shown): every word
            // of what was typed, in the ticket's own text or all in one message. Words
            // match anywhere in a word here, the server only at its start: a superset.
            // instr, not LIKE: the user's % and _ are plain characters.
            let words: Vec<String> = lifebuoy_domain::search_words(text)
                .take(lifebuoy_domain::MAX_SEARCH_WORDS)
                .collect();
            if !words.is_empty() {
                let slots: Vec<String> =
                    words.into_iter().map(|w| c.bind(Value::Text(w))).collect();
                let all_in = |haystack: &str| {
                    slots
                        .iter()
                        .map(|slot| format!("instr({haystack}, {slot}) > 0"))
                        .collect::<Vec<_>>()
                        .join(" AND ")
                };
                let own = all_in(
                    "lower(json_extract(t.json, '$.number') || ' ' || \
                     json_extract(t.json, '$.subject') || ' ' || \
                     json_extract(t.json, '$.description'))",
                );
                let message = all_in("lower(json_extract(m.json, '$.body'))");
                c.sql.push(format!(
                    "(({own}) OR EXISTS (SELECT 1 FROM messages m WHERE m.ticket_key = t.key \
                     AND {message}))"
                ));
            }
        }
        let order = match filter.sort {
            TicketSort::UpdatedDesc => "t.updated_at DESC, t.key DESC".to_owned(),
            TicketSort::CreatedDesc => "t.created_at DESC, t.key DESC".to_owned(),
            TicketSort::PriorityDesc => {
                format!("{PRIORITY_RANK} DESC, t.updated_at DESC, t.key DESC")
            }
        };
        let limit = filter.limit.map(i64::from).unwrap_or(-1);
        let sql = format!(
            "SELECT t.key, t.pending, t.json, t.attachments, \
             t.requester_activity_at > t.seen_at FROM tickets t WHERE {} ORDER BY {order} LIMIT {limit}",
            c.clause()
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(c.params.iter()), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, bool>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, bool>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (key, pending, json, files, unread) = row?;
            out.push(LocalTicket {
                key,
                pending,
                unread: unread && !pending,
                ticket: serde_json::from_str(&json)?,
                attachments: serde_json::from_str(&files)?,
            });
        }
        Ok(out)
    }

    /// How many tickets each view holds, in one pass over the store.
    pub fn queue_counts(&self, me: Uuid) -> Result<QueueCounts> {
        let mut c = Conditions::default();
        let mut sums = Vec::new();
        for view in QueueView::ALL {
            let mut one = Conditions {
                sql: Vec::new(),
                params: std::mem::take(&mut c.params),
            };
            one.view(&view.filter(), me);
            sums.push(format!(
                "COALESCE(SUM(CASE WHEN {} THEN 1 ELSE 0 END), 0) AS {}",
                one.clause(),
                view.as_str()
            ));
            c.params = one.params;
        }
        let sql = format!("SELECT {} FROM tickets t", sums.join(", "));
        let counts =
            self.conn
                .query_row(&sql, rusqlite::params_from_iter(c.params.iter()), |r| {
                    Ok(QueueCounts {
                        mine: r.get(0)?,
                        unassigned: r.get(1)?,
                        urgent_high: r.get(2)?,
                        waiting_for_user: r.get(3)?,
                        on_hold: r.get(4)?,
                        all_open: r.get(5)?,
                        resolved: r.get(6)?,
                    })
                })?;
        Ok(counts)
    }

    /// Everyone tickets are assigned to in the store: who can be picked when the
    /// server's list of agents is out of reach.
    pub fn assignees_seen(&self) -> Result<Vec<lifebuoy_domain::wire::UserRef>> {
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT json_extract(json, '$.assignee.id'), json_extract(json, '$.assignee.name') \
             FROM tickets WHERE assignee_id IS NOT NULL",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get::<_, Option<String>>(1)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            if let (Some(id), Some(name)) = row? {
                if let Ok(id) = id.parse() {
                    out.push(lifebuoy_domain::wire::UserRef { id, name });
                }
            }
        }
        Ok(out)
    }
}
