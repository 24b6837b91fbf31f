#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Tells when anything under the watched folders of a site changes. Uses inotify (instant,
/// cheap on thousands of files), watches new folders as they appear, and watches the site
/// folder itself so that `static/` or `templates/` created later are picked up too.
/// Used by the one thread that waits for changes.
package final class FileWatcher {
    private let fd: Int32
    private let root: String
    private let folderNames: Set<String>
    private var rootWatch: Int32 = -1
    private var watches: [Int32: String] = [:]

    /// nil when inotify is not available (the caller then polls).
    package init?(root: URL, folders: [String]) {
        let fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        self.fd = fd
        self.root = root.path
        folderNames = Set(folders)
        rootWatch = inotify_add_watch(fd, self.root, UInt32(IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE))
        for name in folders { addRecursively(self.root + "/" + name) }
    }

    deinit { close(fd) }

    private var mask: UInt32 {
        UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_ATTRIB)
    }

    private func addRecursively(_ path: String) {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else { return }
        let wd = inotify_add_watch(fd, path, mask)
        if wd >= 0 { watches[wd] = path }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] where !name.hasPrefix(".") {
            addRecursively(path + "/" + name)
        }
    }

    /// Set when the kernel's event queue overflowed: some changes are unknown.
    package private(set) var overflowed = false

    /// Blocks until at least one relevant change, then waits until the changes stop for
    /// `quiet` seconds (an editor saving several files, a `git checkout`), at most `limit`
    /// seconds, and returns every path that changed meanwhile. Empty when inotify fails.
    /// After it returns, `overflowed` tells whether that list is incomplete.
    package func waitForChanges(quiet: TimeInterval = 0.015, limit: TimeInterval = 0.5) -> [String] {
        overflowed = false
        var changed: [String] = []
        while changed.isEmpty {
            guard let batch = readBatch() else { return [] }
            changed += batch
        }
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, Int32(quiet * 1000))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0, let batch = readBatch() else { break }
            changed += batch
        }
        return changed
    }

    /// One `read` of events: the relevant changed paths (maybe none), nil on failure.
    private func readBatch() -> [String]? {
        let size = 64 * 1024
        var buffer = [UInt8](repeating: 0, count: size)
        var n = 0
        repeat {
            n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, size) }
        } while n < 0 && errno == EINTR
        if n <= 0 { return nil }
        var changed: [String] = []
        var offset = 0
        let header = MemoryLayout<inotify_event>.size
        while offset + header <= n {
            let event = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: inotify_event.self) }
            let nameLength = Int(event.len)
            var name = ""
            if nameLength > 0 {
                let bytes = buffer[(offset + header)..<min(n, offset + header + nameLength)]
                name = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            offset += header + nameLength
            if event.mask & UInt32(IN_Q_OVERFLOW) != 0 {
                overflowed = true
                changed.append(root)
                continue
            }
            let isDirectory = event.mask & UInt32(IN_ISDIR) != 0
            let appeared = event.mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0
            if event.wd == rootWatch {
                // Only the site's own folders matter at the top: not public/, not .git/.
                guard folderNames.contains(name) else { continue }
                if isDirectory && appeared { addRecursively(root + "/" + name) }
                changed.append(root + "/" + name)
                continue
            }
            guard let folder = watches[event.wd], !name.hasPrefix(".") else { continue }
            if event.mask & UInt32(IN_IGNORED) != 0 {
                watches[event.wd] = nil
                continue
            }
            let path = name.isEmpty ? folder : folder + "/" + name
            if isDirectory && appeared { addRecursively(path) }
            // Hidden files (editors' swap and lock files) are skipped above: the build
            // ignores them too. Anything else may be read by the build (a `notes~` in
            // static/ is published), so it counts.
            changed.append(path)
        }
        return changed
    }
}
