/// Samples of one series, folded while reading into runs: stretches of consecutive
/// samples with the same state and no unusual gap. Memory grows with the number of
/// state changes and gaps, not with the number of samples.
package struct SampleRuns: Sendable {
    struct Run: Sendable, Equatable {
        var start: Int64
        /// Timestamp of the last sample of the run.
        var last: Int64
        var count: Int
        /// nil: a sample whose value could not be understood; it holds no state but
        /// still ends the previous sample's coverage.
        var state: ComponentState?
        /// Smallest and largest gap between consecutive samples inside the run.
        var minDelta: Int64
        var maxDelta: Int64
    }

    /// The largest gap a run may span. Unknown while a series is first read (it is
    /// twice the usual interval, known only at the end): then a gap over 1.5× the
    /// smallest gap seen starts a new run, and `isExact(usualInterval:)` tells whether
    /// that guess held; if not, the file is read again with the limit known.
    let splitLimit: Int64?
    /// Samples after this time are left out, as if the file ended there: a build whose
    /// reference time is earlier than its data (`--now` on past exports) then reads the
    /// series as a build at that time did, usual interval and lateness included.
    let until: Int64

    /// `exact`: every sample is kept as read and sorted at `finish`, for a series known
    /// to be out of order (`reordered`), whose samples runs could only give back evenly
    /// spaced.
    package init(splitLimit: Int64? = nil, until: Int64 = .max, exact: Bool = false) {
        self.splitLimit = splitLimit
        self.until = until
        if exact { unsorted = [] }
    }

    /// Whether samples came out of order and were given back from runs evenly spaced:
    /// where a run's gaps varied, their times (and a repeat among them) are then
    /// approximate, and the series is read again `exact`ly (`MonitoringLoader.makeExact`).
    private(set) var reordered = false

    private(set) var runs: [Run] = []
    private var current: Run?
    private var lastTimestamp = Int64.min
    /// Smallest gap seen so far: a gap over 1.5× it starts a new run.
    private var minDelta = Int64.max
    /// How often each gap occurs, to find the series' usual interval. Updated per
    /// change of gap, not per sample, to keep the reading loop cheap.
    private(set) var deltaCounts: [Int64: Int] = [:]
    private var pendingDelta: Int64 = 0
    private var pendingDeltaCount = 0
    /// From the first sample older than the one before it, every sample of the series:
    /// sorted and folded at `finish`, so that a file listing samples newest first (or
    /// shuffled) reads as the same samples in time order would. The samples read before
    /// are taken back from their runs (evenly spaced inside a run whose gaps varied:
    /// the same state over the same span).
    private var unsorted: [(time: Int64, order: Int, state: ComponentState?)]?
    private(set) var duplicates = 0
    private(set) var sampleCount = 0

    var first: Int64? { runs.first?.start ?? current?.start }
    var newest: Int64? { current?.last ?? runs.last?.last }

    @inline(__always)
    mutating func add(_ t: Int64, _ state: ComponentState?) {
        if t > until { return }
        sampleCount += 1
        if unsorted != nil {
            unsorted!.append((t, unsorted!.count, state))
            return
        }
        if t <= lastTimestamp {
            if t == lastTimestamp { duplicates += 1; return }
            var samples: [(time: Int64, order: Int, state: ComponentState?)] = []
            reordered = true
            for run in runs + (current.map { [$0] } ?? []) {
                let step = run.count > 1 ? (run.last - run.start) / Int64(run.count - 1) : 0
                for k in 0..<run.count { samples.append((k == run.count - 1 ? run.last : run.start + Int64(k) * step, samples.count, run.state)) }
            }
            samples.append((t, samples.count, state))
            unsorted = samples
            runs = []
            current = nil
            return
        }
        let delta = lastTimestamp == Int64.min ? 0 : t - lastTimestamp
        lastTimestamp = t
        if delta > 0 {
            if delta == pendingDelta {
                pendingDeltaCount += 1
            } else {
                flushDelta()
                pendingDelta = delta
                pendingDeltaCount = 1
            }
            if delta < minDelta { minDelta = delta }
        }
        // minDelta is finite once a positive gap was seen; wrapping arithmetic keeps
        // absurd timestamps (years apart) from trapping.
        let continues = delta > 0 && (splitLimit.map { delta <= $0 } ?? (delta &* 2 <= minDelta &* 3))
        if var c = current, c.state == state, continues {
            c.last = t
            c.count += 1
            if delta < c.minDelta { c.minDelta = delta }
            if delta > c.maxDelta { c.maxDelta = delta }
            current = c
            return
        }
        if let c = current { runs.append(c) }
        current = Run(start: t, last: t, count: 1, state: state, minDelta: .max, maxDelta: 0)
    }

    private mutating func flushDelta() {
        if pendingDeltaCount > 0 { deltaCounts[pendingDelta, default: 0] += pendingDeltaCount }
        pendingDeltaCount = 0
    }

    /// Ends reading: the runs in time order.
    package mutating func finish() {
        if let c = current { runs.append(c) }
        current = nil
        flushDelta()
        guard var all = unsorted else { return }
        unsorted = nil
        // The first of equal times is kept, as in order.
        all.sort { ($0.time, $0.order) < ($1.time, $1.order) }
        // Read exactly without a known limit: the limit of the samples' own usual interval
        // (what a second reading with the limit known would give).
        var limit = splitLimit
        if limit == nil, !reordered {
            var counts: [Int64: Int] = [:]
            for (a, b) in zip(all, all.dropFirst()) where b.time > a.time { counts[b.time - a.time, default: 0] += 1 }
            limit = Self.usualInterval(counts).map { $0 * 2 }
        }
        var sorted = SampleRuns(splitLimit: limit, until: until)
        for sample in all { sorted.add(sample.time, sample.state) }
        sorted.finish()
        runs = sorted.runs
        deltaCounts = sorted.deltaCounts
        duplicates += sorted.duplicates
    }

    /// Whether every run spans only gaps a sample may cover (at most twice the usual
    /// interval), which makes `segments` exact.
    static func isExact(_ runs: [Run], usualInterval: Int64) -> Bool {
        runs.allSatisfy { $0.maxDelta <= usualInterval * 2 }
    }

    /// The longest usual interval, as a declared `interval` may be (under 31 days): one
    /// stray sample of 1970 before this year's made the gap between them the series'
    /// interval, and each sample held 112 years (ten years of "100 %" reports).
    static let longestInterval: Int64 = 31 * 86_400_000 - 1

    /// The usual interval: the most frequent gap (the smaller one on a tie), at most
    /// `longestInterval`.
    static func usualInterval(_ counts: [Int64: Int]) -> Int64? {
        counts.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }.map { min($0.key, longestInterval) }
    }

    /// Merges run lists of the same series from several files (chunked exports).
    /// Whole chunks are taken in order of their first sample (then of their last): every
    /// sample of the earlier one is kept, and a later chunk adds only its samples after
    /// everything kept so far — an overlap is not counted twice, and never decides which
    /// of the two chunks' samples count (runs of all chunks sorted together let a later
    /// chunk's long run swallow an earlier chunk's outage). Each run keeps its chunk's
    /// usual interval (`intervals`): a history exported at 300 s, then at 60 s, keeps
    /// each sample's own spacing.
    static func merged(_ chunks: [(runs: [Run], interval: Int64)]) -> (runs: [Run], intervals: [Int64]) {
        let ordered = chunks.enumerated().filter { !$0.element.runs.isEmpty }.sorted { a, b in
            (a.element.runs[0].start, a.element.runs[a.element.runs.count - 1].last, a.offset)
                < (b.element.runs[0].start, b.element.runs[b.element.runs.count - 1].last, b.offset)
        }
        var out: [Run] = []
        var intervals: [Int64] = []
        out.reserveCapacity(chunks.reduce(0) { $0 + $1.runs.count })
        var keptUntil = Int64.min
        for (_, chunk) in ordered {
            for var run in chunk.runs {
                if run.last <= keptUntil { continue }
                if run.start <= keptUntil {
                    // Drop the samples at or before `keptUntil`.
                    if run.count > 1, run.minDelta == run.maxDelta, run.minDelta > 0 {
                        let dropped = (keptUntil - run.start) / run.minDelta + 1
                        run.start += dropped * run.minDelta
                        run.count -= Int(dropped)
                    } else {
                        // Irregular spacing: the exact positions inside are unknown; the
                        // run resumes just after what is kept, which keeps coverage contiguous.
                        run.start = min(run.last, keptUntil + max(1, run.minDelta == .max ? 1 : run.minDelta))
                        run.count = max(1, run.count - 1)
                    }
                }
                out.append(run)
                intervals.append(chunk.interval)
                keptUntil = run.last
            }
        }
        return (out, intervals)
    }

    /// `merged` for chunks of one interval.
    static func merged(_ lists: [[Run]]) -> [Run] {
        merged(lists.map { ($0, Int64(0)) }).runs
    }

    /// Turns runs into timeline segments. A sample holds until the next one, at most
    /// twice the usual interval; beyond that the time is *no data*.
    static func segments(_ runs: [Run], usualInterval: Int64) -> [Timeline.Segment] {
        segments(runs) { _ in usualInterval }
    }

    /// `segments` where each run has its own usual interval (`merged`'s chunks).
    static func segments(_ runs: [Run], intervals: [Int64]) -> [Timeline.Segment] {
        segments(runs) { intervals[$0] }
    }

    private static func segments(_ runs: [Run], interval: (Int) -> Int64) -> [Timeline.Segment] {
        var out: [Timeline.Segment] = []
        out.reserveCapacity(runs.count)
        for (i, run) in runs.enumerated() {
            let next = i + 1 < runs.count ? runs[i + 1].start : Int64.max
            let tailEnd = min(run.last &+ interval(i) * 2, next)
            guard let state = run.state else { continue }
            // Callers make runs exact first (`isExact`); a run with wider gaps would
            // otherwise be counted as covered throughout.
            out.append(.init(start: run.start, end: tailEnd, state: state))
        }
        return out
    }
}
