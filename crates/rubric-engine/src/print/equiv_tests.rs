#![allow(clippy::all, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)]
//! TEMPORARY: the new printer against copies of the two old ones.

use super::old_diff;
use super::old_show;
use super::*;
use crate::model::*;
use rust_decimal::Decimal;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
    fn chance(&mut self, k: u64) -> bool {
        self.below(k) == 0
    }
}

const TEXTS: &[&str] = &["有效", "a\"b", "c\\d", "e\nf", "tab\there", "", "\u{200d}x", "\u{1}", "é", "it's"];

fn dec(rng: &mut Rng) -> Decimal {
    match rng.below(6) {
        0 => Decimal::ZERO,
        1 => {
            let mut d = Decimal::new(0, 2);
            d.set_sign_negative(true);
            d
        }
        2 => Decimal::new(-(rng.below(1000) as i64), rng.below(4) as u32),
        _ => Decimal::new(rng.below(100000) as i64, rng.below(5) as u32),
    }
}

fn value(rng: &mut Rng, r: &Rubric) -> Value {
    let nl = r.levels.len() as u64 + 1;
    match rng.below(8) {
        0 => Value::Blank,
        1 | 2 => Value::Num(dec(rng)),
        3 => Value::Bool(rng.chance(2)),
        4 => Value::Text(TEXTS[rng.below(TEXTS.len() as u64) as usize].to_owned()),
        5 => {
            let y = [2026, 5, 12345, -3, 999][rng.below(5) as usize];
            Value::Date(chrono::NaiveDate::from_ymd_opt(y, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32).unwrap())
        }
        6 => Value::Level(rng.below(nl) as u32),
        _ => Value::Answer {
            label: TEXTS[rng.below(TEXTS.len() as u64) as usize].to_owned(),
            score: if rng.chance(3) { None } else { Some(dec(rng)) },
            level: None,
        },
    }
}

fn iv(rng: &mut Rng) -> Interval {
    let a = dec(rng);
    let b = if rng.chance(2) { a } else { dec(rng) };
    Interval {
        lo: Bound { value: if rng.chance(4) { None } else { Some(a) }, closed: rng.chance(2) },
        hi: Bound { value: if rng.chance(4) { None } else { Some(b) }, closed: rng.chance(2) },
    }
}

struct Dims {
    slots: u64,
    aggs: u64,
    levels: u64,
    scales: u64,
}

fn leaf(rng: &mut Rng, r: &Rubric, d: &Dims) -> Expr {
    match rng.below(5) {
        0 | 1 => Expr::Slot(rng.below(d.slots + 1) as u32),
        2 => Expr::Agg(rng.below(d.aggs + 1) as u32),
        _ => Expr::Const(value(rng, r)),
    }
}

fn expr(rng: &mut Rng, r: &Rubric, d: &Dims, depth: u32) -> Expr {
    if depth == 0 || rng.chance(4) {
        return leaf(rng, r, d);
    }
    let mut sub = |rng: &mut Rng| Box::new(expr(rng, r, d, depth - 1));
    let ops = [ArithOp::Add, ArithOp::Sub, ArithOp::Mul, ArithOp::Div];
    let cmps = [CmpOp::Eq, CmpOp::Ne, CmpOp::Lt, CmpOp::Le, CmpOp::Gt, CmpOp::Ge];
    let funcs = [Func::Min, Func::Max, Func::Clamp, Func::Round, Func::Floor, Func::Ceil, Func::Abs, Func::Days, Func::AddMonths, Func::Score, Func::First];
    let texts = |rng: &mut Rng| (0..rng.below(3)).map(|_| TEXTS[rng.below(TEXTS.len() as u64) as usize].to_owned()).collect::<Vec<_>>();
    match rng.below(15) {
        0 => Expr::Neg(sub(rng)),
        1 => Expr::Not(sub(rng)),
        2 => Expr::Not(Box::new(match rng.below(3) {
            0 => Expr::IsBlank(sub(rng)),
            1 => Expr::IsLevel(sub(rng), rng.below(d.levels + 1) as u32),
            _ => Expr::InTexts(sub(rng), texts(rng)),
        })),
        3 | 4 => {
            let n = rng.below(4);
            let mixed = rng.chance(6);
            let base = rng.below(2) * 2;
            let rest = (0..n)
                .map(|_| {
                    let op = if mixed { ops[rng.below(4) as usize] } else { ops[(base + rng.below(2)) as usize] };
                    (op, *sub(rng))
                })
                .collect();
            Expr::Arith(sub(rng), rest)
        }
        5 => {
            let n = 1 + rng.below(3);
            let op = if rng.chance(2) { LogicOp::And } else { LogicOp::Or };
            Expr::Logic(op, (0..n).map(|_| *sub(rng)).collect())
        }
        6 => Expr::Cmp(sub(rng), cmps[rng.below(6) as usize], sub(rng)),
        7 => Expr::IsBlank(sub(rng)),
        8 => Expr::IsLevel(sub(rng), rng.below(d.levels + 1) as u32),
        9 => Expr::InTexts(sub(rng), texts(rng)),
        10 => Expr::InInterval(sub(rng), iv(rng)),
        11 => Expr::If(sub(rng), sub(rng), sub(rng)),
        12 => Expr::Grade(sub(rng), rng.below(d.scales + 1) as u32),
        _ => {
            let n = rng.below(4);
            Expr::Call(funcs[rng.below(funcs.len() as u64) as usize], (0..n).map(|_| *sub(rng)).collect())
        }
    }
}

fn rubrics() -> Vec<Rubric> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../rubrics");
    let mut out = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    for p in paths {
        if p.extension().is_some_and(|x| x == "rubric") {
            let src = std::fs::read_to_string(&p).unwrap();
            out.push(crate::compile(&src).unwrap_or_else(|_| panic!("{p:?}")).rubric);
        }
    }
    out
}

fn aliases(rng: &mut Rng, r: &Rubric) -> Aliases {
    let mut a = Aliases::default();
    for s in &r.scales {
        if rng.chance(2) {
            a.scales.insert(s.name.clone(), format!("旧{}", s.name));
        }
    }
    for k in &r.kinds {
        if rng.chance(2) {
            a.kinds.insert(k.name.clone(), format!("旧{}", k.name));
        }
        let m = a.kind_slots.entry(k.name.clone()).or_default();
        for s in &k.slots {
            if rng.chance(2) {
                m.insert(s.name.clone(), format!("旧{}", s.name));
            }
        }
    }
    for g in &r.groups {
        if rng.chance(2) {
            a.groups.insert(g.name.clone(), format!("旧{}", g.name));
        }
        let m = a.group_slots.entry(g.name.clone()).or_default();
        for s in &g.slots {
            if rng.chance(2) {
                m.insert(s.name.clone(), format!("旧{}", s.name));
            }
        }
    }
    a
}

#[test]
fn new_printer_matches_both_old_printers() {
    let seed: u64 = std::env::var("SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x9E37_79B9_7F4A_7C15);
    let mut rng = Rng(seed | 1);
    let n: u64 = std::env::var("N").ok().and_then(|s| s.parse().ok()).unwrap_or(400);
    let mut checked = 0u64;
    let mut rubs = rubrics();
    // A group reading several kinds with every aggregate form.
    let several = rubs.iter().position(|r| r.groups.iter().any(|g| g.members.windows(2).any(|w| w[0].kind != w[1].kind)));
    assert!(several.is_some(), "no rubric with a group of several kinds");
    // Add a copy of each rubric whose groups list the members' kinds twice / singly.
    let extra: Vec<Rubric> = rubs
        .iter()
        .map(|r| {
            let mut r = r.clone();
            for k in &mut r.kinds {
                if let Some(c) = k.computed.iter_mut().find(|c| matches!(c.def, ComputedDef::Expr(_))) {
                    let x = c.slot;
                    c.def = ComputedDef::Expr(Expr::Arith(
                        Box::new(Expr::Slot(x)),
                        (0..8).map(|_| (ArithOp::Add, Expr::Slot(x))).collect(),
                    ));
                }
            }
            for g in &mut r.groups {
                for a in &mut g.aggregates {
                    if a.arg.is_none() {
                        a.arg = Some(Expr::Slot(0));
                    } else {
                        a.arg = None;
                    }
                }
            }
            r
        })
        .collect();
    rubs.extend(extra);
    for r in &rubs {
        let alias = aliases(&mut rng, r);
        let mut scopes: Vec<Scope> = (0..=r.kinds.len() as u32).map(Scope::Kind).collect();
        scopes.extend((0..=r.groups.len() as u32).map(Scope::Group));
        for sc in scopes {
            let (slots, group): (&[SlotInfo], Option<&Group>) = match sc {
                Scope::Kind(k) => (r.kinds.get(k as usize).map_or(&[][..], |k| &k.slots[..]), None),
                Scope::Group(g) => match r.groups.get(g as usize) {
                    Some(g) => (&g.slots[..], Some(g)),
                    None => (&[][..], None),
                },
            };
            let old_sc = match sc {
                Scope::Kind(k) => old_diff::Scope::Kind(k),
                Scope::Group(g) => old_diff::Scope::Group(g),
            };
            let old_names = old_show::Names { rubric: r, slots, group };
            let d = Dims {
                slots: slots.len() as u64,
                aggs: group.map_or(1, |g| g.aggregates.len() as u64),
                levels: r.levels.len() as u64,
                scales: r.scales.len() as u64,
            };
            let ex = Printer::new(r, Style::EXPLAIN);
            for id in 0..=d.aggs as u32 {
                assert_eq!(old_names.agg(id), ex.aggregate(sc, id));
                checked += 1;
            }
            for id in 0..=d.slots as u32 {
                assert_eq!(old_names.slot(id), ex.slot(sc, id));
            }
            for i in 0..n {
                let depth = if i % 50 == 0 { 300 } else { 1 + rng.below(6) as u32 };
                let e = if depth == 300 {
                    let mut e = leaf(&mut rng, r, &d);
                    for _ in 0..300 {
                        e = match rng.below(3) {
                            0 => Expr::Neg(Box::new(e)),
                            1 => Expr::Not(Box::new(e)),
                            _ => Expr::Arith(Box::new(e), vec![(ArithOp::Sub, Expr::Slot(0))]),
                        };
                    }
                    e
                } else {
                    expr(&mut rng, r, &d, depth)
                };
                let svals: Vec<Value> = (0..d.slots.saturating_sub(rng.below(2))).map(|_| value(&mut rng, r)).collect();
                let avals: Vec<Value> = (0..d.aggs).map(|_| value(&mut rng, r)).collect();
                let frame = old_show::Frame { slots: &svals, aggs: &avals };
                let vals = Values { slots: &svals, aggs: &avals };
                assert_eq!(old_names.expr(&e), ex.expr(&e, sc), "{e:?}");
                assert_eq!(old_names.with_values(&frame, &e), ex.expr_with(&e, sc, vals), "{e:?}");
                for v in svals.iter().chain(&avals) {
                    assert_eq!(old_show::value(r, v), ex.value(v));
                    assert_eq!(old_show::value_or_blank(r, Some(v), old_show::Want::Any), ex.value_or_blank(Some(v)));
                }
                assert_eq!(old_show::value_or_blank(r, None, old_show::Want::Any), ex.value_or_blank(None));
                for a in [None, Some(&alias)] {
                    let ov = old_diff::View::new(r, a);
                    let nv = Printer::new(r, Style::DIFF).renamed(a);
                    assert_eq!(ov.expr(&e, old_sc), nv.expr(&e, sc), "{e:?}");
                    assert_eq!(ov.inlined().expr(&e, old_sc), nv.inlined().expr(&e, sc), "{e:?}");
                    for v in svals.iter().chain(&avals) {
                        assert_eq!(ov.value(v), nv.value(v));
                    }
                    for k in 0..=r.kinds.len() as u32 {
                        assert_eq!(ov.kind(k), nv.kind(k));
                    }
                    for g in 0..=r.groups.len() as u32 {
                        assert_eq!(ov.group(g), nv.group(g));
                    }
                    for s in 0..=r.scales.len() as u32 {
                        assert_eq!(ov.scale(s), nv.scale(s));
                    }
                    for l in 0..=r.levels.len() as u32 {
                        assert_eq!(ov.level(l), nv.level(l));
                    }
                    for id in 0..=d.slots as u32 {
                        assert_eq!(ov.slot(old_sc, id), nv.slot(sc, id));
                    }
                }
                checked += 1;
            }
        }
    }
    for _ in 0..20000 {
        let i = iv(&mut rng);
        assert_eq!(old_show::interval(&i), interval(&i));
        assert_eq!(old_diff::interval(&i), row_interval(&i));
        let x = dec(&mut rng);
        assert_eq!(old_show::number(x), number(x));
        assert_eq!(old_diff::num(x), number(x));
        assert_eq!(old_show::opt_number(Some(x)), opt_number(Some(x)));
    }
    for t in TEXTS {
        assert_eq!(old_diff::quote(t), quote(t));
    }
    eprintln!("checked {checked}");
}
