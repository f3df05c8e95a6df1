//! Record kinds: fields with types and columns, exclusions, requirements, and the
//! computed values and scores of one record.

use super::bounds::{Bounds, Ty};
use super::exprs::Scope;
use super::order::{self, Node};
use super::scores::score_bounds;
use super::{slot_id, Checker, Names};
use crate::errors;
use crate::model::*;
use rubric_syntax::ast::{self, Span};
use std::collections::HashMap;

impl Checker {
    /// Checks every record kind, and the column that tells them apart.
    pub(crate) fn kinds(&mut self, records: &[&ast::Record]) {
        let mut first: HashMap<&str, Span> = HashMap::new();
        for r in records {
            if let Some(prev) = first.insert(&r.name.text, r.name.span) {
                self.diags.push(errors::duplicate(
                    "record kind",
                    &r.name.text,
                    prev,
                    r.name.span,
                ));
                continue;
            }
            let id = slot_id(self.kinds.len());
            self.kind_ids.insert(r.name.text.clone(), id);
            let (kind, names) = self.kind(r, id);
            self.kinds.push(kind);
            self.kind_names.push(names);
        }
        self.kind_column = self.kind_column(records);
    }

    fn kind_column(&mut self, records: &[&ast::Record]) -> Option<String> {
        if records.len() < 2 {
            return records
                .first()
                .and_then(|r| r.select.as_ref())
                .map(|s| s.column.text.clone());
        }
        let mut column: Option<&str> = None;
        let mut values: HashMap<&str, Span> = HashMap::new();
        for r in records {
            let Some(sel) = &r.select else {
                self.diags.push(errors::kind_select(
                    r.name.span,
                    "this record kind does not say how its rows are recognised",
                ));
                continue;
            };
            match column {
                Some(c) if c != sel.column.text => self.diags.push(errors::kind_select(
                    sel.column.span,
                    "record kinds must be told apart by the same column",
                )),
                _ => column = Some(&sel.column.text),
            }
            for v in &sel.values {
                if let Some(prev) = values.insert(&v.value, v.span) {
                    self.diags.push(errors::dup_label(&v.value, prev, v.span));
                }
            }
        }
        column.map(str::to_string)
    }

    fn kind(&mut self, r: &ast::Record, id: KindId) -> (Kind, Names) {
        let mut kind = Kind {
            name: r.name.text.clone(),
            label: r.label.as_ref().map(|l| l.value.clone()),
            select: r
                .select
                .iter()
                .flat_map(|s| s.values.iter().map(|v| v.value.clone()))
                .collect(),
            fields: Vec::new(),
            slots: Vec::new(),
            id_field: None,
            excludes: Vec::new(),
            requires: Vec::new(),
            computed: Vec::new(),
            empty_reason: None,
            span: r.span,
        };
        let mut names = Names::default();
        let fields: Vec<&ast::Field> = r
            .items
            .iter()
            .filter_map(|i| match i {
                ast::RecordItem::Field(f) => Some(f),
                _ => None,
            })
            .collect();
        let mut columns = HashMap::new();
        for f in &fields {
            self.field(f, &mut kind, &mut names, &mut columns);
        }
        for f in &fields {
            self.rated_by(f, &mut kind, &names);
        }
        let field_count = kind.fields.len();
        kind.empty_reason = self.empty_reason(r.items.iter().filter_map(|i| match i {
            ast::RecordItem::IfEmpty(e) => Some(e),
            _ => None,
        }));
        let mut scope = Scope::record(id, names);
        scope.fields_only = Some(field_count);
        self.rules(r, &mut kind, &mut scope);
        scope.fields_only = None;
        let block: Vec<Block<'_>> = r
            .items
            .iter()
            .filter_map(|i| match i {
                ast::RecordItem::Value(v) => Some(Block::Value(v)),
                ast::RecordItem::Score(s) => Some(Block::Score(s)),
                _ => None,
            })
            .collect();
        kind.computed = self.computed(&block, &mut kind.slots, &mut scope);
        if let Some(span) = scope.needs_empty {
            if kind.empty_reason.is_none() {
                self.diags.push(errors::div_may_be_zero(
                    span,
                    &format!("record `{}`", kind.name),
                ));
            }
        }
        (kind, scope.names)
    }

    fn field(
        &mut self,
        f: &ast::Field,
        kind: &mut Kind,
        names: &mut Names,
        columns: &mut HashMap<String, Span>,
    ) {
        if let Some((_, _, prev)) = names.map.get(&f.name.text) {
            self.diags
                .push(errors::duplicate("field", &f.name.text, *prev, f.name.span));
            return;
        }
        let (ty, vty, sty) = self.field_type(&f.ty);
        let mut field = Field {
            name: f.name.text.clone(),
            column: f.name.text.clone(),
            ty,
            optional: false,
            integer: false,
            rated_by: None,
            span: f.span,
        };
        for opt in &f.options {
            match opt {
                ast::FieldOption::Optional(_) => field.optional = true,
                ast::FieldOption::Integer(s) => {
                    if matches!(field.ty, FieldType::Number { .. }) {
                        field.integer = true;
                    } else {
                        self.diags.push(errors::field_option(
                            *s,
                            "`integer` applies to number fields",
                            "delete `integer`; counts are always whole",
                        ));
                    }
                }
                ast::FieldOption::Column(c) => field.column = c.value.clone(),
                ast::FieldOption::RatedBy(_) => {}
            }
        }
        if let Some(prev) = columns.insert(field.column.clone(), f.span) {
            self.diags.push(errors::duplicate(
                "input column",
                &field.column,
                prev,
                f.span,
            ));
        }
        if matches!(field.ty, FieldType::Id) {
            if kind.id_field.is_some() {
                self.diags.push(errors::field_option(
                    f.span,
                    "a record has at most one `id` field",
                    "make the other one `text`",
                ));
            } else {
                kind.id_field = Some(slot_id(kind.slots.len()));
            }
        }
        let slot = slot_id(kind.slots.len());
        names
            .map
            .insert(f.name.text.clone(), (slot, sty, f.name.span));
        kind.slots.push(SlotInfo {
            name: f.name.text.clone(),
            label: None,
            output: false,
            ty: vty,
            span: f.span,
        });
        kind.fields.push(field);
    }

    fn field_type(&mut self, t: &ast::FieldType) -> (FieldType, ValueType, Ty) {
        match t {
            ast::FieldType::Id => (FieldType::Id, ValueType::Text, Ty::Text),
            ast::FieldType::Key { list } => (
                FieldType::Key {
                    list: list.as_ref().map(|l| l.value.clone()),
                },
                ValueType::Text,
                Ty::Text,
            ),
            ast::FieldType::Date => (FieldType::Date, ValueType::Date, Ty::Date),
            ast::FieldType::Text => (FieldType::Text, ValueType::Text, Ty::Text),
            ast::FieldType::Count => (
                FieldType::Count,
                ValueType::Integer,
                Ty::Num(Bounds::count()),
            ),
            ast::FieldType::Flag => (FieldType::Flag, ValueType::Bool, Ty::Bool),
            ast::FieldType::Number(range) => {
                let r = range.as_ref().and_then(|r| self.range(r));
                let b = r.map_or(Bounds::ANY, |(lo, hi)| Bounds::new(lo, hi));
                (
                    FieldType::Number { range: r },
                    ValueType::Number,
                    Ty::Num(b),
                )
            }
            ast::FieldType::Scale(name) => match self.scale_ids.get(&name.text).copied() {
                Some(id) => {
                    if let Some(u) = self.scale_used.get_mut(id as usize) {
                        *u = true;
                    }
                    (FieldType::Scale(id), ValueType::Answer(id), Ty::Answer(id))
                }
                None => {
                    let hint =
                        errors::did_you_mean(&name.text, self.scale_ids.keys().map(String::as_str));
                    let hint = format!("{hint} (field types: id, key, date, text, count, flag, number, or a scale name)");
                    self.diags
                        .push(errors::unknown_name("scale", &name.text, name.span, hint));
                    (FieldType::Text, ValueType::Text, Ty::Unknown)
                }
            },
        }
    }

    /// Links `q1: 回访评价 rated by q1_pts`, both ways checked.
    fn rated_by(&mut self, f: &ast::Field, kind: &mut Kind, names: &Names) {
        let rated_by = f.options.iter().find_map(|o| match o {
            ast::FieldOption::RatedBy(n) => Some(n),
            _ => None,
        });
        // Fields are the first slots, in order; a duplicate declaration has none.
        let slot = names
            .map
            .get(&f.name.text)
            .map(|(slot, _, _)| *slot as usize);
        let Some(index) = slot.filter(|&i| {
            kind.fields
                .get(i)
                .is_some_and(|x| x.span.start == f.span.start)
        }) else {
            return;
        };
        let scale_has_rated = match kind.fields.get(index).map(|x| &x.ty) {
            Some(FieldType::Scale(id)) => self.scale(*id).is_some_and(|s| match &s.kind {
                ScaleKind::Labels(rows) => rows
                    .iter()
                    .any(|r| matches!(r.outcome, RowOutcome::Rated { .. })),
                _ => false,
            }),
            _ => false,
        };
        match (rated_by, scale_has_rated) {
            (None, true) => self.diags.push(errors::rated_by(
                f.span,
                format!(
                    "`{}` uses a scale with `rated` rows, but no field carries the rater's value",
                    f.name.text
                ),
                "add `rated by <field>` and declare that field as `number … optional`",
            )),
            (Some(n), false) => self.diags.push(errors::rated_by(
                n.span,
                format!(
                    "`{}` has no `rated` rows in its scale, so it takes no rater value",
                    f.name.text
                ),
                "delete `rated by`, or add a row such as \"不满意\" => rated 0..25 to the scale",
            )),
            (Some(n), true) => {
                let target = names.map.get(&n.text).map(|(slot, _, _)| *slot);
                let target_field = target.and_then(|s| kind.fields.get(s as usize));
                match target_field {
                    None => {
                        let hint =
                            errors::did_you_mean(&n.text, names.map.keys().map(String::as_str));
                        self.diags
                            .push(errors::unknown_name("field", &n.text, n.span, hint));
                    }
                    Some(t) if !matches!(t.ty, FieldType::Number { .. }) => {
                        self.diags.push(errors::rated_by(
                            n.span,
                            format!("`{}` must be a number field to carry a rater value", n.text),
                            "declare it as `number 0..25 optional`",
                        ))
                    }
                    Some(t) if !t.optional => self.diags.push(errors::rated_by(
                        n.span,
                        format!(
                            "`{}` is blank unless the answer is rated, so it must be optional",
                            n.text
                        ),
                        "add `optional` to its declaration",
                    )),
                    Some(_) => {
                        if let Some(field) = kind.fields.get_mut(index) {
                            field.rated_by = target;
                        }
                    }
                }
            }
            (None, false) => {}
        }
    }

    fn rules(&mut self, r: &ast::Record, kind: &mut Kind, scope: &mut Scope) {
        for item in &r.items {
            match item {
                ast::RecordItem::Exclude(e) => {
                    let when = e.when.as_ref().map(|w| {
                        let (x, t) = self.expr(w, scope);
                        self.condition(t, w.span);
                        x
                    });
                    kind.excludes.push(ExcludeRule {
                        reason: e.reason.value.clone(),
                        when,
                        span: e.span,
                    });
                }
                ast::RecordItem::Require(q) => {
                    let (x, t) = self.expr(&q.condition, scope);
                    self.condition(t, q.condition.span);
                    kind.requires.push(RequireRule {
                        condition: x,
                        message: q.message.value.clone(),
                        span: q.span,
                    });
                }
                _ => {}
            }
        }
    }

    /// Reports a non-condition where a yes/no condition is needed.
    pub(crate) fn condition(&mut self, t: Ty, span: Span) {
        if !matches!(t, Ty::Bool | Ty::Unknown) {
            self.diags.push(errors::type_mismatch(
                span,
                format!("expected a yes/no condition, found {}", t.describe()),
                "write a comparison such as `callback_status != \"成功\"`",
            ));
        }
    }

    /// The single `if empty` reason of a block.
    pub(crate) fn empty_reason<'a>(
        &mut self,
        rules: impl Iterator<Item = &'a ast::IfEmpty>,
    ) -> Option<String> {
        let rules: Vec<&ast::IfEmpty> = rules.collect();
        if let (Some(first), Some(again)) = (rules.first(), rules.get(1)) {
            self.diags
                .push(errors::duplicate_item("`if empty`", first.span, again.span));
        }
        rules.first().map(|r| r.reason.value.clone())
    }

    /// Values and scores of a block, ordered by dependency, lowered in that order.
    pub(crate) fn computed(
        &mut self,
        block: &[Block<'_>],
        slots: &mut Vec<SlotInfo>,
        scope: &mut Scope,
    ) -> Vec<Computed> {
        let mut nodes: Vec<Node<'_>> = Vec::new();
        let mut slot_of = Vec::new();
        for b in block {
            let name = b.name();
            if let Some((_, _, prev)) = scope.names.map.get(&name.text) {
                self.diags
                    .push(errors::duplicate("name", &name.text, *prev, name.span));
                slot_of.push(None);
                continue;
            }
            let slot = slot_id(slots.len());
            slots.push(SlotInfo {
                name: name.text.clone(),
                label: b.label(),
                output: true,
                ty: ValueType::Number,
                span: b.span(),
            });
            scope
                .names
                .map
                .insert(name.text.clone(), (slot, Ty::Unknown, name.span));
            slot_of.push(Some(slot));
            let mut uses = Vec::new();
            match b {
                Block::Value(v) => order::refs(&v.expr, &mut uses),
                Block::Score(s) => order::score_refs(&s.items, &mut uses),
            }
            nodes.push(Node { name, uses });
        }
        let only = nodes;
        let declared: Vec<(&Block<'_>, SlotId)> = block
            .iter()
            .zip(&slot_of)
            .filter_map(|(b, s)| s.map(|s| (b, s)))
            .collect();
        let sequence = match order::order(&only) {
            Ok(seq) => seq,
            Err((i, back)) => {
                if let Some(n) = only.get(i) {
                    self.diags
                        .push(errors::cycle(&n.name.text, n.name.span, back));
                }
                (0..only.len()).collect()
            }
        };
        let mut out = Vec::new();
        for i in sequence {
            let Some(&(b, slot)) = declared.get(i) else {
                continue;
            };
            if let Some(c) = self.lower_block_item(b, slot, slots, scope) {
                out.push(c);
            }
        }
        out
    }

    fn lower_block_item(
        &mut self,
        b: &Block<'_>,
        slot: SlotId,
        slots: &mut Vec<SlotInfo>,
        scope: &mut Scope,
    ) -> Option<Computed> {
        let (def, ty) = match b {
            Block::Value(v) => self.value_def(v, slot, scope)?,
            Block::Score(s) => {
                let node = self.score(s, slot, slots, scope)?;
                let bounds = score_bounds(&node);
                (ComputedDef::Score(node), Ty::Num(bounds))
            }
        };
        if let Some(entry) = scope.names.map.get_mut(&b.name().text) {
            entry.1 = ty;
        }
        if let Some(info) = slots.get_mut(slot as usize) {
            info.ty = value_type(ty);
        }
        Some(Computed { slot, def })
    }

    fn value_def(
        &mut self,
        v: &ast::Value,
        slot: SlotId,
        scope: &mut Scope,
    ) -> Option<(ComputedDef, Ty)> {
        if let ast::ExprKind::Call { name, args, .. } = &v.expr.kind {
            if matches!(name.text.as_str(), "rank" | "quota") {
                return self.rank_or_quota(&name.text, args, v, slot, scope);
            }
        }
        let (e, t) = self.expr(&v.expr, scope);
        Some((ComputedDef::Expr(e), t))
    }
}

/// A value or score statement of a record or group block.
pub(crate) enum Block<'a> {
    Value(&'a ast::Value),
    Score(&'a ast::Score),
}

impl<'a> Block<'a> {
    fn name(&self) -> &'a ast::Name {
        match self {
            Block::Value(v) => &v.name,
            Block::Score(s) => &s.name,
        }
    }

    fn label(&self) -> Option<String> {
        match self {
            Block::Value(v) => v.label.as_ref().map(|l| l.value.clone()),
            Block::Score(s) => s.label.as_ref().map(|l| l.value.clone()),
        }
    }

    fn span(&self) -> Span {
        match self {
            Block::Value(v) => v.span,
            Block::Score(s) => s.span,
        }
    }
}

/// The model's value type for a static type.
pub(crate) fn value_type(t: Ty) -> ValueType {
    match t {
        Ty::Bool => ValueType::Bool,
        Ty::Text => ValueType::Text,
        Ty::Date => ValueType::Date,
        Ty::Level(_) => ValueType::Level,
        Ty::Answer(s) => ValueType::Answer(s),
        Ty::Num(b) if b.whole => ValueType::Integer,
        Ty::Num(_) | Ty::Unknown => ValueType::Number,
    }
}
