import YourICTSupport

/// The response times of one source (a series, a check) or of several merged: per hour
/// (UTC), how many samples fell in each bucket (`LatencyBuckets`). Memory grows with
/// the hours kept and the buckets in use within each, never with the samples; a build
/// keeps hours only where a figure needs them (`LatencyHorizon`, `compacted`), so not
/// with the length of the history either.
///
/// Hours are the unit windows are made of: a window counts the hours that begin inside
/// it (`LatencyFigures`). They are whole UTC hours, so every local day and month of a
/// time zone whose offset is a whole number of hours is made of whole hours.
package struct LatencyHours: Sendable, Equatable {
    package static let hourMillis: Int64 = 3_600_000

    struct Hour: Sendable, Equatable {
        /// Hours since 1970-01-01T00:00Z.
        var index: Int64
        /// Its newest sample (Unix milliseconds): an hour holding samples after the
        /// reference time is not counted.
        var newest: Int64
        /// Where its entries end in `entries`; they start where the previous hour's end.
        var end: Int
    }

    /// In time order, one per hour.
    private(set) var hours: [Hour] = []
    /// Per hour, in bucket order: `bucket << 16 | count` (a count above 65,535 takes
    /// several entries).
    private(set) var entries: [UInt32] = []
    /// The oldest and newest sample: where chunks of one series overlap.
    private(set) var firstSample: Int64?
    private(set) var lastSample: Int64?

    package init() {}

    var isEmpty: Bool { hours.isEmpty }

    /// The samples counted, over all hours.
    var sampleCount: Int { entries.reduce(0) { $0 + Int($1 & 0xFFFF) } }

    func entries(of position: Int) -> ArraySlice<UInt32> {
        entries[(position == 0 ? 0 : hours[position - 1].end)..<hours[position].end]
    }

    /// The position of the first hour that begins at or after `t`.
    func firstHour(atOrAfter t: Int64) -> Int {
        var lo = 0, hi = hours.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if hours[mid].index * Self.hourMillis < t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Adds one hour's counts; `buckets` in bucket order, each with a count above zero.
    mutating func appendHour(index: Int64, newest: Int64, oldest: Int64, _ buckets: [(bucket: UInt16, count: UInt64)]) {
        for (bucket, count) in buckets { Self.appendEntries(bucket, count, to: &entries) }
        hours.append(Hour(index: index, newest: newest, end: entries.count))
        firstSample = Swift.min(firstSample ?? oldest, oldest)
        lastSample = Swift.max(lastSample ?? newest, newest)
    }

    /// Appends `sorted` (entries in bucket order, a bucket possibly in several) with the
    /// counts of equal buckets added.
    private static func appendAdded(_ sorted: [UInt32], to entries: inout [UInt32]) {
        var k = 0
        while k < sorted.count {
            let bucket = UInt16(sorted[k] >> 16)
            var count: UInt64 = 0
            while k < sorted.count, UInt16(sorted[k] >> 16) == bucket {
                count += UInt64(sorted[k] & 0xFFFF)
                k += 1
            }
            appendEntries(bucket, count, to: &entries)
        }
    }

    private static func appendEntries(_ bucket: UInt16, _ count: UInt64, to entries: inout [UInt32]) {
        var left = count
        while left > 0 {
            let part = Swift.min(left, 0xFFFF)
            entries.append(UInt32(bucket) << 16 | UInt32(part))
            left -= part
        }
    }

    /// Several stores as one: the hours of all, in time order, counts of the same hour
    /// and bucket added. For the chunks of one series (trimmed first so that no sample
    /// is counted twice) and for the sources of one component.
    static func merged(_ stores: [LatencyHours]) -> LatencyHours {
        let nonEmpty = stores.filter { !$0.isEmpty }
        if nonEmpty.count == 1, nonEmpty[0].isOrdered { return nonEmpty[0] }
        var all: [(index: Int64, store: Int, position: Int)] = []
        all.reserveCapacity(nonEmpty.reduce(0) { $0 + $1.hours.count })
        for (s, store) in nonEmpty.enumerated() {
            for position in store.hours.indices { all.append((store.hours[position].index, s, position)) }
        }
        all.sort { ($0.index, $0.store, $0.position) < ($1.index, $1.store, $1.position) }
        var out = LatencyHours()
        out.entries.reserveCapacity(nonEmpty.reduce(0) { $0 + $1.entries.count })
        var i = 0
        var gathered: [UInt32] = []
        while i < all.count {
            var j = i
            var newest = Int64.min
            gathered.removeAll(keepingCapacity: true)
            while j < all.count, all[j].index == all[i].index {
                let store = nonEmpty[all[j].store]
                gathered.append(contentsOf: store.entries(of: all[j].position))
                newest = Swift.max(newest, store.hours[all[j].position].newest)
                j += 1
            }
            if j - i > 1 { gathered.sort() }
            Self.appendAdded(gathered, to: &out.entries)
            out.hours.append(Hour(index: all[i].index, newest: newest, end: out.entries.count))
            i = j
        }
        out.firstSample = nonEmpty.compactMap(\.firstSample).min()
        out.lastSample = nonEmpty.compactMap(\.lastSample).max()
        return out
    }

    /// One entry per hour, in time order (within an hour, entries are in bucket order
    /// by construction).
    private var isOrdered: Bool {
        zip(hours, hours.dropFirst()).allSatisfy { $0.index < $1.index }
    }
}

/// Folds response-time samples into `LatencyHours` while a reader streams them: one
/// hour's counts are kept in a table of every bucket, and written out as the few
/// buckets in use when the samples move on to another hour.
package struct LatencyFold {
    /// Per bucket, the current hour's count; allocated with the first sample.
    private var counts: [UInt64] = []
    /// The buckets counted in the current hour.
    private var touched: [UInt16] = []
    private var hourIndex = Int64.min
    private var hourStart = Int64.max
    private var hourEnd = Int64.min
    private var hourOldest = Int64.max
    private var hourNewest = Int64.min
    private var lastTimestamp = Int64.min
    private var store = LatencyHours()
    private var outOfOrder = false
    private(set) var sampleCount = 0
    /// Whether a sample of this series came before the one read just before it: a repeat
    /// of an earlier time is then not the previous sample, and was counted again. Such a
    /// series is read again `exact`ly.
    private(set) var reordered = false
    /// Set for the next series: every time is remembered, so that any repeat is ignored.
    package var exact = false
    private var seen: Set<Int64> = []

    package init() {}

    /// One sample: `t` in Unix milliseconds, the response time in milliseconds (finite,
    /// ≥ 0). A sample with the same time as the one before is a duplicate and ignored
    /// (with `exact`, the same time as any before).
    @inline(__always)
    package mutating func add(_ t: Int64, milliseconds: Double) {
        if t == lastTimestamp { return }
        if exact {
            if !seen.insert(t).inserted { return }
        } else if t < lastTimestamp {
            reordered = true
        }
        lastTimestamp = t
        if t < hourStart || t >= hourEnd { startHour(containing: t) }
        if t > hourNewest { hourNewest = t }
        if t < hourOldest { hourOldest = t }
        let bucket = Int(LatencyBuckets.bucket(milliseconds: milliseconds))
        if counts[bucket] == 0 { touched.append(UInt16(bucket)) }
        counts[bucket] &+= 1
        sampleCount += 1
    }

    private mutating func startHour(containing t: Int64) {
        flushHour()
        if counts.isEmpty { counts = [UInt64](repeating: 0, count: 65_536) }
        let index = t / LatencyHours.hourMillis
        if let last = store.hours.last, index <= last.index { outOfOrder = true }
        hourIndex = index
        hourStart = index * LatencyHours.hourMillis
        hourEnd = hourStart + LatencyHours.hourMillis
    }

    private mutating func flushHour() {
        guard !touched.isEmpty else { return }
        touched.sort()
        store.appendHour(index: hourIndex, newest: hourNewest, oldest: hourOldest, touched.map { bucket in
            let count = counts[Int(bucket)]
            counts[Int(bucket)] = 0
            return (bucket, count)
        })
        touched.removeAll(keepingCapacity: true)
        hourOldest = .max
        hourNewest = .min
    }

    /// Ends a series or check: what it held, in time order. The fold is then empty and
    /// ready for the next one (keeping its table).
    package mutating func take() -> LatencyHours {
        flushHour()
        var out = store
        if outOfOrder { out = LatencyHours.merged([out]) }
        store = LatencyHours()
        outOfOrder = false
        hourIndex = .min
        hourStart = .max
        hourEnd = .min
        lastTimestamp = .min
        sampleCount = 0
        reordered = false
        exact = false
        seen.removeAll()
        return out
    }
}

/// Which hours of response times the figures need one by one, from the reference time
/// and the site's time zone, so that memory does not grow with the hours of history.
///
/// Every figure counts the hours that begin in its range (`LatencyAccumulator`): the
/// windows (24 hours, 7, 30 and 90 days, the month) end at the reference time, and each
/// of the last 90 local days is a range of its own. A local day in which no window
/// begins, and that is not the reference time's, is therefore counted whole or not at
/// all by every figure: its hours may be added into one (`LatencyHours.compacted`), and
/// the figures stay the same. Hours that begin before every range count in no figure.
package struct LatencyHorizon: Sendable, Hashable {
    /// Hours that begin before it count in no figure: the start of the day in which the
    /// 90-day window or the oldest of the 90 days begins, whichever is earlier.
    let start: Int64
    /// The starts of the local days from the one holding `start` to the reference
    /// time's, and the start of the day after: day `i` is `[dayStarts[i], dayStarts[i+1])`.
    let dayStarts: [Int64]
    /// Per day, whether its hours stay apart: a window begins inside it, or it holds the
    /// reference time.
    let keepsHours: [Bool]

    package init(reference: Timestamp, calendar: ZonedCalendar) {
        let ref = reference.millis
        let today = calendar.localDate(of: reference)
        let oldestDay = today.adding(days: -89)
        let windowStarts = AvailabilityEngine.Frame.rollingWindowStarts(reference: ref).map(\.1)
        // From the start of a day, so that the horizon changes only when some window
        // begins on another day (`serve` reads the monitoring files again then).
        let ninetyDays = calendar.startOfDay(calendar.localDate(of: Timestamp(millis: windowStarts.last!))).millis
        start = min(ninetyDays, calendar.startOfDay(oldestDay).millis)
        var day = calendar.localDate(of: Timestamp(millis: start))
        var starts: [Int64] = []
        while day <= today.adding(days: 1) {
            starts.append(calendar.startOfDay(day).millis)
            day = day.adding(days: 1)
        }
        dayStarts = starts
        keepsHours = (0..<starts.count - 1).map { i in
            let (from, to) = (starts[i], starts[i + 1])
            return (from <= ref && ref < to) || windowStarts.contains { from < $0 && $0 < to }
        }
    }

    /// The day an instant falls in, as an index into `dayStarts`; nil outside them.
    func day(of t: Int64) -> Int? {
        guard t >= dayStarts[0], t < dayStarts[dayStarts.count - 1] else { return nil }
        var lo = 0, hi = dayStarts.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if dayStarts[mid] <= t { lo = mid } else { hi = mid }
        }
        return lo
    }
}

extension LatencyHours {
    /// The same figures in less memory (`LatencyHorizon`): the hours of a day that needs
    /// no hour apart become one entry, dated by its first hour, holding their counts
    /// added; hours that count in no figure are dropped. Hours after the reference
    /// day stay as they are. The oldest and newest samples are kept as they were.
    package func compacted(to horizon: LatencyHorizon) -> LatencyHours {
        var out = LatencyHours()
        out.firstSample = firstSample
        out.lastSample = lastSample
        var position = 0
        var gathered: [UInt32] = []
        while position < hours.count {
            let begins = hours[position].index * Self.hourMillis
            if begins < horizon.start {
                position += 1
                continue
            }
            guard let day = horizon.day(of: begins), !horizon.keepsHours[day] else {
                out.entries.append(contentsOf: entries(of: position))
                out.hours.append(Hour(index: hours[position].index, newest: hours[position].newest, end: out.entries.count))
                position += 1
                continue
            }
            let first = hours[position].index
            var newest = Int64.min
            gathered.removeAll(keepingCapacity: true)
            while position < hours.count, hours[position].index * Self.hourMillis < horizon.dayStarts[day + 1] {
                gathered.append(contentsOf: entries(of: position))
                newest = Swift.max(newest, hours[position].newest)
                position += 1
            }
            gathered.sort()
            Self.appendAdded(gathered, to: &out.entries)
            out.hours.append(Hour(index: first, newest: newest, end: out.entries.count))
        }
        return out
    }
}
