//! What the CLI tests share: running the built `lifebuoy` against a data dir, reading its
//! output, and signing the demo requester in. Each test file uses a part of it.
#![allow(dead_code)]

use std::path::Path;
use std::process::Output;

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_lifebuoy");

pub const REQUESTER: &str = "field@demo.test";

pub fn lifebuoy(root: &Path, args: &[&str], stdin: &str) -> Output {
    lifebuoy_testkit::run_client(BIN, root, args, stdin)
}

pub fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard output then standard error, for messages and failure reports.
pub fn all(o: &Output) -> String {
    format!("{}{}", out(o), String::from_utf8_lossy(&o.stderr))
}

pub fn json_of(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or(Value::Null)
}

/// `lifebuoy login` as the demo requester with `password` on standard input.
pub fn login(server: &str, root: &Path, password: &str) -> Output {
    lifebuoy(
        root,
        &[
            "login",
            "--server",
            server,
            "--email",
            REQUESTER,
            "--password-stdin",
        ],
        &format!("{password}\n"),
    )
}
