//! The desktop app driven over WebDriver. tauri-driver starts the app for each session,
//! with this process's environment (display, bus, data dir, server address).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};

pub const WAIT: Duration = Duration::from_secs(20);

fn free_port_pair() -> u16 {
    loop {
        let a = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = a.local_addr().unwrap().port();
        if port < u16::MAX && TcpListener::bind(("127.0.0.1", port + 1)).is_ok() {
            return port;
        }
    }
}

/// The D-Bus name tauri-plugin-single-instance holds while the app runs.
const INSTANCE_NAME: &str = "app.lifebuoy.desktop.SingleInstance";

async fn wait_for_no_instance() {
    let Ok(conn) = zbus::Connection::session().await else {
        return;
    };
    let Ok(bus) = zbus::fdo::DBusProxy::new(&conn).await else {
        return;
    };
    let deadline = Instant::now() + WAIT;
    loop {
        let name = zbus::names::BusName::try_from(INSTANCE_NAME).unwrap();
        if !bus.name_has_owner(name).await.unwrap_or(false) {
            return;
        }
        assert!(Instant::now() < deadline, "a previous app never exited");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub struct Desktop {
    pub web: Client,
    driver: Child,
    pub data_dir: PathBuf,
}

impl Desktop {
    /// Launches the app with its data under `data_dir`, pointed at `server`.
    pub async fn launch(server: &str, data_dir: &Path) -> Self {
        Self::launch_with(server, data_dir, &[]).await
    }

    /// Launches the app with extra environment (say, the `BROWSER` links open in).
    /// Its window state lives under `data_dir` too, so each test starts from the
    /// configured window and a relaunch with the same `data_dir` finds what it left.
    pub async fn launch_with(server: &str, data_dir: &Path, env: &[(&str, &str)]) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        wait_for_no_instance().await;
        let port = free_port_pair();
        let mut driver = Command::new("tauri-driver")
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &(port + 1).to_string(),
            ])
            .env("LIFEBUOY_CLIENT_DIR", data_dir)
            .env("LIFEBUOY_SERVER", server)
            .env("NO_AT_BRIDGE", "1")
            .env("LIFEBUOY_LOG", "warn,lifebuoy=debug")
            .env("XDG_CONFIG_HOME", data_dir.join("config"))
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("tauri-driver (cargo install tauri-driver --locked)");
        let deadline = Instant::now() + WAIT;
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                stop(&mut driver);
                panic!("tauri-driver did not start");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": env!("CARGO_BIN_EXE_lifebuoy-desktop") }),
        );
        let session = ClientBuilder::rustls()
            .unwrap()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await;
        let web = match session {
            Ok(web) => web,
            Err(e) => {
                stop(&mut driver);
                panic!("a WebDriver session with the app: {e}");
            }
        };
        Self {
            web,
            driver,
            data_dir: data_dir.to_owned(),
        }
    }

    /// Ends the session (which ends the app) and the driver, and waits until the app has
    /// let go of its single-instance name: an app started while it still holds it would
    /// hand over to the dying one and quit.
    pub async fn quit(self) {
        let _ = self.web.clone().close().await;
        drop(self);
        wait_for_no_instance().await;
    }

    /// Closes the window as the user would, and waits until the app has exited through
    /// its own exit path.
    pub async fn close_window(self) {
        let display = std::env::var("DISPLAY").expect("the test's Xvfb display");
        let asked = super::x11::close_windows_titled(&display, "Lifebuoy");
        if asked == 0 {
            self.fail("the app has no window to close".into()).await;
        }
        wait_for_no_instance().await;
        drop(self);
    }

    pub async fn screenshot(&self, path: &Path) {
        if let Ok(png) = self.web.screenshot().await {
            let _ = std::fs::write(path, png);
        }
    }

    /// Fails the test with a picture of the app as it was.
    pub async fn fail(&self, message: String) -> ! {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
        let shot = dir.join(format!("e2e-failure-{}.png", std::process::id()));
        self.screenshot(&shot).await;
        panic!("{message} (the app at that moment: {})", shot.display());
    }

    pub async fn wait_for(&self, css: &str) -> Element {
        match self
            .web
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(el) => el,
            Err(e) => self.fail(format!("`{css}` never appeared: {e}")).await,
        }
    }

    /// The text of every element matching `css` (read in the page: WebKitWebDriver's
    /// own element text can leave out parts of the content).
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let found = self
            .web
            .execute(
                "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent);",
                vec![serde_json::json!(css)],
            )
            .await;
        match found {
            Ok(serde_json::Value::Array(items)) => items
                .into_iter()
                .map(|v| v.as_str().unwrap_or_default().to_owned())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Waits until `css` matches an element whose text contains `text`.
    pub async fn wait_for_text(&self, css: &str, text: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let seen = self.texts(css).await;
            if seen.iter().any(|t| t.contains(text)) {
                return;
            }
            if Instant::now() > deadline {
                self.fail(format!("no `{css}` ever said {text:?}; saw {seen:?}"))
                    .await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until nothing matches `css`.
    pub async fn wait_gone(&self, css: &str) {
        let deadline = Instant::now() + WAIT;
        while !self
            .web
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_default()
            .is_empty()
        {
            if Instant::now() > deadline {
                self.fail(format!("`{css}` never went away")).await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn click(&self, css: &str) {
        self.wait_for(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Replaces a field's text, as a user selecting it all and typing would.
    pub async fn fill(&self, css: &str, text: &str) {
        let el = self.wait_for(css).await;
        el.clear().await.unwrap();
        el.send_keys(text).await.unwrap();
    }

    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.wait_for(css).await.attr(name).await.unwrap()
    }

    pub async fn sign_in(&self, email: &str, password: &str) {
        self.wait_for("#sign-in").await;
        self.fill("#sign-in input[name=email]", email).await;
        self.fill("#sign-in input[name=password]", password).await;
        self.click("#sign-in button[type=submit]").await;
    }

    pub async fn wait_online(&self) {
        self.wait_for("#connectivity[data-state=online]").await;
    }

    /// Starts the app binary again beside this one, as a user launching it twice would
    /// (same data, display and session bus).
    pub fn launch_again(&self, args: &[&str]) -> Child {
        Command::new(env!("CARGO_BIN_EXE_lifebuoy-desktop"))
            .args(args)
            .env("LIFEBUOY_CLIENT_DIR", &self.data_dir)
            .env("XDG_CONFIG_HOME", self.data_dir.join("config"))
            .env("NO_AT_BRIDGE", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the app binary a second time")
    }
}

/// A failed test must not leave the driver (and the app) running: a leftover driver
/// also keeps the test's output open, so whatever reads it never sees its end.
impl Drop for Desktop {
    fn drop(&mut self) {
        self.picture_if_failing();
        stop(&mut self.driver);
    }
}

fn stop(driver: &mut Child) {
    let _ = driver.kill();
    let _ = driver.wait();
}
