import XCTest
@testable import YourICTMonitoring

/// The verdict of a window or a month against a target (docs/availability.md).
final class VerdictTests: XCTestCase {
    private func tally(up minutes: Int64, down: Int64 = 0, noData: Int64 = 0) -> StateTally {
        var t = StateTally()
        t.add(.up, minutes * 60_000)
        t.add(.down, down * 60_000)
        t.add(.noData, noData * 60_000)
        return t
    }

    func testAMonthInProgressIsNotJudgedWhateverItsCoverage() {
        // A week of a 30-day month measured so far (a helper's audit found it "insufficient data").
        let week = tally(up: 7 * 1440, noData: 23 * 1440)
        XCTAssertEqual(week.verdict(target: 99.9, partialWeight: 1, minimumCoverage: 90, inProgress: true), .inProgress)
        XCTAssertEqual(week.verdict(target: 99.9, partialWeight: 1, minimumCoverage: 90), .insufficient(coverage: 700.0 / 30))
        let full = tally(up: 30 * 1440 - 44, down: 44)
        XCTAssertEqual(full.verdict(target: 99.9, partialWeight: 1, minimumCoverage: 90, inProgress: true), .inProgress)
        XCTAssertEqual(full.verdict(target: 99.9, partialWeight: 1, minimumCoverage: 90), .missed)
        XCTAssertEqual(StateTally().verdict(target: 99.9, partialWeight: 1, minimumCoverage: 90, inProgress: true), .noData)
    }

    func testTheTargetIsComparedBeforeRounding() {
        // 43.2 minutes down in 30 days is exactly 99.9 %; a second more is not.
        var exact = StateTally()
        exact.add(.up, 30 * 86_400_000 - 2_592_000)
        exact.add(.down, 2_592_000)
        XCTAssertEqual(exact.verdict(target: 99.9, partialWeight: 1, minimumCoverage: 90), .met)
        var over = StateTally()
        over.add(.up, 30 * 86_400_000 - 2_593_000)
        over.add(.down, 2_593_000)
        XCTAssertEqual(over.verdict(target: 99.9, partialWeight: 1, minimumCoverage: 90), .missed)
    }
}
