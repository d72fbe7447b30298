//! axe-core (the UI's dev dependency) run inside the real webview: the same rules a
//! browser's accessibility checker applies, on the screen as the user has it.

use super::Desktop;

const AXE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../ui/node_modules/axe-core/axe.min.js"
);

/// The serious and critical violations on the page as it is now, one line each (rule,
/// what it asks, where).
pub async fn serious_violations(app: &Desktop) -> Vec<String> {
    let source =
        std::fs::read_to_string(AXE).unwrap_or_else(|e| panic!("{AXE}: {e} (run `npm ci` in ui/)"));
    // Injected through WebDriver, as a script of the test's: the app's own CSP allows no
    // script that is not part of the app.
    let loaded = app
        .web
        .execute(&format!("{source}\nreturn typeof window.axe;"), Vec::new())
        .await
        .expect("inject axe-core");
    assert_eq!(loaded, "object", "axe-core did not load");
    let found = app
        .web
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
            window.axe
              .run(document, { resultTypes: ["violations"] })
              .then((r) => done(r.violations
                .filter((v) => v.impact === "serious" || v.impact === "critical")
                .map((v) => `${v.id} (${v.impact}): ${v.help}; at ${v.nodes
                  .map((n) => n.target.join(" ")).join(", ")}`)))
              .catch((e) => done([`axe failed: ${e}`]));"#,
            Vec::new(),
        )
        .await
        .expect("run axe-core");
    serde_json::from_value(found).expect("a list of violations")
}
