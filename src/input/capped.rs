//! The one counting reader every input goes through: reads to the end of its input, and
//! stops with [`Failure::TooLarge`] as soon as more than the cap has arrived, so an endless
//! input costs at most the cap (plus one byte) of memory and never hangs on its size.

use super::Failure;
use std::io::{ErrorKind, Read};

/// Smallest step by which the buffer grows (it doubles from there).
const STEP: usize = 64 << 10;

/// Reads `r` to its end. `size` (a regular file's length) sizes the buffer at once; it is a
/// hint, not a promise: a file that grows while being read is still cut at `cap`.
pub fn read_to_cap(r: &mut dyn Read, cap: u64, size: Option<u64>) -> Result<Vec<u8>, Failure> {
    let limit = usize::try_from(cap.saturating_add(1)).unwrap_or(usize::MAX);
    let mut buf: Vec<u8> = Vec::new();
    let mut filled = 0usize;
    let mut first = size.map_or(STEP, |s| {
        usize::try_from(s.saturating_add(1)).unwrap_or(limit)
    });
    loop {
        if filled == limit {
            return Err(Failure::TooLarge { limit: cap });
        }
        if filled == buf.len() {
            let grow = first.max(filled).max(1).min(limit - filled);
            first = 0;
            buf.try_reserve_exact(grow)
                .map_err(|e| Failure::Io(std::io::Error::new(ErrorKind::OutOfMemory, e)))?;
            buf.resize(filled + grow, 0);
        }
        match r.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(Failure::Io(e)),
        }
    }
    buf.truncate(filled);
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn reads_up_to_the_cap_and_no_further() {
        let data = vec![7u8; 1000];
        assert_eq!(read_to_cap(&mut &data[..], 1000, None).unwrap(), data);
        assert_eq!(
            read_to_cap(&mut &data[..], 1000, Some(10)).unwrap(),
            data,
            "a wrong size hint only costs a reallocation"
        );
        assert!(matches!(
            read_to_cap(&mut &data[..], 999, None),
            Err(Failure::TooLarge { limit: 999 })
        ));
        assert!(read_to_cap(&mut &b""[..], 0, None).unwrap().is_empty());
    }

    #[test]
    fn an_endless_input_stops_at_the_cap() {
        struct Counting(u64);
        impl Read for Counting {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = buf.len().min(4096);
                self.0 += n as u64;
                Ok(n)
            }
        }
        let mut endless = Counting(0);
        let cap = 5 << 20;
        assert!(matches!(
            read_to_cap(&mut endless, cap, None),
            Err(Failure::TooLarge { .. })
        ));
        assert_eq!(endless.0, cap + 1, "read exactly one byte past the cap");
    }
}
