//! Hostile plan text through the markdown escaper: escaped prose holds nothing GitHub would
//! link, mention or reference, and still reads as written. (Whole hostile plans — links and
//! references, invisible characters, a 100 kB address — are cases of the table in
//! `hostile/cases.rs`.)

use crate::github::hazards;
use crate::hostile::plans::HOSTILE;

#[test]
fn escaped_prose_holds_nothing_github_would_act_on() {
    let prose = keyblast::report::markdown::md(HOSTILE);
    let found = hazards(&prose);
    assert!(found.is_empty(), "{found:#?}\n{prose}");
    assert!(hazards(&format!("| a |\n|---|\n| {prose} |\n")).is_empty());
}

#[test]
fn escaped_prose_reads_as_written() {
    use keyblast::report::markdown::md;
    // as GitHub shows it, without the joiners: the same text
    let shown = |s: &str| {
        let html = crate::github::gfm(&md(s));
        let inner = html
            .trim()
            .trim_start_matches("<p>")
            .trim_end_matches("</p>");
        inner
            .replace('\u{2060}', "")
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
    };
    for s in [
        "www.example.com",
        "a@b.co",
        "fix #12 and GH-5",
        "deadbeefcafe1234",
        "https://x/y",
        "x_y *z* `c`",
    ] {
        assert_eq!(shown(s), s);
    }
}
