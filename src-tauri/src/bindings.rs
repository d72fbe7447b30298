//! The typed bridge to the UI: every command and event, and the TypeScript bindings
//! generated from them (`ui/src/bindings.ts`, checked by a test to be current).

use std::path::Path;

use tauri_specta::{collect_commands, collect_events, Builder};

use crate::commands::{
    admin, article, compose, outbox, reports, session, settings, staff, system, tickets,
};
use crate::{events, screenshot, startup_probe};

pub fn builder() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new()
        .commands(collect_commands![
            session::session,
            session::resume,
            session::sign_in,
            session::sign_out,
            session::default_server,
            tickets::list_tickets,
            tickets::ticket_counts,
            tickets::ticket_detail,
            tickets::thumbnail,
            tickets::save_attachment,
            tickets::categories,
            tickets::validate_ticket,
            article::open_related_article,
            compose::load_draft,
            compose::save_draft,
            compose::discard_draft,
            compose::pick_files,
            compose::attach_dropped,
            compose::remove_draft_file,
            compose::draft_file_preview,
            compose::submit_ticket,
            compose::submit_reply,
            compose::close_ticket,
            compose::reopen_ticket,
            outbox::outbox,
            outbox::retry_outbox,
            outbox::discard_outbox,
            system::system_info,
            screenshot::capture_screen,
            screenshot::attach_screenshot,
            screenshot::discard_capture,
            screenshot::list_windows,
            screenshot::capture_window,
            settings::settings,
            settings::save_settings,
            staff::queue,
            staff::queue_counts,
            staff::staff_ticket,
            staff::refresh_ticket,
            staff::update_ticket,
            staff::submit_note,
            staff::mark_resolution,
            staff::bulk_update,
            staff::agents,
            reports::stats,
            reports::export_tickets,
            reports::cancel_export,
            admin::list_users,
            admin::create_user,
            admin::update_user,
            admin::list_categories,
            admin::create_category,
            admin::update_category,
            startup_probe::startup_painted,
        ])
        .events(collect_events![
            events::Changed,
            events::OpenTicket,
            events::FilesDropped,
            events::NewTicketRequested,
            reports::ExportProgressed,
        ])
        // One type per struct: the UI only reads what Rust sends and sends what it reads.
        .disable_serde_phases()
        // Outbox ids and counts are far below 2^53.
        .dangerously_cast_bigints_to_number()
}

pub fn export(path: &Path) -> Result<(), String> {
    builder()
        .export(
            specta_typescript::Typescript::default()
                .header("// Generated from the Rust commands by src-tauri/src/bindings.rs: do not edit.\n// Regenerate: LIFEBUOY_WRITE_BINDINGS=1 cargo test -p lifebuoy-desktop bindings"),
            path,
        )
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::command_names::COMMANDS;

    fn checked_in() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts")
    }

    /// A JSON file of the app's, by its path from `src-tauri/`.
    fn config(relative: &str) -> serde_json::Value {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn bindings_are_current() {
        let dir = tempfile::tempdir().unwrap();
        let fresh = dir.path().join("bindings.ts");
        export(&fresh).unwrap();
        let fresh = std::fs::read_to_string(&fresh).unwrap();
        if std::env::var_os("LIFEBUOY_WRITE_BINDINGS").is_some() {
            std::fs::write(checked_in(), &fresh).unwrap();
        }
        let current = std::fs::read_to_string(checked_in()).unwrap_or_default();
        assert!(
            current == fresh,
            "ui/src/bindings.ts is out of date: run `LIFEBUOY_WRITE_BINDINGS=1 cargo test -p lifebuoy-desktop bindings`"
        );
    }

    /// The commands the bindings can invoke, the permission manifest and the capability
    /// file all name the same set: nothing callable that is not granted on purpose.
    #[test]
    fn capability_grants_exactly_the_registered_commands() {
        let dir = tempfile::tempdir().unwrap();
        export(&dir.path().join("bindings.ts")).unwrap();
        let bindings = std::fs::read_to_string(dir.path().join("bindings.ts")).unwrap();
        // Calls look like `__TAURI_INVOKE("name"` or `__TAURI_INVOKE<T>("name"`.
        let invoked: BTreeSet<String> = bindings
            .split("__TAURI_INVOKE")
            .skip(1)
            .filter(|rest| rest.starts_with('(') || rest.starts_with('<'))
            .filter_map(|rest| rest.split_once("(\"")?.1.split('"').next())
            .map(str::to_owned)
            .collect();
        let listed: BTreeSet<String> = COMMANDS.iter().map(|c| c.to_string()).collect();
        assert_eq!(
            invoked, listed,
            "command_names.rs and the registered commands differ"
        );

        let capability = config("capabilities/main.json");
        let granted: BTreeSet<String> = capability["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_owned())
            .collect();
        let mut expected: BTreeSet<String> = COMMANDS
            .iter()
            .map(|c| format!("allow-{}", c.replace('_', "-")))
            .collect();
        expected.insert("core:event:allow-listen".into());
        expected.insert("core:event:allow-unlisten".into());
        assert_eq!(granted, expected);
    }

    #[test]
    fn csp_forbids_eval_inline_script_and_foreign_connections() {
        let conf = config("../tauri.conf.json");
        let csp = &conf["app"]["security"]["csp"];
        let script = csp["script-src"].as_str().unwrap();
        assert!(!script.contains("unsafe-eval") && !script.contains("unsafe-inline"));
        assert_eq!(csp["connect-src"], "ipc: http://ipc.localhost");
        assert_eq!(csp["object-src"], "'none'");
        assert_eq!(conf["app"]["withGlobalTauri"], false);
    }
}
