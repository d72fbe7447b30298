//! The commands, each a thin use of `lifebuoy_client::Client`.

use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use lifebuoy_client::{
    Client, ClientError, ClientEvent, ClientOptions, NewTicket, Result, TicketFilter,
};
use lifebuoy_domain::{Priority, Status};

use crate::output::{self, print_json};
use crate::screenshot;

#[derive(Parser)]
#[command(
    name = "lifebuoy",
    version,
    about = "File and follow Lifebuoy support tickets"
)]
pub struct Cli {
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// Where local data lives (default: the OS data directory).
    #[arg(long, global = true, env = "LIFEBUOY_CLIENT_DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Sign in; the session is kept in the OS keyring.
    Login {
        #[arg(long, env = "LIFEBUOY_SERVER")]
        server: String,
        #[arg(long, env = "LIFEBUOY_EMAIL")]
        email: String,
        /// Read the password from standard input instead of prompting.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Sign out and forget the session.
    Logout {
        /// Also delete this account's local tickets, drafts and unsent work.
        #[arg(long)]
        delete_local_data: bool,
    },
    /// List tickets.
    Tickets {
        /// Only these statuses (repeatable), e.g. --status NEW --status IN_PROGRESS.
        #[arg(long, value_parser = parse_status)]
        status: Vec<Status>,
        #[arg(long, value_parser = parse_priority)]
        priority: Option<Priority>,
        /// Text to look for in number, subject and description.
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        limit: Option<usize>,
        /// Show what is stored locally without contacting the server.
        #[arg(long)]
        offline: bool,
    },
    /// Show one ticket and its conversation (by number, e.g. LB-000042 or 42).
    Show {
        ticket: String,
        #[arg(long)]
        offline: bool,
    },
    /// File a ticket. Works offline: it is sent when the server is reachable.
    New {
        #[arg(long)]
        subject: String,
        /// The description; `-` reads it from standard input.
        #[arg(long)]
        description: String,
        #[arg(long)]
        category: Option<String>,
        #[arg(long, value_parser = parse_priority)]
        priority: Option<Priority>,
        /// Attach a file (repeatable).
        #[arg(long = "attach")]
        attach: Vec<PathBuf>,
        /// Attach this computer's system details (shown before sending).
        #[arg(long)]
        system_info: bool,
        /// Attach a screenshot of the primary monitor as screenshot.png (needs a desktop
        /// session; without one nothing is queued).
        #[arg(long)]
        screenshot: bool,
        /// With --screenshot: capture this monitor instead (1 is the first).
        #[arg(long, value_name = "N", requires = "screenshot",
              value_parser = clap::value_parser!(u32).range(1..))]
        monitor: Option<u32>,
    },
    /// Reply on a ticket; `-` reads the reply from standard input.
    Reply {
        ticket: String,
        body: String,
        #[arg(long = "attach")]
        attach: Vec<PathBuf>,
    },
    /// Close a ticket.
    Close { ticket: String },
    /// Reopen a resolved ticket.
    Reopen { ticket: String },
    /// Send queued work and fetch what changed.
    Sync,
    /// Print new replies and status changes as they happen, until Ctrl-C.
    Watch,
    /// Unsent work: list it, retry a failed item, or discard one.
    Outbox {
        #[command(subcommand)]
        action: Option<OutboxAction>,
    },
}

#[derive(Subcommand)]
enum OutboxAction {
    List,
    Retry { id: i64 },
    Discard { id: i64 },
}

fn parse_status(s: &str) -> std::result::Result<Status, String> {
    s.to_ascii_uppercase().parse()
}

fn parse_priority(s: &str) -> std::result::Result<Priority, String> {
    s.to_ascii_uppercase().parse()
}

fn text_arg(value: &str) -> Result<String> {
    if value != "-" {
        return Ok(value.to_owned());
    }
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text)?;
    Ok(text)
}

fn options(cli: &Cli) -> ClientOptions {
    ClientOptions {
        data_root: cli.data_dir.clone(),
    }
}

pub async fn run(cli: Cli) -> Result<()> {
    let json = cli.json;
    let opts = options(&cli);
    match cli.command {
        Command::Login {
            server,
            email,
            password_stdin,
        } => {
            let password = if password_stdin {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line)?;
                line.trim_end_matches(['\r', '\n']).to_owned()
            } else {
                rpassword::prompt_password(format!("Password for {email}: "))?
            };
            let client = Client::login(&server, &email, &password, opts).await?;
            let report = client.sync_now().await?;
            if json {
                print_json(
                    &serde_json::json!({"user": client.user(), "server": client.server(), "tickets": report.tickets}),
                );
            } else {
                println!(
                    "Signed in to {} as {} ({}). {} ticket(s) synced.",
                    client.server(),
                    client.user().name,
                    client.user().role,
                    report.tickets
                );
            }
            Ok(())
        }
        Command::Logout { delete_local_data } => {
            let client = Client::resume(opts).await?;
            client.logout(delete_local_data).await?;
            if !json {
                println!(
                    "Signed out{}.",
                    if delete_local_data {
                        " and deleted the local data"
                    } else {
                        ""
                    }
                );
            }
            Ok(())
        }
        Command::Tickets {
            status,
            priority,
            search,
            limit,
            offline,
        } => {
            let client = Client::resume(opts).await?;
            refresh(&client, offline, json).await;
            let filter = TicketFilter {
                statuses: status,
                priority,
                text: search,
                limit,
            };
            let tickets = client.tickets(&filter)?;
            if json {
                print_json(&tickets);
            } else if tickets.is_empty() {
                println!("No tickets.");
            } else {
                for t in &tickets {
                    println!("{}", output::ticket_line(t));
                }
            }
            Ok(())
        }
        Command::Show { ticket, offline } => {
            let client = Client::resume(opts).await?;
            refresh(&client, offline, json).await;
            let detail = client
                .ticket(&ticket)?
                .ok_or_else(|| ClientError::NotFound(format!("ticket {ticket}")))?;
            client.mark_seen(&detail.ticket.key)?;
            if json {
                print_json(&detail);
                return Ok(());
            }
            let t = &detail.ticket.ticket;
            println!(
                "{} {}\n{} · {} · {}",
                output::number(&detail.ticket),
                t.subject,
                t.status,
                t.priority,
                t.category
            );
            if let Some(a) = &t.assignee {
                println!("Assigned to {}", a.name);
            }
            println!("\n{}\n", t.description);
            for f in &detail.ticket.attachments {
                println!("  [file] {} ({} bytes)", f.file_name, f.size);
            }
            for m in &detail.messages {
                let state = match (m.pending, &m.outbox_error) {
                    (true, Some(e)) => format!(" (not sent: {e})"),
                    (true, None) => " (queued)".to_owned(),
                    _ => String::new(),
                };
                println!(
                    "--- {} ({}) {}{}\n{}",
                    m.message.author.name,
                    m.message.author.role,
                    m.message.created_at.format("%Y-%m-%d %H:%M UTC"),
                    state,
                    m.message.body
                );
                for f in &m.message.attachments {
                    println!("  [file] {} ({} bytes)", f.file_name, f.size);
                }
            }
            Ok(())
        }
        Command::New {
            subject,
            description,
            category,
            priority,
            mut attach,
            system_info,
            screenshot,
            monitor,
        } => {
            let client = Client::resume(opts).await?;
            // Taken before anything is queued, so a failed capture files nothing.
            let shot = screenshot.then(|| screenshot::take(monitor)).transpose()?;
            if let (Some(shot), false) = (&shot, json) {
                println!(
                    "Attaching a screenshot of monitor {} ({}, {}×{}).",
                    shot.position, shot.monitor.name, shot.monitor.width, shot.monitor.height
                );
            }
            attach.extend(shot.as_ref().map(|s| s.path.clone()));
            let info = system_info.then(|| {
                lifebuoy_client::system_info::collect(
                    client.data_dir(),
                    concat!("lifebuoy-cli ", env!("CARGO_PKG_VERSION")),
                )
            });
            if let (Some(info), false) = (&info, json) {
                println!(
                    "Attaching these system details:\n{}",
                    serde_json::to_string_pretty(info).unwrap_or_default()
                );
            }
            let queued = client.create_ticket(NewTicket {
                subject,
                description: text_arg(&description)?,
                category,
                priority,
                context: Some(serde_json::json!({"client": "lifebuoy-cli", "version": env!("CARGO_PKG_VERSION")})),
                system_info: info,
                files: attach,
                draft: None,
            })?;
            send_now(&client, json).await?;
            let now = client.ticket(&queued.key)?;
            let sent = now.as_ref().is_some_and(|d| !d.ticket.pending);
            if json {
                print_json(&serde_json::json!({"ticket": now.map(|d| d.ticket), "sent": sent}));
            } else if let Some(d) = now.filter(|_| sent) {
                println!(
                    "Filed {}: {}",
                    d.ticket.ticket.number, d.ticket.ticket.subject
                );
            } else {
                println!(
                    "Queued: it will be sent when the server is reachable (run `lifebuoy sync`)."
                );
            }
            Ok(())
        }
        Command::Reply {
            ticket,
            body,
            attach,
        } => {
            let client = Client::resume(opts).await?;
            let key = client.reply(&ticket, &text_arg(&body)?, &attach)?;
            send_now(&client, json).await?;
            queued_or_sent(&client, json, &key)
        }
        Command::Close { ticket } => {
            let client = Client::resume(opts).await?;
            client.close(&ticket)?;
            send_now(&client, json).await?;
            status_done(&client, json, &ticket)
        }
        Command::Reopen { ticket } => {
            let client = Client::resume(opts).await?;
            client.reopen(&ticket)?;
            send_now(&client, json).await?;
            status_done(&client, json, &ticket)
        }
        Command::Sync => {
            let client = Client::resume(opts).await?;
            let sent = send_now(&client, json).await?;
            let report = client.sync_now().await?;
            let failed = client
                .outbox()?
                .into_iter()
                .filter(|o| o.state == lifebuoy_client::OutboxState::Failed)
                .count();
            if json {
                print_json(
                    &serde_json::json!({"sent": sent, "tickets": report.tickets, "messages": report.messages, "failed": failed}),
                );
            } else {
                println!(
                    "Sent {sent} item(s); received {} ticket update(s) and {} message(s).",
                    report.tickets, report.messages
                );
            }
            if failed > 0 {
                return Err(ClientError::Invalid(format!(
                    "{failed} item(s) in the outbox failed; see `lifebuoy outbox`"
                )));
            }
            Ok(())
        }
        Command::Watch => {
            let client = Client::resume(opts).await?;
            let mut events = client.subscribe();
            let background = client.run();
            if !json {
                eprintln!("Watching {} for replies (Ctrl-C to stop)…", client.server());
            }
            loop {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => break,
                    event = events.recv() => match event {
                        Ok(ClientEvent::ConnectivityChanged(lifebuoy_client::Connectivity::SignedOut { reason })) => {
                            client.stop();
                            return Err(ClientError::SignedOut(reason));
                        }
                        Ok(e) => print_event(json, &e),
                        Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                        Err(_) => break,
                    }
                }
            }
            client.stop();
            let _ = background.await;
            Ok(())
        }
        Command::Outbox { action } => {
            let client = Client::resume(opts).await?;
            match action.unwrap_or(OutboxAction::List) {
                OutboxAction::List => {
                    let items = client.outbox()?;
                    if json {
                        print_json(&items);
                    } else if items.is_empty() {
                        println!("Nothing waiting to be sent.");
                    } else {
                        for o in &items {
                            println!("{}", output::outbox_line(o));
                        }
                    }
                }
                OutboxAction::Retry { id } => {
                    client.retry(id)?;
                    send_now(&client, json).await?;
                    if !json {
                        println!("Retried item {id}.");
                    }
                }
                OutboxAction::Discard { id } => {
                    client.discard(id)?;
                    if !json {
                        println!("Discarded item {id}.");
                    }
                }
            }
            Ok(())
        }
    }
}

/// Tries to bring the local store up to date before a read; offline is not an error.
async fn refresh(client: &Client, offline: bool, json: bool) {
    if offline {
        return;
    }
    let _ = client.flush_outbox().await;
    match tokio::time::timeout(Duration::from_secs(10), client.sync_now()).await {
        Ok(Ok(_)) => {}
        Ok(Err(e)) if !json => eprintln!("(showing local data: {e})"),
        Err(_) if !json => eprintln!("(showing local data: the server is slow to answer)"),
        _ => {}
    }
}

/// Sends what is queued now, with a progress bar per uploaded file; returns how many
/// items went. Being offline is fine (the work stays queued); a refusal is an error.
async fn send_now(client: &Client, json: bool) -> Result<usize> {
    let mut events = client.subscribe();
    let bars = (!json).then(MultiProgress::new);
    let watcher = tokio::spawn(async move {
        let mut by_file: HashMap<(i64, String), ProgressBar> = HashMap::new();
        let mut failures = Vec::new();
        while let Ok(event) = events.recv().await {
            match event {
                ClientEvent::UploadProgress {
                    outbox_id,
                    file_name,
                    sent,
                    total,
                } => {
                    if let Some(multi) = &bars {
                        let bar = by_file
                            .entry((outbox_id, file_name.clone()))
                            .or_insert_with(|| {
                                let b = multi.add(ProgressBar::new(total));
                                if let Ok(style) = ProgressStyle::with_template(
                                    "{msg:20} [{bar:30}] {bytes}/{total_bytes}",
                                ) {
                                    b.set_style(style.progress_chars("=> "));
                                }
                                b.set_message(file_name.clone());
                                b
                            });
                        bar.set_position(sent);
                    }
                }
                ClientEvent::OutboxItemFailed { reason, .. } => failures.push(reason),
                _ => {}
            }
        }
        for bar in by_file.values() {
            bar.finish();
        }
        failures
    });
    let report = client.flush_outbox().await;
    // Let the watcher see the last events, then stop it by dropping the client's sender side.
    tokio::time::sleep(Duration::from_millis(20)).await;
    watcher.abort();
    let report = report?;
    if report.failed > 0 {
        let reasons: Vec<String> = client
            .outbox()?
            .into_iter()
            .filter_map(|o| {
                o.last_error
                    .filter(|_| o.state == lifebuoy_client::OutboxState::Failed)
            })
            .collect();
        return Err(ClientError::Invalid(format!(
            "the server refused it: {} (see `lifebuoy outbox`)",
            reasons.join("; ")
        )));
    }
    Ok(report.sent)
}

fn queued_or_sent(client: &Client, json: bool, message_key: &str) -> Result<()> {
    let waiting = client
        .outbox()?
        .iter()
        .any(|o| o.state != lifebuoy_client::OutboxState::Sent)
        && !message_key.is_empty();
    if json {
        print_json(&serde_json::json!({"sent": !waiting}));
    } else if waiting {
        println!("Queued: it will be sent when the server is reachable (run `lifebuoy sync`).");
    } else {
        println!("Sent.");
    }
    Ok(())
}

fn status_done(client: &Client, json: bool, ticket: &str) -> Result<()> {
    let detail = client
        .ticket(ticket)?
        .ok_or_else(|| ClientError::NotFound(format!("ticket {ticket}")))?;
    let waiting = !client.outbox()?.is_empty();
    if json {
        print_json(&serde_json::json!({"ticket": detail.ticket, "sent": !waiting}));
    } else {
        println!(
            "{} is now {}{}.",
            output::number(&detail.ticket),
            detail.ticket.ticket.status,
            if waiting { " (queued)" } else { "" }
        );
    }
    Ok(())
}

fn print_event(json: bool, event: &ClientEvent) {
    if json {
        println!("{}", serde_json::to_string(event).unwrap_or_default());
        return;
    }
    if let Some(news) = event.announcement() {
        println!("{}\n  {}", news.headline, news.line);
        return;
    }
    match event {
        ClientEvent::OutboxItemFailed { reason, .. } => println!("not sent: {reason}"),
        ClientEvent::ConnectivityChanged(state) => eprintln!("({state:?})"),
        _ => {}
    }
}
