//! The desktop shell's own behaviours in the real app: one running instance, the window
//! remembered, "remember me", an expired session, status notifications and their mute,
//! the related help article, a reply draft that survives its ticket's first sync, and
//! keyboard and screen-reader access. Real app, webview, server, keyring and D-Bus.

mod support;

use std::time::{Duration, Instant};

use lifebuoy_testkit::{keyring, xvfb, Server, PASSWORD};
use serde_json::json;
use support::{Desktop, WAIT};

const FIELD: &str = "field@demo.test";

async fn file_ticket(server: &Server, subject: &str) -> serde_json::Value {
    server
        .as_user(FIELD)
        .await
        .post(
            "/api/v1/tickets",
            json!({"subject": subject, "description": "Filed for the test."}),
        )
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_launch_hands_its_ticket_to_the_running_app_and_exits() {
    keyring();
    let _x = xvfb();
    let server = Server::start().await;
    let data = tempfile::tempdir().unwrap();
    let ticket = file_ticket(&server, "Scanner shows a blank page").await;
    let number = ticket["number"].as_str().unwrap().to_owned();

    let app = Desktop::launch(&server.base, data.path()).await;
    app.sign_in(FIELD, PASSWORD).await;
    app.wait_online().await;
    app.wait_for_text(".ticket-card .ticket-subject", "Scanner shows a blank page")
        .await;

    let mut second = app.launch_again(&["--open", &number]);
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(status) = second.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = second.kill();
            app.fail("the second launch kept running beside the first".into())
                .await;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "the second launch failed: {status}");
    app.wait_for_text("#ticket-title", "Scanner shows a blank page")
        .await;
    app.wait_for_text("#ticket-detail .ticket-number", &number)
        .await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_comes_back_at_the_size_it_was_left() {
    keyring();
    let _x = xvfb();
    let server = Server::start().await;
    let data = tempfile::tempdir().unwrap();

    let app = Desktop::launch(&server.base, data.path()).await;
    app.wait_for("#sign-in").await;
    let (_, _, w, h) = app.web.get_window_rect().await.unwrap();
    assert_eq!((w, h), (1200, 800), "the configured size at first");
    app.web
        .set_window_rect(40, 30, 960, 640)
        .await
        .expect("resize the window");
    let deadline = Instant::now() + WAIT;
    while app.web.get_window_rect().await.unwrap() != (40, 30, 960, 640) {
        if Instant::now() > deadline {
            app.fail(format!(
                "the window never took the new size: {:?}",
                app.web.get_window_rect().await
            ))
            .await;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    app.close_window().await;

    let app = Desktop::launch(&server.base, data.path()).await;
    app.wait_for("#sign-in").await;
    let (_, _, w, h) = app.web.get_window_rect().await.unwrap();
    assert_eq!((w, h), (960, 640), "the size it was left at");
    app.quit().await;
}

async fn saved_token(server: &Server) -> Option<String> {
    let url = lifebuoy_client::api::normalise_server(&server.base).unwrap();
    lifebuoy_client::credentials::load_token(&url, FIELD)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_remember_me_no_sign_in_outlives_the_app_and_with_it_the_app_starts_signed_in() {
    keyring();
    let _x = xvfb();
    let server = Server::start().await;
    let data = tempfile::tempdir().unwrap();

    // Not remembered, and the app closed normally: the token leaves the keyring as it exits.
    let app = Desktop::launch(&server.base, data.path()).await;
    app.wait_for("#sign-in").await;
    app.click("#sign-in input[name=remember]").await;
    app.sign_in(FIELD, PASSWORD).await;
    app.wait_online().await;
    assert!(saved_token(&server).await.is_some(), "signed in at all");
    app.close_window().await;
    assert_eq!(saved_token(&server).await, None, "kept after a normal exit");
    let app = Desktop::launch(&server.base, data.path()).await;
    app.wait_for("#sign-in").await;

    // Not remembered, and the app killed (a crash): the next start does not use the token
    // left behind, and removes it.
    app.click("#sign-in input[name=remember]").await;
    app.sign_in(FIELD, PASSWORD).await;
    app.wait_online().await;
    app.quit().await;
    assert!(saved_token(&server).await.is_some(), "left by the crash");
    let app = Desktop::launch(&server.base, data.path()).await;
    app.wait_for("#sign-in").await;
    let deadline = Instant::now() + WAIT;
    while saved_token(&server).await.is_some() {
        assert!(
            Instant::now() < deadline,
            "the start kept a token not to be remembered"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Remembered: the next start goes straight in.
    app.sign_in(FIELD, PASSWORD).await;
    app.wait_online().await;
    app.close_window().await;
    assert!(saved_token(&server).await.is_some(), "remembered");
    let app = Desktop::launch(&server.base, data.path()).await;
    app.wait_online().await;
    app.wait_for("#nav-tickets").await;
    app.quit().await;
}
