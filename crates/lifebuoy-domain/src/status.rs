use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Where a ticket is in its life. The legal moves are exactly those of the v1 contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    New,
    InProgress,
    WaitingForUser,
    OnHold,
    Resolved,
    Closed,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::New,
        Status::InProgress,
        Status::WaitingForUser,
        Status::OnHold,
        Status::Resolved,
        Status::Closed,
    ];

    /// The statuses a ticket in this status may move to.
    pub fn allowed_next(self) -> &'static [Status] {
        use Status::*;
        match self {
            New => &[InProgress, OnHold, Resolved, Closed],
            InProgress => &[WaitingForUser, OnHold, Resolved, Closed],
            WaitingForUser => &[InProgress, OnHold, Resolved, Closed],
            OnHold => &[InProgress, Closed],
            Resolved => &[InProgress, Closed],
            Closed => &[],
        }
    }

    pub fn can_move_to(self, next: Status) -> bool {
        self.allowed_next().contains(&next)
    }

    /// Open means someone still has work to do on it.
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Resolved | Status::Closed)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "NEW",
            Status::InProgress => "IN_PROGRESS",
            Status::WaitingForUser => "WAITING_FOR_USER",
            Status::OnHold => "ON_HOLD",
            Status::Resolved => "RESOLVED",
            Status::Closed => "CLOSED",
        }
    }

    /// How people read it, in notifications and the UI.
    pub fn label(self) -> &'static str {
        match self {
            Status::New => "New",
            Status::InProgress => "In progress",
            Status::WaitingForUser => "Waiting for user",
            Status::OnHold => "On hold",
            Status::Resolved => "Resolved",
            Status::Closed => "Closed",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Status::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| format!("unknown status `{s}`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The contract's table, written out independently of `allowed_next`.
    const CONTRACT: &[(&str, &[&str])] = &[
        ("NEW", &["IN_PROGRESS", "ON_HOLD", "RESOLVED", "CLOSED"]),
        (
            "IN_PROGRESS",
            &["WAITING_FOR_USER", "ON_HOLD", "RESOLVED", "CLOSED"],
        ),
        (
            "WAITING_FOR_USER",
            &["IN_PROGRESS", "ON_HOLD", "RESOLVED", "CLOSED"],
        ),
        ("ON_HOLD", &["IN_PROGRESS", "CLOSED"]),
        ("RESOLVED", &["IN_PROGRESS", "CLOSED"]),
        ("CLOSED", &[]),
    ];

    #[test]
    fn every_pair_of_statuses_follows_the_contract() {
        for from in Status::ALL {
            let legal = CONTRACT
                .iter()
                .find(|(f, _)| *f == from.as_str())
                .map(|(_, to)| *to)
                .unwrap_or_default();
            for to in Status::ALL {
                assert_eq!(
                    from.can_move_to(to),
                    legal.contains(&to.as_str()),
                    "{from} -> {to}"
                );
            }
        }
    }

    #[test]
    fn names_round_trip_through_serde_and_from_str() {
        for st in Status::ALL {
            let json = serde_json::to_string(&st).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", st.as_str()));
            assert_eq!(st.as_str().parse::<Status>(), Ok(st));
        }
        assert!("DONE".parse::<Status>().is_err());
        assert!(serde_json::from_str::<Status>("\"new\"").is_err());
    }
}
