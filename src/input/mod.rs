//! Reading every input keyblast takes — plan files, inventories, the comment's body file,
//! GitHub's event payload — through one function, [`read`], whatever the input is: a regular file, a named pipe
//! (FIFO), a pipe from process substitution (`<(terraform show -json tfplan)`, a `/dev/fd/N`
//! path), a character device, or standard input (`-`).
//!
//! - **Size**: every byte goes through one counting reader ([`capped`]) that stops at
//!   [`Limits::max_bytes`] (1 GiB): an input larger than that is an error, whatever its kind,
//!   and never more than the cap (plus one byte) is held in memory. A regular file's size is
//!   checked before reading it, so a huge plan is refused at once; `/dev/zero` or an endless
//!   pipe is refused once the cap is reached.
//! - **Named pipes**: opening a FIFO for reading waits until something opens it for writing.
//!   keyblast waits at most [`Limits::fifo_wait`] (10 s) for that, then refuses the input
//!   ([`open`]). A pipe that already has its writer (process substitution, a FIFO whose writer
//!   was started first) opens at once; what keyblast never does is hang forever on a FIFO
//!   nothing writes to. Once open, keyblast reads until the writer closes the pipe, as `cat`
//!   does: a writer that is still working (a slow `terraform show`) is waited for.
//! - **Standard input**: `-` reads standard input (injected by the CLI; the library never
//!   touches the process's own). Only one input of a run may be `-`; the CLI refuses two. A
//!   file literally named `-` is `./-`.

mod capped;
mod open;

use std::fmt;
use std::io::{self, Read};
use std::path::Path;
use std::time::Duration;

/// Largest input keyblast reads (plans and inventories; a comment body has its own, smaller
/// limit).
pub const MAX_INPUT_BYTES: u64 = 1 << 30;

/// How long opening a named pipe waits for a writer.
pub const FIFO_WAIT: Duration = Duration::from_secs(10);

/// Bounds on reading an input. The defaults are what keyblast uses; tests lower them (the
/// CLI offers no flag or variable for them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest input, in bytes.
    pub max_bytes: u64,
    /// Longest wait for a named pipe's writer.
    pub fifo_wait: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: MAX_INPUT_BYTES,
            fifo_wait: FIFO_WAIT,
        }
    }
}

/// True for `-`, standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Why an input could not be read.
#[derive(Debug)]
pub enum Failure {
    /// More than the limit, in bytes.
    TooLarge {
        limit: u64,
    },
    /// A named pipe nothing opened for writing within the wait.
    NoWriter {
        waited: Duration,
    },
    Io(io::Error),
}

/// An input that could not be read: its name (as given; shown escaped), what it was meant to
/// be ("plan", "inventory", "comment body") and why.
#[derive(Debug)]
pub struct InputError {
    pub name: String,
    pub what: &'static str,
    pub failure: Failure,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = crate::quote::name(&self.name);
        let what = self.what;
        match &self.failure {
            Failure::TooLarge { limit } => write!(
                f,
                "{name}: the {what} is larger than {limit} bytes{}; keyblast reads at most that much",
                in_units(*limit)
            ),
            Failure::NoWriter { waited } => write!(
                f,
                "{name}: nothing opened this named pipe (FIFO) for writing within {} s; start its writer first, or pass the {what} as a file or on standard input (-)",
                waited.as_secs_f64()
            ),
            Failure::Io(e) => write!(f, "{name}: cannot read the {what}: {e}"),
        }
    }
}

impl std::error::Error for InputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.failure {
            Failure::Io(e) => Some(e),
            _ => None,
        }
    }
}

/// ` (1 GiB)` for a whole number of GiB or MiB, else nothing.
fn in_units(bytes: u64) -> String {
    match bytes {
        0 => String::new(),
        b if b % (1 << 30) == 0 => format!(" ({} GiB)", b >> 30),
        b if b % (1 << 20) == 0 => format!(" ({} MiB)", b >> 20),
        _ => String::new(),
    }
}

/// Reads the whole input at `path` (`what` names it in errors). `-` is `stdin` when one is
/// given; without one, `-` is a file name like any other.
pub fn read(
    path: &Path,
    what: &'static str,
    stdin: Option<&mut dyn Read>,
    limits: &Limits,
) -> Result<Vec<u8>, InputError> {
    let fail = |failure| InputError {
        name: path.to_string_lossy().into_owned(),
        what,
        failure,
    };
    match stdin {
        Some(input) if is_stdin(path) => {
            capped::read_to_cap(input, limits.max_bytes, None).map_err(fail)
        }
        _ => {
            let (mut file, size) = open::open(path, limits.fifo_wait).map_err(fail)?;
            if size.is_some_and(|s| s > limits.max_bytes) {
                return Err(fail(Failure::TooLarge {
                    limit: limits.max_bytes,
                }));
            }
            capped::read_to_cap(&mut file, limits.max_bytes, size).map_err(fail)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_input_and_the_limit() {
        let e = InputError {
            name: "-".into(),
            what: "plan",
            failure: Failure::TooLarge { limit: 1 << 30 },
        };
        assert_eq!(
            e.to_string(),
            "standard input: the plan is larger than 1073741824 bytes (1 GiB); keyblast reads at most that much"
        );
        let e = InputError {
            name: "dir/\u{1b}[2Jx\n.json".into(),
            what: "inventory",
            failure: Failure::NoWriter {
                waited: Duration::from_millis(250),
            },
        };
        let s = e.to_string();
        assert!(
            s.starts_with("dir/\\u{1b}[2Jx\\n.json: nothing opened this named pipe (FIFO) for writing within 0.25 s"),
            "{s}"
        );
    }

    #[test]
    fn standard_input_only_when_given() {
        let limits = Limits::default();
        let mut input: &[u8] = b"{}";
        let got = read(Path::new("-"), "plan", Some(&mut input), &limits).unwrap();
        assert_eq!(got, b"{}");
        let e = read(Path::new("-"), "plan", None, &limits).unwrap_err();
        assert!(matches!(e.failure, Failure::Io(_)), "{e}");
    }
}
