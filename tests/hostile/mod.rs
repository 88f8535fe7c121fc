//! Hostile input: what a pull request's author controls (plans, inventories, comment bodies,
//! file names, arguments) never hangs keyblast, exhausts its memory or stack, leaks a secret,
//! forges a line of its messages or reaches a PR comment or a terminal as anything but text.
//! `cases.rs` is the table of every hostile case with its expected outcome.

/// Every hostile case and its expected outcome.
mod cases;
/// Named checks some cases make of their reports.
mod checks;
/// Deep plans under other conditions: the binary on a 2 MiB main thread, the deepest trees.
mod depth;
/// The hostile plans built in code.
pub mod plans;
/// The runner: inputs made real, one run per format, the invariants of every run.
mod run;
