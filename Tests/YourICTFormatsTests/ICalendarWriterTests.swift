import XCTest
import YourICTTestSupport
@testable import YourICTSupport
@testable import YourICTFormats

/// iCalendar content lines (RFC 5545 §3.1, §3.3.5, §3.3.11).
final class ICalendarWriterTests: XCTestCase {
    private func written(_ body: (inout ICalendarWriter) -> Void) -> String {
        var w = ICalendarWriter()
        body(&w)
        return String(decoding: w.finished, as: UTF8.self)
    }

    func testTextValuesAreEscaped() {
        XCTAssertEqual(written { $0.text("DESCRIPTION", "a,b;c\\d\ne\r\u{1}\u{7F}f\tg") }, "DESCRIPTION:a\\,b\\;c\\\\d\\nef\tg\r\n")
        XCTAssertEqual(written { $0.text("SUMMARY", "Travaux", parameters: "LANGUAGE=fr") }, "SUMMARY;LANGUAGE=fr:Travaux\r\n")
    }

    func testLongLinesAreFoldedAt75Octets() {
        let value = String(repeating: "a", count: 70) + String(repeating: "b", count: 80)
        // 5 + 70 + 80 = 155 octets: 75, then a space and 74, then a space and 6.
        XCTAssertEqual(written { $0.property("X-ID", value) },
                       "X-ID:" + String(repeating: "a", count: 70) + "\r\n " + String(repeating: "b", count: 74) + "\r\n " + String(repeating: "b", count: 6) + "\r\n")
        XCTAssertEqual(written { $0.property("X", String(repeating: "c", count: 73)) }, "X:" + String(repeating: "c", count: 73) + "\r\n")
    }

    func testFoldingNeverSplitsAUTF8Sequence() {
        // "SUMMARY:" is 8 octets and each "é" 2: the 75-octet limit falls inside the 34th.
        let text = written { $0.property("SUMMARY", String(repeating: "é", count: 40)) }
        XCTAssertEqual(text, "SUMMARY:" + String(repeating: "é", count: 33) + "\r\n " + String(repeating: "é", count: 7) + "\r\n")
        for line in text.components(separatedBy: "\r\n") { XCTAssertLessThanOrEqual(line.utf8.count, 75) }
        // Unfolding gives the line back.
        XCTAssertEqual(text.replacingOccurrences(of: "\r\n ", with: ""), "SUMMARY:" + String(repeating: "é", count: 40) + "\r\n")
    }

    func testDateTimesAreInUTCWithoutFractions() {
        XCTAssertEqual(written { $0.dateTime("DTSTAMP", Timestamp(rfc3339: "2026-12-05T06:07:08.500+01:00")!) }, "DTSTAMP:20261205T050708Z\r\n")
        XCTAssertEqual(ICalendarWriter.utc(Timestamp(millis: 0)), "19700101T000000Z")
    }
}
