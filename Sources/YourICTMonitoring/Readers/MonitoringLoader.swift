import Foundation
import YourICTSupport
import YourICTFormats
import YourICTContent

/// Reads every file of `content/monitoring/` into one timeline per component
/// (`service/component`), recognising each file's format by its shape.
package struct MonitoringLoader: Sendable {
    package static let folder = "content/monitoring"

    package var timelines: [String: Timeline] = [:]
    /// Per component (or service without components), its response times, all sources merged.
    package var latency: [String: LatencyHours] = [:]
    /// Per component, when each of its sources had samples: how late its data is.
    var samples: [String: [SampleSpans]] = [:]
    /// The newest sample over all files (the fuzzing entry point's reference time).
    package var newestSample: Timestamp?
    /// The oldest sample over all files: where the site's records begin.
    var oldestSample: Timestamp?
    /// Per file, its newest sample: samples after the reference time are reported.
    var newestPerFile: [(path: String, newest: Timestamp)] = []
    var bytesRead = 0

    /// What one file held.
    struct FileContents {
        package var path: String
        var series: [PrometheusSeries] = []
        var latencySeries: [PrometheusLatencySeries] = []
        var checks: [OwnFormatReader.Check] = []
        var bytes = 0
        /// Where byte offsets of the file are, for warnings about its checks: the file is
        /// read again only then, once for all of them.
        var locate: (@Sendable ([Int]) -> [SourceLocation])?
    }

    /// `horizon`: the hours of response times the figures need (`LatencyHorizon`); nil
    /// keeps them all. `until`: samples of states after it are left out, as if the files
    /// ended there (see `SampleRuns.until`).
    package static func load(tree: SourceTree, content: ContentSet, horizon: LatencyHorizon? = nil, until: Timestamp? = nil,
                             diagnostics: DiagnosticBag) -> MonitoringLoader {
        var firstReading = SplitLimits()
        if let until { firstReading.until = until.millis }
        let first = firstReading
        let paths = tree.files(in: folder)
        if let problem = tree.unreadableFolder(folder) {
            diagnostics.error("\(folder) cannot be read (\(problem)): every figure would say no data", at: SourceLocation(path: folder),
                              hint: "give the build read and search access to the folder (chmod a+rx \(folder))")
        }
        for path in paths where !path.hasSuffix(".json") && !path.hasSuffix(".md") && !path.hasSuffix(".txt") {
            diagnostics.warning("`\(path)` is ignored: monitoring files are .json", at: SourceLocation(path: path))
        }
        let selector = LatencySelector(content: content, horizon: horizon)
        let jsonPaths = paths.filter { $0.hasSuffix(".json") }
        let parts = partsPerFile(jsonPaths.count)
        var files: [FileContents] = jsonPaths.parallelMap { path in
            read(path, tree: tree, diagnostics: diagnostics, limits: first, selector: selector, parts: parts)
        }.compactMap { $0 }
        // A file that could not be read has its error; the matchers whose series it may
        // hold are not also "matching nothing" (one mistake, one message).
        let allRead = files.count == jsonPaths.count
        makeExact(&files, tree: tree, selector: selector, until: first.until, parts: parts, diagnostics: diagnostics)

        var loader = MonitoringLoader()
        for file in files {
            loader.bytesRead += file.bytes
            let newest = (file.series.compactMap { $0.runs.newest } + file.latencySeries.compactMap(\.hours.lastSample) + file.checks.compactMap { check in
                max(check.samples.newest ?? .min, check.runs.map(\.end).max() ?? .min, check.latency.lastSample ?? .min)
            }).max()
            if let newest, newest != .min {
                loader.newestPerFile.append((file.path, Timestamp(millis: newest)))
                loader.newestSample = max(loader.newestSample ?? Timestamp(millis: newest), Timestamp(millis: newest))
            }
            let oldest = (file.series.compactMap { $0.runs.first } + file.latencySeries.compactMap(\.hours.firstSample) + file.checks.compactMap { check in
                [check.samples.first, check.runs.map(\.start).min(), check.latency.firstSample].compactMap { $0 }.min()
            }).min()
            if let oldest { loader.oldestSample = min(loader.oldestSample ?? Timestamp(millis: oldest), Timestamp(millis: oldest)) }
        }
        var sources: [String: [Timeline]] = [:]
        let empty = loader.addPrometheus(files, content: content, diagnostics: diagnostics, into: &sources)
        loader.addOwnFormat(files, content: content, diagnostics: diagnostics, into: &sources)
        if allRead, files.contains(where: { !$0.series.isEmpty }) {
            warnAboutUnmatchedMonitors(content: content, found: sources, matchedEmpty: empty, diagnostics: diagnostics)
        }
        loader.addPrometheusLatency(files, content: content, diagnostics: allRead ? diagnostics : nil)
        for (key, list) in sources {
            loader.timelines[key] = list.count == 1 ? list[0]
                : Timeline.combine(list) { AvailabilityEngine.combine($0, rule: .any) }
        }
        return loader
    }

    package func warnAboutFutureSamples(after reference: Timestamp, diagnostics: DiagnosticBag) {
        for entry in newestPerFile where entry.newest > reference {
            diagnostics.warning("samples after the reference time \(reference) are not counted (newest: \(entry.newest))",
                                at: SourceLocation(path: entry.path),
                                hint: "the reference time is the build's clock unless --now, SOURCE_DATE_EPOCH or site.yaml's reference_time sets it; is a clock wrong?")
        }
    }

    /// Per series (or per check of the own format), the largest gap a run may span; per
    /// response-time series, up to when an earlier chunk holds its samples.
    struct SplitLimits {
        var series: [String: Int64] = [:]
        var checks: [Int: Int64] = [:]
        var latencyKeptUntil: [String: Int64] = [:]
        /// Samples of states after this time are left out (`SampleRuns.until`).
        var until: Int64 = .max
        /// Series (by key) and checks (by index) that came out of order: read exactly.
        var exact: Set<String> = []
        var exactChecks: Set<Int> = []
        var isEmpty: Bool { series.isEmpty && checks.isEmpty && latencyKeptUntil.isEmpty && exact.isEmpty && exactChecks.isEmpty }
    }

    /// The usual interval of a series is known only once all its samples are read. In
    /// the rare series whose first gaps were wider than its usual interval, runs may
    /// span gaps longer than a sample covers; those files are read a second time with
    /// the limit known, so that every figure is exact.
    ///
    /// Response times are counted per hour, where the samples of overlapping chunks could
    /// no longer be told apart: a chunk that overlaps an earlier one is read again,
    /// skipping the samples the earlier one holds (the rule of `SampleRuns.merged`).
    private static func makeExact(_ files: inout [FileContents], tree: SourceTree, selector: LatencySelector, until: Int64, parts: Int,
                                  diagnostics: DiagnosticBag) {
        var deltas: [String: [Int64: Int]] = [:]
        for file in files {
            for series in file.series { deltas[series.key, default: [:]].merge(series.runs.deltaCounts, uniquingKeysWith: +) }
        }
        var latencyLimits: [Int: [String: Int64]] = [:]
        for (key, chunks) in latencyChunks(files) {
            for (chunk, keptUntil) in chunks where keptUntil != nil && files[chunk.file].latencySeries[chunk.series].hours.lastSample! > keptUntil! {
                latencyLimits[chunk.file, default: [:]][key] = keptUntil!
            }
        }
        for index in files.indices {
            var limits = SplitLimits()
            limits.until = until
            limits.latencyKeptUntil = latencyLimits[index] ?? [:]
            for series in files[index].series where series.runs.reordered {
                limits.exact.insert(series.key)
            }
            for series in files[index].latencySeries where series.reordered {
                limits.exact.insert(series.key)
            }
            for (i, check) in files[index].checks.enumerated() where check.samples.reordered || check.latencyReordered {
                limits.exactChecks.insert(i)
                // Without a declared interval, the exact reading finds its own limit.
                if let interval = check.interval { limits.checks[i] = interval * 2 }
            }
            for series in files[index].series where !series.runs.reordered {
                // Each chunk's own interval (another chunk may have been exported at another step).
                guard let interval = SampleRuns.usualInterval(series.runs.deltaCounts) ?? SampleRuns.usualInterval(deltas[series.key] ?? [:]),
                      !SampleRuns.isExact(series.runs.runs, usualInterval: interval) else { continue }
                limits.series[series.key] = interval * 2
            }
            for (i, check) in files[index].checks.enumerated() where !limits.exactChecks.contains(i) {
                guard let interval = check.interval ?? SampleRuns.usualInterval(check.samples.deltaCounts),
                      !SampleRuns.isExact(check.samples.runs, usualInterval: interval) else { continue }
                limits.checks[i] = interval * 2
            }
            guard !limits.isEmpty else { continue }
            // Problems were reported by the first reading, but for the repeats of series
            // out of order: counted here, exactly.
            if let again = read(files[index].path, tree: tree, diagnostics: DiagnosticBag(), limits: limits, selector: selector, parts: parts,
                                repeats: diagnostics) { files[index] = again }
        }
    }

    /// Per response-time series, its chunks in the order `SampleRuns.merged` keeps them
    /// (by first sample, then last), each with the newest sample the chunks before it
    /// hold, if it overlaps them (nil otherwise).
    private static func latencyChunks(_ files: [FileContents]) -> [String: [(chunk: (file: Int, series: Int), keptUntil: Int64?)]] {
        var byKey: [String: [(file: Int, series: Int, first: Int64, last: Int64)]] = [:]
        for (f, file) in files.enumerated() {
            for (i, series) in file.latencySeries.enumerated() {
                guard let first = series.hours.firstSample, let last = series.hours.lastSample else { continue }
                byKey[series.key, default: []].append((f, i, first, last))
            }
        }
        return byKey.mapValues { chunks in
            var keptUntil = Int64.min
            return chunks.sorted { ($0.first, $0.last, $0.file) < ($1.first, $1.last, $1.file) }.map { chunk in
                defer { keptUntil = max(keptUntil, chunk.last) }
                return ((chunk.file, chunk.series), chunk.first <= keptUntil ? keptUntil : nil)
            }
        }
    }

    // MARK: Reading one file

    static func readFile(_ path: String, tree: SourceTree, horizon: LatencyHorizon? = nil, parts: Int = 1, diagnostics: DiagnosticBag) -> FileContents? {
        read(path, tree: tree, diagnostics: diagnostics, limits: SplitLimits(), selector: LatencySelector(horizon: horizon), parts: parts)
    }

    /// Files are read on all cores; with fewer files than cores, a large file is read
    /// by several readers (`PrometheusMatrixReader.read(contentsOfFile:into:parts:)`).
    static func partsPerFile(_ files: Int) -> Int {
        Swift.max(1, ProcessInfo.processInfo.activeProcessorCount / Swift.max(1, files))
    }

    /// `parts`: how many cores may read a large Prometheus file at once
    /// (`PrometheusMatrixReader.read(contentsOfFile:into:parts:)`). `repeats`: in a second,
    /// exact reading, where the repeats of series read exactly are reported.
    private static func read(_ path: String, tree: SourceTree, diagnostics: DiagnosticBag, limits: SplitLimits, selector: LatencySelector, parts: Int,
                             repeats: DiagnosticBag? = nil) -> FileContents? {
        var contents = FileContents(path: path)
        let diskPath: String?
        var bytes: [UInt8] = []
        do {
            diskPath = try tree.diskPath(path)
            if diskPath == nil { bytes = try tree.read(path) }
        } catch {
            diagnostics.error("\(error)", at: SourceLocation(path: path))
            return nil
        }
        let locations: @Sendable ([Int]) -> [SourceLocation] = { [bytes, diskPath] offsets in
            let found: [JSONSourceLocation]? = diskPath.map { try? JSONSourceLocation.locations(of: offsets, inFile: $0) }
                ?? JSONSourceLocation.locations(of: offsets, in: bytes)
            return offsets.indices.map { SourceLocation(path: path, line: found?[$0].line ?? 1, column: found?[$0].column ?? 1) }
        }
        let location = { (offset: Int) in locations([offset])[0] }
        func openReader() throws(JSONError) -> JSONPullReader {
            if let diskPath { return try JSONPullReader(contentsOfFile: diskPath) }
            return JSONPullReader(bytes: bytes)
        }
        let size = diskPath.flatMap { (try? FileManager.default.attributesOfItem(atPath: $0)[.size]) as? Int } ?? bytes.count
        contents.bytes = size
        if size == 0 {
            diagnostics.error("the monitoring file is empty", at: SourceLocation(path: path),
                              hint: "export a Prometheus query_range result or write the yourict monitoring format (docs/monitoring-format.md)")
            return nil
        }
        let isOwnFormat = sniffOwnFormat(diskPath: diskPath, bytes: bytes)
        do {
            if isOwnFormat {
                var reader = try openReader()
                contents.checks = try OwnFormatReader.read(&reader, limits: limits.checks, until: limits.until, exact: limits.exactChecks)
                for i in contents.checks.indices { contents.checks[i].latency = selector.kept(contents.checks[i].latency) }
                contents.locate = locations
            } else {
                var sink = PrometheusCollector(limits: limits.series, latencyKeptUntil: limits.latencyKeptUntil, until: limits.until, exact: limits.exact, selector: selector)
                if let diskPath, parts > 1 {
                    try PrometheusMatrixReader().read(contentsOfFile: diskPath, into: &sink, parts: parts)
                } else {
                    try PrometheusMatrixReader().read(from: openReader(), into: &sink)
                }
                contents.series = sink.series
                contents.latencySeries = sink.latencySeries
                if let repeats {
                    sink.report(path: path, location: location, diagnostics: repeats, repeatsOfExactSeries: true)
                } else {
                    sink.report(path: path, location: location, diagnostics: diagnostics)
                }
                if contents.series.isEmpty, contents.latencySeries.isEmpty {
                    // An export whose query matched nothing reads as valid JSON; the
                    // components it was meant for would silently have no data.
                    diagnostics.warning("this Prometheus export holds no series: its query matched nothing", at: SourceLocation(path: path),
                                        hint: "check the query and the time range in Prometheus, then export again")
                }
            }
        } catch let error as JSONError {
            diagnostics.error("invalid JSON: \(error.message)", at: location(error.offset), hint: Self.jsonHint(error.kind, message: error.message))
            return nil
        } catch let error as OwnFormatReader.ReadError {
            diagnostics.error(error.message, at: location(error.offset), hint: "see docs/monitoring-format.md")
            return nil
        } catch let error as PrometheusReadError {
            diagnostics.error(prometheusMessage(error), at: location(error.offset), hint: prometheusHint(error))
            return nil
        } catch {
            diagnostics.error("cannot read: \(error)", at: SourceLocation(path: path))
            return nil
        }
        return contents
    }

    /// The project's format announces itself with the key `"yourict_monitoring"` near the
    /// start (a key: followed by a colon, so that a Prometheus label whose value is that
    /// word does not make an export read as the other format).
    static func sniffOwnFormat(diskPath: String?, bytes: [UInt8]) -> Bool {
        let needle = Array("\"yourict_monitoring\"".utf8)
        var head: [UInt8]
        if let diskPath, let handle = FileHandle(forReadingAtPath: diskPath) {
            head = [UInt8](handle.readData(ofLength: 65_536))
            try? handle.close()
        } else {
            head = Array(bytes.prefix(65_536))
        }
        guard head.count >= needle.count else { return false }
        for i in 0...(head.count - needle.count) where head[i] == needle[0] {
            guard head[i..<i + needle.count].elementsEqual(needle) else { continue }
            var j = i + needle.count
            while j < head.count, head[j] == 0x20 || head[j] == 0x09 || head[j] == 0x0A || head[j] == 0x0D { j += 1 }
            if j < head.count, head[j] == UInt8(ascii: ":") { return true }
        }
        return false
    }

    private static func prometheusMessage(_ error: PrometheusReadError) -> String {
        switch error.kind {
        case .apiError(let type, let text): return "this file is a Prometheus error response (\(type)): \(text)"
        case .json: return "invalid JSON: \(error.message)"
        default: return error.message
        }
    }

    private static func prometheusHint(_ error: PrometheusReadError) -> String {
        switch error.kind {
        case .apiError: return "the export failed; fix the query and export again (yourict pull prometheus retries and reports such errors)"
        case .wrongResultType: return "export with /api/v1/query_range, which returns a matrix"
        case .json(let kind): return jsonHint(kind, message: error.message)
        default: return "monitoring files are Prometheus query_range results or the yourict format (docs/monitoring-format.md)"
        }
    }

    /// What to do about a JSON error: only an input that ends too soon suggests a cut-off
    /// export; a byte order mark, NaN or a stray character are the exporter's or an editor's.
    static func jsonHint(_ kind: JSONError.Kind, message: String) -> String {
        if message.contains("byte order mark") { return "save the file as UTF-8 without a byte order mark" }
        if message.contains("NaN and Infinity") { return "export a sample without a value as null, or leave it out: JSON has no NaN or Infinity" }
        switch kind {
        case .unexpectedEndOfInput: return "is the file truncated? export it again"
        default: return "the file is not as an exporter writes it: was it edited by hand? export it again"
        }
    }

    // MARK: Assigning data to components

    /// Returns the components whose matchers select series that hold no sample (an empty
    /// `values`), each with a file of such a series.
    private mutating func addPrometheus(_ files: [FileContents], content: ContentSet, diagnostics: DiagnosticBag,
                                        into sources: inout [String: [Timeline]]) -> [String: String] {
        var matchedEmpty: [String: String] = [:]
        // Chunked exports: the same label set in several files is one series.
        var byKey: [String: (labels: [String: String], lists: [(runs: [SampleRuns.Run], deltas: [Int64: Int])], deltas: [Int64: Int], file: String)] = [:]
        var order: [String] = []
        for file in files {
            for series in file.series {
                let key = series.key
                if byKey[key] == nil {
                    byKey[key] = (series.labels, [], [:], file.path)
                    order.append(key)
                }
                byKey[key]!.lists.append((series.runs.runs, series.runs.deltaCounts))
                byKey[key]!.deltas.merge(series.runs.deltaCounts, uniquingKeysWith: +)
            }
        }
        guard !byKey.isEmpty else { return [:] }
        let d = content.site.defaultLanguage
        for key in order.sorted() {
            let entry = byKey[key]!
            var targets: [(String, ServiceSheet.Component, String)] = []
            for id in content.serviceIDs {
                guard let sheet = content.services[id]?[d] else { continue }
                for component in sheet.components where !component.monitor.isEmpty {
                    if component.monitor.allSatisfy({ entry.labels[$0.key] == $0.value }) {
                        targets.append(("\(id)/\(component.id)", component, sheet.path))
                    }
                }
            }
            targets.sort { $0.0 < $1.0 }
            if targets.count > 1 {
                diagnostics.warning("the series \(PrometheusSeries.describe(entry.labels)) matches several components: \(targets.map(\.0).joined(separator: ", "))",
                                    at: SourceLocation(path: entry.file),
                                    hint: "add a label to the `monitor` matchers so that each series belongs to one component")
            }
            guard !targets.isEmpty else { continue }
            // Each chunk's samples hold for its own usual interval (the series' over all
            // chunks for a chunk of one sample).
            let overall = SampleRuns.usualInterval(entry.deltas) ?? 60_000
            let (runs, intervals) = SampleRuns.merged(entry.lists.map { ($0.runs, SampleRuns.usualInterval($0.deltas) ?? overall) })
            guard let interval = intervals.last else {
                for target in targets where matchedEmpty[target.0] == nil { matchedEmpty[target.0] = entry.file }
                continue
            }
            var timeline = Timeline()
            for segment in SampleRuns.segments(runs, intervals: intervals) { timeline.append(segment.start, segment.end, segment.state) }
            // Lateness is judged by the interval of the newest chunk.
            let spans = SampleSpans(runs: runs, interval: interval)
            for target in targets {
                sources[target.0, default: []].append(timeline)
                samples[target.0, default: []].append(spans)
            }
        }
        return matchedEmpty
    }

    /// Response-time series, their chunks merged (overlaps trimmed by `makeExact`), to the
    /// components whose latency matchers they satisfy (`LatencySelector.matchers`). A
    /// component whose own `latency` matchers select nothing gets a warning (`diagnostics`,
    /// nil when a file could not be read).
    private mutating func addPrometheusLatency(_ files: [FileContents], content: ContentSet, diagnostics: DiagnosticBag?) {
        let chunks = Self.latencyChunks(files)
        let d = content.site.defaultLanguage
        var targets: [(key: String, matchers: [String: String], component: ServiceSheet.Component, found: Bool)] = []
        for id in content.serviceIDs {
            guard let sheet = content.services[id]?[d] else { continue }
            for component in sheet.components {
                if let matchers = LatencySelector.matchers(for: component) { targets.append(("\(id)/\(component.id)", matchers, component, false)) }
            }
        }
        for key in chunks.keys.sorted() {
            // What an earlier chunk holds whole is left out; overlaps were trimmed on reading.
            let kept = chunks[key]!.filter { $0.keptUntil == nil || files[$0.chunk.file].latencySeries[$0.chunk.series].hours.firstSample! > $0.keptUntil! }
            let first = files[kept[0].chunk.file].latencySeries[kept[0].chunk.series]
            let hours = LatencyHours.merged(kept.map { files[$0.chunk.file].latencySeries[$0.chunk.series].hours })
            for t in targets.indices where targets[t].matchers.allSatisfy({ first.labels[$0.key] == $0.value }) {
                targets[t].found = true
                latency[targets[t].key] = LatencyHours.merged([latency[targets[t].key] ?? LatencyHours(), hours])
            }
        }
        guard let diagnostics else { return }
        for target in targets where !target.found && !target.component.latency.isEmpty {
            diagnostics.warning("the latency matchers of `\(target.key)` (\(PrometheusSeries.describe(target.component.latency))) match no series in \(Self.folder)/",
                                at: target.component.latencyLocation ?? SourceLocation(path: Self.folder),
                                hint: "check the metric name and label values against the exported series; until then the component shows no response times")
        }
    }

    /// A component whose `monitor` matchers select no series, and that has no data of
    /// its own, would silently show *no data*: say so where the matchers are written.
    private static func warnAboutUnmatchedMonitors(content: ContentSet, found: [String: [Timeline]], matchedEmpty: [String: String],
                                                   diagnostics: DiagnosticBag) {
        let d = content.site.defaultLanguage
        for id in content.serviceIDs {
            guard let sheet = content.services[id]?[d] else { continue }
            for component in sheet.components where !component.monitor.isEmpty && found["\(id)/\(component.id)"] == nil {
                if let file = matchedEmpty["\(id)/\(component.id)"] {
                    diagnostics.warning("the monitor of `\(id)/\(component.id)` (\(PrometheusSeries.describe(component.monitor))) matches series that hold no sample (\(file))",
                                        at: component.monitorLocation ?? SourceLocation(path: sheet.path),
                                        hint: "export the series over the time to report (a query_range whose range has samples); until then the component has no data")
                    continue
                }
                diagnostics.warning("the monitor of `\(id)/\(component.id)` (\(PrometheusSeries.describe(component.monitor))) matches no series in \(folder)/",
                                    at: component.monitorLocation ?? SourceLocation(path: sheet.path),
                                    hint: "check the label values against the exported series; until then the component has no data")
            }
        }
    }

    private mutating func addOwnFormat(_ files: [FileContents], content: ContentSet, diagnostics: DiagnosticBag, into sources: inout [String: [Timeline]]) {
        let d = content.site.defaultLanguage
        for file in files {
            // Warnings wait for the end of the file: their locations come from one more
            // pass over it, not one per warning (10,000 checks of a renamed catalogue).
            var warnings: [(offset: Int, message: String, hint: String?)] = []
            defer {
                let at = file.locate?(warnings.map(\.offset)) ?? warnings.map { _ in SourceLocation(path: file.path) }
                for (warning, location) in zip(warnings, at) { diagnostics.warning(warning.message, at: location, hint: warning.hint) }
            }
            for check in file.checks {
                guard let sheet = content.services[check.service]?[d] else {
                    // A sheet that could not be read has its own error; no second guess here.
                    if content.unreadable.contains(DocumentKey(.service, check.service)) { continue }
                    // A draft left out of this build is monitored before it is published.
                    if content.drafts.contains(DocumentKey(.service, check.service)) { continue }
                    warnings.append((check.offset, "monitoring for `\(check.service)`, which is not a service; it is ignored",
                                     Spelling.closest(to: check.service, in: content.serviceIDs).map { "did you mean `\($0)`?" }))
                    continue
                }
                var key = check.service
                if check.component == nil, !sheet.components.isEmpty {
                    warnings.append((check.offset, "monitoring for the whole service `\(check.service)`, which has components; it is ignored",
                                     "add \"component\" with one of: \(sheet.components.map(\.id).joined(separator: ", "))"))
                    continue
                }
                if let component = check.component {
                    guard sheet.components.contains(where: { $0.id == component }) else {
                        warnings.append((check.offset, "monitoring for `\(check.service)/\(component)`, which is not a component of the service; it is ignored",
                                         sheet.componentsHint(alone: "it has no components: remove the check's \"component\"")))
                        continue
                    }
                    key += "/" + component
                }
                var timeline = Timeline()
                let runs = check.samples.runs
                if !runs.isEmpty {
                    let interval = check.interval ?? SampleRuns.usualInterval(check.samples.deltaCounts) ?? 60_000
                    for segment in SampleRuns.segments(runs, usualInterval: interval) { timeline.append(segment.start, segment.end, segment.state) }
                    samples[key, default: []].append(SampleSpans(runs: runs, interval: interval))
                }
                for segment in check.runs { timeline.overlay(segment.start, segment.end) { _ in segment.state } }
                if !check.latency.isEmpty { latency[key] = LatencyHours.merged([latency[key] ?? LatencyHours(), check.latency]) }
                if !check.runs.isEmpty {
                    // A run is measured up to its end: that is its newest data.
                    samples[key, default: []].append(SampleSpans(check.runs.map { .init(first: $0.start, last: $0.end) }, interval: nil))
                }
                sources[key, default: []].append(timeline)
            }
        }
    }
}

/// One Prometheus series as read from one file.
package struct PrometheusSeries: Sendable {
    var labels: [String: String]
    var runs: SampleRuns

    package init(labels: [String: String], runs: SampleRuns) {
        self.labels = labels
        self.runs = runs
    }

    package var key: String { Self.key(labels) }

    /// One string per label set: the same series in several files (chunks).
    static func key(_ labels: [String: String]) -> String {
        labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1}")
    }

    static func describe(_ labels: [String: String]) -> String {
        "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ", ") + "}"
    }
}

/// One Prometheus series of response times as read from one file.
struct PrometheusLatencySeries: Sendable {
    var labels: [String: String]
    var hours: LatencyHours
    var sampleCount: Int
    /// Whether its samples came out of order (`LatencyFold.reordered`).
    var reordered = false
    var key: String { PrometheusSeries.key(labels) }
}

/// Folds Prometheus samples into runs as the reader streams them: `1` is up, `0` is
/// down, anything else (NaN, 0.5, 2…) holds no state and is reported. Series of
/// response times (`LatencySelector`) are folded into hourly counts instead.
struct PrometheusCollector: PrometheusPartSink {
    /// Split limits for series read a second time (see `MonitoringLoader.makeExact`).
    let limits: [String: Int64]
    /// Per response-time series read a second time, the time up to which (inclusive) an
    /// earlier chunk already holds its samples (see `MonitoringLoader.makeExact`).
    let latencyKeptUntil: [String: Int64]
    let selector: LatencySelector
    var series: [PrometheusSeries] = []
    var latencySeries: [PrometheusLatencySeries] = []
    private var labels: [String: String] = [:]
    private var runs = SampleRuns()
    private var isLatency = false
    private var keptUntil = Int64.min
    private var fold = LatencyFold()
    /// What a series held that the build says: values that are no state or response time,
    /// timestamps out of range, repeats. `reordered`: its samples came out of order (it is
    /// read again exactly); `readExactly`: this is that reading.
    private typealias Problem = (labels: [String: String], unusual: Int, firstUnusual: Int, unusualValue: Double, outOfRange: Int, firstOutOfRange: Int,
                                 outOfRangeMillis: Int64, duplicates: Int, firstDuplicate: Int, reordered: Bool, readExactly: Bool)
    private var problems: [Problem] = []
    private var unusual = 0, firstUnusual = 0, unusualValue = 0.0
    private var outOfRange = 0, firstOutOfRange = 0, outOfRangeMillis: Int64 = 0
    /// Samples whose timestamp another sample of the series already has: the first is
    /// kept (`SampleRuns`); where the first repeat is, or else the series' first sample.
    private var lastMillis = Int64.min, firstDuplicate = -1, firstSample = -1

    /// Samples of states after this time are left out (`SampleRuns.until`).
    let until: Int64
    /// Series read exactly, having come out of order (`SampleRuns.exact`, `LatencyFold.exact`).
    let exact: Set<String>

    init(limits: [String: Int64] = [:], latencyKeptUntil: [String: Int64] = [:], until: Int64 = .max, exact: Set<String> = [],
         selector: LatencySelector = LatencySelector()) {
        self.limits = limits
        self.latencyKeptUntil = latencyKeptUntil
        self.until = until
        self.exact = exact
        self.selector = selector
    }

    func emptyPart() -> PrometheusCollector {
        PrometheusCollector(limits: limits, latencyKeptUntil: latencyKeptUntil, until: until, exact: exact, selector: selector)
    }

    mutating func append(part: consuming PrometheusCollector) {
        series += part.series
        latencySeries += part.latencySeries
        problems += part.problems
    }

    mutating func beginSeries(labels: [String: String]) {
        self.labels = labels
        isLatency = selector.isLatency(labels)
        let isExact = !exact.isEmpty && exact.contains(PrometheusSeries.key(labels))
        if isLatency {
            keptUntil = latencyKeptUntil.isEmpty ? .min : latencyKeptUntil[PrometheusSeries.key(labels)] ?? .min
            fold.exact = isExact
        } else {
            runs = SampleRuns(splitLimit: limits.isEmpty ? nil : limits[PrometheusSeries.key(labels)], until: until, exact: isExact)
        }
        unusual = 0
        outOfRange = 0
        lastMillis = .min
        firstDuplicate = -1
        firstSample = -1
    }

    @inline(__always)
    mutating func sample(timestampMillis: Int64, value: PrometheusValue, byteOffset: Int) {
        if !Timestamp.supportedRange.contains(timestampMillis) {
            if outOfRange == 0 { firstOutOfRange = byteOffset; outOfRangeMillis = timestampMillis }
            outOfRange += 1
            return
        }
        let v = value.doubleValue
        if isLatency {
            // Seconds, as Prometheus names want; a duration is finite and not negative.
            if LatencyBuckets.isResponseTime(milliseconds: v * 1000) {
                if timestampMillis > keptUntil { fold.add(timestampMillis, milliseconds: v * 1000) }
            } else {
                if unusual == 0 { firstUnusual = byteOffset; unusualValue = v }
                unusual += 1
            }
            return
        }
        if firstSample < 0 { firstSample = byteOffset }
        if timestampMillis == lastMillis, firstDuplicate < 0 { firstDuplicate = byteOffset }
        lastMillis = timestampMillis
        if v == 1 {
            runs.add(timestampMillis, .up)
        } else if v == 0 {
            runs.add(timestampMillis, .down)
        } else {
            if unusual == 0 { firstUnusual = byteOffset; unusualValue = v }
            unusual += 1
            runs.add(timestampMillis, nil)
        }
    }

    mutating func endSeries() {
        if isLatency {
            let count = fold.sampleCount, reordered = fold.reordered
            latencySeries.append(PrometheusLatencySeries(labels: labels, hours: selector.kept(fold.take()), sampleCount: count, reordered: reordered))
        } else {
            runs.finish()
            series.append(PrometheusSeries(labels: labels, runs: runs))
        }
        let duplicates = isLatency ? 0 : runs.duplicates
        if unusual > 0 || outOfRange > 0 || duplicates > 0 {
            problems.append((labels, unusual, firstUnusual, unusualValue, outOfRange, firstOutOfRange, outOfRangeMillis,
                             duplicates, firstDuplicate >= 0 ? firstDuplicate : max(0, firstSample),
                             !isLatency && runs.reordered, !isLatency && !exact.isEmpty && exact.contains(PrometheusSeries.key(labels))))
        }
    }

    /// Milliseconds written where Prometheus writes seconds are the usual cause: say so
    /// when the timestamp read as milliseconds is a date.
    static func timestampHint(_ millis: Int64) -> String {
        guard let meant = Self.meantAsMilliseconds(millis) else { return "timestamps are Unix seconds, e.g. 1764000000" }
        return "\(millis / 1000) looks like milliseconds (\(meant)): Prometheus writes Unix seconds, e.g. 1764000000; export with /api/v1/query_range or divide by 1000"
    }

    /// The date a timestamp of seconds (`millis` / 1000) means if it was written in
    /// milliseconds, when that is a date a monitoring export may hold (2000–2100): not
    /// 1978 for a year 10000 typed by hand.
    static func meantAsMilliseconds(_ millis: Int64) -> Timestamp? {
        let asMillis = millis / 1000
        return millis > 0 && (946_684_800_000..<4_102_444_800_000).contains(asMillis) ? Timestamp(millis: asMillis) : nil
    }

    /// The problems of the series read. A series that came out of order has its repeats
    /// counted by its exact reading (`MonitoringLoader.makeExact`), which reports only
    /// those (`repeatsOfExactSeries`): the first one took its samples back from runs, where
    /// a repeat may not fall on its timestamp.
    package func report(path: String, location: (Int) -> SourceLocation, diagnostics: DiagnosticBag, repeatsOfExactSeries: Bool = false) {
        for p in problems {
            if repeatsOfExactSeries {
                if p.readExactly { reportRepeats(p, location: location, diagnostics: diagnostics) }
                continue
            }
            if p.unusual > 0, selector.isLatency(p.labels) {
                diagnostics.warning("\(p.unusual) sample\(p.unusual == 1 ? "" : "s") of \(PrometheusSeries.describe(p.labels)) \(p.unusual == 1 ? "is" : "are") not a response time (first: \(p.unusualValue)); ignored",
                                    at: location(p.firstUnusual),
                                    hint: "response times are durations in seconds, from 0 to a day (86400), such as probe_duration_seconds")
            } else if p.unusual > 0 {
                diagnostics.warning("\(p.unusual) sample\(p.unusual == 1 ? "" : "s") of \(PrometheusSeries.describe(p.labels)) \(p.unusual == 1 ? "is" : "are") neither 0 nor 1 (first: \(p.unusualValue)); they count as no data",
                                    at: location(p.firstUnusual),
                                    hint: "export an up/down metric such as probe_success or up, not an average or a ratio")
            }
            if !p.reordered { reportRepeats(p, location: location, diagnostics: diagnostics) }
            if p.outOfRange > 0 {
                diagnostics.warning("\(p.outOfRange) sample\(p.outOfRange == 1 ? " has a timestamp" : "s have timestamps") before 1970 or after 9999 in \(PrometheusSeries.describe(p.labels)); ignored",
                                    at: location(p.firstOutOfRange), hint: Self.timestampHint(p.outOfRangeMillis))
            }
        }
    }

    private func reportRepeats(_ p: Problem, location: (Int) -> SourceLocation, diagnostics: DiagnosticBag) {
        guard p.duplicates > 0 else { return }
        diagnostics.warning("\(p.duplicates) sample\(p.duplicates == 1 ? " of \(PrometheusSeries.describe(p.labels)) repeats the timestamp" : "s of \(PrometheusSeries.describe(p.labels)) repeat the timestamps") of another; only the first sample of each timestamp counts",
                            at: location(p.firstDuplicate),
                            hint: "Prometheus exports one sample per timestamp: was the file joined from two exports, or edited? Split overlapping exports into files (chunks)")
    }
}
