//! The canonical formatter: idempotence, meaning preservation and comment
//! preservation on every rubric in the repository, on inline sources covering every
//! construct, and on generated sources; exact output for alignment by display width.

use proptest::prelude::*;
use rubric_syntax::{format, parse};
use std::path::{Path, PathBuf};

const SAMPLE: &str = r#"// 客户满意度考核方案 / C S 考核方案 / 一、销售回访
rubric dealer-sales-callback {
  title "新车销售回访 CS 考核"
  version "1.0.0"
  effective 2026-01-01
}

rounding 2 half-up

// "1)很好、比较好、比较满意、非常满意…100分"
scale 回访评价 {
  "很好" | "比较好" | "比较满意" | "非常满意" => 100
  "一般" | "还好" => 75 基本
  "不好" | "有投诉" => rated 0..25 // rater value
  "拒绝" => exclude "客户拒绝"
}

scale 评级 0..100 {
  [90, 100] => 优秀
  [70, 90) => 达标
  < 70 => 不达标
}

scale 推荐 0..10 integer {
  9..10 => 推荐者
  0..6 => 批评者
}

scale 评分 1..5 integer

record 回访 "销售回访" when record_type = "回访" | "销售回访" {
  respondent_id: id
  consultant: key column "销售顾问"
  technician: key list "|"
  date: date
  callback_status: text
  q1: 回访评价 rated by q1_pts
  q1_pts: number 0..25 optional
  exclude "回访失败" when callback_status != "成功"
  require not (q1 is blank) else "q1 为空"
  if empty "N = 0"
  score CS "单一客户CS" out of 100 by points {
    q1 "服务总体感觉" 25
    q2 25 = q1 out of 100
    工作标准 30 by ratio {
      完成度 10 = completion
      deduct 3 per count(x where y = 1) "扣分"
      bonus 10 when a and b or not c
      forfeit when x is not 推荐者
      adjust sum(投诉.handling_result)
      floor 0
      cap 100
    }
  }
  x = if a >= 3 then 20% * (b + c) / -d else max(1, 2, three: 3)
  y = z in [0, 3) and w in ("a", "b") and v in >= 5 and u is blank
}

group 顾问 "销售顾问CS" by consultant, team per month, quarter of date {
  if empty "当月无成功回访"
  unscored "未检查" when count(检查) = 0
  CS = mean(CS)
  等级 = grade(CS, 评级)
}

example "一月" {
  given 回访 {
    | respondent_id | consultant | date       | q1   | q1_pts |
    | r1            | 张三        | 2026-01-05 | 很好 |        |
    | r2            | "李|四"     | 2026-01-06 | 不好 | 12.5   |
  }
  expect record r1 { CS = 100, 等级 = 优秀 }
  expect record r2 excluded "回访失败"
  expect record r3 rejected q1_pts
  expect group 顾问 (张三, 2026-01) { CS = 90.63, d = 2026-01-02, e = blank, f = "x" }
  expect group 顾问 (李四, 2026-Q1) unscored
}
"#;

/// Comments in every position the grammar allows, sloppy spacing, Unicode operators.
const COMMENTS: &str = r#"// top


// top, after a blank line
rubric x { // after the brace
  // before the title
  title "a \"quoted\" \\ back"   // trailing the title
  note "多行\n文本"
  // at the end of the header
} // after the closing brace
// before rounding
rounding 2 // after rounding
scale A // inside the head
  1..5 { "a"|"b"=>1 // trailing a row
  // own line


  "c" => -2 差
  // last in the scale
}
scale 空 {
}
scale 空注释 { // only a comment
}
record r "标签" when kind = "x"|"y" {
  x = a + // inside an expression
     b
  y:number 0..5 integer column "列" // trailing a field


  z   : 空 rated by y
  score S out of 10 by percent { q "问" 40% = a×b÷c ≥ 2 // in a score
    // before the nested block
    块 60% by fraction { 子 0.5
      子二 0.5 }  // after the nested block
    deduct 2 per count(t where u ≠ 1) "扣"
  }
  v = 1 w = 2 // after w
  exclude "x" // bare exclude
  u = f( a ,b:2  where c≤3 )
}
group g by a per year { CS = mean(CS) } // group on one line
example "e" {
  given { // given brace
    |a|b| // row
    // between rows
    |"x\"y"|张三|
    |  | "" |
  }
  expect record r1 { // inside an expectation
  CS = 1 }
  expect record "r 2" { a = -1.50, b = blank, c = "t" d = 2026-01-01 }
  expect group g ("k 1", 2026) excluded "why"
}
// end one

// end two"#;

const MINIMAL: &str = "// only a comment\n";

const NO_FINAL_NEWLINE: &str =
    "rounding 2\r\n// crlf comment\r\nscale s 1..5 integer  // trailing, eof";

type Checked = Result<String, String>;

/// Formats `src` and checks the promises: the result parses to the same tree with
/// the same comments, formats to itself, and is tidy. Returns the formatted text.
fn check(src: &str) -> Checked {
    let tree = parse(src).map_err(|d| format!("source does not parse: {d:?}"))?;
    let once = format(&tree, src);
    let again = parse(&once).map_err(|d| format!("output does not parse: {d:?}\n{once}"))?;
    if again != tree {
        return Err(format!("tree changed:\n{once}"));
    }
    let before: Vec<&str> = tree.comments.iter().map(|c| c.text.as_str()).collect();
    let after: Vec<&str> = again.comments.iter().map(|c| c.text.as_str()).collect();
    if before != after {
        return Err(format!("comments changed: {before:?} -> {after:?}"));
    }
    let twice = format(&again, &once);
    if twice != once {
        return Err(format!("not idempotent:\n{once}\n--- then ---\n{twice}"));
    }
    tidy(&once)?;
    Ok(once)
}

fn tidy(text: &str) -> Result<(), String> {
    if !text.ends_with('\n') || text.ends_with("\n\n") || text.starts_with('\n') {
        return Err(format!("bad start or end:\n{text:?}"));
    }
    if text.contains("\n\n\n") || text.contains('\r') {
        return Err(format!("extra blank lines or CR:\n{text}"));
    }
    match text.lines().find(|l| l.ends_with([' ', '\t'])) {
        Some(line) => Err(format!("trailing space on {line:?}")),
        None => Ok(()),
    }
}

fn rubric_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for path in entries.flatten().map(|e| e.path()) {
        if path.is_dir() {
            rubric_files(&path, found);
        } else if path.extension().is_some_and(|x| x == "rubric") {
            found.push(path);
        }
    }
}

#[test]
fn every_rubric_in_the_repository_round_trips() -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    rubric_files(&root.join("rubrics"), &mut files);
    rubric_files(&root.join("tests/golden"), &mut files);
    files.sort();
    for path in files {
        let Ok(src) = std::fs::read_to_string(&path) else {
            continue;
        };
        if parse(&src).is_err() {
            continue;
        }
        check(&src).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

#[test]
fn inline_sources_round_trip() -> Result<(), String> {
    for src in [SAMPLE, COMMENTS, MINIMAL, NO_FINAL_NEWLINE] {
        check(src)?;
    }
    Ok(())
}

#[test]
fn line_ends_and_indentation_do_not_matter() -> Result<(), String> {
    for base in [SAMPLE, COMMENTS] {
        let canonical = check(base)?;
        let crlf = base.replace('\n', "\r\n");
        let tabs = base
            .replace("\n    ", "\n \u{3000}")
            .replace("\n  ", "\n\t");
        for variant in [crlf, tabs] {
            if check(&variant)? != canonical {
                return Err(format!("layout of the source leaked into:\n{variant}"));
            }
        }
    }
    Ok(())
}

#[test]
fn a_mismatched_source_still_gives_the_same_tree() -> Result<(), String> {
    let tree = parse(COMMENTS).map_err(|d| format!("{d:?}"))?;
    for wrong in ["", "x", SAMPLE] {
        let out = format(&tree, wrong);
        let again = parse(&out).map_err(|d| format!("{d:?}\n{out}"))?;
        assert!(again == tree, "tree changed with a wrong source:\n{out}");
    }
    Ok(())
}

#[test]
fn formatted_sample_is_already_canonical() -> Result<(), String> {
    let once = check(SAMPLE)?;
    assert!(once.contains("  | r1            | 张三       | 2026-01-05 | 很好 |        |\n"));
    assert!(once.contains("  consultant:      key column \"销售顾问\"\n"));
    assert!(once.contains("    q2                25 = q1 out of 100\n"));
    assert_eq!(check(&once)?, once);
    Ok(())
}

#[test]
fn comments_stay_where_they_belong() -> Result<(), String> {
    let out = check(COMMENTS)?;
    let expected_parts = [
        "// top\n\n// top, after a blank line\nrubric x {  // after the brace\n",
        "  title \"a \\\"quoted\\\" \\\\ back\"  // trailing the title\n",
        "  note \"多行\\n文本\"\n  // at the end of the header\n}  // after the closing brace\n\n",
        "// before rounding\nrounding 2  // after rounding\n\n// inside the head\nscale A 1..5 {\n",
        "  \"a\" | \"b\" => 1  // trailing a row\n  // own line\n\n  \"c\"       => -2 差\n",
        "  // last in the scale\n}\n\nscale 空 {}\n\nscale 空注释 {  // only a comment\n}\n",
        "  // inside an expression\n  x = a + b\n",
        "    q \"问\" 40% = a * b / c >= 2  // in a score\n    // before the nested block\n",
        "    块     60% by fraction {\n      子   0.5\n      子二 0.5\n    }  // after the nested block\n",
        "  v = 1\n  w = 2  // after w\n",
        "  u = f(a, b: 2 where c <= 3)\n}\n\ngroup g by a per year {\n  CS = mean(CS)\n}  // group on one line\n",
        "    | a      | b    |  // row\n    // between rows\n    | \"x\\\"y\" | 张三 |\n    |        | \"\"   |\n",
        "  // inside an expectation\n  expect record r1 { CS = 1 }\n",
        "  expect record \"r 2\" { a = -1.50, b = blank, c = \"t\", d = 2026-01-01 }\n",
        "  expect group g (\"k 1\", 2026) excluded \"why\"\n}\n\n// end one\n\n// end two\n",
    ];
    for part in expected_parts {
        if !out.contains(part) {
            return Err(format!("missing {part:?} in:\n{out}"));
        }
    }
    Ok(())
}

#[test]
fn scale_rows_align_arrows_by_display_width() -> Result<(), String> {
    let src = "scale 满意度 {\n\"很满意\"=>100\n  \"一般\" | \"ok\" => 60 一般\n\"差\"=>exclude \"拒绝\"\n>=3=>rated 0..25 }";
    let expected = "scale 满意度 {\n  \"很满意\"      => 100\n  \"一般\" | \"ok\" => 60 一般\n  \"差\"          => exclude \"拒绝\"\n  >= 3          => rated 0..25\n}\n";
    assert_eq!(check(src)?, expected);
    Ok(())
}

#[test]
fn record_fields_align_types_by_display_width() -> Result<(), String> {
    let src = "record 回访 {\n顾问:key\n  q1 : 评分 optional\n date:date\n  value = 1\n 服务态度评分:number 0..5 integer }";
    let expected = "record 回访 {\n  顾问:         key\n  q1:           评分 optional\n  date:         date\n  value = 1\n  服务态度评分: number 0..5 integer\n}\n";
    assert_eq!(check(src)?, expected);
    Ok(())
}

#[test]
fn example_tables_align_pipes_by_display_width() -> Result<(), String> {
    let src =
        "example \"表\" {\n given 回访 {\n|id|顾问|q1|\n| a |张三丰|\"李|四\"|\n|bb||很好|\n} }";
    let expected = "example \"表\" {\n  given 回访 {\n    | id | 顾问   | q1      |\n    | a  | 张三丰 | \"李|四\" |\n    | bb |        | 很好    |\n  }\n}\n";
    assert_eq!(check(src)?, expected);
    Ok(())
}

#[test]
fn operators_and_spacing_are_canonical() -> Result<(), String> {
    let src = "record r {\n  score S{a 1=x×(y÷2)\nb \"二\" 10=z}\n  v=if a≥1 and b≠2 or not c≤3 then 20%*-x else f( a ,n:2 where d=1)\n}";
    let expected = "record r {\n  score S {\n    a      1 = x * (y / 2)\n    b \"二\" 10 = z\n  }\n  v = if a >= 1 and b != 2 or not c <= 3 then 20% * -x else f(a, n: 2 where d = 1)\n}\n";
    assert_eq!(check(src)?, expected);
    Ok(())
}

// ---------------------------------------------------------------- generated sources

fn pick(items: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::sample::select(items).prop_map(str::to_string)
}

fn ident() -> impl Strategy<Value = String> {
    pick(&["a", "q1", "顾问", "服务态度", "x_long_name", "等级", "CS"])
}

fn text() -> impl Strategy<Value = String> {
    pick(&[
        r#""很好""#,
        r#""一般 ok""#,
        r#""a\"b""#,
        r#""差|劣""#,
        r#""""#,
        r#""很满意非常""#,
        r#""\\n""#,
    ])
}

fn expression() -> impl Strategy<Value = String> {
    pick(&[
        "a + b",
        "a×b÷c",
        "x ≥ 1 and y ≠ 2",
        "not (a or b)",
        "if a then 1 else -2",
        "count(x where y = 1)",
        "f( a ,b:2 )",
        "z in [0, 3)",
        "w in (\"a\",\"b\")",
        "u is not 推荐者",
        "v is blank",
        "20% * (b+c)",
        "--x",
        "a.b - 3.5",
        "mean(CS)",
    ])
}

fn header() -> impl Strategy<Value = Vec<String>> {
    text().prop_map(|t| {
        vec![
            "rubric dealer-x {".to_string(),
            format!("title {t}"),
            "effective 2026-01-01".to_string(),
            "}".to_string(),
        ]
    })
}

fn rounding() -> impl Strategy<Value = Vec<String>> {
    pick(&["rounding 2 half-up", "rounding 0", "rounding 3 ceiling"]).prop_map(|l| vec![l])
}

fn label_scale() -> impl Strategy<Value = Vec<String>> {
    let row = (
        prop::collection::vec(text(), 1..4),
        pick(&["100", "75 基本", "rated 0..25", "exclude \"拒\"", "差"]),
    )
        .prop_map(|(labels, result)| format!("{} => {result}", labels.join(" | ")));
    (ident(), prop::collection::vec(row, 0..4)).prop_map(|(name, rows)| {
        let mut lines = vec![format!("scale {name} {{")];
        lines.extend(rows);
        lines.push("}".to_string());
        lines
    })
}

fn interval_scale() -> impl Strategy<Value = Vec<String>> {
    let row = pick(&[
        "[90, 100] => 优秀",
        "[70,90) => 达标",
        "< 70 => 不达标",
        "≥ 5 => 好",
        "9..10=>推荐者",
        "3 => 3 中",
    ]);
    (ident(), prop::collection::vec(row, 1..4)).prop_map(|(name, rows)| {
        let mut lines = vec![format!("scale {name} 0..100 integer {{")];
        lines.extend(rows);
        lines.push("}".to_string());
        lines
    })
}

fn record_line() -> impl Strategy<Value = String> {
    let types = pick(&[
        "id",
        "key",
        "key list \"|\"",
        "date",
        "text",
        "number 0..25 optional",
        "评分 rated by q1",
        "count column \"列\" integer",
    ]);
    prop_oneof![
        (ident(), types).prop_map(|(n, t)| format!("{n}: {t}")),
        (ident(), expression()).prop_map(|(n, e)| format!("{n} = {e}")),
        expression().prop_map(|e| format!("exclude \"失败\" when {e}")),
        expression().prop_map(|e| format!("require {e} else \"必填\"")),
        Just("if empty \"N = 0\"".to_string()),
    ]
}

fn score_lines() -> impl Strategy<Value = Vec<String>> {
    let indicator = prop_oneof![
        (ident(), pick(&["25", "40%", "0.5"])).prop_map(|(n, w)| format!("{n} {w}")),
        (ident(), text(), expression()).prop_map(|(n, t, e)| format!("{n} {t} 10 = {e}")),
        expression().prop_map(|e| format!("deduct 3 per {e} \"扣\"")),
        Just("cap 100".to_string()),
    ];
    (
        ident(),
        prop::collection::vec(indicator, 0..4),
        any::<bool>(),
    )
        .prop_map(|(name, items, nested)| {
            let mut lines = vec![format!("score {name} out of 100 by points {{")];
            lines.extend(items);
            if nested {
                lines.extend([
                    "块 30 by ratio {".to_string(),
                    "子 1 = a".to_string(),
                    "}".to_string(),
                ]);
            }
            lines.push("}".to_string());
            lines
        })
}

fn record() -> impl Strategy<Value = Vec<String>> {
    (
        ident(),
        prop::collection::vec(record_line(), 0..6),
        prop::option::of(score_lines()),
    )
        .prop_map(|(name, items, score)| {
            let mut lines = vec![format!("record {name} \"记录\" when t = \"a\" | \"b\" {{")];
            lines.extend(items);
            lines.extend(score.unwrap_or_default());
            lines.push("}".to_string());
            lines
        })
}

fn group() -> impl Strategy<Value = Vec<String>> {
    (ident(), expression()).prop_map(|(name, e)| {
        vec![
            format!("group {name} by consultant per month, quarter of date {{"),
            "if empty \"无\"".to_string(),
            format!("unscored \"未\" when {e}"),
            format!("{name} = mean(CS)"),
            "}".to_string(),
        ]
    })
}

fn example() -> impl Strategy<Value = Vec<String>> {
    let cell = pick(&[
        "r1",
        "张三",
        "\"李|四\"",
        "",
        "2026-01-05",
        "12.5",
        "很好 ok",
        "\"\"",
    ]);
    let row = prop::collection::vec(cell, 1..5).prop_map(|cells| format!("|{}|", cells.join("|")));
    let expect = pick(&[
        "expect record r1 { CS = 100, 等级 = 优秀 }",
        "expect record r2 excluded \"回访失败\"",
        "expect record r3 rejected q1_pts",
        "expect group 顾问 (张三, 2026-01) { CS = 90.63, e = blank }",
    ]);
    (
        prop::collection::vec(row, 0..4),
        prop::collection::vec(expect, 0..3),
    )
        .prop_map(|(rows, expects)| {
            let mut lines = vec!["example \"一月\" {".to_string(), "given 回访 {".to_string()];
            lines.extend(rows);
            lines.push("}".to_string());
            lines.extend(expects);
            lines.push("expect group 顾问 (李四, 2026-Q1) unscored".to_string());
            lines.push("}".to_string());
            lines
        })
}

fn item() -> impl Strategy<Value = Vec<String>> {
    prop_oneof![
        header().boxed(),
        rounding().boxed(),
        label_scale().boxed(),
        interval_scale().boxed(),
        Just(vec!["scale 评分 1..5 integer".to_string()]).boxed(),
        record().boxed(),
        group().boxed(),
        example().boxed(),
    ]
}

const COMMENT_TEXTS: [&str; 6] = [
    "// c",
    "//",
    "// 注释 ok",
    "// a // b",
    "//x {",
    "// \"q\" }",
];

/// Joins the lines, adding comments, blank lines and indentation as `decor` says.
fn decorate(lines: &[String], decor: &[u8]) -> String {
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let d = decor.get(i).copied().unwrap_or(7);
        let comment = COMMENT_TEXTS
            .get(usize::from(d / 8) % COMMENT_TEXTS.len())
            .copied()
            .unwrap_or("//");
        match d % 8 {
            0 => out.push_str(&format!("{comment}\n")),
            2 => out.push('\n'),
            3 => out.push_str(&format!("\n   {comment}\n")),
            4 => out.push_str("\t  "),
            _ => {}
        }
        out.push_str(line);
        if d % 8 == 1 {
            out.push_str(&format!(" {comment}"));
        }
        out.push('\n');
    }
    out
}

fn source() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(item(), 1..6),
        prop::collection::vec(any::<u8>(), 0..80),
    )
        .prop_map(|(items, decor)| {
            let lines: Vec<String> = items.into_iter().flatten().collect();
            decorate(&lines, &decor)
        })
}

/// Offsets of the spaces between tokens of `src`: outside strings, comments and
/// table rows, where a comment and a line break may be inserted.
fn token_gaps(src: &str) -> Vec<usize> {
    let mut gaps = Vec::new();
    let mut offset = 0;
    for line in src.split_inclusive('\n') {
        if !line.trim_start().starts_with('|') {
            gaps.extend(line_gaps(line).into_iter().map(|i| offset + i));
        }
        offset += line.len();
    }
    gaps
}

fn line_gaps(line: &str) -> Vec<usize> {
    let mut gaps = Vec::new();
    let (mut in_string, mut escaped) = (false, false);
    for (i, c) in line.char_indices() {
        if in_string {
            in_string = escaped || c != '"';
            escaped = !escaped && c == '\\';
        } else if c == '"' {
            in_string = true;
        } else if line.get(i..).is_some_and(|rest| rest.starts_with("//")) {
            break;
        } else if c == ' ' {
            gaps.push(i);
        }
    }
    gaps
}

/// `src` with a numbered comment and a line break at each chosen gap.
fn with_comments_at(src: &str, chosen: &[bool]) -> String {
    let mut out = String::new();
    let mut from = 0;
    for (n, at) in token_gaps(src).into_iter().enumerate() {
        if chosen.get(n).copied().unwrap_or(false) {
            out.push_str(src.get(from..at).unwrap_or(""));
            out.push_str(&format!(" // c{n}\n"));
            from = at + 1;
        }
    }
    out.push_str(src.get(from..).unwrap_or(""));
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn comments_between_any_tokens_survive(
        which in 0..2usize,
        chosen in prop::collection::vec(prop::bool::weighted(0.15), 0..400),
    ) {
        let base = if which == 0 { SAMPLE } else { COMMENTS };
        let src = with_comments_at(base, &chosen);
        prop_assert!(parse(&src).is_ok(), "inserting comments broke the source:\n{}", src);
        check(&src).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn generated_sources_round_trip(src in source()) {
        prop_assert!(parse(&src).is_ok(), "generator made an invalid source:\n{}", src);
        check(&src).map_err(TestCaseError::fail)?;
    }
}
