//! How results and errors are printed: for people by default, JSON with `--json`.

use lifebuoy_client::{ClientError, LocalTicket, OutboxItem};

pub fn exit_code(e: &ClientError) -> u8 {
    match e {
        ClientError::SignedOut(_) => 3,
        ClientError::Network(_) | ClientError::ServerFailed { .. } => 4,
        _ => 1,
    }
}

pub fn error(json: bool, e: &ClientError) {
    let hint = match e {
        ClientError::SignedOut(_) => " Run `lifebuoy login`.",
        ClientError::Network(_) => " Check the network or the server address; queued work is kept.",
        _ => "",
    };
    if json {
        let kind = match exit_code(e) {
            3 => "signed_out",
            4 => "unreachable",
            _ => "failed",
        };
        eprintln!(
            "{}",
            serde_json::json!({"error": kind, "message": e.to_string()})
        );
    } else {
        eprintln!("lifebuoy: {e}.{hint}");
    }
}

pub fn print_json(value: &impl serde::Serialize) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}

pub fn number(t: &LocalTicket) -> String {
    if t.pending || t.ticket.number.is_empty() {
        "(queued)".to_owned()
    } else {
        t.ticket.number.clone()
    }
}

pub fn ticket_line(t: &LocalTicket) -> String {
    format!(
        "{}{:<10} {:<17} {:<7} {}",
        if t.unread { "* " } else { "  " },
        number(t),
        t.ticket.status.as_str(),
        t.ticket.priority.as_str(),
        t.ticket.subject
    )
}

pub fn outbox_line(o: &OutboxItem) -> String {
    let state = match &o.last_error {
        Some(err) if o.state == lifebuoy_client::OutboxState::Failed => format!("failed: {err}"),
        _ => format!("{:?}", o.state).to_lowercase(),
    };
    let files = if o.files.is_empty() {
        String::new()
    } else {
        format!(
            " (+{} file{})",
            o.files.len(),
            if o.files.len() == 1 { "" } else { "s" }
        )
    };
    format!(
        "{:>4}  {:<14} {}{}  [{}]",
        o.id,
        format!("{:?}", o.kind),
        o.summary,
        files,
        state
    )
}
