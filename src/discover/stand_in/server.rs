//! The stand-in's HTTP server: tiny_http on 127.0.0.1:0, each request served in a thread of its
//! own (so concurrent calls overlap, and the most in flight at once is measured), decoded by
//! the protocol it speaks, answered, faults first, and recorded.

use super::{kms, s3, ssm, Call, Faults, Protocol, Reply, Request, World};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

struct State {
    world: World,
    faults: Faults,
    seen: BTreeMap<String, usize>,
    log: Vec<Call>,
    in_flight: usize,
    most_in_flight: usize,
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
            in_flight: 0,
            most_in_flight: 0,
        }));
        let (srv, st, base) = (server.clone(), state.clone(), endpoint.clone());
        let thread = std::thread::spawn(move || {
            for rq in srv.incoming_requests() {
                let (st, base) = (st.clone(), base.clone());
                std::thread::spawn(move || serve(rq, &st, &base));
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

    /// The most requests that were in flight at once.
    pub fn most_in_flight(&self) -> usize {
        self.state().most_in_flight
    }

    /// The requests for `op`.
    pub fn calls_of(&self, op: &str) -> Vec<Call> {
        self.calls().into_iter().filter(|c| c.op == op).collect()
    }
}

/// Answers one request.
fn serve(mut rq: tiny_http::Request, st: &Mutex<State>, base: &str) {
    let latency = {
        let mut g = st.lock().unwrap();
        g.in_flight += 1;
        g.most_in_flight = g.most_in_flight.max(g.in_flight);
        g.faults.latency
    };
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
    if let Some(l) = latency {
        std::thread::sleep(l);
    }
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
        g.in_flight -= 1;
        reply
    };
    let content_type = tiny_http::Header::from_bytes("Content-Type", reply.content_type).unwrap();
    let resp = tiny_http::Response::from_string(reply.body)
        .with_status_code(reply.status)
        .with_header(content_type);
    let _ = rq.respond(resp);
}

impl Drop for StandIn {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
