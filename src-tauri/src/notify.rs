//! Desktop notifications (freedesktop, over D-Bus) with an "Open" action that brings
//! the app forward on the ticket.

use lifebuoy_client::{AnnouncementKind, ClientEvent};
use tauri::AppHandle;

use crate::window;

#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub ticket_key: String,
    pub summary: String,
    pub body: String,
}

/// What to tell the user about an event, if anything: replies always, status changes
/// unless muted. The client never announces the user's own messages, nor anything again
/// after a restart.
pub fn for_event(event: &ClientEvent, mute_status: bool) -> Option<Note> {
    let news = event.announcement()?;
    let wanted = match news.kind {
        AnnouncementKind::Reply => true,
        AnnouncementKind::Status => !mute_status,
        AnnouncementKind::Assignment | AnnouncementKind::NewTicket => false,
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
        let note = for_event(&reply, true).unwrap();
        assert_eq!(note.summary, "LB-000007 · Printer");
        assert_eq!(note.body, "Sam Agent: Try this (+2 more)");
        let status = ClientEvent::StatusChanged {
            ticket_key: "k".into(),
            number: "LB-000007".into(),
            subject: "Printer".into(),
            from: Status::New,
            to: Status::Resolved,
        };
        assert!(for_event(&status, true).is_none());
        assert_eq!(for_event(&status, false).unwrap().body, "Status: Resolved");
    }
}
