//! Runs the bench binary end to end on a tiny database, against the real server binary.

use std::error::Error;
use std::path::Path;
use std::process::Command;

type TestResult = Result<(), Box<dyn Error>>;

const WORKLOADS: [&str; 5] = ["create", "reply", "list-first", "list-deep", "detail"];

/// Depending on the server's library does not build its binary, so build it here, into
/// the same target directory and profile as this bench; a no-op when it is up to date.
fn build_server_next_to(bench: &Path) -> TestResult {
    let profile_dir = bench.parent().ok_or("the bench binary has no directory")?;
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
