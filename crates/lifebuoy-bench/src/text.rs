//! Support-desk prose for subjects, descriptions and replies. Real words, so the
//! full-text index grows as it would with real tickets.

use crate::rng::Rng;

const WORDS: &[&str] = &[
    "account",
    "after",
    "again",
    "alert",
    "android",
    "app",
    "attachment",
    "backup",
    "battery",
    "billing",
    "blank",
    "browser",
    "button",
    "cache",
    "calendar",
    "cannot",
    "card",
    "charge",
    "click",
    "cloud",
    "connect",
    "connection",
    "contact",
    "crash",
    "crashes",
    "customer",
    "data",
    "dashboard",
    "delete",
    "desktop",
    "device",
    "display",
    "download",
    "driver",
    "email",
    "error",
    "export",
    "failed",
    "file",
    "firewall",
    "folder",
    "freeze",
    "invoice",
    "install",
    "internet",
    "iphone",
    "keyboard",
    "laptop",
    "license",
    "link",
    "login",
    "loses",
    "mail",
    "message",
    "missing",
    "mobile",
    "monitor",
    "network",
    "notification",
    "office",
    "offline",
    "password",
    "payment",
    "phone",
    "printer",
    "profile",
    "proxy",
    "receipt",
    "refund",
    "report",
    "reset",
    "restart",
    "router",
    "scanner",
    "screen",
    "server",
    "settings",
    "shared",
    "signal",
    "slow",
    "spinner",
    "startup",
    "storage",
    "subscription",
    "sync",
    "tablet",
    "timeout",
    "token",
    "update",
    "upgrade",
    "upload",
    "user",
    "version",
    "video",
    "vpn",
    "wifi",
    "window",
    "windows",
    "wireless",
    "works",
    "yesterday",
    "since",
    "when",
    "every",
    "morning",
    "still",
    "shows",
    "stuck",
    "keeps",
    "only",
    "whole",
    "team",
    "nothing",
    "happens",
    "tried",
];

const OPENERS: &[&str] = &[
    "Hello,",
    "Hi team,",
    "Good morning,",
    "Hi,",
    "Dear support,",
    "Hello again,",
];

fn push_words(out: &mut String, rng: &mut Rng, (lo, hi): (u64, u64)) {
    let count = rng.between(lo, hi);
    for i in 0..count {
        if i > 0 {
            out.push(if rng.chance(6) { '.' } else { ' ' });
            if out.ends_with('.') {
                out.push(' ');
            }
        }
        out.push_str(rng.pick_str(WORDS));
    }
}

/// 3 to 9 words, capitalised, about 40 characters.
pub fn subject(rng: &mut Rng) -> String {
    let mut s = String::with_capacity(64);
    push_words(&mut s, rng, (3, 9));
    if let Some(first) = s.get(..1) {
        let upper = first.to_uppercase();
        s.replace_range(..1, &upper);
    }
    s
}

/// A greeting and 25 to 90 words: a few hundred bytes, like a typical ticket.
pub fn description(rng: &mut Rng) -> String {
    let mut s = String::with_capacity(640);
    s.push_str(rng.pick_str(OPENERS));
    s.push(' ');
    push_words(&mut s, rng, (25, 90));
    s.push('.');
    s
}

/// 8 to 60 words.
pub fn reply(rng: &mut Rng) -> String {
    let mut s = String::with_capacity(400);
    push_words(&mut s, rng, (8, 60));
    s.push('.');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_fit_the_contract_limits() {
        let mut rng = Rng::new(3);
        for _ in 0..500 {
            let s = subject(&mut rng);
            assert!(!s.trim().is_empty() && s.chars().count() <= 200, "{s}");
            let d = description(&mut rng);
            assert!(d.len() <= 20_000 && d.len() > 50);
            assert!(!reply(&mut rng).trim().is_empty());
        }
    }
}
