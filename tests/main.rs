//! keyblast's integration tests, compiled into one binary (one module per concern).

/// Helpers shared by the test modules: building plans in memory, running the CLI.
mod common;

/// The shape of the code: AWS types only in the catalog; a library without hidden I/O.
mod architecture;
/// Exact blast radii of key satellites (key policies, grants, aliases) and deposed objects.
mod blast_exact;
/// Outputs stay bounded: human formats capped per change, JSON linear, exports linear.
mod bounded_outputs;
/// The HTML report in headless Chromium: loads with no script error (KEYBLAST_SKIP_BROWSER=1 skips).
mod browser;
/// The CI files (action.yml and its scripts, the GitHub, GitLab, Bitbucket and Azure examples):
/// they parse, every keyblast flag they use exists, the scripts run for real on loopback.
mod ci_files;
/// The command line: flags, exit codes, several plans, output files.
mod cli;
/// The PR comment bot against stand-in platform APIs on loopback (every behaviour, error, limit).
mod comment;
/// Live discovery against moto: exact dependents, replay, failures.
mod discovery;
/// Every real-world plan in tests/fixtures/real loads; the oddities are read or refused; no
/// test reads anything outside the repository.
mod fixtures_real;
/// `for_each`, `count` and module-instance references resolved to the instance they name.
mod for_each;
/// The fuzz targets' checks (fuzz/src/checks.rs), shared so the corpus replays on stable.
#[path = "../fuzz/src/checks.rs"]
mod fuzz_checks;
/// The fuzz corpus and every regression found, replayed through the same checks.
mod fuzz_replay;
/// The PR comment as GitHub renders it, and everything in it keyblast did not put there.
mod github;
/// Every edge kind, from values and from configuration references.
mod graph_edges;
/// Hostile input: every hostile case with its expected exit status and message, in one table
/// (tests/hostile/cases.rs; files in tests/hostile/corpus/ and cases built in code): named
/// pipes, endless inputs, standard input, hostile file names, huge strings, deep plans,
/// secrets in old plans, links and invisible characters in plan text, huge names, policy storms.
mod hostile;
/// Hostile prose through the markdown escaper: nothing GitHub would act on, read as written.
mod hostile_output;
/// Property tests with hostile plans: no panic, the same report twice, no marked value shown,
/// nothing in the comment keyblast did not write.
mod hostile_props;
/// `--format html`: contents, snapshots, escaping of hostile input, no sensitive values.
mod html;
/// Hostile plan text (markup, quotes, `javascript:` URLs) never reaches the HTML unescaped.
mod html_escape;
/// Saved live inventories joined to plans.
mod inventory;
/// The JSON report as written: compact, one node table, linear size; deposed objects.
mod json_schema;
/// Every way of naming a key resolves to one key.
mod key_identity;
/// The HTML report's graph layout (no overlaps, deterministic, cycles) and its node cap.
mod layout;
/// Plan and live meet at one node per real resource, whatever the inventory order.
mod live_merge;
/// Live placeholders upgraded in any order; live edges of changed plan resources.
mod live_order;
/// Malformed plans (wrong types, duplicates, unknown actions): exit 2 naming path and expectation.
mod malformed;
/// The pull-request comment (markdown).
mod markdown;
/// A moto server on loopback for the discovery tests.
mod moto;
/// Property tests over key-policy pairs: losses are high, unreadable is never low, determinism.
mod policy_props;
/// Key-policy semantics end to end: unknown members, Resource, decided conditions, NotPrincipal.
mod policy_semantics;
/// Possible dependents: in blast radii, rule messages and every format.
mod possible;
/// Every rule fires where it should, and only there.
mod rules;
/// The trust cases on real plans: risk, finding and exact blast radius.
mod sample_cases;
/// The bundled sample plans, with their reports pinned as snapshots.
mod samples;
/// Sensitive values never reach any output.
mod sensitive;
/// Sensitive values are judged (settings, key references, whole resources) and shown nowhere.
mod sensitive_judged;
/// What findings are about, as data: resources, principals, accounts (never a sensitive one).
mod subjects;
/// Unusable input: exit 2 with one clear line naming the file.
mod unusable_input;
/// Dangerous changes are never scored low (unreadable and new policies, keys created disabled).
mod verdicts;
