//! The time of a request, as far as keyblast can know it without seeing one: the bounds of
//! `aws:CurrentTime` / `aws:EpochTime`, and the values date and numeric condition operators
//! compare them with.
//!
//! Design decisions (sources and reasoning in docs/policy.md §6):
//! - Every request a key policy is evaluated for happens after [`TIME_MIN`]
//!   (2020-01-01T00:00:00Z, before keyblast was written, so before any plan it reads is applied)
//!   and no later than [`TIME_MAX`] (9999-12-31T23:59:59Z, the last instant ISO 8601's four-digit
//!   years can write). Nothing else about the time is known.
//! - `aws:EpochTime` holds the time in epoch seconds (IAM: "This key also accepts the number of
//!   seconds since January 1, 1970"). Should it ever be milliseconds, the bounds used for numeric
//!   operators, [`TIME_MIN`] .. [`EPOCH_MAX`] (the upper bound in milliseconds), hold either way.
//! - A policy date is an interval of instants: the W3C profile of ISO 8601 that IAM's date
//!   operators take (`2020-01-01`, `2020-01-01T12:00Z`, `2020-01-01T12:00:00.5+02:00`), widened
//!   by a day when it has no time and by ±14 hours when it has no zone; a plain number is epoch
//!   time, `n/1000 .. n` seconds (seconds or milliseconds), except four to eight bare digits,
//!   which could also be a basic-format date (`20200101`). Anything else is not understood and
//!   the test stays `Conditional`.
//! - A comparison is decided only when it has the same outcome for every request time in the
//!   bounds and every instant the policy value may mean.

use super::truth::Truth;

/// 2020-01-01T00:00:00Z: every request is later than this.
pub(crate) const TIME_MIN: f64 = 1_577_836_800.0;
/// 9999-12-31T23:59:59Z: no request is later than this.
pub(crate) const TIME_MAX: f64 = 253_402_300_799.0;
/// [`TIME_MAX`] in milliseconds: `aws:EpochTime` is below this in either unit.
pub(crate) const EPOCH_MAX: f64 = 253_402_300_799_999.0;

/// A comparison of the request value (left) with a policy value (right).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

/// `request <cmp> value` for every request value in `req` and every value in `val`
/// (closed intervals).
pub(crate) fn compare(req: (f64, f64), cmp: Cmp, val: (f64, f64)) -> Truth {
    let (rlo, rhi) = req;
    let (vlo, vhi) = val;
    let (always, never) = match cmp {
        Cmp::Eq => (false, rhi < vlo || rlo > vhi),
        Cmp::Lt => (rhi < vlo, rlo >= vhi),
        Cmp::Le => (rhi <= vlo, rlo > vhi),
        Cmp::Gt => (rlo > vhi, rhi <= vlo),
        Cmp::Ge => (rlo >= vhi, rhi < vlo),
    };
    if always {
        Truth::Always
    } else if never {
        Truth::Never
    } else {
        Truth::Conditional
    }
}

/// A decimal number as numeric operators take it: `-12`, `3.5`. No exponents, no `inf`.
pub(crate) fn number(s: &str) -> Option<f64> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    let ok = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if ok(int) && ok(frac) {
        s.parse().ok()
    } else {
        None
    }
}

/// The instants (epoch seconds) a policy date value may mean.
pub(crate) fn date(s: &str) -> Option<(f64, f64)> {
    // Four to eight bare digits may also be an ISO 8601 basic-format date (`2020`,
    // `20200101`): not understood.
    if s.bytes().all(|b| b.is_ascii_digit()) && (4..=8).contains(&s.len()) {
        return None;
    }
    if let Some(n) = number(s) {
        let (a, b) = (n / 1000.0, n);
        return Some((a.min(b), a.max(b)));
    }
    iso8601(s)
}

const ZONE_SLACK: f64 = 14.0 * 3600.0;
const DAY: f64 = 86_400.0;

/// `YYYY-MM-DD[Thh:mm[:ss[.s+]][Z|±hh:mm]]`.
fn iso8601(s: &str) -> Option<(f64, f64)> {
    let (day, time) = match s.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let start = day_start(day)?;
    let Some(time) = time else {
        return Some((start - ZONE_SLACK, start + DAY + ZONE_SLACK));
    };
    let (clock, offset) = if let Some(c) = time.strip_suffix('Z') {
        (c, Some(0.0))
    } else if let Some(i) = time.rfind(['+', '-']) {
        (&time[..i], Some(zone(&time[i..])?))
    } else {
        (time, None)
    };
    let secs = clock_seconds(clock)?;
    let t = start + secs;
    Some(match offset {
        // `+02:00` is two hours ahead of UTC: subtract it.
        Some(off) => (t - off, t - off),
        None => (t - ZONE_SLACK, t + ZONE_SLACK),
    })
}

fn fixed(s: &str, len: usize) -> Option<i64> {
    (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// Epoch seconds at 00:00Z of a `YYYY-MM-DD` day.
fn day_start(s: &str) -> Option<f64> {
    let mut it = s.split('-');
    let (y, m, d) = (
        fixed(it.next()?, 4)?,
        fixed(it.next()?, 2)?,
        fixed(it.next()?, 2)?,
    );
    if it.next().is_some() || !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d) as f64 * DAY)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `hh:mm[:ss[.s+]]` → seconds into the day.
fn clock_seconds(s: &str) -> Option<f64> {
    let mut it = s.splitn(3, ':');
    let h = fixed(it.next()?, 2)?;
    let m = fixed(it.next()?, 2)?;
    let sec = match it.next() {
        None => 0.0,
        Some(x) => {
            let (whole, frac) = x.split_once('.').unwrap_or((x, ""));
            let w = fixed(whole, 2)?;
            if !frac.bytes().all(|b| b.is_ascii_digit()) || (x.contains('.') && frac.is_empty()) {
                return None;
            }
            w as f64 + format!("0.{frac}0").parse::<f64>().ok()?
        }
    };
    (h <= 24 && m < 60 && sec < 61.0).then(|| (h * 3600 + m * 60) as f64 + sec)
}

/// `±hh:mm` → seconds east of UTC.
fn zone(s: &str) -> Option<f64> {
    let sign = if s.starts_with('-') { -1.0 } else { 1.0 };
    let (h, m) = s[1..].split_once(':')?;
    let (h, m) = (fixed(h, 2)?, fixed(m, 2)?);
    (h <= 14 && m < 60).then(|| sign * (h * 3600 + m * 60) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Truth::*;

    const REQ: (f64, f64) = (TIME_MIN, TIME_MAX);

    #[test]
    fn bounds_are_the_dates_they_claim() {
        assert_eq!(date("2020-01-01T00:00:00Z"), Some((TIME_MIN, TIME_MIN)));
        assert_eq!(date("9999-12-31T23:59:59Z"), Some((TIME_MAX, TIME_MAX)));
        assert_eq!(
            crate::timestamp::format_rfc3339(TIME_MIN as u64),
            "2020-01-01T00:00:00Z"
        );
        assert_eq!(EPOCH_MAX, TIME_MAX * 1000.0 + 999.0);
    }

    #[test]
    fn dates_and_their_slack() {
        assert_eq!(date("1970-01-01T00:00:00Z"), Some((0.0, 0.0)));
        assert_eq!(date("1970-01-01T02:00+02:00"), Some((0.0, 0.0)));
        assert_eq!(
            date("1970-01-02T00:00:00.250-00:30"),
            Some((88_200.25, 88_200.25))
        );
        assert_eq!(
            date("2000-03-01"),
            Some((951_868_800.0 - ZONE_SLACK, 951_868_800.0 + DAY + ZONE_SLACK))
        );
        assert_eq!(
            date("2000-02-29T12:00:00"),
            Some((951_825_600.0 - ZONE_SLACK, 951_825_600.0 + ZONE_SLACK))
        );
        // epoch numbers: seconds or milliseconds
        assert_eq!(date("1600000000"), Some((1_600_000.0, 1_600_000_000.0)));
        assert_eq!(date("0"), Some((0.0, 0.0)));
        for bad in [
            "",
            "2020",
            "20200101",
            "2020-13-01",
            "2019-02-29",
            "2020-01-01T",
            "2020-01-01T25:00Z",
            "2020-01-01T10:00:00.Z",
            "2020-01-01T10:00+2",
            "yesterday",
            "1e9",
            "2020-01-01Z",
        ] {
            assert_eq!(date(bad), None, "{bad}");
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(number("0"), Some(0.0));
        assert_eq!(number("-12.5"), Some(-12.5));
        for bad in ["", "-", "1e3", "inf", "+1", "1.", ".5", "0x10", "NaN"] {
            assert_eq!(number(bad), None, "{bad}");
        }
    }

    #[test]
    fn comparisons_are_decided_only_for_every_request() {
        let past = date("1970-01-01T00:00:00Z").unwrap();
        let soon = date("2030-01-01T00:00:00Z").unwrap();
        assert_eq!(compare(REQ, Cmp::Gt, past), Always);
        assert_eq!(compare(REQ, Cmp::Ge, past), Always);
        assert_eq!(compare(REQ, Cmp::Lt, past), Never);
        assert_eq!(compare(REQ, Cmp::Le, past), Never);
        assert_eq!(compare(REQ, Cmp::Eq, past), Never);
        for cmp in [Cmp::Eq, Cmp::Lt, Cmp::Le, Cmp::Gt, Cmp::Ge] {
            assert_eq!(compare(REQ, cmp, soon), Conditional, "{cmp:?}");
        }
        let end = (TIME_MAX, TIME_MAX);
        assert_eq!(compare(REQ, Cmp::Le, end), Always);
        assert_eq!(compare(REQ, Cmp::Lt, end), Conditional);
        assert_eq!(compare(REQ, Cmp::Gt, end), Never);
        let start = (TIME_MIN, TIME_MIN);
        assert_eq!(compare(REQ, Cmp::Ge, start), Always);
        assert_eq!(compare(REQ, Cmp::Gt, start), Conditional);
    }
}
