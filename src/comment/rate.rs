//! Telling a rate limit from a refusal, and how long the platform asks to wait.
//!
//! - A **primary** rate limit: 429, or 403 with `x-ratelimit-remaining: 0` or `retry-after`.
//! - GitHub's **secondary** rate limit: 403 or 429 whose message says "secondary rate limit"
//!   (or, in older wording, "abuse detection"), with or without any header. GitHub's
//!   documentation: honour `retry-after` when present; else, with `x-ratelimit-remaining: 0`,
//!   wait until `x-ratelimit-reset`; else wait at least one minute, and longer on each repeat.
//! - `Retry-After` is delta-seconds or an HTTP-date (RFC 9110 §10.2.3); all three HTTP-date
//!   forms are read (IMF-fixdate, RFC 850, asctime), as RFC 9110 asks of a recipient.

use super::http::Response;
use std::time::Duration;

/// Which kind of limit, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Primary,
    /// GitHub's secondary rate limit.
    Secondary,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Primary => "rate limit",
            Self::Secondary => "secondary rate limit",
        }
    }
}

/// A rate-limited response: its kind and how long to wait before the next attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limited {
    pub kind: Kind,
    pub wait: Duration,
}

/// True when the response's message is GitHub's secondary rate limit.
fn is_secondary(r: &Response) -> bool {
    let body = r.body.to_ascii_lowercase();
    matches!(r.status, 403 | 429)
        && (body.contains("secondary rate limit") || body.contains("abuse detection"))
}

/// The kind of limit `r` is, or `None` when it is not one (a 403 is then a missing
/// permission).
pub fn kind(r: &Response) -> Option<Kind> {
    if is_secondary(r) {
        return Some(Kind::Secondary);
    }
    let primary = r.status == 429
        || (r.status == 403
            && (r.header("x-ratelimit-remaining").map(str::trim) == Some("0")
                || r.header("retry-after").is_some()));
    primary.then_some(Kind::Primary)
}

/// How long `r` asks to wait, `now` being the Unix time in seconds. `attempt` is this
/// request's attempt number, `secondary_hits` how many secondary limits this run has met
/// (this one included). `None` when `r` is not a rate limit.
pub fn limited(r: &Response, attempt: u32, secondary_hits: u32, now: u64) -> Option<Limited> {
    let kind = kind(r)?;
    let wait = retry_after(r.header("retry-after"), now)
        .or_else(|| {
            // the reset header only counts when nothing is left
            let exhausted = r.header("x-ratelimit-remaining").map(str::trim) == Some("0");
            let reset = r
                .header("x-ratelimit-reset")
                .or_else(|| r.header("ratelimit-reset"))
                .and_then(|v| v.trim().parse::<u64>().ok())?;
            if kind == Kind::Secondary && !exhausted {
                return None;
            }
            // an epoch (GitHub, GitLab) or, when small, seconds from now (IETF draft style)
            let secs = if reset > 1_000_000_000 {
                reset.saturating_sub(now)
            } else {
                reset
            };
            Some(secs + 1)
        })
        .unwrap_or(match kind {
            // at least a minute, doubling on each repeat within the run
            Kind::Secondary => 60u64 << secondary_hits.saturating_sub(1).min(6),
            Kind::Primary => 1u64 << attempt.min(6),
        });
    Some(Limited {
        kind,
        wait: Duration::from_secs(wait),
    })
}

/// Seconds to wait per a `Retry-After` value: delta-seconds, or an HTTP-date (a date in the
/// past means now).
pub fn retry_after(value: Option<&str>, now: u64) -> Option<u64> {
    let v = value?.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        return v.parse::<u64>().ok();
    }
    http_date(v).map(|t| t.saturating_sub(now))
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// An HTTP-date as Unix seconds: `Sun, 06 Nov 1994 08:49:37 GMT` (IMF-fixdate), `Sunday,
/// 06-Nov-94 08:49:37 GMT` (RFC 850) or `Sun Nov  6 08:49:37 1994` (asctime).
pub fn http_date(s: &str) -> Option<u64> {
    let t: Vec<&str> = s.split([' ', ',', '-']).filter(|w| !w.is_empty()).collect();
    let (day, month, year, time) = match t.as_slice() {
        [_, day, month, year, time, "GMT"] => (*day, *month, *year, *time),
        [_, month, day, time, year] => (*day, *month, *year, *time),
        _ => return None,
    };
    let day: u64 = num(day, 1, 2)?;
    let month = MONTHS.iter().position(|m| *m == month)? as u64 + 1;
    let year: u64 = match year.len() {
        4 => num(year, 4, 4)?,
        // RFC 850's two-digit year: the 1900s from 70 on (before any HTTP date), else the 2000s
        2 => {
            let y: u64 = num(year, 2, 2)?;
            if y >= 70 {
                1900 + y
            } else {
                2000 + y
            }
        }
        _ => return None,
    };
    let mut hms = time.split(':');
    let (h, m, sec) = (
        num(hms.next()?, 2, 2)?,
        num(hms.next()?, 2, 2)?,
        num(hms.next()?, 2, 2)?,
    );
    if hms.next().is_some() || !(1..=31).contains(&day) || h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day)?;
    Some(days * 86_400 + h * 3600 + m * 60 + sec)
}

/// A number of `min..=max` ASCII digits.
fn num(s: &str, min: usize, max: usize) -> Option<u64> {
    (s.len() >= min && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// Days from 1970-01-01 to the given date of the proleptic Gregorian calendar (dates before
/// 1970 are `None`: no HTTP date is).
fn days_from_civil(year: u64, month: u64, day: u64) -> Option<u64> {
    let y = if month <= 2 { year - 1 } else { year } as i64;
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    u64::try_from(era * 146_097 + doe - 719_468).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

    fn resp(status: u16, headers: &[(&str, &str)], body: &str) -> Response {
        let mut h = HeaderMap::new();
        for (k, v) in headers {
            h.insert(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        Response {
            status,
            headers: h,
            body: body.into(),
        }
    }

    #[test]
    fn http_dates_in_all_three_forms() {
        // RFC 9110's example instant
        let t = 784_111_777;
        assert_eq!(http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(t));
        assert_eq!(http_date("Sunday, 06-Nov-94 08:49:37 GMT"), Some(t));
        assert_eq!(http_date("Sun Nov  6 08:49:37 1994"), Some(t));
        assert_eq!(http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            http_date("Tue, 29 Feb 2028 23:59:59 GMT"),
            Some(1_835_481_599)
        );
        for bad in [
            "",
            "soon",
            "Sun, 06 Nov 1994 08:49:37 CET",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 8:49:37 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
        ] {
            assert_eq!(http_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn retry_after_as_seconds_or_a_date() {
        let now = 784_111_777;
        assert_eq!(retry_after(Some("120"), now), Some(120));
        assert_eq!(retry_after(Some(" 0 "), now), Some(0));
        assert_eq!(
            retry_after(Some("Sun, 06 Nov 1994 08:50:07 GMT"), now),
            Some(30)
        );
        // a date already past: retry now
        assert_eq!(
            retry_after(Some("Sun, 06 Nov 1994 08:00:00 GMT"), now),
            Some(0)
        );
        assert_eq!(retry_after(Some("-5"), now), None);
        assert_eq!(retry_after(Some("later"), now), None);
        assert_eq!(retry_after(None, now), None);
    }

    #[test]
    fn githubs_secondary_limit_is_a_rate_limit_with_or_without_headers() {
        let msg = r#"{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits","status":"403"}"#;
        let now = 1_800_000_000;
        let bare = resp(403, &[], msg);
        assert_eq!(kind(&bare), Some(Kind::Secondary));
        // no header: a minute, then two, then four
        assert_eq!(limited(&bare, 1, 1, now).unwrap().wait.as_secs(), 60);
        assert_eq!(limited(&bare, 1, 2, now).unwrap().wait.as_secs(), 120);
        assert_eq!(limited(&bare, 2, 3, now).unwrap().wait.as_secs(), 240);
        // retry-after wins, in either form
        let ra = resp(403, &[("retry-after", "7")], msg);
        assert_eq!(limited(&ra, 1, 1, now).unwrap().wait.as_secs(), 7);
        // a reset only counts when nothing is left
        let reset = resp(
            429,
            &[
                ("x-ratelimit-remaining", "12"),
                ("x-ratelimit-reset", "1800000100"),
            ],
            msg,
        );
        assert_eq!(limited(&reset, 1, 1, now).unwrap().wait.as_secs(), 60);
        // a plain 403 is a missing permission, not a limit
        let denied = resp(
            403,
            &[],
            r#"{"message":"Resource not accessible by integration"}"#,
        );
        assert_eq!(kind(&denied), None);
        assert_eq!(limited(&denied, 1, 1, now), None);
    }

    #[test]
    fn primary_limits_wait_for_their_headers() {
        let now = 1_800_000_000;
        let r = resp(
            403,
            &[
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", "1800000009"),
            ],
            "{}",
        );
        let l = limited(&r, 1, 0, now).unwrap();
        assert_eq!((l.kind, l.wait.as_secs()), (Kind::Primary, 10));
        let r = resp(
            429,
            &[("retry-after", "Thu, 15 Jan 2027 08:00:05 GMT")],
            "{}",
        );
        let at = http_date("Thu, 15 Jan 2027 08:00:00 GMT").unwrap();
        assert_eq!(limited(&r, 1, 0, at).unwrap().wait.as_secs(), 5);
        // nothing said: a short backoff
        assert_eq!(
            limited(&resp(429, &[], ""), 2, 0, now)
                .unwrap()
                .wait
                .as_secs(),
            4
        );
    }
}
