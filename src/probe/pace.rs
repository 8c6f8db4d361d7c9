//! `--rate` as a ceiling at every instant.
//!
//! A tokio `interval` fires the ticks it missed all at once: while a round waited 3 s for a
//! slow server, six ticks piled up, and at `--rate 2` the next round went out within 60 ms.
//! [`Paced`] wraps the transport instead, so every request (the one as called, each
//! candidate, each retry, the control request) waits for its own slot, and consecutive
//! requests leave at least `1/rate` apart, measured from when the previous one really left.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

use super::transport::{HttpRequest, HttpResponse, Transport, TransportError};

/// Most requests per second `--rate` accepts: tokio's timer counts whole milliseconds.
pub const MAX_RATE: f64 = 1000.0;

/// A transport that sends at most `rate` requests per second, whatever the concurrency.
pub struct Paced<T> {
    inner: Arc<T>,
    period: Option<Duration>,
    last: Mutex<Option<Instant>>,
}

impl<T> Paced<T> {
    /// Paces `inner` at `rate` requests per second; 0, negative or not finite: unpaced.
    pub fn new(inner: Arc<T>, rate: f64) -> Self {
        let period = (rate > 0.0 && rate.is_finite())
            .then(|| Duration::try_from_secs_f64(1.0 / rate).ok())
            .flatten()
            .filter(|d| !d.is_zero());
        Self {
            inner,
            period,
            last: Mutex::new(None),
        }
    }
}

impl<T: Transport> Transport for Paced<T> {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        if let Some(period) = self.period {
            // Held across the wait: requests queue for their slot in order (tokio's mutex
            // is fair), and the next slot counts from this one's real departure.
            let mut last = self.last.lock().await;
            if let Some(t) = *last {
                tokio::time::sleep_until(t + period).await;
            }
            *last = Some(Instant::now());
        }
        self.inner.send(req).await
    }
}
