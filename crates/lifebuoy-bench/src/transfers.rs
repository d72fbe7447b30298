//! Moving files through the attachments API: one upload or download at a time per
//! client, a fixed number in all, so each measurement moves a known number of bytes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use futures::StreamExt;
use reqwest::header::{HeaderValue, AUTHORIZATION};

use crate::load::Outcome;

/// A text log: the server streams it to storage (images would be decoded and re-encoded,
/// a different cost), and checks it is UTF-8 without NULs, so it must be.
pub fn log_file(bytes: usize) -> Bytes {
    let mut out = Vec::with_capacity(bytes + 128);
    let mut line = 0u64;
    while out.len() < bytes {
        let text = format!(
            "2026-11-24T10:{:02}:{:02}.{:03}Z INFO sync: page {line} applied, 500 tickets, cursor f{}\n",
            (line / 60) % 60,
            line % 60,
            line % 1000,
            line * 7
        );
        out.extend_from_slice(text.as_bytes());
        line += 1;
    }
    out.truncate(bytes);
    // The cut may fall anywhere in a line, but every byte is ASCII, so it stays UTF-8.
    Bytes::from(out)
}

#[derive(Clone)]
pub enum Transfer {
    /// POST this file as `bench.log`, text/plain; the new ids are collected.
    Upload {
        data: Bytes,
        ids: Arc<Mutex<Vec<String>>>,
    },
    /// GET these staged uploads in turn, each `size` bytes long.
    Download { ids: Arc<Vec<String>>, size: u64 },
}

/// What a batch of transfers did, with the bytes moved by the successful ones.
pub struct Moved {
    pub outcome: Outcome,
    pub bytes: u64,
}

impl Moved {
    /// Decimal megabytes per second of file content, over the whole batch.
    pub fn mb_per_s(&self) -> f64 {
        if self.outcome.seconds > 0.0 {
            self.bytes as f64 / 1e6 / self.outcome.seconds
        } else {
            0.0
        }
    }
}

/// Runs `count` transfers from `clients` concurrent tasks, each starting its next as soon
/// as its last one is done; stops early at `deadline` so a stalled server cannot hang it.
pub async fn run(
    http: &reqwest::Client,
    base: &str,
    auth: &HeaderValue,
    transfer: Transfer,
    count: usize,
    clients: usize,
    deadline: Duration,
) -> Moved {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let until = started + deadline;
    let tasks: Vec<_> = (0..clients.max(1))
        .map(|_| {
            let (http, base, auth) = (http.clone(), base.to_owned(), auth.clone());
            let (transfer, next) = (transfer.clone(), next.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let (mut errors, mut bytes, mut first_error) = (0u64, 0u64, None);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count || Instant::now() >= until {
                        break;
                    }
                    let t0 = Instant::now();
                    match one(&http, &base, &auth, &transfer, i).await {
                        Ok(n) => {
                            latencies
                                .push(u32::try_from(t0.elapsed().as_micros()).unwrap_or(u32::MAX));
                            bytes += n;
                        }
                        Err(e) => {
                            errors += 1;
                            first_error.get_or_insert(e);
                        }
                    }
                }
                (latencies, errors, bytes, first_error)
            })
        })
        .collect();
    let (mut latencies, mut errors, mut bytes, mut first_error) = (Vec::new(), 0, 0, None);
    for task in tasks {
        match task.await {
            Ok((l, e, b, f)) => {
                latencies.extend(l);
                errors += e;
                bytes += b;
                if first_error.is_none() {
                    first_error = f;
                }
            }
            Err(e) => {
                errors += 1;
                first_error.get_or_insert(format!("a client task failed: {e}"));
            }
        }
    }
    let mut outcome = Outcome::from_latencies(latencies, errors, started.elapsed().as_secs_f64());
    outcome.first_error = first_error;
    Moved { outcome, bytes }
}

/// One transfer; the number of file bytes it moved.
async fn one(
    http: &reqwest::Client,
    base: &str,
    auth: &HeaderValue,
    transfer: &Transfer,
    i: usize,
) -> Result<u64, String> {
    match transfer {
        Transfer::Upload { data, ids } => {
            let id = upload(http, base, auth, data).await?;
            if let Ok(mut ids) = ids.lock() {
                ids.push(id);
            }
            Ok(data.len() as u64)
        }
        Transfer::Download { ids, size } => {
            let Some(id) = ids.get(i % ids.len().max(1)) else {
                return Err("nothing was uploaded to download".to_owned());
            };
            let got = download(http, base, auth, id).await?;
            if got != *size {
                return Err(format!("downloaded {got} bytes of {id}, expected {size}"));
            }
            Ok(got)
        }
    }
}

/// `POST /api/v1/uploads`, one part `file`; returns the new upload's id.
pub async fn upload(
    http: &reqwest::Client,
    base: &str,
    auth: &HeaderValue,
    data: &Bytes,
) -> Result<String, String> {
    // A stream with its length: the form gets a Content-Length and the 10 MiB body is
    // shared, not copied, for every request.
    let part = reqwest::multipart::Part::stream_with_length(
        reqwest::Body::from(data.clone()),
        data.len() as u64,
    )
    .file_name("bench.log")
    .mime_str("text/plain")
    .map_err(|e| format!("building the form: {e}"))?;
    let form = reqwest::multipart::Form::new().part("file", part);
    let response = http
        .post(format!("{base}/api/v1/uploads"))
        .header(AUTHORIZATION, auth)
        .multipart(form)
        .send()
        .await
        .map_err(|e| format!("upload failed: {e}"))?;
    let status = response.status();
    let body = response
        .bytes()
        .await
        .map_err(|e| format!("reading the upload answer: {e}"))?;
    if !status.is_success() {
        let text = String::from_utf8_lossy(&body);
        return Err(format!(
            "upload answered {status}: {}",
            text.chars().take(300).collect::<String>()
        ));
    }
    let value: serde_json::Value =
        serde_json::from_slice(&body).map_err(|e| format!("the upload answer is not JSON: {e}"))?;
    value
        .get("id")
        .and_then(|v| v.as_str())
        .map(str::to_owned)
        .ok_or_else(|| format!("the upload answer has no id: {value}"))
}

/// `GET /api/v1/attachments/{id}`, read to the end chunk by chunk (never held whole);
/// returns its length.
async fn download(
    http: &reqwest::Client,
    base: &str,
    auth: &HeaderValue,
    id: &str,
) -> Result<u64, String> {
    let response = http
        .get(format!("{base}/api/v1/attachments/{id}"))
        .header(AUTHORIZATION, auth)
        .send()
        .await
        .map_err(|e| format!("download failed: {e}"))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("download of {id} answered {status}"));
    }
    let mut stream = response.bytes_stream();
    let mut n = 0u64;
    while let Some(chunk) = stream.next().await {
        n += chunk.map_err(|e| format!("reading {id}: {e}"))?.len() as u64;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_files_are_text_of_the_exact_size() {
        for n in [1usize, 100, 65_536, 1_048_576] {
            let f = log_file(n);
            assert_eq!(f.len(), n);
            assert!(std::str::from_utf8(&f).is_ok());
            assert!(!f.contains(&0));
        }
    }
}
