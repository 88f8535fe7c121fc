//! `analyze` as one library call: [`run`] takes a [`Job`] (what the command line asked for,
//! validated) and the I/O it may use ([`Io`]: the environment for tokens, a writer for the
//! report, a writer for progress and the comment's log lines), and returns an [`Outcome`] or an
//! [`Error`]. It prints nothing and reads no environment variable itself; the CLI only parses
//! arguments into a `Job` and maps the result to an exit status.
//!
//! Order: read every plan and inventory (all errors reported, not only the first), discover,
//! analyse, render and write the report, append the job summary, post the comment. The comment
//! is posted before the caller applies `--fail-on`, so a blocked pull request still shows why;
//! a failed post is part of the outcome, not an error, because the report was still written.
//! The report file is written atomically ([`crate::atomic`]): a run that fails leaves the
//! previous report as it was.

use crate::analyze::{analyze_with, Options};
use crate::comment::{self, CommentError, Env, Request};
use crate::discover::progress::{Lines, Silent};
use crate::discover::{discover_with_progress, DiscoverError, DiscoverOptions, Progress};
use crate::input::{is_stdin, Limits};
use crate::inventory::read_inventory;
use crate::plan::{load, Plan};
use crate::report::markdown::{self, Limit, Unit};
use crate::report::{self, Format, Report};
use crate::risk::Overall;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// A validated `analyze`.
#[derive(Debug, Clone)]
pub struct Job {
    pub plans: Vec<PathBuf>,
    pub inventories: Vec<PathBuf>,
    /// Discover the live account before analysing.
    pub discover: Option<DiscoverOptions>,
    pub options: Options,
    pub format: Format,
    /// Colour in text output.
    pub color: bool,
    /// Where the report goes; `None`: [`Io::out`].
    pub output: Option<PathBuf>,
    /// Post the markdown report on a pull request.
    pub comment: Option<Request>,
    /// GitHub Actions' job summary file, to append the markdown report to.
    pub step_summary: Option<PathBuf>,
    /// Bounds on reading plans and inventories (the defaults; tests lower them).
    pub limits: Limits,
}

/// What [`run`] may touch besides the files the job names.
pub struct Io<'a> {
    /// Tokens and CI variables for the comment.
    pub env: &'a dyn Env,
    /// What a plan or inventory named `-` reads.
    pub stdin: &'a mut dyn Read,
    /// The report, when the job has no output file.
    pub out: &'a mut dyn Write,
    /// Discovery progress (when [`Io::progress`]) and the comment's log lines.
    pub log: &'a mut dyn Write,
    pub progress: bool,
}

/// What a run did.
#[derive(Debug)]
pub struct Outcome {
    pub overall: Overall,
    /// The posting's result, when the job asked for one.
    pub comment: Option<Result<comment::Outcome, CommentError>>,
    /// Things that did not stop the run (the job summary could not be appended).
    pub warnings: Vec<String>,
}

#[derive(Debug, Error)]
pub enum Error {
    /// Plans or inventories keyblast cannot fully read: one message per file.
    #[error("{}", .0.join("; "))]
    Unreadable(Vec<String>),
    /// More than one plan or inventory is `-`: standard input can be read once.
    #[error(
        "standard input (-) is given {0} times; only one plan or inventory can be read from it"
    )]
    StdinTwice(usize),
    #[error(transparent)]
    Discover(#[from] DiscoverError),
    #[error("rendering the report: {0}")]
    Render(io::Error),
    #[error("{0}")]
    Write(String),
}

impl Error {
    /// One line per thing that went wrong.
    pub fn lines(&self) -> Vec<String> {
        match self {
            Self::Unreadable(all) => all.clone(),
            other => vec![other.to_string()],
        }
    }
}

/// GitHub Actions' job summary takes at most 1 MiB per step.
const STEP_SUMMARY: Limit = Limit {
    max: 1 << 20,
    unit: Unit::Bytes,
    platform: "the GitHub job summary",
};

pub fn run(job: &Job, io: Io<'_>) -> Result<Outcome, Error> {
    let from_stdin = job.plans.iter().chain(&job.inventories);
    match from_stdin.filter(|p| is_stdin(p)).count() {
        0 | 1 => {}
        n => return Err(Error::StdinTwice(n)),
    }
    let mut unreadable = Vec::new();
    let mut plans: Vec<Plan> = Vec::with_capacity(job.plans.len());
    for path in &job.plans {
        match load(path, Some(&mut *io.stdin), &job.limits) {
            Ok(p) => plans.push(p),
            Err(e) => unreadable.push(e.to_string()),
        }
    }
    let mut inventories = Vec::with_capacity(job.inventories.len());
    for path in &job.inventories {
        match read_inventory(path, Some(&mut *io.stdin), &job.limits) {
            Ok(i) => inventories.push(i),
            Err(e) => unreadable.push(e.to_string()),
        }
    }
    if !unreadable.is_empty() {
        return Err(Error::Unreadable(unreadable));
    }
    if let Some(opts) = &job.discover {
        let inventory = if io.progress {
            discover_with_progress(opts, &mut Lines(&mut *io.log))?
        } else {
            discover_with_progress(opts, &mut Silent as &mut dyn Progress)?
        };
        inventories.push(inventory);
    }
    let analysis = analyze_with(plans, inventories, job.options.clone());
    let report = Report::new(&analysis, None);
    // The view-model holds all the renderers read: the plans' values and the graph are freed
    // now, on another thread while this one renders (freeing a large plan's millions of
    // values takes a noticeable part of a run).
    let _freeing = std::thread::Builder::new()
        .name("keyblast-free".into())
        .spawn(move || drop(analysis));
    let mut buf = Vec::new();
    render(&report, job.format, job.color, &mut buf).map_err(Error::Render)?;
    match &job.output {
        Some(path) => crate::atomic::write(path, &buf).map_err(|e| {
            Error::Write(format!("{}: cannot write: {e}", crate::quote::path(path)))
        })?,
        None => match io.out.write_all(&buf).and_then(|_| io.out.flush()) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
            other => other.map_err(|e| Error::Write(format!("writing to standard output: {e}")))?,
        },
    }
    drop(buf);
    let tag = job
        .comment
        .as_ref()
        .and_then(|r| r.tag.as_ref().map(|t| t.as_str().to_string()));
    let mut warnings = Vec::new();
    if let Some(path) = &job.step_summary {
        if let Err(e) = append_step_summary(&report, tag.as_deref(), path) {
            warnings.push(format!(
                "GITHUB_STEP_SUMMARY: cannot append the report: {e}"
            ));
        }
    }
    let comment = job.comment.as_ref().map(|req| {
        let body = markdown::comment_for(&report, tag.as_deref(), &req.platform.limit());
        comment::post(req, &body, io.env, io.log)
    });
    Ok(Outcome {
        overall: report.summary.overall,
        comment,
        warnings,
    })
}

/// Renders `report` in `format`.
pub fn render(report: &Report, format: Format, color: bool, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Text => report::text::render(report, color, out),
        Format::Json => report::json::render(report, out),
        Format::Markdown => report::markdown::render(report, out),
        Format::Html => report::html::render(report, out),
        Format::Dot => report::graph_export::dot(report, out),
        Format::Mermaid => report::graph_export::mermaid(report, out),
    }
}

/// Appends the markdown report to GitHub Actions' job summary, within its limit.
fn append_step_summary(r: &Report, tag: Option<&str>, path: &Path) -> io::Result<()> {
    let text = markdown::comment_for(r, tag, &STEP_SUMMARY);
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)?
        .write_all(format!("{text}\n").as_bytes())
}
