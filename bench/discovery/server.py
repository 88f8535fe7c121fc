"""moto's server for the discovery benchmark, on 127.0.0.1 only, wrapped in a small WSGI
middleware that adds what the benchmark needs:

- Latency: each request sleeps DELAY ms before moto sees it. The sleep happens in the request's
  own werkzeug thread, outside moto's dispatch (moto takes its lock only to pick the backend,
  after the sleep) and with the GIL released, so delayed requests overlap the way network round
  trips do, while moto still computes one answer at a time (one Python core), as it always does.
- Counting: every request is counted per operation (`kms:ListKeys`, `s3:GetBucketLocation`).
- Control, outside AWS's namespace: GET /__bench/calls (the counts, and the CPU time moto's
  process has used: moto computes one answer at a time, so the CPU it spends during a walk is
  a floor under that walk's wall time), POST /__bench/reset, POST /__bench/delay?ms=N.
- GetEbsDefaultKmsKeyId, which moto 5.2.5 does not implement (it answers 500, and every client
  retries that for seconds with randomised backoff), is answered as AWS answers an account that
  never set a default EBS key: `alias/aws/ebs`.
- --aws-paging: two documented AWS behaviours moto 5.2.5 lacks, so call counts are AWS's:
  DescribeParameters honours MaxResults (1 to 50; moto always pages by 10), and ListBuckets
  says each bucket's BucketRegion when the request carries a parameter (MaxBuckets, Prefix,
  ContinuationToken, BucketRegion; moto never says it).

Usage: python server.py PORT [--aws-paging]
"""

import io
import json
import sys
import threading
import time
import urllib.parse

from werkzeug.serving import run_simple

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)

JSON_TARGETS = {
    "TrentService": "kms",
    "Logs_20140328": "logs",
    "AmazonSSM": "ssm",
}


def operation(environ, body):
    """`service:Operation` of a request, as far as the benchmark's calls go."""
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        prefix, _, op = target.partition(".")
        return f"{JSON_TARGETS.get(prefix, prefix)}:{op}"
    path = environ.get("PATH_INFO", "")
    query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    if path.startswith("/2015-03-31/functions"):
        return "lambda:ListFunctions"
    form = urllib.parse.parse_qs(body.decode("utf-8", "replace")) if body else {}
    if "Action" in form:
        auth = environ.get("HTTP_AUTHORIZATION", "")
        scope = auth.split("Credential=")[1].split("/") if "Credential=" in auth else []
        service = scope[3] if len(scope) > 3 else "query"
        return f"{service}:{form['Action'][0]}"
    if path.strip("/") == "":
        return "s3:ListBuckets"
    for sub, op in (("location", "GetBucketLocation"), ("encryption", "GetBucketEncryption")):
        if sub in query:
            return f"s3:{op}"
    return f"s3:{environ.get('REQUEST_METHOD')} {path.split('/')[1] if '/' in path else path}"


class Bench:
    """The middleware: delay, count, control."""

    def __init__(self, app):
        self.app = app
        self.delay = 0.0
        self.calls = {}
        self.lock = threading.Lock()

    def control(self, environ, start_response):
        path = environ["PATH_INFO"]
        query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        if path == "/__bench/delay":
            self.delay = float(query["ms"][0]) / 1000.0
        elif path == "/__bench/reset":
            with self.lock:
                self.calls = {}
        with self.lock:
            body = json.dumps({"delay_ms": self.delay * 1000, "calls": self.calls,
                               "cpu_seconds": time.process_time()}).encode()
        start_response("200 OK", [("Content-Type", "application/json"),
                                  ("Content-Length", str(len(body)))])
        return [body]

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith("/__bench/"):
            return self.control(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        op = operation(environ, body)
        with self.lock:
            self.calls[op] = self.calls.get(op, 0) + 1
        if self.delay:
            time.sleep(self.delay)  # releases the GIL; moto's lock is not held here
        if op == "ec2:GetEbsDefaultKmsKeyId":
            return ebs_default_key(start_response)
        return self.app(environ, start_response)


def ebs_default_key(start_response):
    """GetEbsDefaultKmsKeyId as AWS answers it for an account that never set one. moto 5.2.5
    does not implement it and answers 500, which every client retries with randomised backoff:
    seconds of sleeping that would swamp the comparison."""
    body = (b'<?xml version="1.0" encoding="UTF-8"?>\n<GetEbsDefaultKmsKeyIdResponse '
            b'xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>bench</requestId>'
            b'<kmsKeyId>alias/aws/ebs</kmsKeyId></GetEbsDefaultKmsKeyIdResponse>')
    start_response("200 OK", [("Content-Type", "text/xml"), ("Content-Length", str(len(body)))])
    return [body]


def aws_paging():
    """DescribeParameters honours MaxResults; ListBuckets with a parameter says BucketRegion."""
    from moto.s3.responses import S3Response
    from moto.ssm.responses import SimpleSystemManagerResponse
    from moto.core.responses import ActionResult

    def describe_parameters(self):
        page = min(max(int(self._get_param("MaxResults") or 10), 1), 50)
        start = int((self._get_param("NextToken") or "0").strip() or 0)
        found = self.ssm_backend.describe_parameters(
            self._get_param("Filters"), self._get_param("ParameterFilters"))
        chunk = found[start:start + page]
        response = {"Parameters": [p.describe_response_object(False) for p in chunk]}
        if start + page < len(found):
            response["NextToken"] = str(start + page)
        return ActionResult(response)

    stock_all_buckets = S3Response.all_buckets

    def all_buckets(self):
        status, headers, body = stock_all_buckets(self)
        params = ("max-buckets", "prefix", "continuation-token", "bucket-region")
        if not any(self._get_param(p) is not None for p in params):
            return status, headers, body
        for name, bucket in self.backend.buckets.items():
            tag = f"<Name>{name}</Name>"
            region = f"<BucketRegion>{bucket.region_name}</BucketRegion>"
            body = body.replace(tag, tag + region, 1)
        return status, headers, body

    SimpleSystemManagerResponse.describe_parameters = describe_parameters
    S3Response.all_buckets = all_buckets


def main():
    port = int(sys.argv[1])
    if "--aws-paging" in sys.argv[2:]:
        aws_paging()
    app = Bench(DomainDispatcherApplication(create_backend_app))
    run_simple("127.0.0.1", port, app, threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
