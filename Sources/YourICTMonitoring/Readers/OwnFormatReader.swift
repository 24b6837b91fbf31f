import YourICTSupport
import YourICTFormats

/// Reads the project's own monitoring format (docs/monitoring-format.md, JSON Schema in
/// docs/monitoring.schema.json), streaming:
///
/// ```json
/// {"yourict_monitoring": 1,
///  "checks": [{"service": "messagerie", "component": "webmail", "interval": 60,
///              "samples": [[1764000000, "up"], [1764000060, "down", 812]],
///              "runs": [["2026-11-03T08:12:00Z", "2026-11-03T09:40:00Z", "partial"]]}]}
/// ```
struct OwnFormatReader {
    struct Check {
        var service: String
        var component: String?
        /// Byte offset of the check's object, for diagnostics.
        var offset: Int
        var interval: Int64?
        var samples: SampleRuns
        /// Stretches given directly as [from, until, status].
        var runs: [Timeline.Segment] = []
        /// The samples' `latency_ms`, per hour.
        var latency = LatencyHours()
        /// Whether the response times came out of order (`LatencyFold.reordered`).
        var latencyReordered = false
    }

    struct ReadError: Error {
        package var message: String
        var offset: Int
    }

    static let supportedVersion = 1

    /// Names of the statuses, to the states they stand for.
    static func state(_ reader: borrowing JSONPullReader) -> ComponentState? {
        if reader.currentStringEquals("up") || reader.currentStringEquals("operational") { return .up }
        if reader.currentStringEquals("down") || reader.currentStringEquals("major_outage") { return .down }
        if reader.currentStringEquals("degraded") || reader.currentStringEquals("degraded_performance") { return .degraded }
        if reader.currentStringEquals("partial") || reader.currentStringEquals("partial_outage") { return .partial }
        if reader.currentStringEquals("maintenance") || reader.currentStringEquals("under_maintenance") { return .maintenance }
        return nil
    }

    /// `limits`: per check index, the split limit of its samples (see `SampleRuns.splitLimit`);
    /// `until`: samples after it are left out (`SampleRuns.until`).
    /// `exact`: the indexes of checks to read exactly (`SampleRuns.exact`, `LatencyFold.exact`).
    static func read(_ reader: inout JSONPullReader, limits: [Int: Int64] = [:], until: Int64 = .max, exact: Set<Int> = []) throws -> [Check] {
        var checks: [Check] = []
        var version: Int?
        // One table for every check's response times (see `LatencyFold`).
        var fold = LatencyFold()
        guard try reader.next() == .beginObject else { throw ReadError(message: "expected an object at the top level", offset: reader.tokenOffset) }
        while true {
            let token = try reader.next()
            if token == .endObject { break }
            if reader.currentStringEquals("yourict_monitoring") {
                // `Int(exactly:)`: a version such as 1e40 is whole but beyond `Int`, where `Int(_:)` traps.
                guard try reader.next() == .number, let v = reader.currentDouble(), let whole = Int(exactly: v) else {
                    throw ReadError(message: "`yourict_monitoring` must be the format version, a whole number", offset: reader.tokenOffset)
                }
                version = whole
                if whole != supportedVersion {
                    throw ReadError(message: "monitoring format version \(whole) is not supported (this yourict reads version \(supportedVersion))", offset: reader.tokenOffset)
                }
            } else if reader.currentStringEquals("checks") {
                guard try reader.next() == .beginArray else { throw ReadError(message: "`checks` must be a list", offset: reader.tokenOffset) }
                while true {
                    let t = try reader.next()
                    if t == .endArray { break }
                    guard t == .beginObject else { throw ReadError(message: "each check must be an object", offset: reader.tokenOffset) }
                    checks.append(try readCheck(&reader, splitLimit: limits[checks.count], until: until, exact: exact.contains(checks.count), fold: &fold))
                }
            } else {
                try reader.skipValue()
            }
        }
        guard try reader.next() == .end else { throw ReadError(message: "unexpected data after the document", offset: reader.tokenOffset) }
        guard version != nil else { throw ReadError(message: "missing `yourict_monitoring` version", offset: 0) }
        return checks
    }

    /// A check's members, in the order `readCheck` switches over their positions.
    private static let checkMembers: [StaticString] = ["service", "component", "interval", "samples", "runs"]

    private static func readCheck(_ reader: inout JSONPullReader, splitLimit: Int64?, until: Int64, exact: Bool, fold: inout LatencyFold) throws -> Check {
        var check = Check(service: "", component: nil, offset: reader.tokenOffset, samples: SampleRuns(splitLimit: splitLimit, until: until, exact: exact))
        fold.exact = exact
        // A member given twice (`"service"` copied and not changed) silently took the last.
        var seen = Set<Int>()
        while true {
            let token = try reader.next()
            if token == .endObject { break }
            let member = Self.checkMembers.firstIndex { reader.currentStringEquals($0) }
            if let member, !seen.insert(member).inserted {
                throw ReadError(message: "`\(Self.checkMembers[member])` is given twice in this check: keep one", offset: reader.tokenOffset)
            }
            switch member {
            case 0, 1:
                let isService = member == 0
                guard try reader.next() == .string else {
                    throw ReadError(message: "`\(isService ? "service" : "component")` must be an id (text)", offset: reader.tokenOffset)
                }
                if isService { check.service = reader.currentString() } else { check.component = reader.currentString() }
            case 2:
                let token = try reader.next()
                // At least a second: below, a sample would hold for no time (rounded to the
                // millisecond) and a fresh "up" read as no data.
                guard token == .number, let seconds = reader.currentDouble(), seconds >= 1, seconds < 86_400 * 31 else {
                    // Say which of the three it is: text, out of range, or not a number at all.
                    let text = token == .string ? reader.currentString() : ""
                    let message = token == .string ? "`interval` must be a number, not text" + (Double(text) != nil ? ": write \(text) without quotes" : "")
                        : token == .number ? "`interval` must be at least 1 second and less than 31 days (2678400)"
                        : "`interval` must be a number of seconds"
                    throw ReadError(message: message, offset: reader.tokenOffset)
                }
                check.interval = Int64((seconds * 1000).rounded())
            case 3:
                try readSamples(&reader, into: &check.samples, latency: &fold)
            case 4:
                try readRuns(&reader, into: &check.runs)
            default:
                try reader.skipValue()
            }
        }
        if check.service.isEmpty { throw ReadError(message: "a check needs `service`", offset: check.offset) }
        check.samples.finish()
        check.latencyReordered = fold.reordered
        check.latency = fold.take()
        return check
    }

    private static func time(_ reader: inout JSONPullReader, _ token: JSONToken) throws -> Int64 {
        switch token {
        case .number:
            guard let ms = reader.currentTimestampMillis(), Timestamp.supportedRange.contains(ms) else {
                var message = "a time must be Unix seconds from 1970 to 9999, or an RFC 3339 text"
                if let ms = reader.currentTimestampMillis(), let meant = PrometheusCollector.meantAsMilliseconds(ms) {
                    message += "; \(ms / 1000) looks like milliseconds (\(meant)): divide by 1000"
                }
                throw ReadError(message: message, offset: reader.tokenOffset)
            }
            return ms
        case .string:
            guard let t = Timestamp(rfc3339: reader.currentString()) else {
                throw ReadError(message: "`\(reader.currentString())` is not an RFC 3339 time with an offset", offset: reader.tokenOffset)
            }
            guard Timestamp.supportedRange.contains(t.millis) else {
                throw ReadError(message: "`\(reader.currentString())` is before 1970 or after 9999", offset: reader.tokenOffset)
            }
            return t.millis
        default:
            throw ReadError(message: "a time must be Unix seconds or an RFC 3339 text", offset: reader.tokenOffset)
        }
    }

    private static func status(_ reader: inout JSONPullReader) throws -> ComponentState {
        guard try reader.next() == .string else {
            throw ReadError(message: "a status must be one of \"up\", \"degraded\", \"partial\", \"down\", \"maintenance\"", offset: reader.tokenOffset)
        }
        guard let state = Self.state(reader) else {
            throw ReadError(message: "unknown status `\(reader.currentString())`: use up, degraded, partial, down or maintenance", offset: reader.tokenOffset)
        }
        return state
    }

    private static func readSamples(_ reader: inout JSONPullReader, into samples: inout SampleRuns, latency: inout LatencyFold) throws {
        guard try reader.next() == .beginArray else { throw ReadError(message: "`samples` must be a list of [time, status] pairs", offset: reader.tokenOffset) }
        while true {
            let t = try reader.next()
            if t == .endArray { break }
            guard t == .beginArray else { throw ReadError(message: "a sample must be [time, status] or [time, status, latency_ms]", offset: reader.tokenOffset) }
            let at = try time(&reader, try reader.next())
            let state = try status(&reader)
            var end = try reader.next()
            if end == .number {
                guard let ms = reader.currentDouble(), LatencyBuckets.isResponseTime(milliseconds: ms) else {
                    throw ReadError(message: "`latency_ms` must be a number of milliseconds from 0 to a day (86400000), or null", offset: reader.tokenOffset)
                }
                latency.add(at, milliseconds: ms)
                end = try reader.next()
            } else if end == .null {
                end = try reader.next()
            }
            guard end == .endArray else { throw ReadError(message: "a sample must be [time, status] or [time, status, latency_ms]", offset: reader.tokenOffset) }
            samples.add(at, state)
        }
    }

    private static func readRuns(_ reader: inout JSONPullReader, into runs: inout [Timeline.Segment]) throws {
        guard try reader.next() == .beginArray else { throw ReadError(message: "`runs` must be a list of [from, until, status]", offset: reader.tokenOffset) }
        while true {
            let t = try reader.next()
            if t == .endArray { break }
            guard t == .beginArray else { throw ReadError(message: "a run must be [from, until, status]", offset: reader.tokenOffset) }
            let offset = reader.tokenOffset
            let from = try time(&reader, try reader.next())
            let until = try time(&reader, try reader.next())
            let state = try status(&reader)
            guard try reader.next() == .endArray else { throw ReadError(message: "a run must be [from, until, status]", offset: reader.tokenOffset) }
            guard until > from else { throw ReadError(message: "a run must end after it starts", offset: offset) }
            runs.append(Timeline.Segment(start: from, end: until, state: state))
        }
    }
}
