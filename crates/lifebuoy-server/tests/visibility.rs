//! Who sees what: every route × every role × (own ticket, someone else's, missing),
//! checking the status and that nothing hidden appears in the body.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};

const SECRET_NOTE: &str = "SECRET-NOTE-7f3a";
const OTHERS_SUBJECT: &str = "RORY-PRIVATE-91c2";
const MISSING: &str = "6f1d2c3b-0000-4000-8000-00000000abcd";

#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    Anonymous,
    Requester,
    Agent,
    Admin,
}

#[derive(Clone, Copy, Debug)]
enum Target {
    Own,
    Other,
    Missing,
}

/// A ticket with an attached image, an internal note and a public staff reply.
struct Fixture {
    ticket: String,
    reply: String,
    file: String,
}

struct Route {
    name: &'static str,
    method: Method,
    path: &'static str,
    /// Given the target ticket's id (unique per cell, so creates never collide).
    body: Option<fn(&str) -> Value>,
    /// Expected status for: anonymous, then (own, other, missing) for requester, agent, admin.
    expect: [u16; 10],
}

fn routes() -> Vec<Route> {
    vec![
        Route {
            name: "list",
            method: Method::GET,
            path: "/api/v1/tickets",
            body: None,
            expect: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        },
        Route {
            name: "create",
            method: Method::POST,
            path: "/api/v1/tickets",
            body: Some(|_| json!({"subject": "New one", "description": "desc"})),
            expect: [401, 201, 201, 201, 201, 201, 201, 201, 201, 201],
        },
        Route {
            name: "detail",
            method: Method::GET,
            path: "/api/v1/tickets/{id}",
            body: None,
            expect: [401, 200, 404, 404, 200, 200, 404, 200, 200, 404],
        },
        Route {
            name: "patch priority",
            method: Method::PATCH,
            path: "/api/v1/tickets/{id}",
            body: Some(|_| json!({"priority": "HIGH"})),
            expect: [401, 403, 404, 404, 200, 200, 404, 200, 200, 404],
        },
        Route {
            name: "patch assignee",
            method: Method::PATCH,
            path: "/api/v1/tickets/{id}",
            body: Some(|_| json!({"assignee_id": null})),
            expect: [401, 403, 404, 404, 200, 200, 404, 200, 200, 404],
        },
        Route {
            name: "close",
            method: Method::PATCH,
            path: "/api/v1/tickets/{id}",
            body: Some(|_| json!({"status": "CLOSED"})),
            expect: [401, 200, 404, 404, 200, 200, 404, 200, 200, 404],
        },
        Route {
            name: "reply",
            method: Method::POST,
            path: "/api/v1/tickets/{id}/messages",
            body: Some(|_| json!({"body": "a reply"})),
            expect: [401, 201, 404, 404, 201, 201, 404, 201, 201, 404],
        },
        Route {
            name: "internal note",
            method: Method::POST,
            path: "/api/v1/tickets/{id}/messages",
            body: Some(|_| json!({"body": "a note", "internal": true})),
            expect: [401, 403, 403, 403, 201, 201, 404, 201, 201, 404],
        },
        Route {
            name: "resolution",
            method: Method::POST,
            path: "/api/v1/tickets/{id}/messages/{mid}/resolution",
            body: None,
            expect: [401, 403, 403, 403, 200, 200, 404, 200, 200, 404],
        },
        Route {
            name: "list by view and requester",
            method: Method::GET,
            path: "/api/v1/tickets?view=all_open&requester={ruid}",
            body: None,
            expect: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        },
        Route {
            name: "bulk",
            method: Method::POST,
            path: "/api/v1/tickets/bulk",
            body: Some(|t| json!({"ticket_ids": [t], "changes": {"priority": "HIGH"}})),
            expect: [401, 403, 403, 403, 200, 200, 200, 200, 200, 200],
        },
        Route {
            name: "queue counts",
            method: Method::GET,
            path: "/api/v1/queue/counts",
            body: None,
            expect: [401, 403, 403, 403, 200, 200, 200, 200, 200, 200],
        },
        Route {
            name: "users",
            method: Method::GET,
            path: "/api/v1/users",
            body: None,
            expect: [401, 403, 403, 403, 200, 200, 200, 200, 200, 200],
        },
        Route {
            name: "create user",
            method: Method::POST,
            path: "/api/v1/users",
            body: Some(|t| {
                json!({"email": format!("u-{t}@demo.test"), "name": "New", "role": "requester",
                    "password": "a long secret"})
            }),
            expect: [401, 403, 403, 403, 403, 403, 403, 201, 201, 201],
        },
        Route {
            name: "change user",
            method: Method::PATCH,
            path: "/api/v1/users/{uid}",
            body: Some(|_| json!({"name": "Renamed"})),
            expect: [401, 403, 403, 403, 403, 403, 403, 200, 200, 404],
        },
        Route {
            name: "categories",
            method: Method::GET,
            path: "/api/v1/categories",
            body: None,
            expect: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        },
        Route {
            name: "create category",
            method: Method::POST,
            path: "/api/v1/categories",
            body: Some(|t| json!({"name": format!("Cat {t}")})),
            expect: [401, 403, 403, 403, 403, 403, 403, 201, 201, 201],
        },
        Route {
            name: "change category",
            method: Method::PATCH,
            path: "/api/v1/categories/{cid}",
            body: Some(|_| json!({"active": true})),
            expect: [401, 403, 403, 403, 403, 403, 403, 200, 200, 404],
        },
        Route {
            name: "me",
            method: Method::GET,
            path: "/api/v1/me",
            body: None,
            expect: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        },
        Route {
            name: "logout",
            method: Method::POST,
            path: "/api/v1/auth/logout",
            body: None,
            expect: [401, 204, 204, 204, 204, 204, 204, 204, 204, 204],
        },
    ]
}

fn tiny_png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(4, 4, image::Rgb([1, 2, 3]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("png");
    out.into_inner()
}

async fn fixture(owner: &Api, agent: &Api, subject: &str) -> Fixture {
    let file = owner.upload("shot.png", "image/png", tiny_png()).await.json;
    let (_, ticket) = owner
        .post(
            "/api/v1/tickets",
            json!({"subject": subject, "description": "d", "attachment_ids": [id(&file)]}),
        )
        .await;
    agent.reply(&ticket, SECRET_NOTE, true).await;
    let reply = agent.reply(&ticket, "public answer", false).await;
    Fixture {
        ticket: id(&ticket).to_owned(),
        reply: id(&reply).to_owned(),
        file: id(&file).to_owned(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_every_role_every_target() {
    let server = TestServer::start().await;
    let rory = server.login(FIELD2).await;
    let agent = server.login(AGENT).await;
    let rory_id = id(&rory.me().await).to_owned();
    let (_, categories) = agent.get("/api/v1/categories").await;
    let category = categories["items"][0]["id"]
        .as_str()
        .expect("a category")
        .to_owned();
    let mut failures = Vec::new();
    let mut checked = 0;

    for route in routes() {
        let whos = [Who::Anonymous, Who::Requester, Who::Agent, Who::Admin];
        for who in whos {
            let targets: &[Target] = if who == Who::Anonymous {
                &[Target::Own]
            } else {
                &[Target::Own, Target::Other, Target::Missing]
            };
            for &target in targets {
                // Fresh tickets and a fresh sign-in for each cell: no cell sees another's effects.
                let caller = match who {
                    Who::Anonymous => server.anonymous(),
                    Who::Requester => server.login(FIELD).await,
                    Who::Agent => server.login(AGENT).await,
                    Who::Admin => server.login(ADMIN).await,
                };
                let own_owner = if who == Who::Anonymous {
                    server.login(FIELD).await
                } else {
                    caller.clone()
                };
                let own = fixture(&own_owner, &agent, "Own ticket").await;
                let other = fixture(&rory, &agent, OTHERS_SUBJECT).await;
                let (ticket, mid, file) = match target {
                    Target::Own => (own.ticket.clone(), own.reply.clone(), own.file.clone()),
                    Target::Other => (
                        other.ticket.clone(),
                        other.reply.clone(),
                        other.file.clone(),
                    ),
                    Target::Missing => (MISSING.to_owned(), MISSING.to_owned(), MISSING.to_owned()),
                };
                // Users and categories: the caller themselves (own), Rory or the first
                // category (other), or nobody (missing).
                let (user, category) = match target {
                    Target::Own => (id(&own_owner.me().await).to_owned(), category.clone()),
                    Target::Other => (rory_id.clone(), category.clone()),
                    Target::Missing => (MISSING.to_owned(), MISSING.to_owned()),
                };
                let path = route
                    .path
                    .replace("{id}", &ticket)
                    .replace("{mid}", &mid)
                    .replace("{aid}", &file)
                    .replace("{uid}", &user)
                    .replace("{ruid}", &rory_id)
                    .replace("{cid}", &category);
                let r = caller
                    .json(
                        route.method.clone(),
                        &path,
                        route.body.map(|b| b(&ticket)),
                        None,
                    )
                    .await;

                let column = match (who, target) {
                    (Who::Anonymous, _) => 0,
                    (w, t) => {
                        let row = match w {
                            Who::Requester => 0,
                            Who::Agent => 1,
                            _ => 2,
                        };
                        1 + row * 3
                            + match t {
                                Target::Own => 0,
                                Target::Other => 1,
                                Target::Missing => 2,
                            }
                    }
                };
                let want = route.expect[column];
                checked += 1;
                if r.status.as_u16() != want {
                    failures.push(format!(
                        "{} as {who:?} on {target:?}: got {} want {want}: {}",
                        route.name, r.status, r.text
                    ));
                }
                if r.status.as_u16() >= 400 {
                    assert_problem(&r, r.status);
                }
                if matches!(who, Who::Requester | Who::Anonymous) {
                    for hidden in [SECRET_NOTE, OTHERS_SUBJECT, "\"internal\":true"] {
                        if r.text.contains(hidden) && route.name != "download" {
                            failures.push(format!(
                                "{} as {who:?} on {target:?} leaked {hidden}: {}",
                                route.name, r.text
                            ));
                        }
                    }
                    if route.name == "detail"
                        && r.status == 200
                        && r.json["ticket"]["message_count"] != 1
                    {
                        failures.push(format!(
                            "requester's message_count counts notes: {}",
                            r.text
                        ));
                    }
                }
            }
        }
    }
    assert_eq!(checked, routes().len() * 10);
    assert!(
        failures.is_empty(),
        "{} of {checked} cells wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The staff side of the same fixtures: staff see the note, requesters never do.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_see_internal_notes_requesters_do_not() {
    let server = TestServer::start().await;
    let fran = server.login(FIELD).await;
    let agent = server.login(AGENT).await;
    let f = fixture(&fran, &agent, "Own ticket").await;
    let path = format!("/api/v1/tickets/{}", f.ticket);
    assert!(agent.get(&path).await.1.to_string().contains(SECRET_NOTE));
    assert!(!fran.get(&path).await.1.to_string().contains(SECRET_NOTE));
    let (_, list) = fran.get("/api/v1/tickets").await;
    assert_eq!(list["items"][0]["message_count"], 1);
    let (_, list) = agent.get("/api/v1/tickets").await;
    assert_eq!(list["items"][0]["message_count"], 2);
}
