//! A requester working at the same time as the app: a headless `lifebuoy_client::Client`
//! (the same crate the CLI uses) running its sync loop, live events and outbox against
//! the test server, with every event it raises recorded.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lifebuoy_client::{Client, ClientEvent, ClientOptions, LocalTicketDetail};
use lifebuoy_testkit::{Server, PASSWORD};
use tokio::sync::broadcast::error::RecvError;

use super::app::WAIT;

#[derive(Default)]
struct Heard {
    events: Vec<ClientEvent>,
    /// Events dropped because the recorder fell behind: "never saw it" would mean nothing.
    lagged: u64,
}

pub struct Requester {
    pub client: Client,
    heard: Arc<Mutex<Heard>>,
    _root: tempfile::TempDir,
}

impl Requester {
    /// Signs in (the token goes to the test keyring) and starts syncing and sending.
    pub async fn sign_in(server: &Server, email: &str) -> Self {
        let root = tempfile::tempdir().unwrap();
        let client = Client::login(
            &server.base,
            email,
            PASSWORD,
            ClientOptions {
                data_root: Some(root.path().to_owned()),
            },
        )
        .await
        .expect("the requester signs in");
        let heard = Arc::new(Mutex::new(Heard::default()));
        let mut events = client.subscribe();
        let record = heard.clone();
        tokio::spawn(async move {
            loop {
                match events.recv().await {
                    Ok(event) => record.lock().unwrap().events.push(event),
                    Err(RecvError::Lagged(n)) => record.lock().unwrap().lagged += n,
                    Err(RecvError::Closed) => return,
                }
            }
        });
        // Runs until `stop` (on drop); the handle is not needed for that.
        drop(client.run());
        Self {
            client,
            heard,
            _root: root,
        }
    }

    /// Every event the client raised so far (none was missed).
    pub fn events(&self) -> Vec<ClientEvent> {
        let heard = self.heard.lock().unwrap();
        assert_eq!(heard.lagged, 0, "the event recorder fell behind");
        heard.events.clone()
    }

    /// Waits for an event that `pick` accepts.
    pub async fn wait_for_event(
        &self,
        what: &str,
        pick: impl Fn(&ClientEvent) -> bool,
    ) -> ClientEvent {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(e) = self.events().into_iter().find(|e| pick(e)) {
                return e;
            }
            assert!(
                Instant::now() < deadline,
                "the requester's client never raised {what}; it raised {:?}",
                self.events()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the client's local store holds `reference` in a state `ok` accepts.
    pub async fn wait_for_ticket(
        &self,
        reference: &str,
        what: &str,
        ok: impl Fn(&LocalTicketDetail) -> bool,
    ) -> LocalTicketDetail {
        let deadline = Instant::now() + WAIT;
        loop {
            let detail = self.client.ticket(reference).expect("read the local store");
            match detail {
                Some(d) if ok(&d) => return d,
                other => assert!(
                    Instant::now() < deadline,
                    "the requester's store never had {what}; it has {other:?}"
                ),
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Requester {
    fn drop(&mut self) {
        self.client.stop();
    }
}
