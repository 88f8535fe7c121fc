//! A real AWS emulator for the discovery tests: moto's server on a free loopback port,
//! started per test and stopped when dropped. scripts/test installs it into a virtualenv.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Moto {
    child: Child,
    pub endpoint: String,
}

/// Where moto_server is: $KEYBLAST_MOTO_SERVER, the virtualenv scripts/test makes, or PATH.
fn moto_server() -> PathBuf {
    if let Some(p) = std::env::var_os("KEYBLAST_MOTO_SERVER") {
        return p.into();
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(|| PathBuf::from("/tmp"));
    let venv = cache.join("keyblast/moto-venv/bin/moto_server");
    if venv.exists() {
        venv
    } else {
        PathBuf::from("moto_server")
    }
}

impl Moto {
    pub fn start() -> Moto {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(moto_server())
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start moto_server ({e}): run scripts/test, which installs moto[server]==5.2.5"));
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "moto_server did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Moto {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        }
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port nothing listens on.
pub fn dead_endpoint() -> String {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("http://127.0.0.1:{port}")
}

/// An endpoint on loopback that refuses every call at once (403, no body): discovery finishes
/// in a moment, incomplete, with every call's error recorded — where a test needs a discovery
/// run but not its findings (a dead endpoint is retried with backoff for many seconds).
pub struct Refusing {
    server: std::sync::Arc<tiny_http::Server>,
    pub endpoint: String,
}

impl Refusing {
    pub fn start() -> Refusing {
        let server = std::sync::Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let endpoint = format!("http://{}", server.server_addr());
        let serving = server.clone();
        std::thread::spawn(move || {
            for request in serving.incoming_requests() {
                let _ = request.respond(tiny_http::Response::empty(403));
            }
        });
        Refusing { server, endpoint }
    }
}

impl Drop for Refusing {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

/// Environment for running keyblast against the emulator: static test credentials, a home
/// without AWS config, and IMDS disabled (it would leave loopback).
pub fn aws_env(cmd: &mut Command) -> &mut Command {
    let home = std::env::temp_dir().join(format!("keyblast-test-home-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_REGION", "us-east-1")
}

/// Creates an IAM role in moto through the IAM query API (keyblast itself never writes to
/// IAM, so the tests do not pull in the IAM SDK for this one call).
pub fn create_role(endpoint: &str, name: &str) {
    use std::io::{Read, Write};
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let enc: String = policy
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let body = format!(
        "Action=CreateRole&Version=2010-05-08&RoleName={name}&AssumeRolePolicyDocument={enc}"
    );
    let host = endpoint.trim_start_matches("http://");
    let mut s = TcpStream::connect(host).unwrap();
    write!(
        s,
        "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\nAuthorization: AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    assert!(
        resp.starts_with("HTTP/1.1 200"),
        "CreateRole failed: {resp}"
    );
}
