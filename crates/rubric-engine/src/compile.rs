//! From source text to a checked rubric, and to and from its RON form.

use crate::check::{check, Checked};
use crate::model::{Rubric, FORMAT_VERSION};
use rubric_syntax::Diagnostic;
use sha2::{Digest, Sha256};

/// Parses and checks rubric source text. The rubric's hash is the SHA-256 of its
/// canonical (formatted) text, so a reformatted file keeps its hash.
pub fn compile(source: &str) -> Result<Checked, Vec<Diagnostic>> {
    let file = rubric_syntax::parse(source)?;
    let canonical = rubric_syntax::format(&file, source);
    let hash = Sha256::digest(canonical.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    check(&file, hash)
}

/// The rubric in its versioned RON form (decimals as strings).
pub fn to_ron(rubric: &Rubric) -> Result<String, Diagnostic> {
    let config = ron::ser::PrettyConfig::new()
        .depth_limit(64)
        .struct_names(true);
    ron::ser::to_string_pretty(rubric, config).map_err(|e| {
        Diagnostic::error("E-RON", format!("cannot write the compiled rubric: {e}"))
            .help("this is a bug in rubric; please report it")
    })
}

/// Loads a rubric from its RON form, refusing other format versions.
pub fn from_ron(text: &str) -> Result<Rubric, Diagnostic> {
    let rubric: Rubric = ron::from_str(text).map_err(|e| {
        Diagnostic::error("E-RON", format!("not a compiled rubric: {e}"))
            .help("compile the .rubric source again with `rubric compile`")
    })?;
    if rubric.format != FORMAT_VERSION {
        return Err(Diagnostic::error(
            "E-RON-VERSION",
            format!(
                "the compiled rubric has format version {}, this rubric reads version {FORMAT_VERSION}",
                rubric.format
            ),
        )
        .help("compile the .rubric source again with this version of rubric"));
    }
    Ok(rubric)
}
