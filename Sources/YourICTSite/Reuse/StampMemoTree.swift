import Synchronization
import Foundation
import YourICTFormats

/// A source tree that remembers file stamps for the duration of one generation: the
/// caches of `serve` ask for each file's stamp several times, and each ask is a `stat`.
struct StampMemoTree: SourceTree {
    let inner: SourceTree
    private let memo = Memo()

    private final class Memo: Sendable {
        private let stamps = Mutex<[String: FileStamp?]>([:])
        func get(_ path: String) -> FileStamp?? { stamps.withLock { $0[path] } }
        func set(_ path: String, _ stamp: FileStamp?) { stamps.withLock { $0[path] = stamp } }
    }

    init(_ inner: SourceTree) { self.inner = inner }

    func files(in directory: String) -> [String] { inner.files(in: directory) }
    func unreadableFolder(_ directory: String) -> String? { inner.unreadableFolder(directory) }
    func allFiles(under directory: String) -> [String] { inner.allFiles(under: directory) }
    func read(_ path: String) throws -> [UInt8] { try inner.read(path) }
    func exists(_ path: String) -> Bool { inner.exists(path) }
    func diskPath(_ path: String) throws -> String? { try inner.diskPath(path) }

    func isSymbolicLink(_ path: String) -> Bool { inner.isSymbolicLink(path) }

    func stamp(_ path: String) -> FileStamp? {
        if let known = memo.get(path) { return known }
        let stamp = inner.stamp(path)
        memo.set(path, stamp)
        return stamp
    }
}

/// `serve`'s source tree: file stamps and folder listings kept from one generation to the
/// next, and forgotten for exactly what the file watcher reports changed, so a rebuild
/// after one saved file does not `stat` and list thousands of unchanged ones. When the
/// watcher cannot say what changed (polling, an overflow of its queue), everything is
/// forgotten.
public final class WatchedSourceTree: SourceTree, Sendable {
    let inner: SourceTree
    private struct Known {
        var stamps: [String: FileStamp?] = [:]
        var listings: [String: [String]] = [:]
        var deepListings: [String: [String]] = [:]
        /// Paths whose stamp was asked and that are symbolic links: the watcher reports
        /// their target when it changes, never them.
        var links: Set<String> = []
    }
    private let known = Mutex(Known())

    public init(_ inner: SourceTree) { self.inner = inner }

    /// Forgets what `paths` (relative to the source folder) may have changed: their
    /// stamps, their folders' listings, and everything under them when they are folders.
    /// nil: everything.
    public func invalidate(_ paths: [String]?) {
        guard let paths else { return known.withLock { $0 = Known() } }
        // Whether each path is a plain file now, asked before taking the lock.
        let plain = paths.map { isPlainFile($0) }
        known.withLock { known in
            for (path, isPlain) in zip(paths, plain) { Self.forget(path, isPlainFile: isPlain, in: &known) }
            // A link's target may be among the paths (or outside the watched folders): links
            // are few, and their stamps are asked again after any change.
            for link in known.links { known.stamps[link] = nil }
        }
    }

    private static func forget(_ path: String, isPlainFile: Bool, in known: inout Known) {
        let below = path + "/"
        known.stamps[path] = nil
        if known.stamps.keys.contains(where: { $0.hasPrefix(below) }) {
            known.stamps = known.stamps.filter { !$0.key.hasPrefix(below) }
        }
        // A file saved in place is still listed where it was: listings stay. They are
        // forgotten when a file appears, disappears, or is not a plain file any more.
        // Hidden files (an editor's swap file) are never listed.
        let hidden = path.split(separator: "/").contains { $0.hasPrefix(".") }
        let stillListed = hidden || isPlainFile
        let parent = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
        if !(hidden || stillListed && known.listings[parent]?.contains(path) == true) { known.listings[parent] = nil }
        known.listings[path] = nil
        known.listings = known.listings.filter { !$0.key.hasPrefix(below) }
        // Recursive listings of any folder that holds the path, or lies under it.
        known.deepListings = known.deepListings.filter { key, list in
            if key.hasPrefix(below) || path == key { return false }
            guard key.isEmpty || path.hasPrefix(key + "/") else { return true }
            return hidden || stillListed && list.contains(path)
        }
    }

    /// Whether `path` is now a regular file inside the source (what listings hold).
    private func isPlainFile(_ path: String) -> Bool {
        guard let disk = try? inner.diskPath(path) else { return false }
        var st = stat()
        return stat(disk, &st) == 0 && st.st_mode & S_IFMT == S_IFREG
    }

    /// What one generation reads: the stamps and listings known when it starts, read
    /// without a lock (a save's rebuild asks for each of thousands of stamps several
    /// times, from both cores); what is not known yet is asked of this tree, and kept.
    public func snapshot() -> SourceTree {
        let known = known.withLock { $0 }
        return Snapshot(base: self, stamps: known.stamps, listings: known.listings, deepListings: known.deepListings)
    }

    private struct Snapshot: SourceTree {
        let base: WatchedSourceTree
        let stamps: [String: FileStamp?]
        let listings: [String: [String]]
        let deepListings: [String: [String]]

        func files(in directory: String) -> [String] { listings[directory] ?? base.files(in: directory) }
        func unreadableFolder(_ directory: String) -> String? { base.unreadableFolder(directory) }
        func allFiles(under directory: String) -> [String] { deepListings[directory] ?? base.allFiles(under: directory) }
        func read(_ path: String) throws -> [UInt8] { try base.read(path) }
        func exists(_ path: String) -> Bool { base.exists(path) }
        func diskPath(_ path: String) throws -> String? { try base.diskPath(path) }
        func isSymbolicLink(_ path: String) -> Bool { base.isSymbolicLink(path) }
        func stamp(_ path: String) -> FileStamp? {
            if let known = stamps[path] { return known }
            return base.stamp(path)
        }
    }

    /// The value kept in `table` for `key`, or the one `compute` gives, then kept.
    private func remembered<V: Sendable>(_ table: WritableKeyPath<Known, [String: V]> & Sendable, _ key: String,
                                         _ compute: () -> V) -> V {
        if let hit = known.withLock({ $0[keyPath: table][key] }) { return hit }
        let value = compute()
        known.withLock { $0[keyPath: table][key] = value }
        return value
    }

    public func files(in directory: String) -> [String] {
        remembered(\.listings, directory) { inner.files(in: directory) }
    }

    public func unreadableFolder(_ directory: String) -> String? { inner.unreadableFolder(directory) }

    public func allFiles(under directory: String) -> [String] {
        remembered(\.deepListings, directory) { inner.allFiles(under: directory) }
    }

    public func stamp(_ path: String) -> FileStamp? {
        remembered(\.stamps, path) {
            if inner.isSymbolicLink(path) { known.withLock { _ = $0.links.insert(path) } }
            return inner.stamp(path)
        }
    }

    public func read(_ path: String) throws -> [UInt8] { try inner.read(path) }
    public func exists(_ path: String) -> Bool { inner.exists(path) }
    public func diskPath(_ path: String) throws -> String? { try inner.diskPath(path) }
    public func isSymbolicLink(_ path: String) -> Bool { inner.isSymbolicLink(path) }
}
