//! Desktop notifications (freedesktop, over D-Bus) with an "Open" action that brings
//! the app forward on the ticket.

use lifebuoy_client::{AnnouncementKind, ClientEvent};
use tauri::AppHandle;

use crate::settings::Settings;
use crate::window;

#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub ticket_key: String,
    pub summary: String,
    pub body: String,
}

/// What to tell the user about an event, if anything. A requester: replies always,
/// status changes unless muted. Staff (the client announces to them only new tickets,
/// tickets assigned to them and requesters' replies on their tickets): each kind
/// unless muted. The client never announces the user's own doing, nor anything again
/// after a restart.
pub fn for_event(event: &ClientEvent, settings: &Settings, staff: bool) -> Option<Note> {
    let news = event.announcement()?;
    let wanted = match news.kind {
        AnnouncementKind::Reply => !(staff && settings.mute_requester_reply_notifications),
        AnnouncementKind::Status => !settings.mute_status_notifications,
        AnnouncementKind::Assignment => staff && !settings.mute_assignment_notifications,
        AnnouncementKind::NewTicket => staff && !settings.mute_new_ticket_notifications,
    };
    wanted.then_some(Note {
        ticket_key: news.ticket_key,
        summary: news.headline,
        body: news.line,
    })
}

/// Shows the notification and waits (on a blocking thread: the D-Bus calls block) for
/// its "Open" action.
pub fn show(app: AppHandle, note: Note) {
    tauri::async_runtime::spawn_blocking(move || {
        let shown = notify_rust::Notification::new()
            .appname("Lifebuoy")
            .summary(&note.summary)
            .body(&note.body)
            .action("default", "Open")
            .action("open", "Open")
            .show();
        match shown {
            Ok(handle) => handle.wait_for_action(|action| {
                if action == "open" || action == "default" {
                    window::open_ticket(&app, &note.ticket_key);
                }
            }),
            Err(e) => tracing::warn!(error = %e, "could not show a desktop notification"),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use lifebuoy_domain::Status;

    #[test]
    fn a_burst_of_replies_says_how_many_and_status_changes_can_be_muted() {
        let reply = ClientEvent::NewReply {
            ticket_key: "k".into(),
            number: "LB-000007".into(),
            subject: "Printer".into(),
            author: "Sam Agent".into(),
            excerpt: "Try this\nsecond line".into(),
            count: 3,
        };
        let muted = Settings {
            mute_status_notifications: true,
            ..Settings::default()
        };
        let note = for_event(&reply, &muted, false).unwrap();
        assert_eq!(note.summary, "LB-000007 · Printer");
        assert_eq!(note.body, "Sam Agent: Try this (+2 more)");
        let status = ClientEvent::StatusChanged {
            ticket_key: "k".into(),
            number: "LB-000007".into(),
            subject: "Printer".into(),
            from: Status::New,
            to: Status::Resolved,
        };
        assert!(for_event(&status, &muted, false).is_none());
        assert_eq!(
            for_event(&status, &Settings::default(), false)
                .unwrap()
                .body,
            "Status: Resolved"
        );
    }

    #[test]
    fn staff_news_notifies_with_open_unless_its_kind_is_muted() {
        let new_ticket = ClientEvent::NewTicket {
            ticket_key: "k".into(),
            number: "LB-000008".into(),
            subject: "VPN".into(),
            requester: "Fran Field".into(),
        };
        let assigned = ClientEvent::TicketAssigned {
            ticket_key: "k".into(),
            number: "LB-000008".into(),
            subject: "VPN".into(),
            assignee: Some("Avery Agent".into()),
        };
        let reply = ClientEvent::NewReply {
            ticket_key: "k".into(),
            number: "LB-000008".into(),
            subject: "VPN".into(),
            author: "Fran Field".into(),
            excerpt: "Still down".into(),
            count: 1,
        };
        let all = Settings::default();
        let note = for_event(&new_ticket, &all, true).unwrap();
        assert_eq!(note.ticket_key, "k");
        assert_eq!(note.body, "New ticket from Fran Field");
        assert_eq!(
            for_event(&assigned, &all, true).unwrap().body,
            "Assigned to Avery Agent"
        );
        assert!(for_event(&reply, &all, true).is_some());
        assert!(
            for_event(&assigned, &all, false).is_none(),
            "requesters are not told who took their ticket"
        );
        let quiet = Settings {
            mute_new_ticket_notifications: true,
            mute_assignment_notifications: true,
            mute_requester_reply_notifications: true,
            ..Settings::default()
        };
        assert!(for_event(&new_ticket, &quiet, true).is_none());
        assert!(for_event(&assigned, &quiet, true).is_none());
        assert!(for_event(&reply, &quiet, true).is_none());
        assert!(
            for_event(&reply, &quiet, false).is_some(),
            "a requester's replies always notify"
        );
    }
}
