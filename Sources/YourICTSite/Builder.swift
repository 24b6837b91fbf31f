import Foundation
import Synchronization
import YourICTSupport
import YourICTFormats
import YourICTContent

/// `yourict build` and `yourict check` as library calls, so the CLI stays thin and
/// tests drive exactly what users run.
public enum Builder {
    public struct Result: Sendable {
        public var diagnostics: [Diagnostic]
        public var site: GeneratedSite?
        /// Set when the site was generated but could not be written (refused folder, disk).
        public var writeError: OutputWriter.WriteError?
        public var milliseconds: Int
        /// Set when nothing changed since the last build and its output was kept as it is.
        public var reused: (pages: Int, services: Int, incidents: Int)?

        public var succeeded: Bool { (site != nil || reused != nil) && writeError == nil && !diagnostics.hasErrors }

        /// `Built 42 pages (8 services, 7 incidents) in 120 ms`.
        public var summary: String? {
            guard succeeded else { return nil }
            func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
            if let reused {
                return "Built \(count(reused.pages, "page")) (\(count(reused.services, "service")), \(count(reused.incidents, "incident"))) in \(milliseconds) ms (nothing changed)"
            }
            guard let site else { return nil }
            return "Built \(count(site.pageCount, "page")) (\(count(site.serviceCount, "service")), \(count(site.incidentCount, "incident"))) in \(milliseconds) ms"
        }

        /// `Checked 42 pages (8 services, 7 incidents) in 120 ms: no errors, 2 warnings`:
        /// what `check` says when it passes, so that silence is never the only answer.
        public var checkSummary: String? {
            guard succeeded, let site else { return nil }
            func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
            let warnings = diagnostics.filter { $0.severity == .warning }.count
            return "Checked \(count(site.pageCount, "page")) (\(count(site.serviceCount, "service")), \(count(site.incidentCount, "incident"))) in \(milliseconds) ms: no errors"
                + (warnings > 0 ? ", \(count(warnings, "warning"))" : "")
        }
    }

    /// Generates the site; writes it when `output` is given and nothing failed.
    /// With `strict`, warnings are errors. Without `output`, the files are kept in
    /// `Result.site` when `keepFiles` (tests), else dropped as they are made (`check`).
    /// With `output`, they are written to a staging folder as they are made, and the
    /// staging folder replaces the output only if the whole build succeeded.
    public static func run(source: URL, output given: URL?, settings: BuildSettings, strict: Bool, useCache: Bool = true,
                           keepFiles: Bool = true) -> Result {
        // An output that is a symbolic link (`public -> /var/www/site`, a deployment's
        // habit) is built where it points: the swap replaced the link with a folder, and
        // the folder it named never got the site.
        var output = given
        if let link = given, let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link.path) {
            let resolved = link.resolvingSymlinksInPath()
            guard FileManager.default.fileExists(atPath: resolved.path) else {
                return Result(diagnostics: [], site: nil, writeError: .refused("\(link.path) is a symbolic link to \(target), which does not exist",
                                                                               hint: "create that folder, or remove the link and build into a folder"), milliseconds: 0)
            }
            output = resolved
        }
        let clock = ContinuousClock()
        let start = clock.now
        func elapsed() -> Int {
            let d = clock.now - start
            return Int(d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000)
        }
        let writer = output.map { OutputWriter(output: $0, source: source) }
        if let writer {
            do {
                try writer.checkDestination()
            } catch {
                return Result(diagnostics: [], site: nil, writeError: error as? OutputWriter.WriteError ?? .io("\(error)"), milliseconds: 0)
            }
        }
        let cache = output.map { BuildCache(source: source, output: $0, settings: settings) }
        if useCache, let cache, let previous = cache.reusable(), let warnings = cache.warnings(of: previous) {
            // The same warnings as the build that made this output; with `--strict`, errors
            // (and the output stays as it is, as with any failed build).
            var result = Result(diagnostics: strict ? warnings.escalatingWarnings() : warnings, site: nil, writeError: nil, milliseconds: 0)
            result.reused = (previous.pages, previous.services, previous.incidents)
            result.milliseconds = elapsed()
            return result
        }
        let cacheKey = cache?.currentKey()
        var staging: OutputWriter.Staging? = nil
        if let writer {
            do {
                staging = try writer.begin()
            } catch {
                return Result(diagnostics: [], site: nil, writeError: error as? OutputWriter.WriteError ?? .io("\(error)"), milliseconds: elapsed())
            }
        }
        let bag = DiagnosticBag()
        let tree = DiskSourceTree(root: source)
        let sink: OutputSink? = staging ?? (keepFiles ? nil : DiscardingSink())
        let site = SiteGenerator.generate(tree: tree, settings: settings, diagnostics: bag, sink: sink)
        var diagnostics = bag.all.sortedForDisplay()
        if strict { diagnostics = diagnostics.escalatingWarnings() }
        var result = Result(diagnostics: diagnostics, site: site, writeError: nil, milliseconds: 0)
        if let staging {
            if let site, !diagnostics.hasErrors {
                do {
                    var timer = StageTimer()
                    if !useCache { cache?.forget() }
                    try staging.commit(paths: site.files.map(\.path))
                    timer.lap("write")
                    if useCache, let cache, let cacheKey { cache.record(site, key: cacheKey, warnings: diagnostics, outputs: staging.writtenDigest()) }
                } catch {
                    staging.abandon()
                    result.writeError = error as? OutputWriter.WriteError ?? .io("\(error)")
                }
            } else {
                staging.abandon()
            }
        }
        result.milliseconds = elapsed()
        return result
    }

    /// The reference time from the environment: `SOURCE_DATE_EPOCH` (seconds), if set and
    /// within `Timestamp.supportedRange` (a larger number would overflow milliseconds).
    public static func sourceDateEpoch(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Timestamp? {
        guard let text = environment["SOURCE_DATE_EPOCH"]?.trimmingWhitespace, let seconds = Int64(text),
              Timestamp.localRange.contains(seconds.multipliedReportingOverflow(by: 1000).overflow ? -1 : seconds * 1000)
        else { return nil }
        return Timestamp(seconds: seconds)
    }

    /// `--base-url`: what is wrong with it, as with site.yaml's `base_url`; nil when valid.
    public static func baseURLProblem(_ text: String) -> String? { SiteConfigLoader.baseURLProblem(text) }

    /// `--now`: RFC 3339, or a date alone (midnight UTC).
    public static func parseNow(_ text: String) -> Timestamp? {
        if let t = Timestamp(rfc3339: text) { return t }
        if text.count == 10, let t = Timestamp(rfc3339: text + "T00:00:00Z") { return t }
        return nil
    }

    /// Reads source lines for diagnostics, from the files the diagnostics name. Each file
    /// is read, decoded and split once: 500 diagnostics in a 2 MB page read it 500 times
    /// (74 s), and 19,000 did not finish.
    public static func sourceLineReader(root: URL) -> @Sendable (String, Int) -> String? {
        let tree = DiskSourceTree(root: root)
        let files = Mutex<[String: [Substring]?]>([:])
        return { path, line in
            let lines = files.withLock { known -> [Substring]? in
                if let found = known[path] { return found }
                var split: [Substring]?
                if let bytes = try? tree.read(path), case .success(let text) = SourceText.decode(bytes, path: path) {
                    split = text.text.split(separator: "\n", omittingEmptySubsequences: false)
                }
                known[path] = split
                return split
            }
            guard let lines, line >= 1, line <= lines.count else { return nil }
            return String(lines[line - 1])
        }
    }
}
