#![no_main]
//! See `keyblast_fuzz::policy_parser` for what it checks.

libfuzzer_sys::fuzz_target!(|data: &[u8]| keyblast_fuzz::policy_parser(data));
