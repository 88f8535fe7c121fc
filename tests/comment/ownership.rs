//! keyblast touches only comments its token's account wrote: a marker planted in someone
//! else's comment (or quoted whole in a reply) is never edited, hidden or deleted.

use super::stand_in::{me, other, Dialect, Reply, StandIn};
use super::{comment_path, knows_identity, paths, post, ALL};
use serde_json::json;

const MARKER: &str = "<!-- keyblast:report -->";

fn body(what: &str) -> String {
    format!("{MARKER}\n### keyblast: {what}\n")
}

#[test]
fn a_marker_planted_by_another_account_is_never_edited_hidden_or_deleted() {
    for d in ALL {
        for behavior in ["update", "delete-and-new", "hide-and-new"] {
            let si = StandIn::start(d);
            let ours = si.seed(&body("our earlier run"));
            let planted = si.seed_by(&body("planted by someone else"), other(d));
            let r = post(&si, d, &body("this run"), &["--behavior", behavior]);
            assert_eq!(r.code, 0, "{d:?} {behavior}: {}", r.stderr);
            let c = si.comments();
            let p = c.iter().find(|c| c.id == planted);
            let p =
                p.unwrap_or_else(|| panic!("{d:?} {behavior}: the planted comment was deleted"));
            assert!(
                p.body.contains("planted by someone else"),
                "{d:?} {behavior}: edited"
            );
            assert!(!p.hidden, "{d:?} {behavior}: hidden");
            assert!(
                !si.lines()
                    .iter()
                    .any(|l| l.ends_with(&comment_path(d, planted))),
                "{d:?} {behavior}: {:?}",
                si.lines()
            );
            assert!(
                r.stderr.contains("left 1 comment carrying keyblast's marker alone: written by another account than the token's"),
                "{d:?} {behavior}: {}",
                r.stderr
            );
            // the token's own earlier comment is what was updated, hidden or deleted
            let own = c.iter().find(|c| c.id == ours);
            match (behavior, knows_identity(d)) {
                ("update", true) => assert!(own.unwrap().body.contains("this run")),
                ("hide-and-new", _) if d == Dialect::GitHub => assert!(own.unwrap().hidden),
                _ => assert!(own.is_none(), "{d:?} {behavior}: replaced"),
            }
        }
    }
}

#[test]
fn a_planted_marker_alone_gets_a_comment_of_keyblasts_own_beside_it() {
    // keyblast has not commented yet; someone posted a comment with its marker first
    for d in ALL {
        let si = StandIn::start(d);
        let planted = si.seed_by(&body("planted"), other(d));
        let pth = paths(d);
        let r = post(&si, d, &body("report"), &[]);
        assert_eq!(r.code, 0, "{d:?}: {}", r.stderr);
        assert_eq!(
            si.lines(),
            vec![pth.list.clone(), pth.whoami.clone(), pth.create.clone()],
            "{d:?}"
        );
        let c = si.comments();
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].id, planted);
        assert!(c[0].body.contains("planted"));
        assert_eq!(c[1].author, me(d));
        // the next run edits keyblast's own comment (or, where the token cannot say who it
        // is, replaces it), still never the planted one
        si.clear_log();
        let r = post(&si, d, &body("report 2"), &[]);
        assert_eq!(r.code, 0, "{d:?}: {}", r.stderr);
        let c = si.comments();
        assert!(c
            .iter()
            .any(|x| x.id == planted && x.body.contains("planted")));
        assert_eq!(c.len(), 2, "{d:?}");
        assert!(c
            .iter()
            .any(|x| x.author == me(d) && x.body.contains("report 2")));
    }
}

#[test]
fn without_any_author_keyblast_falls_back_to_the_marker_and_says_so() {
    // a Bitbucket access token cannot ask who it is, and here the platform names no author
    // on any comment either: the marker alone decides, and stderr says so
    let si = StandIn::start(Dialect::Bitbucket);
    let ours = si.seed(&body("earlier"));
    let anonymous = |id: u64, text: &str| json!({"id": id, "type": "pullrequest_comment", "deleted": false, "content": {"raw": text}});
    si.force(Reply::json(
        200,
        json!({"values": [anonymous(ours, &body("earlier"))]}),
    ));
    si.force(Reply::json(
        401,
        json!({"type": "error", "error": {"message": "Token is invalid or not supported for this endpoint."}}),
    ));
    si.force(Reply::json(201, anonymous(5000, &body("now"))));
    let r = post(&si, Dialect::Bitbucket, &body("now"), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("cannot tell which account the token acts as (Bitbucket refused the token (401: Token is invalid or not supported for this endpoint.)")
            && r.stderr.contains("the platform did not say who wrote the comments; trusting keyblast's marker alone"),
        "{}",
        r.stderr
    );
    assert!(si
        .lines()
        .last()
        .unwrap()
        .ends_with(&comment_path(Dialect::Bitbucket, ours)));
}
