//! A stand-in for KMS and S3 on loopback (tiny_http on 127.0.0.1:0) for the fault tests: it
//! speaks just enough of the KMS and SSM JSON protocols ([`kms`], [`ssm`]) and of the S3
//! REST-XML protocol ([`s3`]) for discovery, and produces what an emulator cannot: a pagination loop (ListKeys
//! returning the same marker forever), a throttling storm, and AccessDenied on chosen
//! resources. The SDK talks to it over real HTTP, so its signing, error parsing and standard
//! retries (backoff included) run as they do against AWS. Every request is recorded.

mod kms;
mod run;
mod s3;
mod ssm;

pub use run::run;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

pub const ACCOUNT: &str = "123456789012";

/// A bucket of the stand-in's account.
#[derive(Debug, Clone)]
pub struct Bucket {
    pub name: &'static str,
    pub region: &'static str,
    /// ListBuckets says its region (AWS always does when asked with a parameter); `false`
    /// plays an endpoint that does not, so only GetBucketLocation knows.
    pub listed_region: bool,
    /// Its default encryption key (`KMSMasterKeyID`); `None`: no default encryption.
    pub key: Option<&'static str>,
}

/// What the stand-in account holds: key ids (all customer-managed, symmetric), buckets, and a
/// number of SSM parameters (`/kb/0000`, ... under the first key).
#[derive(Debug, Clone, Default)]
pub struct World {
    pub keys: Vec<&'static str>,
    pub buckets: Vec<Bucket>,
    pub parameters: usize,
}

/// Faults to produce.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// ListKeys always answers "truncated, next marker `same-marker`".
    pub marker_loop: bool,
    /// The first N requests of every operation are throttled (KMS `ThrottlingException`,
    /// S3 `SlowDown`).
    pub throttle_first: usize,
    /// `(operation, resource)` answered AccessDenied (a key id for KMS, a bucket for S3).
    pub deny: Vec<(&'static str, &'static str)>,
}

/// One request as the stand-in understood it.
#[derive(Debug, Clone)]
pub struct Call {
    /// The operation (`ListKeys`, `GetBucketEncryption`).
    pub op: String,
    /// The key id or bucket it is about, if any.
    pub resource: Option<String>,
    /// The region the request was signed for.
    pub region: String,
    /// Its parameters: the query (S3), the JSON body's scalar members (KMS, SSM).
    pub params: Vec<(String, String)>,
    /// The status answered.
    pub status: u16,
}

/// An answer: status, content type and body.
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
}

/// A request, decoded: which operation, about what, with which parameters.
pub struct Request {
    pub op: String,
    pub resource: Option<String>,
    /// Its parameters: the query (S3), the JSON body's scalar members (KMS, SSM).
    pub params: Vec<(String, String)>,
}

/// The scalar members of a JSON request body, as text (`("Limit", "1000")`).
fn json_params(body: &serde_json::Value) -> Vec<(String, String)> {
    let Some(members) = body.as_object() else {
        return Vec::new();
    };
    members
        .iter()
        .filter(|(_, v)| !v.is_object() && !v.is_array())
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str().map_or_else(|| v.to_string(), str::to_string),
            )
        })
        .collect()
}

/// Which protocol a request speaks, and how it answers a fault.
trait Protocol {
    fn decode(&self, target: Option<&str>, url: &reqwest::Url, body: &str) -> Request;
    fn throttled(&self) -> Reply;
    fn denied(&self, rq: &Request) -> Reply;
    fn answer(&self, world: &World, faults: &Faults, rq: &Request) -> Reply;
}

struct State {
    world: World,
    faults: Faults,
    seen: BTreeMap<String, usize>,
    log: Vec<Call>,
}

impl State {
    fn handle(&mut self, p: &dyn Protocol, rq: &Request) -> Reply {
        let n = self.seen.entry(rq.op.clone()).or_default();
        *n += 1;
        if *n <= self.faults.throttle_first {
            return p.throttled();
        }
        let denied = self
            .faults
            .deny
            .iter()
            .any(|(op, r)| *op == rq.op && rq.resource.as_deref() == Some(*r));
        if denied {
            return p.denied(rq);
        }
        p.answer(&self.world, &self.faults, rq)
    }
}

pub struct StandIn {
    /// `http://127.0.0.1:PORT`
    pub endpoint: String,
    state: Arc<Mutex<State>>,
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
}

/// The region of a SigV4 `Authorization` header's credential scope.
fn signing_region(auth: &str) -> String {
    auth.split("Credential=")
        .nth(1)
        .and_then(|scope| scope.split('/').nth(2))
        .unwrap_or("")
        .to_string()
}

impl StandIn {
    pub fn start(world: World, faults: Faults) -> Self {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind loopback"));
        let port = server.server_addr().to_ip().expect("ip").port();
        let endpoint = format!("http://127.0.0.1:{port}");
        let state = Arc::new(Mutex::new(State {
            world,
            faults,
            seen: BTreeMap::new(),
            log: Vec::new(),
        }));
        let (srv, st, base) = (server.clone(), state.clone(), endpoint.clone());
        let thread = std::thread::spawn(move || {
            for mut rq in srv.incoming_requests() {
                let mut body = String::new();
                let _ = rq.as_reader().read_to_string(&mut body);
                let header = |name: &'static str| {
                    rq.headers()
                        .iter()
                        .find(|h| h.field.equiv(name))
                        .map(|h| h.value.as_str().to_string())
                };
                let target = header("X-Amz-Target");
                let region = signing_region(&header("Authorization").unwrap_or_default());
                let url = reqwest::Url::parse(&format!("{base}{}", rq.url())).expect("url");
                let protocol: &dyn Protocol = match target.as_deref() {
                    Some(t) if t.starts_with("AmazonSSM.") => &ssm::Ssm,
                    Some(_) => &kms::Kms,
                    None => &s3::S3,
                };
                let decoded = protocol.decode(target.as_deref(), &url, &body);
                let reply = {
                    let mut g = st.lock().unwrap();
                    let reply = g.handle(protocol, &decoded);
                    g.log.push(Call {
                        op: decoded.op,
                        resource: decoded.resource,
                        region,
                        params: decoded.params,
                        status: reply.status,
                    });
                    reply
                };
                let content_type =
                    tiny_http::Header::from_bytes("Content-Type", reply.content_type).unwrap();
                let resp = tiny_http::Response::from_string(reply.body)
                    .with_status_code(reply.status)
                    .with_header(content_type);
                let _ = rq.respond(resp);
            }
        });
        Self {
            endpoint,
            state,
            server,
            thread: Some(thread),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    /// Every request so far, in order.
    pub fn calls(&self) -> Vec<Call> {
        self.state().log.clone()
    }

    /// The requests for `op`.
    pub fn calls_of(&self, op: &str) -> Vec<Call> {
        self.calls().into_iter().filter(|c| c.op == op).collect()
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
