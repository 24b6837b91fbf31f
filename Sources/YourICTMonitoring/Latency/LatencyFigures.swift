/// The median and 95th percentile of the response times of one window or day.
public struct LatencySummary: Sendable, Equatable, Hashable {
    /// Milliseconds: the value of the bucket holding the sample of that rank, within
    /// `LatencyBuckets.relativeError` of it.
    public var p50: Double
    public var p95: Double
    /// How many samples the figures are made of.
    public var samples: Int

    /// Three significant digits: the figures are within 1 % anyway, and more digits
    /// would claim a precision they do not have (212 ms, 48.3 ms, 4.27 ms, 1,230 ms).
    public static func rounded(_ ms: Double) -> Double {
        guard ms > 0, ms.isFinite else { return 0 }
        var scale = 1.0
        while ms * scale < 100 { scale *= 10 }
        while ms * scale >= 1000 { scale /= 10 }
        return (ms * scale).rounded() / scale
    }
}

/// Response times of a component or service: p50 and p95 per window and per day of
/// the 90-day history, for what has response-time data (`nil` otherwise: nothing is
/// shown, never zero).
public struct LatencyFigures: Sendable, Equatable {
    /// Windows without samples have no entry.
    public var windows: [WindowKey: LatencySummary]
    /// The same 90 days as `EntityStatus.days`, oldest first; nil where no sample.
    public var days: [LatencySummary?]

    /// Whether any window or day has a figure: otherwise nothing is shown.
    public var hasFigures: Bool { !windows.isEmpty || days.contains { $0 != nil } }
}

/// Adds up the counts of many hours and reads percentiles from the sum. Holds a count
/// per bucket (512 KB), so that adding an hour costs one addition per bucket in use.
struct LatencyAccumulator {
    private var counts = [UInt64](repeating: 0, count: 65_536)
    private var touched: [UInt16] = []
    private var total: UInt64 = 0

    /// Adds the hours of `hours` that begin in [from, to) and hold no sample after
    /// `reference` (an hour that does is left out whole).
    mutating func add(_ hours: LatencyHours, from: Int64, to: Int64, reference: Int64) {
        var position = hours.firstHour(atOrAfter: from)
        while position < hours.hours.count, hours.hours[position].index * LatencyHours.hourMillis < to {
            if hours.hours[position].newest <= reference {
                for entry in hours.entries(of: position) {
                    let bucket = Int(entry >> 16)
                    if counts[bucket] == 0 { touched.append(UInt16(bucket)) }
                    let n = UInt64(entry & 0xFFFF)
                    counts[bucket] += n
                    total += n
                }
            }
            position += 1
        }
    }

    /// The percentiles of what was added (nil if nothing), and starts afresh.
    mutating func take() -> LatencySummary? {
        defer {
            for bucket in touched { counts[Int(bucket)] = 0 }
            touched.removeAll(keepingCapacity: true)
            total = 0
        }
        guard total > 0 else { return nil }
        touched.sort()
        // Nearest rank: the smallest sample with at least p % of the samples at or below it.
        let rank50 = (total + 1) / 2
        let rank95 = (95 * total + 99) / 100
        var p50: Double?, p95: Double?
        var seen: UInt64 = 0
        for bucket in touched {
            seen += counts[Int(bucket)]
            if p50 == nil, seen >= rank50 { p50 = LatencyBuckets.value(of: bucket) }
            if seen >= rank95 { p95 = LatencyBuckets.value(of: bucket); break }
        }
        return LatencySummary(p50: p50!, p95: p95!, samples: Int(total))
    }
}
