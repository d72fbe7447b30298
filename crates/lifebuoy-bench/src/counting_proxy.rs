//! A loopback TCP proxy that counts the bytes passing each way: what the client really
//! puts on the wire (headers, chunking and all), which no HTTP-level counter sees.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::{Context, Result};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Default)]
pub struct Counters {
    /// Client to server.
    pub up: AtomicU64,
    /// Server to client.
    pub down: AtomicU64,
}

impl Counters {
    pub fn read(&self) -> (u64, u64) {
        (
            self.up.load(Ordering::Relaxed),
            self.down.load(Ordering::Relaxed),
        )
    }
}

pub struct Proxy {
    pub base: String,
    pub counters: Arc<Counters>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Listens on a free loopback port and forwards every connection to `target`.
pub async fn start(target: SocketAddr) -> Result<Proxy> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .context("binding the counting proxy")?;
    let addr = listener.local_addr()?;
    let counters = Arc::new(Counters::default());
    let shared = counters.clone();
    let task = tokio::spawn(async move {
        while let Ok((inbound, _)) = listener.accept().await {
            let counters = shared.clone();
            tokio::spawn(async move {
                if let Ok(outbound) = TcpStream::connect(target).await {
                    let _ = inbound.set_nodelay(true);
                    let _ = outbound.set_nodelay(true);
                    forward(inbound, outbound, counters).await;
                }
            });
        }
    });
    Ok(Proxy {
        base: format!("http://{addr}"),
        counters,
        task,
    })
}

async fn forward(inbound: TcpStream, outbound: TcpStream, counters: Arc<Counters>) {
    let (mut in_read, mut in_write) = inbound.into_split();
    let (mut out_read, mut out_write) = outbound.into_split();
    let up = pump(&mut in_read, &mut out_write, &counters.up);
    let down = pump(&mut out_read, &mut in_write, &counters.down);
    // When either side closes, the connection is over for HTTP's purposes.
    tokio::select! {
        () = up => {},
        () = down => {},
    }
}

async fn pump<R, W>(from: &mut R, to: &mut W, count: &AtomicU64)
where
    R: AsyncReadExt + Unpin,
    W: AsyncWriteExt + Unpin,
{
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        // Counted when read: a byte is on the wire once the sender has sent it.
        count.fetch_add(n as u64, Ordering::Relaxed);
        if to.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    let _ = to.shutdown().await;
}
