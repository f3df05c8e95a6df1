//! Stable-Rust driver for the fuzz targets: replays a corpus (every file of a
//! directory, recursively), then runs N random mutations of it (seeded, so a run can
//! be repeated) through the same target functions as `cargo fuzz`. A panic is caught,
//! the input is written to `fuzz/artifacts/TARGET/crash-N`, and the run goes on; the
//! exit code is 1 when anything was found.
//!
//!   cargo run --release --bin replay -- TARGET [CORPUS_DIR] [N] [SEED]
//!
//! Not coverage-guided: it finds what random byte edits and splices of the corpus
//! find. Use `cargo +nightly fuzz run TARGET` where nightly is available.

use rand::{Rng, SeedableRng};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Words spliced into inputs: the language's keywords and awkward bytes.
const DICTIONARY: &[&[u8]] = &[
    b"rubric",
    b"scale",
    b"record",
    b"group",
    b"example",
    b"given",
    b"expect",
    b"score",
    b"exclude",
    b"require",
    b"rated",
    b"by",
    b"per",
    b"of",
    b"when",
    b"if",
    b"then",
    b"else",
    b"and",
    b"or",
    b"not",
    b"in",
    b"is",
    b"blank",
    b"where",
    b"month",
    b"year",
    b"count(",
    b"mean(",
    b"sum(",
    b"rate(",
    b"rank(",
    b"quota(",
    b"grade(",
    b"round(",
    b"=>",
    b"..",
    b"%",
    b"|",
    b"\"",
    b"(",
    b")",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"=",
    b"\n",
    b"\r\n",
    b"\r",
    b"\t",
    b"\xEF\xBB\xBF",
    b"\xFF",
    b"\0",
    b"//",
    b"1e29",
    b"79228162514264337593543950336",
    b"0.0000000000000000000000000001",
    "好".as_bytes(),
    "非常满意".as_bytes(),
    "\u{200B}".as_bytes(),
    "👍".as_bytes(),
    b"\"\"",
    b"2026-02-29",
];

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn mutate(rng: &mut impl Rng, corpus: &[Vec<u8>], input: &mut Vec<u8>) {
    for _ in 0..rng.gen_range(1..8) {
        let at = if input.is_empty() {
            0
        } else {
            rng.gen_range(0..=input.len())
        };
        match rng.gen_range(0..7) {
            0 if !input.is_empty() => {
                let end = (at + rng.gen_range(1..16)).min(input.len());
                input.drain(at.min(end)..end);
            }
            1 => {
                let word = DICTIONARY[rng.gen_range(0..DICTIONARY.len())];
                input.splice(at..at, word.iter().copied());
            }
            2 if !input.is_empty() => {
                let i = rng.gen_range(0..input.len());
                input[i] = rng.gen();
            }
            3 if !corpus.is_empty() => {
                let other = &corpus[rng.gen_range(0..corpus.len())];
                if !other.is_empty() {
                    let s = rng.gen_range(0..other.len());
                    let e = (s + rng.gen_range(1..256)).min(other.len());
                    input.splice(at..at, other[s..e].iter().copied());
                }
            }
            4 if !input.is_empty() => {
                // Repeat a slice: deep nesting, long lines, many items.
                let s = rng.gen_range(0..input.len());
                let e = (s + rng.gen_range(1..8)).min(input.len());
                let piece = input[s..e].to_vec();
                let times = rng.gen_range(2..200);
                for _ in 0..times {
                    input.splice(s..s, piece.iter().copied());
                }
            }
            5 => input.insert(at, rng.gen()),
            _ => {
                let end = (at + 1).min(input.len());
                input.truncate(end.max(rng.gen_range(0..=input.len())));
            }
        }
    }
    input.truncate(65_536);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(name) = args.get(1) else {
        eprintln!("usage: replay TARGET [CORPUS_DIR] [N] [SEED]; targets: parse, check, fmt_roundtrip, csv_eval");
        std::process::exit(2);
    };
    let Some(&(_, target)) = rubric_fuzz::TARGETS.iter().find(|(n, _)| n == name) else {
        eprintln!("no target {name}");
        std::process::exit(2);
    };
    let dir = args
        .get(2)
        .map_or_else(|| PathBuf::from(format!("corpus/{name}")), PathBuf::from);
    let n: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let seed: u64 = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut paths = Vec::new();
    files(&dir, &mut paths);
    let corpus: Vec<Vec<u8>> = paths.iter().filter_map(|p| std::fs::read(p).ok()).collect();
    std::panic::set_hook(Box::new(|_| {}));
    let artifacts = PathBuf::from(format!("artifacts/{name}"));
    let mut found = 0u64;
    let run = |input: &[u8], found: &mut u64| {
        if std::panic::catch_unwind(|| target(input)).is_err() {
            *found += 1;
            let _ = std::fs::create_dir_all(&artifacts);
            let path = artifacts.join(format!("crash-{seed}-{found}"));
            let _ = std::fs::write(&path, input);
            eprintln!("crash: {}", path.display());
        }
    };
    let started = Instant::now();
    for input in &corpus {
        run(input, &mut found);
    }
    let mut rng = rand_pcg::Pcg64::seed_from_u64(seed);
    let mut slowest = (0u128, Vec::new());
    for _ in 0..n {
        let mut input = if corpus.is_empty() {
            Vec::new()
        } else {
            corpus[rng.gen_range(0..corpus.len())].clone()
        };
        mutate(&mut rng, &corpus, &mut input);
        let t = Instant::now();
        run(&input, &mut found);
        let took = t.elapsed().as_micros();
        if took > slowest.0 {
            slowest = (took, input);
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let execs = corpus.len() as u64 + n;
    println!(
        "{name}: {execs} execs in {secs:.1} s ({:.0}/s), {found} crashes, slowest input {} µs ({} bytes)",
        execs as f64 / secs.max(1e-9),
        slowest.0,
        slowest.1.len()
    );
    let _ = std::fs::create_dir_all(&artifacts);
    let _ = std::fs::write(artifacts.join("slowest"), &slowest.1);
    std::process::exit(i32::from(found > 0));
}
