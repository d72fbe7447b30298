//! Opaque list cursors and safe full-text queries.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use lifebuoy_domain::wire::TicketSort;

use crate::error::{Error, Result};

/// The last row of a page, in the sort's key. Keyset pagination: a page never shifts
/// when tickets are inserted ahead of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub sort: TicketSort,
    pub priority: i64,
    pub updated_at: i64,
    pub seq: i64,
}

fn sort_tag(sort: TicketSort) -> &'static str {
    match sort {
        TicketSort::UpdatedDesc => "u",
        TicketSort::CreatedDesc => "c",
        TicketSort::PriorityDesc => "p",
    }
}

impl Cursor {
    pub fn encode(&self) -> String {
        let raw = format!(
            "v1:{}:{}:{}:{}",
            sort_tag(self.sort),
            self.priority,
            self.updated_at,
            self.seq
        );
        URL_SAFE_NO_PAD.encode(raw)
    }

    /// A cursor must come from a page of the same sort.
    pub fn decode(text: &str, sort: TicketSort) -> Result<Self> {
        let bad = || {
            Error::BadRequest(
                "The cursor is not valid for this list; start again from the first page (omit cursor)."
                    .to_owned(),
            )
        };
        let bytes = URL_SAFE_NO_PAD.decode(text.trim()).map_err(|_| bad())?;
        let raw = String::from_utf8(bytes).map_err(|_| bad())?;
        let parts: Vec<&str> = raw.split(':').collect();
        let [version, tag, priority, updated_at, seq] = parts.as_slice() else {
            return Err(bad());
        };
        if *version != "v1" || *tag != sort_tag(sort) {
            return Err(bad());
        }
        Ok(Cursor {
            sort,
            priority: priority.parse().map_err(|_| bad())?,
            updated_at: updated_at.parse().map_err(|_| bad())?,
            seq: seq.parse().map_err(|_| bad())?,
        })
    }
}

/// The words of what a user typed, lowercase, at most 16: letters and digits only, so that
/// quoted (see `sqlite::search`) none can ever be FTS5 syntax. A ticket matches when it has
/// a word starting with each of them.
pub fn search_words(text: &str) -> Vec<String> {
    lifebuoy_domain::search_words(text)
        .take(lifebuoy_domain::MAX_SEARCH_WORDS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_tampering() {
        let c = Cursor {
            sort: TicketSort::PriorityDesc,
            priority: 3,
            updated_at: 1_700_000_000_000,
            seq: 42,
        };
        let text = c.encode();
        assert_eq!(
            Cursor::decode(&text, TicketSort::PriorityDesc).ok(),
            Some(c)
        );
        assert!(Cursor::decode(&text, TicketSort::UpdatedDesc).is_err());
        assert!(Cursor::decode("garbage!", TicketSort::UpdatedDesc).is_err());
        assert!(Cursor::decode(
            &URL_SAFE_NO_PAD.encode("v1:p:x:1:2"),
            TicketSort::PriorityDesc
        )
        .is_err());
    }

    #[test]
    fn search_text_becomes_plain_words() {
        assert_eq!(search_words("Printer JAMS!"), ["printer", "jams"]);
        // Operators become plain words: they can never be FTS5 syntax.
        assert_eq!(search_words("\" OR NEAR( *"), ["or", "near"]);
        assert!(search_words("\"(*)\"").is_empty());
        assert!(search_words("  ").is_empty());
    }
}
