//! `cargo +nightly fuzz run check`: see `rubric_fuzz::check`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rubric_fuzz::check(data));
