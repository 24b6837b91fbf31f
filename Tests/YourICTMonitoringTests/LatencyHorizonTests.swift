import Foundation
import XCTest
import YourICTTestSupport
@testable import YourICTSupport
@testable import YourICTMonitoring

/// Response times kept per day where no figure needs their hours (`LatencyHorizon`,
/// `LatencyHours.compacted`): every window and day reads the same percentiles from
/// the compacted hours as from all of them, in time zones with summer time and with
/// half-hour offsets, with samples after the reference time, gaps and old history.
final class LatencyHorizonTests: XCTestCase {
    func testCompactedHoursGiveTheSameFigures() {
        var random = SplitMix(state: 0x1A7E)
        let first: Int64 = 1_790_812_800_000  // 2026-10-01T00:00:00Z, before the changes of time in October and November
        var (allEntries, keptEntries) = (0, 0)
        for zone in ["UTC", "Europe/Brussels", "Asia/Kolkata", "America/St_Johns"] {
            let calendar = ZonedCalendar(timeZone: TimeZone(identifier: zone)!)
            for round in 0..<6 {
                // Up to 130 days of samples every 5 minutes, with gaps of hours.
                let days = 20 + Int64(random.next() % 110)
                let end = first + days * 86_400_000
                var fold = LatencyFold()
                var t = first + Int64(random.next() % 3_600_000)
                while t < end {
                    if random.next() % 50 == 0 { t += Int64(random.next() % 30) * 3_600_000 }
                    // Mostly 100–160 ms, one in forty up to 2 s.
                    let slow = random.next() % 40 == 0 ? Double(random.next() % 1900) : 0
                    fold.add(t, milliseconds: 100 + slow + Double(random.next() % 60) + Double(random.next() % 1000) / 1000)
                    t += 300_000
                }
                let hours = fold.take()
                // The reference: within the last two days of data, or a day after it.
                let reference = Timestamp(millis: end - 2 * 86_400_000 + Int64(random.next() % (3 * 86_400_000)))
                let frame = AvailabilityEngine.Frame(reference: reference, calendar: calendar,
                                                     earliestMonth: calendar.localDate(of: reference).yearMonth)
                let compacted = hours.compacted(to: LatencyHorizon(reference: reference, calendar: calendar))
                XCTAssertLessThan(compacted.entries.count, hours.entries.count, "\(zone) \(round)")
                (allEntries, keptEntries) = (allEntries + hours.entries.count, keptEntries + compacted.entries.count)
                XCTAssertEqual(compacted.firstSample, hours.firstSample)
                XCTAssertEqual(compacted.lastSample, hours.lastSample)
                let ranges = frame.windowStarts.map { ($0.1, reference.millis) } + frame.days.map { ($0.start, $0.end) }
                var a = LatencyAccumulator(), b = LatencyAccumulator()
                for (from, to) in ranges {
                    a.add(hours, from: from, to: to, reference: reference.millis)
                    b.add(compacted, from: from, to: to, reference: reference.millis)
                    let (all, kept) = (a.take(), b.take())
                    XCTAssertEqual(all, kept, "\(zone) \(round) [\(from), \(to))")
                }
            }
        }
        // Most days of a long history need no hour apart.
        XCTAssertLessThan(keptEntries, allEntries / 2)
    }

    /// The horizon changes when a window begins on another day, not at every instant:
    /// `serve` reads the monitoring files again only then.
    func testTheHorizonMovesByDays() {
        let calendar = ZonedCalendar(timeZone: TimeZone(identifier: "Europe/Brussels")!)
        let morning = Timestamp(millis: 1_795_000_000_000)
        let noon = Timestamp(millis: morning.millis + 3 * 3_600_000)
        let nextDay = Timestamp(millis: morning.millis + 86_400_000)
        XCTAssertEqual(calendar.localDate(of: morning), calendar.localDate(of: noon))
        XCTAssertEqual(LatencyHorizon(reference: morning, calendar: calendar), LatencyHorizon(reference: noon, calendar: calendar))
        XCTAssertNotEqual(LatencyHorizon(reference: morning, calendar: calendar), LatencyHorizon(reference: nextDay, calendar: calendar))
    }
}
