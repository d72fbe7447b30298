//! A picture of the app for any failure, not only the waits that call `Desktop::fail`:
//! an assertion on the server or on another client panics too, and the app is dropped
//! while that panic unwinds.

use std::path::Path;

use super::app::Desktop;

impl Desktop {
    /// Saves a screenshot while a panic unwinds; does nothing otherwise. The WebDriver
    /// call is async, so it runs to completion here on the test's multi-thread runtime.
    pub(super) fn picture_if_failing(&self) {
        if !std::thread::panicking() {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        // block_in_place panics on a current-thread runtime, and a panic while unwinding
        // aborts the whole test binary.
        if runtime.runtime_flavor() != tokio::runtime::RuntimeFlavor::MultiThread {
            return;
        }
        let shot = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("e2e-failure-{}.png", std::process::id()));
        tokio::task::block_in_place(|| runtime.block_on(self.screenshot(&shot)));
        eprintln!("the app when the test failed: {}", shot.display());
    }
}
