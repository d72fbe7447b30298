//! A TCP pass-through between the app and the server that the test can shut, as a
//! network that drops: the app is cut off while the test still reaches the server
//! directly (to act as an admin, say).

use std::net::SocketAddr;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

pub struct Gate {
    /// The address to give the app instead of the server's.
    pub base: String,
    open: watch::Sender<bool>,
}

async fn pass(mut client: TcpStream, upstream: SocketAddr, mut open: watch::Receiver<bool>) {
    let Ok(mut server) = TcpStream::connect(upstream).await else {
        return;
    };
    tokio::select! {
        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
        _ = open.wait_for(|open| !open) => {}
    }
}

impl Gate {
    pub async fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (open, watch) = watch::channel(true);
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                // Shut: the connection is dropped at once, as a refused one would be.
                if *watch.borrow() {
                    tokio::spawn(pass(client, upstream, watch.clone()));
                }
            }
        });
        Self { base, open }
    }

    /// Cuts every open connection and drops new ones until `open`.
    pub fn shut(&self) {
        self.open.send_replace(false);
    }

    pub fn open(&self) {
        self.open.send_replace(true);
    }
}
