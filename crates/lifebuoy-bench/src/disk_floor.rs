//! The floor for uploads: this machine writing the same bytes straight to a file on the
//! filesystem that holds the server's data, with and without fsync. A server that stores
//! uploads cannot write them faster than this.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};

use crate::load::Outcome;

/// Writes `count` files of `data` under `dir` (then deletes them); one latency per file.
pub fn write_files(dir: &Path, data: &[u8], count: usize, fsync: bool) -> Result<Outcome> {
    let floor_dir = dir.join("disk-floor");
    std::fs::create_dir_all(&floor_dir)
        .with_context(|| format!("creating {}", floor_dir.display()))?;
    let mut latencies = Vec::with_capacity(count);
    let started = Instant::now();
    for i in 0..count {
        let path = floor_dir.join(format!("file-{i}"));
        let t0 = Instant::now();
        let mut file =
            std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
        file.write_all(data)
            .with_context(|| format!("writing {}", path.display()))?;
        if fsync {
            file.sync_all()
                .with_context(|| format!("syncing {}", path.display()))?;
        }
        drop(file);
        latencies.push(u32::try_from(t0.elapsed().as_micros()).unwrap_or(u32::MAX));
    }
    let seconds = started.elapsed().as_secs_f64();
    // Unsynced bytes would otherwise be flushed during the next measurement and slow it.
    if let Ok(d) = std::fs::File::open(&floor_dir) {
        let _ = d.sync_all();
    }
    std::fs::remove_dir_all(&floor_dir)
        .with_context(|| format!("removing {}", floor_dir.display()))?;
    Ok(Outcome::from_latencies(latencies, 0, seconds))
}
