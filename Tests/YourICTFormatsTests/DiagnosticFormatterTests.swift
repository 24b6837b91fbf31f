import XCTest
@testable import YourICTSupport
@testable import YourICTFormats

/// The quoted line under a text diagnostic, and its caret.
final class DiagnosticFormatterTests: XCTestCase {
    private func text(line: String, column: Int) -> String {
        let d = Diagnostic.error("invalid JSON", at: SourceLocation(path: "content/monitoring/x.json", line: 1, column: column))
        return DiagnosticFormatter(format: .text, sourceLine: { _, _ in line }).format(d)
    }

    /// The character the caret stands under, read back from the two quoted lines.
    private func pointed(_ text: String) -> Character? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 3, let caret = lines[2].firstIndex(of: "^") else { return nil }
        let offset = lines[2].distance(from: lines[2].startIndex, to: caret)
        let quoted = Array(lines[1])
        return offset < quoted.count ? quoted[offset] : nil
    }

    func testTheCaretPointsAtTheColumnOnAShortLine() {
        XCTAssertEqual(text(line: #"{"a": x}"#, column: 7), """
            content/monitoring/x.json:1:7: error: invalid JSON
              1 | {"a": x}
                |       ^
            """)
    }

    /// A monitoring export is one line of megabytes: the excerpt is the part around the
    /// column, so that the caret stands under the byte at fault, wherever it is.
    func testOnALongLineTheExcerptIsAroundTheColumn() {
        for column in [1, 120, 240, 241, 5_000, 9_999, 10_000] {
            var line = Array(repeating: Character("a"), count: 10_000)
            line[column - 1] = "X"
            let shown = text(line: String(line), column: column)
            XCTAssertEqual(pointed(shown), "X", "column \(column)")
            XCTAssertLessThanOrEqual(shown.split(separator: "\n")[1].count, 250, "column \(column)")
        }
    }

    /// Two million identical warnings (a heading repeated in one body) made 367 MB of log,
    /// and a 1 MB link quoted in a message a 2 MB line: at most ten of one message in one
    /// file, then a count; a message of more than 1,000 characters is cut, with a count.
    func testRepeatsAreCountedAndLongMessagesCut() {
        let repeated = (1...25).map { Diagnostic(.warning, "same", at: SourceLocation(path: "content/a.md", line: $0)) }
        let other = Diagnostic(.warning, "same", at: SourceLocation(path: "content/b.md", line: 1))
        let shown = DiagnosticFormatter.capped(repeated + [other])
        XCTAssertEqual(shown.count, 12)
        XCTAssertEqual(shown[10].message, "15 more of this warning in content/a.md, not shown: same")
        XCTAssertNil(shown[10].location)
        XCTAssertEqual(shown[11], other)
        XCTAssertEqual(DiagnosticFormatter.capped(Array(repeated.prefix(10))), Array(repeated.prefix(10)))
        let long = Diagnostic(.error, "link `" + String(repeating: "a", count: 5_000) + "`", at: nil)
        let text = DiagnosticFormatter(format: .text).format(long)
        XCTAssertEqual(text, "error: link `" + String(repeating: "a", count: 994) + "… (4007 more characters)")
        // 600 characters of two bytes each are not cut.
        let cyrillic = Diagnostic(.error, String(repeating: "ж", count: 600), at: nil)
        XCTAssertEqual(DiagnosticFormatter(format: .text).format(cyrillic), "error: " + String(repeating: "ж", count: 600))
    }
}
