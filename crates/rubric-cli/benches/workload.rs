//! The reference workload of docs/performance.md, end to end: a seeded generator
//! writes dealer-sales callbacks as CSV, then `rubric eval` (the release binary) and a
//! hand-written specialised Rust loop each read the CSV and write the same result
//! tables; wall time, rows/s and peak memory are reported side by side.
//!
//!     cargo bench -p rubric-cli --bench workload                 # 1 M rows
//!     cargo bench -p rubric-cli --bench workload -- 1000000 10000000
//!     cargo bench -p rubric-cli --bench workload -- --threads 2 10000000
//!     cargo bench -p rubric-cli --bench workload -- --runs 3 10000000   # best of three
//!     cargo bench -p rubric-cli --bench workload -- --shape crlf 1000000 # CRLF line ends
//!     cargo bench -p rubric-cli --bench workload -- --shape quoted 1000000 # every field quoted
//!
//! Data files are cached under target/bench-data/. Peak memory is the child's VmHWM
//! from /proc (Linux), sampled until it exits.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const L100: [&str; 4] = ["非常满意", "比较满意", "很好", "比较好"];
const L75: [&str; 4] = ["基本满意", "一般", "还好", "还行"];
const L25: [&str; 3] = ["不满意", "不好", "比较差"];
const UNKNOWN: [&str; 3] = ["???", "未知", "N/A"];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [mode, csv, out, threads] = args.as_slice() {
        if mode == "--handwritten" {
            let threads = threads.parse().unwrap_or(1);
            if let Err(e) = handwritten(Path::new(csv), Path::new(out), threads) {
                eprintln!("handwritten: {e}");
                std::process::exit(2);
            }
            return;
        }
    }
    let mut threads = 1usize;
    let mut runs = 1usize;
    let mut shape = Shape::Lf;
    let mut sizes = Vec::new();
    let mut iter = args.iter();
    while let Some(a) = iter.next() {
        match a.as_str() {
            "--threads" => threads = iter.next().and_then(|t| t.parse().ok()).unwrap_or(1),
            "--runs" => runs = iter.next().and_then(|t| t.parse().ok()).unwrap_or(1),
            "--shape" => match iter.next().map(String::as_str) {
                Some("lf") => shape = Shape::Lf,
                Some("crlf") => shape = Shape::Crlf,
                Some("quoted") => shape = Shape::Quoted,
                other => {
                    eprintln!("--shape takes lf, crlf or quoted, not {other:?}");
                    return;
                }
            },
            "--bench" => {}
            other => sizes.extend(other.parse::<u64>().ok()),
        }
    }
    if sizes.is_empty() {
        sizes.push(1_000_000);
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-data");
    if let Err(e) = fs::create_dir_all(&root) {
        eprintln!("cannot create {}: {e}", root.display());
        return;
    }
    let rubric_bin = match release_binary(&root) {
        Ok(bin) => bin,
        Err(e) => {
            eprintln!("cannot build the release binary: {e}");
            return;
        }
    };
    println!("| rows | program | threads | wall s | rows/s | peak RSS MiB | vs hand-written |");
    println!("|---:|---|---:|---:|---:|---:|---:|");
    for rows in sizes {
        let csv = root.join(format!("workload-{rows}{}.csv", shape.suffix()));
        if !csv.exists() {
            if let Err(e) = generate(&csv, rows, shape) {
                eprintln!("cannot generate {}: {e}", csv.display());
                return;
            }
        }
        if let Err(e) = warm(&csv) {
            eprintln!("cannot read {}: {e}", csv.display());
            return;
        }
        let me = std::env::current_exe().unwrap_or_default();
        let out_hand = root.join(format!("out-hand-{rows}"));
        let mut hand_cmd = Command::new(&me);
        hand_cmd.args([
            "--handwritten".as_ref(),
            csv.as_os_str(),
            out_hand.as_os_str(),
            threads.to_string().as_ref(),
        ]);
        let rubric_file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/workload.rubric");
        let out_rubric = root.join(format!("out-rubric-{rows}"));
        let mut cmd = Command::new(&rubric_bin);
        cmd.arg("eval")
            .arg(&rubric_file)
            .arg(&csv)
            .args(["--format", "csv", "-o"])
            .arg(&out_rubric);
        if threads > 1 {
            cmd.args(["--threads", &threads.to_string()]);
        }
        // Runs alternate between the two programs; each keeps its fastest.
        let (mut hand, mut ours) = (Measured::none(), Measured::none());
        for _ in 0..runs.max(1) {
            hand = hand.best(measure(&mut hand_cmd));
            ours = ours.best(measure(&mut cmd));
        }
        for (name, m) in [("hand-written", &hand), ("rubric eval", &ours)] {
            let secs = m.wall.as_secs_f64();
            let ratio = secs / hand.wall.as_secs_f64().max(1e-9);
            println!(
                "| {rows} | {name} | {threads} | {secs:.2} | {:.0} | {:.1} | {ratio:.2}× |",
                rows as f64 / secs.max(1e-9),
                m.peak_kib as f64 / 1024.0
            );
        }
    }
}

/// The `rubric` binary as users build it (`cargo build --release`), in a target
/// directory of its own under `root`. Not cargo bench's build of it: that one compiles
/// the dependencies with the dev-dependencies' features too (`num-traits` with `std`),
/// which changes how the hot path is compiled and moved the timings by up to 15 %.
fn release_binary(root: &Path) -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let target = root.join("release-build");
    let status = Command::new(cargo)
        .args([
            "build",
            "--release",
            "--quiet",
            "-p",
            "rubric-cli",
            "--bin",
            "rubric",
        ])
        .arg("--target-dir")
        .arg(&target)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("cargo build exited with {status}"));
    }
    Ok(target.join("release").join("rubric"))
}

/// How the generated CSV writes its lines: the same records either way.
#[derive(Clone, Copy)]
enum Shape {
    /// LF line ends, no quotes (the reference workload).
    Lf,
    /// CRLF line ends, as Windows exports have.
    Crlf,
    /// LF line ends, every field quoted, as some exports write them.
    Quoted,
}

impl Shape {
    /// The data file's name suffix.
    fn suffix(self) -> &'static str {
        match self {
            Shape::Lf => "",
            Shape::Crlf => "-crlf",
            Shape::Quoted => "-quoted",
        }
    }

    /// One line of `fields`, with its line end.
    fn line(self, fields: &[&str]) -> String {
        match self {
            Shape::Lf => format!("{}\n", fields.join(",")),
            Shape::Crlf => format!("{}\r\n", fields.join(",")),
            Shape::Quoted => {
                let quoted: Vec<String> = fields.iter().map(|f| format!("\"{f}\"")).collect();
                format!("{}\n", quoted.join(","))
            }
        }
    }
}

/// Reads the file once, untimed, so that every program finds it in the page cache
/// (the first program timed would otherwise pay for the disk).
fn warm(path: &Path) -> std::io::Result<u64> {
    std::io::copy(&mut fs::File::open(path)?, &mut std::io::sink())
}

/// Wall time and peak resident memory of one child process.
struct Measured {
    wall: Duration,
    peak_kib: u64,
}

impl Measured {
    /// No run yet.
    fn none() -> Self {
        Measured {
            wall: Duration::MAX,
            peak_kib: 0,
        }
    }

    /// The faster wall time of two runs, and the higher peak memory.
    fn best(self, other: Measured) -> Measured {
        Measured {
            wall: self.wall.min(other.wall),
            peak_kib: self.peak_kib.max(other.peak_kib),
        }
    }
}

fn measure(cmd: &mut Command) -> Measured {
    let start = Instant::now();
    let mut child = match cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cannot start: {e}");
            return Measured {
                wall: Duration::ZERO,
                peak_kib: 0,
            };
        }
    };
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(text) = fs::read_to_string(&status_file) {
            peak = peak.max(vm_hwm(&text));
        }
        match child.try_wait() {
            Ok(Some(_)) | Err(_) => break,
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
        }
    }
    Measured {
        wall: start.elapsed(),
        peak_kib: peak,
    }
}

fn vm_hwm(status: &str) -> u64 {
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// The seeded workload: respondent ids 1..N in random order, 500 consultants in 50
/// teams, dates over 2025, ~3 % refused, ~0.1 % of the others with one unknown label.
fn generate(path: &Path, rows: u64, shape: Shape) -> std::io::Result<()> {
    let mut rng = Pcg64Mcg::seed_from_u64(20_261_123);
    let mut ids: Vec<u64> = (1..=rows).collect();
    for i in (1..ids.len()).rev() {
        let j = rng.gen_range(0..=i);
        ids.swap(i, j);
    }
    let mut w = BufWriter::with_capacity(1 << 20, fs::File::create(path)?);
    let header = [
        "respondent_id",
        "consultant",
        "team",
        "date",
        "q1",
        "q2",
        "q3",
        "q4",
    ];
    w.write_all(shape.line(&header).as_bytes())?;
    for id in ids {
        let c: u32 = rng.gen_range(0..500);
        let (month, day): (u32, u32) = (rng.gen_range(1..=12), rng.gen_range(1..=28));
        let mut q = [""; 4];
        if rng.gen_bool(0.03) {
            q = ["拒绝回访"; 4];
        } else {
            for a in &mut q {
                let p: f64 = rng.gen();
                *a = if p < 0.6 {
                    *L100.choose(&mut rng).unwrap_or(&"")
                } else if p < 0.9 {
                    *L75.choose(&mut rng).unwrap_or(&"")
                } else if p < 0.98 {
                    *L25.choose(&mut rng).unwrap_or(&"")
                } else {
                    "有投诉"
                };
            }
            if rng.gen_bool(0.001) {
                if let Some(slot) = q.choose_mut(&mut rng) {
                    *slot = UNKNOWN.choose(&mut rng).unwrap_or(&"");
                }
            }
        }
        let (id, consultant, team) = (
            id.to_string(),
            format!("c{:04}", c + 1),
            format!("t{:02}", c / 10),
        );
        let date = format!("2025-{month:02}-{day:02}");
        let fields = [&id, &consultant, &team, &date, q[0], q[1], q[2], q[3]];
        w.write_all(shape.line(&fields).as_bytes())?;
    }
    w.flush()
}

/// Sum of points (each answer 100/75/25/0, ×25/100) and count per group key.
#[derive(Default, Clone, Copy)]
struct Acc {
    points: i64,
    count: i64,
}

/// The specialised program: labels to integer points, two dense hash maps, exact
/// means computed once per group at the end.
fn handwritten(csv: &Path, out: &Path, threads: usize) -> Result<(), String> {
    let labels: HashMap<&[u8], i64> = L100
        .iter()
        .map(|l| (l.as_bytes(), 100))
        .chain(L75.iter().map(|l| (l.as_bytes(), 75)))
        .chain(L25.iter().map(|l| (l.as_bytes(), 25)))
        .chain([("有投诉".as_bytes(), 0)])
        .collect();
    let len = fs::metadata(csv).map_err(|e| e.to_string())?.len();
    let n = u64::try_from(threads.max(1)).unwrap_or(1);
    let parts: Vec<Totals> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .map(|i| {
                let labels = &labels;
                s.spawn(move || totals(csv, len * i / n, len * (i + 1) / n, labels))
            })
            .collect();
        handles
            .into_iter()
            .filter_map(|h| h.join().ok())
            .filter_map(Result::ok)
            .collect()
    });
    let mut all = Totals::default();
    for p in parts {
        all.merge(p);
    }
    fs::create_dir_all(out).map_err(|e| e.to_string())?;
    write_means(
        &out.join("consultant-month.csv"),
        &all.consultant_month,
        false,
    )?;
    write_means(&out.join("team-quarter.csv"), &all.team_quarter, true)?;
    eprintln!(
        "read {} · scored {} · excluded {} · rejected {}",
        all.read, all.scored, all.excluded, all.rejected
    );
    Ok(())
}

#[derive(Default)]
struct Totals {
    consultant_month: HashMap<(Vec<u8>, u8), Acc>,
    team_quarter: HashMap<(Vec<u8>, u8), Acc>,
    read: u64,
    scored: u64,
    excluded: u64,
    rejected: u64,
}

impl Totals {
    fn merge(&mut self, o: Totals) {
        for (k, a) in o.consultant_month {
            let e = self.consultant_month.entry(k).or_default();
            e.points += a.points;
            e.count += a.count;
        }
        for (k, a) in o.team_quarter {
            let e = self.team_quarter.entry(k).or_default();
            e.points += a.points;
            e.count += a.count;
        }
        self.read += o.read;
        self.scored += o.scored;
        self.excluded += o.excluded;
        self.rejected += o.rejected;
    }
}

/// The records starting in bytes `start..end` of the file (the header is skipped,
/// a record belongs to the range its first byte is in), streamed.
fn totals(
    path: &Path,
    start: u64,
    end: u64,
    labels: &HashMap<&[u8], i64>,
) -> std::io::Result<Totals> {
    use std::io::{BufRead, BufReader, Seek, SeekFrom};
    let mut file = BufReader::with_capacity(1 << 16, fs::File::open(path)?);
    // From the byte before the range, skip to the end of that line: the first record
    // starting in the range comes next (for the first range, this skips the header).
    let seek = start.saturating_sub(1);
    file.seek(SeekFrom::Start(seek))?;
    let mut skipped = Vec::new();
    let skip = file.read_until(b'\n', &mut skipped)? as u64;
    let limit = end.saturating_sub(seek + skip);
    let mut t = Totals::default();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(file);
    let mut rec = csv::ByteRecord::new();
    while rdr.read_byte_record(&mut rec).unwrap_or(false) {
        if rec.position().map_or(0, |p| p.byte()) >= limit {
            break;
        }
        t.read += 1;
        let (Some(consultant), Some(team), Some(date)) = (rec.get(1), rec.get(2), rec.get(3))
        else {
            t.rejected += 1;
            continue;
        };
        if rec.get(4) == Some("拒绝回访".as_bytes()) {
            t.excluded += 1;
            continue;
        }
        let mut points = 0;
        let mut ok = true;
        for i in 4..8 {
            match rec.get(i).and_then(|q| labels.get(q)) {
                Some(p) => points += p,
                None => ok = false,
            }
        }
        let month = date
            .get(5..7)
            .and_then(|m| std::str::from_utf8(m).ok())
            .and_then(|m| m.parse::<u8>().ok());
        let Some(month) = month.filter(|_| ok) else {
            t.rejected += 1;
            continue;
        };
        t.scored += 1;
        let e = t
            .consultant_month
            .entry((consultant.to_vec(), month))
            .or_default();
        e.points += points;
        e.count += 1;
        let e = t
            .team_quarter
            .entry((team.to_vec(), (month - 1) / 3 + 1))
            .or_default();
        e.points += points;
        e.count += 1;
    }
    Ok(t)
}

fn write_means(
    path: &Path,
    groups: &HashMap<(Vec<u8>, u8), Acc>,
    quarter: bool,
) -> Result<(), String> {
    let mut keys: Vec<_> = groups.keys().collect();
    keys.sort();
    let mut w = csv::Writer::from_path(path).map_err(|e| e.to_string())?;
    let _ = w.write_record(["key", "period", "scored", "CS", "band"]);
    for k in keys {
        let Some(a) = groups.get(k) else { continue };
        // points are Σ of four answers; CS = Σ/4 per record, mean over records.
        let mean = Decimal::from(a.points) / Decimal::from(a.count * 4);
        let shown =
            mean.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        let band = if shown >= Decimal::from(90) {
            "优秀"
        } else if shown >= Decimal::from(70) {
            "达标"
        } else {
            "不达标"
        };
        let period = if quarter {
            format!("2025-Q{}", k.1)
        } else {
            format!("2025-{:02}", k.1)
        };
        let _ = w.write_record([
            String::from_utf8_lossy(&k.0).as_ref(),
            &period,
            &a.count.to_string(),
            &shown.to_string(),
            band,
        ]);
    }
    w.flush().map_err(|e| e.to_string())
}
