import Foundation
import YourICTSupport
import YourICTMarkdown

/// The build cache (`.yourict-cache/` in the source folder, safe to delete): a
/// manifest of the last successful build — every input file's size and modification
/// time, the settings, the binary, and what was written. When nothing changed and the
/// output is still what was written, the build reuses it as it is: same bytes, no work.
struct BuildCache {
    static let folder = ".yourict-cache"

    /// Digests rather than file lists: the manifest stays a few hundred bytes, read and
    /// compared in microseconds, whatever the size of the site.
    struct Manifest: Codable, Equatable {
        /// yourict's version and its binary's size and modification time: a rebuilt
        /// binary may render differently.
        var binary: String
        /// Everything else that shapes the output: output folder, base URL, reference
        /// time, drafts, renderer.
        var settings: String
        /// Every input file's path, size and modification time.
        var inputs: String
        /// The same for every file written, so an edited or removed output is noticed.
        var outputs: String
        var pages: Int
        var services: Int
        var incidents: Int
        /// How many warnings the build gave; they are kept in `warnings.json` and printed
        /// again when the build is reused, so a cached build says what a fresh one would.
        var warnings: Int = 0
        /// The reference time was the build's clock: the output is of its moment and is
        /// never reused (a later build must show a later time).
        var clock: Bool = false
    }

    let source: URL
    let output: URL
    let settings: BuildSettings

    private var manifestURL: URL { source.appendingPathComponent(Self.folder).appendingPathComponent("manifest.json") }
    private var warningsURL: URL { source.appendingPathComponent(Self.folder).appendingPathComponent("warnings.json") }

    /// The manifest the current inputs would have, without outputs.
    func currentKey() -> (binary: String, settings: String, inputs: String) {
        (Self.binaryIdentity(), settingsKey, inputDigest())
    }

    private var settingsKey: String {
        let s = settings
        return [output.standardizedFileURL.path, s.baseURL ?? "", s.now.map { String($0.millis) } ?? "",
                String(s.includeDrafts), s.devHead].joined(separator: "\u{1}")
    }

    private func inputDigest() -> String {
        var digester = TreeDigester()
        for folder in ["content", "templates", "static"] { digester.add(tree: source.appendingPathComponent(folder).path, as: folder) }
        return digester.value
    }

    /// Every file written (the marker and other hidden files aside).
    private func outputDigest() -> String {
        var digester = TreeDigester()
        digester.add(tree: output.path, as: "")
        return digester.value
    }

    /// A file as the output writer wrote it.
    struct WrittenFile: Sendable {
        var path: String
        var size: Int64
        /// Nanoseconds since 1970.
        var mtime: Int64
    }

    /// The sizes and modification times (nanoseconds) of every file of some trees, with
    /// their paths, in a fixed order (names sorted bytewise), as one digest: FNV-1a over
    /// two lanes, 128 bits, stable across processes (unlike `Hasher`). Streams: no list of
    /// paths is built, and each entry is looked up relative to its open folder. Hidden
    /// entries (names starting with `.`) are skipped: the build reads none.
    struct TreeDigester {
        private var a: UInt64 = 0xcbf2_9ce4_8422_2325
        private var b: UInt64 = 0x6c62_272e_07bb_0142

        var value: String { String(a, radix: 16) + String(b, radix: 16) }

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
        mutating func add(files: [WrittenFile], as prefix: String) {
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

        mutating func add(tree path: String, as prefix: String) {
            let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { return }
            Array(prefix.utf8).withUnsafeBytes { feed($0) }
            walk(fd)
        }

        /// Takes ownership of `fd`.
        private mutating func walk(_ fd: Int32) {
            guard let dir = fdopendir(fd) else { close(fd); return }
            defer { closedir(dir) }
            var names: [[UInt8]] = []
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> [UInt8] in
                    Array(raw.prefix { $0 != 0 })
                }
                if name.first == 46 { continue }  // ".", "..", hidden
                names.append(name)
            }
            names.sort { $0.lexicographicallyPrecedes($1) }
            let dfd = dirfd(dir)
            for name in names {
                var st = stat()
                let found = name.withUnsafeBufferPointer { buffer -> Bool in
                    var cName = Array(buffer) + [0]
                    return cName.withUnsafeMutableBufferPointer { fstatat(dfd, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), &st, 0) == 0 }
                }
                guard found else { continue }
                var separator: UInt8 = 47
                withUnsafeBytes(of: &separator) { feed($0) }
                name.withUnsafeBytes { feed($0) }
                if st.st_mode & S_IFMT == S_IFDIR {
                    var cName = name + [0]
                    let child = cName.withUnsafeMutableBufferPointer {
                        openat(dfd, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                    }
                    if child >= 0 { walk(child) }
                    var end: UInt8 = 0x1D
                    withUnsafeBytes(of: &end) { feed($0) }
                } else {
                    feed(Int64(st.st_size))
                    feed(Int64(st.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(st.st_mtim.tv_nsec))
                }
            }
        }
    }

    /// The previous build's result when it can stand as this build's.
    func reusable() -> Manifest? {
        guard let data = try? Data(contentsOf: manifestURL),
              let manifest = try? JSONDecoder().decode(Manifest.self, from: data) else { return nil }
        guard !manifest.clock, manifest.binary == Self.binaryIdentity(), manifest.settings == settingsKey,
              FileManager.default.fileExists(atPath: output.appendingPathComponent(OutputWriter.marker).path) else { return nil }
        // The inputs must be unchanged, and the output still exactly what was written
        // (nobody edited or removed it): the two trees are read at the same time.
        let digests = [0, 1].parallelMap { $0 == 0 ? inputDigest() : outputDigest() }
        guard digests[0] == manifest.inputs, digests[1] == manifest.outputs else { return nil }
        return manifest
    }

    /// The warnings of the build `manifest` describes; nil when they cannot be read back
    /// (then the build is not reused: its warnings would be lost).
    func warnings(of manifest: Manifest) -> [Diagnostic]? {
        guard manifest.warnings > 0 else { return [] }
        guard let data = try? Data(contentsOf: warningsURL),
              let stored = try? JSONDecoder().decode([Diagnostic].self, from: data), stored.count == manifest.warnings else { return nil }
        return stored
    }

    /// Records a successful build. Failing to write the cache never fails the build.
    /// `outputs` is the output's digest as the writer knows it (`Staging.writtenDigest`).
    func record(_ site: GeneratedSite, key: (binary: String, settings: String, inputs: String), warnings: [Diagnostic], outputs: String) {
        let manifest = Manifest(binary: key.binary, settings: key.settings, inputs: key.inputs, outputs: outputs,
                                pages: site.pageCount, services: site.serviceCount, incidents: site.incidentCount,
                                warnings: warnings.count, clock: site.usedClock)
        let folder = source.appendingPathComponent(Self.folder)
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // The warnings first: a manifest never points to warnings of another build.
        if warnings.isEmpty {
            try? FileManager.default.removeItem(at: warningsURL)
        } else {
            guard let data = try? encoder.encode(warnings),
                  (try? data.write(to: warningsURL, options: .atomic)) != nil else { return }
        }
        guard let data = try? encoder.encode(manifest) else { return }
        try? data.write(to: manifestURL, options: .atomic)
    }

    /// Forgets the last build: called before an output is written without being recorded
    /// (`--no-cache`), so no manifest describes another output.
    func forget() {
        try? FileManager.default.removeItem(at: manifestURL)
        try? FileManager.default.removeItem(at: warningsURL)
    }

    /// The running binary, by version, size and modification time, and the cmark-gfm
    /// library it is linked with (a system upgrade may change how Markdown renders).
    static func binaryIdentity() -> String {
        var st = stat()
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let cmark = MarkdownRenderer.libraryVersion
        if stat(exe, &st) == 0 {
            return "\(YourICTVersion.current)|\(st.st_size)|\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)|cmark-gfm \(cmark)"
        }
        return "\(YourICTVersion.current)|cmark-gfm \(cmark)"
    }
}
