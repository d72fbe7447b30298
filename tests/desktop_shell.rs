//! The desktop shell's own behaviours in the real app: one running instance, the window
//! remembered, "remember me", a failed sign-in, an expired session, status notifications and their mute,
//! the related help article, and keyboard and screen-reader access. Real app, webview,
//! server, keyring and D-Bus. (A reply draft surviving its ticket's first sync is tested
//! in the client crate and the UI's unit tests.)

mod support;

use std::time::{Duration, Instant};

use lifebuoy_testkit::{keyring, xvfb, Server, PASSWORD};
use serde_json::json;
use support::gate::Gate;
use support::{Desktop, Notifications, WAIT};

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

/// A sign-in that cannot work says why, in words that fit: a wrong password is not a
/// network problem, and an address nobody answers is not "kept and sent later".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_sign_in_says_whether_the_password_or_the_address_is_wrong() {
    keyring();
    let _x = xvfb();
    let server = Server::start().await;
    let data = tempfile::tempdir().unwrap();
    let app = Desktop::launch(&server.base, data.path()).await;

    app.sign_in(FIELD, "not-the-password").await;
    app.wait_for_text("#sign-in-error", "Wrong email or password")
        .await;

    // A port with nothing behind it: bound, then let go.
    let nobody = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", nobody.local_addr().unwrap());
    drop(nobody);
    app.fill("#sign-in input[name=server]", &address).await;
    app.sign_in(FIELD, PASSWORD).await;
    app.wait_for_text(
        "#sign-in-error",
        &format!("Cannot reach the server at {address}"),
    )
    .await;
    let message = app.texts("#sign-in-error").await.join(" ");
    assert!(
        message.contains("sign in again") && !message.contains("kept and sent"),
        "{message}"
    );
    app.wait_for("#connectivity[data-state=signed_out]").await;
    app.quit().await;
}

async fn set_status(server: &Server, ticket: &serde_json::Value, status: &str) {
    let agent = server.as_user("agent@demo.test").await;
    let res = agent
        .http
        .patch(format!(
            "{}/api/v1/tickets/{}",
            agent.base,
            ticket["id"].as_str().unwrap()
        ))
        .bearer_auth(&agent.token)
        .json(&json!({ "status": status }))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_changes_notify_until_muted_while_support_replies_still_do() {
    keyring();
    let _x = xvfb();
    let notes = Notifications::start().await;
    let server = Server::start().await;
    let data = tempfile::tempdir().unwrap();
    let first = file_ticket(&server, "Laptop fan is loud").await;
    let second = file_ticket(&server, "Badge reader rejects my card").await;
    let app = Desktop::launch(&server.base, data.path()).await;
    app.sign_in(FIELD, PASSWORD).await;
    app.wait_online().await;
    app.wait_for_text(".ticket-card .ticket-subject", "Badge reader")
        .await;

    // Support picks up the first ticket: the desktop says so.
    set_status(&server, &first, "IN_PROGRESS").await;
    let shown = notes.wait_for(first["number"].as_str().unwrap()).await;
    assert_eq!(shown.body, "Status: In progress", "{shown:?}");

    // The user mutes status notifications, and replies on the first ticket (their own
    // message is never announced).
    app.click("#nav-settings").await;
    app.click("#settings-form input[name=mute_status_notifications]")
        .await;
    app.click("#save-settings").await;
    app.wait_for_text(".toast", "Settings saved.").await;
    app.click("#nav-tickets").await;
    app.click(&format!(
        ".ticket-card[data-ticket-key='{}']",
        first["id"].as_str().unwrap()
    ))
    .await;
    app.fill("textarea[name=reply]", "It is louder after lunch.")
        .await;
    app.click("#send-reply").await;
    app.wait_for_text(".message .message-body", "louder after lunch")
        .await;
    app.wait_gone(".message.pending").await;

    // The second ticket's status changes (the app shows it) without a notification;
    // support's reply on it after that still raises one.
    app.click("#nav-tickets").await;
    let card = format!(
        ".ticket-card[data-ticket-key='{}']",
        second["id"].as_str().unwrap()
    );
    set_status(&server, &second, "IN_PROGRESS").await;
    app.wait_for(&format!("{card} .ticket-status[data-status=IN_PROGRESS]"))
        .await;
    server
        .as_user("agent@demo.test")
        .await
        .post(
            &format!(
                "/api/v1/tickets/{}/messages",
                second["id"].as_str().unwrap()
            ),
            json!({"body": "Bring the card to the front desk."}),
        )
        .await;
    let reply = notes.wait_for(second["number"].as_str().unwrap()).await;
    assert!(reply.body.contains("Bring the card"), "{reply:?}");
    let shown = notes.shown();
    assert_eq!(shown.len(), 2, "only the unmuted news: {shown:?}");
    app.quit().await;
}

async fn copies_on_server(server: &Server, ticket: &serde_json::Value, body: &str) -> usize {
    let agent = server.as_user("agent@demo.test").await;
    let detail = agent
        .get(&format!(
            "/api/v1/tickets/{}",
            ticket["id"].as_str().unwrap()
        ))
        .await;
    detail["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["body"] == body)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_session_asks_to_sign_in_again_and_keeps_the_queued_reply_for_after() {
    keyring();
    let _x = xvfb();
    let server = Server::start().await;
    let gate = Gate::start(server.addr).await;
    let data = tempfile::tempdir().unwrap();
    let ticket = file_ticket(&server, "Docking station flickers").await;
    let field_id = server.as_user(FIELD).await.get("/api/v1/me").await["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let app = Desktop::launch(&gate.base, data.path()).await;
    app.sign_in(FIELD, PASSWORD).await;
    app.wait_online().await;
    app.click(&format!(
        ".ticket-card[data-ticket-key='{}']",
        ticket["id"].as_str().unwrap()
    ))
    .await;

    // Offline, the user writes a reply: it waits in the outbox.
    gate.shut();
    app.wait_for("#connectivity:not([data-state=online])").await;
    let reply = "The flicker stops when I unplug the monitor.";
    app.fill("textarea[name=reply]", reply).await;
    app.click("#send-reply").await;
    app.wait_for_text(".message.pending .message-body", "unplug the monitor")
        .await;

    // Meanwhile an admin sets a new password, which ends the user's sessions.
    let admin = server.as_user("admin@demo.test").await;
    let new_password = "a-brand-new-password-42";
    let res = admin
        .http
        .patch(format!("{}/api/v1/users/{field_id}", admin.base))
        .bearer_auth(&admin.token)
        .json(&json!({ "password": new_password }))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());

    // Back on the network, the app says the session ended and asks to sign in again.
    gate.open();
    app.wait_for_text("#sign-in .notice", "session has expired")
        .await;
    assert_eq!(copies_on_server(&server, &ticket, reply).await, 0);

    // Signed in again, the reply written before goes out, once.
    app.fill("#sign-in input[name=password]", new_password)
        .await;
    app.click("#sign-in button[type=submit]").await;
    app.wait_online().await;
    let deadline = Instant::now() + WAIT;
    while copies_on_server(&server, &ticket, reply).await == 0 {
        if Instant::now() > deadline {
            app.fail("the queued reply was never sent".into()).await;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The app is back where the user was, the reply no longer pending.
    app.wait_for_text("#ticket-title", "Docking station flickers")
        .await;
    app.wait_for_text(".message .message-body", "unplug the monitor")
        .await;
    app.wait_gone(".message.pending").await;
    assert_eq!(copies_on_server(&server, &ticket, reply).await, 1);
    app.quit().await;
}

/// A stand-in browser for `xdg-open` (which runs `$BROWSER` when no desktop environment
/// claims the address): it records the address it was given.
fn recording_browser(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let log = dir.join("opened.txt");
    let script = dir.join("browser.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf '%s\\n' \"$@\" >> '{}'\n", log.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    (script, log)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_related_help_article_opens_in_the_system_browser() {
    keyring();
    let _x = xvfb();
    let server = Server::start().await;
    let data = tempfile::tempdir().unwrap();
    let (browser, opened) = recording_browser(data.path());
    let ticket = file_ticket(&server, "VPN asks for a token").await;
    let url = "https://help.example.test/vpn/token?step=2";
    let agent = server.as_user("agent@demo.test").await;
    let res = agent
        .http
        .patch(format!(
            "{}/api/v1/tickets/{}",
            agent.base,
            ticket["id"].as_str().unwrap()
        ))
        .bearer_auth(&agent.token)
        .json(&json!({ "related_article_id": format!("[Set up your VPN token]({url})") }))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());

    let app = Desktop::launch_with(
        &server.base,
        data.path(),
        &[("BROWSER", browser.to_str().unwrap())],
    )
    .await;
    app.sign_in(FIELD, PASSWORD).await;
    app.wait_online().await;
    app.click(&format!(
        ".ticket-card[data-ticket-key='{}']",
        ticket["id"].as_str().unwrap()
    ))
    .await;
    app.wait_for_text(".related-article-link", "Set up your VPN token")
        .await;
    app.click(".related-article-link").await;
    let deadline = Instant::now() + WAIT;
    let seen = loop {
        let seen = std::fs::read_to_string(&opened).unwrap_or_default();
        if !seen.is_empty() || Instant::now() > deadline {
            break seen;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(
        seen,
        format!("{url}\n"),
        "the browser was given exactly the article"
    );
    // The app itself stayed where it was.
    app.wait_for_text("#ticket-title", "VPN asks for a token")
        .await;
    app.quit().await;
}

async fn assert_accessible(app: &Desktop, screen: &str) {
    let found = support::axe::serious_violations(app).await;
    if !found.is_empty() {
        app.fail(format!(
            "{screen}: serious accessibility problems:\n{}",
            found.join("\n")
        ))
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_main_screens_pass_axe_and_a_ticket_opens_from_the_keyboard() {
    keyring();
    let _x = xvfb();
    let server = Server::start().await;
    let data = tempfile::tempdir().unwrap();
    let ticket = file_ticket(&server, "Monitor stays black after lunch").await;

    let app = Desktop::launch(&server.base, data.path()).await;
    app.wait_for("#sign-in").await;
    assert_accessible(&app, "Sign in").await;
    app.sign_in(FIELD, PASSWORD).await;
    app.wait_online().await;
    app.wait_for_text(".ticket-card .ticket-subject", "Monitor stays black")
        .await;
    assert_accessible(&app, "Tickets").await;

    // From the list, Tab reaches New ticket and then the ticket; Enter opens it.
    let mut reached = Vec::new();
    for _ in 0..40 {
        app.web
            .active_element()
            .await
            .unwrap()
            .send_keys("\u{E004}")
            .await
            .unwrap();
        let focused = app
            .web
            .execute(
                "const e = document.activeElement; \
                 return e.id ? '#' + e.id : e.classList.contains('ticket-card') \
                   ? 'card:' + e.dataset.ticketKey : e.tagName;",
                Vec::new(),
            )
            .await
            .unwrap();
        let focused = focused.as_str().unwrap_or_default().to_owned();
        let on_card = focused.starts_with("card:");
        reached.push(focused);
        if on_card {
            break;
        }
    }
    let new_ticket = reached.iter().position(|f| f == "#new-ticket");
    let card = reached
        .iter()
        .position(|f| *f == format!("card:{}", ticket["id"].as_str().unwrap()));
    assert!(
        matches!((new_ticket, card), (Some(n), Some(c)) if n < c),
        "Tab went through {reached:?}"
    );
    app.web
        .active_element()
        .await
        .unwrap()
        .send_keys("\u{E007}")
        .await
        .unwrap();
    app.wait_for_text("#ticket-title", "Monitor stays black after lunch")
        .await;
    app.wait_for_text(".ticket-description .message-body", "Filed for the test")
        .await;
    assert_accessible(&app, "Ticket").await;

    app.click("#nav-tickets").await;
    app.click("#new-ticket").await;
    app.wait_for("#new-ticket-form").await;
    app.wait_for("#system-info li[data-key=os]").await;
    assert_accessible(&app, "New ticket").await;
    app.quit().await;
}
