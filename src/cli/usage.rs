//! clap's usage errors, with the arguments they quote made safe to show.
//!
//! clap quotes the offending argument as it was given (`invalid value 'x' for '--format'`),
//! newlines included, so an argument could forge lines of the error. Its own text spans lines
//! (usage, tips), so the lines cannot simply be joined. Instead the arguments are escaped and
//! cut ([`crate::quote::text`]) and parsed again: the same mistake, the same error, now
//! quoting the escaped argument. If the escaped arguments do not give the same error (an
//! argument that was not valid UTF-8 and now is), only the kind of error is said.

use crate::quote;
use clap::Parser;
use std::ffi::OsString;

/// The text of a usage error `e` that parsing `argv` as `P` gave.
pub fn render<P: Parser>(e: &clap::Error, argv: &[OsString]) -> String {
    let unsafe_arg = |a: &OsString| {
        let s = a.to_string_lossy();
        quote::text(&s) != s
    };
    if !argv.iter().any(unsafe_arg) {
        return e.render().to_string();
    }
    let shown: Vec<OsString> = argv
        .iter()
        .map(|a| OsString::from(quote::text(&a.to_string_lossy())))
        .collect();
    match P::try_parse_from(shown) {
        Err(again) if again.kind() == e.kind() => again.render().to_string(),
        _ => format!(
            "error: {}\n\nFor more information, try '--help'.\n",
            e.kind().as_str().unwrap_or("the arguments are not valid")
        ),
    }
}
