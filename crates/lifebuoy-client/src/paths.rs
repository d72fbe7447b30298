//! Where an account's local data lives: `<data dir>/lifebuoy/accounts/<id>/`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{ClientError, Result};

/// The root of all local data: `LIFEBUOY_CLIENT_DIR`, else the OS data directory.
pub fn data_root(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("LIFEBUOY_CLIENT_DIR") {
        return Ok(PathBuf::from(p));
    }
    dirs::data_dir().map(|d| d.join("lifebuoy")).ok_or_else(|| {
        ClientError::Invalid("no data directory on this system; set LIFEBUOY_CLIENT_DIR".into())
    })
}

/// One directory per server and account.
pub fn account_dir(root: &Path, server: &str, email: &str) -> PathBuf {
    let digest = Sha256::digest(format!("{server}\n{}", email.to_lowercase()).as_bytes());
    root.join("accounts").join(&hex::encode(digest)[..20])
}

/// The account last signed in, so the app and CLI can resume without asking.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CurrentAccount {
    pub server: String,
    pub email: String,
}

pub fn read_current(root: &Path) -> Result<Option<CurrentAccount>> {
    match std::fs::read_to_string(root.join("current.json")) {
        Ok(text) => Ok(Some(serde_json::from_str(&text)?)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

pub fn write_current(root: &Path, account: &CurrentAccount) -> Result<()> {
    std::fs::create_dir_all(root)?;
    let tmp = root.join("current.json.tmp");
    std::fs::write(&tmp, serde_json::to_vec_pretty(account)?)?;
    std::fs::rename(tmp, root.join("current.json"))?;
    Ok(())
}

pub fn clear_current(root: &Path) -> Result<()> {
    match std::fs::remove_file(root.join("current.json")) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e.into()),
    }
}
