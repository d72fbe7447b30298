//! A freedesktop notification server on the test's private session bus: it records what
//! the app shows and can press a notification's button, as a user would.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use zbus::object_server::SignalEmitter;
use zbus::zvariant::OwnedValue;

const PATH: &str = "/org/freedesktop/Notifications";

#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub id: u32,
    pub app_name: String,
    pub summary: String,
    pub body: String,
    pub actions: Vec<String>,
}

#[derive(Default)]
struct Server {
    shown: Arc<Mutex<Vec<Shown>>>,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Server {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        _hints: HashMap<String, OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        let mut shown = self.shown.lock().unwrap();
        let id = shown.len() as u32 + 1;
        shown.push(Shown {
            id,
            app_name,
            summary,
            body,
            actions,
        });
        id
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["actions".into(), "body".into()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "lifebuoy-e2e".into(),
            "lifebuoy".into(),
            "1".into(),
            "1.2".into(),
        )
    }

    fn close_notification(&self, _id: u32) {}

    #[zbus(signal)]
    async fn action_invoked(
        emitter: &SignalEmitter<'_>,
        id: u32,
        action_key: &str,
    ) -> zbus::Result<()>;
}

pub struct Notifications {
    conn: zbus::Connection,
    shown: Arc<Mutex<Vec<Shown>>>,
}

impl Notifications {
    /// Owns `org.freedesktop.Notifications` on the session bus of `DBUS_SESSION_BUS_ADDRESS`.
    pub async fn start() -> Self {
        let shown = Arc::new(Mutex::new(Vec::new()));
        let conn = zbus::connection::Builder::session()
            .unwrap()
            .name("org.freedesktop.Notifications")
            .unwrap()
            .serve_at(
                PATH,
                Server {
                    shown: shown.clone(),
                },
            )
            .unwrap()
            .build()
            .await
            .expect("own org.freedesktop.Notifications on the test bus");
        Self { conn, shown }
    }

    pub fn shown(&self) -> Vec<Shown> {
        self.shown.lock().unwrap().clone()
    }

    /// Waits for a notification whose summary contains `text`.
    pub async fn wait_for(&self, text: &str) -> Shown {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(n) = self.shown().into_iter().find(|n| n.summary.contains(text)) {
                return n;
            }
            assert!(
                Instant::now() < deadline,
                "no notification about {text:?}; saw {:?}",
                self.shown()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Presses a notification's button.
    pub async fn invoke(&self, id: u32, action: &str) {
        let iface = self
            .conn
            .object_server()
            .interface::<_, Server>(PATH)
            .await
            .unwrap();
        Server::action_invoked(iface.signal_emitter(), id, action)
            .await
            .unwrap();
    }
}
