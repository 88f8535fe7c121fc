#!/usr/bin/env python3
"""Turns the raw measurements of one bench/run.sh run into markdown.

usage: bench/report.py RESULTS_DIR                 (the full report, to stdout)
       bench/report.py --readme RESULTS_DIR README  (rewrite README's Performance section
                                                     between <!-- bench:start --> and
                                                     <!-- bench:end -->)

RESULTS_DIR is what bench/run.sh wrote (bench/.data/results/<time>/): machine.txt,
peers.txt, plans.txt, hyperfine-N.json, time-N-*.txt (`/usr/bin/time -v`), out-N.* (outputs).
Standard library only.
"""
import glob
import json
import os
import re
import sys

FORMATS = ["json", "text", "markdown", "html"]
# the targets (issue 10), judged at the reference size
REF_N = 50000
TARGETS = {"json_vs_load": 0.5, "json_vs_load_stretch": 0.2, "growth4": 5.0, "rss": 3.0,
           "rss_stretch": 1.5, "json_out": 1.0, "html_bytes": 10e6, "html_ready_ms": 2000}
DIR = None  # the results directory being reported


def analysis_items(d, n):
    """Nodes, changes, findings and blast-radius entries of the JSON report of size n."""
    path = os.path.join(d, f"out-{n}.json")
    if not os.path.exists(path):
        return None
    r = json.load(open(path))
    changes = r.get("changes", [])
    return (len(r.get("nodes", [])) + len(changes)
            + sum(len(c.get("findings", [])) + len(c.get("blast_radius", [])) for c in changes))


def html_ready(d, n):
    """The page's own `data-keyblast-ready-ms` of each Chromium load (html-ready-N.txt)."""
    path = os.path.join(d, f"html-ready-{n}.txt")
    if not os.path.exists(path):
        return []
    return [int(x) for x in open(path).read().split() if x.isdigit()]


def kv(path):
    out = {}
    if os.path.exists(path):
        for line in open(path):
            k, _, v = line.rstrip("\n").partition(" ")
            out[k] = v
    return out


def mb(b):
    if b < 1e6:
        return f"{b / 1e3:.0f} KB"
    return f"{b / 1e6:.1f} MB" if b < 1e9 else f"{b / 1e9:.2f} GB"


def secs(t):
    return f"{t:.2f} s" if t < 10 else f"{t:.1f} s"


def ratio(x):
    if x < 0.01:
        return f"{x:.4f}x"
    return f"{x:.2f}x" if x < 10 else f"{x:.1f}x"


def n_label(n):
    return f"{n / 1000:g}k"


def load(d):
    """{n: {"bytes": plan bytes, "cmds": {name: {median, min, max, runs, rss, out}}}}."""
    sizes = {}
    for line in open(os.path.join(d, "plans.txt")):
        n, b = line.split()
        sizes[int(n)] = {"bytes": int(b), "cmds": {}}
    for n, s in sizes.items():
        hf = json.load(open(os.path.join(d, f"hyperfine-{n}.json")))
        for r in hf["results"]:
            s["cmds"][r["command"]] = {"median": r["median"], "min": r["min"], "max": r["max"],
                                       "cpu": r["user"] + r["system"], "runs": len(r["times"]),
                                       "rss": None, "out": None}
        for tf in glob.glob(os.path.join(d, f"time-{n}-*.txt")):
            slug = tf[len(os.path.join(d, f"time-{n}-")):-4]
            name = open(os.path.join(d, f"name-{n}-{slug}.txt")).read().strip()
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(tf).read())
            c = s["cmds"].get(name)
            if c is None:
                continue
            c["rss"] = int(m.group(1)) * 1024 if m else None
            out = (os.path.join(d, f"out-{n}.{name.split()[1]}") if name.startswith("keyblast ")
                   else os.path.join(d, f"out-{n}.{slug}"))
            c["out"] = os.path.getsize(out) if os.path.exists(out) else None
    return sizes


def verdict(*oks):
    """met / not met; with two verdicts (wall time, CPU time) says which one holds."""
    oks = [o for o in oks if o is not None]
    if all(oks):
        return "**met**"
    if not any(oks):
        return "not met"
    return "met in CPU time only" if oks[-1] else "met in wall time only"


def targets_table(sizes):
    """The issue's targets, at REF_N (or the largest size measured), plus growth."""
    ns = sorted(sizes)
    ref = REF_N if REF_N in sizes else ns[-1]
    s = sizes[ref]
    c = s["cmds"]
    rows = []  # (target, wall time or size, CPU time, goal, verdict)
    pl = c.get("python json.load")
    kj = c.get("keyblast json")
    if pl and kj:
        r, rc = kj["median"] / pl["median"], kj["cpu"] / pl["cpu"]
        goal = TARGETS["json_vs_load"]
        rows.append((f"`--format json` time / Python `json.load` time ({n_label(ref)})", ratio(r), ratio(rc),
                     f"≤ {goal} (stretch {TARGETS['json_vs_load_stretch']})", verdict(r <= goal, rc <= goal)))
    small = [n for n in ns if n * 4 in sizes]
    for lo in small:
        hi = lo * 4
        for f in FORMATS:
            a, b = sizes[lo]["cmds"].get(f"keyblast {f}"), sizes[hi]["cmds"].get(f"keyblast {f}")
            if a and b:
                g, gc = b["median"] / a["median"], b["cpu"] / a["cpu"]
                goal = TARGETS["growth4"]
                rows.append((f"time growth {n_label(lo)} → {n_label(hi)} resources (4x), `--format {f}`",
                             ratio(g), ratio(gc), f"≤ {goal:g}x", verdict(g <= goal, gc <= goal)))
        a, b = sizes[lo]["cmds"].get("keyblast json"), sizes[hi]["cmds"].get("keyblast json")
        if a and b and a["out"] and b["out"]:
            # linear in the analysis: bytes per item (node, change, finding, blast-radius entry)
            ia, ib = analysis_items(DIR, lo), analysis_items(DIR, hi)
            if ia and ib:
                g = (b["out"] / ib) / (a["out"] / ia)
                rows.append((f"JSON bytes per analysis item (node, change, finding, blast entry), "
                             f"{n_label(hi)} / {n_label(lo)} ({ia:,} → {ib:,} items)", ratio(g), "",
                             "linear: ≈ 1x", verdict(g <= 1.25)))
    if not small:
        rows.append(("growth 4x resources", "not measured (needs two sizes 4x apart)", "", "≤ 5x", "–"))
    for f in FORMATS:
        k = c.get(f"keyblast {f}")
        if k and k["rss"]:
            r = k["rss"] / s["bytes"]
            rows.append((f"peak RSS / plan size, `--format {f}` ({n_label(ref)})", f"{ratio(r)} ({mb(k['rss'])})",
                         "", f"≤ {TARGETS['rss']:g}x (stretch {TARGETS['rss_stretch']:g}x)",
                         verdict(r <= TARGETS["rss"])))
    if kj and kj["out"] is not None:
        r = kj["out"] / s["bytes"]
        rows.append((f"JSON report size / plan size ({n_label(ref)})", f"{ratio(r)} ({mb(kj['out'])})", "",
                     "≤ 1x", verdict(r <= TARGETS["json_out"])))
    kh = c.get("keyblast html")
    if kh and kh["out"] is not None:
        rows.append((f"HTML page size ({n_label(ref)})", mb(kh["out"]), "", "< 10 MB",
                     verdict(kh["out"] < TARGETS["html_bytes"])))
    ready = html_ready(DIR, ref)
    if ready:
        med = sorted(ready)[len(ready) // 2]
        rows.append((f"HTML page interactive in headless Chromium ({n_label(ref)}; median of "
                     f"{len(ready)} loads, {min(ready)}–{max(ready)} ms)", f"{med / 1000:.2f} s", "",
                     "< 2 s", verdict(med < TARGETS["html_ready_ms"])))
    for peer in ("readtheplan analyze", "blastcheck --json"):
        p = c.get(peer)
        if p and kj:
            r, rc = kj["median"] / p["median"], kj["cpu"] / p["cpu"]
            rows.append((f"`--format json` time / {peer.split()[0]} time ({n_label(ref)})", ratio(r), ratio(rc),
                         "clearly < 1x", verdict(r < 1, rc < 1)))
    out = ["| target | measured (wall time, size) | in CPU time | goal | |", "|---|---|---|---|---|"]
    out += [f"| {a} | {b} | {cp} | {g} | {v} |" for a, b, cp, g, v in rows]
    return "\n".join(out)


def size_table(n, s):
    c = s["cmds"]
    load_t = c.get("python json.load", {}).get("median")
    runs = sorted({m["runs"] for m in c.values()})
    out = [f"### N = {n:,} resources ({mb(s['bytes'])} plan; {'/'.join(map(str, runs))} runs each)", "",
           "| command | median time | min – max | × json.load | MB/s | CPU time | peak RSS | RSS / plan | output | output / plan |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for name, m in c.items():
        rss = m["rss"]
        o = m["out"]
        out.append("| {} | {} | {} – {} | {} | {:.0f} | {} | {} | {} | {} | {} |".format(
            f"`{name}`" if not name.startswith("keyblast") else f"**`{name}`**",
            secs(m["median"]), secs(m["min"]), secs(m["max"]),
            ratio(m["median"] / load_t) if load_t else "–",
            s["bytes"] / 1e6 / m["median"], secs(m["cpu"]),
            mb(rss) if rss else "–", ratio(rss / s["bytes"]) if rss else "–",
            mb(o) if o else "–", ratio(o / s["bytes"]) if o else "–"))
    return "\n".join(out)


def growth_table(sizes):
    ns = sorted(sizes)
    if len(ns) < 2:
        return ""
    names = [k for k in sizes[ns[0]]["cmds"]]
    head = "| command | " + " | ".join(n_label(n) for n in ns) + " | " + \
        " | ".join(f"{n_label(b)} / {n_label(a)}" for a, b in zip(ns, ns[1:])) + " |"
    rule = "|---" * (1 + len(ns) + len(ns) - 1) + "|"
    out = []
    for what, field, fmt in (("Median wall time", "median", secs), ("CPU time (user + sys)", "cpu", secs),
                             ("Output size", "out", mb)):
        rows = []
        for name in names:
            vs = [sizes[n]["cmds"].get(name, {}).get(field) for n in ns]
            if not any(vs):
                continue
            cells = [fmt(v) if v else "–" for v in vs]
            rs = [ratio(b / a) if a and b else "–" for a, b in zip(vs, vs[1:])]
            rows.append(f"| `{name}` | " + " | ".join(cells + rs) + " |")
        out += [f"{what} by plan size, and the ratio between consecutive sizes:", "", head, rule] + rows + [""]
    return "\n".join(out).rstrip()


def machine_lines(m, peers):
    lines = [f"- Machine: {m.get('nproc', '?')} CPUs ({m.get('cpu', '?')}), {m.get('memory', '?')}, "
             f"{m.get('kernel', '?')}; load average {m.get('load_start', '?')} at the start, "
             f"{m.get('load_end', '?')} at the end (1, 5, 15 min): other builds share these cores, "
             "so absolute times are noisy; compare ratios.",
             f"- keyblast {m.get('keyblast', '?')}, release build, rustc {m.get('rustc', '?')}; "
             f"Python {m.get('python', '?')}, {m.get('jq', '?')}, hyperfine {m.get('hyperfine', '?')}.",
             "- Time: hyperfine median (no shell; outputs written: keyblast"
             " with `-o FILE`, the others to /dev/null); CPU time: mean user + sys; peak RSS: `/usr/bin/time -v`"
             " of one more run; MB/s: plan size / median wall time."]
    peer_bits = []
    for line in peers:
        name, status, *rest = line.split(" ", 2) + [""]
        rest = " ".join(rest).strip()
        if status == "ok":
            peer_bits.append(f"{name} {rest} (PyPI)")
        else:
            peer_bits.append(f"{name} not measured ({status}{': ' + rest if rest else ''})")
    if peer_bits:
        lines.append("- Peers: " + "; ".join(peer_bits) + ".")
    return lines


def full(d):
    sizes = load(d)
    m = kv(os.path.join(d, "machine.txt"))
    peers = [l.strip() for l in open(os.path.join(d, "peers.txt")) if l.strip()]
    out = ["# Benchmark results", "",
           f"Measured by `bench/run.sh{' --quick' if m.get('quick') == '1' else ''}` on {m.get('date', '?')}; "
           "plans from `bench/gen-plan.py` (deterministic for a given N). Targets: issue 10.", ""]
    out += machine_lines(m, peers)
    out += ["", "## Against the targets", "", targets_table(sizes), "", "## Measurements", ""]
    for n in sorted(sizes):
        out += [size_table(n, sizes[n]), ""]
    g = growth_table(sizes)
    if g:
        out += ["## Growth", "", g, ""]
    return "\n".join(out).rstrip() + "\n"


def readme_section(d):
    sizes = load(d)
    m = kv(os.path.join(d, "machine.txt"))
    ns = sorted(sizes)
    ref = REF_N if REF_N in sizes else ns[-1]
    lines = ["<!-- bench:start -->",
             f"Measured with `bench/run.sh` on {m.get('date', '?')} ({m.get('nproc', '?')} CPUs, "
             f"{m.get('cpu', '?')}, load {m.get('load_start', '?')}; keyblast {m.get('keyblast', '?')}). "
             "Absolute times vary by machine; the ratios are what the targets are stated in. "
             "Every size, the peers and the machine details: [bench/RESULTS.md](bench/RESULTS.md).", "",
             targets_table(sizes), "", size_table(ref, sizes[ref]), "<!-- bench:end -->"]
    return "\n".join(lines)


def main():
    global DIR
    args = sys.argv[1:]
    DIR = args[-2] if len(args) == 3 else args[-1] if args else None
    if len(args) == 1 and not args[0].startswith("-"):
        sys.stdout.write(full(args[0]))
    elif len(args) == 3 and args[0] == "--readme":
        text = open(args[2]).read()
        start, end = text.find("<!-- bench:start -->"), text.find("<!-- bench:end -->")
        if start < 0 or end < start:
            sys.exit(f"{args[2]}: no <!-- bench:start --> ... <!-- bench:end --> markers")
        text = text[:start] + readme_section(args[1]) + text[end + len("<!-- bench:end -->"):]
        open(args[2], "w").write(text)
    else:
        sys.exit(__doc__.split("\n\n")[1])


if __name__ == "__main__":
    main()
