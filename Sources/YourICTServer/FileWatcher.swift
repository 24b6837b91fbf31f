#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Tells when anything under the watched folders changes. Uses inotify (instant,
/// cheap on thousands of files) and watches new folders as they appear.
final class FileWatcher: @unchecked Sendable {
    private let fd: Int32
    private var watches: [Int32: String] = [:]
    private let lock = NSLock()

    /// nil when inotify is not available (the caller then polls).
    init?(folders: [URL]) {
        let fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        self.fd = fd
        for folder in folders { addRecursively(folder.path) }
    }

    deinit { close(fd) }

    private var mask: UInt32 {
        UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_ATTRIB)
    }

    private func addRecursively(_ path: String) {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else { return }
        let wd = inotify_add_watch(fd, path, mask)
        if wd >= 0 {
            lock.lock()
            watches[wd] = path
            lock.unlock()
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] where !name.hasPrefix(".") {
            addRecursively(path + "/" + name)
        }
    }

    /// Blocks until at least one change, then returns the changed paths.
    func waitForChanges() -> [String] {
        let size = 64 * 1024
        var buffer = [UInt8](repeating: 0, count: size)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, size) }
            if n <= 0 {
                if errno == EINTR { continue }
                return []
            }
            var changed: [String] = []
            var offset = 0
            while offset < n {
                let event = buffer.withUnsafeBytes { $0.load(fromByteOffset: offset, as: inotify_event.self) }
                let nameLength = Int(event.len)
                var name = ""
                if nameLength > 0 {
                    name = buffer[(offset + MemoryLayout<inotify_event>.size)..<(offset + MemoryLayout<inotify_event>.size + nameLength)]
                        .withUnsafeBufferPointer { String(cString: UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self)) }
                }
                lock.lock()
                let folder = watches[event.wd]
                lock.unlock()
                if let folder, !name.hasPrefix(".") {
                    let path = name.isEmpty ? folder : folder + "/" + name
                    changed.append(path)
                    if event.mask & UInt32(IN_ISDIR) != 0 && event.mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
                        addRecursively(path)
                    }
                }
                offset += MemoryLayout<inotify_event>.size + nameLength
            }
            // Editors' swap files and backups are not content changes.
            let relevant = changed.filter { !$0.hasSuffix("~") && !$0.hasSuffix(".swp") && !$0.hasSuffix(".swx") && !$0.contains("/.#") }
            if !relevant.isEmpty { return relevant }
        }
    }
}
