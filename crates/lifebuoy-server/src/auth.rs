//! Passwords, bearer tokens and the sign-in rate limit.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use crate::error::{Error, Result};

/// Hashing is deliberately slow; bound how many run at once so sign-in floods cannot
/// starve every other request of CPU.
fn hashing_slots() -> &'static Arc<Semaphore> {
    static SLOTS: OnceLock<Arc<Semaphore>> = OnceLock::new();
    SLOTS.get_or_init(|| {
        let n = std::thread::available_parallelism().map_or(2, |n| n.get());
        Arc::new(Semaphore::new(n))
    })
}

async fn on_hashing_thread<T: Send + 'static>(
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    let _slot = hashing_slots()
        .clone()
        .acquire_owned()
        .await
        .map_err(Error::internal)?;
    tokio::task::spawn_blocking(job)
        .await
        .map_err(Error::internal)
}

/// Argon2id with the crate's default (OWASP-recommended) cost.
pub async fn hash_password(password: String) -> Result<String> {
    on_hashing_thread(move || {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(Error::internal)?;
        let salt = SaltString::encode_b64(&salt).map_err(Error::internal)?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(Error::internal)
    })
    .await?
}

/// A hash of a password nobody has, verified when the email is unknown so that a wrong
/// email takes as long as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| {
        let salt = SaltString::encode_b64(b"lifebuoy-decoy-s").ok();
        salt.and_then(|s| {
            Argon2::default()
                .hash_password(b"not-a-password-anyone-has", &s)
                .ok()
                .map(|h| h.to_string())
        })
        .unwrap_or_default()
    })
}

/// Checks `password` against `hash`, or against the decoy when there is no account.
pub async fn verify_password(password: String, hash: Option<String>) -> Result<bool> {
    on_hashing_thread(move || {
        let real = hash.is_some();
        let stored = hash.unwrap_or_else(|| decoy_hash().to_owned());
        let ok = PasswordHash::new(&stored)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false);
        real && ok
    })
    .await
}

/// A fresh bearer token: 256 random bits. Only its SHA-256 is stored.
pub fn new_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(Error::internal)?;
    Ok(format!("lb_{}", URL_SAFE_NO_PAD.encode(bytes)))
}

pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Slows down password guessing against one account.
///
/// After `FREE_FAILURES` failures in a row, each further attempt must wait a lock-out
/// that doubles per failure up to `MAX_LOCKOUT`. A success clears the record. Kept in
/// memory: a restart forgives, which is acceptable for a rate limit, and the table is
/// pruned so that guessing at random emails cannot grow it without bound.
pub struct LoginLimiter {
    inner: Mutex<HashMap<String, Failures>>,
}

struct Failures {
    count: u32,
    last: Instant,
    locked_until: Option<Instant>,
}

const FREE_FAILURES: u32 = 5;
const FIRST_LOCKOUT: Duration = Duration::from_secs(30);
const MAX_LOCKOUT: Duration = Duration::from_secs(15 * 60);
const FORGET_AFTER: Duration = Duration::from_secs(60 * 60);
const MAX_TRACKED: usize = 100_000;

impl Default for LoginLimiter {
    fn default() -> Self {
        Self {
            inner: Mutex::new(HashMap::new()),
        }
    }
}

impl LoginLimiter {
    fn table(&self) -> std::sync::MutexGuard<'_, HashMap<String, Failures>> {
        // A poisoned lock only means another request panicked mid-update; the counts are
        // still usable.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Refuses with 429 while the account is locked out.
    pub fn check(&self, account: &str) -> Result<()> {
        let now = Instant::now();
        match self.table().get(account).and_then(|f| f.locked_until) {
            Some(until) if until > now => Err(Error::TooManyRequests {
                retry_after_secs: (until - now).as_secs().max(1),
            }),
            _ => Ok(()),
        }
    }

    pub fn failed(&self, account: &str) {
        let now = Instant::now();
        let mut table = self.table();
        if table.len() >= MAX_TRACKED {
            table.retain(|_, f| now.duration_since(f.last) < FORGET_AFTER);
        }
        let entry = table.entry(account.to_owned()).or_insert(Failures {
            count: 0,
            last: now,
            locked_until: None,
        });
        if now.duration_since(entry.last) >= FORGET_AFTER {
            entry.count = 0;
        }
        entry.count += 1;
        entry.last = now;
        if entry.count >= FREE_FAILURES {
            let doublings = (entry.count - FREE_FAILURES).min(16);
            let lockout = FIRST_LOCKOUT
                .saturating_mul(1 << doublings)
                .min(MAX_LOCKOUT);
            entry.locked_until = Some(now + lockout);
        }
    }

    pub fn succeeded(&self, account: &str) {
        self.table().remove(account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn passwords_verify_only_against_their_own_hash() {
        let hash = hash_password("correct horse".into())
            .await
            .unwrap_or_default();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse".into(), Some(hash.clone()))
            .await
            .unwrap_or(false));
        assert!(!verify_password("wrong horse".into(), Some(hash))
            .await
            .unwrap_or(true));
        assert!(!verify_password("anything".into(), None)
            .await
            .unwrap_or(true));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = new_token().unwrap_or_default();
        let b = new_token().unwrap_or_default();
        assert_ne!(a, b);
        assert!(a.len() > 40);
        assert_ne!(token_hash(&a), token_hash(&b));
    }

    #[test]
    fn limiter_locks_after_five_failures_and_success_clears() {
        let l = LoginLimiter::default();
        for _ in 0..FREE_FAILURES - 1 {
            l.failed("a@x");
            assert!(l.check("a@x").is_ok());
        }
        l.failed("a@x");
        assert!(matches!(l.check("a@x"), Err(Error::TooManyRequests { .. })));
        assert!(l.check("b@x").is_ok(), "other accounts are unaffected");
        l.succeeded("a@x");
        assert!(l.check("a@x").is_ok());
    }
}
