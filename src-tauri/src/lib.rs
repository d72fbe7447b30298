//! Lifebuoy's desktop app: a thin Tauri shell over `lifebuoy_client`. Every ticket,
//! reply and draft goes through the client's store and outbox; this crate adds what
//! only a desktop app can do (screenshots, system details, the keyring, notifications,
//! a global shortcut) and the typed commands the UI calls.

pub mod bindings;
#[cfg(test)]
mod command_names;
pub mod commands;
pub mod error;
pub mod events;
pub mod notify;
pub mod screenshot;
pub mod settings;
mod shortcut;
pub mod startup_probe;
pub mod state;
#[cfg(target_os = "linux")]
mod webkit;
mod window;

use tauri::{DragDropEvent, Manager, RunEvent, WindowEvent};
use tauri_specta::Event;

use crate::events::FilesDropped;
use crate::state::{lock, AppState};

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("LIFEBUOY_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,lifebuoy=info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// `--open KEY` on the command line: show that ticket (used by a second launch).
fn open_argument(args: &[String]) -> Option<&str> {
    let at = args.iter().position(|a| a == "--open")?;
    args.get(at + 1).map(String::as_str)
}

pub fn run() {
    #[cfg(target_os = "linux")]
    webkit::baseline_jit_only();
    init_tracing();
    let data_root = match lifebuoy_client::paths::data_root(None) {
        Ok(root) => root,
        Err(e) => {
            eprintln!("Lifebuoy cannot find a place for its data: {e}");
            std::process::exit(1);
        }
    };
    let specta = bindings::builder();
    let app = tauri::Builder::default()
        // First, so a second launch hands over to the running app before doing anything.
        .plugin(tauri_plugin_single_instance::init(
            |app, args, _cwd| match open_argument(&args) {
                Some(key) => window::open_ticket(app, key),
                None => window::bring_forward(app),
            },
        ))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(shortcut::plugin())
        .manage(AppState::new(data_root))
        .manage(commands::reports::Exports::default())
        .invoke_handler(specta.invoke_handler())
        .setup(move |app| {
            specta.mount_events(app);
            let state = app.state::<AppState>();
            shortcut::register(app.handle(), &state.settings().shortcut);
            #[cfg(target_os = "linux")]
            if let Some(main) = window::main_window(app.handle()) {
                webkit::slim(&main);
            }
            Ok(())
        })
        .on_window_event(|window, event| {
            if let WindowEvent::DragDrop(DragDropEvent::Drop { paths, .. }) = event {
                let names = paths
                    .iter()
                    .filter_map(|p| p.file_name())
                    .map(|n| n.to_string_lossy().into_owned())
                    .collect();
                if let Some(state) = window.try_state::<AppState>() {
                    *lock(&state.dropped) = paths.clone();
                }
                let _ = FilesDropped { names }.emit(window.app_handle());
            }
        })
        .build(tauri::generate_context!("../tauri.conf.json"));
    let app = match app {
        Ok(app) => app,
        Err(e) => {
            eprintln!("Lifebuoy could not start: {e}");
            std::process::exit(1);
        }
    };
    app.run(|handle, event| {
        if let RunEvent::Exit = event {
            let state = handle.state::<AppState>();
            tauri::async_runtime::block_on(commands::session::forget_if_not_remembered(&state));
        }
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_second_launch_can_name_a_ticket() {
        let args: Vec<String> = ["lifebuoy-desktop", "--open", "local-1"]
            .map(String::from)
            .to_vec();
        assert_eq!(super::open_argument(&args), Some("local-1"));
        assert_eq!(super::open_argument(&args[..2]), None);
    }
}
