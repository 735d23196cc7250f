//! One run at a time per output folder: two cron runs that overlap must not
//! interleave their writes. The lock is an OS file lock (flock), so a run
//! killed with SIGKILL releases it with its process; it never goes stale.

use std::fs::{self, File, TryLockError};
use std::path::Path;
use std::time::{Duration, Instant};

/// Held for the whole run; dropping it releases the lock.
#[derive(Debug)]
pub struct RunLock {
    _file: File,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another almanac run is publishing to {0} (waited {1} s); try again later or raise --lock-timeout"
    )]
    Busy(String, u64),
    #[error("cannot lock {0}: {1}")]
    Io(String, std::io::Error),
}

/// Takes the lock of `out_dir`, waiting up to `timeout` for another run.
pub fn lock(out_dir: &Path, timeout: Duration) -> Result<RunLock, LockError> {
    let state = out_dir.join(crate::publish::STATE_DIR);
    if let Err(error) = super::folder::refuse_links(out_dir, Path::new(crate::publish::STATE_DIR)) {
        let path = state.join("lock").display().to_string();
        return Err(LockError::Io(
            path,
            std::io::Error::other(error.to_string()),
        ));
    }
    held(&state, &out_dir.display().to_string(), timeout)
}

/// Takes the lock of the folder `dir` (a cache folder), waiting up to
/// `timeout` for another run.
pub fn lock_folder(dir: &Path, timeout: Duration) -> Result<RunLock, LockError> {
    held(dir, &dir.display().to_string(), timeout)
}

/// The lock file in `state`, locked; `name` says whose it is.
fn held(state: &Path, name: &str, timeout: Duration) -> Result<RunLock, LockError> {
    let path = state.join("lock");
    let io = |error| LockError::Io(path.display().to_string(), error);
    fs::create_dir_all(state).map_err(io)?;
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io)?;
    let started = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(RunLock { _file: file }),
            Err(TryLockError::WouldBlock) if started.elapsed() < timeout => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(TryLockError::WouldBlock) => {
                return Err(LockError::Busy(name.to_string(), timeout.as_secs()));
            }
            Err(TryLockError::Error(error)) => return Err(io(error)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_waits_then_gives_up() {
        let dir = tempfile::tempdir().unwrap();
        let held = lock(dir.path(), Duration::ZERO).unwrap();
        let started = Instant::now();
        let second = lock(dir.path(), Duration::from_millis(200));
        assert!(matches!(second, Err(LockError::Busy(..))));
        assert!(started.elapsed() >= Duration::from_millis(200));
        drop(held);
        assert!(lock(dir.path(), Duration::ZERO).is_ok(), "released on drop");
    }
}
