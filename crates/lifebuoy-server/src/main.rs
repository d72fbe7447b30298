use std::process::ExitCode;

/// Keeps memory flat under sign-ins. Each password hash takes a 19 MiB block; glibc would
/// serve the first from mmap, then raise its mmap threshold and keep later blocks in its
/// heap arenas, so resident memory grows with every concurrent sign-in and never shrinks.
/// A fixed threshold keeps such blocks mmapped, returned to the system when freed.
///
/// Fixing it also fixes the trim threshold at glibc's 128 KiB, and every gzip compressor
/// (a few hundred KiB, one per compressed answer) then went back to the system on free
/// and was faulted in again by the next answer: about a tenth of the server's CPU under
/// load. Up to 1 MiB of free space may stay in each arena instead.
fn keep_large_blocks_returnable() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only adjusts allocator tuning; it is called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1024 * 1024);
    }
}

fn main() -> ExitCode {
    keep_large_blocks_returnable();
    match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime.block_on(run()),
        Err(e) => {
            eprintln!("lifebuoy-server: cannot start the async runtime: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> ExitCode {
    match lifebuoy_server::cli::run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lifebuoy-server: {}", user_message(&e));
            ExitCode::FAILURE
        }
    }
}

/// Field errors carry their own words; the rest say what failed.
fn user_message(e: &lifebuoy_server::Error) -> String {
    match e {
        lifebuoy_server::Error::Validation(errors) => errors
            .iter()
            .map(|f| f.message.clone())
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}
