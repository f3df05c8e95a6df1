//! From command-line paths to rubric sources: directories are searched for `.rubric`
//! files, `-` is standard input, and every read is bounded by the source size limit
//! before anything is decoded (reliability.md A5).

use rubric_syntax::{limits, Diagnostic};
use std::borrow::Cow;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Where a rubric comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Input {
    /// Standard input, written `-`.
    Stdin,
    /// A file.
    File(PathBuf),
}

impl Input {
    /// The name shown in diagnostics.
    pub(crate) fn name(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_string(),
            Input::File(p) => p.display().to_string(),
        }
    }
}

/// A rubric source as read: its bytes, and its text or the reason it has none.
#[derive(Debug)]
pub(crate) struct Loaded {
    /// The bytes read (at most one byte over the size limit).
    pub(crate) bytes: Vec<u8>,
    /// The decoded text, or the encoding, size or control-character problem.
    pub(crate) text: Result<String, Diagnostic>,
}

impl Loaded {
    /// The text diagnostics point into: the decoded text, or for an undecodable file
    /// a lossy reading of it (with the BOM dropped, as the decoder counts offsets).
    pub(crate) fn shown(&self) -> Cow<'_, str> {
        match &self.text {
            Ok(text) => Cow::Borrowed(text.as_str()),
            Err(_) => {
                let bytes = self
                    .bytes
                    .strip_prefix(b"\xEF\xBB\xBF")
                    .unwrap_or(&self.bytes);
                String::from_utf8_lossy(bytes)
            }
        }
    }
}

/// Expands the command line's paths into inputs: files as given, directories
/// searched recursively for `.rubric` files (sorted; hidden directories skipped), `-`
/// as standard input. Paths that cannot be used are returned as messages.
pub(crate) fn expand(paths: &[PathBuf]) -> (Vec<Input>, Vec<String>) {
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            // Standard input can be read once.
            if !inputs.contains(&Input::Stdin) {
                inputs.push(Input::Stdin);
            }
            continue;
        }
        match fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                let before = inputs.len();
                if let Err(e) = walk(path, &mut inputs) {
                    problems.push(io_problem("cannot search", path, &e));
                } else if inputs.len() == before {
                    problems.push(format!(
                        "no .rubric files in the directory `{}`",
                        path.display()
                    ));
                }
            }
            Ok(_) => inputs.push(Input::File(path.clone())),
            Err(e) => problems.push(io_problem("cannot read", path, &e)),
        }
    }
    (inputs, problems)
}

/// Adds the `.rubric` files under `dir`, sorted by path. Symbolic links to directories
/// are not followed, so a link cycle cannot make the search endless.
fn walk(dir: &Path, out: &mut Vec<Input>) -> io::Result<()> {
    let mut entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(fs::DirEntry::path);
    for entry in entries {
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        let kind = entry.file_type()?;
        if kind.is_dir() {
            if !hidden {
                walk(&path, out)?;
            }
        } else if path.extension().is_some_and(|e| e == "rubric") {
            out.push(Input::File(path));
        }
    }
    Ok(())
}

/// Reads and decodes one input. Only an I/O failure is an error here; a file that is
/// too large, not UTF-8, empty or full of control characters is loaded with the
/// diagnostic that says so.
pub(crate) fn load(input: &Input) -> Result<Loaded, String> {
    let bytes = match input {
        Input::Stdin => read_bounded(io::stdin().lock()),
        Input::File(path) => fs::File::open(path).and_then(read_bounded),
    }
    .map_err(|e| match input {
        Input::Stdin => format!("cannot read standard input: {}", plain(&e)),
        Input::File(path) => io_problem("cannot read", path, &e),
    })?;
    let text = rubric_syntax::decode(&bytes);
    Ok(Loaded { bytes, text })
}

/// Reads at most one byte more than the source limit, so an oversized file is
/// recognised without reading all of it.
fn read_bounded(reader: impl Read) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let limit = u64::try_from(limits::MAX_SOURCE_BYTES)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    reader.take(limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Replaces `path` with `contents` by writing a temporary file beside it and renaming
/// it over the original, so an interrupted write never leaves half a file. The
/// original's permissions are kept.
pub(crate) fn replace(path: &Path, contents: &[u8]) -> Result<(), String> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.rubric-tmp"));
    let written = fs::write(&temp, contents)
        .and_then(|()| match fs::metadata(path) {
            Ok(m) => fs::set_permissions(&temp, m.permissions()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        })
        .and_then(|()| fs::rename(&temp, path));
    written.map_err(|e| {
        let _ = fs::remove_file(&temp);
        io_problem("cannot write", path, &e)
    })
}

/// "cannot read `x.rubric`: no such file or directory".
pub(crate) fn io_problem(what: &str, path: &Path, e: &io::Error) -> String {
    format!("{what} `{}`: {}", path.display(), plain(e))
}

/// An I/O error in plain words, without the OS error number.
fn plain(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(at) => text.get(..at).unwrap_or(&text).to_string(),
                None => text,
            }
        }
    }
}
