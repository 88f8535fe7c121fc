#![no_main]
//! See `keyblast_fuzz::html_escaper` for what it checks.

libfuzzer_sys::fuzz_target!(|data: &[u8]| keyblast_fuzz::html_escaper(data));
