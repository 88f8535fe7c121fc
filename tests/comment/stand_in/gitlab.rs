//! The GitLab stand-in: merge request notes with `X-Next-Page` pagination.

use super::{not_found, Dialect, Recorded, Reply, State, Stored};
use serde_json::{json, Value};

impl State {
    pub(super) fn gitlab(
        &mut self,
        r: &Recorded,
        segs: &[&str],
        query: &dyn Fn(&str) -> Option<String>,
    ) -> Reply {
        let d = Dialect::GitLab;
        // the project is addressed by id (42) or URL-encoded path (group%2Fproject)
        let project_ok = |p: &str| p == "42" || p == "group%2Fproject";
        let user = |id: &str| {
            let name = if id == super::me(d) {
                "project_42_bot_1a2b"
            } else {
                "mallory"
            };
            json!({"id": id.parse::<u64>().unwrap(), "username": name})
        };
        let note = |c: &Stored| json!({"id": c.id, "body": c.body, "system": c.foreign_kind, "author": user(&c.author)});
        match (r.method.as_str(), segs) {
            // a project access token is its bot user
            ("GET", ["api", "v4", "user"]) => {
                Reply::json(200, user(&self.caller(r).expect("authorised")))
            }
            ("GET", ["api", "v4", "projects", p, "merge_requests", "7", "notes"])
                if project_ok(p) =>
            {
                let page: usize = query("page").and_then(|p| p.parse().ok()).unwrap_or(1);
                let (items, more) = self.page(page);
                let next = if more {
                    (page + 1).to_string()
                } else {
                    String::new()
                };
                Reply::json(200, Value::Array(items.iter().map(note).collect()))
                    .with("X-Page", &page.to_string())
                    .with("X-Next-Page", &next)
                    .with("X-Per-Page", &self.page_size.to_string())
            }
            ("POST", ["api", "v4", "projects", p, "merge_requests", "7", "notes"])
                if project_ok(p) =>
            {
                let body = r.json()["body"].as_str().unwrap_or("").to_string();
                if let Some(e) = self.too_long(&body) {
                    return e;
                }
                let who = self.caller(r).expect("authorised");
                let c = self.create(body, who);
                Reply::json(201, note(&c))
            }
            ("PUT", ["api", "v4", "projects", p, "merge_requests", "7", "notes", id])
                if project_ok(p) =>
            {
                let body = r.json()["body"].as_str().unwrap_or("").to_string();
                if let Some(e) = self.too_long(&body) {
                    return e;
                }
                if !self.edit(id, body) {
                    return not_found(d);
                }
                Reply::json(200, json!({"id": id}))
            }
            ("DELETE", ["api", "v4", "projects", p, "merge_requests", "7", "notes", id])
                if project_ok(p) =>
            {
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
