//! Who a bearer token belongs to, remembered for a few seconds.
//!
//! Every request starts by finding its caller, and through the read pool that lookup was
//! a round trip to another thread and a query: as much work as some whole requests. The
//! answers change only when this store signs someone out, revokes sessions or changes a
//! user, and each of those clears the cache (`forget_all`) before its caller is answered,
//! so a signed-out token or a deactivated user is refused at once. Entries also expire
//! after `MAX_AGE`, which bounds how long a change made outside this process (another
//! tool writing the same file) goes unseen. Unknown tokens are never remembered, so a
//! fresh sign-in works at once and guessing cannot fill the cache.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use lifebuoy_domain::wire::User;

const MAX_AGE: Duration = Duration::from_secs(10);
/// Signed-in users remembered at most; past that the cache starts over.
const CAPACITY: usize = 10_000;

#[derive(Default)]
pub(super) struct SessionCache {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// Moved by every `forget_all`, so that a lookup that began before it cannot store
    /// what it read after the change.
    generation: u64,
    entries: HashMap<[u8; 32], Entry>,
}

struct Entry {
    user: User,
    expires_at_ms: i64,
    loaded: Instant,
}

/// Taken before a lookup; the lookup's answer is kept only if nothing changed meanwhile.
#[derive(Clone, Copy)]
pub(super) struct Generation(u64);

impl SessionCache {
    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A poisoned lock means a panic mid-update of a plain map: start over rather than
        // trust it.
        self.inner.lock().unwrap_or_else(|poisoned| {
            let mut inner = poisoned.into_inner();
            inner.entries.clear();
            inner.generation += 1;
            inner
        })
    }

    /// The user behind `token_hash` if remembered and still valid at `now_ms`; otherwise
    /// `Err` with the generation to store the database's answer under.
    pub fn get(&self, token_hash: &[u8; 32], now_ms: i64) -> Result<User, Generation> {
        let inner = self.inner();
        match inner.entries.get(token_hash) {
            Some(e) if e.expires_at_ms > now_ms && e.loaded.elapsed() < MAX_AGE => {
                Ok(e.user.clone())
            }
            _ => Err(Generation(inner.generation)),
        }
    }

    pub fn put(&self, seen: Generation, token_hash: [u8; 32], user: User, expires_at_ms: i64) {
        let mut inner = self.inner();
        if inner.generation != seen.0 {
            return;
        }
        if inner.entries.len() >= CAPACITY {
            inner.entries.clear();
        }
        inner.entries.insert(
            token_hash,
            Entry {
                user,
                expires_at_ms,
                loaded: Instant::now(),
            },
        );
    }

    pub fn forget_all(&self) {
        let mut inner = self.inner();
        inner.generation += 1;
        inner.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lifebuoy_domain::Role;
    use uuid::Uuid;

    fn user() -> User {
        User {
            id: Uuid::new_v4(),
            email: "a@b.test".to_owned(),
            name: "A".to_owned(),
            role: Role::Agent,
        }
    }

    #[test]
    fn remembers_until_the_session_expires() {
        let cache = SessionCache::default();
        let Err(seen) = cache.get(&[1; 32], 0) else {
            panic!("empty cache answered")
        };
        cache.put(seen, [1; 32], user(), 1_000);
        assert!(cache.get(&[1; 32], 999).is_ok());
        assert!(cache.get(&[1; 32], 1_000).is_err());
        assert!(cache.get(&[2; 32], 0).is_err());
    }

    #[test]
    fn a_lookup_that_raced_a_change_is_not_kept() {
        let cache = SessionCache::default();
        let Err(seen) = cache.get(&[1; 32], 0) else {
            panic!("empty cache answered")
        };
        cache.forget_all();
        cache.put(seen, [1; 32], user(), 1_000);
        assert!(cache.get(&[1; 32], 0).is_err());
    }

    #[test]
    fn forgetting_refuses_what_was_remembered() {
        let cache = SessionCache::default();
        let Err(seen) = cache.get(&[1; 32], 0) else {
            panic!("empty cache answered")
        };
        cache.put(seen, [1; 32], user(), 1_000);
        cache.forget_all();
        assert!(cache.get(&[1; 32], 0).is_err());
    }
}
