//! Reads a Server-Sent Events byte stream into events.

/// One event: its id (the feed cursor), type and data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    pub id: Option<String>,
    pub event: String,
    pub data: String,
}

/// Collects bytes and yields whole events; comments (heartbeats) are dropped.
#[derive(Default)]
pub struct SseParser {
    buffer: String,
    carry: Vec<u8>,
}

impl SseParser {
    pub fn push(&mut self, chunk: &[u8]) -> Vec<SseEvent> {
        self.carry.extend_from_slice(chunk);
        let valid = match std::str::from_utf8(&self.carry) {
            Ok(_) => self.carry.len(),
            Err(e) => e.valid_up_to(),
        };
        let text: Vec<u8> = self.carry.drain(..valid).collect();
        self.buffer.push_str(&String::from_utf8_lossy(&text));
        let normalised = self.buffer.replace("\r\n", "\n");
        self.buffer = normalised;
        let mut events = Vec::new();
        while let Some(end) = self.buffer.find("\n\n") {
            let block: String = self.buffer.drain(..end + 2).collect();
            let mut event = SseEvent {
                id: None,
                event: "message".to_owned(),
                data: String::new(),
            };
            let mut has_data = false;
            for line in block.lines() {
                let (field, value) = match line.split_once(':') {
                    Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
                    None => (line, ""),
                };
                match field {
                    "" => {}
                    "id" => event.id = Some(value.to_owned()),
                    "event" => event.event = value.to_owned(),
                    "data" => {
                        if has_data {
                            event.data.push('\n');
                        }
                        event.data.push_str(value);
                        has_data = true;
                    }
                    _ => {}
                }
            }
            if has_data {
                events.push(event);
            }
        }
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_split_across_chunks_and_heartbeats_are_skipped() {
        let mut p = SseParser::default();
        assert!(p.push(b": heartbeat\n\nid: f1\nevent: chan").is_empty());
        let got = p.push(b"ge\ndata: {\"a\":1}\n\n");
        assert_eq!(
            got,
            [SseEvent {
                id: Some("f1".into()),
                event: "change".into(),
                data: "{\"a\":1}".into()
            }]
        );
        let split = "data: é\n\n".as_bytes();
        assert!(p.push(&split[..7]).is_empty());
        assert_eq!(p.push(&split[7..])[0].data, "é");
    }
}
