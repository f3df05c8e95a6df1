//! Group tables: keys, periods, aggregates over record kinds, ranks and quotas.

use super::bounds::{Bounds, Ty};
use super::exprs::Scope;
use super::kinds::Block;
use super::order::references;
use super::{slot_id, Checker, Names};
use crate::errors;
use crate::model::*;
use rubric_syntax::ast::{self, Span};
use rust_decimal::Decimal;
use std::collections::HashMap;

type Lowered = (Expr, Ty);
const BLANK: Lowered = (Expr::Const(Value::Blank), Ty::Unknown);

impl Checker {
    /// Checks every group table.
    pub(crate) fn groups(&mut self, asts: &[&ast::Group]) -> Vec<Group> {
        let mut first: HashMap<&str, Span> = HashMap::new();
        let mut out = Vec::new();
        for g in asts {
            if let Some(prev) = first.insert(&g.name.text, g.name.span) {
                self.diags
                    .push(errors::duplicate("group", &g.name.text, prev, g.name.span));
                continue;
            }
            out.push(self.group(g));
        }
        out
    }

    fn group(&mut self, g: &ast::Group) -> Group {
        let periods = self.periods(g);
        let empty_reason = self.empty_reason(g.items.iter().filter_map(|i| match i {
            ast::GroupItem::IfEmpty(e) => Some(e),
            _ => None,
        }));
        let mut scope = Scope::group(Names::default());
        let mut slots = Vec::new();
        let block: Vec<Block<'_>> = g
            .items
            .iter()
            .filter_map(|i| match i {
                ast::GroupItem::Value(v) => Some(Block::Value(v)),
                ast::GroupItem::Score(s) => Some(Block::Score(s)),
                _ => None,
            })
            .collect();
        let computed = self.computed(&block, &mut slots, &mut scope);
        let unscored = g
            .items
            .iter()
            .filter_map(|i| match i {
                ast::GroupItem::Unscored(u) => Some(u),
                _ => None,
            })
            .map(|u| {
                let (e, t) = self.expr(&u.when, &mut scope);
                self.condition(t, u.when.span);
                (u.reason.value.clone(), e)
            })
            .collect();
        if let (Some(span), None) = (scope.needs_empty, &empty_reason) {
            self.diags.push(errors::div_may_be_zero(
                span,
                &format!("group `{}`", g.name.text),
            ));
        }
        let quiet = self.diags.iter().any(|d| d.is_error());
        let members = self.members(g, &scope, quiet);
        Group {
            name: g.name.text.clone(),
            label: g.label.as_ref().map(|l| l.value.clone()),
            keys: g.keys.iter().map(|k| k.text.clone()).collect(),
            periods,
            members,
            aggregates: scope.aggregates,
            slots,
            computed,
            unscored,
            empty_reason,
            span: g.span,
        }
    }

    fn periods(&mut self, g: &ast::Group) -> Vec<Period> {
        let mut out: Vec<Period> = Vec::new();
        let mut first: Vec<Span> = Vec::new();
        for p in &g.periods {
            let period = match p.text.as_str() {
                "month" => Period::Month,
                "quarter" => Period::Quarter,
                "half-year" => Period::HalfYear,
                _ => Period::Year,
            };
            match out.iter().position(|x| *x == period) {
                Some(k) => {
                    let prev = first.get(k).copied().unwrap_or(p.span);
                    self.diags.push(errors::duplicate_item(
                        &format!("the period `{}`", p.text),
                        prev,
                        p.span,
                    ));
                }
                None => {
                    out.push(period);
                    first.push(p.span);
                }
            }
        }
        out
    }

    /// Where each member kind keeps the table's keys and date.
    /// `quiet`: errors were reported already, so an empty member list is their consequence.
    fn members(&mut self, g: &ast::Group, scope: &Scope, quiet: bool) -> Vec<Member> {
        if scope.members.is_empty() && !quiet {
            self.diags.push(errors::group_field(
                g.name.span,
                format!("the group `{}` reads no records", g.name.text),
                "give it a value built from an aggregate, such as CS = mean(CS) or 回访数 = count()",
            ));
        }
        let mut out = Vec::new();
        for &k in &scope.members {
            let Some(kind) = self.kinds.get(k as usize) else {
                continue;
            };
            let find = |name: &str| kind.fields.iter().position(|f| f.name == name).map(slot_id);
            let mut problems = Vec::new();
            let mut keys = Vec::new();
            for key in &g.keys {
                match find(&key.text) {
                    Some(slot)
                        if matches!(
                            kind.fields.get(slot as usize).map(|f| &f.ty),
                            Some(FieldType::Key { .. } | FieldType::Id | FieldType::Text)
                        ) =>
                    {
                        keys.push(slot)
                    }
                    Some(_) => problems.push(errors::group_field(
                        key.span,
                        format!("`{}` of `{}` is not a key", key.text, kind.name),
                        "declare it as `key` (or `key list \"|\"` for several)",
                    )),
                    None => problems.push(errors::group_field(
                        key.span,
                        format!("records of `{}` have no field `{}`", kind.name, key.text),
                        "group by a key field that every kind read by the group has",
                    )),
                }
            }
            let dates: Vec<SlotId> = kind
                .fields
                .iter()
                .enumerate()
                .filter(|(_, f)| matches!(f.ty, FieldType::Date))
                .map(|(i, _)| slot_id(i))
                .collect();
            let date = if g.periods.is_empty() {
                None
            } else {
                match (&g.date_field, dates.as_slice()) {
                    (Some(d), _) => match find(&d.text) {
                        Some(slot) if dates.contains(&slot) => Some(slot),
                        _ => {
                            problems.push(errors::group_field(
                                d.span,
                                format!("`{}` is not a date field of `{}`", d.text, kind.name),
                                "name a field declared as `date`",
                            ));
                            None
                        }
                    },
                    (None, [one]) => Some(*one),
                    (None, _) => {
                        problems.push(errors::group_field(g.name.span, format!("cannot tell which date of `{}` drives the periods", kind.name), "add `of <date field>` after the periods, or give the record exactly one date field"));
                        None
                    }
                }
            };
            self.diags.extend(problems);
            out.push(Member {
                kind: k,
                keys,
                date,
            });
        }
        out
    }

    /// `count(…)`, `sum(…)`, `mean(…)`, `min(…)`, `max(…)`, `rate(…)` in a group.
    pub(crate) fn aggregate(
        &mut self,
        name: &ast::Name,
        args: &[ast::Arg],
        filter: Option<&ast::Expr>,
        span: Span,
        sc: &mut Scope,
    ) -> Lowered {
        if sc.kind.is_some() {
            self.diags.push(errors::context(
                span,
                format!(
                    "`{}` aggregates records, so it belongs in a group",
                    name.text
                ),
                "move this value into a `group … by … per …` block",
            ));
            return BLANK;
        }
        let func = match name.text.as_str() {
            "count" => AggFunc::Count,
            "sum" => AggFunc::Sum,
            "mean" => AggFunc::Mean,
            "min" => AggFunc::Min,
            "max" => AggFunc::Max,
            _ => AggFunc::Rate,
        };
        let positional: Vec<&ast::Expr> = args
            .iter()
            .filter_map(|a| match a {
                ast::Arg::Positional(x) => Some(x),
                ast::Arg::Named(..) => None,
            })
            .collect();
        if positional.len() != args.len()
            || positional.len() > 1
            || (func != AggFunc::Count && positional.is_empty())
        {
            let expected = if func == AggFunc::Count {
                "at most one argument (a record kind)"
            } else {
                "one argument"
            };
            self.diags.push(errors::arity(&name.text, expected, span));
            return BLANK;
        }
        let arg = positional.first().copied();
        let named_kind = arg.and_then(|a| match &a.kind {
            ast::ExprKind::Ref { kind: None, name } => self.kind_ids.get(&name.text).copied(),
            _ => None,
        });
        let (arg, kind) = match named_kind {
            Some(k) if func == AggFunc::Count => (None, Some(k)),
            _ => (arg, None),
        };
        let Some(kind) = kind.or_else(|| self.infer_kind(arg, filter, span)) else {
            return BLANK;
        };
        let mut inner = Scope::record(
            kind,
            self.kind_names
                .get(kind as usize)
                .cloned()
                .unwrap_or_default(),
        );
        let lowered_arg = arg.map(|a| (self.expr(a, &mut inner), a.span));
        let lowered_filter = filter.map(|f| {
            let (e, t) = self.expr(f, &mut inner);
            self.condition(t, f.span);
            e
        });
        if let Some(s) = inner.needs_empty {
            sc.needs_empty.get_or_insert(s);
        }
        let ty = match (&lowered_arg, func) {
            (Some(_), AggFunc::Count) => {
                self.diags.push(errors::bad_argument(
                    span,
                    "count() counts records: give it a record kind, or nothing".into(),
                    "write count(投诉) or count(where complaint_type = \"有效\")",
                ));
                return BLANK;
            }
            (None, _) => Bounds::count(),
            (Some(((_, t), s)), AggFunc::Rate) => {
                self.condition(*t, *s);
                Bounds::new(Decimal::ZERO, Decimal::ONE_HUNDRED)
            }
            (Some(((_, t), s)), AggFunc::Sum) => {
                let b = self.want_num(*t, *s);
                let range = if b.lo.is_some_and(|l| l >= Decimal::ZERO) {
                    Bounds::non_negative()
                } else {
                    Bounds::ANY
                };
                Bounds {
                    whole: b.whole,
                    ..range
                }
            }
            (Some(((_, t), s)), _) => self.want_num(*t, *s),
        };
        if matches!(
            func,
            AggFunc::Mean | AggFunc::Min | AggFunc::Max | AggFunc::Rate
        ) {
            sc.needs_empty.get_or_insert(span);
        }
        let id = slot_id(sc.aggregates.len());
        sc.aggregates.push(Aggregate {
            func,
            kind,
            arg: lowered_arg.map(|((e, _), _)| e),
            filter: lowered_filter,
        });
        sc.members.insert(kind);
        (Expr::Agg(id), Ty::Num(ty))
    }

    /// The record kind an aggregate reads, from `Kind.field` qualifiers or from the
    /// names it uses.
    fn infer_kind(
        &mut self,
        arg: Option<&ast::Expr>,
        filter: Option<&ast::Expr>,
        span: Span,
    ) -> Option<KindId> {
        let mut refs = Vec::new();
        for e in arg.into_iter().chain(filter) {
            references(e, &mut refs);
        }
        let qualified: Vec<&ast::Name> = refs.iter().filter_map(|(k, _)| *k).collect();
        if let Some(q) = qualified.first() {
            let Some(&k) = self.kind_ids.get(&q.text) else {
                let hint = errors::did_you_mean(&q.text, self.kind_ids.keys().map(String::as_str));
                self.diags
                    .push(errors::unknown_name("record kind", &q.text, q.span, hint));
                return None;
            };
            if let Some(other) = qualified.iter().find(|o| o.text != q.text) {
                self.diags.push(errors::context(
                    other.span,
                    "one aggregate reads one record kind".into(),
                    "split it into one aggregate per kind",
                ));
            }
            return Some(k);
        }
        let names: Vec<&ast::Name> = refs
            .iter()
            .map(|(_, n)| *n)
            .filter(|n| !self.scale_ids.contains_key(&n.text))
            .collect();
        let fits: Vec<KindId> = (0..self.kind_names.len())
            .filter(|&k| {
                self.kind_names
                    .get(k)
                    .is_some_and(|m| names.iter().all(|n| m.map.contains_key(&n.text)))
            })
            .map(slot_id)
            .collect();
        match fits.as_slice() {
            [one] => Some(*one),
            [] => {
                let missing = names
                    .iter()
                    .find(|n| !self.kind_names.iter().any(|m| m.map.contains_key(&n.text)));
                match missing {
                    Some(n) => {
                        let all: Vec<&str> = self
                            .kind_names
                            .iter()
                            .flat_map(|m| m.map.keys().map(String::as_str))
                            .collect();
                        let hint = errors::did_you_mean(&n.text, all.into_iter());
                        self.diags.push(errors::unknown_name(
                            "field or value",
                            &n.text,
                            n.span,
                            hint,
                        ));
                    }
                    None => self.diags.push(errors::ambiguous_kind(span, &[])),
                }
                None
            }
            many => {
                let kinds: Vec<String> = many
                    .iter()
                    .filter_map(|k| self.kinds.get(*k as usize))
                    .map(|k| format!("`{}`", k.name))
                    .collect();
                self.diags.push(errors::ambiguous_kind(span, &kinds));
                None
            }
        }
    }

    /// `排名 = rank(总分)` or `等级 = quota(总分, 优秀: 2, 达标: 7, 不达标: 1)`.
    pub(crate) fn rank_or_quota(
        &mut self,
        func: &str,
        args: &[ast::Arg],
        v: &ast::Value,
        slot: SlotId,
        scope: &mut Scope,
    ) -> Option<(ComputedDef, Ty)> {
        if scope.kind.is_some() {
            self.diags.push(errors::context(
                v.expr.span,
                format!("`{func}` compares groups, so it belongs in a group"),
                "move it into a group block",
            ));
            return None;
        }
        let Some(ast::Arg::Positional(first)) = args.first() else {
            self.diags.push(errors::arity(
                func,
                "the ranked value first: rank(总分)",
                v.expr.span,
            ));
            return None;
        };
        let (e, t) = self.expr(first, scope);
        self.want_num(t, first.span);
        let Expr::Slot(of) = e else {
            self.diags.push(errors::bad_argument(
                first.span,
                format!("`{func}` ranks a named value of the group"),
                "name the value first (总分 = …), then rank(总分)",
            ));
            return None;
        };
        scope.ranked.insert(slot);
        if func == "rank" {
            let descending = match args.get(1) {
                None => true,
                Some(ast::Arg::Positional(ast::Expr {
                    kind: ast::ExprKind::Ref { kind: None, name },
                    ..
                })) if name.text == "asc" || name.text == "desc" => name.text == "desc",
                Some(other) => {
                    let s = match other {
                        ast::Arg::Positional(x) | ast::Arg::Named(_, x) => x.span,
                    };
                    self.diags.push(errors::bad_argument(
                        s,
                        "rank() takes the value and optionally `asc` or `desc`".into(),
                        "write rank(总分) for highest first, rank(用时, asc) for lowest first",
                    ));
                    return None;
                }
            };
            return Some((
                ComputedDef::Rank { of, descending },
                Ty::Num(Bounds {
                    lo: Some(Decimal::ONE),
                    hi: None,
                    whole: true,
                }),
            ));
        }
        self.quota(args, v, of)
    }

    fn quota(
        &mut self,
        args: &[ast::Arg],
        v: &ast::Value,
        of: SlotId,
    ) -> Option<(ComputedDef, Ty)> {
        let mut tiers = Vec::new();
        for a in args.iter().skip(1) {
            let ast::Arg::Named(level, share) = a else {
                self.diags.push(errors::bad_argument(
                    v.expr.span,
                    "quota tiers are written `level: share`".into(),
                    "write quota(总分, 优秀: 2, 达标: 7, 不达标: 1)",
                ));
                return None;
            };
            let ast::ExprKind::Number(n) = &share.kind else {
                self.diags.push(errors::bad_argument(
                    share.span,
                    "a quota share is a number".into(),
                    "write the share as in 2:7:1, e.g. 优秀: 2",
                ));
                return None;
            };
            let s = self.number(n)?;
            if s <= Decimal::ZERO {
                self.diags.push(errors::weight_kind(
                    share.span,
                    "quota shares must be above zero".into(),
                    "drop the tier or give it a share",
                ));
                return None;
            }
            tiers.push((self.level(&level.text), s));
        }
        if tiers.len() < 2 {
            self.diags.push(errors::arity(
                "quota",
                "the ranked value and at least two tiers",
                v.expr.span,
            ));
            return None;
        }
        let total = tiers
            .iter()
            .fold(Decimal::ZERO, |a, (_, s)| a.checked_add(*s).unwrap_or(a));
        let tiers = tiers
            .into_iter()
            .map(|(l, s)| (l, s.checked_div(total).unwrap_or_default()))
            .collect();
        Some((ComputedDef::Quota { of, tiers }, Ty::Level(None)))
    }
}
