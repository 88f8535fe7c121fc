//! The bound on calls in flight, per service and per region: each service's discovery in each
//! region makes its own [`Limit`] of `--concurrency` permits, and every call it may make
//! concurrently (a key's reads, a bucket's) holds one while it runs. AWS's request quotas are
//! per account, region and operation, so this bounds what keyblast adds to any one of them
//! whatever the number of regions or services running at once.

use std::future::Future;
use tokio::sync::Semaphore;

pub struct Limit(Semaphore);

impl Limit {
    pub fn new(permits: usize) -> Self {
        Self(Semaphore::new(permits.max(1)))
    }

    /// Runs `call` once a permit is free, holding it until the call (retries included) is done.
    pub async fn run<F: Future>(&self, call: F) -> F::Output {
        // the semaphore is never closed: acquiring cannot fail
        let _permit = self.0.acquire().await.ok();
        call.await
    }
}
