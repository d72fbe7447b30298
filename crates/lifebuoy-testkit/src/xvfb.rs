//! A real X server (Xvfb) to capture, and a tiny window manager's worth of painting on
//! it: a solid root colour and solid-colour windows listed as a window manager would.
//!
//! The display a capture uses is the process-wide `DISPLAY`, so every test that needs a
//! display (or its absence) holds one lock for its whole run.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard};

use xcb::{x, Xid};

static DISPLAY_LOCK: Mutex<()> = Mutex::new(());

fn lock_display() -> MutexGuard<'static, ()> {
    // A test that panicked while holding it left nothing shared behind: its Xvfb is gone.
    DISPLAY_LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// The process without any display, until dropped: for "no display" tests.
pub struct NoDisplay {
    _lock: MutexGuard<'static, ()>,
}

pub fn no_display() -> NoDisplay {
    let lock = lock_display();
    std::env::remove_var("DISPLAY");
    std::env::remove_var("WAYLAND_DISPLAY");
    NoDisplay { _lock: lock }
}

/// A running Xvfb, 1280×800 (or the size asked for) at 24 bits, made the process's
/// `DISPLAY`. Killed on drop.
pub struct Xvfb {
    display: String,
    child: Child,
    conn: xcb::Connection,
    root: x::Window,
    /// Bottom to top, as `_NET_CLIENT_LIST_STACKING` wants them.
    windows: Vec<x::Window>,
    _lock: MutexGuard<'static, ()>,
}

pub const WIDTH: u16 = 1280;
pub const HEIGHT: u16 = 800;

pub fn xvfb() -> Xvfb {
    xvfb_sized(WIDTH, HEIGHT)
}

/// A running Xvfb of another screen size (benchmarks use a 1920×1080 one).
pub fn xvfb_sized(width: u16, height: u16) -> Xvfb {
    let lock = lock_display();
    // -displayfd picks a free display number and writes it to fd 3, which the shell
    // points at our pipe. -terminate: should this process die without dropping the
    // guard, its X connection closes and Xvfb exits instead of lingering.
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "exec Xvfb -displayfd 3 -screen 0 {width}x{height}x24 -nolisten tcp -terminate \
             3>&1 1>/dev/null 2>/dev/null"
        ))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start Xvfb through sh");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("Xvfb's display pipe"))
        .read_line(&mut line)
        .expect("read the display number");
    let number = line.trim();
    assert!(
        !number.is_empty(),
        "Xvfb did not start (is the xvfb package installed? scripts/test installs it)"
    );
    let display = format!(":{number}");
    std::env::set_var("DISPLAY", &display);
    // Otherwise xcap would take the Wayland path when the tests run inside a Wayland
    // desktop session.
    std::env::remove_var("WAYLAND_DISPLAY");
    std::env::remove_var("XDG_SESSION_TYPE");
    let (conn, screen) = xcb::Connection::connect(Some(&display)).expect("connect to Xvfb");
    let root = conn
        .get_setup()
        .roots()
        .nth(screen as usize)
        .expect("Xvfb's screen")
        .root();
    let xvfb = Xvfb {
        display,
        child,
        conn,
        root,
        windows: Vec::new(),
        _lock: lock,
    };
    // A window manager interns these; xcap refuses to read window state without them.
    for name in [
        "_NET_WM_STATE",
        "_NET_WM_STATE_HIDDEN",
        "_NET_WM_STATE_MAXIMIZED_VERT",
        "_NET_WM_STATE_MAXIMIZED_HORZ",
        "_NET_WM_NAME",
        "UTF8_STRING",
        "COMPOUND_TEXT",
    ] {
        xvfb.atom(name);
    }
    xvfb.publish_windows();
    xvfb
}

fn pixel(rgb: [u8; 3]) -> u32 {
    // Xvfb's 24-bit TrueColor visual: 0xRRGGBB.
    u32::from(rgb[0]) << 16 | u32::from(rgb[1]) << 8 | u32::from(rgb[2])
}

impl Xvfb {
    /// The display name, e.g. `:42`, to give a child process as `DISPLAY`.
    pub fn display(&self) -> &str {
        &self.display
    }

    fn atom(&self, name: &str) -> x::Atom {
        let cookie = self.conn.send_request(&x::InternAtom {
            only_if_exists: false,
            name: name.as_bytes(),
        });
        self.conn
            .wait_for_reply(cookie)
            .expect("intern atom")
            .atom()
    }

    fn check(&self, cookie: xcb::VoidCookieChecked) {
        self.conn.check_request(cookie).expect("X request");
    }

    fn publish_windows(&self) {
        let list = self.atom("_NET_CLIENT_LIST_STACKING");
        let cookie = self.conn.send_request_checked(&x::ChangeProperty {
            mode: x::PropMode::Replace,
            window: self.root,
            property: list,
            r#type: x::ATOM_WINDOW,
            data: &self.windows,
        });
        self.check(cookie);
    }

    /// Paints the whole screen (the root window) one colour.
    pub fn fill(&self, rgb: [u8; 3]) {
        self.set_background(x::Cw::BackPixel(pixel(rgb)));
    }

    /// Sets the root window's background and repaints the screen with it.
    fn set_background(&self, background: x::Cw) {
        let cookie = self.conn.send_request_checked(&x::ChangeWindowAttributes {
            window: self.root,
            value_list: &[background],
        });
        self.check(cookie);
        let cookie = self.conn.send_request_checked(&x::ClearArea {
            exposures: false,
            window: self.root,
            x: 0,
            y: 0,
            width: 0,
            height: 0,
        });
        self.check(cookie);
    }

    /// Makes an RGB image (3 bytes a pixel, rows top to bottom) the screen's background,
    /// from the top-left corner, as a wallpaper: for captures that need more than a flat
    /// colour. It stays when windows come and go over it.
    pub fn wallpaper(&self, width: u16, rgb: &[u8]) {
        let row = usize::from(width) * 3;
        assert!(
            row > 0 && !rgb.is_empty() && rgb.len() % row == 0,
            "an RGB image {width} pixels wide"
        );
        let height = u16::try_from(rgb.len() / row).expect("an image under 65536 rows");
        let pixmap: x::Pixmap = self.conn.generate_id();
        let cookie = self.conn.send_request_checked(&x::CreatePixmap {
            depth: 24,
            pid: pixmap,
            drawable: x::Drawable::Window(self.root),
            width,
            height,
        });
        self.check(cookie);
        let gc: x::Gcontext = self.conn.generate_id();
        let cookie = self.conn.send_request_checked(&x::CreateGc {
            cid: gc,
            drawable: x::Drawable::Pixmap(pixmap),
            value_list: &[],
        });
        self.check(cookie);
        // Strips well under the core protocol's 256 KiB request limit.
        let rows_per_strip = (60_000 / usize::from(width)).max(1);
        for (i, strip) in rgb.chunks(row * rows_per_strip).enumerate() {
            // Xvfb's 24-bit ZPixmap: 32 bits a pixel, little-endian 0x00RRGGBB.
            let data: Vec<u8> = strip
                .chunks_exact(3)
                .flat_map(|p| [p[2], p[1], p[0], 0])
                .collect();
            let cookie = self.conn.send_request_checked(&x::PutImage {
                format: x::ImageFormat::ZPixmap,
                drawable: x::Drawable::Pixmap(pixmap),
                gc,
                width,
                height: u16::try_from(strip.len() / row).expect("a strip's rows"),
                dst_x: 0,
                dst_y: i16::try_from(i * rows_per_strip).expect("a row on the screen"),
                left_pad: 0,
                depth: 24,
                data: &data,
            });
            self.check(cookie);
        }
        self.set_background(x::Cw::BackPixmap(pixmap));
        // The server keeps the background; neither the pixmap id nor the GC is needed.
        self.conn.send_request(&x::FreeGc { gc });
        self.conn.send_request(&x::FreePixmap { pixmap });
        self.conn.flush().expect("flush to Xvfb");
    }

    /// Maps a solid-colour window at (x, y) with the given class and title and lists it
    /// on top, as a window manager would; returns its id.
    pub fn window(
        &mut self,
        (x, y, width, height): (i16, i16, u16, u16),
        rgb: [u8; 3],
        app: &str,
        title: &str,
    ) -> u32 {
        let window: x::Window = self.conn.generate_id();
        let screen = self
            .conn
            .get_setup()
            .roots()
            .next()
            .expect("screen")
            .to_owned();
        let cookie = self.conn.send_request_checked(&x::CreateWindow {
            depth: x::COPY_FROM_PARENT as u8,
            wid: window,
            parent: self.root,
            x,
            y,
            width,
            height,
            border_width: 0,
            class: x::WindowClass::InputOutput,
            visual: screen.root_visual(),
            // No window manager to place it: override-redirect keeps it exactly here.
            value_list: &[x::Cw::BackPixel(pixel(rgb)), x::Cw::OverrideRedirect(true)],
        });
        self.check(cookie);
        let class = format!("{}\0{app}\0", app.to_lowercase());
        let cookie = self.conn.send_request_checked(&x::ChangeProperty {
            mode: x::PropMode::Replace,
            window,
            property: x::ATOM_WM_CLASS,
            r#type: x::ATOM_STRING,
            data: class.as_bytes(),
        });
        self.check(cookie);
        let (name, utf8) = (self.atom("_NET_WM_NAME"), self.atom("UTF8_STRING"));
        let cookie = self.conn.send_request_checked(&x::ChangeProperty {
            mode: x::PropMode::Replace,
            window,
            property: name,
            r#type: utf8,
            data: title.as_bytes(),
        });
        self.check(cookie);
        let cookie = self.conn.send_request_checked(&x::MapWindow { window });
        self.check(cookie);
        self.windows.push(window);
        self.publish_windows();
        window.resource_id()
    }

    /// Marks a window as owned by process `pid` (`_NET_WM_PID`), as toolkits do.
    pub fn set_pid(&self, id: u32, pid: u32) {
        let window = self.made_here(id);
        let cookie = self.conn.send_request_checked(&x::ChangeProperty {
            mode: x::PropMode::Replace,
            window,
            property: self.atom("_NET_WM_PID"),
            r#type: x::ATOM_CARDINAL,
            data: &[pid],
        });
        self.check(cookie);
    }

    fn made_here(&self, id: u32) -> x::Window {
        self.windows
            .iter()
            .copied()
            .find(|w| w.resource_id() == id)
            .expect("a window made by this Xvfb")
    }

    /// Minimizes a window as a window manager does: hidden state, unmapped.
    pub fn minimize(&self, id: u32) {
        let window = self.made_here(id);
        let (state, hidden) = (
            self.atom("_NET_WM_STATE"),
            self.atom("_NET_WM_STATE_HIDDEN"),
        );
        let cookie = self.conn.send_request_checked(&x::ChangeProperty {
            mode: x::PropMode::Replace,
            window,
            property: state,
            r#type: x::ATOM_ATOM,
            data: &[hidden],
        });
        self.check(cookie);
        let cookie = self.conn.send_request_checked(&x::UnmapWindow { window });
        self.check(cookie);
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
