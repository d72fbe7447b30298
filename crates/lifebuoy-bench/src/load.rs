//! The closed-loop load generator: N clients, each sending its next request as soon as
//! the previous answer has been read in full.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::rng::Rng;

/// Builds one request; called afresh for every request so bodies and targets vary.
pub trait Workload: Send + Sync + 'static {
    fn request(&self, client: &reqwest::Client, rng: &mut Rng) -> reqwest::RequestBuilder;
}

/// What one workload measured. Latencies are of successful requests, in microseconds.
#[derive(Debug, Default, Clone)]
pub struct Outcome {
    pub ok: u64,
    pub errors: u64,
    pub seconds: f64,
    pub latencies_us: Vec<u32>,
    pub first_error: Option<String>,
    /// Filled in by the caller, who knows which process is the server.
    pub cpu: crate::cpu::Share,
}

impl Outcome {
    pub fn from_latencies(mut latencies_us: Vec<u32>, errors: u64, seconds: f64) -> Self {
        latencies_us.sort_unstable();
        Self {
            ok: latencies_us.len() as u64,
            errors,
            seconds,
            latencies_us,
            first_error: None,
            cpu: crate::cpu::Share::default(),
        }
    }

    pub fn per_second(&self) -> f64 {
        if self.seconds > 0.0 {
            self.ok as f64 / self.seconds
        } else {
            0.0
        }
    }

    /// Nearest-rank percentile in milliseconds; `p` in 0..=100.
    pub fn percentile_ms(&self, p: f64) -> f64 {
        let n = self.latencies_us.len();
        if n == 0 {
            return 0.0;
        }
        let rank = ((p / 100.0) * n as f64).ceil() as usize;
        f64::from(self.latencies_us[rank.clamp(1, n) - 1]) / 1000.0
    }

    pub fn max_ms(&self) -> f64 {
        self.latencies_us
            .last()
            .map_or(0.0, |&us| f64::from(us) / 1000.0)
    }
}

/// Runs `workload` from `clients` concurrent tasks: `warmup` unrecorded (connections open,
/// caches fill), then `measure` recorded.
pub async fn run(
    client: &reqwest::Client,
    workload: Arc<dyn Workload>,
    clients: usize,
    warmup: Duration,
    measure: Duration,
    seed: u64,
) -> Outcome {
    let record_from = Instant::now() + warmup;
    let until = record_from + measure;
    let tasks: Vec<_> = (0..clients)
        .map(|i| {
            let client = client.clone();
            let workload = workload.clone();
            let mut rng = Rng::new(seed.wrapping_mul(1_000_003).wrapping_add(i as u64));
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut errors = 0u64;
                let mut first_error = None;
                loop {
                    let request = workload.request(&client, &mut rng);
                    let started = Instant::now();
                    if started >= until {
                        break;
                    }
                    let result = send(request).await;
                    let took = started.elapsed();
                    if started < record_from {
                        continue;
                    }
                    match result {
                        Ok(()) => {
                            latencies.push(u32::try_from(took.as_micros()).unwrap_or(u32::MAX))
                        }
                        Err(e) => {
                            errors += 1;
                            first_error.get_or_insert(e);
                        }
                    }
                }
                (latencies, errors, first_error)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors = 0;
    let mut first_error = None;
    for task in tasks {
        match task.await {
            Ok((l, e, first)) => {
                latencies.extend(l);
                errors += e;
                if first_error.is_none() {
                    first_error = first;
                }
            }
            Err(e) => {
                errors += 1;
                first_error.get_or_insert(format!("a client task failed: {e}"));
            }
        }
    }
    // Until the last answer arrived, not until the deadline: requests still in flight
    // at the deadline are counted, so their time must be too.
    let seconds = record_from.elapsed().as_secs_f64();
    let mut outcome = Outcome::from_latencies(latencies, errors, seconds);
    outcome.first_error = first_error;
    outcome
}

/// Sends and reads the whole body: the client has not got its answer until it has all of it.
async fn send(request: reqwest::RequestBuilder) -> Result<(), String> {
    let response = request
        .send()
        .await
        .map_err(|e| format!("request failed: {e}"))?;
    let status = response.status();
    let body = response
        .bytes()
        .await
        .map_err(|e| format!("reading the answer failed: {e}"))?;
    if status.is_success() {
        Ok(())
    } else {
        let text = String::from_utf8_lossy(&body);
        Err(format!(
            "{status}: {}",
            text.chars().take(300).collect::<String>()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_nearest_rank() {
        let o = Outcome::from_latencies((1..=100).rev().map(|ms| ms * 1000).collect(), 0, 2.0);
        assert_eq!(o.percentile_ms(50.0), 50.0);
        assert_eq!(o.percentile_ms(99.0), 99.0);
        assert_eq!(o.max_ms(), 100.0);
        assert_eq!(o.per_second(), 50.0);
        assert_eq!(Outcome::default().percentile_ms(99.0), 0.0);
    }
}
