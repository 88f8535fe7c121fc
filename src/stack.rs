//! A stack of known size for the work that recurses once per level of a plan's nesting.
//!
//! Reading a plan (serde's visitors, masks, redaction) and building its graph (configuration
//! references followed through every module level) recurse as deep as the plan nests, up to
//! [`crate::plan::MAX_DEPTH`]. In a debug build that costs a few KB a level, up to about
//! 4 MB for the deepest plan keyblast accepts: more than a test thread's 2 MiB. So that work
//! runs on a thread of its own with [`BIG_STACK`], and reads the same whatever stack the
//! caller has. Only the pages touched are committed.

/// The stack for deep work: ten times the most a plan keyblast accepts was measured to need.
pub const BIG_STACK: usize = 64 << 20;

/// Runs `f` on a thread with [`BIG_STACK`] and returns its result (a panic in `f` resumes
/// on the caller). Where no thread can be started, `f` runs on the caller's.
pub fn on_big_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    let job = std::sync::Mutex::new(Some(f));
    let take = || job.lock().ok().and_then(|mut j| j.take());
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("keyblast-deep".into())
            .stack_size(BIG_STACK)
            .spawn_scoped(scope, || take().map(|f| f()));
        let done = match spawned {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => None,
        };
        match done {
            Some(result) => result,
            None => take().expect("the job ran nowhere else")(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_deep_recursion_and_passes_panics_on() {
        fn depth(n: u64) -> u64 {
            // a frame of at least 512 bytes the optimiser cannot drop
            let pad = std::hint::black_box([n; 64]);
            if n == 0 {
                0
            } else {
                1 + depth(n - 1) + pad[63] - n
            }
        }
        assert_eq!(on_big_stack(|| depth(20_000)), 20_000);
        let caught = std::panic::catch_unwind(|| on_big_stack(|| panic!("inside")));
        assert!(caught.is_err());
    }
}
