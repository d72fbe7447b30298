//! Runs the bench binary end to end on a tiny database, against the real server binary.

use std::error::Error;
use std::path::Path;
use std::process::Command;

type TestResult = Result<(), Box<dyn Error>>;

const WORKLOADS: [&str; 5] = ["create", "reply", "list-first", "list-deep", "detail"];

/// Depending on the server's library does not build its binary. `cargo test --workspace`
/// builds it anyway (the server's own tests run it), so use that one; only when it is
/// missing (this crate tested alone) build it here. A nested build is avoided otherwise:
/// without the workspace's dev-dependencies its features differ, and it would rebuild
/// much of the dependency tree.
fn build_server_next_to(bench: &Path) -> TestResult {
    let profile_dir = bench.parent().ok_or("the bench binary has no directory")?;
    if profile_dir.join("lifebuoy-server").is_file() {
        return Ok(());
    }
    let target_dir = profile_dir
        .parent()
        .ok_or("the profile directory has no parent")?;
    let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") => "dev".to_owned(),
        Some(other) => other.to_owned(),
        None => return Err("cannot tell the build profile".into()),
    };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| env!("CARGO").to_owned());
    let status = Command::new(cargo)
        .args([
            "build",
            "--quiet",
            "-p",
            "lifebuoy-server",
            "--bin",
            "lifebuoy-server",
        ])
        .args(["--profile", &profile, "--target-dir"])
        .arg(target_dir)
        .status()?;
    if !status.success() {
        return Err(format!("building lifebuoy-server failed: {status}").into());
    }
    Ok(())
}

#[test]
fn a_smoke_run_measures_every_workload_without_errors() -> TestResult {
    let bench = Path::new(env!("CARGO_BIN_EXE_lifebuoy-bench"));
    build_server_next_to(bench)?;
    let work = tempfile::tempdir()?;
    let output = Command::new(bench)
        .args([
            "--tickets",
            "2000",
            "--seconds",
            "1",
            "--clients",
            "4",
            "--work-dir",
        ])
        .arg(work.path())
        .output()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the bench failed: {}\n{stdout}\n{stderr}",
        output.status
    );

    for workload in WORKLOADS {
        let line = stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(workload))
            .ok_or_else(|| format!("no result line for {workload} in:\n{stdout}"))?;
        let cells: Vec<&str> = line.split_whitespace().collect();
        let ok: u64 = cells.get(1).ok_or("no ok column")?.parse()?;
        assert!(ok > 0, "{workload} completed no request: {line}");
        assert_eq!(
            cells.get(2),
            Some(&"0"),
            "{workload} had errors: {line}\n{stdout}"
        );
    }
    for floor in ["http GET constant JSON", "http POST", "sqlite insert"] {
        assert!(stdout.contains(floor), "no {floor} floor in:\n{stdout}");
    }
    assert!(stdout.contains("create ÷ SQLite insert floor"), "{stdout}");
    assert!(stdout.contains("== Targets =="), "{stdout}");
    Ok(())
}

/// The `files` group in a tiny mode: small files, a few MiB a row, a short memory phase.
#[test]
fn a_smoke_run_of_the_files_group_moves_every_file_without_errors() -> TestResult {
    let bench = Path::new(env!("CARGO_BIN_EXE_lifebuoy-bench"));
    build_server_next_to(bench)?;
    let work = tempfile::tempdir()?;
    let output = Command::new(bench)
        .args([
            "files",
            "--sizes-kib",
            "64,1024",
            "--mib-per-run",
            "3",
            "--rss-clients",
            "4",
            "--rss-seconds",
            "1",
            "--rss-size-kib",
            "1024",
            "--rss-max-uploads",
            "20",
            "--work-dir",
        ])
        .arg(work.path())
        .output()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the files bench failed: {}\n{stdout}\n{stderr}",
        output.status
    );
    // measurement, size, clients, ok, errors, ...
    let mut seen = 0;
    for line in stdout.lines() {
        let cells: Vec<&str> = line.split_whitespace().collect();
        let Some(&name) = cells.first() else { continue };
        if ![
            "disk-fsync",
            "disk-nofsync",
            "upload",
            "download",
            "memory-upload",
        ]
        .contains(&name)
        {
            continue;
        }
        let ok: u64 = cells.get(3).ok_or("no ok column")?.parse()?;
        assert!(ok > 0, "{name} moved no file: {line}");
        assert_eq!(
            cells.get(4),
            Some(&"0"),
            "{name} had errors: {line}\n{stdout}"
        );
        seen += 1;
    }
    // Per size: two disk floors, two upload and two download rows; then the memory row.
    assert_eq!(seen, 2 * 6 + 1, "missing result rows in:\n{stdout}");
    assert!(stdout.contains("== Attachment targets =="), "{stdout}");
    assert!(stdout.contains("server RSS flat"), "{stdout}");
    Ok(())
}

/// The `client` group in a tiny mode: 100 tickets, 20 queued replies, 20 timed events.
#[test]
fn a_smoke_run_of_the_client_group_measures_every_phase_without_errors() -> TestResult {
    let bench = Path::new(env!("CARGO_BIN_EXE_lifebuoy-bench"));
    build_server_next_to(bench)?;
    let work = tempfile::tempdir()?;
    let output = Command::new(bench)
        .args([
            "client",
            "--tickets",
            "100",
            "--replies",
            "20",
            "--events",
            "20",
            "--work-dir",
        ])
        .arg(work.path())
        .output()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the client bench failed: {}\n{stdout}\n{stderr}",
        output.status
    );
    for phase in [
        "first-sync",
        "idle-sync",
        "incremental-sync",
        "outbox-flush",
        "agent-post",
        "reply-to-event",
    ] {
        let line = stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(phase))
            .ok_or_else(|| format!("no result line for {phase} in:\n{stdout}"))?;
        // measurement, errors, ...
        assert_eq!(
            line.split_whitespace().nth(1),
            Some("0"),
            "{phase} had errors: {line}\n{stdout}"
        );
    }
    assert!(stdout.contains("100 tickets, 500 messages"), "{stdout}");
    assert!(stdout.contains("20 sent of 20 queued"), "{stdout}");
    assert!(stdout.contains("20 timed"), "{stdout}");
    assert!(stdout.contains("== Client targets =="), "{stdout}");
    Ok(())
}

#[test]
fn a_missing_server_binary_is_explained() -> TestResult {
    let output = Command::new(env!("CARGO_BIN_EXE_lifebuoy-bench"))
        .args([
            "--tickets",
            "2000",
            "--server-bin",
            "/nonexistent/lifebuoy-server",
        ])
        .output()?;
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cargo build --release -p lifebuoy-server"),
        "{stderr}"
    );
    Ok(())
}

/// The `staff` group on 2,000 tickets: every queue page and the stats answer without
/// errors, and the export's row count matches its X-Total-Count (the bench fails if not).
#[test]
fn a_smoke_run_of_the_staff_group_measures_every_workload_without_errors() -> TestResult {
    let bench = Path::new(env!("CARGO_BIN_EXE_lifebuoy-bench"));
    build_server_next_to(bench)?;
    let work = tempfile::tempdir()?;
    let output = Command::new(bench)
        .args([
            "staff",
            "--tickets",
            "2000",
            "--seconds",
            "1",
            "--clients",
            "4",
            "--work-dir",
        ])
        .arg(work.path())
        .output()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the staff bench failed: {}\n{stdout}\n{stderr}",
        output.status
    );
    for workload in [
        "queue-filtered",
        "queue-search",
        "queue-unassigned",
        "stats",
    ] {
        let line = stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(workload))
            .ok_or_else(|| format!("no result line for {workload} in:\n{stdout}"))?;
        // workload, clients, ok, errors, ...
        let cells: Vec<&str> = line.split_whitespace().collect();
        let ok: u64 = cells.get(2).ok_or("no ok column")?.parse()?;
        assert!(ok > 0, "{workload} completed no request: {line}");
        assert_eq!(cells.get(3), Some(&"0"), "{workload} had errors: {line}");
    }
    let export = stdout
        .lines()
        .find(|l| l.starts_with("all tickets"))
        .ok_or_else(|| format!("no export line in:\n{stdout}"))?;
    let rows: u64 = export
        .split_whitespace()
        .nth(2)
        .ok_or("no rows column")?
        .parse()?;
    assert_eq!(rows, 2000, "{export}");
    assert!(stdout.contains("export peak RSS"), "{stdout}");
    Ok(())
}

/// The screenshot part of the desktop group (the app part needs the desktop app built,
/// which this crate's tests do not build; BENCHMARKS.md records it run by hand).
#[test]
fn a_smoke_run_of_the_desktop_capture_times_every_step_of_the_painted_screen() -> TestResult {
    let bench = Path::new(env!("CARGO_BIN_EXE_lifebuoy-bench"));
    let work = tempfile::tempdir()?;
    let output = Command::new(bench)
        .args([
            "desktop",
            "--only",
            "capture",
            "--capture-iterations",
            "2",
            "--work-dir",
        ])
        .arg(work.path())
        .output()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // It fails outright when the capture is not the painted desktop.
    assert!(
        output.status.success(),
        "the desktop bench failed: {}\n{stdout}\n{stderr}",
        output.status
    );
    for step in [
        "capture (",
        "edit (crop + 3 blackouts)",
        "encode PNG",
        "total",
        "preview",
    ] {
        let line = stdout
            .lines()
            .find(|l| l.starts_with(step))
            .ok_or_else(|| format!("no result line for {step} in:\n{stdout}"))?;
        let p50: f64 = line
            .split_whitespace()
            .find_map(|cell| cell.parse().ok())
            .ok_or_else(|| format!("no time in {line}"))?;
        assert!(p50 > 0.0, "{line}");
    }
    assert!(stdout.contains("PNG "), "{stdout}");
    Ok(())
}
