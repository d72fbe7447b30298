//! How a full-text `q` is run, decided per request from the indexes themselves.
//!
//! Two plans, each fast where the other is slow:
//! - **sparse**: collect every matching ticket first (`t.seq IN (…)`), then filter and sort
//!   them. Cheap when few tickets match; for a word in 40 % of 100,000 tickets it built a
//!   set of ~100,000 rows on every page (~150 ms).
//! - **dense**: walk the tickets in the page's sort order and test each one for a match,
//!   stopping at the page's end. Cheap when matches are common; hopeless when nothing
//!   matches (it tests every ticket).
//!
//! Counting matches (of the expanded words) up to [`DENSE_AT`] tells them apart in a tenth
//! of a millisecond. A requester's search always walks: their own tickets are few, while
//! the index's matches are everyone's.
//!
//! Prefix terms (`"print"*`) make FTS5 merge the lists of every word with that prefix on
//! each use (~2 ms for a common word at 100,000 tickets); so each word is first expanded
//! into the words it stands for (`("printer" OR "printers")`), which is the same match,
//! unless there are too many of them. The words come from the table of every indexed word
//! (`search_words`, and the words of the last few hundred texts not yet moved there:
//! migration 0007), a range seek.
//!
//! The dense plan's test reads the ticket's own text where that gives the index's answer
//! for certain. A test in the index (`EXISTS … MATCH … AND rowid = t.seq`) costs 10–40 µs
//! (FTS5 looks each word up in every segment and reads its list up to the ticket), and once
//! more per message; ~2.5 tickets are tested per row shown for a word in 40 % of them.
//! For a word of ASCII letters and digits the ticket's own text gives the same answer
//! (`word_test`) on ASCII text, in a microsecond or two; text with any other character
//! is still tested in the index.

use lifebuoy_domain::rules::Actor;
use rusqlite::Connection;

use super::sql::Sql;
use super::word_test;
use crate::error::Result;

/// Matches (in tickets or in messages) from which walking the sort order wins.
const DENSE_AT: i64 = 400;
/// Words a prefix may stand for before it is left to FTS5 as a prefix.
const MAX_EXPANSION: i64 = 24;

/// What a list's words (`TicketFilter::search`) leave to do.
#[derive(Debug)]
pub(in crate::store::sqlite) enum Plan {
    /// No words: the list is not searched.
    Everything,
    /// No indexed word starts with one of the words: no ticket can match.
    Nothing,
    Search(Search),
}

impl Plan {
    /// The condition for `push_filters`, if any.
    pub fn search(&self) -> Option<&Search> {
        match self {
            Plan::Search(search) => Some(search),
            Plan::Everything | Plan::Nothing => None,
        }
    }
}

/// A search, ready for `push_filters`.
#[derive(Debug)]
pub(in crate::store::sqlite) struct Search {
    /// An FTS5 expression, made of quoted words only.
    pub expr: String,
    /// Walk the sort order and test each ticket, instead of collecting every match.
    pub dense: bool,
    /// The searched words, to be tested on ASCII text directly (see `word_test`);
    /// empty unless every word is ASCII letters and digits.
    pub plain: Vec<String>,
}

fn quote(word: &str) -> String {
    format!("\"{}\"", word.replace('"', "\"\""))
}

/// Plans the search for `words` (lowercase, as `cursor::search_words` gives them).
///
/// One statement does it all: every ASCII word is expanded into the indexed
/// words it starts (`x{i}`, `e{i}`), the FTS5 expression is put together (`p`), and for
/// staff the matches are counted up to [`DENSE_AT`]. The words are kept as the tokenizer
/// leaves them (folded, without diacritics); only plain ASCII is spelled the same in the
/// query, so only that is looked up. Anything else stays a prefix, which FTS5 folds itself.
pub(in crate::store::sqlite) fn plan(
    conn: &Connection,
    viewer: Actor,
    words: &[String],
) -> Result<Plan> {
    if words.is_empty() {
        return Ok(Plan::Everything);
    }
    let mut qb = Sql::new("WITH ");
    let mut expanded = Vec::new();
    for (i, word) in words.iter().enumerate().filter(|(_, w)| w.is_ascii()) {
        let upper = format!("{word}{}", char::MAX);
        // Limits are written, not bound: SQLite plans `LIMIT ?` with the bound value, so a
        // bound limit would compile the statement again on every use.
        qb.push(format_args!(
            "x{i}(term) AS (SELECT term FROM search_words WHERE term >= "
        ))
        .push_bind(word.clone())
        .push(" AND term < ")
        .push_bind(upper.clone())
        .push(" UNION SELECT term FROM search_words_recent_terms WHERE term >= ")
        .push_bind(word.clone())
        .push(" AND term < ")
        .push_bind(upper)
        .push(format_args!(
            " ORDER BY 1 LIMIT {}), e{i}(n, alternatives) AS (SELECT count(*), \
             '(' || group_concat('\"' || replace(term, '\"', '\"\"') || '\"', ' OR ') || ')' \
             FROM x{i}), ",
            MAX_EXPANSION + 1
        ));
        expanded.push(format!("e{i}"));
    }
    qb.push("p(none_found, expr) AS (SELECT ");
    match expanded.is_empty() {
        true => qb.push("0"),
        false => qb.push(
            expanded
                .iter()
                .map(|e| format!("{e}.n = 0"))
                .collect::<Vec<_>>()
                .join(" OR "),
        ),
    };
    qb.push(", ");
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            qb.push(" || ' AND ' || ");
        }
        let prefix = format!("{}*", quote(word));
        if word.is_ascii() {
            qb.push(format_args!("CASE WHEN e{i}.n > {MAX_EXPANSION} THEN "))
                .push_bind(prefix)
                .push(format_args!(" ELSE e{i}.alternatives END"));
        } else {
            qb.push_bind(prefix);
        }
    }
    if !expanded.is_empty() {
        qb.push(" FROM ").push(expanded.join(", "));
    }
    qb.push(") SELECT p.none_found, p.expr, ");
    if viewer.role.is_staff() {
        // A 400th match in either index, found by skipping to it; the second is not
        // looked at when the first has it.
        let offset = DENSE_AT - 1;
        qb.push(format_args!(
            "NOT p.none_found AND ((SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH p.expr \
             LIMIT 1 OFFSET {offset}) IS NOT NULL OR (SELECT rowid FROM messages_fts \
             WHERE messages_fts MATCH p.expr LIMIT 1 OFFSET {offset}) IS NOT NULL)"
        ));
    } else {
        // A requester's search always walks their own few tickets.
        qb.push("1");
    }
    qb.push(" FROM p");
    let (nothing, expr, dense): (bool, Option<String>, bool) = conn
        .prepare_cached(qb.text())?
        .query_row(qb.params(), |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?;
    let expr = match expr {
        Some(expr) if !nothing => expr,
        _ => return Ok(Plan::Nothing),
    };
    let plain = |w: &String| w.bytes().all(|b| b.is_ascii_alphanumeric());
    let plain = match words.iter().all(plain) {
        true => words.to_vec(),
        false => Vec::new(),
    };
    Ok(Plan::Search(Search { expr, dense, plain }))
}

/// The full-text condition on `t`, by the plan chosen.
pub(in crate::store::sqlite) fn push(qb: &mut Sql, viewer: Actor, search: &Search) {
    let visible = if viewer.role.is_staff() {
        ""
    } else {
        " AND m.internal = 0"
    };
    if search.dense {
        qb.push(" AND (");
        push_document(
            qb,
            search,
            &["t.subject", "t.description"],
            "tickets_fts",
            "t.seq",
        );
        qb.push(" OR EXISTS (SELECT 1 FROM messages m WHERE m.ticket_seq = t.seq")
            .push(visible)
            .push(" AND ");
        push_document(qb, search, &["m.body"], "messages_fts", "m.seq");
        qb.push("))");
    } else {
        qb.push(" AND (t.seq IN (SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH ")
            .push_bind(search.expr.clone())
            .push(
                ") OR t.seq IN (SELECT m.ticket_seq FROM messages_fts f JOIN messages m \
                   ON m.seq = f.rowid WHERE messages_fts MATCH ",
            )
            .push_bind(search.expr.clone())
            .push(visible)
            .push("))");
    }
}

/// Whether one row of a full-text index (`rowid`, indexing the text of `columns`) matches:
/// on the text itself when it is all ASCII, else in the index.
fn push_document(qb: &mut Sql, search: &Search, columns: &[&str], index: &str, rowid: &str) {
    // `COALESCE` stops at the first value that is not NULL: the index is asked only when
    // the text is not plain ASCII.
    if !search.plain.is_empty() {
        qb.push(format_args!("COALESCE({}(", word_test::NAME))
            .push_bind(search.plain.join(" "));
        for column in columns {
            qb.push(", ").push(column);
        }
        qb.push("), ");
    }
    qb.push(format_args!(
        "EXISTS (SELECT 1 FROM {index} WHERE {index} MATCH "
    ))
    .push_bind(search.expr.clone())
    .push(format_args!(" AND rowid = {rowid})"));
    if !search.plain.is_empty() {
        qb.push(")");
    }
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn words_are_quoted_for_fts5() {
        assert_eq!(quote("printer"), "\"printer\"");
        assert_eq!(quote("a\"b"), "\"a\"\"b\"");
    }
}
