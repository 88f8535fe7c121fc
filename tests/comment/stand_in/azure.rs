//! The Azure DevOps stand-in: pull request threads (one unpaged list, as the platform's),
//! `api-version=5.0`, `connectionData`.

use super::{not_found, Dialect, Recorded, Reply, State, Stored};
use serde_json::json;

impl State {
    /// Azure DevOps: each stored comment is the first comment (id 1) of thread `id`.
    pub(super) fn azure(
        &mut self,
        r: &Recorded,
        segs: &[&str],
        query: &dyn Fn(&str) -> Option<String>,
    ) -> Reply {
        let d = Dialect::Azure;
        // who the token is: a preview-only API
        if segs == ["org", "_apis", "connectionData"] {
            if query("api-version").as_deref() != Some("5.0-preview") {
                return Reply::json(
                    400,
                    json!({"message": "The requested REST API version is missing or not supported."}),
                );
            }
            let who = self.caller(r).expect("authorised");
            let identity =
                json!({"id": who, "providerDisplayName": "My Project Build Service (org)"});
            return Reply::json(
                200,
                json!({"authenticatedUser": identity, "authorizedUser": identity, "instanceId": "00000000-0000-4000-8000-00000000000f"}),
            );
        }
        // the version keyblast sends: every Azure DevOps Server from 2019 on takes it
        if query("api-version").as_deref() != Some("5.0") {
            return Reply::json(
                400,
                json!({"message": "The requested REST API version is missing or not supported."}),
            );
        }
        let thread = |c: &Stored| {
            let kind = if c.foreign_kind { "system" } else { "text" };
            let author = json!({"id": c.author, "displayName": c.author});
            json!({"id": c.id, "status": "closed", "isDeleted": false, "comments": [{"id": 1, "parentCommentId": 0, "author": author, "content": c.body, "commentType": kind, "isDeleted": false}]})
        };
        let prefix = [
            "org",
            "My%20Project",
            "_apis",
            "git",
            "repositories",
            "repo-1",
            "pullRequests",
            "9",
            "threads",
        ];
        if segs.len() < prefix.len() || segs[..prefix.len()] != prefix {
            return not_found(d);
        }
        match (r.method.as_str(), &segs[prefix.len()..]) {
            // "Retrieve all threads in a pull request": not paged, whatever the page size
            ("GET", []) => {
                let v = json!({"count": self.comments.len(), "value": self.comments.iter().map(thread).collect::<Vec<_>>()});
                Reply::json(200, v)
            }
            ("POST", []) => {
                let v = r.json();
                let body = v["comments"][0]["content"]
                    .as_str()
                    .unwrap_or("")
                    .to_string();
                if let Some(e) = self.too_long(&body) {
                    return e;
                }
                let who = self.caller(r).expect("authorised");
                let c = self.create(body, who);
                let mut t = thread(&c);
                t["status"] = v["status"].clone();
                Reply::json(200, t)
            }
            ("PATCH", [t, "comments", "1"]) => {
                let body = r.json()["content"].as_str().unwrap_or("").to_string();
                if let Some(e) = self.too_long(&body) {
                    return e;
                }
                if !self.edit(t, body) {
                    return not_found(d);
                }
                Reply::json(200, json!({"id": 1}))
            }
            ("DELETE", [t, "comments", "1"]) => {
                if self.remove(t) {
                    Reply {
                        status: 200,
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
