//! How a full-text `q` is run, decided per request from the indexes themselves.
//!
//! Two plans, each fast where the other is slow:
//! - **sparse**: collect every matching ticket first (`t.seq IN (…)`), then filter and sort
//!   them. Cheap when few tickets match; for a word in 40 % of 100,000 tickets it built a
//!   set of ~100,000 rows on every page (~150 ms).
//! - **dense**: walk the tickets in the page's sort order and test each one for a match
//!   (`EXISTS`, a rowid seek in the full-text index), stopping at the page's end. Cheap when
//!   matches are common; hopeless when nothing matches (it tests every ticket).
//!
//! Counting matches (of the expanded words) up to [`DENSE_AT`] tells them apart in a tenth
//! of a millisecond. A requester's search always walks: their own tickets are few, while
//! the index's matches are everyone's.
//!
//! Prefix terms (`"print"*`) make FTS5 merge the lists of every word with that prefix on
//! each use (~2 ms for a common word at 100,000 tickets, in the count as in each test); so
//! each word is first expanded into the words it stands for (`("printer" OR "printers")`),
//! which is the same match, unless there are too many of them. The words come from the
//! table of every indexed word (`search_words`, and the words of the last few hundred
//! texts not yet moved there: migration 0007), a range seek.

use lifebuoy_domain::rules::Actor;
use sqlx::SqliteConnection;

use crate::error::Result;

/// Matches (in tickets or in messages) from which walking the sort order wins.
const DENSE_AT: i64 = 400;
/// Words a prefix may stand for before it is left to FTS5 as a prefix.
const MAX_EXPANSION: i64 = 24;

/// A search, ready for `push_filters`.
#[derive(Debug, Clone)]
pub(in crate::store::sqlite) struct Search {
    /// An FTS5 expression, made of quoted words only.
    pub expr: String,
    /// Walk the sort order and test each ticket, instead of collecting every match.
    pub dense: bool,
}

fn quote(word: &str) -> String {
    format!("\"{}\"", word.replace('"', "\"\""))
}

/// The words of the indexes that start with `prefix`, or `None` if there are too many.
async fn expand(conn: &mut SqliteConnection, prefix: &str) -> Result<Option<Vec<String>>> {
    let mut upper = prefix.to_owned();
    upper.push(char::MAX);
    let words: Vec<String> = sqlx::query_scalar(
        "SELECT term FROM search_words WHERE term >= ?1 AND term < ?2 \
         UNION SELECT term FROM search_words_recent_terms WHERE term >= ?1 AND term < ?2 \
         ORDER BY 1 LIMIT ?3",
    )
    .bind(prefix)
    .bind(&upper)
    .bind(MAX_EXPANSION + 1)
    .fetch_all(&mut *conn)
    .await?;
    Ok((words.len() as i64 <= MAX_EXPANSION).then_some(words))
}

/// Plans the search for `words` (lowercase, as `cursor::search_words` gives them); `None`
/// if no indexed word starts with one of them, so that no ticket can match.
pub(in crate::store::sqlite) async fn plan(
    conn: &mut SqliteConnection,
    viewer: Actor,
    words: &[String],
) -> Result<Option<Search>> {
    let mut terms = Vec::with_capacity(words.len());
    for word in words {
        // The words are kept as the tokenizer leaves them (folded, without
        // diacritics); only plain ASCII is spelled the same in the query, so only that is
        // looked up. Anything else stays a prefix, which FTS5 folds itself.
        let expanded = if word.is_ascii() {
            expand(conn, word).await?
        } else {
            None
        };
        terms.push(match expanded {
            Some(found) if found.is_empty() => return Ok(None),
            Some(found) => {
                let alternatives: Vec<String> = found.iter().map(|w| quote(w)).collect();
                format!("({})", alternatives.join(" OR "))
            }
            None => format!("{}*", quote(word)),
        });
    }
    let expr = terms.join(" AND ");
    let dense = !viewer.role.is_staff() || {
        let (in_tickets, in_messages): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM (SELECT rowid FROM tickets_fts \
                        WHERE tickets_fts MATCH ?1 LIMIT ?2)), \
                    (SELECT COUNT(*) FROM (SELECT rowid FROM messages_fts \
                        WHERE messages_fts MATCH ?1 LIMIT ?2))",
        )
        .bind(&expr)
        .bind(DENSE_AT)
        .fetch_one(&mut *conn)
        .await?;
        in_tickets >= DENSE_AT || in_messages >= DENSE_AT
    };
    Ok(Some(Search { expr, dense }))
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
