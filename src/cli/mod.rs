//! Command line: raw arguments (clap derive) → validated [`Config`] → run. Commands write to
//! injected writers, so tests run them in-process; `main` only maps the result to an exit code.

mod comment;
mod say;
mod usage;

use crate::analyze::{Options, DEFAULT_MAX_DEPTH};
use crate::comment::Env;
use crate::discover::progress::{Lines, Silent};
use crate::discover::{discover_with_progress, DiscoverOptions, Progress};
use crate::input::Limits;
use crate::inventory::to_json;
use crate::report::Format;
use crate::risk::Overall;
use crate::run::{Io, Job};
use clap::{Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::path::PathBuf;

/// Analysis done, and below `--fail-on`.
pub const EXIT_OK: i32 = 0;
/// The overall risk is at or above `--fail-on`.
pub const EXIT_RISK: i32 = 1;
/// Usage error or unusable input.
pub const EXIT_ERROR: i32 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "keyblast",
    version,
    about = "What breaks, how badly, and why: blast-radius analysis of Terraform plans that touch AWS KMS keys.",
    after_help = "Exit status: 0 done (below --fail-on), 1 risk at or above --fail-on, 2 usage error or unusable input."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Score every change in one or more plans (`terraform show -json` / `tofu show -json`).
    Analyze(AnalyzeArgs),
    /// Find everything in an AWS account that uses a KMS key; save it as an inventory.
    Discover(DiscoverArgs),
    /// Post a finished markdown report on a pull request, or update keyblast's earlier comment.
    Comment(comment::CommentArgs),
}

/// How to reach AWS (shared by `discover` and `analyze --discover`).
#[derive(Debug, Clone, clap::Args)]
struct AwsArgs {
    /// Region to discover; repeat for several (default: the configured region).
    #[arg(long = "region", value_name = "REGION")]
    regions: Vec<String>,
    /// Named profile from the AWS config files.
    #[arg(long, value_name = "PROFILE")]
    profile: Option<String>,
    /// Custom endpoint (LocalStack, moto); default: AWS_ENDPOINT_URL.
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
    /// Calls in flight per service and region (a key's reads, a bucket's).
    #[arg(long, default_value_t = crate::discover::DEFAULT_CONCURRENCY as u16, value_parser = clap::value_parser!(u16).range(1..=64))]
    concurrency: u16,
    /// No progress on stderr.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, clap::Args)]
struct DiscoverArgs {
    #[command(flatten)]
    aws: AwsArgs,
    /// Where to write the inventory (JSON).
    #[arg(
        long,
        short,
        value_name = "FILE",
        required_unless_present = "print_iam_policy"
    )]
    output: Option<PathBuf>,
    /// Print the read-only IAM policy discovery needs (every action it may call) and exit.
    #[arg(long, conflicts_with = "output")]
    print_iam_policy: bool,
}

#[derive(Debug, clap::Args)]
struct AnalyzeArgs {
    /// Plan JSON files; several plans (a monorepo's workspaces) make one report.
    #[arg(required = true, value_name = "PLAN")]
    plans: Vec<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit with status 1 when the overall risk is at or above this level.
    #[arg(long, value_enum, default_value_t = FailOn::None)]
    fail_on: FailOn,
    /// How many edges away from a change its blast radius reaches.
    #[arg(long, default_value_t = DEFAULT_MAX_DEPTH, value_parser = clap::value_parser!(u32).range(0..=100))]
    max_depth: u32,
    /// Colour in text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Join a saved live inventory (from `keyblast discover`); repeat for several accounts
    /// or regions. Works offline.
    #[arg(long, value_name = "FILE")]
    inventory: Vec<PathBuf>,
    /// Discover the live account now and join it to the plans.
    #[arg(long)]
    discover: bool,
    #[command(flatten)]
    aws: AwsArgs,
    #[command(flatten)]
    comment: comment::AnalyzeComment,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    None,
    Low,
    Medium,
    High,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// What the terminal looks like, decided by `main`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Terminal {
    pub stdout_is_tty: bool,
    pub stderr_is_tty: bool,
    pub no_color_env: bool,
}

/// A validated `analyze` invocation: the library's [`Job`], and what the CLI decides itself.
#[derive(Debug, Clone)]
pub struct Config {
    pub job: Job,
    /// `None` never fails.
    pub fail_on: Option<Overall>,
    /// A failed post warns instead of exiting 2.
    pub allow_comment_failure: bool,
    /// Discovery progress on stderr (a terminal, and no `--quiet`).
    pub progress: bool,
}

/// Live discovery as the CLI runs it: the library's options, and whether to show progress.
#[derive(Debug, Clone)]
pub struct Discovery {
    pub options: DiscoverOptions,
    /// Progress lines on stderr (a terminal, and no `--quiet`).
    pub progress: bool,
}

impl Discovery {
    /// Runs discovery with progress on `stderr` when asked for.
    fn run(
        &self,
        stderr: &mut dyn Write,
    ) -> Result<crate::inventory::Inventory, crate::discover::DiscoverError> {
        if self.progress {
            discover_with_progress(&self.options, &mut Lines(stderr))
        } else {
            discover_with_progress(&self.options, &mut Silent as &mut dyn Progress)
        }
    }
}

impl AwsArgs {
    fn discovery(&self, term: Terminal, env: &dyn Env) -> Discovery {
        let endpoint_url = self
            .endpoint_url
            .clone()
            .or_else(|| env.var("AWS_ENDPOINT_URL"))
            .filter(|e| !e.is_empty());
        Discovery {
            options: DiscoverOptions {
                regions: self.regions.clone(),
                profile: self.profile.clone(),
                endpoint_url,
                concurrency: usize::from(self.concurrency),
                generated_at: Some(crate::timestamp::now_rfc3339()),
                calls: None,
                credentials: None,
            },
            progress: term.stderr_is_tty && !self.quiet,
        }
    }
}

impl Config {
    fn from_args(
        a: AnalyzeArgs,
        term: Terminal,
        env: &dyn Env,
        limits: Limits,
    ) -> Result<Self, String> {
        let color = match a.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => term.stdout_is_tty && !term.no_color_env && a.output.is_none(),
        };
        let fail_on = match a.fail_on {
            FailOn::None => None,
            FailOn::Low => Some(Overall::Low),
            FailOn::Medium => Some(Overall::Medium),
            FailOn::High => Some(Overall::High),
        };
        let comment = a.comment.request()?;
        let discovery = a.aws.discovery(term, env);
        let step_summary = match a.comment.no_step_summary {
            true => None,
            false => env.var("GITHUB_STEP_SUMMARY").map(PathBuf::from),
        };
        Ok(Config {
            job: Job {
                plans: a.plans,
                inventories: a.inventory,
                discover: a.discover.then_some(discovery.options),
                options: Options {
                    max_depth: a.max_depth,
                },
                format: a.format,
                color,
                output: a.output,
                comment,
                step_summary,
                limits,
            },
            fail_on,
            allow_comment_failure: a.comment.posting.allow_failure,
            progress: discovery.progress,
        })
    }
}

/// Parses `args` and runs in the process's environment; returns the exit status.
pub fn run(
    args: impl IntoIterator<Item = OsString>,
    term: Terminal,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    run_with_env(
        args,
        term,
        &ProcessEnv,
        &mut io::stdin().lock(),
        stdout,
        stderr,
    )
}

/// [`run`] with the environment (CI variables, tokens) and standard input injected.
pub fn run_with_env(
    args: impl IntoIterator<Item = OsString>,
    term: Terminal,
    env: &dyn Env,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    run_with_limits(args, term, env, stdin, stdout, stderr, Limits::default())
}

/// [`run_with_env`] with other bounds on reading inputs: for tests (a lower size cap, a
/// shorter wait for a named pipe's writer); keyblast itself always uses the defaults.
pub fn run_with_limits(
    args: impl IntoIterator<Item = OsString>,
    term: Terminal,
    env: &dyn Env,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    limits: Limits,
) -> i32 {
    let argv: Vec<OsString> = args.into_iter().collect();
    let cli = match Cli::try_parse_from(&argv) {
        Ok(c) => c,
        Err(e) => {
            let is_info = matches!(
                e.kind(),
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
            );
            let text = if is_info {
                e.to_string()
            } else {
                usage::render::<Cli>(&e, &argv)
            };
            let sink: &mut dyn Write = if is_info { stdout } else { stderr };
            let _ = sink.write_all(text.as_bytes());
            return if is_info { EXIT_OK } else { EXIT_ERROR };
        }
    };
    match cli.command {
        Command::Analyze(a) => match Config::from_args(a, term, env, limits) {
            Ok(cfg) => run_analyze_io(&cfg, env, stdin, stdout, stderr),
            Err(e) => {
                say::error(stderr, e);
                EXIT_ERROR
            }
        },
        Command::Discover(d) => run_discover(&d, term, env, stdout, stderr),
        Command::Comment(c) => comment::run_comment(c, env, stdin, stdout, stderr, &limits),
    }
}

/// Runs `discover`: the inventory goes to `--output`; a summary line to stderr. With
/// `--print-iam-policy`, prints the policy discovery needs instead, and calls nothing.
fn run_discover(
    d: &DiscoverArgs,
    term: Terminal,
    env: &dyn Env,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    if d.print_iam_policy {
        let policy = crate::discover::registry::iam_policy();
        let text = serde_json::to_string_pretty(&policy).unwrap_or_default();
        return match writeln!(stdout, "{text}") {
            Ok(()) => EXIT_OK,
            Err(_) => EXIT_ERROR,
        };
    }
    let Some(output) = d.output.as_deref() else {
        say::error(stderr, "discover needs --output FILE");
        return EXIT_ERROR;
    };
    let inv = match d.aws.discovery(term, env).run(stderr) {
        Ok(i) => i,
        Err(e) => {
            say::error(stderr, e);
            return EXIT_ERROR;
        }
    };
    // atomically: a failed write leaves the previous inventory whole for the next analysis
    if let Err(e) = crate::atomic::write(output, to_json(&inv).as_bytes()) {
        say::error(
            stderr,
            format_args!("{}: cannot write: {e}", crate::quote::path(output)),
        );
        return EXIT_ERROR;
    }
    if !inv.complete() {
        say::warning(
            stderr,
            format_args!(
                "discovery incomplete: {} calls failed (listed in {})",
                inv.errors.len(),
                crate::quote::path(output)
            ),
        );
    }
    EXIT_OK
}

/// Runs a validated `analyze` in the process's environment (standard input unused: a `-`
/// plan reads nothing).
pub fn run_analyze(cfg: &Config, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    run_analyze_with_env(cfg, &ProcessEnv, stdout, stderr)
}

/// Runs a validated `analyze` with `env` (standard input unused: a `-` plan reads nothing).
pub fn run_analyze_with_env(
    cfg: &Config,
    env: &dyn Env,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    run_analyze_io(cfg, env, &mut io::empty(), stdout, stderr)
}

/// Runs a validated `analyze` ([`crate::run::run`]) and maps what it did to an exit status:
/// unusable input or a failed post (unless `--allow-failure`) is 2, then `--fail-on` decides.
pub fn run_analyze_io(
    cfg: &Config,
    env: &dyn Env,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    let io = Io {
        env,
        stdin,
        out: stdout,
        log: &mut *stderr,
        progress: cfg.progress,
    };
    let outcome = match crate::run::run(&cfg.job, io) {
        Ok(o) => o,
        Err(e) => {
            for line in e.lines() {
                say::error(stderr, line);
            }
            return EXIT_ERROR;
        }
    };
    for w in &outcome.warnings {
        say::warning(stderr, w);
    }
    if let Some(posted) = outcome.comment {
        if comment::report_failure(posted, cfg.allow_comment_failure, stderr) != EXIT_OK {
            return EXIT_ERROR;
        }
    }
    match cfg.fail_on {
        Some(level) if outcome.overall >= level && outcome.overall != Overall::None => EXIT_RISK,
        _ => EXIT_OK,
    }
}

/// The process environment, the one the library is given by the CLI (the library itself
/// reads no environment variable).
struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.is_empty())
    }
}
