import Foundation
import YourICTSupport

/// The pure part of `yourict pull prometheus`: step syntax, the range to export, the
/// chunk grid under Prometheus' points-per-series limit, and which chunks an
/// incremental pull fetches. No I/O here, so every rule is unit-tested.
public enum PullPlanning {
    /// Prometheus refuses a `query_range` whose `(end - start) / step` exceeds 11,000
    /// ("exceeded maximum resolution of 11,000 points per timeseries"). yourict keeps
    /// every request at or under 11,000 points per series (`points = range / step + 1`).
    public static let prometheusMaxPoints = 11_000

    static let dayMillis: Int64 = 86_400_000
    static let hourMillis: Int64 = 3_600_000
    /// Monday 1970-01-05T00:00:00Z: chunks of whole weeks start on Mondays (UTC).
    static let mondayOrigin: Int64 = 4 * dayMillis

    // MARK: Step syntax

    /// Parses a step as Prometheus does: a duration such as `60s`, `5m`, `1h30m`,
    /// `1500ms` (units `ms`, `s`, `m`, `h`, `d`, `w`, `y`, largest first, each at most
    /// once), or plain seconds such as `60` or `1.5`. Returns milliseconds, or nil.
    public static func parseStep(_ text: String) -> Int64? {
        let s = text.trimmingCharacters(in: .whitespaces)
        guard !s.isEmpty else { return nil }
        // Plain seconds: digits with an optional fraction (at most millisecond precision).
        if s.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) {
            let parts = s.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count <= 2, let whole = Int64(parts[0].isEmpty ? "0" : String(parts[0])), whole < 1_000_000_000 else { return nil }
            var millis = whole * 1000
            if parts.count == 2 {
                let fraction = parts[1]
                guard !fraction.isEmpty, fraction.count <= 3 || fraction.dropFirst(3).allSatisfy({ $0 == "0" }) else { return nil }
                millis += Int64(String(fraction.prefix(3)).padding(toLength: 3, withPad: "0", startingAt: 0))!
            }
            return millis
        }
        let units: [(String, Int64)] = [("y", 365 * dayMillis), ("w", 7 * dayMillis), ("d", dayMillis), ("h", hourMillis),
                                        ("m", 60_000), ("s", 1000), ("ms", 1)]
        var total: Int64 = 0
        var lastUnit = -1
        var chars = Array(s)
        while !chars.isEmpty {
            var digits = ""
            while let c = chars.first, c.isASCII, c.isNumber { digits.append(c); chars.removeFirst() }
            guard !digits.isEmpty, digits.count <= 12, let n = Int64(digits) else { return nil }
            var unit = ""
            while let c = chars.first, c.isASCII, c.isLetter { unit.append(c); chars.removeFirst() }
            guard let index = units.firstIndex(where: { $0.0 == unit }), index > lastUnit else { return nil }
            lastUnit = index
            let (product, overflow) = n.multipliedReportingOverflow(by: units[index].1)
            guard !overflow else { return nil }
            total += product
            guard total < 100 * 365 * dayMillis else { return nil }
        }
        return total
    }

    /// `60000` → `1m`, `90000` → `1m30s`, `1500` → `1.5s`: the shortest Prometheus duration.
    public static func formatStep(_ millis: Int64) -> String {
        if millis % 1000 != 0 {
            let whole = millis / 1000, ms = millis % 1000
            var fraction = String(ms).leftPadded(to: 3)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            return "\(whole).\(fraction)s"
        }
        var rest = millis / 1000
        var out = ""
        for (unit, seconds) in [("d", Int64(86_400)), ("h", 3600), ("m", 60), ("s", 1)] where rest >= seconds {
            out += "\(rest / seconds)\(unit)"
            rest %= seconds
        }
        return out.isEmpty ? "0s" : out
    }

    // MARK: The range

    /// The instants a pull covers: `end` rounded down to the step, and the first
    /// multiple of the step at or after `end - days`. Samples of every pull of the same
    /// query and step fall on the same instants, so chunks merge without odd gaps.
    public static func window(end: Int64, days: Int, step: Int64) -> (start: Int64, end: Int64) {
        let alignedEnd = floorDiv(end, step) * step
        let start = ceilDiv(alignedEnd - Int64(days) * dayMillis, step) * step
        return (start, alignedEnd)
    }

    // MARK: The chunk grid

    /// Chunks sit on a fixed grid, so that a full pull and any sequence of incremental
    /// pulls name and cut the files the same way: reruns replace files, never add
    /// duplicates. A chunk spans as many whole weeks as fit under the limit (1 week at
    /// `60s`, 10,080 points), else whole days (`15s`: 1 day), else whole hours (`1s`:
    /// 3 hours), else `maxPoints` steps.
    public struct Grid: Sendable, Equatable {
        public var step: Int64
        public var span: Int64
        public var origin: Int64

        public init(step: Int64, maxPoints: Int = PullPlanning.prometheusMaxPoints) {
            precondition(step > 0 && maxPoints > 0)
            self.step = step
            let points = Int64(maxPoints)
            for unit in [7 * dayMillis, dayMillis, hourMillis] where unit % step == 0 && unit / step <= points {
                span = unit * (points / (unit / step))
                // Whole weeks start on Mondays; days and hours on the epoch grid. Chunk
                // starts must fall on the step's instants: a step that divides a week but
                // not the four days from the epoch to the first Monday (70 s, 63 s) keeps
                // the epoch grid (on Mondays, the last instants of a chunk fell outside it,
                // and the cutting never advanced: a pull that ate the machine's memory).
                origin = span % (7 * dayMillis) == 0 && mondayOrigin % step == 0 ? mondayOrigin : 0
                return
            }
            span = step * points
            origin = 0
        }

        /// Start of the chunk holding instant `t`.
        public func chunkStart(containing t: Int64) -> Int64 {
            origin + floorDiv(t - origin, span) * span
        }

        /// Points per series of the chunk at most: every chunk stays under the limit.
        public var pointsPerChunk: Int64 { span / step }
    }

    /// One request: the instants `start`, `start + step`, …, `end` (inclusive), all
    /// inside the grid chunk starting at `gridStart`.
    public struct Chunk: Sendable, Equatable {
        public var gridStart: Int64
        public var start: Int64
        public var end: Int64
        public var step: Int64

        /// Points per series: `(end - start) / step + 1`.
        public var points: Int64 { (end - start) / step + 1 }
    }

    /// Cuts the inclusive range [start, end] (multiples of the step) at the grid.
    public static func chunks(from start: Int64, to end: Int64, grid: Grid) -> [Chunk] {
        guard start <= end else { return [] }
        var out: [Chunk] = []
        var from = ceilDiv(start, grid.step) * grid.step
        while from <= end {
            let gridStart = grid.chunkStart(containing: from)
            let lastInChunk = gridStart + grid.span - grid.step
            // Never before `from` (the grid's origin is on the step's instants, so it is not):
            // the loop always advances.
            let to = max(from, min(end, floorDiv(lastInChunk, grid.step) * grid.step))
            out.append(Chunk(gridStart: gridStart, start: from, end: to, step: grid.step))
            from = to + grid.step
        }
        return out
    }

    // MARK: Incremental pulls

    /// What the previous pull left, as far as planning needs it.
    public struct Existing: Sendable, Equatable {
        /// Grid starts of the chunk files present.
        public var chunkStarts: [Int64]
        /// The newest sample in them, any series; nil when they hold none.
        public var newestSample: Int64?

        public init(chunkStarts: [Int64], newestSample: Int64?) {
            self.chunkStarts = chunkStarts
            self.newestSample = newestSample
        }
    }

    public struct Plan: Sendable, Equatable {
        /// The requests, oldest first.
        public var chunks: [Chunk]
        /// Grid starts of chunk files whose samples are kept and extended.
        public var merges: Set<Int64>
        /// Grid starts of chunk files to delete once the new files are in place.
        public var stale: [Int64]
        /// The newest existing sample the pull continues after (incremental pulls).
        public var continuesAfter: Int64?
    }

    /// Plans a pull of the window. Without existing files, or with `full`, the whole
    /// window is fetched and every other chunk file of the name becomes stale. Else only
    /// the range after the newest existing sample is fetched; the grid chunk that holds
    /// that sample is extended, and only files wholly before the window become stale.
    public static func plan(window: (start: Int64, end: Int64), grid: Grid, existing: Existing, full: Bool) -> Plan {
        let starts = Set(existing.chunkStarts)
        guard !full, !starts.isEmpty, let newest = existing.newestSample else {
            let chunks = chunks(from: window.start, to: window.end, grid: grid)
            let kept = Set(chunks.map(\.gridStart))
            return Plan(chunks: chunks, merges: [], stale: starts.subtracting(kept).sorted(), continuesAfter: nil)
        }
        let from = max(incrementalStart(newestSample: newest, step: grid.step), window.start)
        let chunks = chunks(from: from, to: window.end, grid: grid)
        let merges = Set(chunks.map(\.gridStart)).intersection(starts)
        let stale = starts.filter { $0 + grid.span <= window.start }.sorted()
        return Plan(chunks: chunks, merges: merges, stale: stale, continuesAfter: newest)
    }

    /// The first instant an incremental pull asks for: the step after the newest
    /// sample already exported (on the step grid, whatever that sample's time).
    public static func incrementalStart(newestSample: Int64, step: Int64) -> Int64 {
        (floorDiv(newestSample, step) + 1) * step
    }

    // MARK: File names

    /// `NAME-20261123T000000Z.json`: the name and the UTC start of the grid chunk,
    /// so files sort by time and a rerun writes the same names.
    public static func fileName(name: String, gridStart: Int64) -> String {
        "\(name)-\(basicTimestamp(gridStart)).json"
    }

    /// The grid start encoded in a chunk file name of `name`, or nil if the file is
    /// not one of its chunks.
    public static func gridStart(fileName: String, name: String) -> Int64? {
        let prefix = name + "-", suffix = ".json"
        guard fileName.hasPrefix(prefix), fileName.hasSuffix(suffix) else { return nil }
        let stamp = fileName.dropFirst(prefix.count).dropLast(suffix.count)
        return parseBasicTimestamp(String(stamp))
    }

    /// `20261123T000000Z`, with `.500` before the `Z` when not a whole second.
    static func basicTimestamp(_ millis: Int64) -> String {
        let iso = Timestamp(millis: millis).iso8601UTC  // 2026-11-23T00:00:00Z or …00.500Z
        return iso.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
    }

    static func parseBasicTimestamp(_ s: String) -> Int64? {
        let b = Array(s.utf8)
        guard b.count == 16 || b.count == 20, b[8] == UInt8(ascii: "T"), b[b.count - 1] == UInt8(ascii: "Z") else { return nil }
        var digitPositions = Array(0..<8) + Array(9..<15)
        if b.count == 20 {
            guard b[15] == UInt8(ascii: ".") else { return nil }
            digitPositions += Array(16..<19)
        }
        guard digitPositions.allSatisfy({ b[$0] >= 48 && b[$0] <= 57 }) else { return nil }
        let c = s.map { String($0) }
        let date = c[0..<4].joined() + "-" + c[4..<6].joined() + "-" + c[6..<8].joined()
        let time = c[9..<11].joined() + ":" + c[11..<13].joined() + ":" + c[13..<15].joined()
        let fraction = b.count == 20 ? c[15..<19].joined() : ""
        guard let t = Timestamp(rfc3339: date + "T" + time + fraction + "Z"), basicTimestamp(t.millis) == s else { return nil }
        return t.millis
    }

    // MARK: Arithmetic

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    static func ceilDiv(_ a: Int64, _ b: Int64) -> Int64 {
        -floorDiv(-a, b)
    }
}
