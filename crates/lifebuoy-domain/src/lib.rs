//! Lifebuoy's domain: the types every part of the system agrees on.
//!
//! The server, the client crate and the desktop app all speak these types, so the
//! rules they encode (which status moves are legal, what a valid subject is) are
//! decided once, here, and not re-implemented at each edge.

mod error;
mod priority;
mod role;
pub mod rules;
pub mod staff;
mod status;
pub mod validation;
pub mod wire;

pub use error::{DomainError, FieldError};
pub use priority::Priority;
pub use role::Role;
pub use status::Status;

/// A search uses at most this many words of what was typed.
pub const MAX_SEARCH_WORDS: usize = 16;

/// The words of what someone typed into a search box, lowercase: the runs of letters and
/// digits. The server and the client's lists split text alike, so the same words find
/// the same tickets on either side.
pub fn search_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// Human-friendly ticket number from the server's ticket sequence, e.g. `LB-000042`.
pub fn ticket_number(seq: i64) -> String {
    format!("LB-{seq:06}")
}

/// Parses `LB-000042` (or `42`) back to its sequence value.
pub fn parse_ticket_number(text: &str) -> Option<i64> {
    let digits = text
        .trim()
        .strip_prefix("LB-")
        .or_else(|| text.trim().strip_prefix("lb-"))
        .unwrap_or(text.trim());
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|n| *n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticket_numbers_round_trip() {
        assert_eq!(ticket_number(42), "LB-000042");
        assert_eq!(ticket_number(1_234_567), "LB-1234567");
        assert_eq!(parse_ticket_number("LB-000042"), Some(42));
        assert_eq!(parse_ticket_number("42"), Some(42));
        assert_eq!(parse_ticket_number("LB-"), None);
        assert_eq!(parse_ticket_number("LB-0"), None);
        assert_eq!(parse_ticket_number("LB-12a"), None);
    }
}
