//! The Bitbucket Cloud stand-in: pull request comments with `next` pagination.

use super::{not_found, Dialect, Recorded, Reply, State, Stored};
use serde_json::json;

impl State {
    pub(super) fn bitbucket(
        &mut self,
        base: &str,
        r: &Recorded,
        segs: &[&str],
        query: &dyn Fn(&str) -> Option<String>,
    ) -> Reply {
        let d = Dialect::Bitbucket;
        // an access token's bot user is an `app_user`
        let user = |uuid: &str| {
            let kind = if uuid == super::me(d) {
                "app_user"
            } else {
                "user"
            };
            json!({"type": kind, "uuid": uuid, "display_name": uuid})
        };
        // `GET /user` answers for an account's API token (HTTP Basic), and refuses access
        // tokens (Bearer)
        if r.method == "GET" && segs == ["2.0", "user"] {
            return match r.header("authorization") {
                Some(a) if a.starts_with("Basic ") => {
                    Reply::json(200, user(&self.caller(r).expect("authorised")))
                }
                _ => Reply::json(
                    401,
                    json!({"type": "error", "error": {"message": "Token is invalid or not supported for this endpoint."}}),
                ),
            };
        }
        let comment = |c: &Stored| {
            let mut v = json!({"id": c.id, "type": "pullrequest_comment", "deleted": false, "content": {"raw": c.body, "markup": "markdown"}, "user": user(&c.author)});
            if c.foreign_kind {
                v["inline"] = json!({"path": "main.tf", "to": 3});
            }
            v
        };
        let prefix = [
            "2.0",
            "repositories",
            "ws",
            "infra",
            "pullrequests",
            "3",
            "comments",
        ];
        if segs.len() < prefix.len() || segs[..prefix.len()] != prefix {
            return not_found(d);
        }
        match (r.method.as_str(), &segs[prefix.len()..]) {
            ("GET", []) => {
                let page: usize = query("page").and_then(|p| p.parse().ok()).unwrap_or(1);
                let (items, more) = self.page(page);
                let mut v = json!({"pagelen": self.page_size, "page": page, "size": self.comments.len(), "values": items.iter().map(comment).collect::<Vec<_>>()});
                if more {
                    v["next"] = json!(format!("{base}/2.0/repositories/ws/infra/pullrequests/3/comments?pagelen=100&page={}", page + 1));
                }
                Reply::json(200, v)
            }
            ("POST", []) => {
                let body = r.json()["content"]["raw"]
                    .as_str()
                    .unwrap_or("")
                    .to_string();
                if let Some(e) = self.too_long(&body) {
                    return e;
                }
                let who = self.caller(r).expect("authorised");
                let c = self.create(body, who);
                Reply::json(201, comment(&c))
            }
            ("PUT", [id]) => {
                let body = r.json()["content"]["raw"]
                    .as_str()
                    .unwrap_or("")
                    .to_string();
                if let Some(e) = self.too_long(&body) {
                    return e;
                }
                if !self.edit(id, body) {
                    return not_found(d);
                }
                Reply::json(200, json!({"id": id}))
            }
            ("DELETE", [id]) => {
                if self.remove(id) {
                    Reply {
                        status: 204,
                        headers: vec![],
                        body: String::new(),
                    }
                } else {
                    not_found(d)
                }
            }
            _ => not_found(d),
        }
    }
}
