//! Builds the UI with Vite (so a plain `cargo build` gives a complete app), then lets
//! tauri-build embed it, with a permission manifest that lists exactly our commands.

use std::path::{Path, PathBuf};
use std::process::Command;

include!("src/command_names.rs");

fn main() {
    // Read at run time, not baked in with env!: cargo reuses a compiled build script
    // across checkouts that share a target directory, and the baked-in path would point
    // at whichever checkout compiled it first.
    let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR") else {
        println!("cargo:warning=cargo did not say where the desktop crate is (CARGO_MANIFEST_DIR)");
        std::process::exit(1);
    };
    let ui = PathBuf::from(manifest_dir).join("../ui");
    for watched in [
        "src",
        "index.html",
        "package.json",
        "package-lock.json",
        "vite.config.ts",
        "tsconfig.json",
    ] {
        println!("cargo:rerun-if-changed={}", ui.join(watched).display());
    }
    println!("cargo:rerun-if-env-changed=LIFEBUOY_SKIP_UI_BUILD");
    if let Err(message) = build_ui(&ui) {
        println!("cargo:warning={message}");
        std::process::exit(1);
    }
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        println!("cargo:warning=tauri-build failed: {e:#}");
        std::process::exit(1);
    }
}

fn build_ui(ui: &Path) -> Result<(), String> {
    // For machines that build the Rust side only against an already built UI.
    if std::env::var_os("LIFEBUOY_SKIP_UI_BUILD").is_some() && ui.join("dist/index.html").exists() {
        return Ok(());
    }
    if !ui.join("node_modules").exists() {
        npm(ui, &["ci", "--no-audit", "--no-fund"])?;
    }
    npm(ui, &["run", "build"])
}

fn npm(ui: &Path, args: &[&str]) -> Result<(), String> {
    let status = Command::new("npm")
        .args(args)
        .current_dir(ui)
        .status()
        .map_err(|e| {
            format!(
                "cannot run npm ({e}): the desktop UI is built with Node.js 20.19+ and npm; \
                 install them (e.g. `apt-get install nodejs npm`)"
            )
        })?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`npm {}` in ui/ failed ({status})", args.join(" ")))
    }
}
