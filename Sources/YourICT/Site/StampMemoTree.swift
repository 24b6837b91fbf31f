import Foundation

/// A source tree that remembers file stamps for the duration of one generation: the
/// caches of `serve` ask for each file's stamp several times, and each ask is a `stat`.
struct StampMemoTree: SourceTree {
    let inner: SourceTree
    private let memo = Memo()

    private final class Memo: @unchecked Sendable {
        private let lock = NSLock()
        private var stamps: [String: FileStamp?] = [:]
        func get(_ path: String) -> FileStamp?? { lock.lock(); defer { lock.unlock() }; return stamps[path] }
        func set(_ path: String, _ stamp: FileStamp?) { lock.lock(); stamps[path] = stamp; lock.unlock() }
    }

    init(_ inner: SourceTree) { self.inner = inner }

    func files(in directory: String) -> [String] { inner.files(in: directory) }
    func allFiles(under directory: String) -> [String] { inner.allFiles(under: directory) }
    func read(_ path: String) throws -> [UInt8] { try inner.read(path) }
    func exists(_ path: String) -> Bool { inner.exists(path) }
    func diskPath(_ path: String) throws -> String? { try inner.diskPath(path) }

    func stamp(_ path: String) -> FileStamp? {
        if let known = memo.get(path) { return known }
        let stamp = inner.stamp(path)
        memo.set(path, stamp)
        return stamp
    }
}
