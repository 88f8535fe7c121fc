//! How much the human formats (text, markdown, HTML) list per change, so their size follows
//! the number of changes, not what a hostile plan packs into one: a key policy naming 6,000
//! principals makes 6,000 findings, all in the JSON report, a few in the others, each list
//! ending "… and N more". Identifiers are bounded apart ([`super::visible::NAME_CAP`]).

/// Findings listed per change (the riskiest first) before "… and N more".
pub const FINDINGS_CAP: usize = 20;

/// `… and N more findings (see --format json)`, or nothing when none were left out.
pub fn more_findings(total: usize, shown: usize) -> Option<String> {
    let n = total.saturating_sub(shown);
    match n {
        0 => None,
        1 => Some("… and 1 more finding (see --format json)".into()),
        n => Some(format!("… and {n} more findings (see --format json)")),
    }
}
