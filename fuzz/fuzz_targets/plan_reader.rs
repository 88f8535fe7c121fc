#![no_main]
//! See `keyblast_fuzz::plan_reader` for what it checks.

libfuzzer_sys::fuzz_target!(|data: &[u8]| keyblast_fuzz::plan_reader(data));
