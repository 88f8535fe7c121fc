//! S3's REST-XML protocol, path-style (`GET /`, `GET /BUCKET?location`, `GET /BUCKET?encryption`;
//! XML answers; errors as `<Error><Code>…</Code><Message>…</Message></Error>` with an HTTP
//! status), for the operations discovery calls. As AWS documents, ListBuckets says each
//! bucket's `BucketRegion` only when the request carries a parameter (`max-buckets`, ...).

use super::{Faults, Protocol, Reply, Request, World};

pub struct S3;

const XML: &str = "application/xml";
const NS: &str = "http://s3.amazonaws.com/doc/2006-03-01/";

fn error(status: u16, code: &str, message: &str) -> Reply {
    Reply {
        status,
        content_type: XML,
        body: format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message><RequestId>stand-in</RequestId></Error>"
        ),
    }
}

fn ok(body: String) -> Reply {
    Reply {
        status: 200,
        content_type: XML,
        body: format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{body}"),
    }
}

impl Protocol for S3 {
    fn decode(&self, _: Option<&str>, url: &reqwest::Url, _: &str) -> Request {
        let query: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let bucket = url
            .path_segments()
            .and_then(|mut s| s.next())
            .filter(|b| !b.is_empty())
            .map(str::to_string);
        let has = |k: &str| query.iter().any(|(q, _)| q == k);
        let op = match &bucket {
            None => "ListBuckets",
            Some(_) if has("location") => "GetBucketLocation",
            Some(_) if has("encryption") => "GetBucketEncryption",
            Some(_) => "Unknown",
        };
        Request {
            op: op.into(),
            resource: bucket,
            params: query,
        }
    }

    fn throttled(&self) -> Reply {
        error(503, "SlowDown", "Please reduce your request rate.")
    }

    fn denied(&self, _: &Request) -> Reply {
        error(403, "AccessDenied", "Access Denied")
    }

    fn answer(&self, world: &World, _: &Faults, rq: &Request) -> Reply {
        if rq.op == "ListBuckets" {
            let asked = [
                "max-buckets",
                "prefix",
                "continuation-token",
                "bucket-region",
            ];
            let with_region = rq.params.iter().any(|(k, _)| asked.contains(&k.as_str()));
            let buckets: String = world
                .buckets
                .iter()
                .map(|b| {
                    let region = match with_region && b.listed_region {
                        true => format!("<BucketRegion>{}</BucketRegion>", b.region),
                        false => String::new(),
                    };
                    format!(
                        "<Bucket><Name>{}</Name><CreationDate>2024-01-01T00:00:00.000Z</CreationDate>{region}</Bucket>",
                        b.name
                    )
                })
                .collect();
            return ok(format!(
                "<ListAllMyBucketsResult xmlns=\"{NS}\"><Owner><ID>stand-in</ID></Owner><Buckets>{buckets}</Buckets></ListAllMyBucketsResult>"
            ));
        }
        let name = rq.resource.as_deref().unwrap_or_default();
        let Some(b) = world.buckets.iter().find(|b| b.name == name) else {
            return error(404, "NoSuchBucket", "The specified bucket does not exist");
        };
        match (rq.op.as_str(), b.key) {
            ("GetBucketLocation", _) => {
                // us-east-1 is the empty constraint
                let c = if b.region == "us-east-1" { "" } else { b.region };
                ok(format!(
                    "<LocationConstraint xmlns=\"{NS}\">{c}</LocationConstraint>"
                ))
            }
            ("GetBucketEncryption", Some(key)) => ok(format!(
                "<ServerSideEncryptionConfiguration xmlns=\"{NS}\"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>{key}</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>"
            )),
            ("GetBucketEncryption", None) => error(
                404,
                "ServerSideEncryptionConfigurationNotFoundError",
                "The server side encryption configuration was not found",
            ),
            (op, _) => error(
                501,
                "NotImplemented",
                &format!("the stand-in does not answer {op}"),
            ),
        }
    }
}
