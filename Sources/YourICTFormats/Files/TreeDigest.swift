#if canImport(Glibc)
import Glibc
#endif

/// A file as the output writer wrote it.
package struct WrittenFile: Sendable {
    package var path: String
    package var size: Int64
    /// Nanoseconds since 1970.
    package var mtime: Int64

    package init(path: String, size: Int64, mtime: Int64) {
        self.path = path
        self.size = size
        self.mtime = mtime
    }
}

/// The sizes and modification times (nanoseconds) of every file of some trees, with
/// their paths, in a fixed order (names sorted bytewise), as one digest: FNV-1a over
/// two lanes, 128 bits, stable across processes (unlike `Hasher`). Streams: no list of
/// paths is built, and each entry is looked up relative to its open folder. Hidden
/// entries (names starting with `.`) are skipped: the build reads none.
package struct TreeDigester {
    package init() {}

    private var a: UInt64 = 0xcbf2_9ce4_8422_2325
    private var b: UInt64 = 0x6c62_272e_07bb_0142

    package var value: String { String(a, radix: 16) + String(b, radix: 16) }

    private mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        for byte in bytes {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_0193 &+ 0x9E37
        }
    }

    private mutating func feed(_ value: Int64) {
        withUnsafeBytes(of: value.littleEndian) { feed($0) }
    }

    /// The digest `add(tree:as:)` gives for a folder that holds exactly `files` (paths
    /// relative to it; entries with a hidden segment skipped, as the walk skips them).
    package mutating func add(files: [WrittenFile], as prefix: String) {
        // A path with its separators as 0 bytes sorts as the walk visits: segment by
        // segment, each folder's names bytewise (0 is below every byte of a name).
        var keyed: [(key: [UInt8], file: WrittenFile)] = files.map { file in
            (file.path.utf8.map { $0 == 47 ? 0 : $0 }, file)
        }
        keyed.sort { $0.key.precedesBytewise($1.key) }
        Array(prefix.utf8).withUnsafeBytes { feed($0) }
        var open: [ArraySlice<UInt8>] = []
        var separator: UInt8 = 47, end: UInt8 = 0x1D
        for (key, file) in keyed {
            let segments = key.split(separator: 0, omittingEmptySubsequences: false)
            // The walk enters the folders above a hidden entry, and no further.
            let hidden = segments.firstIndex { $0.first == 46 }
            let folders = segments[..<(hidden ?? segments.count - 1)]
            var common = 0
            while common < open.count, common < folders.count, open[common] == folders[folders.startIndex + common] { common += 1 }
            while open.count > common {
                open.removeLast()
                withUnsafeBytes(of: &end) { feed($0) }
            }
            for folder in folders.dropFirst(common) {
                withUnsafeBytes(of: &separator) { feed($0) }
                folder.withUnsafeBytes { feed($0) }
                open.append(folder)
            }
            guard hidden == nil else { continue }
            withUnsafeBytes(of: &separator) { feed($0) }
            segments.last!.withUnsafeBytes { feed($0) }
            feed(file.size)
            feed(file.mtime)
        }
        for _ in open { withUnsafeBytes(of: &end) { feed($0) } }
    }

    package mutating func add(tree path: String, as prefix: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        Array(prefix.utf8).withUnsafeBytes { feed($0) }
        let root = Self.realPath(path) ?? path
        var ancestors: [(dev: UInt64, ino: UInt64)] = []
        walk(fd, path: root, root: root, ancestors: &ancestors)
    }

    /// Deeper than this, a folder is not entered: the build's loader refuses such a tree,
    /// and the walk must not overflow its stack (4,461 levels did).
    static let maximumDepth = 128

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Takes ownership of `fd`. A symbolic link is followed only where it stays inside
    /// `root` (the loader reads nothing outside the source: a link to `/` was walked
    /// whole), and never back into a folder being walked (a link to `..` recursed until
    /// the stack overflowed); either is digested by its target's text instead.
    private mutating func walk(_ fd: Int32, path: String, root: String, ancestors: inout [(dev: UInt64, ino: UInt64)]) {
        guard let dir = fdopendir(fd) else { close(fd); return }
        defer { closedir(dir) }
        var here = stat()
        guard fstat(dirfd(dir), &here) == 0 else { return }
        ancestors.append((UInt64(here.st_dev), UInt64(here.st_ino)))
        defer { ancestors.removeLast() }
        var names: [(name: [UInt8], isLink: Bool)] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> [UInt8] in
                Array(raw.prefix { $0 != 0 })
            }
            if name.first == 46 { continue }  // ".", "..", hidden
            names.append((name, entry.pointee.d_type == UInt8(DT_LNK)))
        }
        names.sort { $0.name.lexicographicallyPrecedes($1.name) }
        let dfd = dirfd(dir)
        for (name, isLink) in names {
            var separator: UInt8 = 47
            if isLink {
                let full = path + "/" + String(decoding: name, as: UTF8.self)
                let target = Self.realPath(full)
                if target.map({ $0 != root && !$0.hasPrefix(root + "/") }) ?? true {
                    // Outside the tree, or dangling: its text, not what it names.
                    withUnsafeBytes(of: &separator) { feed($0) }
                    name.withUnsafeBytes { feed($0) }
                    var link: UInt8 = 0x1A
                    withUnsafeBytes(of: &link) { feed($0) }
                    Array((target ?? "").utf8).withUnsafeBytes { feed($0) }
                    continue
                }
            }
            var st = stat()
            let found = name.withUnsafeBufferPointer { buffer -> Bool in
                var cName = Array(buffer) + [0]
                return cName.withUnsafeMutableBufferPointer { fstatat(dfd, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), &st, 0) == 0 }
            }
            guard found else { continue }
            withUnsafeBytes(of: &separator) { feed($0) }
            name.withUnsafeBytes { feed($0) }
            if st.st_mode & S_IFMT == S_IFDIR {
                let loops = ancestors.contains { $0.dev == UInt64(st.st_dev) && $0.ino == UInt64(st.st_ino) }
                if !loops, ancestors.count < Self.maximumDepth {
                    var cName = name + [0]
                    let child = cName.withUnsafeMutableBufferPointer {
                        openat(dfd, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                    }
                    if child >= 0 { walk(child, path: path + "/" + String(decoding: name, as: UTF8.self), root: root, ancestors: &ancestors) }
                } else {
                    var cut: UInt8 = 0x1B
                    withUnsafeBytes(of: &cut) { feed($0) }
                }
                var end: UInt8 = 0x1D
                withUnsafeBytes(of: &end) { feed($0) }
            } else {
                feed(Int64(st.st_size))
                feed(Int64(st.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(st.st_mtim.tv_nsec))
            }
        }
    }
}
