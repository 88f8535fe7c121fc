//! The `keyblast` binary: run the CLI, exit with its status.

use std::io::IsTerminal;

/// mimalloc instead of glibc's malloc: a large plan is millions of small values, allocated
/// while parsing and freed after the analysis (measured in bench/: see docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let term = keyblast::cli::Terminal {
        stdout_is_tty: std::io::stdout().is_terminal(),
        stderr_is_tty: std::io::stderr().is_terminal(),
        no_color_env: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
    };
    let code = keyblast::cli::run(
        std::env::args_os(),
        term,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    std::process::exit(code);
}
