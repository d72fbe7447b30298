use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use lifebuoy_domain::wire::{Attachment, Problem};
use lifebuoy_domain::FieldError;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::created;
use crate::error::{Error, Result};
use crate::extract::{path_id, CurrentUser};
use crate::state::AppState;
use crate::store::StoredFile;
use crate::uploads::receive::receive;

/// Multipart overhead allowed beyond the file itself.
const FORM_OVERHEAD: u64 = 64 * 1024;

/// Nothing in a served file may run, load or frame anything.
const FILE_CSP: &str = "default-src 'none'; sandbox; frame-ancestors 'none'";

#[allow(dead_code)]
#[derive(utoipa::ToSchema)]
pub struct UploadForm {
    /// The file. Accepted: .png .jpg .jpeg .webp .gif .pdf .zip .txt .log .csv .json;
    /// the content, the part's Content-Type and the extension must agree.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Stage a file for a ticket or reply: attach it by listing its id in `attachment_ids`.
/// Unattached uploads are deleted after a while (24 h by default).
#[utoipa::path(post, path = "/api/v1/uploads", tag = "attachments",
    security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Client-generated, at most 255 characters")),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, body = Attachment),
        (status = 413, body = Problem, description = "Over the size limit or the uploader's allowance"),
        (status = 415, body = Problem, description = "Not an accepted type, or content, type and extension disagree"),
        (status = 422, body = Problem),
    ))]
pub async fn upload(
    State(state): State<AppState>,
    me: CurrentUser,
    headers: HeaderMap,
    body: Body,
) -> Result<Response> {
    let boundary = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|ct| multer::parse_boundary(ct).ok())
        .ok_or_else(|| {
            Error::UnsupportedMediaType(
                "Send the file as multipart/form-data with one part named `file`.".to_owned(),
            )
        })?;
    let announced = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > state.uploads.max_file_bytes + FORM_OVERHEAD) {
        return Err(Error::PayloadTooLarge(format!(
            "The file is larger than the {} limit for one file.",
            crate::uploads::mib(state.uploads.max_file_bytes)
        )));
    }
    let key = match headers.get("idempotency-key") {
        Some(v) => Some(lifebuoy_domain::validation::idempotency_key(
            v.to_str().unwrap_or("\u{0}"),
        )?),
        None => None,
    };
    let mut form = multer::Multipart::new(body.into_data_stream(), boundary);
    loop {
        let field = form.next_field().await.map_err(|e| {
            Error::BadRequest(format!("The upload is not valid multipart/form-data: {e}."))
        })?;
        let Some(field) = field else { break };
        if field.name() == Some("file") {
            return Ok(created(receive(&state, me.user.id, field, key).await?));
        }
    }
    Err(FieldError::new("file", "send the file in a multipart part named `file`").into())
}

/// Characters left as they are in an RFC 8187 `filename*` value.
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// `inline` only for raster images a browser shows safely; everything else downloads.
pub fn content_disposition(content_type: &str, file_name: &str) -> String {
    let kind = if matches!(
        content_type,
        "image/png" | "image/jpeg" | "image/webp" | "image/gif"
    ) {
        "inline"
    } else {
        "attachment"
    };
    let fallback: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = utf8_percent_encode(file_name, ATTR_CHAR);
    format!("{kind}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// The stored file behind a path id, if the caller may read it; else 404.
async fn visible_file(state: &AppState, me: &CurrentUser, id: &str) -> Result<StoredFile> {
    let id = path_id(id, "attachment")?;
    state
        .store
        .stored_file(me.actor(), id)
        .await?
        .ok_or(Error::NotFound("attachment"))
}

fn header_value(text: &str) -> Result<HeaderValue> {
    HeaderValue::from_str(text).map_err(Error::internal)
}

/// The file's bytes, to those who may see its ticket (and, for an internal note's file,
/// staff only); everyone else gets 404. Supports a single `Range`.
#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "attachments",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path), ("Range" = Option<String>, Header, description = "One byte range, e.g. bytes=0-1023")),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream"),
        (status = 206, description = "The requested range"),
        (status = 404, body = Problem),
        (status = 416, body = Problem),
    ))]
pub async fn download(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    let file = visible_file(&state, &me, &id).await?;
    let size = u64::try_from(file.size).unwrap_or(0);
    let range = match headers.get(header::RANGE).and_then(|v| v.to_str().ok()) {
        None => None,
        Some(text) => {
            let unsatisfiable = || {
                Error::RangeNotSatisfiable(format!(
                    "The range `{text}` is not within the file's {size} bytes."
                ))
            };
            let ranges = http_range_header::parse_range_header(text)
                .and_then(|r| r.validate(size))
                .map_err(|_| unsatisfiable())?;
            // Several ranges at once are rarely worth a multipart answer: send it all.
            match ranges.as_slice() {
                [one] => Some(*one.start()..one.end() + 1),
                _ => None,
            }
        }
    };
    let read = state.blobs.read(&file.storage_key, range.clone()).await?;
    let content_type =
        if file.content_type.starts_with("text/") || file.content_type == "application/json" {
            format!("{}; charset=utf-8", file.content_type)
        } else {
            file.content_type.clone()
        };
    let mut response = Response::new(Body::from_stream(read.stream));
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, header_value(&content_type)?);
    h.insert(
        header::CONTENT_LENGTH,
        header_value(&(read.range.end - read.range.start).to_string())?,
    );
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(
        header::CONTENT_DISPOSITION,
        header_value(&content_disposition(&file.content_type, &file.file_name))?,
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(FILE_CSP),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    if range.is_some() {
        *response.status_mut() = StatusCode::PARTIAL_CONTENT;
        response.headers_mut().insert(
            header::CONTENT_RANGE,
            header_value(&format!(
                "bytes {}-{}/{}",
                read.range.start,
                read.range.end.saturating_sub(1),
                read.total
            ))?,
        );
    }
    Ok(response)
}

/// A small PNG preview of an image attachment.
#[utoipa::path(get, path = "/api/v1/attachments/{id}/thumbnail", tag = "attachments",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, description = "PNG preview", content_type = "image/png"), (status = 404, body = Problem)))]
pub async fn thumbnail(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response> {
    let file = visible_file(&state, &me, &id).await?;
    let key = file.thumbnail_key.ok_or(Error::NotFound("thumbnail"))?;
    let read = state.blobs.read(&key, None).await?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("image/png")),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("inline"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(FILE_CSP),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        Body::from_stream(read.stream),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispositions_are_encoded_and_only_images_are_inline() {
        assert_eq!(
            content_disposition("image/png", "shot.png"),
            "inline; filename=\"shot.png\"; filename*=UTF-8''shot.png"
        );
        let d = content_disposition("application/pdf", "Résumé \"final\".pdf");
        assert!(
            d.starts_with("attachment; filename=\"R_sum_ _final_.pdf\""),
            "{d}"
        );
        assert!(
            d.ends_with("filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22.pdf"),
            "{d}"
        );
        assert!(content_disposition("text/plain", "a.txt").starts_with("attachment"));
    }
}
