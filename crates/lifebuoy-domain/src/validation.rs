//! Input rules of the v1 contract. Every edge (server, client, UI) checks with these,
//! so a message a user sees at the field is the one the server would have answered.

use crate::FieldError;

pub const SUBJECT_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 20_000;
pub const BODY_MAX: usize = 20_000;
pub const CATEGORY_MAX: usize = 60;
pub const NAME_MAX: usize = 100;
pub const EMAIL_MAX: usize = 254;
pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 1024;
pub const ARTICLE_MAX: usize = 500;
pub const IDEMPOTENCY_KEY_MAX: usize = 255;
/// `context` and `system_info` are free-form, but bounded so they cannot bloat every row.
pub const OBJECT_MAX_BYTES: usize = 16 * 1024;
pub const DEFAULT_CATEGORY: &str = "general";
/// How many files one ticket or message may carry.
pub const MAX_ATTACHMENTS: usize = 10;

/// Collects every field problem of one request, so the user fixes them all at once.
#[derive(Debug, Default)]
pub struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the value if it passed, records the problem otherwise.
    pub fn check<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.errors.push(e);
                None
            }
        }
    }

    pub fn push(&mut self, error: FieldError) {
        self.errors.push(error);
    }

    pub fn finish(self) -> Result<(), crate::DomainError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(crate::DomainError::Validation(self.errors))
        }
    }
}

fn bounded_text(
    field: &str,
    value: &str,
    max: usize,
    single_line: bool,
) -> Result<String, FieldError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(FieldError::new(field, format!("{field} must not be empty")));
    }
    let count = trimmed.chars().count();
    if count > max {
        return Err(FieldError::new(
            field,
            format!("{field} is {count} characters long; at most {max} are allowed"),
        ));
    }
    let bad_control = |c: char| c.is_control() && (single_line || !matches!(c, '\n' | '\t' | '\r'));
    if trimmed.chars().any(bad_control) {
        return Err(FieldError::new(
            field,
            if single_line {
                format!("{field} must be a single line without control characters")
            } else {
                format!("{field} must not contain control characters")
            },
        ));
    }
    Ok(trimmed.to_owned())
}

pub fn subject(value: &str) -> Result<String, FieldError> {
    bounded_text("subject", value, SUBJECT_MAX, true)
}

pub fn description(value: &str) -> Result<String, FieldError> {
    bounded_text("description", value, DESCRIPTION_MAX, false)
}

pub fn body(value: &str) -> Result<String, FieldError> {
    bounded_text("body", value, BODY_MAX, false)
}

pub fn category(value: &str) -> Result<String, FieldError> {
    bounded_text("category", value, CATEGORY_MAX, true)
}

pub fn name(value: &str) -> Result<String, FieldError> {
    bounded_text("name", value, NAME_MAX, true)
}

pub fn related_article(value: &str) -> Result<String, FieldError> {
    bounded_text("related_article_id", value, ARTICLE_MAX, true)
}

/// Emails are compared case-insensitively, so they are stored lower-cased.
pub fn email(value: &str) -> Result<String, FieldError> {
    let v = value.trim().to_lowercase();
    let well_formed = v.len() <= EMAIL_MAX
        && !v.chars().any(|c| c.is_whitespace() || c.is_control())
        && matches!(v.split_once('@'), Some((local, domain))
            if !local.is_empty() && !domain.is_empty() && !domain.contains('@'));
    if well_formed {
        Ok(v)
    } else {
        Err(FieldError::new(
            "email",
            "email must look like name@example.com",
        ))
    }
}

pub fn password(value: &str) -> Result<(), FieldError> {
    let n = value.chars().count();
    if n < PASSWORD_MIN {
        return Err(FieldError::new(
            "password",
            format!("password must be at least {PASSWORD_MIN} characters long"),
        ));
    }
    if n > PASSWORD_MAX {
        return Err(FieldError::new(
            "password",
            format!("password must be at most {PASSWORD_MAX} characters long"),
        ));
    }
    Ok(())
}

/// `context` and `system_info` must be JSON objects of bounded size.
pub fn json_object(field: &str, value: &serde_json::Value) -> Result<(), FieldError> {
    if !value.is_object() {
        return Err(FieldError::new(
            field,
            format!("{field} must be a JSON object"),
        ));
    }
    let size = serde_json::to_string(value)
        .map(|s| s.len())
        .unwrap_or(usize::MAX);
    if size > OBJECT_MAX_BYTES {
        return Err(FieldError::new(
            field,
            format!("{field} is {size} bytes; at most {OBJECT_MAX_BYTES} are allowed"),
        ));
    }
    Ok(())
}

/// Idempotency keys are client-generated, visible ASCII, at most 255 characters.
pub fn idempotency_key(value: &str) -> Result<String, FieldError> {
    let ok = !value.is_empty()
        && value.len() <= IDEMPOTENCY_KEY_MAX
        && value.bytes().all(|b| b.is_ascii_graphic());
    if ok {
        Ok(value.to_owned())
    } else {
        Err(FieldError::new(
            "Idempotency-Key",
            format!("Idempotency-Key must be 1 to {IDEMPOTENCY_KEY_MAX} visible ASCII characters"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_is_trimmed_and_bounded() {
        assert_eq!(
            subject("  Printer jams  ").ok().as_deref(),
            Some("Printer jams")
        );
        assert!(subject("   ").is_err());
        assert!(subject("").is_err());
        assert!(
            subject(&"é".repeat(SUBJECT_MAX)).is_ok(),
            "counts characters, not bytes"
        );
        assert!(subject(&"a".repeat(SUBJECT_MAX + 1)).is_err());
        assert!(subject("two\nlines").is_err());
    }

    #[test]
    fn bodies_allow_newlines_but_not_other_controls() {
        assert!(body("line one\nline two\ttabbed").is_ok());
        assert!(body("bell\u{7}").is_err());
        assert!(description(&"x".repeat(DESCRIPTION_MAX)).is_ok());
        assert!(description(&"x".repeat(DESCRIPTION_MAX + 1)).is_err());
    }

    #[test]
    fn emails_are_normalised() {
        assert_eq!(
            email(" Fran@Demo.Test ").ok().as_deref(),
            Some("fran@demo.test")
        );
        for bad in ["", "no-at", "@x", "x@", "a b@c", "a@b@c"] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn objects_must_be_objects_and_small() {
        assert!(json_object("context", &serde_json::json!({"page": "/x"})).is_ok());
        assert!(json_object("context", &serde_json::json!([1, 2])).is_err());
        let big = serde_json::json!({ "k": "x".repeat(OBJECT_MAX_BYTES) });
        assert!(json_object("context", &big).is_err());
    }

    #[test]
    fn idempotency_keys_are_visible_ascii() {
        assert!(idempotency_key("3f1c-aa").is_ok());
        assert!(idempotency_key("").is_err());
        assert!(idempotency_key("has space").is_err());
        assert!(idempotency_key(&"k".repeat(256)).is_err());
    }

    #[test]
    fn checker_collects_every_problem() {
        let mut c = Checker::new();
        c.check(subject(""));
        c.check(description(""));
        match c.finish() {
            Err(crate::DomainError::Validation(errs)) => assert_eq!(errs.len(), 2),
            other => panic!("expected two field errors, got {other:?}"),
        }
    }
}
