//! Capturing one window instead of the whole screen, in the real app: the user lists the
//! windows, picks one, attaches it, and the server receives exactly that window's pixels.

mod support;

use lifebuoy_testkit::{keyring, xvfb, Server, PASSWORD};
use support::Desktop;

const FIELD: &str = "field@demo.test";
const SUBJECT: &str = "Invoice viewer shows a blank page";
/// The window to capture: a size and colour found nowhere else on the screen.
const PICKED: (i16, i16, u16, u16) = (200, 150, 400, 300);
const PICKED_RGB: [u8; 3] = [200, 40, 120];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_picked_window_is_captured_attached_and_stored_as_its_own_pixels() {
    keyring();
    let mut x = xvfb();
    x.fill([90, 90, 90]);
    x.window(PICKED, PICKED_RGB, "Viewer", "Invoice 2041 – Viewer");
    // Opened later, so listed first: the user has to pick the other one. It does not
    // overlap the picked window, which must come out alone all the same.
    x.window((700, 100, 300, 200), [0, 0, 255], "Mail", "Inbox – Mail");
    let server = Server::start().await;
    let data = tempfile::tempdir().unwrap();
    let app = Desktop::launch(&server.base, data.path()).await;
    app.sign_in(FIELD, PASSWORD).await;
    app.wait_online().await;

    app.click("#new-ticket").await;
    app.fill("#new-ticket-form [name=subject]", SUBJECT).await;
    app.fill(
        "#new-ticket-form [name=description]",
        "The viewer window stays blank.",
    )
    .await;
    app.click("#take-screenshot").await;
    app.wait_for("#screenshot-editor .shot-surface img").await;

    app.click("#pick-window").await;
    app.wait_for(".window-picker select").await;
    let options = app.texts(".window-picker select option").await;
    assert_eq!(
        options,
        vec![
            "Inbox – Mail – Mail (300 × 200)".to_owned(),
            "Invoice 2041 – Viewer – Viewer (400 × 300)".to_owned(),
        ],
        "the test's windows, front-most first, and none of Lifebuoy's"
    );
    app.click(".window-picker select option:nth-child(2)").await;
    app.click("#capture-window").await;
    app.wait_for(
        "#screenshot-editor .shot-surface[aria-label='Screenshot of Invoice 2041 – Viewer']",
    )
    .await;
    app.click("#attach-screenshot").await;
    app.wait_for_text("#draft-files li", "screenshot.png").await;
    app.click("#submit-ticket").await;
    app.wait_for_text("#ticket-title", SUBJECT).await;

    // On the server: a PNG the size of the picked window, every pixel its colour.
    let agent = server.as_user("agent@demo.test").await;
    let page = agent.get("/api/v1/tickets?limit=100").await;
    let ticket = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["subject"] == SUBJECT)
        .cloned()
        .unwrap_or_else(|| panic!("the server has no ticket {SUBJECT:?}: {page}"));
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
    assert_eq!(
        image.dimensions(),
        (u32::from(PICKED.2), u32::from(PICKED.3))
    );
    let wrong = image.pixels().filter(|p| p.0 != PICKED_RGB).count();
    assert_eq!(wrong, 0, "every pixel is the picked window's colour");
    app.quit().await;
}
