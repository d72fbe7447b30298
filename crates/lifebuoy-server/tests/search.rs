//! Search over many tickets: past a few hundred matches the server walks the list in its
//! sort order and tests each ticket (see store/sqlite/search.rs) instead of collecting
//! every match. Both plans must find exactly the same tickets, in the same order.

mod common;

use std::collections::BTreeSet;

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
