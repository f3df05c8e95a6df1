//! The canonical formatter: one spelling and one layout for every rubric, with all
//! comments kept.
//!
//! Rules, in short:
//! - two spaces of indentation per block, one statement per line, `{` at the end of
//!   the head line and `}` alone on its line; an empty block prints as `head {}`;
//! - one blank line between top-level items; inside blocks one blank line is kept
//!   where the source had any, never right after `{` or before `}`;
//! - ASCII operators, single spaces around binary operators, `=>` and `=`, `, `
//!   between arguments, strings re-escaped, numbers exactly as written, brackets only
//!   where they were written;
//! - scale rows line up their `=>`, record fields their types, score blocks their
//!   indicators' weights, and example tables their `|`, all by display width;
//! - comments: see `printer.rs`.

mod blocks;
mod expr;
mod line;
mod printer;

use crate::ast::File;
use printer::Printer;

pub use expr::quote;

/// Prints `file` canonically. `source` is the text `file` was parsed from; it is read
/// only to place comments and keep blank lines. The result parses to a tree equal to
/// `file` (with the same comments, in the same order), and formatting it again gives
/// the same text.
pub fn format(file: &File, source: &str) -> String {
    let mut p = Printer::new(source, &file.comments);
    for item in &file.items {
        p.separate_item();
        blocks::item(&mut p, item);
    }
    p.separate_item();
    p.finish()
}
