//! Closing the app's window the way a window manager does when the user clicks its close
//! button: a `WM_DELETE_WINDOW` message, so the app runs its own exit path (which saves
//! the window's size and drops a sign-in that was not to be remembered). Ending the
//! WebDriver session instead kills the app without either.

use xcb::{x, Xid};

fn atom(conn: &xcb::Connection, name: &str) -> x::Atom {
    let cookie = conn.send_request(&x::InternAtom {
        only_if_exists: false,
        name: name.as_bytes(),
    });
    conn.wait_for_reply(cookie).expect("intern atom").atom()
}

fn title(conn: &xcb::Connection, window: x::Window, name: x::Atom, utf8: x::Atom) -> String {
    let cookie = conn.send_request(&x::GetProperty {
        delete: false,
        window,
        property: name,
        r#type: utf8,
        long_offset: 0,
        long_length: 256,
    });
    match conn.wait_for_reply(cookie) {
        Ok(reply) => String::from_utf8_lossy(reply.value::<u8>()).into_owned(),
        Err(_) => String::new(),
    }
}

/// Asks every mapped top-level window titled `wanted` on `display` to close; returns how
/// many were asked.
pub fn close_windows_titled(display: &str, wanted: &str) -> usize {
    let (conn, screen) = xcb::Connection::connect(Some(display)).expect("connect to Xvfb");
    let root = conn
        .get_setup()
        .roots()
        .nth(screen as usize)
        .expect("screen")
        .root();
    let (protocols, delete) = (atom(&conn, "WM_PROTOCOLS"), atom(&conn, "WM_DELETE_WINDOW"));
    let (name, utf8) = (atom(&conn, "_NET_WM_NAME"), atom(&conn, "UTF8_STRING"));
    let tree = conn
        .wait_for_reply(conn.send_request(&x::QueryTree { window: root }))
        .expect("list the windows");
    let mut asked = 0;
    for &window in tree.children() {
        let attrs = conn.wait_for_reply(conn.send_request(&x::GetWindowAttributes { window }));
        let mapped = attrs.is_ok_and(|a| a.map_state() == x::MapState::Viewable);
        if !mapped || title(&conn, window, name, utf8) != wanted {
            continue;
        }
        let event = x::ClientMessageEvent::new(
            window,
            protocols,
            x::ClientMessageData::Data32([delete.resource_id(), x::CURRENT_TIME, 0, 0, 0]),
        );
        conn.send_and_check_request(&x::SendEvent {
            propagate: false,
            destination: x::SendEventDest::Window(window),
            event_mask: x::EventMask::NO_EVENT,
            event: &event,
        })
        .expect("send WM_DELETE_WINDOW");
        asked += 1;
    }
    asked
}
