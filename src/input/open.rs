//! Opening an input without hanging on a named pipe.
//!
//! Opening a FIFO for reading blocks until a writer opens it too, and std offers no way to
//! open with a timeout (nor, without `unsafe`, to open non-blocking and switch back). So a
//! FIFO is opened on a helper thread while the caller waits at most the given time: a FIFO
//! with a writer (or one arriving in time) opens as usual; one nothing writes to is refused
//! after the wait. The helper thread stays blocked in `open` until a writer appears or the
//! process ends (the CLI exits right after the error), holding nothing but the path.
//! Anything else (regular files, character devices, `/dev/fd/N` pipes whose writer exists) is
//! opened directly.

use super::Failure;
use std::fs::File;
use std::path::Path;
use std::time::Duration;

/// Opens `path` for reading; also returns its size when it is a regular file.
pub fn open(path: &Path, fifo_wait: Duration) -> Result<(File, Option<u64>), Failure> {
    let meta = std::fs::metadata(path).map_err(Failure::Io)?;
    if is_fifo(&meta) {
        return open_fifo(path, fifo_wait).map(|f| (f, None));
    }
    let file = File::open(path).map_err(Failure::Io)?;
    Ok((file, meta.is_file().then_some(meta.len())))
}

#[cfg(unix)]
fn is_fifo(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_fifo()
}

#[cfg(not(unix))]
fn is_fifo(_: &std::fs::Metadata) -> bool {
    false
}

fn open_fifo(path: &Path, wait: Duration) -> Result<File, Failure> {
    let (tx, rx) = std::sync::mpsc::channel();
    let owned = path.to_path_buf();
    std::thread::Builder::new()
        .name("keyblast-open-fifo".into())
        .spawn(move || {
            // the receiver is gone when the wait is over: the file is dropped (closed) then
            let _ = tx.send(File::open(owned));
        })
        .map_err(Failure::Io)?;
    match rx.recv_timeout(wait) {
        Ok(opened) => opened.map_err(Failure::Io),
        Err(_) => Err(Failure::NoWriter { waited: wait }),
    }
}
