use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    match lifebuoy_server::cli::run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lifebuoy-server: {}", user_message(&e));
            ExitCode::FAILURE
        }
    }
}

/// Field errors carry their own words; the rest say what failed.
fn user_message(e: &lifebuoy_server::Error) -> String {
    match e {
        lifebuoy_server::Error::Validation(errors) => errors
            .iter()
            .map(|f| f.message.clone())
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}
