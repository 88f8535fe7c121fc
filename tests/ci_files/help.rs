//! keyblast's `--help`, read into its flags and their possible values.

use super::{keyblast, run_in};
use std::collections::BTreeMap;

#[derive(Debug, Default, Clone)]
pub(super) struct Flag {
    pub(super) takes_value: bool,
    pub(super) values: Vec<String>,
}

#[derive(Debug, Default)]
pub(super) struct Help {
    /// `--long` and `-s` names, both mapping to the same spec.
    pub(super) flags: BTreeMap<String, Flag>,
}

/// Parses clap's `--help` (long and compact layouts): flag lines start with two spaces and
/// `-s, --long` or six spaces and `--long`; `[possible values: a, b]` (perhaps wrapped) or a
/// `Possible values:` list of `- value[: text]` lines follow in the flag's block.
fn parse_help(text: &str) -> Help {
    let mut help = Help::default();
    let mut blocks: Vec<(Vec<String>, bool, Vec<String>)> = Vec::new();
    for line in text.lines() {
        let flag_line = line
            .strip_prefix("  -")
            .filter(|r| r.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
            .map(|_| &line[2..])
            .or_else(|| line.strip_prefix("      --").map(|_| &line[6..]));
        if let Some(spec) = flag_line {
            let head = spec.split("  ").next().unwrap();
            let names: Vec<String> = head
                .split([',', ' '])
                .filter(|w| w.starts_with('-'))
                .map(String::from)
                .collect();
            let takes_value = head.contains('<');
            blocks.push((names, takes_value, vec![spec.to_string()]));
        } else if let Some(b) = blocks.last_mut() {
            b.2.push(line.to_string());
        }
    }
    for (names, takes_value, lines) in blocks {
        let joined = lines.join(" ");
        let mut values = Vec::new();
        if let Some(i) = joined.find("[possible values: ") {
            let rest = &joined[i + "[possible values: ".len()..];
            let end = rest.find(']').unwrap();
            values.extend(
                rest[..end]
                    .split(',')
                    .map(|v| v.split_whitespace().collect::<String>()),
            );
        }
        let mut in_list = false;
        for l in &lines {
            let t = l.trim();
            if t == "Possible values:" {
                in_list = true;
            } else if in_list {
                match t.strip_prefix("- ") {
                    Some(v) => values.push(v.split(':').next().unwrap().trim().to_string()),
                    None => in_list = false,
                }
            }
        }
        let flag = Flag {
            takes_value,
            values,
        };
        for n in names {
            help.flags.insert(n, flag.clone());
        }
    }
    help
}

const SUBCOMMANDS: [&str; 7] = [
    "",
    "analyze",
    "discover",
    "comment github",
    "comment gitlab",
    "comment bitbucket",
    "comment azure-devops",
];

/// The `--help` of keyblast and of each subcommand, by subcommand (`""` for the top level).
pub(super) fn helps() -> BTreeMap<String, Help> {
    SUBCOMMANDS
        .iter()
        .map(|sub| {
            let mut args: Vec<&str> = sub.split(' ').filter(|a| !a.is_empty()).collect();
            args.push("--help");
            let r = run_in(&std::env::temp_dir(), keyblast(), &args, &BTreeMap::new());
            assert_eq!(r.code, 0, "keyblast {sub} --help: {}", r.stderr);
            let h = parse_help(&r.stdout);
            assert!(
                h.flags.contains_key("--help"),
                "{sub}: parsed {:?}",
                h.flags.keys()
            );
            (sub.to_string(), h)
        })
        .collect()
}
