//! Search over many tickets: past a few hundred matches the server walks the list in its
//! sort order and tests each ticket (see store/sqlite/search.rs) instead of collecting
//! every match. Both plans must find exactly the same tickets, in the same order.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use common::*;
use futures::stream::{self, StreamExt};
use reqwest::StatusCode;

/// Every subject of `query`'s results, page by page, in the order served.
async fn all_pages(api: &Api, query: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/tickets?{query}&limit=100&cursor={c}"),
            None => format!("/api/v1/tickets?{query}&limit=100"),
        };
        let (status, page) = api.get(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {page}");
        for t in page["items"].as_array().into_iter().flatten() {
            found.push(t["subject"].as_str().unwrap_or_default().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return found,
        }
    }
}

#[tokio::test]
async fn common_and_rare_words_find_the_same_tickets_in_list_order() {
    let server = TestServer::start().await;
    let fran = server.login("field@demo.test").await;
    let agent = server.login("agent@demo.test").await;

    // 450 tickets say "printer(s)" (dense: more than the 400 the plan switches at), a few
    // say "printed" or "print", the rest never mention it; two rare words ride along.
    let subjects: Vec<String> = (0..520)
        .map(|n| match n % 13 {
            0 => format!("Payroll run {n} failed"),
            1 => format!("Badge {n} was printed twice"),
            2 if n < 60 => format!("Cannot print report {n}"),
            _ if n == 77 => format!("Printers {n} hum like a zeppelin"),
            _ => format!("Printer {n} jams"),
        })
        .collect();
    stream::iter(subjects.iter())
        .for_each_concurrent(8, |s| {
            let fran = &fran;
            async move {
                fran.new_ticket(s).await;
            }
        })
        .await;

    let newest_first = all_pages(&agent, "sort=updated_desc").await;
    let matching = |pred: &dyn Fn(&str) -> bool| -> Vec<String> {
        newest_first.iter().filter(|s| pred(s)).cloned().collect()
    };

    let print = matching(&|s| s.contains("rint"));
    assert!(print.len() > 400, "the dense plan must be exercised");
    assert_eq!(
        all_pages(&agent, "q=PRINT").await,
        print,
        "prefix, any case"
    );
    assert_eq!(
        all_pages(&agent, "q=printer").await,
        matching(&|s| s.contains("Printer")),
        "printer and printers, not printed"
    );
    assert_eq!(
        all_pages(&agent, "q=printer%20jams").await,
        matching(&|s| s.contains("Printer ") && s.contains("jams")),
    );
    assert_eq!(
        all_pages(&agent, "q=zeppelin").await,
        ["Printers 77 hum like a zeppelin"],
        "a rare word (the collecting plan)"
    );
    assert!(all_pages(&agent, "q=printer%20payroll").await.is_empty());

    // Other sorts and filters combine with both plans.
    let created: Vec<String> = all_pages(&agent, "q=print&sort=created_desc").await;
    assert_eq!(
        created.iter().collect::<BTreeSet<_>>(),
        print.iter().collect::<BTreeSet<_>>()
    );
    assert_eq!(all_pages(&agent, "q=print&status=CLOSED").await.len(), 0);
    assert_eq!(all_pages(&fran, "q=print").await.len(), print.len());
}

/// Files `n` tickets "Printer {i} jams" as `api`: enough for the walking plan.
async fn printers(api: &Api, n: usize) {
    stream::iter(0..n)
        .for_each_concurrent(8, |i| async move {
            api.new_ticket(&format!("Printer {i} jams")).await;
        })
        .await;
}

#[tokio::test]
async fn words_of_new_tickets_and_replies_are_found_by_prefix_at_once() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let agent = server.login(AGENT).await;
    printers(&fran, 410).await;

    // Numbers are words too: some of these were moved into the table of words already,
    // the last ones not yet (migration 0007 moves them every 256 tickets).
    assert_eq!(all_pages(&agent, "q=123").await, ["Printer 123 jams"]);
    assert_eq!(
        all_pages(&agent, "q=4").await.len(),
        21,
        "4, 40–49, 400–409"
    );
    assert_eq!(
        all_pages(&agent, "q=1").await.len(),
        111,
        "1, 10–19, 100–199: more words than are expanded, left to the index as a prefix"
    );

    let zilla = fran.new_ticket("Printerzilla ate the toner").await;
    assert_eq!(
        all_pages(&agent, "q=printerz").await,
        ["Printerzilla ate the toner"]
    );
    let printer = all_pages(&agent, "q=printer").await;
    assert_eq!(
        printer.len(),
        411,
        "the walking plan expands to the new word too"
    );
    assert_eq!(printer[0], "Printerzilla ate the toner");

    // A reply's new word, found by the requester (whose search always walks) and by staff.
    agent
        .reply(&zilla, "Reseat the fuserassembly, then restart", false)
        .await;
    assert_eq!(
        all_pages(&fran, "q=fuserass").await,
        ["Printerzilla ate the toner"]
    );
    assert_eq!(
        all_pages(&agent, "q=FUSER").await,
        ["Printerzilla ate the toner"]
    );
    // Every word must be in one text: the subject has "printer", only the reply "fuser".
    assert!(all_pages(&agent, "q=printer%20fuser").await.is_empty());

    // An internal note's word is found by staff only.
    agent
        .reply(&zilla, "Escalated to the kyoceraspecialist", true)
        .await;
    assert_eq!(
        all_pages(&agent, "q=kyocera").await,
        ["Printerzilla ate the toner"]
    );
    assert!(all_pages(&fran, "q=kyocera").await.is_empty());

    // No indexed word starts so: an empty list, for the list and the export alike.
    assert!(all_pages(&agent, "q=qwzx").await.is_empty());
    assert!(all_pages(&agent, "q=printer%20qwzx").await.is_empty());
    let (status, _) = agent.get("/api/v1/tickets/export.csv?q=qwzx").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_ticket_whose_text_lost_a_word_is_not_found_by_it() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let agent = server.login(AGENT).await;
    printers(&fran, 410).await;
    fran.new_ticket("Printerzilla ate the toner").await;
    assert_eq!(all_pages(&agent, "q=printerz").await.len(), 1);

    // The API never rewrites a ticket's text; an operator fixing a typo in the file might.
    let pool = sqlx::SqlitePool::connect_with(
        sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&server.db)
            .busy_timeout(std::time::Duration::from_secs(10)),
    )
    .await
    .expect("open the server's database");
    sqlx::query(
        "UPDATE tickets SET subject = 'Plotter ate the toner', description = 'Plotter' \
         WHERE subject = 'Printerzilla ate the toner'",
    )
    .execute(&pool)
    .await
    .expect("rewrite the subject");
    pool.close().await;

    assert!(all_pages(&agent, "q=printerz").await.is_empty());
    assert!(all_pages(&fran, "q=printerz").await.is_empty());
    assert_eq!(all_pages(&agent, "q=printer").await.len(), 410);
    assert_eq!(
        all_pages(&agent, "q=plott").await,
        ["Plotter ate the toner"]
    );
}

/// The schema before the table of search words (migrations up to 0006), with a ticket
/// and a reply in it.
async fn database_before_search_words(db: PathBuf) {
    let pool = database_before(&db, "0007").await;
    for sql in [
        "INSERT INTO users (id, email, name, role, password_hash, created_at) \
         VALUES ('0f8fad5b-d9cb-469f-a165-70867728950e', 'old@demo.test', 'Old Timer', \
         'requester', 'x', 0)",
        "INSERT INTO tickets (id, subject, description, status, priority, category, \
         requester_id, created_at, updated_at) VALUES ('7c9e6679-7425-40de-944b-e07fc1f90001', \
         'Zeppelin hangar door', 'It squeaks', 'NEW', 1, 'general', \
         '0f8fad5b-d9cb-469f-a165-70867728950e', 0, 0)",
        "INSERT INTO messages (id, ticket_seq, author_id, body, internal, created_at) \
         VALUES ('7c9e6679-7425-40de-944b-e07fc1f90002', 1, \
         '0f8fad5b-d9cb-469f-a165-70867728950e', 'The dirigible is outside', 0, 0)",
    ] {
        sqlx::query(sql).execute(&pool).await.expect("old data");
    }
    pool.close().await;
}

#[tokio::test]
async fn an_upgraded_database_finds_its_old_words_by_prefix() {
    let server = TestServer::start_prepared(database_before_search_words).await;
    let agent = server.login(AGENT).await;
    assert_eq!(
        all_pages(&agent, "q=zeppel").await,
        ["Zeppelin hangar door"]
    );
    assert_eq!(
        all_pages(&agent, "q=dirig").await,
        ["Zeppelin hangar door"],
        "a reply's word"
    );
}

#[tokio::test]
async fn the_walk_finds_replies_notes_and_accented_text() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let agent = server.login(AGENT).await;
    printers(&fran, 410).await;
    let payroll = fran.new_ticket("Payroll export fails").await;
    agent
        .reply(&payroll, "Not the printer's fault", false)
        .await;
    let badge = fran.new_ticket("Badge reader beeps").await;
    agent.reply(&badge, "Printer log attached", true).await;
    fran.new_ticket("Le prïnter est cassé").await;

    let staff = all_pages(&agent, "q=printer").await;
    assert_eq!(staff.len(), 413, "410 + a reply + a note + folded text");
    assert_eq!(
        staff[..3],
        [
            "Le prïnter est cassé",
            "Badge reader beeps",
            "Payroll export fails"
        ]
    );
    let own = all_pages(&fran, "q=printer").await;
    assert_eq!(own.len(), 412, "not by the internal note");
    assert_eq!(own[..2], ["Le prïnter est cassé", "Payroll export fails"]);
    // A searched word that is not ASCII is left to the index, which folds it alike.
    assert_eq!(all_pages(&agent, "q=PR%C3%8FNTER").await, staff);
    // Mixed: an ASCII word expanded, the other left to the index.
    assert_eq!(
        all_pages(&fran, "q=est%20PR%C3%8FNTER").await,
        ["Le prïnter est cassé"]
    );
    assert_eq!(
        all_pages(&agent, "q=cass%C3%A9%20printer").await,
        ["Le prïnter est cassé"]
    );
}

/// A ticket number typed into a search box finds that ticket (the number is not in its
/// text), for the list and the export; a requester still finds only their own; bare
/// digits stay words.
#[tokio::test]
async fn a_ticket_number_finds_that_ticket_and_only_for_who_may_see_it() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let rory = server.login(FIELD2).await;
    let agent = server.login(AGENT).await;
    for i in 1..=12 {
        fran.new_ticket(&format!("Scanner {i} offline")).await;
    }
    let rorys = rory.new_ticket("Rory's badge reader").await;
    let number = rorys["number"].as_str().unwrap_or_default().to_owned();
    assert_eq!(number, "LB-000013");

    for q in ["LB-000013", "lb-13", "%20LB-000013%20"] {
        assert_eq!(
            all_pages(&agent, &format!("q={q}")).await,
            ["Rory's badge reader"],
            "{q}"
        );
    }
    assert_eq!(
        all_pages(&rory, "q=LB-000013").await,
        ["Rory's badge reader"]
    );
    assert!(
        all_pages(&fran, "q=LB-000013").await.is_empty(),
        "not Fran's ticket"
    );
    assert_eq!(all_pages(&agent, "q=LB-3").await, ["Scanner 3 offline"]);
    assert!(all_pages(&agent, "q=LB-999").await.is_empty());
    assert_eq!(
        all_pages(&agent, "q=12").await,
        ["Scanner 12 offline"],
        "bare digits are a word"
    );

    let (status, _, bytes) = agent
        .fetch("/api/v1/tickets/export.csv?q=LB-000013", &[])
        .await;
    assert_eq!(status, StatusCode::OK);
    let csv = String::from_utf8_lossy(&bytes);
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{csv}");
    assert!(rows[0].starts_with("LB-000013,"), "{csv}");
}
