//! Bearer tokens live in the OS keyring, never in the store, a file or a log.
//!
//! On Linux the Secret Service (GNOME Keyring, KWallet) is used; where none runs (a
//! headless box), the kernel keyring (keyutils) of the login session is used instead,
//! which forgets the token at reboot: the user signs in again, queued work is kept.

use std::sync::OnceLock;

use crate::error::{ClientError, Result};

const SERVICE: &str = "lifebuoy";

fn keyring_error(e: keyring::Error) -> ClientError {
    ClientError::Keyring(e.to_string())
}

/// Chooses the backend once per process.
fn init() {
    static CHOSEN: OnceLock<()> = OnceLock::new();
    CHOSEN.get_or_init(|| {
        let forced = std::env::var("LIFEBUOY_KEYRING").unwrap_or_default();
        #[cfg(target_os = "linux")]
        {
            let secret_service = forced != "keyutils" && secret_service_present();
            if secret_service {
                keyring::set_default_credential_builder(
                    keyring::secret_service::default_credential_builder(),
                );
            } else {
                keyring::set_default_credential_builder(
                    keyring::keyutils::default_credential_builder(),
                );
            }
        }
        let _ = forced;
    });
}

/// Whether to use the Secret Service. Without one that can keep secrets the kernel keyring
/// is used; but one that is there and does not answer (a hung daemon) is used all the
/// same, so its error reaches the user instead of a "no saved sign-in" read from a
/// keyring the token was never put in.
#[cfg(target_os = "linux")]
fn secret_service_present() -> bool {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        return false;
    }
    keyring::set_default_credential_builder(keyring::secret_service::default_credential_builder());
    match keyring::Entry::new(SERVICE, "probe").and_then(|e| e.get_password()) {
        Ok(_) | Err(keyring::Error::NoEntry) => true,
        Err(e) => {
            let reason = e.to_string();
            if absent(&reason) {
                return false;
            }
            tracing::warn!(error = %reason, "the Secret Service does not answer; using it anyway");
            true
        }
    }
}

/// A probe error that means no usable Secret Service (no bus, nobody owning the name, no
/// collection to keep secrets in), as opposed to one that is there but does not answer.
#[cfg(target_os = "linux")]
fn absent(reason: &str) -> bool {
    !["NoReply", "Did not receive a reply", "timed out", "Timeout"]
        .iter()
        .any(|sign| reason.contains(sign))
}

fn entry(server: &str, email: &str) -> Result<keyring::Entry> {
    init();
    keyring::Entry::new(SERVICE, &format!("{email} @ {server}")).map_err(keyring_error)
}

/// Runs keyring calls off the async runtime: backends block on D-Bus.
async fn blocking<T: Send + 'static>(
    job: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(job)
        .await
        .map_err(|e| ClientError::Keyring(e.to_string()))?
}

pub async fn save_token(server: &str, email: &str, token: &str) -> Result<()> {
    let (server, email, token) = (server.to_owned(), email.to_owned(), token.to_owned());
    blocking(move || {
        entry(&server, &email)?
            .set_password(&token)
            .map_err(keyring_error)
    })
    .await
}

pub async fn load_token(server: &str, email: &str) -> Result<Option<String>> {
    let (server, email) = (server.to_owned(), email.to_owned());
    blocking(move || match entry(&server, &email)?.get_password() {
        Ok(t) => Ok(Some(t)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(keyring_error(e)),
    })
    .await
}

pub async fn delete_token(server: &str, email: &str) -> Result<()> {
    let (server, email) = (server.to_owned(), email.to_owned());
    blocking(move || match entry(&server, &email)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(keyring_error(e)),
    })
    .await
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::absent;

    #[test]
    fn only_a_service_that_does_not_answer_counts_as_there() {
        // What the keyring crate says with nothing on the bus's address, and with a
        // gnome-keyring started by D-Bus activation but no login collection (headless).
        assert!(absent("Platform secure storage failure: DBus error: Failed to connect to socket /tmp/gone: No such file or directory"));
        assert!(absent(
            "Couldn't access platform secure storage: Secret Service: no result found"
        ));
        // A service that is there but hangs: its own error should reach the user.
        assert!(!absent("Platform secure storage failure: DBus error: Did not receive a reply. Possible causes include: the remote application did not send a reply, the message bus security policy blocked the reply, the reply timeout expired, or the network connection was broken."));
    }
}
