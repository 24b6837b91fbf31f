import CYourICTSystem
import Foundation

/// Writes a generated site into the output folder atomically: everything goes to a
/// staging folder beside it, which then replaces the old output in one rename.
public struct OutputWriter {
    /// Marks a folder as yourict's output, so that a later build may replace it.
    public static let marker = ".yourict-output"

    public enum WriteError: Error, CustomStringConvertible {
        case refused(String, hint: String)
        case io(String)

        public var description: String {
            switch self {
            case .refused(let message, _): return message
            case .io(let message): return message
            }
        }

        public var hint: String? {
            if case .refused(_, let hint) = self { return hint }
            return nil
        }
    }

    public let output: URL
    public let source: URL

    public init(output: URL, source: URL) {
        self.output = output.standardizedFileURL
        self.source = source.standardizedFileURL
    }

    /// Refuses folders whose replacement would destroy something: `/`, the home
    /// folder, the source folder or its parents, `content/`, `templates/`, and any
    /// existing non-empty folder that yourict did not write.
    public func checkDestination() throws {
        let out = resolved(output)
        let src = resolved(source)
        let home = resolved(FileManager.default.homeDirectoryForCurrentUser)
        func inside(_ a: String, _ b: String) -> Bool { a == b || a.hasPrefix(b.hasSuffix("/") ? b : b + "/") }
        if out == "/" { throw WriteError.refused("refusing to write the site into /", hint: "choose an output folder such as ./public") }
        if out == home { throw WriteError.refused("refusing to replace your home folder with the site", hint: "choose an output folder such as ./public") }
        if inside(src, out) {
            throw WriteError.refused("refusing to write into \(output.path): it contains the source folder", hint: "the default output is public/ inside the source folder")
        }
        for protected in ["content", "templates", "static", ".git"] where inside(out, src + "/" + protected) {
            throw WriteError.refused("refusing to write into \(output.path): it is inside the source's \(protected)/ folder", hint: "the default output is public/ inside the source folder")
        }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: output.path, isDirectory: &isDir) {
            guard isDir.boolValue else {
                throw WriteError.refused("\(output.path) exists and is not a folder", hint: "remove it or choose another output folder")
            }
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? []
            if !entries.isEmpty && !entries.contains(Self.marker) {
                throw WriteError.refused("\(output.path) is not empty and was not written by yourict; it would be replaced",
                                         hint: "empty it, remove it, or choose another output folder")
            }
        }
    }

    /// The output before the last one, kept beside it (`.public.previous`) to be recycled
    /// by the next build: its folders and files are reused and overwritten in place rather
    /// than deleted and created again. On file systems where creating many files soon after
    /// deleting many is slow (ext4 without a journal), this is most of a build's writing
    /// time; and unchanged files keep their modification time, which `rsync` relies on.
    var previous: URL { output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).previous") }

    /// Writes `site`, then swaps it in. On any failure the previous output is untouched.
    public func write(_ site: GeneratedSite) throws {
        try checkDestination()
        // Every path is checked before anything is created: the folders are made from
        // these paths too, and a `..` there would make one outside the staging folder.
        if let unsafe = site.files.first(where: { !Self.isSafeRelativePath($0.path) }) {
            throw WriteError.io("refusing to write outside the output folder: \(unsafe.path)")
        }
        let parent = output.deletingLastPathComponent()
        let name = output.lastPathComponent
        let fm = FileManager.default
        try? fm.createDirectory(at: parent, withIntermediateDirectories: true)
        let staging = parent.appendingPathComponent(".\(name).staging-\(getpid())")
        try? fm.removeItem(at: staging)
        do {
            var existing = Tree()
            if Self.isOurs(previous.path), rename(previous.path, staging.path) == 0 {
                existing = Self.scan(staging.path)
            } else {
                try fm.createDirectory(at: staging, withIntermediateDirectories: true)
            }
            let stagingPath = staging.path
            var folders = Set<String>()
            for file in site.files {
                var path = Substring(file.path)
                while let slash = path.lastIndex(of: "/") {
                    path = path[..<slash]
                    if !folders.insert(String(path)).inserted { break }
                }
            }
            // What the recycled folder holds that this site does not: removed first, deepest first.
            let wanted = Set(site.files.map(\.path)).union([Self.marker])
            for file in existing.files where !wanted.contains(file) { unlink(stagingPath + "/" + file) }
            for folder in existing.folders.sorted(by: >) where !folders.contains(folder) { rmdir(stagingPath + "/" + folder) }
            // Parents sort before their children, so each mkdir finds its parent there.
            for folder in folders.sorted() where !existing.folders.contains(folder) {
                if mkdir(stagingPath + "/" + folder, 0o755) != 0, errno != EEXIST {
                    throw WriteError.io("cannot create \(folder): \(String(cString: strerror(errno)))")
                }
            }
            let failures = site.files.parallelMap { file -> String? in
                Self.writeFile(stagingPath + "/" + file.path, file.bytes, reuse: existing.files.contains(file.path))
                    ? nil : "cannot write \(file.path): \(String(cString: strerror(errno)))"
            }.compactMap { $0 }
            if let failure = failures.first { throw WriteError.io(failure) }
            guard Self.writeFile(stagingPath + "/" + Self.marker, Array("This folder is written by yourict build; it is replaced on every build.\n".utf8),
                                 reuse: existing.files.contains(Self.marker)) else {
                throw WriteError.io("cannot write \(Self.marker): \(String(cString: strerror(errno)))")
            }
            try swapIn(staging)
        } catch {
            try? fm.removeItem(at: staging)
            throw error
        }
    }

    /// A folder this writer made (its marker is there), and not a symbolic link.
    static func isOurs(_ path: String) -> Bool {
        var st = stat()
        guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else { return false }
        return lstat(path + "/" + marker, &st) == 0 && st.st_mode & S_IFMT == S_IFREG
    }

    /// The regular files and folders of a recycled output, relative to it. Anything else
    /// (a symbolic link, a socket) is removed: writing must never go through a link.
    struct Tree {
        var files = Set<String>()
        var folders = Set<String>()
    }

    static func scan(_ root: String) -> Tree {
        var tree = Tree()
        func walk(_ relative: String) {
            let full = relative.isEmpty ? root : root + "/" + relative
            guard let dir = opendir(full) else { return }
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafePointer(to: entry.pointee.d_name) { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
                if name == "." || name == ".." { continue }
                let rel = relative.isEmpty ? name : relative + "/" + name
                var type = Int32(entry.pointee.d_type)
                if type == Int32(DT_UNKNOWN) {
                    var st = stat()
                    guard lstat(root + "/" + rel, &st) == 0 else { continue }
                    switch st.st_mode & S_IFMT {
                    case S_IFDIR: type = Int32(DT_DIR)
                    case S_IFREG: type = Int32(DT_REG)
                    default: type = Int32(DT_LNK)
                    }
                }
                if type == Int32(DT_DIR) {
                    tree.folders.insert(rel)
                    walk(rel)
                } else if type == Int32(DT_REG) {
                    tree.files.insert(rel)
                } else {
                    unlink(root + "/" + rel)
                }
            }
        }
        walk("")
        return tree
    }

    private func swapIn(_ staging: URL) throws {
        let fm = FileManager.default
        // The folder swapped out becomes the next build's recycled output.
        func keep(_ old: URL) {
            if fm.fileExists(atPath: previous.path) && !Self.isOurs(previous.path) {
                try? fm.removeItem(at: old)
            } else {
                try? fm.removeItem(at: previous)
                if rename(old.path, previous.path) != 0 { try? fm.removeItem(at: old) }
            }
        }
        if fm.fileExists(atPath: output.path) {
            // One atomic exchange where the kernel supports it: readers never see a
            // missing or half-written folder.
            if yourict_rename_exchange(staging.path, output.path) == 0 {
                keep(staging)
                return
            }
            let old = output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).old-\(getpid())")
            try? fm.removeItem(at: old)
            try fm.moveItem(at: output, to: old)
            do {
                try fm.moveItem(at: staging, to: output)
            } catch {
                try? fm.moveItem(at: old, to: output)
                throw error
            }
            keep(old)
        } else {
            try fm.moveItem(at: staging, to: output)
        }
    }

    /// One `open`/`write`/`close`. A file recycled from the previous output is overwritten
    /// in place, or left as it is when it already holds these bytes (it then keeps its
    /// modification time); a new file is created. Never through a symbolic link.
    static func writeFile(_ path: String, _ bytes: [UInt8], reuse: Bool = false) -> Bool {
        let fd = open(path, reuse ? (O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC) : (O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC), 0o644)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if reuse {
            var st = stat()
            if fstat(fd, &st) == 0, Int(st.st_size) == bytes.count, sameContent(fd, bytes) { return true }
        }
        let written = bytes.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = pwrite(fd, buffer.baseAddress! + offset, buffer.count - offset, off_t(offset))
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
        return written && (!reuse || ftruncate(fd, off_t(bytes.count)) == 0)
    }

    /// Whether the open file holds exactly `bytes` (its size already matches).
    private static func sameContent(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        if bytes.isEmpty { return true }
        var buffer = [UInt8](repeating: 0, count: min(bytes.count, 1 << 16))
        var offset = 0
        while offset < bytes.count {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, min($0.count, bytes.count - offset), off_t(offset)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            let equal = buffer.withUnsafeBytes { b in bytes.withUnsafeBytes { memcmp(b.baseAddress!, $0.baseAddress! + offset, n) == 0 } }
            guard equal else { return false }
            offset += n
        }
        return true
    }

    /// No absolute paths, no `..`, no empty segments.
    static func isSafeRelativePath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/") else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != ".." && $0 != "." }
    }

    private func resolved(_ url: URL) -> String {
        var path = url.standardizedFileURL.path
        // Resolve the deepest existing ancestor, so symlinked folders compare correctly.
        var suffix: [String] = []
        while !FileManager.default.fileExists(atPath: path), path != "/" {
            suffix.insert((path as NSString).lastPathComponent, at: 0)
            path = (path as NSString).deletingLastPathComponent
        }
        let real = DiskSourceTree.realPath(path) ?? path
        return ([real] + suffix).joined(separator: "/").replacingOccurrences(of: "//", with: "/")
    }
}
