import YourICTSupport
import YourICTFormats
import YourICTContent

/// When one source of a component (a series, a check) had samples: enough to tell, at
/// any reference time, how old its newest sample is, without keeping the samples.
public struct SampleSpans: Sendable, Equatable {
    /// From a first sample to a last one, with no gap wider than twice the usual
    /// interval between them (the runs of `SampleRuns`, joined where close enough).
    public struct Span: Sendable, Equatable {
        public var first: Int64
        public var last: Int64
    }

    /// In time order, not overlapping.
    public private(set) var spans: [Span] = []
    /// The source's usual interval; nil for stretches given as runs.
    public let interval: Int64?

    /// `spans` in any order; those less than `gap` apart are joined.
    init(_ raw: [Span], interval: Int64?, joiningWithin gap: Int64 = 0) {
        self.interval = interval
        for span in raw.sorted(by: { $0.first < $1.first }) where span.last >= span.first {
            if let previous = spans.last, span.first <= previous.last + gap {
                spans[spans.count - 1].last = max(previous.last, span.last)
            } else {
                spans.append(span)
            }
        }
    }

    /// Spans of samples: runs with a state (a sample that is neither up nor down is no
    /// measurement), joined where the gap between them is one a sample covers.
    init(runs: [SampleRuns.Run], interval: Int64) {
        self.init(runs.compactMap { $0.state == nil ? nil : Span(first: $0.start, last: $0.last) }, interval: interval, joiningWithin: interval * 2)
    }

    /// The newest sample at or before `t`. Inside a span the samples are at most twice
    /// the interval apart, so `t` itself stands for it: the error is below the threshold
    /// of late data (at least three intervals), and the time is shown only when late.
    public func newest(atOrBefore t: Int64) -> Int64? {
        var lo = 0, hi = spans.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if spans[mid].first <= t { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0 else { return nil }
        return min(spans[lo - 1].last, t)
    }

    /// How old the newest sample may be before the data counts as late: three usual
    /// intervals, and at least `minimum` (the site's `availability.stale_after`).
    public func lateAfter(minimum: Int64) -> Int64 {
        max(minimum, (interval ?? 0) * 3)
    }
}
