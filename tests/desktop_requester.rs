//! The requester's day in the real desktop app: sign in, file a ticket with system
//! details, get support's reply live with a desktop notification, work offline, restart,
//! sign out. Real app, real webview, real server, real keyring, real D-Bus.

mod support;

use lifebuoy_testkit::{keyring, xvfb, Server, PASSWORD};
use serde_json::json;
use support::{Desktop, Notifications};

const FIELD: &str = "field@demo.test";

async fn ticket_by_subject(server: &Server, subject: &str) -> serde_json::Value {
    let agent = server.as_user("agent@demo.test").await;
    let page = agent.get("/api/v1/tickets?limit=100").await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["subject"] == subject)
        .cloned()
        .unwrap_or_else(|| panic!("the server has no ticket {subject:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_filed_in_the_app_gets_a_live_reply_and_a_notification_that_opens_it() {
    keyring();
    let x = xvfb();
    // What the screenshot should see once the app has stepped out of the way.
    x.fill([0, 160, 60]);
    let notes = Notifications::start().await;
    let server = Server::start().await;
    let data = tempfile::tempdir().unwrap();
    let app = Desktop::launch(&server.base, data.path()).await;

    // The server address comes prefilled; a wrong password says so.
    assert_eq!(
        app.attr("#sign-in input[name=server]", "value")
            .await
            .as_deref(),
        Some(server.base.as_str())
    );
    app.sign_in(FIELD, "not-the-password").await;
    app.wait_for_text("#sign-in-error", "Wrong email or password")
        .await;
    app.sign_in(FIELD, PASSWORD).await;
    app.wait_online().await;

    // File a ticket with system details, minus one line the user removed.
    app.click("#new-ticket").await;
    app.fill("#new-ticket-form [name=subject]", "Printer on floor 3 jams")
        .await;
    app.fill(
        "#new-ticket-form [name=description]",
        "Every second page jams since this morning.",
    )
    .await;
    app.wait_for("#system-info li[data-key=os]").await;
    app.click("#system-info li[data-key=uptime_hours] .remove-info")
        .await;
    app.wait_gone("#system-info li[data-key=uptime_hours]")
        .await;
    // A screenshot with its middle blacked out (keyboard: Enter shows a selection over
    // the middle half, Enter applies it).
    app.click("#take-screenshot").await;
    let surface = app.wait_for("#screenshot-editor .shot-surface").await;
    surface.send_keys("\u{E007}").await.unwrap();
    surface.send_keys("\u{E007}").await.unwrap();
    app.wait_for("#screenshot-editor .blackout").await;
    app.click("#attach-screenshot").await;
    app.wait_for_text("#draft-files li", "screenshot.png").await;
    app.click("#submit-ticket").await;
    app.wait_for_text("#ticket-title", "Printer on floor 3 jams")
        .await;

    let ticket = ticket_by_subject(&server, "Printer on floor 3 jams").await;
    let info = &ticket["system_info"];
    assert!(info["os"].is_string(), "system details were sent: {info}");
    assert!(
        info.get("uptime_hours").is_none(),
        "a removed line was sent: {info}"
    );
    let number = ticket["number"].as_str().unwrap().to_owned();

    // The screenshot reached the server as a lossless PNG of the whole screen, with the
    // blacked-out pixels black and the rest as the screen was.
    let agent = server.as_user("agent@demo.test").await;
    let detail = agent
        .get(&format!(
            "/api/v1/tickets/{}",
            ticket["id"].as_str().unwrap()
        ))
        .await;
    let shot = detail["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["file_name"] == "screenshot.png")
        .unwrap_or_else(|| panic!("no screenshot on the ticket: {detail}"));
    let png = agent
        .http
        .get(format!(
            "{}/api/v1/attachments/{}",
            agent.base,
            shot["id"].as_str().unwrap()
        ))
        .bearer_auth(&agent.token)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let image = image::load_from_memory(&png).unwrap().to_rgb8();
    let (w, h) = image.dimensions();
    assert_eq!((w, h), (1280, 800));
    assert_eq!(
        image.get_pixel(w / 2, h / 2).0,
        [0, 0, 0],
        "the middle is blacked out"
    );
    assert_eq!(
        image.get_pixel(10, 10).0,
        [0, 160, 60],
        "the rest is the screen"
    );

    // Support replies; the open ticket shows it without any refresh, and the desktop
    // shows a notification naming the ticket with the reply's first line.
    agent
        .post(
            &format!(
                "/api/v1/tickets/{}/messages",
                ticket["id"].as_str().unwrap()
            ),
            json!({"body": "Please restart the print spooler.\nThen try again."}),
        )
        .await;
    app.wait_for_text(".message .message-body", "restart the print spooler")
        .await;
    let shown = notes.wait_for(&number).await;
    assert_eq!(shown.app_name, "Lifebuoy");
    assert!(
        shown.summary.contains("Printer on floor 3 jams"),
        "{shown:?}"
    );
    assert!(
        shown.body.contains("Please restart the print spooler.") && !shown.body.contains("Then"),
        "{shown:?}"
    );
    assert!(shown.actions.iter().any(|a| a == "open"), "{shown:?}");

    // Pressing Open brings the app to that ticket from elsewhere in the app.
    app.click("#nav-outbox").await;
    app.wait_for("#outbox").await;
    notes.invoke(shown.id, "open").await;
    app.wait_for_text("#ticket-title", "Printer on floor 3 jams")
        .await;

    // Nothing about the user's own ticket or own messages was announced.
    assert_eq!(notes.shown().len(), 1, "{:?}", notes.shown());
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_written_offline_is_sent_once_back_online_and_a_restart_keeps_the_session_but_announces_nothing_again(
) {
    keyring();
    let _x = xvfb();
    let notes = Notifications::start().await;
    let mut server = Server::start().await;
    let data = tempfile::tempdir().unwrap();
    let field = server.as_user(FIELD).await;
    let ticket = field
        .post(
            "/api/v1/tickets",
            json!({"subject": "VPN drops at the depot", "description": "Every hour or so."}),
        )
        .await;
    let id = ticket["id"].as_str().unwrap().to_owned();

    let app = Desktop::launch(&server.base, data.path()).await;
    app.sign_in(FIELD, PASSWORD).await;
    app.wait_online().await;
    app.wait_for_text(".ticket-card .ticket-subject", "VPN drops at the depot")
        .await;
    app.click(&format!(".ticket-card[data-ticket-key='{id}']"))
        .await;
    app.wait_for_text("#ticket-title", "VPN drops at the depot")
        .await;

    // The server goes away: the indicator says so, and a reply is kept, shown as pending.
    server.stop().await;
    app.wait_for("#connectivity:not([data-state=online])").await;
    app.fill("textarea[name=reply]", "It dropped again at 10:40.")
        .await;
    app.click("#send-reply").await;
    app.wait_for_text(".message.pending .message-body", "dropped again at 10:40")
        .await;

    // Back online: it is sent, exactly once.
    server.resume().await;
    app.wait_online().await;
    app.wait_gone(".message.pending").await;
    let agent = server.as_user("agent@demo.test").await;
    let detail = agent.get(&format!("/api/v1/tickets/{id}")).await;
    let copies = detail["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["body"] == "It dropped again at 10:40.")
        .count();
    assert_eq!(copies, 1, "{detail}");

    // Support answers while the app runs: one notification.
    agent
        .post(
            &format!("/api/v1/tickets/{id}/messages"),
            json!({"body": "We replaced the depot's router."}),
        )
        .await;
    notes.wait_for("VPN drops at the depot").await;
    app.quit().await;

    // A restart resumes the session from the keyring, shows the reply, and announces
    // nothing again.
    let app = Desktop::launch(&server.base, data.path()).await;
    app.wait_online().await;
    app.click(&format!(".ticket-card[data-ticket-key='{id}']"))
        .await;
    app.wait_for_text(".message .message-body", "replaced the depot's router")
        .await;
    assert_eq!(notes.shown().len(), 1, "{:?}", notes.shown());

    // Signing out (and deleting local data) takes the token out of the keyring.
    let server_url = lifebuoy_client::api::normalise_server(&server.base).unwrap();
    assert!(lifebuoy_client::credentials::load_token(&server_url, FIELD)
        .await
        .unwrap()
        .is_some());
    app.click("#sign-out").await;
    let delete = app.wait_for("input[name=delete_local_data]").await;
    delete.click().await.unwrap();
    app.click("#confirm-sign-out").await;
    app.wait_for("#sign-in").await;
    assert!(lifebuoy_client::credentials::load_token(&server_url, FIELD)
        .await
        .unwrap()
        .is_none());
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_global_shortcut_captures_the_screen_and_opens_a_new_ticket() {
    keyring();
    let x = xvfb();
    let server = Server::start().await;
    let data = tempfile::tempdir().unwrap();
    let app = Desktop::launch(&server.base, data.path()).await;
    app.sign_in(FIELD, PASSWORD).await;
    app.wait_online().await;
    app.click("#nav-outbox").await;
    app.wait_for("#outbox").await;

    // Ctrl+Alt+H pressed on the X server, as a keyboard would (the app need not have focus).
    let pressed = std::process::Command::new("xdotool")
        .args(["key", "ctrl+alt+h"])
        .env("DISPLAY", x.display())
        .status()
        .expect("xdotool (scripts/test installs it)");
    assert!(pressed.success());
    app.wait_for("#new-ticket-form").await;
    app.wait_for("#screenshot-editor .shot-surface img").await;
    app.quit().await;
}
