import Foundation
#if canImport(Glibc)
import Glibc
#endif
import YourICTSupport
import YourICTFormats

/// `yourict pull prometheus`: exports the history of a query from Prometheus'
/// `/api/v1/query_range` into chunk files that `build` reads.
///
/// Safe to run every few minutes: the first pull exports the whole window in chunks
/// under the 11,000-points limit; later pulls fetch only what came after the newest
/// sample already exported. Every new file is written to a temporary folder next to
/// the destination and read back before any file is replaced, so a failed pull leaves
/// the previous files as they were.
public enum PrometheusPull {
    public struct Options: Sendable {
        public var url: URL
        public var query: String
        public var days: Int
        public var step: Int64
        /// The last instant to export (milliseconds), normally the current time.
        public var end: Int64
        /// Folder of the chunk files, and their common name.
        public var folder: URL
        public var name: String
        /// Ignore existing files: export the whole window and replace them all.
        public var full: Bool
        public var maxPoints: Int

        public init(url: URL, query: String, days: Int, step: Int64, end: Int64, folder: URL, name: String,
                    full: Bool = false, maxPoints: Int = PullPlanning.prometheusMaxPoints) {
            self.url = url
            self.query = query
            self.days = days
            self.step = step
            self.end = end
            self.folder = folder
            self.name = name
            self.full = full
            self.maxPoints = maxPoints
        }

        /// Checks and resolves the command's values. `out` is `FOLDER/NAME`, or a folder
        /// (existing, or ending in `/`) for the default name; nil: `content/monitoring/`.
        public static func validated(url: String, query: String, days: Int, step: String, end: String?, out: String?,
                                     currentDirectory: URL, now: Int64, full: Bool) throws(PullError) -> Options {
            let base = try PrometheusClient.validateBaseURL(url)
            guard !query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw PullError(.usage, "--query must not be empty", hint: "e.g. --query 'probe_success{job=\"blackbox\"}'")
            }
            guard (1...3650).contains(days) else {
                throw PullError(.usage, "--days must be from 1 to 3650, found \(days)", hint: "90 covers every window of the site")
            }
            guard let stepMillis = PullPlanning.parseStep(step) else {
                throw PullError(.usage, "--step `\(step)` is not a duration", hint: "as Prometheus writes them: 60s, 5m, 1h, 1m30s, or plain seconds such as 60")
            }
            guard stepMillis >= 1000 else {
                throw PullError(.usage, "--step must be at least 1 second, found `\(step)`", hint: "use the probe's scrape interval, e.g. 60s")
            }
            guard stepMillis <= PullPlanning.dayMillis else {
                throw PullError(.usage, "--step must be at most 1 day, found `\(step)`", hint: "use the probe's scrape interval, e.g. 60s")
            }
            var endMillis = now
            if let end {
                guard let t = Timestamp(rfc3339: end) else {
                    throw PullError(.usage, "--end `\(end)` is not an RFC 3339 time", hint: "e.g. --end 2026-11-26T00:00:00Z")
                }
                endMillis = t.millis
            }
            let (folder, name) = try destination(out, query: query, currentDirectory: currentDirectory)
            return Options(url: base, query: query, days: days, step: stepMillis, end: endMillis, folder: folder, name: name, full: full)
        }

        static func destination(_ out: String?, query: String, currentDirectory: URL) throws(PullError) -> (URL, String) {
            guard let out, !out.isEmpty else {
                return (currentDirectory.appendingPathComponent("content/monitoring", isDirectory: true), defaultName(query: query))
            }
            let url = URL(fileURLWithPath: out, isDirectory: out.hasSuffix("/"), relativeTo: currentDirectory).standardizedFileURL
            var isDirectory: ObjCBool = false
            if out.hasSuffix("/") || (FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue) {
                return (url, defaultName(query: query))
            }
            var name = url.lastPathComponent
            if name.hasSuffix(".json") { name.removeLast(5) }
            guard !name.isEmpty, !name.hasPrefix("."), name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
                throw PullError(.usage, "--out must end in a file name of letters, digits, `-`, `_` and `.`, found `\(url.lastPathComponent)`",
                                hint: "e.g. --out content/monitoring/webmail: the files are then webmail-<start>.json")
            }
            return (url.deletingLastPathComponent(), name)
        }

        /// `probe_success{job="blackbox"}` → `prometheus-probe_success-job-blackbox-1a2b3c4d`.
        public static func defaultName(query: String) -> String {
            var slug = ""
            for c in query.lowercased() {
                if c.isASCII && (c.isLetter || c.isNumber || c == "_") {
                    slug.append(c)
                } else if !slug.isEmpty, slug.last != "-" {
                    slug.append("-")
                }
            }
            slug = String(slug.prefix(40))
            while slug.hasSuffix("-") { slug.removeLast() }
            let hash = String(SHA256.hex(query).prefix(8))
            return "prometheus-" + (slug.isEmpty ? "" : slug + "-") + hash
        }
    }

    /// One chunk done.
    public struct Progress: Sendable {
        public var index: Int
        public var count: Int
        public var chunk: PullPlanning.Chunk
        public var series: Int
        public var samples: Int
        public var bytes: Int
        public var milliseconds: Int
        public var attempts: Int
    }

    public struct Summary: Sendable {
        public var requests = 0
        public var series = 0
        public var samples = 0
        public var bytes = 0
        /// The instants asked for, when anything was.
        public var range: (start: Int64, end: Int64)?
        /// The newest sample of the previous pull, for an incremental pull.
        public var continuesAfter: Int64?
        public var written: [String] = []
        public var removed: [String] = []
        /// Chunk files of the name after the pull.
        public var files = 0
        public var folder: URL
        public var name: String
        public var step: Int64
    }

    /// How far behind the others a series may be and still be waited for (see `run`).
    static let lagAllowance: Int64 = PullPlanning.dayMillis

    public static func run(_ options: Options, client: PrometheusClient,
                           progress: @Sendable (Progress) -> Void = { _ in }) async throws(PullError) -> Summary {
        let fm = FileManager.default
        let folder = options.folder
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw PullError(.io, "\(folder.path) exists and is not a folder", hint: "choose another --out") }
        } else {
            do {
                try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw PullError(.io, "cannot create \(folder.path): \(error.localizedDescription)", hint: "check that you may write there, or choose another --out")
            }
        }
        // One pull of a name at a time: two at once each renamed its files in, and the one
        // that read the old files first put a stale chunk back over the other's newer one;
        // the next pull continued after the newest sample, and the hour between stayed
        // missing for good. The lock ends with the process.
        let lockPath = folder.appendingPathComponent(".\(options.name).pull.lock").path
        let lock: FileLock
        switch FileLock.acquire(lockPath) {
        case .success(let l): lock = l
        case .failure(.busy):
            throw PullError(.io, "another pull of `\(options.name)` into \(folder.path) is running",
                            hint: "nothing was changed; schedule pulls so that they never overlap (CI `concurrency`, `flock -n`)")
        case .failure(.cannotCreate(let reason)):
            throw PullError(.io, "cannot create \(lockPath): \(reason)", hint: "is the folder writable?")
        }
        defer { lock.release() }
        removeLeftoverTemporaryFolders(in: folder, name: options.name)

        let grid = PullPlanning.Grid(step: options.step, maxPoints: options.maxPoints)
        let window = PullPlanning.window(end: options.end, days: options.days, step: options.step)
        let existing = existingChunks(in: folder, name: options.name)
        var loaded: [Int64: (meta: ChunkFile.Meta, series: [PulledSeries])] = [:]
        var newest: Int64?
        if !options.full, !existing.isEmpty {
            try checkCompatible(existing, options: options, folder: folder)
            // Where to continue: after the newest sample of the series that lag least, but
            // no later than the newest sample of any series that has data in the last day
            // before it. Continuing after the newest of all left a series that lagged at
            // pull time (remote write, a slow scrape) with a gap no later pull filled; a
            // series with nothing in that day is taken as gone, not waited for.
            var newestBySeries: [String: Int64] = [:]
            for (start, file) in existing.sorted(by: { $0.key > $1.key }) {
                if let top = newestBySeries.values.max(), start + grid.span <= top - Self.lagAllowance { break }
                let read = try readExisting(folder.appendingPathComponent(file).path, options: options)
                loaded[start] = (read.meta, read.series)
                for s in read.series {
                    if let t = s.timestamps.last, t > newestBySeries[s.key] ?? .min { newestBySeries[s.key] = t }
                }
            }
            if let top = newestBySeries.values.max() {
                newest = newestBySeries.values.filter { $0 >= top - Self.lagAllowance }.min()
            }
        }
        let plan = PullPlanning.plan(window: window, grid: grid,
                                     existing: .init(chunkStarts: Array(existing.keys), newestSample: newest), full: options.full)
        var summary = Summary(continuesAfter: plan.continuesAfter, folder: folder, name: options.name, step: options.step)
        if let first = plan.chunks.first, let last = plan.chunks.last { summary.range = (first.start, last.end) }

        let temporary = folder.appendingPathComponent(".\(options.name).pull-\(getpid())", isDirectory: true)
        do {
            try fm.createDirectory(at: temporary, withIntermediateDirectories: false)
        } catch {
            throw PullError(.io, "cannot create \(temporary.path): \(error.localizedDescription)", hint: "is the folder writable?")
        }
        defer { try? fm.removeItem(at: temporary) }

        var written: [Int64: String] = [:]
        var fetchedKeys = Set<String>()
        for (index, chunk) in plan.chunks.enumerated() {
            let started = DispatchTime.now().uptimeNanoseconds
            let fetched = try await client.fetch(query: options.query, chunk: chunk)
            summary.requests += 1
            summary.bytes += fetched.bytes
            // Prometheus answers the instants asked for; a proxy or another backend that adds
            // some before `start` or after `end` would overlap the next chunk (its values
            // winning there) or reach past `--end`. Only the chunk's own are kept.
            var series = fetched.series.map { $0.within(chunk.start, chunk.end) }.filter { !$0.timestamps.isEmpty }
            let seriesCount = series.count
            var meta = ChunkFile.Meta(query: options.query, stepMillis: options.step, start: chunk.start, end: chunk.end)
            let newSamples = series.reduce(0) { $0 + $1.timestamps.count }
            summary.samples += newSamples
            for s in series { fetchedKeys.insert(s.key) }
            if plan.merges.contains(chunk.gridStart) {
                if loaded[chunk.gridStart] == nil, let file = existing[chunk.gridStart] {
                    let read = try readExisting(folder.appendingPathComponent(file).path, options: options)
                    loaded[chunk.gridStart] = (read.meta, read.series)
                }
                if let old = loaded[chunk.gridStart] {
                    series = merge(old.series, series)
                    meta.start = min(old.meta.start, chunk.start)
                }
            }
            progress(Progress(index: index + 1, count: plan.chunks.count, chunk: chunk, series: seriesCount, samples: newSamples,
                              bytes: fetched.bytes, milliseconds: Int((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000),
                              attempts: fetched.attempts))
            // Nothing new: a merged file stays as it is; an empty chunk gets no file.
            guard plan.merges.contains(chunk.gridStart) ? newSamples > 0 : !series.isEmpty else { continue }
            let fileName = PullPlanning.fileName(name: options.name, gridStart: chunk.gridStart)
            try writeAndVerify(series: series, meta: meta, to: temporary.appendingPathComponent(fileName).path)
            written[chunk.gridStart] = fileName
        }

        if plan.continuesAfter == nil, written.isEmpty, !plan.chunks.isEmpty {
            throw PullError(.data, "the query returned no series from \(Timestamp(millis: window.start)) to \(Timestamp(millis: window.end))",
                            hint: "check the query in Prometheus' UI over that range; nothing was changed")
        }

        // Everything is written and verified: move it into place, one atomic rename per file.
        for (_, fileName) in written.sorted(by: { $0.key < $1.key }) {
            let from = temporary.appendingPathComponent(fileName).path, to = folder.appendingPathComponent(fileName).path
            guard rename(from, to) == 0 else {
                throw PullError(.io, "cannot move \(fileName) into \(folder.path): \(String(cString: strerror(errno)))",
                                hint: "check the permissions of \(folder.path); the files moved before this one are complete")
            }
            summary.written.append(fileName)
        }
        let stale: [Int64] = options.full || plan.continuesAfter == nil
            ? existing.keys.filter { written[$0] == nil }.sorted()
            : plan.stale
        for start in stale {
            guard let fileName = existing[start] else { continue }
            if (try? fm.removeItem(at: folder.appendingPathComponent(fileName))) != nil { summary.removed.append(fileName) }
        }
        summary.files = existingChunks(in: folder, name: options.name).count
        summary.series = fetchedKeys.count
        return summary
    }

    // MARK: Steps

    /// Chunk files of `name` in the folder, by grid start.
    static func existingChunks(in folder: URL, name: String) -> [Int64: String] {
        var out: [Int64: String] = [:]
        for file in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
            if let start = PullPlanning.gridStart(fileName: file, name: name) { out[start] = file }
        }
        return out
    }

    /// A pull that died (killed, machine stopped) may have left its temporary folder.
    static func removeLeftoverTemporaryFolders(in folder: URL, name: String) {
        let prefix = ".\(name).pull-"
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where entry.hasPrefix(prefix) {
            guard let pid = Int32(entry.dropFirst(prefix.count)) else { continue }
            // Another pull of the same name still running keeps its folder.
            if pid != getpid(), kill(pid, 0) == 0 { continue }
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(entry))
        }
    }

    /// Existing files continue only a pull of the same query and step.
    static func checkCompatible(_ existing: [Int64: String], options: Options, folder: URL) throws(PullError) {
        for (_, file) in existing.sorted(by: { $0.key < $1.key }) {
            let path = folder.appendingPathComponent(file).path
            let meta: ChunkFile.Meta?
            do {
                meta = try ChunkFile.readMeta(path: path)
            } catch {
                throw PullError(.usage, "cannot read \(path): \(error)", hint: "pass --full to export the whole range again and replace the files")
            }
            guard let meta else {
                throw PullError(.usage, "\(path) was not written by yourict pull", hint: "pass --full to replace it, or choose another --out")
            }
            if meta.query != options.query || meta.stepMillis != options.step {
                throw PullError(.usage, "\(path) holds another export (query `\(meta.query)`, step \(PullPlanning.formatStep(meta.stepMillis)))",
                                hint: "pass --full to replace the files of `\(options.name)`, or choose another --out")
            }
        }
    }

    static func readExisting(_ path: String, options: Options) throws(PullError) -> (meta: ChunkFile.Meta, series: [PulledSeries]) {
        do {
            let read = try ChunkFile.read(path: path)
            guard let meta = read.meta else { throw PullError(.usage, "\(path) was not written by yourict pull", hint: "pass --full to replace it, or choose another --out") }
            return (meta, read.series)
        } catch let error as PullError {
            throw error
        } catch {
            throw PullError(.usage, "cannot read \(path): \(error)", hint: "pass --full to export the whole range again and replace the files")
        }
    }

    /// The series of an existing chunk extended with newer samples, series by label set.
    static func merge(_ old: [PulledSeries], _ new: [PulledSeries]) -> [PulledSeries] {
        var byKey: [String: PulledSeries] = [:]
        for s in old { byKey[s.key] = s }
        for s in new {
            if var existing = byKey[s.key] {
                existing.append(after: s)
                byKey[s.key] = existing
            } else {
                byKey[s.key] = s
            }
        }
        return byKey.values.sorted { $0.key < $1.key }
    }

    /// Writes a chunk file and reads it back with the reader `build` uses.
    static func writeAndVerify(series: [PulledSeries], meta: ChunkFile.Meta, to path: String) throws(PullError) {
        let bytes = ChunkFile.serialize(meta: meta, series: series)
        guard FileWriting.writeFile(path, bytes) else {
            throw PullError(.io, "cannot write \(path): \(String(cString: strerror(errno)))", hint: "check the free space and permissions of the folder; nothing was changed")
        }
        let expected = series.reduce(0) { $0 + $1.timestamps.count }
        do {
            let read = try ChunkFile.read(path: path)
            guard read.meta == meta, read.series.count == series.count, read.samples == expected else {
                throw PullError(.data, "\(path) does not read back as written (\(read.series.count) series, \(read.samples) samples; expected \(series.count), \(expected))",
                                hint: "the disk or file system may be failing; nothing was changed")
            }
        } catch let error as PullError {
            throw error
        } catch {
            throw PullError(.data, "\(path) does not read back: \(error)", hint: "the disk or file system may be failing; nothing was changed")
        }
    }
}

/// The lines `pull prometheus` prints when it is done.
public enum PullReport {
    public static func text(_ s: PrometheusPull.Summary, milliseconds: Int, currentDirectory: String) -> String {
        var folder = s.folder.path
        if folder.hasPrefix(currentDirectory + "/") { folder = String(folder.dropFirst(currentDirectory.count + 1)) }
        let step = PullPlanning.formatStep(s.step)
        guard let range = s.range else {
            let newest = s.continuesAfter.map { " after the newest sample at \(Timestamp(millis: $0))" } ?? ""
            var line = "Up to date: nothing to fetch\(newest) (step \(step)); \(s.files) file\(s.files == 1 ? "" : "s") in \(folder)/ (\(s.name)-*.json)"
            if !s.removed.isEmpty { line += ", removed \(s.removed.count) older than the window" }
            return line
        }
        var first = "Pulled \(s.series) series, \(grouped(s.samples)) samples in \(s.requests) request\(s.requests == 1 ? "" : "s"): "
            + "\(Timestamp(millis: range.start)) to \(Timestamp(millis: range.end)), step \(step)"
        if let after = s.continuesAfter { first += ", after the newest sample at \(Timestamp(millis: after))" }
        let second = "Wrote \(s.written.count) file\(s.written.count == 1 ? "" : "s") to \(folder)/ (\(s.name)-*.json), removed \(s.removed.count); "
            + "\(s.files) file\(s.files == 1 ? "" : "s") in all, in \(milliseconds) ms"
        return first + "\n" + second
    }

    /// `57000` → `57,000`.
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}
