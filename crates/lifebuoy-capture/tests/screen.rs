//! Capturing a real X server (Xvfb) painted with known colours.

use lifebuoy_capture::image::{self, Rgba, RgbaImage};
use lifebuoy_capture::*;
use lifebuoy_testkit::{no_display, xvfb};

const RED: [u8; 3] = [255, 0, 0];
const BLUE: [u8; 3] = [0, 0, 255];
const GREEN: [u8; 3] = [0, 200, 0];

fn rgba(rgb: [u8; 3]) -> Rgba<u8> {
    Rgba([rgb[0], rgb[1], rgb[2], 255])
}

/// Every pixel of `image` inside `area` (x, y, w, h) is `inside`, every other one `outside`.
fn assert_painted(
    image: &RgbaImage,
    area: (u32, u32, u32, u32),
    inside: [u8; 3],
    outside: [u8; 3],
) {
    let (ax, ay, aw, ah) = area;
    for (x, y, p) in image.enumerate_pixels() {
        let within = (ax..ax + aw).contains(&x) && (ay..ay + ah).contains(&y);
        let want = rgba(if within { inside } else { outside });
        assert_eq!(*p, want, "pixel ({x}, {y})");
    }
}

#[test]
fn the_primary_monitor_is_captured_pixel_for_pixel() {
    let mut x = xvfb();
    x.fill(RED);
    x.window((100, 200, 300, 150), BLUE, "Probe", "Blue probe");

    let listed = monitors().unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    let m = &listed[0];
    assert!(m.primary, "Xvfb marks no monitor primary: the first is");
    assert_eq!((m.x, m.y, m.width, m.height), (0, 0, 1280, 800));
    assert_eq!(m.scale_factor, 1.0);

    let shot = capture_primary_monitor().unwrap();
    assert_eq!(shot.image.dimensions(), (1280, 800));
    assert_painted(&shot.image, (100, 200, 300, 150), BLUE, RED);
    assert_eq!(shot.source, Source::Monitor { monitor: m.clone() });

    let by_id = capture_monitor(m.id).unwrap();
    assert_eq!(by_id.image, shot.image);
}

#[test]
fn an_unknown_monitor_is_refused_naming_the_ones_there_are() {
    let x = xvfb();
    x.fill(RED);
    let m = monitors().unwrap().remove(0);
    let e = capture_monitor(m.id + 1000).unwrap_err();
    assert!(matches!(e, CaptureError::MonitorNotFound { .. }), "{e:?}");
    let message = e.to_string();
    assert!(
        message.contains(&format!("{} ({}, 1280×800)", m.id, m.name)),
        "{message}"
    );
}

#[test]
fn all_monitors_is_the_whole_desktop() {
    let mut x = xvfb();
    x.fill(GREEN);
    x.window((0, 0, 10, 10), BLUE, "Corner", "corner");
    let shot = capture_all_monitors().unwrap();
    assert_eq!(shot.image.dimensions(), (1280, 800));
    assert_painted(&shot.image, (0, 0, 10, 10), BLUE, GREEN);
    assert!(
        matches!(&shot.source, Source::AllMonitors { monitors } if monitors.len() == 1),
        "{:?}",
        shot.source
    );
}

#[test]
fn windows_are_listed_front_first_and_captured_alone() {
    let mut x = xvfb();
    x.fill(RED);
    let back = x.window((50, 60, 200, 100), BLUE, "Mail", "Inbox – Mail");
    let hidden = x.window((0, 0, 640, 480), RED, "Secret", "minimized");
    let front = x.window((600, 400, 120, 80), GREEN, "Term", "bash");
    x.minimize(hidden);

    let listed = windows().unwrap();
    assert_eq!(
        listed,
        vec![
            WindowInfo {
                id: front,
                app_name: "Term".into(),
                title: "bash".into(),
                x: 600,
                y: 400,
                width: 120,
                height: 80,
            },
            WindowInfo {
                id: back,
                app_name: "Mail".into(),
                title: "Inbox – Mail".into(),
                x: 50,
                y: 60,
                width: 200,
                height: 100,
            },
        ],
        "front-most first, the minimized one left out"
    );

    let shot = capture_window(back).unwrap();
    assert_eq!(shot.image.dimensions(), (200, 100));
    assert!(shot.image.pixels().all(|p| *p == rgba(BLUE)));
    assert_eq!(
        shot.source,
        Source::Window {
            window: listed[1].clone()
        }
    );

    assert!(matches!(
        capture_window(hidden),
        Err(CaptureError::WindowNotFound(id)) if id == hidden
    ));
}

#[test]
fn a_wallpaper_image_is_captured_pixel_for_pixel() {
    let x = xvfb();
    // The testkit's Xvfb is 1280×800.
    let (w, h) = (1280u32, 800u32);
    // Every pixel different from its neighbours: nothing can be right by accident.
    let rgb: Vec<u8> = (0..w * h)
        .flat_map(|i| {
            [
                (i % 251) as u8,
                (i / w % 241) as u8,
                (i.wrapping_mul(7) % 239) as u8,
            ]
        })
        .collect();
    x.wallpaper(1280, &rgb);
    let shot = capture_primary_monitor().unwrap();
    assert_eq!(shot.image.dimensions(), (w, h));
    let wrong = shot
        .image
        .pixels()
        .zip(rgb.chunks_exact(3))
        .filter(|(p, want)| p.0[..3] != **want)
        .count();
    assert_eq!(wrong, 0);
}

#[test]
fn an_app_can_leave_its_own_windows_out_of_the_list() {
    let mut x = xvfb();
    let own = x.window((0, 0, 300, 200), BLUE, "Lifebuoy", "Lifebuoy");
    let other = x.window((400, 300, 100, 50), GREEN, "Term", "bash");
    x.set_pid(own, std::process::id());
    // Another process's window, and one that names no process at all, stay listed.
    let foreign = x.window((10, 400, 60, 40), RED, "Mail", "Inbox");
    x.set_pid(foreign, std::process::id() + 1);

    let everything: Vec<u32> = windows().unwrap().iter().map(|w| w.id).collect();
    assert_eq!(everything, vec![foreign, other, own]);
    let others: Vec<u32> = windows_except_process(std::process::id())
        .unwrap()
        .iter()
        .map(|w| w.id)
        .collect();
    assert_eq!(others, vec![foreign, other]);
}

#[test]
fn a_redacted_crop_of_the_screen_survives_encoding() {
    let mut x = xvfb();
    x.fill(RED);
    x.window((100, 100, 50, 50), BLUE, "Probe", "password");
    let shot = capture_primary_monitor().unwrap();
    let edit = Edit {
        crop: Some(Rect::new(80, 80, 100, 60)),
        blackouts: vec![Rect::new(100, 100, 50, 50)],
    };
    let png = encode_png(&edit.apply(&shot.image).unwrap()).unwrap();
    let back = image::load_from_memory(&png).unwrap().to_rgba8();
    assert_eq!(back.dimensions(), (100, 60));
    // The blue window is now black; the crop starts 20 px above and left of it.
    assert_painted(&back, (20, 20, 50, 40), [0, 0, 0], RED);
}

#[test]
fn without_a_display_the_error_says_what_to_do() {
    let _none = no_display();
    for result in [
        monitors().map(|_| ()),
        windows().map(|_| ()),
        capture_primary_monitor().map(|_| ()),
        capture_all_monitors().map(|_| ()),
    ] {
        let e = result.unwrap_err();
        assert!(matches!(e, CaptureError::NoDisplay), "{e:?}");
        assert!(
            e.to_string().starts_with(
                "no display to capture: DISPLAY and WAYLAND_DISPLAY are unset; run on a desktop session"
            ),
            "{e}"
        );
    }
}

#[test]
fn a_display_that_is_not_there_is_named_in_the_error() {
    let _none = no_display();
    // A display number no test starts; restored by the next test that takes the lock.
    std::env::set_var("DISPLAY", ":64999");
    let e = monitors().unwrap_err();
    std::env::remove_var("DISPLAY");
    match &e {
        CaptureError::DisplayUnavailable { display, .. } => assert_eq!(display, ":64999"),
        other => panic!("{other:?}"),
    }
    assert!(
        e.to_string()
            .contains("cannot connect to the display :64999"),
        "{e}"
    );
}
