//! Uploaded files: what is accepted, how images are cleaned, how bytes reach storage,
//! and how what was never used (or never finished) is swept away.

pub mod checks;
pub mod images;
pub mod receive;
pub mod sweep;

use std::time::Duration;

pub const MIB: u64 = 1024 * 1024;

/// The limits an operator can set (`lifebuoy-server serve --help`).
#[derive(Debug, Clone)]
pub struct UploadLimits {
    pub max_file_bytes: u64,
    /// How long an upload waits to be attached before it is deleted.
    pub staged_ttl: Duration,
    /// The most bytes one user may have uploaded but not attached yet.
    pub user_staged_quota: u64,
    /// The most bytes of files one ticket may hold in all.
    pub ticket_quota: u64,
}

impl Default for UploadLimits {
    fn default() -> Self {
        Self {
            max_file_bytes: 10 * MIB,
            staged_ttl: Duration::from_secs(24 * 60 * 60),
            user_staged_quota: 200 * MIB,
            ticket_quota: 100 * MIB,
        }
    }
}

pub fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / MIB as f64)
}
