//! A stand-in for KMS and S3 on loopback (tiny_http on 127.0.0.1:0) for the fault tests: it
//! speaks just enough of the KMS and SSM JSON protocols ([`kms`], [`ssm`]) and of the S3
//! REST-XML protocol ([`s3`]) for discovery, and produces what an emulator cannot: a pagination loop (ListKeys
//! returning the same marker forever), a throttling storm, and AccessDenied on chosen
//! resources. The SDK talks to it over real HTTP, so its signing, error parsing and standard
//! retries (backoff included) run as they do against AWS. Every request is recorded.

mod json_api;
mod kms;
mod run;
mod s3;
mod server;
mod ssm;

pub use run::run;
pub use server::StandIn;

use std::time::Duration;

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
    /// Each answer waits this long (requests are served concurrently, each in its thread).
    pub latency: Option<Duration>,
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

/// Which protocol a request speaks, and how it answers a fault.
trait Protocol {
    fn decode(&self, target: Option<&str>, url: &reqwest::Url, body: &str) -> Request;
    fn throttled(&self) -> Reply;
    fn denied(&self, rq: &Request) -> Reply;
    fn answer(&self, world: &World, faults: &Faults, rq: &Request) -> Reply;
}
