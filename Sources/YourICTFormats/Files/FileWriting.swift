#if canImport(Glibc)
import Glibc
#endif

/// Files written with one `open`, `pwrite`s and `close`: the build's outputs and the
/// monitoring exports of `pull`.
package enum FileWriting {
    /// One `open`/`write`/`close`. A file recycled from the previous output is overwritten
    /// in place, or left as it is when it already holds these bytes (it then keeps its
    /// modification time); a new file is created. Never through a symbolic link.
    package static func writeFile(_ path: String, _ bytes: [UInt8], reuse: Bool = false) -> Bool {
        writeFile(path, [bytes], reuse: reuse)
    }

    /// The same, for content in pieces (written one after the other).
    /// `stamp` is told the file's size and modification time (nanoseconds) as written.
    /// `current`: where readers get this file now (in the output a build replaces): a
    /// recycled file left as it is never looks older than that one (`keepTimeInOrder`).
    package static func writeFile(_ path: String, _ chunks: [[UInt8]], reuse: Bool = false, current: String? = nil,
                                  stamp: ((Int64, Int64) -> Void)? = nil) -> Bool {
        let fd = open(path, reuse ? (O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC) : (O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC), 0o644)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        func stamped() -> Bool {
            guard let stamp else { return true }
            var st = stat()
            guard fstat(fd, &st) == 0 else { return false }
            stamp(Int64(st.st_size), Int64(st.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(st.st_mtim.tv_nsec))
            return true
        }
        let size = chunks.reduce(0) { $0 + $1.count }
        if reuse {
            var st = stat()
            if fstat(fd, &st) == 0, Int(st.st_size) == size, sameContent(fd, chunks, size: size) {
                if let current { keepTimeInOrder(fd, st, current: current, chunks, size: size) }
                return stamped()
            }
        }
        // Small pieces (the entries of a large JSON document) are gathered into writes of
        // about 256 KB: one system call per entry would be thousands per file.
        var offset = 0
        var pending: [UInt8] = []
        func flush() -> Bool {
            guard !pending.isEmpty else { return true }
            defer { offset += pending.count; pending.removeAll(keepingCapacity: true) }
            return writeAll(fd, pending, at: offset)
        }
        for chunk in chunks {
            if chunks.count > 1 && chunk.count < 1 << 16 {
                if pending.isEmpty { pending.reserveCapacity(1 << 18) }
                pending.append(contentsOf: chunk)
                if pending.count >= 1 << 18, !flush() { return false }
                continue
            }
            guard flush(), writeAll(fd, chunk, at: offset) else { return false }
            offset += chunk.count
        }
        guard flush() else { return false }
        // Truncating sets the modification time too: the stamp comes after.
        guard !reuse || ftruncate(fd, off_t(size)) == 0 else { return false }
        return stamped()
    }

    /// A recycled file is the output before the last one: left as it is, its modification
    /// time (an HTTP `Last-Modified`) may be older than the one readers have now, for other
    /// bytes: a status badge up, then down, then up again. A cache revalidating the "down"
    /// one would be told it is not modified (Apache, and any cache taking
    /// `If-Modified-Since` as "not since"). So when the file readers have now is newer, this
    /// one takes its time if it holds the same bytes, else the present: it changed.
    private static func keepTimeInOrder(_ fd: Int32, _ recycled: stat, current: String, _ chunks: [[UInt8]], size: Int) {
        var now = stat()
        guard lstat(current, &now) == 0, now.st_mode & S_IFMT == S_IFREG else { return }
        let (c, r) = (now.st_mtim, recycled.st_mtim)
        guard (c.tv_sec, c.tv_nsec) > (r.tv_sec, r.tv_nsec) else { return }
        var same = false
        if Int(now.st_size) == size {
            let other = open(current, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            if other >= 0 {
                same = sameContent(other, chunks, size: size)
                close(other)
            }
        }
        // <sys/stat.h>'s UTIME_OMIT and UTIME_NOW, macros Swift does not import (Linux values).
        let omit = (1 << 30) - 2, present = (1 << 30) - 1
        var times = [timespec(tv_sec: 0, tv_nsec: omit), same ? c : timespec(tv_sec: 0, tv_nsec: present)]
        _ = futimens(fd, &times)
    }

    /// `pwrite` until all of `bytes` is written at `offset`.
    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], at offset: Int) -> Bool {
        bytes.withUnsafeBytes { buffer -> Bool in
            var done = 0
            while done < buffer.count {
                let n = pwrite(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                done += n
            }
            return true
        }
    }

    /// Whether the open file holds exactly `chunks`, one after the other (its size already matches).
    private static func sameContent(_ fd: Int32, _ chunks: [[UInt8]], size: Int) -> Bool {
        if size == 0 { return true }
        var buffer = [UInt8](repeating: 0, count: min(size, 1 << 16))
        var offset = 0
        for bytes in chunks where !bytes.isEmpty {
            var done = 0
            while done < bytes.count {
                let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, min($0.count, bytes.count - done), off_t(offset + done)) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return false }
                let equal = buffer.withUnsafeBytes { b in bytes.withUnsafeBytes { memcmp(b.baseAddress!, $0.baseAddress! + done, n) == 0 } }
                guard equal else { return false }
                done += n
            }
            offset += bytes.count
        }
        return true
    }

}
