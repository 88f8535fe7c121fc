//! Each behaviour's exact request sequence on every platform.

use super::stand_in::{Dialect, StandIn};
use super::{comment_path, knows_identity, label, paths, post, ALL};

const MARKER: &str = "<!-- keyblast:report -->";

fn body(n: u32) -> String {
    format!("{MARKER}\n### keyblast: run {n}\n\nsome findings\n")
}

#[test]
fn update_posts_then_edits_in_place_then_writes_nothing_when_unchanged() {
    for d in ALL {
        let si = StandIn::start(d);
        let p = paths(d);
        let r = post(&si, d, &body(1), &[]);
        assert_eq!(r.code, 0, "{d:?}: {}", r.stderr);
        assert_eq!(
            si.lines(),
            vec![p.list.clone(), p.create.clone()],
            "{d:?} first run: nothing marked, so no need to ask who the token is"
        );
        let id = si.comments()[0].id;
        assert!(
            r.stderr
                .contains(&format!("posted comment {} on ", label(d, id))),
            "{d:?}: {}",
            r.stderr
        );

        si.clear_log();
        let r = post(&si, d, &body(2), &[]);
        assert_eq!(r.code, 0, "{d:?}: {}", r.stderr);
        assert_eq!(si.comments().len(), 1);
        assert!(si.comments()[0].body.contains("run 2"));
        if knows_identity(d) {
            assert_eq!(
                si.lines(),
                vec![
                    p.list.clone(),
                    p.whoami.clone(),
                    format!("{} {}", p.edit_method, comment_path(d, id))
                ],
                "{d:?} second run edits the same comment, the token's own"
            );
            assert!(
                r.stderr
                    .contains(&format!("updated comment {} on ", label(d, id))),
                "{}",
                r.stderr
            );
        } else {
            // a Bitbucket access token cannot say who it is: a new comment, then the earlier
            // one deleted, known as its own by the new comment's author
            let new = si.comments()[0].id;
            assert_eq!(
                si.lines(),
                vec![
                    p.list.clone(),
                    p.whoami.clone(),
                    p.create.clone(),
                    format!("{} {}", p.delete_method, comment_path(d, id))
                ],
                "{d:?}"
            );
            assert!(
                r.stderr.contains("cannot tell which account the token acts as")
                    && r.stderr.contains(&format!(
                        "posted comment {new} on ws/infra pull request #3; deleted 1 earlier comment"
                    )),
                "{}",
                r.stderr
            );
        }

        si.clear_log();
        let r = post(&si, d, &body(2), &[]);
        assert_eq!(r.code, 0);
        assert_eq!(
            si.lines(),
            vec![p.list.clone(), p.whoami.clone()],
            "{d:?}: unchanged body, no write"
        );
        assert!(r.stderr.contains("already up to date"), "{}", r.stderr);
    }
}

#[test]
fn the_body_file_gets_the_marker_of_its_tag() {
    for d in ALL {
        let si = StandIn::start(d);
        // a body without a marker, and one whose untagged marker is replaced by the tag's
        assert_eq!(post(&si, d, "plain text\r\nline two\n", &[]).code, 0);
        assert_eq!(post(&si, d, &body(1), &["--tag", "network"]).code, 0);
        let c = si.comments();
        assert_eq!(c.len(), 2, "{d:?}");
        assert_eq!(c[0].body, format!("{MARKER}\nplain text\nline two\n"));
        assert!(c[1]
            .body
            .starts_with("<!-- keyblast:report tag=network -->\n### keyblast"));
        assert!(!c[1].body.contains(MARKER), "{d:?}: one marker only");
    }
}

#[test]
fn every_marker_in_a_body_file_is_replaced_by_the_runs_own() {
    for d in ALL {
        let si = StandIn::start(d);
        // a leading blank line before an untagged marker, posted with a tag
        let r = post(
            &si,
            d,
            &format!("\n{MARKER}\napp report\n"),
            &["--tag", "app"],
        );
        assert_eq!(r.code, 0, "{d:?}: {}", r.stderr);
        // two reports pasted together, each with its own marker, posted with another tag
        let twice = format!(
            "{MARKER}\nfirst\n<!-- keyblast:report tag=app -->\r\nsecond\n  {MARKER}\nthird\n"
        );
        assert_eq!(post(&si, d, &twice, &["--tag", "net"]).code, 0, "{d:?}");
        let c = si.comments();
        assert_eq!(c.len(), 2, "{d:?}");
        assert_eq!(
            c[0].body, "<!-- keyblast:report tag=app -->\napp report\n",
            "{d:?}"
        );
        assert_eq!(
            c[1].body, "<!-- keyblast:report tag=net -->\nfirst\nsecond\nthird\n",
            "{d:?}"
        );
        // an untagged run finds neither: it posts its own comment, edits nothing
        let app = c[0].id;
        si.clear_log();
        assert_eq!(post(&si, d, &body(1), &[]).code, 0);
        assert_eq!(si.comments().len(), 3, "{d:?}");
        assert!(!si
            .lines()
            .iter()
            .any(|l| l.ends_with(&comment_path(d, app))));
        assert_eq!(si.comments()[0].body, c[0].body);
    }
}

#[test]
fn two_tags_keep_two_comments() {
    let tagged = |si: &StandIn, tag: &str| {
        let c: Vec<_> = si
            .comments()
            .into_iter()
            .filter(|c| c.body.contains(&format!("tag={tag} -->")))
            .collect();
        assert_eq!(c.len(), 1, "one comment for {tag}");
        c[0].clone()
    };
    for d in ALL {
        let si = StandIn::start(d);
        assert_eq!(post(&si, d, &body(1), &["--tag", "network"]).code, 0);
        assert_eq!(post(&si, d, &body(1), &["--tag", "app"]).code, 0);
        assert_eq!(si.comments().len(), 2, "{d:?}");
        let app = tagged(&si, "app");
        si.clear_log();
        assert_eq!(post(&si, d, &body(2), &["--tag", "network"]).code, 0);
        assert_eq!(si.comments().len(), 2);
        assert!(tagged(&si, "network").body.contains("run 2"), "{d:?}");
        assert_eq!(
            tagged(&si, "app").body,
            app.body,
            "{d:?}: the other tag's comment is untouched"
        );
        assert!(!si
            .lines()
            .iter()
            .any(|l| l.ends_with(&comment_path(d, app.id))));
        // the untagged comment is a third one
        assert_eq!(post(&si, d, &body(1), &[]).code, 0);
        assert_eq!(si.comments().len(), 3);
    }
}

#[test]
fn the_marker_is_found_on_page_three_and_nothing_else_is_touched() {
    for d in ALL {
        let si = StandIn::start(d);
        si.state().page_size = 2;
        let humans = [
            si.seed("LGTM"),
            si.seed(&format!("quoting keyblast: `{MARKER}` is its marker")),
            si.seed_kind(&format!("{MARKER}\nan inline comment or system note"), true),
            si.seed("<!-- keyblast:report tag=other -->\nanother tag"),
        ];
        let ours = si.seed(&body(1));
        si.seed("a later human comment");
        let p = paths(d);
        let r = post(&si, d, &body(2), &[]);
        assert_eq!(r.code, 0, "{d:?}: {}", r.stderr);
        // GitHub's next-page links point at /repositories/ID: followed on the same origin;
        // Azure DevOps' thread list is not paged: one request has every thread
        let mut want = match d {
            Dialect::GitHub => {
                let next = "GET /api/v3/repositories/1/issues/5/comments".to_string();
                vec![p.list.clone(), next.clone(), next]
            }
            Dialect::Azure => vec![p.list.clone()],
            _ => vec![p.list.clone(), p.list.clone(), p.list.clone()],
        };
        want.push(p.whoami.clone());
        if knows_identity(d) {
            want.push(format!("{} {}", p.edit_method, comment_path(d, ours)));
        } else {
            want.push(p.create.clone());
            want.push(format!("{} {}", p.delete_method, comment_path(d, ours)));
        }
        assert_eq!(
            si.lines(),
            want,
            "{d:?}: every page walked, then the token's own marked comment edited (replaced)"
        );
        let c = si.comments();
        for h in humans {
            let stored = c.iter().find(|x| x.id == h).unwrap();
            assert!(
                !stored.body.contains("run 2"),
                "{d:?}: comment {h} was touched"
            );
        }
    }
}

#[test]
fn new_always_posts() {
    for d in ALL {
        let si = StandIn::start(d);
        let p = paths(d);
        assert_eq!(post(&si, d, &body(1), &["--behavior", "new"]).code, 0);
        assert_eq!(post(&si, d, &body(1), &["--behavior", "new"]).code, 0);
        assert_eq!(
            si.lines(),
            vec![p.create.clone(), p.create.clone()],
            "{d:?}"
        );
        assert_eq!(si.comments().len(), 2);
    }
}

#[test]
fn delete_and_new_posts_first_then_deletes_only_marked_comments() {
    for d in ALL {
        let si = StandIn::start(d);
        let human = si.seed("a review comment");
        let old1 = si.seed(&body(1));
        let other_tag = si.seed("<!-- keyblast:report tag=app -->\nx");
        let old2 = si.seed(&body(2));
        let p = paths(d);
        let r = post(&si, d, &body(3), &["--behavior", "delete-and-new"]);
        assert_eq!(r.code, 0, "{d:?}: {}", r.stderr);
        assert_eq!(
            si.lines(),
            vec![
                p.list.clone(),
                p.whoami.clone(),
                p.create.clone(),
                format!("{} {}", p.delete_method, comment_path(d, old1)),
                format!("{} {}", p.delete_method, comment_path(d, old2)),
            ],
            "{d:?}"
        );
        let ids: Vec<u64> = si.comments().iter().map(|c| c.id).collect();
        assert!(
            ids.contains(&human) && ids.contains(&other_tag) && ids.len() == 3,
            "{d:?}: {ids:?}"
        );
        assert!(
            r.stderr.contains("; deleted 2 earlier comments"),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn hide_and_new_minimises_on_github_and_falls_back_to_delete_elsewhere() {
    for d in ALL {
        let si = StandIn::start(d);
        let old = si.seed(&body(1));
        let p = paths(d);
        let r = post(&si, d, &body(2), &["--behavior", "hide-and-new"]);
        assert_eq!(r.code, 0, "{d:?}: {}", r.stderr);
        if d == Dialect::GitHub {
            // who the token is, the new comment, which earlier ones are hidden already
            // (REST does not say), then minimise the one that is not
            assert_eq!(
                si.lines(),
                vec![
                    p.list.clone(),
                    p.whoami.clone(),
                    p.create.clone(),
                    "POST /api/graphql".to_string(),
                    "POST /api/graphql".to_string()
                ]
            );
            let q = si.log()[3].json();
            assert!(q["query"].as_str().unwrap().contains("isMinimized"));
            assert_eq!(
                q["variables"]["ids"],
                serde_json::json!([format!("IC_node{old}")])
            );
            let g = si.log()[4].json();
            assert!(g["query"].as_str().unwrap().contains("minimizeComment"));
            assert_eq!(g["variables"]["id"], format!("IC_node{old}"));
            let c = si.comments();
            assert!(c.iter().find(|c| c.id == old).unwrap().hidden);
            assert_eq!(c.len(), 2);
            assert!(
                r.stderr.contains("; hid 1 earlier comment as outdated"),
                "{}",
                r.stderr
            );
        } else {
            assert_eq!(
                si.lines(),
                vec![
                    p.list.clone(),
                    p.whoami.clone(),
                    p.create.clone(),
                    format!("{} {}", p.delete_method, comment_path(d, old))
                ],
                "{d:?}"
            );
            assert!(
                r.stderr
                    .contains("cannot hide comments; deleting the earlier ones instead"),
                "{}",
                r.stderr
            );
            assert_eq!(si.comments().len(), 1);
        }
    }
}

#[test]
fn hide_and_new_minimises_each_comment_once_and_counts_truthfully() {
    let si = StandIn::start(Dialect::GitHub);
    let p = paths(Dialect::GitHub);
    // nothing earlier: nothing to ask, hide or count
    let r = post(
        &si,
        Dialect::GitHub,
        &body(1),
        &["--behavior", "hide-and-new"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(si.lines(), vec![p.list.clone(), p.create.clone()]);
    assert!(
        r.stderr
            .contains("; there was no earlier comment to replace"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("0 earlier"), "{}", r.stderr);
    // each later run minimises only the one comment not minimised yet
    for run in 2..=4u32 {
        si.clear_log();
        let r = post(
            &si,
            Dialect::GitHub,
            &body(run),
            &["--behavior", "hide-and-new"],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        let minimised = si
            .log()
            .iter()
            .filter(|l| l.body.contains("minimizeComment"))
            .count();
        assert_eq!(minimised, 1, "run {run}: {:?}", si.lines());
        let already = match run {
            2 => String::new(),
            3 => "; 1 earlier comment was already hidden".into(),
            n => format!("; {} earlier comments were already hidden", n - 2),
        };
        assert!(
            r.stderr
                .contains(&format!("; hid 1 earlier comment as outdated{already}\n")),
            "run {run}: {}",
            r.stderr
        );
    }
    let c = si.comments();
    assert_eq!(c.len(), 4);
    assert!(c[..3].iter().all(|c| c.hidden) && !c[3].hidden);
}

#[test]
fn an_oversized_body_is_shortened_to_fit_and_never_rejected() {
    // the stand-ins reject what the platforms reject (GitHub 65,536 characters, Bitbucket
    // 32,768 bytes, Azure DevOps 150,000 UTF-16 units, GitLab 1,000,000 characters)
    let mut big = format!("{MARKER}\n### keyblast: HIGH risk\n\n| a | b |\n|---|---|\n| x | y |\n");
    for i in 0..400 {
        big.push_str(&format!(
            "\n<details><summary>change {i}</summary>\n\n{}\n</details>\n",
            "é🔑 word ".repeat(400)
        ));
    }
    big.push_str("\n<sub>keyblast</sub>\n");
    assert!(big.chars().count() > 1_000_000);
    for d in ALL {
        let si = StandIn::start(d);
        let r = post(&si, d, &big, &[]);
        assert_eq!(r.code, 0, "{d:?}: {}", r.stderr);
        let stored = &si.comments()[0].body;
        let (max, n) = match d {
            Dialect::GitHub => (65_536, stored.chars().count()),
            Dialect::GitLab => (1_000_000, stored.chars().count()),
            Dialect::Bitbucket => (32_767, stored.len()),
            Dialect::Azure => (150_000, stored.encode_utf16().count()),
        };
        assert!(n <= max, "{d:?}: {n} > {max}");
        assert!(n > max * 8 / 10, "{d:?}: shortened too much ({n} of {max})");
        assert!(stored.starts_with(MARKER));
        assert!(
            stored.contains("This comment was shortened to fit"),
            "{d:?}"
        );
        assert!(stored.contains("| x | y |"), "{d:?}: the table stays");
        assert_eq!(
            stored.matches("<details>").count(),
            stored.matches("</details>").count()
        );
    }
}

#[test]
fn a_body_without_a_marker_on_its_own_line_is_never_taken_for_ours() {
    // a comment that only mentions the marker inside a line is a human's
    let si = StandIn::start(Dialect::GitHub);
    let mention = si.seed(&format!("see {MARKER} in the docs"));
    assert_eq!(post(&si, Dialect::GitHub, &body(1), &[]).code, 0);
    let c = si.comments();
    assert_eq!(c.len(), 2);
    assert_eq!(c[0].id, mention);
    assert!(c[0].body.starts_with("see "));
}
