//! What the client's integration tests share: signing in to the real server.
#![allow(dead_code)] // each test file uses its own part of this

use std::path::Path;

use lifebuoy_client::{Client, ClientOptions};
use lifebuoy_testkit::{data_root, keyring, PASSWORD};

/// Signs in with the demo password, keeping the client's data under `root`.
pub async fn sign_in_at(base: &str, email: &str, root: &Path) -> Client {
    keyring();
    Client::login(
        base,
        email,
        PASSWORD,
        ClientOptions {
            data_root: Some(root.to_path_buf()),
        },
    )
    .await
    .expect("sign in")
}

/// Signs in on a device of its own: a fresh data directory.
pub async fn sign_in(base: &str, email: &str) -> Client {
    sign_in_at(base, email, &data_root()).await
}
