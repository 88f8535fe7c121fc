//! Time and answers: rate limits (GitHub's secondary limit, `Retry-After` as seconds or as a
//! date, the run's wait budget), a server that never answers, answers keyblast cannot read,
//! and every form of the token scrubbed from what a server echoes.

use super::stand_in::{Dialect, Reply, StandIn, TOKEN};
use super::{ci_env, paths, post, post_env};
use keyblast::comment::http::Limits;
use keyblast::comment::scrub::base64;
use keyblast::comment::{self, Behavior, CommentError, Outcome, PlatformKind, Request, Settings};
use serde_json::json;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const BODY: &str = "<!-- keyblast:report -->\nreport\n";
const SECONDARY: &str = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000.";

/// Short limits, as the internal test knob allows (the user gets keyblast's defaults).
fn short(max_wait: u64, total_wait: u64) -> Limits {
    Limits {
        connect: Duration::from_secs(1),
        attempt: Duration::from_secs(1),
        deadline: Duration::from_secs(10),
        max_wait: Duration::from_secs(max_wait),
        total_wait: Duration::from_secs(total_wait),
    }
}

/// Posts on GitHub at `api` through the library with `limits`; the error's text and the log.
fn github_within(
    api: &str,
    behavior: Behavior,
    limits: Limits,
) -> (Result<Outcome, CommentError>, String) {
    let env: BTreeMap<String, String> = [
        ("GITHUB_TOKEN", TOKEN),
        ("GITHUB_REPOSITORY", "o/r"),
        ("GITHUB_API_URL", api),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let req = Request {
        platform: PlatformKind::Github,
        settings: Settings {
            pr: Some(5),
            ..Settings::default()
        },
        behavior,
        tag: None,
        dry_run: false,
    };
    let mut log = Vec::new();
    let r = comment::post_within(&req, BODY, &env, &mut log, limits);
    let log = String::from_utf8(log).unwrap();
    if let Err(e) = &r {
        assert!(!e.to_string().contains(TOKEN), "token in {e}");
    }
    assert!(!log.contains(TOKEN));
    (r, log)
}

fn err(r: Result<Outcome, CommentError>) -> String {
    r.expect_err("the post fails").to_string()
}

#[test]
fn githubs_secondary_rate_limit_is_waited_out_not_taken_for_a_permission() {
    // with Retry-After: waited, then the post goes through
    let si = StandIn::start(Dialect::GitHub);
    si.force(Reply::json(403, json!({"message": SECONDARY})).with("Retry-After", "1"));
    let t = Instant::now();
    let r = post(&si, Dialect::GitHub, BODY, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(t.elapsed() >= Duration::from_secs(1));
    assert_eq!(si.comments().len(), 1);

    // without any header GitHub asks for at least a minute: more than this budget allows,
    // so it fails at once, saying so (and never as a missing permission)
    let si = StandIn::start(Dialect::GitHub);
    si.force(Reply::json(403, json!({"message": SECONDARY})));
    let t = Instant::now();
    let (r, _) = github_within(&si.api(), Behavior::Update, short(5, 10));
    let e = err(r);
    assert!(t.elapsed() < Duration::from_secs(3), "did not wait");
    assert!(
        e.starts_with("GitHub secondary rate limit (status 403): retry in 60 s, longer than keyblast waits at once (at most 5 s)"),
        "{e}"
    );
    assert!(
        !e.contains("denied") && !e.contains("pull-requests: write"),
        "{e}"
    );
    assert_eq!(si.log().len(), 1);

    // the same as a 429, through the binary's own message path
    let si = StandIn::start(Dialect::GitHub);
    si.force(Reply::json(429, json!({"message": SECONDARY})).with("Retry-After", "3600"));
    let r = post(&si, Dialect::GitHub, BODY, &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(
            "GitHub secondary rate limit (status 429, retry-after: 3600): retry in 3600 s"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn the_runs_wait_budget_is_named_truthfully_when_it_is_spent() {
    // 1 s waited, then a 2 s wait would pass the 2 s budget: the message says that, not
    // that 2 s is longer than keyblast waits
    let si = StandIn::start(Dialect::GitHub);
    si.force(
        Reply::json(429, json!({"message": "API rate limit exceeded"})).with("Retry-After", "1"),
    );
    si.force(
        Reply::json(429, json!({"message": "API rate limit exceeded"})).with("Retry-After", "2"),
    );
    let (r, _) = github_within(&si.api(), Behavior::Update, short(5, 2));
    let e = err(r);
    assert!(
        e.contains("GitHub rate limit (status 429, retry-after: 2): retry in 2 s; keyblast already waited 1 s for rate limits in this run and waits at most 2 s in all"),
        "{e}"
    );
    assert!(!e.contains("longer than"), "{e}");
    assert_eq!(si.log().len(), 2);
}

/// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) for Unix time `t`.
fn imf_fixdate(t: u64) -> String {
    let (days, secs) = (t / 86_400, t % 86_400);
    // civil date from days since 1970-01-01 (Gregorian)
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{weekday}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        months[(month - 1) as usize],
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

#[test]
fn retry_after_is_read_as_seconds_and_as_an_http_date() {
    assert_eq!(imf_fixdate(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    // a date two seconds ahead: waited out
    let si = StandIn::start(Dialect::GitLab);
    si.force(
        Reply::json(429, json!({"message": "429 Too Many Requests"}))
            .with("Retry-After", &imf_fixdate(now + 2)),
    );
    let t = Instant::now();
    let r = post(&si, Dialect::GitLab, BODY, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        t.elapsed() >= Duration::from_millis(900),
        "{:?}",
        t.elapsed()
    );
    let p = paths(Dialect::GitLab);
    assert_eq!(si.lines(), vec![p.list.clone(), p.list.clone(), p.create]);

    // a date an hour ahead: longer than keyblast waits, said in seconds, nothing waited
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let si = StandIn::start(Dialect::GitLab);
    si.force(
        Reply::json(429, json!({"message": "429 Too Many Requests"}))
            .with("Retry-After", &imf_fixdate(now + 3600)),
    );
    let t = Instant::now();
    let r = post(&si, Dialect::GitLab, BODY, &[]);
    assert!(t.elapsed() < Duration::from_secs(5));
    assert_eq!(r.code, 2);
    let secs: u64 = r
        .stderr
        .split(": retry in ")
        .nth(1)
        .and_then(|t| t.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{}", r.stderr));
    assert!((3595..=3600).contains(&secs), "{}", r.stderr);
    assert!(
        r.stderr.contains("s, longer than keyblast waits at once"),
        "{}",
        r.stderr
    );
    // delta-seconds still work
    let si = StandIn::start(Dialect::GitLab);
    si.force(
        Reply::json(429, json!({"message": "429 Too Many Requests"})).with("Retry-After", "0"),
    );
    assert_eq!(post(&si, Dialect::GitLab, BODY, &[]).code, 0);
}

/// A server on loopback that accepts connections and does `serve` with each, counting them.
struct Raw {
    api: String,
    accepted: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Raw {
    fn start(serve: fn(TcpStream, &AtomicBool)) -> Self {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.set_nonblocking(true).unwrap();
        let api = format!("http://{}/api/v3", l.local_addr().unwrap());
        let accepted = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (a, s) = (accepted.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let mut held = Vec::new();
            while !s.load(Ordering::Relaxed) {
                match l.accept() {
                    Ok((c, _)) => {
                        a.fetch_add(1, Ordering::Relaxed);
                        let s = s.clone();
                        held.push(std::thread::spawn(move || serve(c, &s)));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
            for h in held {
                let _ = h.join();
            }
        });
        Self {
            api,
            accepted,
            stop,
            thread: Some(thread),
        }
    }

    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::Relaxed)
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Reads the request, then never answers (until the test ends).
fn never_answer(mut c: TcpStream, stop: &AtomicBool) {
    c.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
    let mut buf = [0u8; 4096];
    while !stop.load(Ordering::Relaxed) {
        let _ = c.read(&mut buf);
    }
}

/// Answers 200 with a body cut off before its announced length, then hangs up.
fn cut_off(mut c: TcpStream, _: &AtomicBool) {
    c.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut buf = [0u8; 4096];
    let _ = c.read(&mut buf);
    let _ = c.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n[{\"id\": 1,",
    );
}

#[test]
fn a_server_that_never_answers_times_out_and_a_timed_out_request_is_retried_once() {
    let raw = Raw::start(never_answer);
    let t = Instant::now();
    let (r, _) = github_within(&raw.api, Behavior::Update, short(5, 10));
    let e = err(r);
    let took = t.elapsed();
    assert!(
        e.starts_with("cannot reach GitHub: GET /api/v3/repos/o/r/issues/5/comments on 127.0.0.1: timed out (after 2 attempts)"),
        "{e}"
    );
    assert_eq!(raw.accepted(), 2, "retried once, not more");
    // two 1 s attempts and a 1 s backoff
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(6),
        "{took:?}"
    );

    // a POST is never retried: it may have created the comment
    let raw = Raw::start(never_answer);
    let (r, _) = github_within(&raw.api, Behavior::New, short(5, 10));
    let e = err(r);
    assert!(
        e.starts_with("cannot reach GitHub: POST /api/v3/repos/o/r/issues/5/comments on 127.0.0.1: timed out: "),
        "{e}"
    );
    assert_eq!(raw.accepted(), 1);
}

#[test]
fn keyblasts_own_limits_bound_a_request_well_under_two_minutes() {
    let l = Limits::default();
    assert_eq!(l.attempt, Duration::from_secs(30));
    // the worst case of a request that never gets an answer: two attempts and a backoff,
    // within the deadline
    assert!(l.attempt * 2 + Duration::from_secs(1) <= l.deadline);
    assert!(l.deadline <= Duration::from_secs(75));
    let doc = std::fs::read_to_string(crate::common::repo().join("docs/comment.md")).unwrap();
    for needle in ["30 s", "retried at most once", "75 s"] {
        assert!(doc.contains(needle), "docs/comment.md says {needle}");
    }
}

#[test]
fn answers_keyblast_cannot_read_are_named_as_such() {
    // an HTML page where the comment list should be
    let si = StandIn::start(Dialect::GitHub);
    si.force(Reply {
        status: 200,
        headers: vec![("Content-Type".into(), "text/html".into())],
        body: "<html><body>Maintenance</body></html>".into(),
    });
    let r = post(&si, Dialect::GitHub, BODY, &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("GitHub sent a response keyblast cannot read: the comment list: not JSON"),
        "{}",
        r.stderr
    );
    // JSON of the wrong shape
    let si = StandIn::start(Dialect::GitHub);
    si.force(Reply::json(200, json!({"message": "ok"})));
    let r = post(&si, Dialect::GitHub, BODY, &[]);
    assert!(
        r.stderr.contains(
            "GitHub sent a response keyblast cannot read: the comment list is not a JSON array"
        ),
        "{}",
        r.stderr
    );
    // an answer cut off mid-body is a failed connection (retried for a GET), never read as
    // an empty list
    let raw = Raw::start(cut_off);
    let (r, _) = github_within(&raw.api, Behavior::Update, short(5, 10));
    let e = err(r);
    assert!(
        e.starts_with("cannot reach GitHub: GET /api/v3/repos/o/r/issues/5/comments on 127.0.0.1: the answer was cut off (after 4 attempts)"),
        "{e}"
    );
    assert_eq!(raw.accepted(), 4);
}

#[test]
fn the_token_is_scrubbed_in_every_form_http_basic_sends_it() {
    // Bitbucket with BITBUCKET_USERNAME: base64(user:token); an Azure DevOps personal access
    // token: base64(:token). A server echoing the Authorization header shows neither.
    for (d, user, var) in [
        (Dialect::Bitbucket, "ci-bot@example.com", "BITBUCKET_TOKEN"),
        (Dialect::Azure, "", "AZURE_DEVOPS_EXT_PAT"),
    ] {
        let si = StandIn::start(d);
        let mut env = ci_env(&si, d);
        env.retain(|k, _| !k.contains("TOKEN"));
        env.insert(var.into(), TOKEN.into());
        if !user.is_empty() {
            env.insert("BITBUCKET_USERNAME".into(), user.into());
        }
        let coded = base64(format!("{user}:{TOKEN}").as_bytes(), false);
        let msg = format!("invalid credentials in Authorization: Basic {coded} (raw {TOKEN})");
        si.force(Reply::json(
            400,
            json!({"message": msg, "error": {"message": msg}}),
        ));
        let r = post_env(&si, d, BODY, &[], &env);
        assert_eq!(r.code, 2, "{d:?}");
        let sent = si.log()[0].header("authorization").unwrap().to_string();
        assert_eq!(sent, format!("Basic {coded}"), "{d:?}: what was sent");
        assert!(
            r.stderr.contains("Authorization: Basic *** (raw ***)"),
            "{d:?}: {}",
            r.stderr
        );
        assert!(!r.stderr.contains(coded.trim_end_matches('=')), "{d:?}");
    }
}
