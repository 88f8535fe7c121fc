//! Running the table of `cases.rs`: each case's input made real (a file, a named pipe, a
//! device, standard input that never ends, a real pipe into the binary), one run per format,
//! the invariants every run keeps, then the case's own check.
//!
//! Cases run in-process (`cli_with`: standard input and the input limits injected), except a
//! real pipe, which needs the binary. The limits are keyblast's own, except where a case
//! lowers them to keep the suite fast ([`SHORT`]: a 1 MiB cap instead of 1 GiB, a 0.2 s wait
//! for a named pipe's writer instead of 10 s); the code paths are the same. Two workers run
//! the cases, each on a 2 MiB stack (a test thread's default, less than the binary's main
//! thread), and every failure of every case is reported, not only the first.

use super::cases::cases;
use crate::common::*;
use keyblast::input::{Limits, FIFO_WAIT, MAX_INPUT_BYTES};
use keyblast::quote::{is_invisible, MAX_LINE};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Where a case's input goes on its command line.
pub const INPUT: &str = "{input}";

/// Every report format.
pub const ALL: &[&str] = &["text", "json", "markdown", "html", "dot", "mermaid"];

/// keyblast's limits.
const DEFAULT: Limits = Limits {
    max_bytes: MAX_INPUT_BYTES,
    fifo_wait: FIFO_WAIT,
};

/// Lower limits for the cases about them, so they take a moment.
pub const SHORT: Limits = Limits {
    max_bytes: 1 << 20,
    fifo_wait: Duration::from_millis(200),
};

/// A case's input.
pub enum Input {
    /// A file of the repository (`tests/hostile/corpus/…`).
    File(&'static str),
    /// Content built in code, in a file of this name (the name may be hostile itself).
    Built(&'static str, fn() -> Vec<u8>),
    /// A named pipe nothing opens for writing.
    Fifo,
    /// A device, such as `/dev/zero`.
    Device(&'static str),
    /// `-`: standard input that never ends.
    Endless,
    /// `-`: standard input holding this content.
    Stdin(fn() -> Vec<u8>),
    /// `-`: this content through a real pipe into the keyblast binary.
    Pipe(fn() -> Vec<u8>),
}

/// One hostile case and its expected outcome (built with the methods below, in `cases.rs`).
pub struct Case {
    pub what: &'static str,
    input: Input,
    /// The command line after `keyblast`: [`INPUT`] is the input, `{repo}/` the repository.
    args: &'static [&'static str],
    /// One run per format (`--format F`); none: one run without `--format`.
    formats: &'static [&'static str],
    limits: Limits,
    code: i32,
    /// In the messages of every run.
    stderr: &'static [&'static str],
    /// In the report of every run.
    stdout: &'static [&'static str],
    /// In no report and no message.
    never: &'static [&'static str],
    check: Option<fn(&[Ran])>,
    /// Tests that put the same input under other conditions (`module::test`).
    pub also: &'static [&'static str],
}

impl Case {
    pub fn new(what: &'static str, input: Input, args: &'static [&'static str]) -> Case {
        Case {
            what,
            input,
            args,
            formats: &[],
            limits: DEFAULT,
            code: 0,
            stderr: &[],
            stdout: &[],
            never: &[],
            check: None,
            also: &[],
        }
    }

    pub fn limits(self, limits: Limits) -> Case {
        Case { limits, ..self }
    }

    pub fn formats(self, formats: &'static [&'static str]) -> Case {
        Case { formats, ..self }
    }

    /// Refused: exit status 2, and these fragments in its message.
    pub fn fails(self, stderr: &'static [&'static str]) -> Case {
        Case {
            code: 2,
            stderr,
            ..self
        }
    }

    /// Read: this exit status, and these fragments in every report.
    pub fn reports(self, code: i32, stdout: &'static [&'static str]) -> Case {
        Case {
            code,
            stdout,
            ..self
        }
    }

    pub fn never(self, never: &'static [&'static str]) -> Case {
        Case { never, ..self }
    }

    pub fn check(self, check: fn(&[Ran])) -> Case {
        Case {
            check: Some(check),
            ..self
        }
    }

    pub fn also(self, also: &'static [&'static str]) -> Case {
        Case { also, ..self }
    }
}

/// One run of a case.
pub struct Ran {
    pub format: Option<&'static str>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The input made real: its argument, and what to tidy afterwards.
struct Ready {
    arg: OsString,
    fifo: Option<PathBuf>,
}

fn prepare(input: &Input, dir: &Path) -> Ready {
    let ready = |arg: OsString| Ready { arg, fifo: None };
    match input {
        Input::File(rel) => ready(repo().join(rel).into()),
        Input::Built(name, content) => {
            let path = dir.join(name);
            std::fs::write(&path, content()).unwrap();
            ready(path.into())
        }
        Input::Fifo => {
            let path = dir.join("fifo");
            let made = Command::new("mkfifo").arg(&path).status().unwrap();
            assert!(made.success(), "mkfifo");
            Ready {
                arg: path.clone().into(),
                fifo: Some(path),
            }
        }
        Input::Device(dev) => ready(dev.into()),
        Input::Endless | Input::Stdin(_) | Input::Pipe(_) => ready("-".into()),
    }
}

/// A pipe nothing wrote to leaves keyblast's opening thread blocked: opening the pipe for
/// reading and writing (which never blocks on Linux) lets it finish.
fn tidy(ready: Ready) {
    if let Some(fifo) = ready.fifo {
        drop(
            std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(&fifo),
        );
        let _ = std::fs::remove_file(fifo);
    }
}

fn run_once(case: &Case, args: Vec<OsString>, format: Option<&'static str>) -> Ran {
    let run = match &case.input {
        Input::Pipe(content) => {
            let mut child = Command::new(env!("CARGO_BIN_EXE_keyblast"))
                .args(&args)
                .env_clear()
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let mut pipe = child.stdin.take().unwrap();
            let bytes = content();
            let writer = std::thread::spawn(move || pipe.write_all(&bytes));
            let out = child.wait_with_output().unwrap();
            writer.join().unwrap().unwrap();
            Run {
                code: out.status.code().unwrap_or(-1),
                stdout: String::from_utf8(out.stdout).unwrap(),
                stderr: String::from_utf8(out.stderr).unwrap(),
            }
        }
        input => {
            let mut stdin: Box<dyn Read> = match input {
                Input::Endless => Box::new(std::io::repeat(b'[')),
                Input::Stdin(content) => Box::new(Cursor::new(content())),
                _ => Box::new(std::io::empty()),
            };
            cli_with(args, &BTreeMap::new(), &mut stdin, case.limits)
        }
    };
    Ran {
        format,
        code: run.code,
        stdout: run.stdout,
        stderr: run.stderr,
    }
}

/// What every run keeps, whatever its case.
fn invariants(case: &Case, r: &Ran) {
    let f = r.format.unwrap_or("text");
    assert_eq!(r.code, case.code, "{f}: exit status; stderr: {}", r.stderr);
    for fragment in case.stderr {
        assert!(
            r.stderr.contains(fragment),
            "{f}: no {fragment:?} in {}",
            r.stderr
        );
    }
    // messages: lines keyblast wrote, whole, none forged, none endless
    for line in r.stderr.lines() {
        assert!(
            line.starts_with("keyblast: "),
            "{f}: a forged line? {line:?}"
        );
        assert!(
            line.chars().count() < MAX_LINE + 40,
            "{f}: a {}-byte line",
            line.len()
        );
        let bad = line.chars().find(|&c| c.is_control() || is_invisible(c));
        assert!(bad.is_none(), "{f}: {bad:?} in the message {line:?}");
    }
    if case.code == 2 {
        assert!(r.stdout.is_empty(), "{f}: a report despite the error");
        assert!(r.stderr.starts_with("keyblast: error: "), "{}", r.stderr);
    } else {
        assert!(!r.stdout.is_empty(), "{f}: no report");
        for fragment in case.stdout {
            assert!(
                r.stdout.contains(fragment),
                "{f}: no {fragment:?} in\n{}",
                r.stdout
            );
        }
        if f != "json" {
            // the word joiner is keyblast's own, in the comment (where GitHub would link)
            let own = |c: char| c == '\n' || (f == "markdown" && c == '\u{2060}');
            let bad = r
                .stdout
                .chars()
                .find(|&c| (c.is_control() || is_invisible(c)) && !own(c));
            assert!(bad.is_none(), "{f}: {bad:?} in the report");
        }
    }
    for never in case.never {
        assert!(
            !r.stdout.contains(never) && !r.stderr.contains(never),
            "{f}: shows {never:?}"
        );
    }
}

/// Every run of `case`, then its check.
fn run_case(i: usize, case: &Case) {
    let dir = temp_dir(&format!("hostile-case-{i}"));
    let ready = prepare(&case.input, &dir);
    let args = |format: Option<&str>| -> Vec<OsString> {
        let mut v: Vec<OsString> = case
            .args
            .iter()
            .map(|a| match *a {
                INPUT => ready.arg.clone(),
                a => match a.strip_prefix("{repo}/") {
                    Some(rel) => repo().join(rel).into(),
                    None => a.into(),
                },
            })
            .collect();
        if let Some(f) = format {
            v.extend(["--format".into(), f.into()]);
        }
        v
    };
    let formats: Vec<Option<&'static str>> = match case.formats {
        [] => vec![None],
        some => some.iter().copied().map(Some).collect(),
    };
    let runs: Vec<Ran> = formats
        .into_iter()
        .map(|f| run_once(case, args(f), f))
        .collect();
    tidy(ready);
    for r in &runs {
        invariants(case, r);
    }
    if let Some(check) = case.check {
        check(&runs);
    }
}

#[test]
fn every_hostile_case_has_its_expected_outcome() {
    let all = cases();
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for w in 0..2 {
            std::thread::Builder::new()
                .name(format!("hostile-{w}"))
                .stack_size(2 << 20)
                .spawn_scoped(s, || loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(case) = all.get(i) else { break };
                    let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        run_case(i, case)
                    }));
                    if let Err(panic) = done {
                        let why = panic
                            .downcast_ref::<String>()
                            .cloned()
                            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                            .unwrap_or_default();
                        let why: String = why.chars().take(3000).collect();
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("{}: {why}", case.what));
                    }
                })
                .unwrap();
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {} hostile cases failed:\n\n{}",
        failures.len(),
        all.len(),
        failures.join("\n\n")
    );
}

/// The tests a case names as putting its input under other conditions exist.
#[test]
fn the_tests_cases_refer_to_exist() {
    for case in cases() {
        for t in case.also {
            let (module, name) = t.rsplit_once("::").unwrap();
            let rel = module.replace("::", "/");
            let file = [format!("tests/{rel}.rs"), format!("tests/{rel}/mod.rs")]
                .into_iter()
                .map(|f| repo().join(f))
                .find(|p| p.exists())
                .unwrap_or_else(|| panic!("{}: no module {module}", case.what));
            let text = std::fs::read_to_string(file).unwrap();
            assert!(
                text.contains(&format!("fn {name}(")),
                "{}: no test {t}",
                case.what
            );
        }
    }
}

/// Every file of the corpus is a case.
#[test]
fn every_corpus_file_is_a_case() {
    let table = std::fs::read_to_string(repo().join("tests/hostile/cases.rs")).unwrap();
    for e in std::fs::read_dir(repo().join("tests/hostile/corpus")).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            table.contains(&format!("\"tests/hostile/corpus/{name}\"")),
            "tests/hostile/corpus/{name} is in no case"
        );
    }
}
