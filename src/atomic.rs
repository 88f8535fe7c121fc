//! Writing a whole file atomically: every file keyblast writes as a whole (the report of
//! `analyze --output`, the inventory of `discover --output`) goes through [`write`] or
//! [`write_with`], so a reader of the file — a CI step uploading the report, the next
//! `analyze --inventory` — sees the previous file or the complete new one, never half of one.
//!
//! How: the content goes to a new temporary file in the target's own directory (a rename is
//! atomic only within one file system), named `.NAME.keyblast-PID-N.tmp` (hidden, so a glob
//! such as `*.json` never picks it up half-written, and created with `create_new`, so it
//! neither follows a link planted under that name nor reuses another run's file). It is
//! flushed to disk (`sync_all`: a full disk or a failing file system reports its error here,
//! before the old file is touched, and a crash right after the rename cannot leave an empty
//! file on file systems that write data after metadata), takes the permissions of the file it
//! replaces, and is renamed over the target. On any failure — the content cannot be produced,
//! the disk is full, the rename is refused (the target is a directory, the directory is
//! read-only) — or a panic, the temporary file is removed and the target is left as it was.
//! So a target in a directory keyblast cannot create files in is an error even where the file
//! itself is writable: overwriting it in place is the half-written file this module prevents.
//!
//! What is replaced is the name given: a symbolic link there is replaced by the new file, not
//! followed. A report is written where a pull request's author controls the tree (a CI
//! checkout), and a link planted there (`keyblast-report/keyblast.json -> ~/.bashrc`) must not
//! redirect keyblast's write to a file of the runner's. The directory is not synced after the
//! rename: the promise is that a failed or interrupted run never leaves half a file, and a
//! report lost to a power cut is written again by the next run.
//!
//! Streams are written in place, as before: a target that exists and is neither a regular
//! file nor a directory (`/dev/null`, a named pipe, a terminal) and the process's own
//! descriptors (`/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1`, which may name a file the shell
//! redirected to). They have nothing to replace atomically, and renaming over them would be
//! wrong: as root, a rename over `/dev/null` replaces the device with a regular file.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes `bytes` as the whole content of `path`, atomically (see the module doc).
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_with(path, |out| out.write_all(bytes))
}

/// Writes what `fill` writes as the whole content of `path`, atomically (see the module doc):
/// when `fill` fails (or panics), the file at `path` is left as it was and nothing else stays
/// behind.
pub fn write_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    if is_stream(path) {
        let mut out = BufWriter::new(File::create(path)?);
        fill(&mut out)?;
        return out.flush();
    }
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(ErrorKind::InvalidInput, "not a file name"))?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let (file, temp) = create_temp(dir, &name.to_string_lossy())?;
    let temp = Temp(Some(temp));
    let mut out = BufWriter::new(file);
    fill(&mut out)?;
    let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
    // the mode of the file replaced (a report made readable by the group stays so); a new
    // file gets what `File::create` would give it
    if let Ok(meta) = fs::symlink_metadata(path) {
        if meta.is_file() {
            file.set_permissions(meta.permissions())?;
        }
    }
    file.sync_all()?;
    drop(file);
    fs::rename(temp.path(), path)?;
    temp.renamed();
    Ok(())
}

/// The temporary file, removed when dropped: on every way out of [`write_with`] (an error, a
/// panic) but the rename.
struct Temp(Option<PathBuf>);

impl Temp {
    fn path(&self) -> &Path {
        self.0.as_deref().unwrap_or(Path::new(""))
    }

    /// It is the target now: nothing to remove.
    fn renamed(mut self) {
        self.0 = None;
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = fs::remove_file(p);
        }
    }
}

/// Distinguishes temporary files of one process (tests write in parallel).
static NEXT: AtomicU64 = AtomicU64::new(0);

/// Longest part of the target's name kept in the temporary file's name (in characters): a
/// name near the file system's limit must not make the temporary one too long.
const NAME_KEPT: usize = 64;

/// A new file in `dir` for the content of the file `name`.
fn create_temp(dir: &Path, name: &str) -> io::Result<(File, PathBuf)> {
    let stem: String = name.chars().take(NAME_KEPT).collect();
    let pid = std::process::id();
    loop {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(format!(".{stem}.keyblast-{pid}-{n}.tmp"));
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(f) => return Ok((f, temp)),
            // left by a run of another process that had this pid: take the next number
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// True for an output written in place (see the module doc): an existing target that is not
/// a regular file or a directory, or one of the process's descriptors under `/proc`.
fn is_stream(path: &Path) -> bool {
    if fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return true;
    }
    let proc = Path::new("/proc");
    // `/dev/stdout` → `/proc/self/fd/1`
    if fs::read_link(path).is_ok_and(|to| to.starts_with(proc)) {
        return true;
    }
    // `/dev/fd/1`, `/proc/self/fd/1`
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .and_then(|d| fs::canonicalize(d).ok())
        .is_some_and(|d| d.starts_with(proc))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory for one test.
    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("keyblast-atomic-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    /// The names in `d`, sorted.
    fn names(d: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_write_replaces_the_file_and_leaves_nothing_else() {
        let d = dir("replace");
        let target = d.join("report.json");
        write(&target, b"old").unwrap();
        write(&target, b"new and longer").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"new and longer");
        write(&target, b"").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"");
        assert_eq!(names(&d), ["report.json"]);
    }

    #[test]
    fn a_refused_rename_leaves_the_target_and_no_temporary_file() {
        let d = dir("refused");
        // a directory cannot be replaced by a file: the rename fails after the content was
        // written in full
        let target = d.join("report.json");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("kept"), b"old").unwrap();
        let e = write(&target, b"new").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::IsADirectory, "{e}");
        assert_eq!(fs::read(target.join("kept")).unwrap(), b"old");
        assert_eq!(names(&d), ["report.json"], "no temporary file left");
    }

    #[test]
    fn a_failure_while_writing_leaves_the_old_file_whole() {
        let d = dir("fill-fails");
        let target = d.join("inventory.json");
        write(&target, b"the previous inventory").unwrap();
        let e = write_with(&target, |out| {
            out.write_all(&[b'x'; 100_000])?;
            Err(io::Error::other("disk full"))
        })
        .unwrap_err();
        assert_eq!(e.to_string(), "disk full");
        assert_eq!(fs::read(&target).unwrap(), b"the previous inventory");
        assert_eq!(names(&d), ["inventory.json"]);
        // a panic too
        let caught = std::panic::catch_unwind(|| {
            let _ = write_with(&target, |out| {
                out.write_all(b"half")?;
                panic!("renderer bug")
            });
        });
        assert!(caught.is_err());
        assert_eq!(fs::read(&target).unwrap(), b"the previous inventory");
        assert_eq!(names(&d), ["inventory.json"]);
    }

    #[test]
    fn a_missing_directory_is_an_error_and_creates_nothing() {
        let d = dir("missing");
        let e = write(&d.join("no/such/dir/r.json"), b"x").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
        assert!(names(&d).is_empty());
        assert!(write(Path::new("/"), b"x").is_err(), "no file name");
    }

    #[cfg(unix)]
    #[test]
    fn the_mode_of_the_replaced_file_is_kept() {
        use std::os::unix::fs::PermissionsExt;
        let d = dir("mode");
        let target = d.join("report.html");
        write(&target, b"old").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o640)).unwrap();
        write(&target, b"new").unwrap();
        let mode = fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_at_the_target_is_replaced_not_followed() {
        let d = dir("link");
        let victim = d.join("victim");
        fs::write(&victim, b"the runner's file").unwrap();
        let target = d.join("report.json");
        std::os::unix::fs::symlink(&victim, &target).unwrap();
        write(&target, b"report").unwrap();
        assert_eq!(fs::read(&victim).unwrap(), b"the runner's file");
        assert!(fs::symlink_metadata(&target).unwrap().is_file());
        assert_eq!(fs::read(&target).unwrap(), b"report");
        // a link left dangling is replaced too
        let dangling = d.join("dangling.json");
        std::os::unix::fs::symlink(d.join("nowhere"), &dangling).unwrap();
        write(&dangling, b"report").unwrap();
        assert!(!d.join("nowhere").exists());
        assert_eq!(names(&d), ["dangling.json", "report.json", "victim"]);
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_descriptors_are_written_in_place() {
        use std::os::unix::fs::FileTypeExt;
        write(Path::new("/dev/null"), b"discarded").unwrap();
        let null = fs::symlink_metadata("/dev/null").unwrap();
        assert!(
            null.file_type().is_char_device(),
            "/dev/null is still the device"
        );
        assert!(is_stream(Path::new("/dev/null")));
        if Path::new("/proc/self/fd").is_dir() {
            assert!(is_stream(Path::new("/dev/stdout")));
            assert!(is_stream(Path::new("/dev/fd/1")));
            assert!(is_stream(Path::new("/proc/self/fd/1")));
        }
        let d = dir("stream");
        assert!(!is_stream(&d.join("new.json")));
        assert!(
            !is_stream(&d),
            "a directory is refused by the rename, not written into"
        );
        assert!(!is_stream(Path::new("report.json")));
    }
}
