"""The discovery benchmark: keyblast discover against a sequential boto3 walk of the same moto
account, on plain loopback and with 20 ms added to every request; wall time (median of --reps
runs) and calls (counted by the server). See README.md. Only 127.0.0.1 is used.

Usage: python bench.py KEYBLAST [--reps N] [--variant stock|aws|both] [--latency MS]
                                [--write README.md] [--scale F] [--concurrency N]
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
PY = sys.executable
MARK_START, MARK_END = "<!-- discovery:start -->", "<!-- discovery:end -->"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env(home):
    """Test credentials, a home without AWS config, no instance metadata (it would leave
    loopback)."""
    return {"PATH": os.environ.get("PATH", ""), "HOME": home, "AWS_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_EC2_METADATA_DISABLED": "true"}


class Server:
    def __init__(self, aws_paging, home):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        args = [PY, os.path.join(HERE, "server.py"), str(self.port)]
        if aws_paging:
            args.append("--aws-paging")
        self.proc = subprocess.Popen(args, env=env(home), stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            try:
                self.control("calls", "GET")
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("moto did not start")
                time.sleep(0.2)

    def control(self, what, method="POST"):
        rq = urllib.request.Request(f"{self.endpoint}/__bench/{what}", method=method)
        with urllib.request.urlopen(rq, timeout=30) as r:
            return json.load(r)

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def keyblast_found(path):
    inv = json.load(open(path))
    by_type = {}
    for r in inv["resources"]:
        by_type[r["type"]] = by_type.get(r["type"], 0) + 1
    return {"keys": len(inv["keys"]), "buckets": by_type.get("aws_s3_bucket", 0),
            "log_groups": by_type.get("aws_cloudwatch_log_group", 0),
            "parameters": by_type.get("aws_ssm_parameter", 0),
            "functions": by_type.get("aws_lambda_function", 0),
            "volumes": by_type.get("aws_ebs_volume", 0)}


def run_once(walker, server, keyblasts, home):
    """One run: (seconds, calls, found, moto's CPU seconds)."""
    cpu = server.control("reset")["cpu_seconds"]
    out = os.path.join(home, "inventory.json")
    if walker in keyblasts:
        binary, concurrency = keyblasts[walker]
        cmd = [binary, "discover", "--endpoint-url", server.endpoint, "--region", "us-east-1",
               "--output", out, "--quiet"]
        if concurrency:
            cmd += ["--concurrency", str(concurrency)]
    else:
        cmd = [PY, os.path.join(HERE, "walk.py"), server.endpoint]
        if walker == "sequential, keyblast's calls":
            cmd.append("--lean")
    start = time.monotonic()
    done = subprocess.run(cmd, env=env(home), capture_output=True, text=True)
    seconds = time.monotonic() - start
    if walker in keyblasts:
        if done.returncode != 0:
            raise SystemExit(f"keyblast failed: {done.stderr}")
        found = keyblast_found(out)
        errors = json.load(open(out)).get("errors", [])
        if errors:
            raise SystemExit(f"keyblast's discovery was incomplete: {errors}")
    else:
        if done.returncode != 0:
            raise SystemExit(f"walk failed: {done.stderr}")
        found = json.loads(done.stdout)
    after = server.control("calls", "GET")
    return seconds, after["calls"], found, after["cpu_seconds"] - cpu


def measure(server, keyblasts, home, walkers, latencies, reps, expected):
    rows = []
    for ms in latencies:
        server.control(f"delay?ms={ms}")
        for walker in walkers:
            times, cpus, calls = [], [], None
            for _ in range(reps):
                seconds, calls, found, cpu = run_once(walker, server, keyblasts, home)
                missing = {k: (found.get(k), v) for k, v in expected.items()
                           if found.get(k) != v}
                if missing:
                    raise SystemExit(f"{walker} found the wrong counts: {missing}")
                times.append(seconds)
                cpus.append(cpu)
                print(f"  {ms:>2} ms  {walker:<30} {seconds:7.2f} s  {sum(calls.values())} calls"
                      f"  moto cpu {cpu:.2f} s", file=sys.stderr)
            rows.append({"latency_ms": ms, "walker": walker, "seconds": statistics.median(times),
                         "moto_cpu": statistics.median(cpus), "calls": calls})
            print(f"     calls: {json.dumps(calls, sort_keys=True)}", file=sys.stderr)
    return rows


def table(variant_rows):
    lines = ["| moto | latency | walker | calls | wall time (median) | moto's CPU | vs sequential |",
             "|---|---|---|---|---|---|---|"]
    for variant, rows in variant_rows:
        for r in rows:
            base = next(b for b in rows if b["latency_ms"] == r["latency_ms"]
                        and b["walker"] == "sequential")
            ratio = base["seconds"] / r["seconds"]
            lines.append(f"| {variant} | {r['latency_ms']} ms | {r['walker']} | "
                         f"{sum(r['calls'].values()):,} | {r['seconds']:.2f} s | "
                         f"{r['moto_cpu']:.2f} s | {ratio:.1f}x |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("keyblast")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--variant", choices=["stock", "aws", "both"], default="both")
    ap.add_argument("--latency", type=int, default=20)
    ap.add_argument("--write", help="README to write the table into (between its markers)")
    ap.add_argument("--scale", type=float, default=1.0, help="seed fewer (a smoke test)")
    ap.add_argument("--concurrency", type=int, help="keyblast's --concurrency (default: its own)")
    ap.add_argument("--extra", action="append", default=[], metavar="LABEL=PATH[@N]",
                    help="another keyblast binary (and --concurrency) to compare")
    args = ap.parse_args()
    variants = {"stock": [("stock 5.2.5", False)], "aws": [("AWS paging", True)],
                "both": [("stock 5.2.5", False), ("AWS paging", True)]}[args.variant]
    load_before = os.getloadavg()
    results = []
    with tempfile.TemporaryDirectory(prefix="keyblast-bench-") as home:
        for name, aws_paging in variants:
            print(f"{name}: starting moto, seeding", file=sys.stderr)
            server = Server(aws_paging, home)
            try:
                t = time.monotonic()
                seeded = subprocess.run([PY, os.path.join(HERE, "seed.py"), server.endpoint,
                                         str(args.scale)],
                                        env=env(home), check=True, capture_output=True, text=True)
                expected = json.loads(seeded.stdout)
                print(f"  seeded in {time.monotonic() - t:.0f} s: {expected}", file=sys.stderr)
                keyblasts = {"keyblast": (args.keyblast, args.concurrency)}
                for e in args.extra:
                    label, _, spec = e.partition("=")
                    path, _, n = spec.partition("@")
                    keyblasts[label] = (path, int(n) if n else None)
                walkers = ["sequential", *keyblasts]
                if aws_paging:
                    walkers.insert(1, "sequential, keyblast's calls")
                rows = measure(server, keyblasts, home, walkers, [0, args.latency],
                               args.reps, expected)
            finally:
                server.stop()
            results.append((name, rows))
    load_after = os.getloadavg()
    out = table(results)
    note = (f"\n\n{os.cpu_count()} cores; load average {load_before[0]:.1f} before, "
            f"{load_after[0]:.1f} after; {args.reps} runs each.\n")
    print(out + note)
    if args.write:
        text = open(args.write).read()
        a, b = text.index(MARK_START) + len(MARK_START), text.index(MARK_END)
        open(args.write, "w").write(text[:a] + "\n" + out + note + text[b:])


if __name__ == "__main__":
    main()
