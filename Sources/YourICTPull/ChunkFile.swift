import Foundation
import YourICTSupport
import YourICTFormats
import YourICTMonitoring

/// One series of a pulled chunk, samples in time order.
public struct PulledSeries: Sendable, Equatable {
    public var labels: [String: String]
    public var timestamps: [Int64] = []
    public var values: [PrometheusValue] = []

    public init(labels: [String: String]) { self.labels = labels }

    /// Label set as one sortable key (the same key `MonitoringLoader` merges chunks by).
    var key: String { PrometheusSeries(labels: labels, runs: SampleRuns()).key }
}

/// Collects what `PrometheusMatrixReader` streams: series by label set, samples in
/// time order (a repeated instant keeps the first value, as the loader does).
struct PulledSeriesCollector: PrometheusSampleSink {
    private(set) var series: [String: PulledSeries] = [:]
    private var current: PulledSeries?
    private(set) var sampleCount = 0

    mutating func beginSeries(labels: [String: String]) { current = PulledSeries(labels: labels) }

    mutating func sample(timestampMillis: Int64, value: PrometheusValue, byteOffset: Int) {
        current!.timestamps.append(timestampMillis)
        current!.values.append(value)
    }

    mutating func endSeries() {
        guard var s = current else { return }
        current = nil
        if !zip(s.timestamps, s.timestamps.dropFirst()).allSatisfy({ $0 < $1 }) {
            let order = s.timestamps.indices.sorted { (s.timestamps[$0], $0) < (s.timestamps[$1], $1) }
            var ts: [Int64] = [], vs: [PrometheusValue] = []
            for i in order where ts.last != s.timestamps[i] { ts.append(s.timestamps[i]); vs.append(s.values[i]) }
            s.timestamps = ts
            s.values = vs
        }
        sampleCount += s.timestamps.count
        let key = s.key
        if var existing = series[key] {
            // Two series with one label set in one answer: both halves, in time order (a
            // helper's server sent the later half first, and the earlier was lost).
            existing.merge(s)
            series[key] = existing
        } else {
            series[key] = s
        }
    }

    var newest: Int64? { series.values.compactMap(\.timestamps.last).max() }
}

extension PulledSeries {
    /// Appends the samples of `other` (same labels) that are newer than the newest here.
    mutating func append(after other: PulledSeries) {
        let from = timestamps.last ?? .min
        for (t, v) in zip(other.timestamps, other.values) where t > from {
            timestamps.append(t)
            values.append(v)
        }
    }

    /// Both series' samples (each in strict time order) in time order; at an instant both
    /// have, this one's value, as the loader keeps the first.
    mutating func merge(_ other: PulledSeries) {
        if let last = timestamps.last, let first = other.timestamps.first, first > last { return append(after: other) }
        var ts: [Int64] = [], vs: [PrometheusValue] = []
        ts.reserveCapacity(timestamps.count + other.timestamps.count)
        vs.reserveCapacity(timestamps.count + other.timestamps.count)
        var i = 0, j = 0
        while i < timestamps.count || j < other.timestamps.count {
            if j == other.timestamps.count || (i < timestamps.count && timestamps[i] <= other.timestamps[j]) {
                if j < other.timestamps.count, timestamps[i] == other.timestamps[j] { j += 1 }
                ts.append(timestamps[i]); vs.append(values[i]); i += 1
            } else {
                ts.append(other.timestamps[j]); vs.append(other.values[j]); j += 1
            }
        }
        timestamps = ts
        values = vs
    }

    /// Only the samples from `start` to `end` (inclusive).
    func within(_ start: Int64, _ end: Int64) -> PulledSeries {
        guard let first = timestamps.first, let last = timestamps.last, first < start || last > end else { return self }
        var out = PulledSeries(labels: labels)
        for (t, v) in zip(timestamps, values) where t >= start && t <= end {
            out.timestamps.append(t)
            out.values.append(v)
        }
        return out
    }
}

/// The files `pull prometheus` writes: a Prometheus `query_range` response, as
/// `build` reads it, with one extra top-level member that `build` ignores and the
/// next pull reads to continue where this one stopped:
///
///     {"status":"success",
///      "yourict_pull":{"version":1,"query":"probe_success","step_ms":60000,
///                      "start":"2026-11-23T00:00:00Z","end":"2026-11-26T00:00:00Z"},
///      "data":{"resultType":"matrix","result":[
///     {"metric":{"__name__":"probe_success","job":"blackbox"},"values":[[1795392000,"1"],…]}
///     ]}}
///
/// Series are sorted by label set and labels by name, one series per line, so that
/// the same data always gives the same bytes.
public enum ChunkFile {
    public struct Meta: Sendable, Equatable {
        public var query: String
        public var stepMillis: Int64
        /// The instants asked for: the first and the last (inclusive).
        public var start: Int64
        public var end: Int64

        public init(query: String, stepMillis: Int64, start: Int64, end: Int64) {
            self.query = query
            self.stepMillis = stepMillis
            self.start = start
            self.end = end
        }
    }

    public static let metaMember = "yourict_pull"

    public static func serialize(meta: Meta, series: [PulledSeries]) -> [UInt8] {
        var out = "{\"status\":\"success\",\"\(metaMember)\":{\"version\":1,\"query\":\(JSONText.quote(meta.query)),"
        out += "\"step_ms\":\(meta.stepMillis),\"start\":\"\(Timestamp(millis: meta.start).iso8601UTC)\",\"end\":\"\(Timestamp(millis: meta.end).iso8601UTC)\"},\n"
        out += "\"data\":{\"resultType\":\"matrix\",\"result\":["
        var bytes = Array(out.utf8)
        for (i, s) in series.sorted(by: { $0.key < $1.key }).enumerated() {
            var line = i == 0 ? "\n{\"metric\":{" : ",\n{\"metric\":{"
            line += s.labels.sorted { $0.key < $1.key }.map { JSONText.quote($0.key) + ":" + JSONText.quote($0.value) }.joined(separator: ",")
            line += "},\"values\":["
            bytes += line.utf8
            for j in s.timestamps.indices {
                if j > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes += "[\(seconds(s.timestamps[j])),\"\(valueText(s.values[j]))\"]".utf8
            }
            bytes += "]}".utf8
        }
        bytes += "\n]}}\n".utf8
        return bytes
    }

    /// Unix seconds as Prometheus writes them: `1795392000`, `1795392000.5`.
    static func seconds(_ millis: Int64) -> String {
        let whole = PullPlanning.floorDiv(millis, 1000), ms = millis - whole * 1000
        guard ms != 0 else { return String(whole) }
        var fraction = String(ms).leftPadded(to: 3)
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(whole).\(fraction)"
    }

    /// Sample values as Prometheus writes them; any text that reads back as the same number.
    static func valueText(_ value: PrometheusValue) -> String {
        let d = value.doubleValue
        if d == 1 { return "1" }
        if d == 0 { return "0" }
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d > 0 ? "+Inf" : "-Inf" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }

    /// Reads a chunk file: its series, and its `yourict_pull` member (nil when absent).
    public static func read(path: String) throws -> (meta: Meta?, series: [PulledSeries], samples: Int) {
        var collector = PulledSeriesCollector()
        try PrometheusMatrixReader().read(contentsOfFile: path, into: &collector)
        let meta = try readMeta(path: path)
        return (meta, collector.series.values.sorted { $0.key < $1.key }, collector.sampleCount)
    }

    /// The `yourict_pull` member, read from the top level without reading the samples
    /// when it comes first (as yourict writes it).
    public static func readMeta(path: String) throws -> Meta? {
        var reader = try JSONPullReader(contentsOfFile: path, bufferSize: 64 * 1024)
        guard try reader.next() == .beginObject else { return nil }
        while try reader.next() == .key {
            guard reader.currentStringEquals("yourict_pull") else {
                try reader.skipValue()
                continue
            }
            guard try reader.next() == .beginObject else { return nil }
            var query: String?, step: Int64?, start: Int64?, end: Int64?
            while try reader.next() == .key {
                let name = reader.currentString()
                let token = try reader.next()
                switch (name, token) {
                case ("query", .string): query = reader.currentString()
                case ("step_ms", .number): step = reader.currentNumberText.flatMap { Int64($0) }
                case ("start", .string): start = Timestamp(rfc3339: reader.currentString())?.millis
                case ("end", .string): end = Timestamp(rfc3339: reader.currentString())?.millis
                case (_, .beginObject), (_, .beginArray):
                    try reader.skipRest(of: token)
                default: break
                }
            }
            guard let query, let step, let start, let end else { return nil }
            return Meta(query: query, stepMillis: step, start: start, end: end)
        }
        return nil
    }
}

extension JSONPullReader {
    /// After reading `{` or `[`, skips to its matching close.
    mutating func skipRest(of open: JSONToken) throws(JSONError) {
        var depth = 1
        while depth > 0 {
            switch try next() {
            case .beginObject, .beginArray: depth += 1
            case .endObject, .endArray: depth -= 1
            case .end: return
            default: break
            }
        }
    }
}
