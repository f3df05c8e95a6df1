//! Binding an input header to the rubric: which column feeds each field of each
//! kind, and which column (and value) selects the kind. Done once, before the
//! first row.

use super::errors;
use super::scale::nfc;
use crate::model::{FieldType, KindId, Rubric};
use rubric_syntax::Diagnostic;
use std::collections::HashMap;

/// Column positions for one run.
pub(crate) struct Binding {
    /// Number of header columns.
    pub width: usize,
    /// The kind of every row, when the input holds one kind only.
    pub fixed_kind: Option<KindId>,
    /// The kind column, when rows choose their kind.
    pub kind_col: Option<usize>,
    /// Kind column value (trimmed, NFC) → kind.
    pub select: HashMap<String, KindId>,
    /// Per kind, per field: its column (`None`: an optional field without one).
    pub columns: Vec<Vec<Option<usize>>>,
}

/// Binds `header` to `rubric`, or says every problem at once. With `fixed_kind`,
/// every row is of that kind: no kind column is needed, and only that kind's
/// columns are required.
pub(crate) fn bind(
    rubric: &Rubric,
    header: &[&str],
    fixed_kind: Option<KindId>,
) -> Result<Binding, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let positions = positions(header);
    let find = |name: &str, diags: &mut Vec<Diagnostic>| -> Option<usize> {
        let at = positions.get(nfc(name.trim()).as_ref())?;
        if let [first, second, ..] = at.as_slice() {
            diags.push(errors::header_dup(name, *first, *second));
        }
        at.first().copied()
    };
    let kind_col = match &rubric.kind_column {
        _ if fixed_kind.is_some() => None,
        Some(col) => {
            let found = find(col, &mut diags);
            if found.is_none() && rubric.kinds.len() > 1 {
                diags.push(errors::missing_kind_column(col));
            }
            found
        }
        None if rubric.kinds.len() > 1 => {
            diags.push(errors::no_kind_column());
            None
        }
        None => None,
    };
    let mut columns = Vec::with_capacity(rubric.kinds.len());
    for (id, kind) in rubric.kinds.iter().enumerate() {
        let wanted = fixed_kind.is_none_or(|k| usize::try_from(k).ok() == Some(id));
        let mut cols = Vec::with_capacity(kind.fields.len());
        for field in &kind.fields {
            let col = find(&field.column, &mut diags);
            let required = wanted && !field.optional && !matches!(field.ty, FieldType::Flag);
            if col.is_none() && required {
                diags.push(errors::missing_column(
                    &field.column,
                    &field.name,
                    &kind.name,
                    field.span,
                ));
            }
            cols.push(col);
        }
        columns.push(cols);
    }
    if !diags.is_empty() {
        dedup(&mut diags);
        return Err(diags);
    }
    Ok(Binding {
        width: header.len(),
        fixed_kind,
        kind_col,
        select: select_map(rubric),
        columns,
    })
}

/// Header name (trimmed, NFC) → every position it has.
fn positions(header: &[&str]) -> HashMap<String, Vec<usize>> {
    let mut map: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        map.entry(nfc(name.trim()).into_owned())
            .or_default()
            .push(i);
    }
    map
}

/// A column used by several fields is reported as a duplicate only once.
fn dedup(diags: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::HashSet::new();
    diags.retain(|d| seen.insert((d.code, d.message.clone())));
}

fn select_map(rubric: &Rubric) -> HashMap<String, KindId> {
    let mut map = HashMap::new();
    for (id, kind) in rubric.kinds.iter().enumerate() {
        let Ok(id) = KindId::try_from(id) else {
            continue;
        };
        for value in &kind.select {
            map.entry(nfc(value.trim()).into_owned()).or_insert(id);
        }
    }
    map
}
