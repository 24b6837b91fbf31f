#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock held through a file (`flock`), for "one at a time" between processes:
/// one build per output, one pull per export. The file exists only while it is held
/// (removed on release), so a folder looks the same before and after; a process that dies
/// leaves it behind, and the next one simply takes it.
package final class FileLock: @unchecked Sendable {
    private var fd: Int32
    private let path: String

    private init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    /// Why a lock could not be taken.
    package enum Failure: Error {
        /// Another process holds it.
        case busy
        /// The file cannot be made (`errno`'s reason).
        case cannotCreate(String)
    }

    /// Takes the lock at `path` without waiting.
    package static func acquire(_ path: String) -> Result<FileLock, Failure> {
        while true {
            // Read-only: flock needs no more, and another user's file serves.
            let fd = open(path, O_CREAT | O_RDONLY | O_CLOEXEC, 0o644)
            guard fd >= 0 else { return .failure(.cannotCreate(String(cString: strerror(errno)))) }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                close(fd)
                return .failure(.busy)
            }
            // The holder before may have removed the file between our open and our lock:
            // the lock is then on a file nobody else will open. Taken again on the file there.
            var held = stat(), named = stat()
            if fstat(fd, &held) == 0, stat(path, &named) == 0, held.st_dev == named.st_dev, held.st_ino == named.st_ino {
                return .success(FileLock(fd: fd, path: path))
            }
            close(fd)
        }
    }

    /// Removes the file, then lets go (in that order: whoever opens the path next makes a
    /// new file, which this lock never covered).
    package func release() {
        guard fd >= 0 else { return }
        unlink(path)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
