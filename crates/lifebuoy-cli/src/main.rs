//! `lifebuoy`: file and follow support tickets from a terminal or a script.
//!
//! Exit codes scripts can trust: 0 done (or safely queued), 1 refused or failed,
//! 2 wrong usage, 3 not signed in, 4 server unreachable.

mod commands;
mod output;
mod screenshot;

use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = commands::Cli::parse();
    let json = cli.json;
    match commands::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            output::error(json, &e);
            ExitCode::from(output::exit_code(&e))
        }
    }
}
