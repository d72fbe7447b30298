//! Attachments: checked uploads, private downloads, cleaned images, quotas and sweeping.
//! The same suite runs on the local disk and on a real S3-compatible server (s3s-fs).

mod common;

use std::time::Duration;

use common::s3::S3Server;
use common::*;
use image::{ImageFormat, RgbImage};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

#[derive(Clone, Copy, Debug)]
enum Backend {
    Local,
    S3,
}

struct Env {
    server: TestServer,
    s3: Option<S3Server>,
}

impl Env {
    async fn start(backend: Backend, mut options: Options) -> Self {
        let s3 = match backend {
            Backend::Local => None,
            Backend::S3 => Some(S3Server::start()),
        };
        if let Some(s3) = &s3 {
            options.blobs = Some(s3.config());
        }
        Env {
            server: TestServer::start_with(options).await,
            s3,
        }
    }

    /// Every object the storage holds, wherever it is.
    fn stored(&self) -> Vec<String> {
        match &self.s3 {
            Some(s3) => s3
                .objects()
                .into_iter()
                .filter(|k| k.starts_with("files/") || k.starts_with("thumbs/"))
                .collect(),
            None => self.server.stored_files(),
        }
    }
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 7) as u8, (y * 5) as u8, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Png).expect("png");
    out.into_inner()
}

/// A JPEG carrying an EXIF block with a (fake) GPS position in it.
fn jpeg_with_gps(w: u32, h: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, _| image::Rgb([x as u8, 100, 200]));
    let mut plain = std::io::Cursor::new(Vec::new());
    img.write_to(&mut plain, ImageFormat::Jpeg).expect("jpeg");
    let plain = plain.into_inner();
    let mut exif = b"Exif\0\0II*\0\x08\0\0\0\0\0".to_vec();
    exif.extend_from_slice(b"GPS-SECRET-48.8584N-2.2945E");
    let len = (exif.len() + 2) as u16;
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&exif);
    out.extend_from_slice(&plain[2..]);
    out
}

/// A PNG whose header claims 100,000 × 100,000 pixels: decoding it would need 40 GB.
fn png_bomb() -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

async fn upload_ok(api: &Api, name: &str, ct: &str, bytes: Vec<u8>) -> Value {
    let r = api.upload(name, ct, bytes).await;
    assert_eq!(r.status, StatusCode::CREATED, "upload {name}: {}", r.text);
    r.json
}

async fn images_are_cleaned_previewed_and_served_inline(b: Backend) {
    let env = Env::start(b, Options::default()).await;
    let fran = env.server.login(FIELD).await;
    let shot = upload_ok(&fran, "screen.png", "image/png", png(640, 360)).await;
    assert_eq!(shot["content_type"], "image/png");
    assert_eq!(shot["has_thumbnail"], true);

    let (status, headers, body) = fran
        .fetch(&format!("/api/v1/attachments/{}", id(&shot)), &[])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        sha(&body),
        shot["sha256"],
        "the sha256 answered is the stored bytes'"
    );
    assert_eq!(body.len() as u64, shot["size"].as_u64().unwrap_or(0));
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    assert_eq!(header("content-type"), "image/png");
    assert!(header("content-disposition").starts_with("inline; filename=\"screen.png\""));
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert!(header("content-security-policy").contains("default-src 'none'"));
    let decoded = image::load_from_memory(&body).expect("still a PNG");
    assert_eq!((decoded.width(), decoded.height()), (640, 360));

    let (status, headers, thumb) = fran
        .fetch(&format!("/api/v1/attachments/{}/thumbnail", id(&shot)), &[])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("image/png")
    );
    let thumb = image::load_from_memory(&thumb).expect("thumbnail decodes");
    assert!(thumb.width() <= 320 && thumb.height() <= 320);

    let photo = jpeg_with_gps(200, 100);
    assert!(String::from_utf8_lossy(&photo).contains("GPS-SECRET"));
    let up = upload_ok(&fran, "site.jpg", "image/jpeg", photo).await;
    let (_, _, stored) = fran
        .fetch(&format!("/api/v1/attachments/{}", id(&up)), &[])
        .await;
    assert!(
        !String::from_utf8_lossy(&stored).contains("GPS-SECRET"),
        "EXIF stripped"
    );
    let decoded = image::load_from_memory(&stored).expect("still a JPEG");
    assert_eq!((decoded.width(), decoded.height()), (200, 100));
}

async fn lies_and_dangers_are_refused_and_leave_nothing(b: Backend) {
    let env = Env::start(b, Options::default()).await;
    let fran = env.server.login(FIELD).await;
    let html = b"<!doctype html><script>alert(document.cookie)</script>".to_vec();
    for (name, ct, bytes) in [
        ("cute.png", "image/png", html.clone()),
        ("page.html", "text/html", html.clone()),
        ("notes.txt", "text/plain", html.clone()),
        (
            "logo.svg",
            "image/svg+xml",
            b"<svg onload=alert(1)></svg>".to_vec(),
        ),
        (
            "tool.exe",
            "application/octet-stream",
            b"MZ\x90\0\x03\0\0\0".to_vec(),
        ),
        ("report.pdf", "application/pdf", png(4, 4)),
        ("shot.png", "image/jpeg", png(4, 4)),
        ("run.txt", "text/plain", b"#!/bin/sh\nrm -rf ~\n".to_vec()),
    ] {
        let r = fran.upload(name, ct, bytes).await;
        assert_problem(&r, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert!(!r.json["detail"].as_str().unwrap_or("").is_empty());
    }
    let bomb = fran.upload("bomb.png", "image/png", png_bomb()).await;
    assert_problem(&bomb, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        bomb.json["detail"]
            .as_str()
            .unwrap_or("")
            .contains("pixels"),
        "{}",
        bomb.text
    );
    assert!(
        env.stored().is_empty(),
        "refused files leave nothing behind: {:?}",
        env.stored()
    );
}

async fn names_are_cleaned_and_keys_are_the_servers(b: Backend) {
    let env = Env::start(b, Options::default()).await;
    let fran = env.server.login(FIELD).await;
    let up = upload_ok(
        &fran,
        "../../etc/passwd.txt",
        "text/plain",
        b"root:x:0:0".to_vec(),
    )
    .await;
    assert_eq!(up["file_name"], "passwd.txt");
    let stored = env.stored();
    assert_eq!(
        stored,
        [format!("files/{}", id(&up))],
        "stored under the server's key only"
    );
    let r = fran
        .upload(
            "..\\..\\windows\\evil.log",
            "text/plain",
            b"log line".to_vec(),
        )
        .await;
    assert_eq!(r.json["file_name"], "evil.log");
    let (_, headers, body) = fran
        .fetch(&format!("/api/v1/attachments/{}", id(&up)), &[])
        .await;
    assert_eq!(body, b"root:x:0:0");
    let disposition = headers
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert_eq!(
        headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("text/plain; charset=utf-8")
    );
}

async fn attachments_go_with_tickets_and_replies_exactly_once(b: Backend) {
    let env = Env::start(b, Options::default()).await;
    let fran = env.server.login(FIELD).await;
    let agent = env.server.login(AGENT).await;
    let shot = upload_ok(&fran, "shot.png", "image/png", png(32, 32)).await;
    let log = upload_ok(&fran, "app.log", "text/plain", b"ERROR boom".to_vec()).await;
    let body = json!({"subject": "With files", "description": "see attached", "attachment_ids": [id(&shot), id(&log)]});
    let first = fran
        .json(
            Method::POST,
            "/api/v1/tickets",
            Some(body.clone()),
            Some("t-1"),
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    assert_eq!(first.json["attachment_count"], 2);
    let again = fran
        .json(Method::POST, "/api/v1/tickets", Some(body), Some("t-1"))
        .await;
    assert_eq!(
        again.json, first.json,
        "a retried create replays; nothing is attached twice"
    );
    let ticket = first.json;
    let detail = fran.detail(&ticket).await;
    let names: Vec<&str> = detail["attachments"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["file_name"].as_str())
        .collect();
    assert_eq!(names, ["shot.png", "app.log"]);

    // Used once: cannot be attached again, to this ticket or another.
    let reuse = fran
        .json(
            Method::POST,
            "/api/v1/tickets",
            Some(json!({"subject": "Again", "description": "d", "attachment_ids": [id(&shot)]})),
            None,
        )
        .await;
    assert_problem(&reuse, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reuse.json["errors"][0]["field"], "attachment_ids[0]");

    // Seed flaw 8: files sent with a reply are kept, not dropped.
    let trace = upload_ok(&agent, "trace.txt", "text/plain", b"stack".to_vec()).await;
    let (s, reply) = agent
        .post(
            &format!("/api/v1/tickets/{}/messages", id(&ticket)),
            json!({"body": "see trace", "attachment_ids": [id(&trace)]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{reply}");
    assert_eq!(reply["attachments"][0]["file_name"], "trace.txt");
    let detail = fran.detail(&ticket).await;
    assert_eq!(detail["messages"][0]["attachments"][0]["id"], trace["id"]);
    assert_eq!(detail["ticket"]["attachment_count"], 3);
    let (status, _, bytes) = fran
        .fetch(&format!("/api/v1/attachments/{}", id(&trace)), &[])
        .await;
    assert_eq!(
        (status, bytes),
        (StatusCode::OK, b"stack".to_vec()),
        "the requester reads staff's public files"
    );
}

async fn only_those_who_may_see_the_ticket_get_the_file(b: Backend) {
    let env = Env::start(b, Options::default()).await;
    let fran = env.server.login(FIELD).await;
    let rory = env.server.login(FIELD2).await;
    let agent = env.server.login(AGENT).await;
    let mine = upload_ok(&fran, "mine.txt", "text/plain", b"fran's".to_vec()).await;
    let ticket = fran
        .post(
            "/api/v1/tickets",
            json!({"subject": "Private", "description": "d", "attachment_ids": [id(&mine)]}),
        )
        .await
        .1;
    let secret = upload_ok(&agent, "diagnosis.txt", "text/plain", b"internal".to_vec()).await;
    let (s, _) = agent
        .post(
            &format!("/api/v1/tickets/{}/messages", id(&ticket)),
            json!({"body": "note", "internal": true, "attachment_ids": [id(&secret)]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let staged = upload_ok(&agent, "staged.txt", "text/plain", b"not yet".to_vec()).await;

    let url = |a: &Value| format!("/api/v1/attachments/{}", id(a));
    assert_eq!(fran.fetch(&url(&mine), &[]).await.0, StatusCode::OK);
    assert_eq!(
        fran.fetch(&url(&secret), &[]).await.0,
        StatusCode::NOT_FOUND,
        "internal note's file"
    );
    assert_eq!(
        rory.fetch(&url(&mine), &[]).await.0,
        StatusCode::NOT_FOUND,
        "another user's ticket"
    );
    assert_eq!(
        fran.fetch(&url(&staged), &[]).await.0,
        StatusCode::NOT_FOUND,
        "someone's staged upload"
    );
    assert_eq!(agent.fetch(&url(&secret), &[]).await.0, StatusCode::OK);
    assert_eq!(agent.fetch(&url(&mine), &[]).await.0, StatusCode::OK);
    assert_eq!(
        env.server.anonymous().fetch(&url(&mine), &[]).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert!(!fran
        .detail(&ticket)
        .await
        .to_string()
        .contains("diagnosis.txt"));
    assert_eq!(fran.detail(&ticket).await["ticket"]["attachment_count"], 1);
}

async fn ranges_serve_parts_of_large_files(b: Backend) {
    let env = Env::start(b, Options::default()).await;
    let fran = env.server.login(FIELD).await;
    let data: Vec<u8> = (0..3 * 1024 * 1024)
        .map(|i| b"0123456789abcdef\n"[i % 17])
        .collect();
    let up = upload_ok(&fran, "big.log", "text/plain", data.clone()).await;
    assert_eq!(up["size"], data.len());
    assert_eq!(up["sha256"], sha(&data));
    let url = format!("/api/v1/attachments/{}", id(&up));
    let (s, h, body) = fran.fetch(&url, &[("range", "bytes=10-19")]).await;
    assert_eq!(s, StatusCode::PARTIAL_CONTENT);
    assert_eq!(body, &data[10..20]);
    assert_eq!(
        h.get("content-range").and_then(|v| v.to_str().ok()),
        Some(format!("bytes 10-19/{}", data.len()).as_str())
    );
    let (s, _, body) = fran.fetch(&url, &[("range", "bytes=-5")]).await;
    assert_eq!(
        (s, body.as_slice()),
        (StatusCode::PARTIAL_CONTENT, &data[data.len() - 5..])
    );
    let (s, _, body) = fran.fetch(&url, &[("range", "bytes=3145000-")]).await;
    assert_eq!(
        (s, body.as_slice()),
        (StatusCode::PARTIAL_CONTENT, &data[3_145_000..])
    );
    let (s, _, _) = fran.fetch(&url, &[("range", "bytes=99999999-")]).await;
    assert_eq!(s, StatusCode::RANGE_NOT_SATISFIABLE);
    let (s, h, body) = fran.fetch(&url, &[]).await;
    assert_eq!((s, body.len()), (StatusCode::OK, data.len()));
    assert_eq!(
        h.get("accept-ranges").and_then(|v| v.to_str().ok()),
        Some("bytes")
    );
}

async fn limits_and_quotas_are_enforced_with_clear_answers(b: Backend) {
    let options = Options {
        uploads: lifebuoy_server::uploads::UploadLimits {
            max_file_bytes: 1024 * 1024,
            user_staged_quota: 2 * 1024 * 1024 + 512 * 1024,
            ticket_quota: 1536 * 1024,
            ..Default::default()
        },
        ..Options::default()
    };
    let env = Env::start(b, options).await;
    let fran = env.server.login(FIELD).await;
    let text = |n: usize| vec![b'x'; n];

    let big = fran
        .upload("big.txt", "text/plain", text(1024 * 1024 + 1))
        .await;
    assert_problem(&big, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(big.json["detail"]
        .as_str()
        .unwrap_or("")
        .contains("1.0 MiB"));
    assert!(
        env.stored().is_empty(),
        "a refused upload leaves nothing: {:?}",
        env.stored()
    );

    let a = upload_ok(&fran, "a.txt", "text/plain", text(1000 * 1024)).await;
    let b2 = upload_ok(&fran, "b.txt", "text/plain", text(1000 * 1024)).await;
    let over = fran.upload("c.txt", "text/plain", text(1000 * 1024)).await;
    assert_problem(&over, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(over.json["type"], "urn:lifebuoy:problem:quota-exceeded");
    assert_eq!(
        env.server
            .login(FIELD2)
            .await
            .upload("c.txt", "text/plain", text(10))
            .await
            .status,
        StatusCode::CREATED,
        "quotas are per user"
    );

    // Two 1000 KiB files exceed the 1.5 MiB a ticket may hold: nothing is created.
    let r = fran
        .json(
            Method::POST,
            "/api/v1/tickets",
            Some(json!({"subject": "s", "description": "d", "attachment_ids": [id(&a), id(&b2)]})),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(fran.get("/api/v1/tickets").await.1["items"]
        .as_array()
        .is_some_and(Vec::is_empty));

    let eleven: Vec<String> = (0..11)
        .map(|i| format!("6f1d2c3b-0000-4000-8000-0000000000{i:02}"))
        .collect();
    let r = fran
        .json(
            Method::POST,
            "/api/v1/tickets",
            Some(json!({"subject": "s", "description": "d", "attachment_ids": eleven})),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json["detail"]
        .as_str()
        .unwrap_or("")
        .contains("at most 10"));
}

async fn unused_uploads_are_swept(b: Backend) {
    let options = Options {
        uploads: lifebuoy_server::uploads::UploadLimits {
            staged_ttl: Duration::from_secs(1),
            ..Default::default()
        },
        sweep_every: Some(Duration::from_millis(200)),
        ..Options::default()
    };
    let env = Env::start(b, options).await;
    let fran = env.server.login(FIELD).await;
    let up = upload_ok(&fran, "late.png", "image/png", png(8, 8)).await;
    assert_eq!(env.stored().len(), 2, "file and thumbnail");
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while !env.stored().is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "not swept: {:?}",
            env.stored()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let r = fran
        .json(
            Method::POST,
            "/api/v1/tickets",
            Some(json!({"subject": "s", "description": "d", "attachment_ids": [id(&up)]})),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn uploads_are_idempotent(b: Backend) {
    let env = Env::start(b, Options::default()).await;
    let fran = env.server.login(FIELD).await;
    let one = fran
        .upload_keyed("a.txt", "text/plain", b"same".to_vec(), Some("u-1"))
        .await;
    let two = fran
        .upload_keyed("a.txt", "text/plain", b"same".to_vec(), Some("u-1"))
        .await;
    assert_eq!(
        (one.status, two.status),
        (StatusCode::CREATED, StatusCode::CREATED)
    );
    assert_eq!(one.json, two.json);
    assert_eq!(env.stored().len(), 1, "the retry's copy was dropped");
    let other = fran
        .upload_keyed("a.txt", "text/plain", b"different".to_vec(), Some("u-1"))
        .await;
    assert_problem(&other, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(env.stored().len(), 1);
}

async fn suite(b: Backend) {
    images_are_cleaned_previewed_and_served_inline(b).await;
    lies_and_dangers_are_refused_and_leave_nothing(b).await;
    names_are_cleaned_and_keys_are_the_servers(b).await;
    attachments_go_with_tickets_and_replies_exactly_once(b).await;
    only_those_who_may_see_the_ticket_get_the_file(b).await;
    ranges_serve_parts_of_large_files(b).await;
    limits_and_quotas_are_enforced_with_clear_answers(b).await;
    unused_uploads_are_swept(b).await;
    uploads_are_idempotent(b).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachment_suite_on_local_disk() {
    suite(Backend::Local).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachment_suite_on_s3() {
    suite(Backend::S3).await;
}
