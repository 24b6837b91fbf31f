/// A component's or service's history: ordered, non-overlapping stretches of time
/// in one state each. Time not covered by any segment is *no data*.
public struct Timeline: Sendable, Equatable {
    public struct Segment: Sendable, Equatable {
        public var start: Int64
        public var end: Int64
        public var state: ComponentState

        public init(start: Int64, end: Int64, state: ComponentState) {
            self.start = start
            self.end = end
            self.state = state
        }
    }

    public private(set) var segments: [Segment]

    public init() { segments = [] }

    /// Builds from segments in any order; later segments win where they overlap earlier ones.
    public init(segments input: [Segment]) {
        var t = Timeline()
        for s in input { t.overlay(s.start, s.end) { _ in s.state } }
        self = t
    }

    /// Appends a segment starting at or after the current end (the fast path while
    /// reading samples in order); merges with the previous one when contiguous and equal.
    public mutating func append(_ start: Int64, _ end: Int64, _ state: ComponentState) {
        guard end > start else { return }
        if var last = segments.last {
            precondition(start >= last.end, "append out of order")
            if last.end == start && last.state == state {
                last.end = end
                segments[segments.count - 1] = last
                return
            }
        }
        segments.append(Segment(start: start, end: end, state: state))
    }

    /// Replaces the state over [start, end) with `transform(old)`, where `old` is nil
    /// for time without data.
    public mutating func overlay(_ start: Int64, _ end: Int64, _ transform: (ComponentState?) -> ComponentState?) {
        guard end > start else { return }
        var out: [Segment] = []
        out.reserveCapacity(segments.count + 2)
        var i = firstIndex(endingAfter: start)
        out.append(contentsOf: segments[..<i])
        var cursor = start
        func emit(_ s: Int64, _ e: Int64, _ state: ComponentState?) {
            guard e > s, let state else { return }
            if var last = out.last, last.end == s, last.state == state {
                last.end = e
                out[out.count - 1] = last
            } else {
                out.append(Segment(start: s, end: e, state: state))
            }
        }
        while i < segments.count, segments[i].start < end {
            let seg = segments[i]
            if seg.start < start { emit(seg.start, start, seg.state) }
            let s = max(seg.start, start)
            if s > cursor { emit(cursor, s, transform(nil)) }
            let e = min(seg.end, end)
            emit(s, e, transform(seg.state))
            if seg.end > end { emit(end, seg.end, seg.state) }
            cursor = e
            i += 1
        }
        if cursor < end { emit(cursor, end, transform(nil)) }
        for seg in segments[i...] { emit(seg.start, seg.end, seg.state) }
        segments = out
    }

    /// Time per state within [start, end); uncovered time counts as no data.
    public func tally(from start: Int64, to end: Int64) -> StateTally {
        var t = StateTally()
        guard end > start else { return t }
        var cursor = start
        var i = firstIndex(endingAfter: start)
        while i < segments.count, segments[i].start < end {
            let s = max(segments[i].start, start), e = min(segments[i].end, end)
            if s > cursor { t.add(.noData, s - cursor) }
            t.add(segments[i].state, e - s)
            cursor = e
            i += 1
        }
        if cursor < end { t.add(.noData, end - cursor) }
        return t
    }

    /// The state at instant `t`, or no data.
    public func state(at t: Int64) -> ComponentState {
        let i = firstIndex(endingAfter: t)
        guard i < segments.count, segments[i].start <= t else { return .noData }
        return segments[i].state
    }

    public var isEmpty: Bool { segments.isEmpty }
    public var start: Int64? { segments.first?.start }
    public var end: Int64? { segments.last?.end }

    /// Index of the first segment whose end is after `t` (binary search).
    private func firstIndex(endingAfter t: Int64) -> Int {
        var lo = 0, hi = segments.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if segments[mid].end <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Combines timelines (one per component) into one, instant by instant.
    public static func combine(_ timelines: [Timeline], _ rule: ([ComponentState]) -> ComponentState) -> Timeline {
        var boundaries: [Int64] = []
        for t in timelines {
            for s in t.segments { boundaries.append(s.start); boundaries.append(s.end) }
        }
        boundaries.sort()
        var unique: [Int64] = []
        unique.reserveCapacity(boundaries.count)
        for b in boundaries where unique.last != b { unique.append(b) }
        var out = Timeline()
        var cursors = [Int](repeating: 0, count: timelines.count)
        for (a, b) in zip(unique, unique.dropFirst()) {
            var states: [ComponentState] = []
            states.reserveCapacity(timelines.count)
            for (k, t) in timelines.enumerated() {
                while cursors[k] < t.segments.count, t.segments[cursors[k]].end <= a { cursors[k] += 1 }
                if cursors[k] < t.segments.count, t.segments[cursors[k]].start <= a {
                    states.append(t.segments[cursors[k]].state)
                } else {
                    states.append(.noData)
                }
            }
            let state = rule(states)
            if state != .noData { out.append(a, b, state) }
        }
        return out
    }
}
