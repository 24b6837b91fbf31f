import Synchronization
import Foundation

/// Read access to the source tree, as a value, so that the loader runs the same on
/// disk and on an in-memory tree in tests. Paths are relative, `/`-separated.
public protocol SourceTree: Sendable {
    /// The files directly inside `directory` (all but folders: a link to nothing or a
    /// FIFO too, which reading then refuses), sorted by name. Missing folder: empty.
    func files(in directory: String) -> [String]
    /// Why `directory` exists but cannot be listed (`Permission denied`…), so that its
    /// files are not taken for absent; nil when it can be, or does not exist.
    func unreadableFolder(_ directory: String) -> String?
    /// Every regular file under `directory`, recursively, sorted. A folder that resolves
    /// outside the source is listed, not entered: reading it throws `outsideSource`.
    func allFiles(under directory: String) -> [String]
    func read(_ path: String) throws -> [UInt8]
    func exists(_ path: String) -> Bool
    /// A path on disk to stream a large file from, or nil when the tree is not on disk.
    /// Throws when the file resolves outside the source folder.
    func diskPath(_ path: String) throws -> String?
    /// What identifies a version of the file cheaply (size and modification time on
    /// disk), so that `serve` can skip unchanged files; nil when unknown.
    func stamp(_ path: String) -> FileStamp?
    /// Whether `path` itself is a symbolic link (its stamp is its target's).
    func isSymbolicLink(_ path: String) -> Bool
}

/// A file's identity for caching: two reads with equal stamps read equal bytes.
extension SourceTree {
    public func unreadableFolder(_ directory: String) -> String? { nil }
    public func isSymbolicLink(_ path: String) -> Bool { false }
}

public struct FileStamp: Sendable, Hashable {
    public var size: Int64
    public var version: Int64
    /// On disk, the inode's change time: a write that keeps the size and puts the
    /// modification time back (`cp -p`, `tar`, `touch -r`) still changes it.
    public var changed: Int64 = 0
}

public enum SourceTreeError: Error, CustomStringConvertible {
    case notFound(String)
    case outsideSource(String)
    case unreadable(String, String)

    public var description: String {
        switch self {
        case .notFound(let p): return "\(p): no such file"
        case .outsideSource(let p): return "\(p) resolves outside the source folder (a symbolic link?); it was not read"
        case .unreadable(let p, let why): return "\(p): \(why)"
        }
    }
}

/// The source folder on disk. Refuses to read anything that resolves outside it,
/// so a symbolic link in `content/` cannot leak a file of the machine into the site.
public struct DiskSourceTree: SourceTree {
    public let root: URL
    /// `root.path`, made once: `URL.path` builds a new string on every call.
    private let rootPath: String
    private let resolvedRoot: String
    /// Folders already known to resolve inside the source: a file in one of them that
    /// is not itself a symbolic link is inside too, without resolving its whole path.
    private let checkedFolders = FolderCache()

    private final class FolderCache: Sendable {
        private let inside = Mutex<[String: Bool]>([:])
        func get(_ path: String) -> Bool? { inside.withLock { $0[path] } }
        func set(_ path: String, _ value: Bool) { inside.withLock { $0[path] = value } }
    }

    public init(root: URL) {
        self.root = root.standardizedFileURL
        self.rootPath = self.root.path
        self.resolvedRoot = Self.realPath(self.root.path) ?? self.root.path
    }

    public func unreadableFolder(_ directory: String) -> String? {
        let folder = directory.isEmpty ? rootPath : rootPath + "/" + directory
        guard let dir = opendir(folder) else {
            let failure = errno
            return failure == ENOENT || failure == ENOTDIR ? nil : String(cString: strerror(failure))
        }
        closedir(dir)
        return nil
    }

    public func files(in directory: String) -> [String] {
        let folder = directory.isEmpty ? rootPath : rootPath + "/" + directory
        guard let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
            guard !name.hasPrefix(".") else { continue }
            // The entry's type comes with the listing: only a link (to a file?) or a file
            // system that does not tell needs a `stat` (thousands of sheets: one each).
            // Everything but a folder is listed, so that reading it says what is wrong: a
            // link to nothing or a FIFO in place of a sheet is an error, where skipping it
            // dropped the service from the site without a word.
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_DIR): break
            case Int32(DT_LNK), Int32(DT_UNKNOWN):
                var st = stat()
                if stat(folder + "/" + name, &st) != 0 || st.st_mode & S_IFMT != S_IFDIR { names.append(name) }
            default: names.append(name)
            }
        }
        return names.sorted().map { directory.isEmpty ? $0 : directory + "/" + $0 }
    }

    /// A folder that resolves outside the source (a symbolic link) is not entered: it is
    /// listed itself, so that reading it reports the link instead of silently dropping
    /// what it holds.
    /// A folder reached again (a link back to a folder above it) is not entered twice:
    /// what it holds is listed once. A folder deeper than `maximumDepth` is listed itself,
    /// so that reading it reports it (a tree 3,000 levels deep took minutes to list).
    public func allFiles(under directory: String) -> [String] {
        let top = root.appendingPathComponent(directory).path
        if FileManager.default.fileExists(atPath: top), !isInside(top) { return [directory] }
        var out: [String] = []
        var stack = [(directory, 0)]
        var visited = Set<String>()
        let topReal = Self.realPath(top) ?? top
        while let (dir, depth) = stack.popLast() {
            let url = root.appendingPathComponent(dir)
            if let real = Self.realPath(url.path) {
                // A link to a folder above: listed itself, so that reading it says so.
                if depth > 0, topReal == real || topReal.hasPrefix(real.hasSuffix("/") ? real : real + "/") { out.append(dir); continue }
                if !visited.insert(real).inserted { continue }
            }
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else {
                // A folder that exists but cannot be listed is listed itself: reading it
                // says why, instead of its files silently missing from the site.
                if unreadableFolder(dir) != nil { out.append(dir) }
                continue
            }
            for name in names where !name.hasPrefix(".") {
                let rel = dir.isEmpty ? name : dir + "/" + name
                var isDir: ObjCBool = false
                let full = root.appendingPathComponent(rel).path
                guard FileManager.default.fileExists(atPath: full, isDirectory: &isDir) else {
                    // A link that leads nowhere (dangling, or a loop) is listed: reading it
                    // says so, instead of what it stood for silently missing.
                    var st = stat()
                    if lstat(full, &st) == 0 { out.append(rel) }
                    continue
                }
                if isDir.boolValue {
                    if isInside(full), depth < Self.maximumDepth { stack.append((rel, depth + 1)) } else { out.append(rel) }
                } else {
                    out.append(rel)
                }
            }
        }
        return out.sorted()
    }

    /// How deep `allFiles` enters folders.
    package static let maximumDepth = 32

    public func read(_ path: String) throws -> [UInt8] {
        let full = rootPath + "/" + path
        // Not through a link at first (one `open`, no `lstat` before it): a link fails
        // with ELOOP and is resolved and checked before it is followed. Non-blocking: a
        // FIFO in place of a file must not hang the build (it is refused below).
        var fd = open(full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        var failure = fd < 0 ? errno : 0
        if failure == ENOENT || failure == ENOTDIR { throw SourceTreeError.notFound(path) }
        let isLink = failure == ELOOP
        if isLink, Self.realPath(full) == nil {
            throw SourceTreeError.unreadable(path, "is a symbolic link to nothing (its target is missing, or links lead in a loop): fix or remove the link")
        }
        guard isInsideFast(full, isLink: isLink) else {
            if fd >= 0 { close(fd) }
            throw SourceTreeError.outsideSource(path)
        }
        if isLink {
            fd = open(full, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
            failure = fd < 0 ? errno : 0
        }
        guard fd >= 0 else { throw SourceTreeError.unreadable(path, "cannot be read (\(String(cString: strerror(failure))))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw SourceTreeError.unreadable(path, "is not a regular file") }
            // `allFiles` lists a folder only where it would not end: a link to a folder
            // above it, or folders nested deeper than it enters. Else a folder stands
            // where a file is expected (`content/site.yaml`).
            if isLink || path.utf8.count(where: { $0 == UInt8(ascii: "/") }) >= Self.maximumDepth {
                throw SourceTreeError.unreadable(path, "is a folder that links back to a folder above it, or lies more than \(Self.maximumDepth) folders deep: remove the link, or flatten the folders")
            }
            throw SourceTreeError.unreadable(path, "is a folder, not a file")
        }
        // Read into uninitialised memory: no zeroing of what is overwritten at once.
        return [UInt8](unsafeUninitializedCapacity: Int(info.st_size)) { buffer, count in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.read(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { break }
                offset += n
            }
            count = offset
        }
    }

    /// A file that is not a symbolic link, in a folder known to be inside, is inside.
    private func isInsideFast(_ full: String, isLink: Bool) -> Bool {
        if isLink { return isInside(full) }
        // `full` is the root and a relative path from a listing: its folder is what
        // precedes the last `/` (no `NSString` path handling, which costs more than the read).
        let folder = full.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(full[..<$0]) } ?? full
        if let known = checkedFolders.get(folder) { return known }
        let inside = isInside(folder)
        checkedFolders.set(folder, inside)
        return inside
    }

    public func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path)
    }

    public func isSymbolicLink(_ path: String) -> Bool {
        var st = stat()
        return lstat(rootPath + "/" + path, &st) == 0 && st.st_mode & S_IFMT == S_IFLNK
    }

    public func stamp(_ path: String) -> FileStamp? {
        var st = stat()
        guard stat(rootPath + "/" + path, &st) == 0 else { return nil }
        return FileStamp(size: Int64(st.st_size), version: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec),
                         changed: Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec))
    }

    public func diskPath(_ path: String) throws -> String? {
        let full = root.appendingPathComponent(path).path
        guard FileManager.default.fileExists(atPath: full) else { throw SourceTreeError.notFound(path) }
        guard isInside(full) else { throw SourceTreeError.outsideSource(path) }
        return full
    }


    private func isInside(_ full: String) -> Bool {
        guard let real = Self.realPath(full) else { return false }
        return real == resolvedRoot || real.hasPrefix(resolvedRoot.hasSuffix("/") ? resolvedRoot : resolvedRoot + "/")
    }

    package static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// An in-memory source tree, for tests and for `init` templates.
public struct MemorySourceTree: SourceTree {
    public var contents: [String: [UInt8]]

    public init(_ files: [String: String] = [:]) {
        contents = files.mapValues { Array($0.utf8) }
    }

    public init(bytes: [String: [UInt8]]) { contents = bytes }

    public subscript(path: String) -> String? {
        get { contents[path].map { String(decoding: $0, as: UTF8.self) } }
        set { contents[path] = newValue.map { Array($0.utf8) } }
    }

    public func files(in directory: String) -> [String] {
        let prefix = directory.isEmpty ? "" : directory + "/"
        return contents.keys.filter { $0.hasPrefix(prefix) && !$0.dropFirst(prefix.count).contains("/") }.sorted()
    }

    public func allFiles(under directory: String) -> [String] {
        let prefix = directory.isEmpty ? "" : directory + "/"
        return contents.keys.filter { $0.hasPrefix(prefix) }.sorted()
    }

    public func read(_ path: String) throws -> [UInt8] {
        guard let bytes = contents[path] else { throw SourceTreeError.notFound(path) }
        return bytes
    }

    public func exists(_ path: String) -> Bool {
        contents[path] != nil || contents.keys.contains { $0.hasPrefix(path + "/") }
    }

    public func diskPath(_ path: String) throws -> String? { nil }

    public func stamp(_ path: String) -> FileStamp? {
        guard let bytes = contents[path] else { return nil }
        var hasher = Hasher()
        hasher.combine(bytes)
        return FileStamp(size: Int64(bytes.count), version: Int64(hasher.finalize()))
    }
}
