//! `keyblast comment <platform>` and the posting flags `analyze --comment` shares.
//!
//! Each platform's subcommand takes only the flags that mean something there; `analyze
//! --comment P` accepts them all (one flag set for four platforms) and refuses the ones `P`
//! does not use, so a typo'd pipeline fails loudly instead of posting somewhere unexpected.

use super::{say, EXIT_ERROR, EXIT_OK};
use crate::comment::{self, Behavior, Env, PlatformKind, Request, Settings, Tag};
use crate::input::{self, Limits};
use crate::quote;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Largest `--body-file` read (a comment is at most 1,000,000 characters anywhere).
const MAX_BODY: u64 = 16 << 20;

/// Flags every platform shares.
#[derive(Debug, Clone, clap::Args)]
pub struct Posting {
    /// update: edit keyblast's earlier comment (or post one); new: always post; hide-and-new /
    /// delete-and-new: post, then hide (GitHub) or delete the earlier ones.
    #[arg(long, value_enum, default_value_t = Behavior::Update, help_heading = "Comment")]
    pub behavior: Behavior,
    /// Keep one comment per tag (a monorepo's plans): goes into the hidden marker.
    #[arg(long, value_name = "NAME", value_parser = Tag::parse, help_heading = "Comment")]
    pub tag: Option<Tag>,
    /// A failed post warns and goes on instead of exiting 2.
    #[arg(long, help_heading = "Comment")]
    pub allow_failure: bool,
    /// Print the requests that would be sent (method, path, body size); send nothing.
    #[arg(long, help_heading = "Comment")]
    pub dry_run: bool,
}

/// `keyblast comment`.
#[derive(Debug, clap::Args)]
pub struct CommentArgs {
    #[command(subcommand)]
    pub platform: PlatformArgs,
}

#[derive(Debug, clap::Subcommand)]
pub enum PlatformArgs {
    /// A pull request on GitHub or GitHub Enterprise Server (token: GITHUB_TOKEN).
    Github {
        #[command(flatten)]
        body: Body,
        /// OWNER/NAME (default: GITHUB_REPOSITORY).
        #[arg(long, value_name = "OWNER/NAME")]
        repo: Option<String>,
        /// Pull request number (default: from the event payload at GITHUB_EVENT_PATH).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
        pr: Option<u64>,
        /// API root (default: GITHUB_API_URL, else https://api.github.com; Enterprise:
        /// https://HOST/api/v3).
        #[arg(long, value_name = "URL")]
        api_url: Option<String>,
        #[command(flatten)]
        posting: Posting,
    },
    /// A merge request on GitLab (token: GITLAB_TOKEN with the api scope).
    Gitlab {
        #[command(flatten)]
        body: Body,
        /// Project id or path (default: CI_PROJECT_ID).
        #[arg(long, value_name = "ID|PATH")]
        project: Option<String>,
        /// Merge request IID (default: CI_MERGE_REQUEST_IID).
        #[arg(long, value_name = "IID", value_parser = clap::value_parser!(u64).range(1..))]
        mr: Option<u64>,
        /// API root (default: CI_API_V4_URL, else https://gitlab.com/api/v4).
        #[arg(long, value_name = "URL")]
        api_url: Option<String>,
        #[command(flatten)]
        posting: Posting,
    },
    /// A pull request on Bitbucket Cloud (token: BITBUCKET_TOKEN; with BITBUCKET_USERNAME, an
    /// app password).
    Bitbucket {
        #[command(flatten)]
        body: Body,
        /// Workspace (default: BITBUCKET_WORKSPACE).
        #[arg(long, value_name = "W")]
        workspace: Option<String>,
        /// Repository slug (default: BITBUCKET_REPO_SLUG).
        #[arg(long, value_name = "SLUG")]
        repo: Option<String>,
        /// Pull request id (default: BITBUCKET_PR_ID).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
        pr: Option<u64>,
        /// API root (default: https://api.bitbucket.org/2.0).
        #[arg(long, value_name = "URL")]
        api_url: Option<String>,
        #[command(flatten)]
        posting: Posting,
    },
    /// A pull request on Azure DevOps (token: SYSTEM_ACCESSTOKEN, else AZURE_DEVOPS_EXT_PAT).
    AzureDevops {
        #[command(flatten)]
        body: Body,
        /// Organisation URL, e.g. https://dev.azure.com/ORG (default: SYSTEM_COLLECTIONURI).
        #[arg(long, value_name = "URL", alias = "api-url")]
        org_url: Option<String>,
        /// Project (default: SYSTEM_TEAMPROJECT).
        #[arg(long, value_name = "P")]
        project: Option<String>,
        /// Repository id or name (default: BUILD_REPOSITORY_ID).
        #[arg(long, value_name = "ID")]
        repo: Option<String>,
        /// Pull request id (default: SYSTEM_PULLREQUEST_PULLREQUESTID).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
        pr: Option<u64>,
        /// Status of a new thread: closed (default; does not block a comment-resolution
        /// policy) or active.
        #[arg(long, value_enum, default_value_t = ThreadStatus::Closed)]
        thread_status: ThreadStatus,
        #[command(flatten)]
        posting: Posting,
    },
}

#[derive(Debug, Clone, clap::Args)]
pub struct Body {
    /// The comment's markdown (`keyblast analyze --format markdown`), or `-` for standard input.
    #[arg(long, value_name = "FILE|-")]
    pub body_file: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ThreadStatus {
    Closed,
    Active,
}

/// `analyze --comment PLATFORM` and every platform's flags.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Comment")]
pub struct AnalyzeComment {
    /// Post the markdown report on the pull request (before --fail-on decides the exit status).
    #[arg(long, value_enum, value_name = "PLATFORM")]
    pub comment: Option<PlatformKind>,
    #[command(flatten)]
    pub posting: Posting,
    /// API root (GitHub, GitLab, Bitbucket) or organisation URL (Azure DevOps).
    #[arg(long, value_name = "URL")]
    pub api_url: Option<String>,
    /// GitHub OWNER/NAME, Bitbucket repository slug, Azure DevOps repository id.
    #[arg(long, value_name = "REPO")]
    pub repo: Option<String>,
    /// Pull request number (GitHub, Bitbucket, Azure DevOps).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub pr: Option<u64>,
    /// GitLab project id or path; Azure DevOps project.
    #[arg(long, value_name = "PROJECT")]
    pub project: Option<String>,
    /// GitLab merge request IID.
    #[arg(long, value_name = "IID", value_parser = clap::value_parser!(u64).range(1..))]
    pub mr: Option<u64>,
    /// Bitbucket workspace.
    #[arg(long, value_name = "W")]
    pub workspace: Option<String>,
    /// Azure DevOps organisation URL.
    #[arg(long, value_name = "URL")]
    pub org_url: Option<String>,
    /// Azure DevOps: status of a new thread.
    #[arg(long, value_enum, value_name = "STATUS")]
    pub thread_status: Option<ThreadStatus>,
    /// Do not append the markdown report to GITHUB_STEP_SUMMARY (GitHub Actions' job summary).
    #[arg(long)]
    pub no_step_summary: bool,
}

impl AnalyzeComment {
    /// The posting request, or a usage error: a posting flag without `--comment`, or a flag
    /// the chosen platform does not use.
    pub fn request(&self) -> Result<Option<Request>, String> {
        let given: Vec<&str> = [
            ("--api-url", self.api_url.is_some()),
            ("--repo", self.repo.is_some()),
            ("--pr", self.pr.is_some()),
            ("--project", self.project.is_some()),
            ("--mr", self.mr.is_some()),
            ("--workspace", self.workspace.is_some()),
            ("--org-url", self.org_url.is_some()),
            ("--thread-status", self.thread_status.is_some()),
            ("--tag", self.posting.tag.is_some()),
            ("--allow-failure", self.posting.allow_failure),
            ("--dry-run", self.posting.dry_run),
            ("--behavior", self.posting.behavior != Behavior::Update),
        ]
        .into_iter()
        .filter_map(|(f, on)| on.then_some(f))
        .collect();
        let Some(kind) = self.comment else {
            return match given.first() {
                Some(f) => Err(format!("{f} needs --comment PLATFORM")),
                None => Ok(None),
            };
        };
        let allowed: &[&str] = match kind {
            PlatformKind::Github => &["--api-url", "--repo", "--pr"],
            PlatformKind::Gitlab => &["--api-url", "--project", "--mr"],
            PlatformKind::Bitbucket => &["--api-url", "--workspace", "--repo", "--pr"],
            PlatformKind::AzureDevops => &[
                "--api-url",
                "--org-url",
                "--project",
                "--repo",
                "--pr",
                "--thread-status",
            ],
        };
        let common = ["--tag", "--allow-failure", "--dry-run", "--behavior"];
        if let Some(f) = given
            .iter()
            .find(|f| !allowed.contains(f) && !common.contains(f))
        {
            return Err(format!("{f} is not used by --comment {}", kind_name(kind)));
        }
        Ok(Some(Request {
            platform: kind,
            settings: Settings {
                api_url: self.api_url.clone(),
                repo: self.repo.clone(),
                pr: self.pr,
                project: self.project.clone(),
                mr: self.mr,
                workspace: self.workspace.clone(),
                org_url: self.org_url.clone(),
                thread_active: self.thread_status == Some(ThreadStatus::Active),
            },
            behavior: self.posting.behavior,
            tag: self.posting.tag.clone(),
            dry_run: self.posting.dry_run,
        }))
    }
}

pub fn kind_name(kind: PlatformKind) -> &'static str {
    match kind {
        PlatformKind::Github => "github",
        PlatformKind::Gitlab => "gitlab",
        PlatformKind::Bitbucket => "bitbucket",
        PlatformKind::AzureDevops => "azure-devops",
    }
}

impl PlatformArgs {
    fn into_parts(self) -> (PlatformKind, Body, Settings, Posting) {
        match self {
            Self::Github {
                body,
                repo,
                pr,
                api_url,
                posting,
            } => (
                PlatformKind::Github,
                body,
                Settings {
                    api_url,
                    repo,
                    pr,
                    ..Settings::default()
                },
                posting,
            ),
            Self::Gitlab {
                body,
                project,
                mr,
                api_url,
                posting,
            } => (
                PlatformKind::Gitlab,
                body,
                Settings {
                    api_url,
                    project,
                    mr,
                    ..Settings::default()
                },
                posting,
            ),
            Self::Bitbucket {
                body,
                workspace,
                repo,
                pr,
                api_url,
                posting,
            } => (
                PlatformKind::Bitbucket,
                body,
                Settings {
                    api_url,
                    workspace,
                    repo,
                    pr,
                    ..Settings::default()
                },
                posting,
            ),
            Self::AzureDevops {
                body,
                org_url,
                project,
                repo,
                pr,
                thread_status,
                posting,
            } => (
                PlatformKind::AzureDevops,
                body,
                Settings {
                    org_url,
                    project,
                    repo,
                    pr,
                    thread_active: thread_status == ThreadStatus::Active,
                    ..Settings::default()
                },
                posting,
            ),
        }
    }
}

/// Reads a body file (or standard input for `-`) like every input ([`crate::input`]), at
/// most [`MAX_BODY`] bytes, as UTF-8.
fn read_body(path: &Path, stdin: &mut dyn Read, limits: &Limits) -> Result<String, String> {
    let limits = Limits {
        max_bytes: limits.max_bytes.min(MAX_BODY),
        ..*limits
    };
    let bytes =
        input::read(path, "comment body", Some(stdin), &limits).map_err(|e| e.to_string())?;
    String::from_utf8(bytes)
        .map_err(|_| format!("{}: the comment body is not UTF-8", quote::path(path)))
}

/// Runs `keyblast comment <platform>`: dry-run lines on stdout, progress and errors on stderr.
pub fn run_comment(
    args: CommentArgs,
    env: &dyn Env,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    limits: &Limits,
) -> i32 {
    let (platform, body, settings, posting) = args.platform.into_parts();
    let text = match read_body(&body.body_file, stdin, limits) {
        Ok(t) => t,
        Err(e) => {
            say::error(stderr, e);
            return EXIT_ERROR;
        }
    };
    let req = Request {
        platform,
        settings,
        behavior: posting.behavior,
        tag: posting.tag,
        dry_run: posting.dry_run,
    };
    let body = comment::prepare(&text, &req);
    let posted = {
        let log: &mut dyn Write = if req.dry_run { stdout } else { &mut *stderr };
        comment::post(&req, &body, env, log)
    };
    report_failure(posted, posting.allow_failure, stderr)
}

/// A failed post: exit 2, or with `allow_failure` a warning and 0.
pub fn report_failure(
    posted: Result<comment::Outcome, comment::CommentError>,
    allow_failure: bool,
    stderr: &mut dyn Write,
) -> i32 {
    match posted {
        Ok(_) => EXIT_OK,
        Err(e) if allow_failure => {
            say::warning(stderr, format_args!("the comment was not posted: {e}"));
            EXIT_OK
        }
        Err(e) => {
            say::error(stderr, format_args!("the comment was not posted: {e}"));
            EXIT_ERROR
        }
    }
}
