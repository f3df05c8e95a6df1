//! Standard output that survives a closed pipe: `rubric fmt --stdout x | head -1`
//! stops writing quietly instead of failing, and the exit code still says how the run
//! went.

use std::io::{self, Write};

/// Standard output, remembering whether the reader has gone away.
#[derive(Debug, Default)]
pub struct Stdout {
    closed: bool,
}

impl Stdout {
    /// Writes `text` and flushes it. A closed pipe is not an error: later writes are
    /// dropped. Any other failure is returned.
    pub fn write(&mut self, text: &str) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let mut out = io::stdout().lock();
        match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }
}
