//! The diff's view of a rubric: the shared printer ([`crate::print`]) in the diff's
//! style, plus the model parts only the diff prints (scale row outcomes, field
//! declarations, `a → b`). Printing the new side through [`Aliases`] gives renamed
//! items their old names, so two printed expressions are equal exactly when the
//! expressions are.

use crate::model::*;
use crate::print::{number, quote, Aliases, Printer, Scope, Style};
use std::ops::Deref;

/// A rubric seen through an optional rename map, printed in [`Style::DIFF`].
#[derive(Clone, Copy)]
pub(crate) struct View<'a>(Printer<'a>);

impl<'a> Deref for View<'a> {
    type Target = Printer<'a>;

    fn deref(&self) -> &Printer<'a> {
        &self.0
    }
}

impl<'a> View<'a> {
    pub(crate) fn new(r: &'a Rubric, alias: Option<&'a Aliases>) -> Self {
        View(Printer::new(r, Style::DIFF).renamed(alias))
    }

    /// The same view in canonical form, for comparing (see [`Printer::inlined`]).
    pub(crate) fn inlined(&self) -> Self {
        View(self.0.inlined())
    }

    /// What a scale row gives: `100`, `优秀`, `满意 85`, `rated 0..25`, `exclude "…"`.
    pub(crate) fn outcome(&self, o: &RowOutcome) -> String {
        match o {
            RowOutcome::Score { score, level } => {
                let level = level.map(|l| self.level(l));
                match (level, score) {
                    (Some(l), Some(s)) => format!("{l} {}", number(*s)),
                    (Some(l), None) => l.to_owned(),
                    (None, Some(s)) => number(*s),
                    (None, None) => "the answer itself".into(),
                }
            }
            RowOutcome::Rated { lo, hi } => format!("rated {}..{}", number(*lo), number(*hi)),
            RowOutcome::Exclude(r) => format!("exclude {}", quote(r)),
        }
    }

    /// A field's declaration after its name: `回访评价 rated by q1_pts optional`.
    pub(crate) fn field(&self, kind: KindId, f: &Field) -> String {
        let mut s = self.field_type(&f.ty);
        if f.integer {
            s.push_str(" integer");
        }
        if f.optional {
            s.push_str(" optional");
        }
        if f.column != f.name {
            s.push_str(&format!(" column {}", quote(&f.column)));
        }
        if let Some(by) = f.rated_by {
            s.push_str(&format!(" rated by {}", self.slot(Scope::Kind(kind), by)));
        }
        s
    }

    /// A field type as written.
    pub(crate) fn field_type(&self, t: &FieldType) -> String {
        match t {
            FieldType::Id => "id".into(),
            FieldType::Key { list: None } => "key".into(),
            FieldType::Key { list: Some(sep) } => format!("key list {}", quote(sep)),
            FieldType::Date => "date".into(),
            FieldType::Text => "text".into(),
            FieldType::Count => "count".into(),
            FieldType::Flag => "flag".into(),
            FieldType::Number { range: None } => "number".into(),
            FieldType::Number {
                range: Some((lo, hi)),
            } => format!("number {}..{}", number(*lo), number(*hi)),
            FieldType::Scale(s) => self.scale(*s).to_owned(),
        }
    }
}

/// `a → b`.
pub(crate) fn arrow(a: &str, b: &str) -> String {
    format!("{a} → {b}")
}

#[cfg(test)]
#[allow(clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn view_of(src: &str) -> Rubric {
        match crate::compile(src) {
            Ok(c) => c.rubric,
            Err(d) => panic!("{:?}", d.iter().map(|d| &d.message).collect::<Vec<_>>()),
        }
    }

    #[test]
    fn expressions_print_with_needed_parentheses_only() {
        let r = view_of(
            r#"rubric t { title "t" }
record 回访 {
  id: id
  a: number 0..10
  b: number 0..10
  c: text optional
  x = (a + b) * 2 - (a - b)
  y = if a > 5 and (b < 3 or c is blank) then -a else a / (b + 1)
  z = not (a > 1) and c in ("x", "y")
}
example "e" {
  given {
    | id | a | b | c |
    | r1 | 1 | 2 |   |
  }
  expect record r1 { x = 7 }
}
"#,
        );
        let v = View::new(&r, None);
        let kind = &r.kinds[0];
        let texts: Vec<String> = kind
            .computed
            .iter()
            .filter_map(|c| match &c.def {
                ComputedDef::Expr(e) => Some(v.expr(e, Scope::Kind(0))),
                _ => None,
            })
            .collect();
        assert_eq!(
            texts,
            [
                "(a + b) * 2 - (a - b)",
                "if a > 5 and (b < 3 or c is blank) then -a else a / (b + 1)",
                "not a > 1 and c in (\"x\", \"y\")",
            ]
        );
    }
}
