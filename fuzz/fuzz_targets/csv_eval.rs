//! `cargo +nightly fuzz run csv_eval`: see `rubric_fuzz::csv_eval`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rubric_fuzz::csv_eval(data));
