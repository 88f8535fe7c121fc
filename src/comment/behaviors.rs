//! What each `--behavior` does with the comments already on the pull request: find the marked
//! ones, keep only those the token's account wrote ([`super::identity`]), then edit, post,
//! hide or delete.

use super::error::CommentError;
use super::http::Http;
use super::identity::{self, Identity};
use super::platform::{Existing, Platform};
use super::{carries, Behavior, Outcome};
use std::io::Write;

fn same_body(a: &str, b: &str) -> bool {
    a.replace("\r\n", "\n").trim_end() == b.replace("\r\n", "\n").trim_end()
}

fn comments(n: usize) -> String {
    if n == 1 {
        "1 comment".into()
    } else {
        format!("{n} comments")
    }
}

fn ids(cs: &[Existing], p: &dyn Platform) -> String {
    cs.iter().map(|c| p.label(c)).collect::<Vec<_>>().join(", ")
}

/// Splits `marked` into the token's account's and the others', saying on `log` which were
/// left alone.
fn split(p: &dyn Platform, marked: Vec<Existing>, me: &str, log: &mut dyn Write) -> Vec<Existing> {
    let (ours, theirs): (Vec<Existing>, Vec<Existing>) = marked
        .into_iter()
        .partition(|c| identity::same(c.author.as_deref(), me));
    if !theirs.is_empty() {
        let _ = writeln!(
            log,
            "keyblast: {}: left {} carrying keyblast's marker alone: written by another account than the token's ({})",
            p.name(),
            comments(theirs.len()),
            ids(&theirs, p)
        );
    }
    ours
}

pub fn run(
    behavior: Behavior,
    p: &dyn Platform,
    http: &Http,
    body: &str,
    marker: &str,
    log: &mut dyn Write,
) -> Result<Outcome, CommentError> {
    if behavior == Behavior::New {
        let c = p.create(http, body)?;
        return Ok(Outcome::Created { id: p.label(&c) });
    }
    let marked: Vec<Existing> = p
        .list(http)?
        .into_iter()
        .filter(|c| carries(&c.body, marker))
        .collect();
    // who the token is matters only when there is a marked comment to touch
    let me = if marked.is_empty() {
        None
    } else {
        Some(identity::of(p.whoami(http))?)
    };
    match (behavior, me) {
        (Behavior::Update, Some(Identity::Unknown(why))) => {
            if marked.last().is_some_and(|c| same_body(&c.body, body)) {
                // nothing is written, so nothing of anyone's is touched
                let c = marked.last().expect("checked");
                return Ok(Outcome::Unchanged { id: p.label(c) });
            }
            let _ = writeln!(
                log,
                "keyblast: {}: cannot tell which account the token acts as ({why}); posting a new comment and deleting only the earlier ones written by the same account, instead of editing one in place",
                p.name()
            );
            replace(Behavior::DeleteAndNew, p, http, body, marked, None, log)
        }
        (Behavior::Update, me) => {
            let ours = match me {
                Some(Identity::Known(me)) => split(p, marked, &me, log),
                _ => marked,
            };
            match ours.last() {
                Some(c) if same_body(&c.body, body) => Ok(Outcome::Unchanged { id: p.label(c) }),
                Some(c) => {
                    p.update(http, c, body)?;
                    Ok(Outcome::Updated { id: p.label(c) })
                }
                None => Ok(Outcome::Created {
                    id: p.label(&p.create(http, body)?),
                }),
            }
        }
        (b, me) => {
            let known = match me {
                Some(Identity::Known(me)) => Some(me),
                Some(Identity::Unknown(why)) => {
                    let _ = writeln!(
                        log,
                        "keyblast: {}: cannot tell which account the token acts as ({why}); only earlier comments written by the account that posts the new one are touched",
                        p.name()
                    );
                    None
                }
                None => None,
            };
            replace(b, p, http, body, marked, known, log)
        }
    }
}

/// Posts `body`, then hides (GitHub) or deletes the earlier marked comments written by `me`,
/// or, when `me` is not known, by the account the new comment names as its author.
fn replace(
    behavior: Behavior,
    p: &dyn Platform,
    http: &Http,
    body: &str,
    marked: Vec<Existing>,
    me: Option<String>,
    log: &mut dyn Write,
) -> Result<Outcome, CommentError> {
    let new = p.create(http, body)?;
    let ours = match me.or_else(|| new.author.clone()) {
        Some(me) => split(p, marked, &me, log),
        None if marked.is_empty() => marked,
        None => {
            let _ = writeln!(
                log,
                "keyblast: {}: the platform did not say who wrote the comments; trusting keyblast's marker alone",
                p.name()
            );
            marked
        }
    };
    let hide = behavior == Behavior::HideAndNew;
    let already = if hide && !ours.is_empty() {
        p.hidden(http, &ours)?
    } else {
        Default::default()
    };
    let (mut deleted, mut hidden, mut already_hidden) = (0, 0, 0);
    let mut fallback_said = false;
    for c in &ours {
        if hide && already.contains(&c.id) {
            already_hidden += 1;
            continue;
        }
        match hide.then(|| p.hide(http, c)).flatten() {
            Some(r) => {
                r?;
                hidden += 1;
            }
            None => {
                if hide && !fallback_said {
                    let _ = writeln!(
                        log,
                        "keyblast: {} cannot hide comments; deleting the earlier ones instead (delete-and-new)",
                        p.name()
                    );
                    fallback_said = true;
                }
                p.delete(http, c)?;
                deleted += 1;
            }
        }
    }
    Ok(Outcome::Replaced {
        id: p.label(&new),
        deleted,
        hidden,
        already_hidden,
    })
}

/// What a replacement did with the earlier comments, for the progress line.
pub fn replaced_tail(deleted: usize, hidden: usize, already_hidden: usize) -> String {
    let earlier = |n: usize| {
        if n == 1 {
            "1 earlier comment".to_string()
        } else {
            format!("{n} earlier comments")
        }
    };
    let mut parts = Vec::new();
    if hidden > 0 {
        parts.push(format!("hid {} as outdated", earlier(hidden)));
    }
    if deleted > 0 {
        parts.push(format!("deleted {}", earlier(deleted)));
    }
    if already_hidden > 0 {
        parts.push(format!(
            "{} already hidden",
            if already_hidden == 1 {
                "1 earlier comment was".to_string()
            } else {
                format!("{already_hidden} earlier comments were")
            }
        ));
    }
    if parts.is_empty() {
        "; there was no earlier comment to replace".into()
    } else {
        format!("; {}", parts.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::replaced_tail;

    #[test]
    fn the_replacement_line_says_what_happened() {
        assert_eq!(
            replaced_tail(0, 0, 0),
            "; there was no earlier comment to replace"
        );
        assert_eq!(replaced_tail(2, 0, 0), "; deleted 2 earlier comments");
        assert_eq!(
            replaced_tail(0, 1, 3),
            "; hid 1 earlier comment as outdated; 3 earlier comments were already hidden"
        );
        assert_eq!(
            replaced_tail(0, 0, 1),
            "; 1 earlier comment was already hidden"
        );
    }
}
