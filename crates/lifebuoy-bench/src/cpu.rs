//! Who used the CPU during a workload: the server, the bench itself, or something else.
//! On a small machine a compiler running next door halves the numbers, and a reader
//! must be able to see that it happened.

/// Clock ticks from /proc: the machine's busy and total time, this process's and the server's.
#[derive(Debug, Clone, Copy, Default)]
pub struct Snapshot {
    busy: u64,
    total: u64,
    bench: u64,
    server: u64,
}

/// Shares of the whole machine (all cores), in percent.
#[derive(Debug, Clone, Copy, Default)]
pub struct Share {
    pub server: f64,
    pub bench: f64,
    pub other: f64,
}

pub fn process_ticks(pid: &str) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The command name may hold spaces; the fields after its closing parenthesis do not.
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return 0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let tick = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    tick(11) + tick(12)
}

impl Snapshot {
    pub fn take(server_pid: u32) -> Self {
        let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
        let ticks: Vec<u64> = stat
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("cpu "))
            .map(|l| {
                l.split_whitespace()
                    .filter_map(|f| f.parse().ok())
                    .collect()
            })
            .unwrap_or_default();
        // user nice system idle iowait irq softirq steal guest guest_nice; guests are
        // already counted in user and nice.
        let field = |i: usize| ticks.get(i).copied().unwrap_or(0);
        let total: u64 = (0..8).map(field).sum();
        Self {
            busy: total - field(3) - field(4),
            total,
            bench: process_ticks("self"),
            server: process_ticks(&server_pid.to_string()),
        }
    }

    /// The machine's clock ticks (all cores) from `before` to this snapshot.
    pub fn total_since(&self, before: &Snapshot) -> u64 {
        self.total.saturating_sub(before.total)
    }

    pub fn share_since(&self, before: &Snapshot) -> Share {
        let total = self.total.saturating_sub(before.total).max(1) as f64;
        let busy = self.busy.saturating_sub(before.busy);
        let bench = self.bench.saturating_sub(before.bench);
        let server = self.server.saturating_sub(before.server);
        let pct = |t: u64| t as f64 * 100.0 / total;
        Share {
            server: pct(server),
            bench: pct(bench),
            other: pct(busy.saturating_sub(bench + server)),
        }
    }
}
