import XCTest
import YourICTTestSupport
@testable import YourICTMonitoring

/// The run-length reduction must give exactly what a naive sample-by-sample
/// computation gives, whatever the gaps and states.
final class SampleRunsTests: XCTestCase {
    /// Coverage of each sample: until the next one, at most twice the interval.
    private func naiveTally(_ samples: [(Int64, ComponentState)], interval: Int64, from: Int64, to: Int64) -> StateTally {
        var tally = StateTally()
        var covered: Int64 = 0
        for (i, (t, state)) in samples.enumerated() {
            let next = i + 1 < samples.count ? samples[i + 1].0 : Int64.max
            let end = min(t + 2 * interval, next)
            let s = max(t, from), e = min(end, to)
            if e > s { tally.add(state, e - s); covered += e - s }
        }
        tally.add(.noData, (to - from) - covered)
        return tally
    }

    func testRunsMatchNaiveCoverage() {
        var rng = SplitMix(state: 42)
        let states: [ComponentState] = [.up, .up, .up, .up, .down, .degraded, .partial]
        for round in 0..<200 {
            var samples: [(Int64, ComponentState)] = []
            var t: Int64 = 1_000_000
            var state = ComponentState.up
            for _ in 0..<Int.random(in: 1...400, using: &rng) {
                let r = Int.random(in: 0..<100, using: &rng)
                let gap: Int64 = r < 80 ? 60_000 : r < 90 ? 120_000 : r < 95 ? Int64.random(in: 1...600, using: &rng) * 1000 : 30_000
                t += gap
                if Int.random(in: 0..<10, using: &rng) == 0 { state = states.randomElement(using: &rng)! }
                samples.append((t, state))
            }
            var runs = SampleRuns()
            for (t, s) in samples { runs.add(t, s) }
            runs.finish()
            let interval = SampleRuns.usualInterval(runs.deltaCounts) ?? 60_000
            if !SampleRuns.isExact(runs.runs, usualInterval: interval) {
                // What the loader does: read again with the limit known.
                runs = SampleRuns(splitLimit: interval * 2)
                for (t, s) in samples { runs.add(t, s) }
                runs.finish()
                XCTAssertTrue(SampleRuns.isExact(runs.runs, usualInterval: interval))
            }
            var timeline = Timeline()
            for seg in SampleRuns.segments(runs.runs, usualInterval: interval) { timeline.append(seg.start, seg.end, seg.state) }
            let from = samples.first!.0 - 5_000, to = samples.last!.0 + 200_000
            let expected = naiveTally(samples, interval: interval, from: from, to: to)
            let actual = timeline.tally(from: from, to: to)
            XCTAssertEqual(actual, expected, "round \(round)")
            if actual != expected { return }

            // The same samples newest first, or with each pair swapped, read as in order:
            // the same usual interval and the same figures (the monitoring format allows
            // any order).
            var swapped: [(Int64, ComponentState)] = []
            for i in stride(from: 0, to: samples.count, by: 2) {
                if i + 1 < samples.count { swapped.append(samples[i + 1]) }
                swapped.append(samples[i])
            }
            let orders: [(String, [(Int64, ComponentState)])] = [("newest first", Array(samples.reversed())), ("pairs swapped", swapped)]
            for (name, order) in orders {
                var other = SampleRuns()
                for (t, s) in order { other.add(t, s) }
                other.finish()
                let otherInterval = SampleRuns.usualInterval(other.deltaCounts) ?? 60_000
                XCTAssertEqual(otherInterval, interval, "round \(round), \(name)")
                if !SampleRuns.isExact(other.runs, usualInterval: otherInterval) {
                    other = SampleRuns(splitLimit: otherInterval * 2)
                    for (t, s) in order { other.add(t, s) }
                    other.finish()
                }
                var t = Timeline()
                for seg in SampleRuns.segments(other.runs, usualInterval: otherInterval) { t.append(seg.start, seg.end, seg.state) }
                XCTAssertEqual(t.tally(from: from, to: to), expected, "round \(round), \(name)")
            }
        }
    }

    /// Chunks that disagree where they overlap, exported at different steps: the chunk
    /// that starts earlier keeps every sample, a later one adds only what comes after,
    /// and each sample holds for its own chunk's interval — as a naive merge of samples
    /// says. (Runs of all chunks sorted together let a later chunk's long run swallow
    /// an earlier chunk's outage; one interval for all made 300 s samples hold 120 s.)
    func testOverlappingChunksKeepTheEarlierChunkWholeAndTheirOwnSteps() {
        var rng = SplitMix(state: 11)
        let states: [ComponentState] = [.up, .up, .up, .up, .up, .down, .partial]
        for round in 0..<300 {
            var chunks: [(samples: [(Int64, ComponentState)], interval: Int64)] = []
            for _ in 0..<Int.random(in: 2...4, using: &rng) {
                let step: Int64 = Bool.random(using: &rng) ? 60_000 : 300_000
                var t = Int64.random(in: 0..<400, using: &rng) * 60_000
                var state = ComponentState.up
                var samples: [(Int64, ComponentState)] = []
                for _ in 0..<Int.random(in: 2...200, using: &rng) {
                    if Int.random(in: 0..<8, using: &rng) == 0 { state = states.randomElement(using: &rng)! }
                    samples.append((t, state))
                    t += step
                }
                chunks.append((samples, step))
            }
            // Naive: chunks by first then last sample; each adds its samples after all kept.
            let ordered = chunks.enumerated().sorted { a, b in
                (a.element.samples.first!.0, a.element.samples.last!.0, a.offset) < (b.element.samples.first!.0, b.element.samples.last!.0, b.offset)
            }
            var kept: [(t: Int64, state: ComponentState, interval: Int64)] = []
            for (_, chunk) in ordered {
                for (t, state) in chunk.samples where t > (kept.last?.t ?? .min) { kept.append((t, state, chunk.interval)) }
            }
            var expected = StateTally()
            let from: Int64 = -600_000, to: Int64 = 2_000 * 60_000
            var covered: Int64 = 0
            for (i, sample) in kept.enumerated() {
                let next = i + 1 < kept.count ? kept[i + 1].t : Int64.max
                let s = max(sample.t, from), e = min(min(sample.t + 2 * sample.interval, next), to)
                if e > s { expected.add(sample.state, e - s); covered += e - s }
            }
            expected.add(.noData, (to - from) - covered)

            let lists = chunks.map { chunk -> (runs: [SampleRuns.Run], interval: Int64) in
                var r = SampleRuns(splitLimit: chunk.interval * 2)
                for (t, s) in chunk.samples { r.add(t, s) }
                r.finish()
                return (r.runs, chunk.interval)
            }
            let (runs, intervals) = SampleRuns.merged(lists)
            var timeline = Timeline()
            for seg in SampleRuns.segments(runs, intervals: intervals) { timeline.append(seg.start, seg.end, seg.state) }
            XCTAssertEqual(timeline.tally(from: from, to: to), expected, "round \(round)")
            if timeline.tally(from: from, to: to) != expected { return }
        }
    }

    func testMergingChunksInAnyOrderEqualsOneList() {
        var rng = SplitMix(state: 7)
        for _ in 0..<50 {
            var samples: [(Int64, ComponentState)] = []
            var t: Int64 = 0
            for _ in 0..<300 {
                t += 60_000
                samples.append((t, Int.random(in: 0..<20, using: &rng) == 0 ? .down : .up))
            }
            func runs(_ slice: ArraySlice<(Int64, ComponentState)>) -> [SampleRuns.Run] {
                var r = SampleRuns()
                for (t, s) in slice { r.add(t, s) }
                r.finish()
                return r.runs
            }
            let whole = runs(samples[...])
            let a = Int.random(in: 10..<150, using: &rng), b = Int.random(in: 150..<290, using: &rng)
            let overlap = Int.random(in: 0..<10, using: &rng)
            let chunks = [runs(samples[(b - overlap)...]), runs(samples[..<(a + overlap)]), runs(samples[(a - overlap)..<(b + overlap)])]
            XCTAssertEqual(timeline(SampleRuns.merged(chunks)), timeline(whole))
        }
    }

    func testOutOfOrderSamplesWithinAFileAreRestored() {
        var r = SampleRuns()
        for t: Int64 in [0, 60, 120, 300, 360, 180, 240, 420] { r.add(t * 1000, .up) }
        r.finish()
        XCTAssertEqual(timeline(r.runs).segments, [.init(start: 0, end: 540_000, state: .up)])
    }

    /// Samples after `until` are not read at all: not in the runs, the gaps (the usual
    /// interval) or the count, in order or not.
    func testSamplesAfterUntilAreLeftOut() {
        for order in [[0, 60, 120, 1000, 2000, 3000], [0, 120, 60, 3000, 1000, 2000]] as [[Int64]] {
            var r = SampleRuns(until: 120_000)
            for t in order { r.add(t * 1000, t == 60 ? .down : .up) }
            r.finish()
            XCTAssertEqual(r.newest, 120_000)
            XCTAssertEqual(r.sampleCount, 3)
            XCTAssertEqual(r.deltaCounts, [60_000: 2])
            XCTAssertEqual(timeline(r.runs).segments, [.init(start: 0, end: 60_000, state: .up), .init(start: 60_000, end: 120_000, state: .down),
                                                       .init(start: 120_000, end: 240_000, state: .up)])
        }
    }

    private func timeline(_ runs: [SampleRuns.Run]) -> Timeline {
        var t = Timeline()
        for seg in SampleRuns.segments(runs, usualInterval: 60_000) { t.append(seg.start, seg.end, seg.state) }
        return t
    }

    func testTimelineOverlayAndCombine() {
        var t = Timeline()
        t.append(0, 100, .up)
        t.append(100, 200, .down)
        t.overlay(50, 150) { _ in .maintenance }
        XCTAssertEqual(t.segments, [.init(start: 0, end: 50, state: .up), .init(start: 50, end: 150, state: .maintenance), .init(start: 150, end: 200, state: .down)])
        var u = Timeline()
        u.append(120, 300, .degraded)
        let any = Timeline.combine([t, u]) { AvailabilityEngine.combine($0, rule: .any) }
        XCTAssertEqual(any.segments, [.init(start: 0, end: 50, state: .up), .init(start: 50, end: 150, state: .maintenance),
                                      .init(start: 150, end: 200, state: .down), .init(start: 200, end: 300, state: .degraded)])
        let all = Timeline.combine([t, u]) { AvailabilityEngine.combine($0, rule: .all) }
        XCTAssertEqual(all.state(at: 170), .degraded)
        XCTAssertEqual(all.state(at: 60), .maintenance)
    }
}
