use std::process::ExitCode;

/// Keeps memory flat under sign-ins. Each password hash takes a 19 MiB block; glibc would
/// serve the first from mmap, then raise its mmap threshold and keep later blocks in its
/// heap arenas, so resident memory grows with every concurrent sign-in and never shrinks.
/// A fixed threshold keeps such blocks mmapped, returned to the system when freed.
fn keep_large_blocks_returnable() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only adjusts allocator tuning; it is called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024);
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
