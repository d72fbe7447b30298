//! What may be uploaded: an allow-list of types where the bytes, the declared type and
//! the file name's extension must all agree. Pure functions, so every rule is unit-tested.

use crate::error::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Re-encoded on upload (metadata stripped) and given a thumbnail.
    Image(image::ImageFormat),
    /// Kept as sent; its bytes must carry the format's signature.
    Binary,
    /// UTF-8 text: no NUL bytes, and nothing a browser would run (HTML, SVG, scripts).
    Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allowed {
    pub content_type: &'static str,
    pub extensions: &'static [&'static str],
    pub family: Family,
}

pub const ALLOWED: &[Allowed] = &[
    Allowed {
        content_type: "image/png",
        extensions: &["png"],
        family: Family::Image(image::ImageFormat::Png),
    },
    Allowed {
        content_type: "image/jpeg",
        extensions: &["jpg", "jpeg"],
        family: Family::Image(image::ImageFormat::Jpeg),
    },
    Allowed {
        content_type: "image/webp",
        extensions: &["webp"],
        family: Family::Image(image::ImageFormat::WebP),
    },
    Allowed {
        content_type: "image/gif",
        extensions: &["gif"],
        family: Family::Image(image::ImageFormat::Gif),
    },
    Allowed {
        content_type: "application/pdf",
        extensions: &["pdf"],
        family: Family::Binary,
    },
    Allowed {
        content_type: "application/zip",
        extensions: &["zip"],
        family: Family::Binary,
    },
    Allowed {
        content_type: "text/plain",
        extensions: &["txt", "log"],
        family: Family::Text,
    },
    Allowed {
        content_type: "text/csv",
        extensions: &["csv"],
        family: Family::Text,
    },
    Allowed {
        content_type: "application/json",
        extensions: &["json"],
        family: Family::Text,
    },
];

const ALLOWED_LIST: &str = ".png .jpg .jpeg .webp .gif .pdf .zip .txt .log .csv .json";
const NAME_MAX_CHARS: usize = 200;

fn refuse(message: String) -> Error {
    Error::UnsupportedMediaType(message)
}

/// Other names clients use for the allowed types.
fn canonical_type(declared: &str) -> String {
    let base = declared
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match base.as_str() {
        "image/jpg" | "image/pjpeg" => "image/jpeg".into(),
        "text/x-log" => "text/plain".into(),
        "application/csv" | "text/comma-separated-values" => "text/csv".into(),
        "application/x-zip-compressed" | "application/x-zip" => "application/zip".into(),
        "text/json" => "application/json".into(),
        _ => base,
    }
}

/// A display name that is safe to show and to put in a header: the last path part,
/// without control or bidi-override characters, at most 200 characters (keeping the
/// extension). It is never used to build a storage path.
pub fn clean_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let kept: String = last
        .chars()
        .filter(|c| !c.is_control())
        .filter(|c| !matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'))
        .collect();
    let trimmed = kept.trim().trim_start_matches('.').trim();
    if trimmed.is_empty() {
        return "file".to_owned();
    }
    if trimmed.chars().count() <= NAME_MAX_CHARS {
        return trimmed.to_owned();
    }
    let ext: String = match trimmed.rsplit_once('.') {
        Some((_, ext)) if ext.chars().count() <= 10 => format!(".{ext}"),
        _ => String::new(),
    };
    let stem: String = trimmed
        .chars()
        .take(NAME_MAX_CHARS - ext.chars().count())
        .collect();
    format!("{stem}{ext}")
}

fn extension(name: &str) -> Option<String> {
    name.rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
}

/// Looks like something a browser or a shell would run.
fn looks_active(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&head[..head.len().min(1024)]).to_ascii_lowercase();
    let start = text.trim_start_matches('\u{feff}').trim_start();
    start.starts_with("#!")
        || [
            "<!doctype",
            "<html",
            "<svg",
            "<script",
            "<?xml",
            "<head",
            "<body",
            "<iframe",
            "<object",
            "<embed",
        ]
        .iter()
        .any(|tag| start.starts_with(tag))
        || text.contains("<script")
}

/// Decides whether a file may be stored, from its name, the declared type and its first
/// bytes (a few KiB, or the whole file if smaller).
pub fn classify(
    name: &str,
    declared: Option<&str>,
    head: &[u8],
) -> Result<&'static Allowed, Error> {
    let ext = extension(name).unwrap_or_default();
    let allowed = ALLOWED
        .iter()
        .find(|a| a.extensions.contains(&ext.as_str()))
        .ok_or_else(|| {
            refuse(if ext.is_empty() {
                format!("`{name}` has no file extension; accepted files are {ALLOWED_LIST}.")
            } else {
                format!("Files of type .{ext} are not accepted; accepted files are {ALLOWED_LIST}.")
            })
        })?;

    if let Some(declared) = declared.map(canonical_type) {
        if !declared.is_empty()
            && declared != "application/octet-stream"
            && declared != allowed.content_type
        {
            return Err(refuse(format!(
                "`{name}` was sent as {declared}, which does not match its .{ext} extension ({}).",
                allowed.content_type
            )));
        }
    }

    let sniffed = infer::get(head);
    if let Some(kind) = sniffed {
        if infer::is_app(head) {
            return Err(refuse(format!(
                "`{name}` is a program ({}); programs are never accepted.",
                kind.mime_type()
            )));
        }
    }
    match allowed.family {
        Family::Image(_) | Family::Binary => {
            let real = sniffed
                .map(|k| k.mime_type())
                .unwrap_or("unrecognised data");
            if real != allowed.content_type {
                return Err(refuse(format!(
                    "`{name}` does not contain {} data (its content is {real}).",
                    allowed.content_type
                )));
            }
        }
        Family::Text => {
            if let Some(kind) = sniffed {
                return Err(refuse(format!(
                    "`{name}` is named as text but contains {} data.",
                    kind.mime_type()
                )));
            }
            if head.contains(&0) {
                return Err(refuse(format!(
                    "`{name}` is named as text but contains binary data."
                )));
            }
            if looks_active(head) {
                return Err(refuse(format!(
                    "`{name}` contains HTML, SVG or a script, which are never accepted."
                )));
            }
        }
    }
    Ok(allowed)
}

/// Checks that a text upload is UTF-8 without NUL bytes, one chunk at a time.
#[derive(Default)]
pub struct TextCheck {
    carry: Vec<u8>,
}

impl TextCheck {
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), Error> {
        if chunk.contains(&0) {
            return Err(refuse(
                "The file is named as text but contains binary data.".into(),
            ));
        }
        self.carry.extend_from_slice(chunk);
        match std::str::from_utf8(&self.carry) {
            Ok(_) => self.carry.clear(),
            // A character cut at the chunk's end: keep its first bytes for the next chunk.
            Err(e) if e.error_len().is_none() => {
                let rest = self.carry.split_off(e.valid_up_to());
                self.carry = rest;
            }
            Err(_) => {
                return Err(refuse(
                    "The file is named as text but is not UTF-8 text.".into(),
                ))
            }
        }
        Ok(())
    }

    pub fn finish(&self) -> Result<(), Error> {
        if self.carry.is_empty() {
            Ok(())
        } else {
            Err(refuse(
                "The file is named as text but ends in the middle of a character.".into(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    const PDF: &[u8] = b"%PDF-1.7\n";
    const ELF: &[u8] = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0";

    fn ok(name: &str, declared: Option<&str>, head: &[u8]) -> Option<&'static str> {
        classify(name, declared, head).ok().map(|a| a.content_type)
    }

    #[test]
    fn bytes_type_and_extension_must_agree() {
        assert_eq!(ok("shot.png", Some("image/png"), PNG), Some("image/png"));
        assert_eq!(ok("shot.PNG", None, PNG), Some("image/png"));
        assert_eq!(
            ok("shot.png", Some("application/octet-stream"), PNG),
            Some("image/png")
        );
        assert_eq!(
            ok("doc.pdf", Some("application/pdf"), PDF),
            Some("application/pdf")
        );
        assert!(classify("shot.png", Some("image/png"), b"<html><script>x</script>").is_err());
        assert!(
            classify("shot.png", Some("image/jpeg"), PNG).is_err(),
            "declared disagrees"
        );
        assert!(
            classify("shot.jpg", Some("image/jpeg"), PNG).is_err(),
            "bytes disagree"
        );
        assert!(classify("doc.pdf", None, PNG).is_err());
    }

    #[test]
    fn text_must_be_text_and_inert() {
        assert_eq!(
            ok("app.log", Some("text/plain"), b"2026-01-01 ERROR x"),
            Some("text/plain")
        );
        assert_eq!(
            ok("data.csv", Some("text/csv"), b"a,b\n1,2"),
            Some("text/csv")
        );
        assert_eq!(
            ok("data.json", None, b"{\"a\": 1}"),
            Some("application/json")
        );
        for evil in [
            &b"<!DOCTYPE html><p>"[..],
            b"  <svg onload=alert(1)>",
            b"#!/bin/sh\nrm -rf /",
            b"hello\0world",
            b"x <script>y</script>",
        ] {
            assert!(
                classify("notes.txt", Some("text/plain"), evil).is_err(),
                "{evil:?}"
            );
        }
        assert!(
            classify("notes.txt", Some("text/plain"), PNG).is_err(),
            "binary named as text"
        );
    }

    #[test]
    fn html_svg_scripts_and_programs_are_refused_whatever_their_name() {
        for name in ["page.html", "pic.svg", "run.sh", "tool.exe", "noext"] {
            assert!(classify(name, None, b"hello").is_err(), "{name}");
        }
        assert!(classify("tool.zip", None, ELF).is_err());
        assert!(classify("tool.txt", None, ELF).is_err());
    }

    #[test]
    fn names_are_cleaned_but_never_paths() {
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("C:\\Users\\fran\\shot.png"), "shot.png");
        assert_eq!(clean_name("bad\u{0}\u{7}name.txt"), "badname.txt");
        assert_eq!(clean_name("invoice\u{202E}fdp.exe"), "invoicefdp.exe");
        assert_eq!(clean_name("..."), "file");
        assert_eq!(clean_name(""), "file");
        let long = format!("{}.log", "a".repeat(500));
        let cleaned = clean_name(&long);
        assert_eq!(cleaned.chars().count(), 200);
        assert!(cleaned.ends_with(".log"));
    }

    #[test]
    fn text_check_handles_characters_split_across_chunks() {
        let text = "héllo wörld ✓".as_bytes();
        let mut check = TextCheck::default();
        for chunk in text.chunks(1) {
            assert!(check.feed(chunk).is_ok());
        }
        assert!(check.finish().is_ok());
        let mut bad = TextCheck::default();
        assert!(bad.feed(&[0xff, 0xfe, b'a']).is_err());
        let mut cut = TextCheck::default();
        assert!(cut.feed(&"é".as_bytes()[..1]).is_ok());
        assert!(cut.finish().is_err());
    }
}
