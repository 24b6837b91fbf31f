import Synchronization
import XCTest
import YourICTSupport

/// `parallelMap` keeps the input's order in each of its ways of dealing elements to the
/// cores (runs of neighbours, blocks dealt round-robin; `parallelMapEach`: one element at
/// a time), for any count, and runs each element once.
final class ParallelMapTests: XCTestCase {
    func testEveryWayKeepsTheOrderAndRunsEachElementOnce() {
        for n in [0, 1, 2, 3, 5, 8, 15, 16, 17, 31, 64, 100, 1_000] {
            let input = Array(0..<n)
            let expected = input.map { $0 &* 7919 }
            XCTAssertEqual(input.parallelMap { $0 &* 7919 }, expected, "runs, n = \(n)")
            XCTAssertEqual(input.parallelMap(spread: true) { $0 &* 7919 }, expected, "spread, n = \(n)")
            XCTAssertEqual(input.parallelMapEach { $0 &* 7919 }, expected, "one by one, n = \(n)")
            let calls = Atomic<Int>(0)
            _ = input.parallelMapEach { _ in calls.add(1, ordering: .relaxed) }
            XCTAssertEqual(calls.load(ordering: .relaxed), n)
        }
    }
}
