//! Staff work against the real server: stats, the CSV export (complete, of a queue view,
//! cut off, cancelled), user and category management, and categories offline.

mod common;

use std::path::{Path, PathBuf};

use common::sign_in;
use lifebuoy_client::{CancellationToken, Client, ClientError, ExportFilter, ExportProgress};
use lifebuoy_domain::staff::{CreateUser, QueueView, UpdateCategory, UpdateUser};
use lifebuoy_domain::{Priority, Role, Status};
use lifebuoy_testkit::*;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Files `n` tickets as the demo requester; returns their subjects.
async fn file_tickets(server: &Server, subjects: &[String]) {
    let fran = server.as_user("field@demo.test").await;
    for subject in subjects {
        let t = fran
            .post(
                "/api/v1/tickets",
                json!({"subject": subject, "description": "from the staff tests"}),
            )
            .await;
        assert!(t["id"].is_string(), "{t}");
    }
}

fn export_dir() -> PathBuf {
    data_root().join("exports")
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Runs an export, collecting every progress report.
async fn export(
    client: &Client,
    filter: &ExportFilter,
    dest: &Path,
    cancel: &CancellationToken,
) -> (
    Result<lifebuoy_client::ExportReport, ClientError>,
    Vec<ExportProgress>,
) {
    let mut seen = Vec::new();
    let mut progress = |p: ExportProgress| seen.push(p);
    let result = client.export_csv(filter, dest, &mut progress, cancel).await;
    (result, seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_exported_file_read_back_holds_exactly_the_servers_rows() {
    let server = Server::start().await;
    let mut subjects: Vec<String> = (0..12).map(|i| format!("Printer {i:02} jams")).collect();
    subjects.push("Comma, \"quotes\" and; semicolons".into());
    subjects.push("=HYPERLINK(\"http://evil\")".into());
    subjects.push("Café crème — naïve".into());
    file_tickets(&server, &subjects).await;
    let agent = sign_in(&server.base, "agent@demo.test").await;

    let dir = export_dir();
    std::fs::create_dir_all(&dir).expect("dir");
    let dest = dir.join("tickets.csv");
    let filter = ExportFilter {
        statuses: vec![Status::New],
        bom: true,
        ..ExportFilter::default()
    };
    let (report, progress) = export(&agent, &filter, &dest, &CancellationToken::new()).await;
    let report = report.expect("export");
    assert_eq!(report.rows, subjects.len() as u64);
    assert_eq!(files_in(&dir), vec!["tickets.csv"], "no .part file is left");
    let last = progress.last().expect("progress was reported");
    assert_eq!(
        (last.rows, last.total_rows),
        (subjects.len() as u64, Some(subjects.len() as u64))
    );
    assert_eq!(last.bytes, report.bytes);

    let bytes = std::fs::read(&dest).expect("read the export");
    assert_eq!(report.bytes, bytes.len() as u64);
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "Excel's BOM first"
    );
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header = reader.headers().expect("header").clone();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no {name} column in {header:?}"))
    };
    let (number, subject) = (col("number"), col("subject"));
    let rows: Vec<(String, String)> = reader
        .records()
        .map(|r| {
            let r = r.expect("a well-formed record");
            (r[number].to_owned(), r[subject].to_owned())
        })
        .collect();

    let list = server
        .as_user("agent@demo.test")
        .await
        .get("/api/v1/tickets?status=NEW&limit=100&sort=created_desc")
        .await;
    let mut expected: Vec<(String, String)> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|t| {
            let s = t["subject"].as_str().unwrap_or_default();
            // A formula-like cell is neutralised so spreadsheets show it as text.
            let shown = if s.starts_with('=') {
                format!("'{s}")
            } else {
                s.to_owned()
            };
            (t["number"].as_str().unwrap_or_default().to_owned(), shown)
        })
        .collect();
    expected.sort();
    let mut got = rows.clone();
    got.sort();
    assert_eq!(got, expected);
}

/// The subjects in an export file without a BOM, sorted.
fn exported_subjects(path: &Path) -> Vec<String> {
    let mut reader = csv::Reader::from_path(path).expect("the export");
    let header = reader.headers().expect("header").clone();
    let subject = header
        .iter()
        .position(|h| h == "subject")
        .expect("a subject column");
    let mut subjects: Vec<String> = reader
        .records()
        .map(|r| r.expect("a well-formed record")[subject].to_owned())
        .collect();
    subjects.sort();
    subjects
}

/// "Export these" from the queue: the view, requester, priorities and a window of
/// creation times all narrow the file, as they narrow the list.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_queue_view_with_its_filters_exports_only_its_tickets() {
    let server = Server::start().await;
    let fran = server.as_user("field@demo.test").await;
    let rory = server.as_user("field2@demo.test").await;
    let file = |who: &'static str, subject: &'static str, priority: &'static str| {
        let http = if who == "fran" { &fran } else { &rory };
        async move {
            let t = http
                .post(
                    "/api/v1/tickets",
                    json!({"subject": subject, "description": "d", "priority": priority}),
                )
                .await;
            assert!(t["id"].is_string(), "{t}");
            t
        }
    };
    let early = file("fran", "Fran high, too early", "HIGH").await;
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let from = chrono::Utc::now();
    file("fran", "Fran urgent", "URGENT").await;
    file("fran", "Fran high", "HIGH").await;
    file("fran", "Fran low", "LOW").await;
    file("rory", "Rory high", "HIGH").await;
    let agent = sign_in(&server.base, "agent@demo.test").await;
    let fran_id = early["requester"]["id"]
        .as_str()
        .and_then(|id| id.parse().ok())
        .expect("requester id");

    let dir = export_dir();
    std::fs::create_dir_all(&dir).expect("dir");
    let run = |name: &'static str, filter: ExportFilter| {
        let dest = dir.join(name);
        let agent = &agent;
        async move {
            let (report, _) = export(agent, &filter, &dest, &CancellationToken::new()).await;
            report.expect("export");
            exported_subjects(&dest)
        }
    };
    let urgent_high = ExportFilter {
        view: Some(QueueView::UrgentHigh),
        requester: Some(fran_id),
        ..ExportFilter::default()
    };
    assert_eq!(
        run("view.csv", urgent_high.clone()).await,
        ["Fran high", "Fran high, too early", "Fran urgent"]
    );
    let narrowed = ExportFilter {
        priorities: vec![Priority::High],
        created_from: Some(from),
        ..urgent_high
    };
    assert_eq!(run("narrowed.csv", narrowed).await, ["Fran high"]);
    let before = ExportFilter {
        created_before: Some(from),
        ..ExportFilter::default()
    };
    assert_eq!(
        run("before.csv", before).await,
        ["Fran high, too early"],
        "created_before leaves out its own instant and after"
    );
}

/// A TCP proxy that passes `limit` bytes of each answer on and then drops the
/// connection: a network that breaks in the middle of a download.
async fn cutting_proxy(upstream: std::net::SocketAddr, limit: usize) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            tokio::spawn(async move {
                let Ok(mut server) = tokio::net::TcpStream::connect(upstream).await else {
                    return;
                };
                let (mut client_read, mut client_write) = client.split();
                let (mut server_read, mut server_write) = server.split();
                let up = tokio::io::copy(&mut client_read, &mut server_write);
                let down = async {
                    let mut sent = 0;
                    let mut buf = vec![0u8; 1024];
                    while sent < limit {
                        let n = server_read.read(&mut buf).await.unwrap_or(0);
                        if n == 0 {
                            break;
                        }
                        let n = n.min(limit - sent);
                        if client_write.write_all(&buf[..n]).await.is_err() {
                            break;
                        }
                        sent += n;
                    }
                };
                tokio::select! {
                    _ = up => {}
                    () = down => {}
                }
            });
        }
    });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transfer_cut_off_half_way_leaves_no_file_and_says_so() {
    let server = Server::start().await;
    let subjects: Vec<String> = (0..60)
        .map(|i| format!("Ticket {i:03} {}", "with a long subject ".repeat(8)))
        .collect();
    file_tickets(&server, &subjects).await;
    // Sign in directly, then talk through a proxy that breaks after 6 KiB.
    let proxy = cutting_proxy(server.addr, 6 * 1024).await;
    let agent = sign_in(&proxy, "agent@demo.test").await;

    let dir = export_dir();
    std::fs::create_dir_all(&dir).expect("dir");
    let dest = dir.join("tickets.csv");
    let (result, progress) = export(
        &agent,
        &ExportFilter::default(),
        &dest,
        &CancellationToken::new(),
    )
    .await;
    let err = result.expect_err("the transfer was cut");
    assert!(
        matches!(err, ClientError::NeedsConnection { .. }),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains("of 60 rows") && message.contains("nothing was saved"),
        "{message}"
    );
    assert!(progress.iter().all(|p| p.rows < 60));
    assert_eq!(
        files_in(&dir),
        Vec::<String>::new(),
        "no file, not even a .part"
    );

    // An earlier complete export at the destination is left as it was.
    std::fs::write(&dest, "the previous export").expect("write");
    let (again, _) = export(
        &agent,
        &ExportFilter::default(),
        &dest,
        &CancellationToken::new(),
    )
    .await;
    assert!(again.is_err());
    assert_eq!(
        std::fs::read_to_string(&dest).expect("read"),
        "the previous export"
    );
    assert_eq!(files_in(&dir), vec!["tickets.csv"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_export_leaves_nothing_behind() {
    let server = Server::start().await;
    file_tickets(&server, &["One".to_owned(), "Two".to_owned()]).await;
    let agent = sign_in(&server.base, "agent@demo.test").await;
    let dir = export_dir();
    std::fs::create_dir_all(&dir).expect("dir");
    let cancel = CancellationToken::new();
    let stop = cancel.clone();
    // Cancelled as soon as the server answered, as a user pressing Cancel would.
    let mut progress = move |_: ExportProgress| stop.cancel();
    let result = agent
        .export_csv(
            &ExportFilter::default(),
            &dir.join("t.csv"),
            &mut progress,
            &cancel,
        )
        .await;
    assert!(
        matches!(result, Err(ClientError::Cancelled(_))),
        "{result:?}"
    );
    assert_eq!(files_in(&dir), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stats_and_exports_are_for_staff_only() {
    let server = Server::start().await;
    file_tickets(&server, &["Printer".to_owned()]).await;
    let agent = sign_in(&server.base, "agent@demo.test").await;
    let stats = agent.stats().await.expect("stats");
    assert_eq!(stats.by_day.len(), 30);
    assert_eq!(stats.by_day.last().map(|d| d.created), Some(1));
    assert_eq!(stats.open, 1);

    let fran = sign_in(&server.base, "field@demo.test").await;
    match fran.stats().await {
        Err(ClientError::Rejected(p)) => assert_eq!(p.status, 403),
        other => panic!("a requester got {other:?}"),
    }
    let dir = export_dir();
    std::fs::create_dir_all(&dir).expect("dir");
    let (result, _) = export(
        &fran,
        &ExportFilter::default(),
        &dir.join("t.csv"),
        &CancellationToken::new(),
    )
    .await;
    assert!(matches!(result, Err(ClientError::Rejected(p)) if p.status == 403));
    assert_eq!(files_in(&dir), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_manage_users_and_the_servers_conflicts_come_through() {
    let server = Server::start().await;
    let admin = sign_in(&server.base, "admin@demo.test").await;
    let users = admin.users().await.expect("users");
    assert!(users.iter().any(|u| u.email == "field@demo.test"));

    let new = CreateUser {
        email: "sam@demo.test".into(),
        name: "Sam Support".into(),
        role: Role::Agent,
        password: "a long enough password".into(),
    };
    let sam = admin.create_user(&new).await.expect("created");
    assert_eq!((sam.role, sam.active), (Role::Agent, true));
    match admin.create_user(&new).await {
        Err(ClientError::Rejected(p)) => assert_eq!(p.status, 409),
        other => panic!("a duplicate email got {other:?}"),
    }
    let off = admin
        .update_user(
            sam.id,
            &UpdateUser {
                active: Some(false),
                ..UpdateUser::default()
            },
        )
        .await
        .expect("deactivated");
    assert!(!off.active);
    let me = users
        .iter()
        .find(|u| u.email == "admin@demo.test")
        .expect("the admin");
    let demote = UpdateUser {
        role: Some(Role::Agent),
        ..UpdateUser::default()
    };
    match admin.update_user(me.id, &demote).await {
        Err(ClientError::Rejected(p)) => assert_eq!(p.status, 409, "the last admin"),
        other => panic!("demoting the last admin got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn categories_work_offline_from_the_last_list_and_the_rest_says_it_needs_a_connection() {
    let mut server = Server::start().await;
    let admin = sign_in(&server.base, "admin@demo.test").await;
    let printers = admin.create_category("Printers").await.expect("created");
    assert_eq!(
        admin.cached_categories().expect("read"),
        None,
        "one new category is not the list: nothing is cached before a fetch"
    );
    let first = admin.categories().await.expect("categories");
    let fax = first
        .iter()
        .find(|c| c.name != "Printers" && c.name != "general")
        .expect("a seeded category")
        .clone();
    admin
        .update_category(
            fax.id,
            &UpdateCategory {
                active: Some(false),
                ..UpdateCategory::default()
            },
        )
        .await
        .expect("archived");
    let online = admin.categories().await.expect("categories");
    assert!(online.iter().any(|c| c.id == printers.id && c.active));
    assert!(
        online.iter().any(|c| c.id == fax.id && !c.active),
        "staff see archived ones"
    );

    let fran = sign_in(&server.base, "field@demo.test").await;
    let offered = fran.categories().await.expect("categories");
    assert!(offered.iter().all(|c| c.active));
    assert!(!offered.iter().any(|c| c.id == fax.id));

    server.stop().await;
    let offline = admin.categories().await.expect("the last list, offline");
    assert_eq!(offline, online);
    assert_eq!(
        fran.categories().await.expect("offline"),
        offered,
        "New ticket offers the last known list"
    );
    for err in [
        admin.stats().await.map(|_| ()).expect_err("offline"),
        admin.users().await.map(|_| ()).expect_err("offline"),
        admin
            .create_category("Scanners")
            .await
            .map(|_| ())
            .expect_err("offline"),
    ] {
        assert!(
            matches!(err, ClientError::NeedsConnection { .. })
                && err.to_string().contains("needs a connection to the server"),
            "{err}"
        );
    }
}
