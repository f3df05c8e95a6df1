//! `cargo +nightly fuzz run fmt_roundtrip`: see `rubric_fuzz::fmt_roundtrip`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rubric_fuzz::fmt_roundtrip(data));
