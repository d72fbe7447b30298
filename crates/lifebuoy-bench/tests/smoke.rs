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

/// Runs the bench with `args` plus a fresh `--work-dir` against a server built next to
/// it, and returns what it printed, failing with its output when it fails.
fn run_bench(args: &[&str]) -> Result<String, Box<dyn Error>> {
    build_server_next_to(Path::new(env!("CARGO_BIN_EXE_lifebuoy-bench")))?;
    run_bench_alone(args)
}

/// [`run_bench`] for the parts that need no server (the desktop's capture and floor).
fn run_bench_alone(args: &[&str]) -> Result<String, Box<dyn Error>> {
    let bench = Path::new(env!("CARGO_BIN_EXE_lifebuoy-bench"));
    let work = tempfile::tempdir()?;
    let output = Command::new(bench)
        .args(args)
        .arg("--work-dir")
        .arg(work.path())
        .output()?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the bench {args:?} failed: {}\n{stdout}\n{stderr}",
        output.status
    );
    Ok(stdout)
}

/// The cells of the result line whose first word is `name`.
fn result_line<'a>(stdout: &'a str, name: &str) -> Result<Vec<&'a str>, Box<dyn Error>> {
    let line = stdout
        .lines()
        .find(|l| l.split_whitespace().next() == Some(name))
        .ok_or_else(|| format!("no result line for {name} in:\n{stdout}"))?;
    Ok(line.split_whitespace().collect())
}

/// The row counted some successes in column `ok` and no failure in column `errors`.
fn assert_all_ok(cells: &[&str], ok: usize, errors: usize) -> TestResult {
    let done: u64 = cells.get(ok).ok_or("no ok column")?.parse()?;
    assert!(done > 0, "{} completed nothing: {cells:?}", cells[0]);
    assert_eq!(
        cells.get(errors),
        Some(&"0"),
        "{} had errors: {cells:?}",
        cells[0]
    );
    Ok(())
}

#[test]
fn a_smoke_run_measures_every_workload_without_errors() -> TestResult {
    let stdout = run_bench(&["--tickets", "2000", "--seconds", "1", "--clients", "4"])?;

    // workload, ok, errors, ...
    for workload in WORKLOADS {
        assert_all_ok(&result_line(&stdout, workload)?, 1, 2)?;
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
    let stdout = run_bench(&[
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
    ])?;
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
        assert_all_ok(&cells, 3, 4)?;
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
    let stdout = run_bench(&[
        "client",
        "--tickets",
        "100",
        "--replies",
        "20",
        "--events",
        "20",
    ])?;
    for phase in [
        "first-sync",
        "idle-sync",
        "incremental-sync",
        "outbox-flush",
        "agent-post",
        "reply-to-event",
    ] {
        // measurement, errors, ...
        let cells = result_line(&stdout, phase)?;
        assert_eq!(cells.get(1), Some(&"0"), "{phase} had errors: {cells:?}");
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
    let stdout = run_bench(&[
        "staff",
        "--tickets",
        "2000",
        "--seconds",
        "1",
        "--clients",
        "4",
    ])?;
    for workload in [
        "queue-filtered",
        "queue-search",
        "queue-unassigned",
        "stats",
    ] {
        // workload, clients, ok, errors, ...
        assert_all_ok(&result_line(&stdout, workload)?, 2, 3)?;
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
    // It fails outright when the capture is not the painted desktop.
    let stdout = run_bench_alone(&["desktop", "--only", "capture", "--capture-iterations", "2"])?;
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

/// The framework floor alone: a bare WebKitGTK window (this crate's `lifebuoy-webkit-floor`)
/// loads its page on Xvfb and all three of its processes are read.
#[test]
fn a_smoke_run_of_the_desktop_floor_reads_the_bare_webkit_window_and_its_two_processes(
) -> TestResult {
    let stdout = run_bench_alone(&["desktop", "--only", "floor", "--idle-seconds", "2"])?;
    let rows: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("floor: bare WebKitGTK"))
        .collect();
    for process in [
        "lifebuoy-webkit",
        "WebKitNetworkPr",
        "WebKitWebProces",
        "all 3 processes",
    ] {
        let row = rows
            .iter()
            .find(|r| r.contains(process))
            .ok_or_else(|| format!("no row for {process} in:\n{stdout}"))?;
        let pss: f64 = row
            .split_whitespace()
            .last()
            .ok_or("an empty row")?
            .parse()?;
        // WebKit's libraries alone are tens of MB in every one of its processes.
        assert!(pss > 5.0, "{row}");
    }
    Ok(())
}
