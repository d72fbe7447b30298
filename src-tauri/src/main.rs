// The app's entry point; everything else is in the library so tests can reach it.
fn main() {
    lifebuoy_desktop::run();
}
