import Foundation
import YourICTSupport
import YourICTFormats

/// Reads monitoring files on their own, without a site: what `MonitoringLoader`
/// does for a build, exposed for the benchmark and for tools.
public enum MonitoringIngest {
    public struct Summary: Sendable {
        public var files: Int
        public var bytes: Int
        public var series: Int
        public var samples: Int
        /// Runs kept in memory after reduction: what memory grows with.
        public var runs: Int
        /// Hours of response-time counts kept (`LatencyHours`), and their entries (one per
        /// bucket in use in an hour): what memory grows with for response times.
        public var latencyHours = 0
        public var latencyEntries = 0
        public var diagnostics: [Diagnostic]
    }

    /// Reads every `.json` file of `folder` (a `content/monitoring`-like folder). With a
    /// `reference` time, response times keep only the hours that the figures at that
    /// time need, in UTC days, as a build does (`LatencyHorizon`).
    public static func read(folder: URL, reference: Timestamp? = nil) -> Summary {
        let horizon = reference.map { LatencyHorizon(reference: $0, calendar: ZonedCalendar(timeZone: TimeZone(identifier: "UTC")!)) }
        let root = folder.deletingLastPathComponent().deletingLastPathComponent()
        let tree = DiskSourceTree(root: root)
        let relative = folder.pathComponents.suffix(2).joined(separator: "/")
        let bag = DiagnosticBag()
        var summary = Summary(files: 0, bytes: 0, series: 0, samples: 0, runs: 0, diagnostics: [])
        let paths = tree.files(in: relative).filter { $0.hasSuffix(".json") }
        // Read as a build reads them: files on all cores, a large file in parts.
        let parts = MonitoringLoader.partsPerFile(paths.count)
        let read = paths.parallelMap { path in MonitoringLoader.readFile(path, tree: tree, horizon: horizon, parts: parts, diagnostics: bag) }
        for contents in read {
            guard let contents else { continue }
            summary.files += 1
            summary.bytes += contents.bytes
            summary.series += contents.series.count + contents.latencySeries.count + contents.checks.count
            summary.samples += contents.series.reduce(0) { $0 + $1.runs.sampleCount } + contents.checks.reduce(0) { $0 + $1.samples.sampleCount }
                + contents.latencySeries.reduce(0) { $0 + $1.sampleCount }
            for hours in contents.latencySeries.map(\.hours) + contents.checks.map(\.latency) {
                summary.latencyHours += hours.hours.count
                summary.latencyEntries += hours.entries.count
            }
            summary.runs += contents.series.reduce(0) { $0 + $1.runs.runs.count } + contents.checks.reduce(0) { $0 + $1.samples.runs.count }
        }
        summary.diagnostics = bag.all.sortedForDisplay()
        return summary
    }
}
