import Foundation

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
    }

    struct Stamp: Codable, Equatable {
        var size: Int64
        var mtime: Int64
    }

    let source: URL
    let output: URL
    let settings: BuildSettings

    private var manifestURL: URL { source.appendingPathComponent(Self.folder).appendingPathComponent("manifest.json") }

    /// The manifest the current inputs would have, without outputs.
    func currentKey() -> (binary: String, settings: String, inputs: String) {
        var stamps: [String: Stamp] = [:]
        for folder in ["content", "templates", "static"] { Self.stamp(source.appendingPathComponent(folder).path, prefix: folder, into: &stamps) }
        let s = settings
        let settingsKey = [output.standardizedFileURL.path, s.baseURL ?? "", s.now.map { String($0.millis) } ?? "",
                           String(s.includeDrafts), String(s.usesReferenceRenderer), s.devHead].joined(separator: "\u{1}")
        return (Self.binaryIdentity(), settingsKey, Self.digest(stamps))
    }

    /// Stable across processes (unlike `Hasher`): FNV-1a over two lanes, 128 bits.
    static func digest(_ stamps: [String: Stamp]) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325, b: UInt64 = 0x6c62_272e_07bb_0142
        func feed(_ bytes: some Sequence<UInt8>) {
            for byte in bytes {
                a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
                b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_0193 &+ 0x9E37
            }
        }
        for path in stamps.keys.sorted() {
            let s = stamps[path]!
            feed(path.utf8)
            feed("\u{0}\(s.size)\u{0}\(s.mtime)\n".utf8)
        }
        return String(a, radix: 16) + String(b, radix: 16)
    }

    private func outputDigest() -> String {
        var files: [String: Stamp] = [:]
        Self.stamp(output.path, prefix: "", into: &files)
        files[OutputWriter.marker] = nil
        return Self.digest(files)
    }

    /// The previous build's result when it can stand as this build's.
    func reusable() -> Manifest? {
        guard let data = try? Data(contentsOf: manifestURL),
              let manifest = try? JSONDecoder().decode(Manifest.self, from: data) else { return nil }
        let key = currentKey()
        guard manifest.binary == key.binary, manifest.settings == key.settings, manifest.inputs == key.inputs else { return nil }
        // The output must still be exactly what was written (nobody edited or removed it).
        guard FileManager.default.fileExists(atPath: output.appendingPathComponent(OutputWriter.marker).path),
              outputDigest() == manifest.outputs else { return nil }
        return manifest
    }

    /// Records a successful build. Failing to write the cache never fails the build.
    func record(_ site: GeneratedSite, key: (binary: String, settings: String, inputs: String)) {
        let manifest = Manifest(binary: key.binary, settings: key.settings, inputs: key.inputs, outputs: outputDigest(),
                                pages: site.pageCount, services: site.serviceCount, incidents: site.incidentCount)
        let folder = source.appendingPathComponent(Self.folder)
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(manifest) else { return }
        try? data.write(to: manifestURL, options: .atomic)
    }

    /// Sizes and modification times (nanoseconds) of every file under `path`.
    static func stamp(_ path: String, prefix: String, into out: inout [String: Stamp]) {
        guard let dir = opendir(path) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
            // Hidden files (editor swap files, .DS_Store) are not read by the build either.
            if name.hasPrefix(".") { continue }
            let full = path + "/" + name
            let rel = prefix.isEmpty ? name : prefix + "/" + name
            var st = stat()
            guard stat(full, &st) == 0 else { continue }
            if st.st_mode & S_IFMT == S_IFDIR {
                stamp(full, prefix: rel, into: &out)
            } else {
                out[rel] = Stamp(size: Int64(st.st_size), mtime: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec))
            }
        }
    }

    /// Forgets the last build: called before an output is written without being recorded
    /// (`--no-cache`, a build with warnings), so no manifest describes another output.
    func forget() {
        try? FileManager.default.removeItem(at: manifestURL)
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
