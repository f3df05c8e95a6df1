//! `cargo +nightly fuzz run parse`: see `rubric_fuzz::parse`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rubric_fuzz::parse(data));
