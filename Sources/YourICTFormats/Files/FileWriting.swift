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
    package static func writeFile(_ path: String, _ chunks: [[UInt8]], reuse: Bool = false, stamp: ((Int64, Int64) -> Void)? = nil) -> Bool {
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
            if fstat(fd, &st) == 0, Int(st.st_size) == size, sameContent(fd, chunks, size: size) { return stamped() }
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
