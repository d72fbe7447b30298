//! The Lifebuoy API server. `lifebuoy-server` is a thin binary over this library, so
//! tests and benchmarks start the very same server in-process.

pub mod app;
pub mod auth;
pub mod blobs;
pub mod cli;
pub mod demo;
pub mod error;
pub mod extract;
pub mod routes;
pub mod server;
pub mod state;
pub mod store;
pub mod uploads;

pub use error::{Error, Result};
