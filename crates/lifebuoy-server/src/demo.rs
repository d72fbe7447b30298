//! The demo accounts of the v1 contract, for trying Lifebuoy out.

use lifebuoy_domain::Role;

use crate::auth::hash_password;
use crate::error::Result;
use crate::store::{NewUser, Store};

pub const DEMO_PASSWORD: &str = "lifebuoy-demo";

pub const DEMO_ACCOUNTS: [(&str, &str, Role); 4] = [
    ("field@demo.test", "Fran Field", Role::Requester),
    ("field2@demo.test", "Rory Remote", Role::Requester),
    ("agent@demo.test", "Avery Agent", Role::Agent),
    ("admin@demo.test", "Ada Admin", Role::Admin),
];

/// Creates whichever demo accounts are missing; existing accounts are left untouched.
pub async fn seed(store: &dyn Store) -> Result<usize> {
    let mut created = 0;
    for (email, name, role) in DEMO_ACCOUNTS {
        // Hashing costs 19 MiB and tens of milliseconds: skip it for accounts that exist.
        if store.credentials(email).await?.is_some() {
            continue;
        }
        let user = NewUser {
            email: email.to_owned(),
            name: name.to_owned(),
            role,
            password_hash: hash_password(DEMO_PASSWORD.to_owned()).await?,
        };
        if store.ensure_user(user).await? {
            created += 1;
        }
    }
    Ok(created)
}
