import XCTest
import YourICTTestSupport
@testable import YourICTSupport
@testable import YourICTFormats
@testable import yourict_fuzz

/// The documents of issue 21 that the YAML fast path used to accept where libyaml refuses
/// them, or to read otherwise: each now goes to Yams, and the layer that reads front
/// matter refuses it with Yams' diagnostic, or reads what Yams reads.
final class YAMLFastPathRegressionTests: XCTestCase {
    /// The front matter of a file whose YAML starts on line 2, as a build reads it.
    private func read(_ yaml: String) -> Result<YAMLNode?, Diagnostic> {
        YAMLDocument.parse(yaml, path: "content/services/x.md", firstLine: 2)
    }

    private func assertDeferred(_ yaml: String, file: StaticString = #filePath, line: UInt = #line) {
        if case .unsupported = FastYAML.parse(yaml) { return }
        XCTFail("the fast path should leave this to Yams: \(yaml.debugDescription)", file: file, line: line)
    }

    private func assertRefused(_ yaml: String, at line: Int, _ column: Int, _ message: String,
                               file: StaticString = #filePath, line testLine: UInt = #line) {
        assertDeferred(yaml, file: file, line: testLine)
        guard case .failure(let d) = read(yaml) else {
            return XCTFail("should be refused: \(yaml.debugDescription)", file: file, line: testLine)
        }
        XCTAssertEqual(d.location, SourceLocation(path: "content/services/x.md", line: line, column: column), file: file, line: testLine)
        XCTAssertEqual(d.message, message, file: file, line: testLine)
    }

    private func assertReads(_ yaml: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        assertDeferred(yaml, file: file, line: line)
        guard case .success(let node) = read(yaml) else { return XCTFail("should be read: \(yaml.debugDescription)", file: file, line: line) }
        XCTAssertEqual(YAMLDifferential.describe(node), expected, file: file, line: line)
    }

    func testCommentEndingAPlainScalarBeforeAContinuationLine() {
        assertRefused("title: Service\nsummary: Niveau #2 pour tous\n  et plus.\n", at: 4, 3,
                      "invalid YAML: did not find expected key (while parsing a block mapping at line 2)")
    }

    func testCommentLineInsideAPlainScalar() {
        assertRefused("summary: Niveau\n# note\n  et plus.\n", at: 4, 3,
                      "invalid YAML: did not find expected key (while parsing a block mapping at line 2)")
    }

    func testControlCharacter() {
        assertRefused("title: a\u{1}b\n", at: 2, 9, "invalid YAML: control characters are not allowed")
    }

    func testEscapeCharacter() {
        assertRefused("title: a\u{1B}[31mb\n", at: 2, 9, "invalid YAML: control characters are not allowed")
    }

    func testC1Control() {
        assertRefused("title: a\u{9F}b\n", at: 2, 9, "invalid YAML: control characters are not allowed")
    }

    func testDEL() {
        assertRefused("title: a\u{7F}b\n", at: 2, 9, "invalid YAML: control characters are not allowed")
    }

    func testLoneCRIsALineBreak() {
        assertReads("title: a\rb: c\n", #"{@1:1 "title"@1:1: "a"@1:8, "b"@2:1: "c"@2:4}"#)
    }

    func testNELIsALineBreakFoldedToASpace() {
        assertReads("title: a\u{85}  b\n", #"{@1:1 "title"@1:1: "a b"@1:8}"#)
    }

    func testLineSeparatorIsALineBreakThatStays() {
        assertReads("title: a\u{2028}  b\n", #"{@1:1 "title"@1:1: "a\u{2028}b"@1:8}"#)
    }

    func testParagraphSeparatorIsALineBreakThatStays() {
        assertReads("title: a\u{2029}  b\n", #"{@1:1 "title"@1:1: "a\u{2029}b"@1:8}"#)
    }

    func testTabOnlyLine() {
        assertRefused("title: a\n\t\nsummary: b\n", at: 3, 1,
                      "invalid YAML: found a tab character that violates indentation (while scanning a plain scalar at line 2)")
    }

    func testSignedHexEscape() {
        assertRefused("title: \"\\x+1\"\n", at: 2, 11,
                      "invalid YAML: did not find expected hexdecimal number (while parsing a quoted scalar at line 2)")
    }

    func testSignedUnicodeEscape() {
        assertRefused("title: \"\\u+041\"\n", at: 2, 11,
                      "invalid YAML: did not find expected hexdecimal number (while parsing a quoted scalar at line 2)")
    }

    func testColonBeforeQuestionMarkInFlow() {
        assertRefused("tags: [a:?b]\n", at: 2, 9, "invalid YAML: found unexpected ':' (while scanning a plain scalar at line 2)")
    }

    func testQuotedCRFoldsToASpace() {
        assertReads("title: \"x\r  y\"\n", #"{@1:1 "title"@1:1: q"x y"@1:8}"#)
    }

    func testQuotedTextContinuedWithoutIndentation() {
        assertRefused("title: \"x\ry\"\n", at: 3, 1, "invalid YAML: this line of a multi-line value is not indented more than the block around it")
    }

    func testTabBeforeTheColonOfAKey() {
        assertReads("summary\t: x\n", #"{@1:1 "summary"@1:1: "x"@1:11}"#)
    }
}
