//! A real S3-compatible server (`s3s-fs`) on loopback, for running the attachment suite
//! against S3 storage. `scripts/test` installs it (`cargo install s3s-fs`).
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use lifebuoy_server::blobs::BlobConfig;

pub const ACCESS_KEY: &str = "lifebuoy-test-key";
pub const SECRET_KEY: &str = "lifebuoy-test-secret";
pub const BUCKET: &str = "lifebuoy-files";

pub struct S3Server {
    pub endpoint: String,
    pub root: tempfile::TempDir,
    child: Child,
}

fn binary() -> PathBuf {
    if let Ok(path) = std::env::var("S3S_FS_BIN") {
        return PathBuf::from(path);
    }
    let home_bin = std::env::var("HOME")
        .map(|h| PathBuf::from(h).join(".cargo/bin/s3s-fs"))
        .unwrap_or_default();
    if home_bin.exists() {
        home_bin
    } else {
        PathBuf::from("s3s-fs")
    }
}

impl S3Server {
    pub fn start() -> Self {
        let root = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(root.path().join(BUCKET)).expect("bucket dir");
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("free port");
        let child = Command::new(binary())
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY])
            .arg(root.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("s3s-fs must be installed: run ./scripts/test, or `cargo install s3s-fs@0.14.1 --features binary --locked`");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "s3s-fs did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        // object_store reads credentials from the environment, as the server does.
        std::env::set_var("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        std::env::set_var("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        Self {
            endpoint: format!("http://127.0.0.1:{port}"),
            root,
            child,
        }
    }

    pub fn config(&self) -> BlobConfig {
        BlobConfig::S3 {
            endpoint: self.endpoint.clone(),
            bucket: BUCKET.to_owned(),
            region: "us-east-1".to_owned(),
        }
    }

    /// Files in the bucket, as s3s-fs keeps them on its disk.
    pub fn objects(&self) -> Vec<String> {
        crate::common::files_under(&self.root.path().join(BUCKET))
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
