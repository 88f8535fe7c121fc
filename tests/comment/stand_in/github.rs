//! The GitHub stand-in: REST issue comments with `Link` pagination (next pages under `/repositories/ID`), GraphQL.

use super::{me, not_found, Dialect, Recorded, Reply, State, Stored};
use serde_json::{json, Value};

impl State {
    pub(super) fn github(
        &mut self,
        base: &str,
        r: &Recorded,
        segs: &[&str],
        query: &dyn Fn(&str) -> Option<String>,
    ) -> Reply {
        let d = Dialect::GitHub;
        let gh = |c: &Stored| {
            let kind = if c.author.ends_with("[bot]") {
                "Bot"
            } else {
                "User"
            };
            json!({"id": c.id, "node_id": format!("IC_node{}", c.id), "body": c.body, "user": {"login": c.author, "type": kind}})
        };
        // the list, under /repos/o/r/... and, for the next pages, /repositories/1/...
        let list = matches!(
            segs,
            ["api", "v3", "repos", "o", "r", "issues", "5", "comments"]
        ) || matches!(
            segs,
            ["api", "v3", "repositories", "1", "issues", "5", "comments"]
        );
        match (r.method.as_str(), segs) {
            ("GET", _) if list => {
                let page: usize = query("page").and_then(|p| p.parse().ok()).unwrap_or(1);
                let (items, more) = self.page(page);
                let mut reply = Reply::json(200, Value::Array(items.iter().map(gh).collect()));
                if more {
                    let last = self.comments.len().div_ceil(self.page_size);
                    reply = reply.with(
                        "Link",
                        &format!(
                            "<{base}/api/v3/repositories/1/issues/5/comments?per_page=100&page={}>; rel=\"next\", <{base}/api/v3/repositories/1/issues/5/comments?per_page=100&page={last}>; rel=\"last\"",
                            page + 1
                        ),
                    );
                }
                reply
            }
            ("POST", ["api", "v3", "repos", "o", "r", "issues", "5", "comments"]) => {
                let body = r.json()["body"].as_str().unwrap_or("").to_string();
                if let Some(e) = self.too_long(&body) {
                    return e;
                }
                let who = self.caller(r).expect("authorised");
                let c = self.create(body, who);
                Reply::json(201, gh(&c))
            }
            ("PATCH", ["api", "v3", "repos", "o", "r", "issues", "comments", id]) => {
                let body = r.json()["body"].as_str().unwrap_or("").to_string();
                if let Some(e) = self.too_long(&body) {
                    return e;
                }
                if !self.edit(id, body) {
                    return not_found(d);
                }
                let c = self
                    .comments
                    .iter()
                    .find(|c| c.id.to_string() == *id)
                    .unwrap()
                    .clone();
                Reply::json(200, gh(&c))
            }
            ("DELETE", ["api", "v3", "repos", "o", "r", "issues", "comments", id]) => {
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
            ("POST", ["api", "graphql"]) => self.graphql(r),
            _ => not_found(d),
        }
    }

    /// GraphQL: `viewer { login }`; `nodes(ids:)` with `isMinimized` (REST's list does not say
    /// whether a comment is minimised); `minimizeComment`. Unknown node ids are errors, as on
    /// GitHub.
    fn graphql(&mut self, r: &Recorded) -> Reply {
        let v = r.json();
        let q = v["query"].as_str().unwrap_or("");
        let unresolved = |node: &str| {
            Reply::json(
                200,
                json!({"data": null, "errors": [{"type": "NOT_FOUND", "message": format!("Could not resolve to a node with the global id of '{node}'")}]}),
            )
        };
        if q.contains("minimizeComment") {
            let node = v["variables"]["id"].as_str().unwrap_or("").to_string();
            if !q.contains("OUTDATED") {
                return unresolved(&node);
            }
            return match self
                .comments
                .iter_mut()
                .find(|c| format!("IC_node{}", c.id) == node)
            {
                Some(c) => {
                    c.hidden = true;
                    Reply::json(
                        200,
                        json!({"data": {"minimizeComment": {"minimizedComment": {"isMinimized": true}}}}),
                    )
                }
                None => unresolved(&node),
            };
        }
        if q.contains("nodes(ids:") {
            let mut nodes = Vec::new();
            for id in v["variables"]["ids"].as_array().into_iter().flatten() {
                let id = id.as_str().unwrap_or("");
                match self
                    .comments
                    .iter()
                    .find(|c| format!("IC_node{}", c.id) == id)
                {
                    Some(c) => nodes.push(json!({"id": id, "isMinimized": c.hidden})),
                    None => return unresolved(id),
                }
            }
            return Reply::json(200, json!({"data": {"nodes": nodes}}));
        }
        if q.contains("viewer") {
            return Reply::json(
                200,
                json!({"data": {"viewer": {"login": me(Dialect::GitHub)}}}),
            );
        }
        Reply::json(
            200,
            json!({"errors": [{"message": "Parse error on the query"}]}),
        )
    }
}
