//! Every write, as a synchronous function on the writing connection. Each runs inside its
//! own savepoint of a batch transaction (see `writer`), so it may assume it is alone:
//! what it reads cannot change before it writes.

pub(super) mod bulk;
pub(super) mod categories;
mod idempotency;
pub(super) mod messages;
mod rows;
pub(super) mod tickets;
pub(super) mod uploads;
pub(super) mod users;
pub(super) mod users_admin;
