import Foundation
import YourICTSupport
import YourICTMarkdown
import YourICTFormats

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
