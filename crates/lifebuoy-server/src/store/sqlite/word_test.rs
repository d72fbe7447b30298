//! `lb_words_start(words, text, …)`: the dense search walk's test on a row's own text.
//!
//! The index's tokenizer (`unicode61 remove_diacritics 2`) splits ASCII text at every
//! character that is not an ASCII letter or digit and only lowercases it, so for a word of
//! ASCII letters and digits, "a word of this ASCII text starts with it" is exactly the
//! index's prefix match. The function answers that for every word (space-separated, each
//! lowercase ASCII letters and digits) against the texts given, each text on its own (a
//! word never runs from one column into the next): 1 if each word starts a word of some
//! text, 0 if not, and NULL when a text is not plain ASCII (or has a NUL, or is not text),
//! which the tokenizer may fold or split otherwise: the caller then asks the index.
//!
//! Done in SQL (`lower`, `instr`, `substr`, `GLOB` on the texts joined) the test was about
//! a fifth of a searched page's CPU: each text was lowercased and copied for each use.

use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::types::ValueRef;
use rusqlite::Connection;

pub(super) const NAME: &str = "lb_words_start";

/// Makes the function available on `conn` (the reader threads' connections).
pub(super) fn register(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        NAME,
        -1,
        FunctionFlags::SQLITE_UTF8
            | FunctionFlags::SQLITE_DETERMINISTIC
            | FunctionFlags::SQLITE_INNOCUOUS,
        words_start,
    )
}

fn words_start(ctx: &Context<'_>) -> rusqlite::Result<Option<bool>> {
    let words = match ctx.get_raw(0) {
        ValueRef::Text(words) => words,
        _ => return Ok(None),
    };
    let mut texts = Vec::with_capacity(ctx.len().saturating_sub(1));
    for i in 1..ctx.len() {
        match ctx.get_raw(i) {
            ValueRef::Text(text) if text.iter().all(|&b| b != 0 && b.is_ascii()) => {
                texts.push(text)
            }
            _ => return Ok(None),
        }
    }
    Ok(Some(words.split(|&b| b == b' ').all(|word| {
        texts.iter().any(|text| starts_a_word(text, word))
    })))
}

/// Whether `word` (lowercase) starts a word of `text` (ASCII, any case): found at the
/// text's start or after a character that is not a letter or digit.
fn starts_a_word(text: &[u8], word: &[u8]) -> bool {
    let Some((&first, _)) = word.split_first() else {
        return true;
    };
    if text.len() < word.len() {
        return false;
    }
    (0..=text.len() - word.len()).any(|i| {
        text[i].to_ascii_lowercase() == first
            && (i == 0 || !text[i - 1].is_ascii_alphanumeric())
            && text[i..i + word.len()].eq_ignore_ascii_case(word)
    })
}

#[cfg(test)]
mod tests {
    use rusqlite::{Connection, OptionalExtension};

    use super::register;

    fn memory() -> Connection {
        let conn = Connection::open_in_memory().expect("memory db");
        register(&conn).expect("register");
        conn
    }

    fn test(conn: &Connection, words: &str, texts: &[&str]) -> Option<bool> {
        let args = vec!["?"; texts.len() + 1].join(", ");
        let mut params = vec![words];
        params.extend_from_slice(texts);
        conn.query_row(
            &format!("SELECT lb_words_start({args})"),
            rusqlite::params_from_iter(params),
            |row| row.get(0),
        )
        .expect("word test")
    }

    #[test]
    fn a_word_is_found_at_the_start_of_a_word_in_any_case() {
        let conn = memory();
        for (text, word, found) in [
            ("Printer JAMS", "jam", true),
            ("reprint", "print", false),
            ("re-print_it", "print", true),
            ("LB-00042 or 420", "42", true),
            ("LB-00042", "42", false),
            ("reprinted, then printed", "print", true),
            ("reprinted, then misprinted", "print", false),
            ("", "a", false),
            ("pr", "printer", false),
        ] {
            assert_eq!(test(&conn, word, &[text]), Some(found), "{text} {word}");
        }
    }

    #[test]
    fn every_word_must_start_a_word_of_some_text_and_none_spans_two() {
        let conn = memory();
        assert_eq!(
            test(&conn, "printer jam", &["Printer", "it jams"]),
            Some(true)
        );
        assert_eq!(
            test(&conn, "printer fuser", &["Printer", "jams"]),
            Some(false)
        );
        // The end of one text and the start of the next are not one word.
        assert_eq!(test(&conn, "printer", &["pri", "nter"]), Some(false));
    }

    #[test]
    fn text_that_is_not_plain_ascii_is_left_to_the_index() {
        let conn = memory();
        assert_eq!(test(&conn, "cafe", &["café"]), None);
        assert_eq!(test(&conn, "a", &["a\0b"]), None);
        assert_eq!(test(&conn, "a", &["plain", "Übung"]), None);
        let null: Option<bool> = conn
            .query_row("SELECT lb_words_start('a', NULL)", [], |row| row.get(0))
            .expect("null");
        assert_eq!(null, None);
    }

    /// Every ASCII character between two words, against SQLite's own tokenizer as the
    /// indexes use it: the function must split exactly where it splits.
    #[test]
    fn ascii_splits_exactly_where_the_index_tokenizer_does() {
        let conn = memory();
        conn.execute(
            "CREATE VIRTUAL TABLE t USING fts5(a, tokenize='unicode61 remove_diacritics 2')",
            [],
        )
        .expect("fts5");
        for c in 1u8..128 {
            let text = format!("x{}Qzy", c as char);
            conn.execute(
                "INSERT INTO t (rowid, a) VALUES (?, ?)",
                rusqlite::params![i64::from(c), text],
            )
            .expect("insert");
            let indexed: Option<i64> = conn
                .query_row(
                    "SELECT rowid FROM t WHERE t MATCH '\"qz\"*' AND rowid = ?",
                    [i64::from(c)],
                    |row| row.get(0),
                )
                .optional()
                .expect("match");
            assert_eq!(
                test(&conn, "qz", &[&text]),
                Some(indexed.is_some()),
                "{text:?}"
            );
        }
    }
}
