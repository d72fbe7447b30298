//! The background sweep removes what has expired and keeps what the contract promises.

use chrono::{Duration, Utc};
use lifebuoy_domain::rules::Actor;
use lifebuoy_domain::Role;
use lifebuoy_server::store::sqlite::{Durability, SqliteStore};
use lifebuoy_server::store::{Created, Idempotency, NewTicket, NewUser, Store};

fn new_ticket(subject: &str) -> NewTicket {
    NewTicket {
        subject: subject.into(),
        description: "d".into(),
        category: Some("general".into()),
        priority: Default::default(),
        context: serde_json::json!({}),
        system_info: serde_json::json!({}),
        attach: Default::default(),
    }
}

#[tokio::test]
async fn idempotency_keys_live_a_day_and_expired_sessions_go() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(&dir.path().join("db"), Durability::Normal)
        .await
        .expect("open");
    let user = store
        .create_user(NewUser {
            email: "a@b.c".into(),
            name: "A".into(),
            role: Role::Requester,
            password_hash: "x".into(),
        })
        .await
        .expect("user");
    let actor = Actor {
        id: user.id,
        role: user.role,
    };
    let key = || {
        Some(Idempotency {
            key: "k".into(),
            request_hash: [7; 32],
        })
    };
    let first = store
        .create_ticket(actor, new_ticket("one"), key())
        .await
        .expect("create");
    assert!(matches!(first, Created::New(_)));

    // A sweep with a 24 h cut-off made now keeps the key: a retry still replays.
    let now = Utc::now();
    store
        .sweep(now, now - Duration::hours(24))
        .await
        .expect("sweep");
    let again = store
        .create_ticket(actor, new_ticket("one"), key())
        .await
        .expect("retry");
    assert!(matches!(again, Created::Replay(_)));

    // Once past the cut-off it is gone, and the key is free again.
    store
        .sweep(now, now + Duration::seconds(1))
        .await
        .expect("sweep");
    let later = store
        .create_ticket(actor, new_ticket("one"), key())
        .await
        .expect("after");
    assert!(matches!(later, Created::New(_)));

    store
        .create_session(user.id, [1; 32], now - Duration::seconds(1))
        .await
        .expect("s1");
    store
        .create_session(user.id, [2; 32], now + Duration::hours(1))
        .await
        .expect("s2");
    store
        .sweep(Utc::now(), now - Duration::hours(48))
        .await
        .expect("sweep");
    assert!(store.session_user([1; 32]).await.expect("q").is_none());
    assert!(store.session_user([2; 32]).await.expect("q").is_some());
}
