//! `lifebuoy new --screenshot` against a real server, capturing a real Xvfb.

use std::path::Path;

use lifebuoy_capture::image;
use lifebuoy_testkit::*;
use serde_json::Value;

mod common;

use common::{all, json_of, lifebuoy, login as sign_in};

const RED: [u8; 3] = [255, 0, 0];
const BLUE: [u8; 3] = [0, 0, 255];

fn login(server: &Server, root: &Path) {
    let o = sign_in(&server.base, root, PASSWORD);
    assert!(o.status.success(), "{}", all(&o));
}

fn ticket_count(root: &Path) -> usize {
    let o = lifebuoy(root, &["--json", "tickets", "--offline"], "");
    json_of(&o).as_array().map(Vec::len).unwrap_or_default()
}

fn outbox_is_empty(root: &Path) -> bool {
    let o = lifebuoy(root, &["--json", "outbox"], "");
    json_of(&o).as_array().is_some_and(Vec::is_empty)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_with_screenshot_files_the_screen_as_a_png() {
    keyring();
    let server = Server::start().await;
    let root = data_root();
    login(&server, &root);
    let mut x = xvfb();
    x.fill(RED);
    x.window((100, 200, 300, 150), BLUE, "Vpn", "VPN client");

    let o = lifebuoy(
        &root,
        &[
            "new",
            "--subject",
            "VPN client shows an error",
            "--description",
            "See the screenshot.",
            "--screenshot",
        ],
        "",
    );
    assert!(o.status.success(), "{}", all(&o));
    assert!(
        all(&o).contains("Attaching a screenshot of monitor 1 (screen, 1280×800)."),
        "{}",
        all(&o)
    );
    assert!(all(&o).contains("Filed LB-"), "{}", all(&o));

    let list = json_of(&lifebuoy(&root, &["--json", "tickets"], ""));
    let ticket = list
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["ticket"]["subject"] == "VPN client shows an error")
        .unwrap();
    let files = ticket["attachments"].as_array().unwrap();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0]["file_name"], "screenshot.png");
    assert_eq!(files[0]["content_type"], "image/png");

    // What the agent downloads is the screen, pixel for pixel.
    let agent = server.as_user("agent@demo.test").await;
    let bytes = agent
        .http
        .get(format!(
            "{}/api/v1/attachments/{}",
            agent.base,
            files[0]["id"].as_str().unwrap()
        ))
        .bearer_auth(&agent.token)
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let png = image::load_from_memory_with_format(&bytes, image::ImageFormat::Png)
        .unwrap()
        .to_rgb8();
    assert_eq!(png.dimensions(), (1280, 800));
    for (px, py, p) in png.enumerate_pixels() {
        let on_window = (100..400).contains(&px) && (200..350).contains(&py);
        assert_eq!(
            p.0,
            if on_window { BLUE } else { RED },
            "pixel ({px}, {py})"
        );
    }

    // A monitor that is not there: refused, naming the ones there are, nothing queued.
    let before = ticket_count(&root);
    let o = lifebuoy(
        &root,
        &[
            "new",
            "--subject",
            "Second screen",
            "--description",
            "x",
            "--screenshot",
            "--monitor",
            "2",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(1), "{}", all(&o));
    assert!(
        all(&o).contains("there is no monitor 2: this display has only 1 (1: screen 1280×800)"),
        "{}",
        all(&o)
    );
    assert_eq!(ticket_count(&root), before);
    assert!(outbox_is_empty(&root));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_with_screenshot_without_a_display_fails_and_queues_nothing() {
    keyring();
    let server = Server::start().await;
    let root = data_root();
    login(&server, &root);
    let _none = no_display();
    let before = ticket_count(&root);

    let o = lifebuoy(
        &root,
        &[
            "new",
            "--subject",
            "Headless box",
            "--description",
            "No screen here.",
            "--screenshot",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(1), "{}", all(&o));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains(
            "cannot take the screenshot: no display to capture: DISPLAY and WAYLAND_DISPLAY are unset"
        ) && stderr.contains("leave out --screenshot"),
        "{stderr}"
    );
    assert_eq!(ticket_count(&root), before, "nothing shown as pending");
    assert!(outbox_is_empty(&root), "nothing queued");
    assert_eq!(lifebuoy(&root, &["sync"], "").status.code(), Some(0));
    let mine = json_of(&lifebuoy(
        &root,
        &["--json", "tickets", "--search", "Headless"],
        "",
    ));
    assert_eq!(mine, Value::Array(vec![]), "nothing reached the server");

    // The same command without --screenshot still works here.
    let o = lifebuoy(
        &root,
        &[
            "new",
            "--subject",
            "Headless box",
            "--description",
            "No screen here.",
        ],
        "",
    );
    assert!(o.status.success(), "{}", all(&o));
}
