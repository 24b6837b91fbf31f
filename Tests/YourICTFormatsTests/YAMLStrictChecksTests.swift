import XCTest
import YourICTTestSupport
@testable import YourICTSupport
@testable import YourICTFormats
@testable import yourict_fuzz

/// What libyaml accepts but YAML refuses, or reads otherwise, is refused by the layer that
/// reads front matter and site.yaml, with its line and column (`YAMLStrictChecks`).
final class YAMLStrictChecksTests: XCTestCase {
    private func read(_ yaml: String) -> Result<YAMLNode?, Diagnostic> {
        YAMLDocument.parse(yaml, path: "content/site.yaml", firstLine: 1)
    }

    private func assertRefused(_ yaml: String, at line: Int, _ column: Int, _ message: String,
                               file: StaticString = #filePath, line testLine: UInt = #line) {
        guard case .failure(let d) = read(yaml) else { return XCTFail("should be refused: \(yaml.debugDescription)", file: file, line: testLine) }
        XCTAssertEqual(d.location, SourceLocation(path: "content/site.yaml", line: line, column: column), file: file, line: testLine)
        XCTAssertEqual(d.message, "invalid YAML: " + message, file: file, line: testLine)
        XCTAssertNotNil(d.hint, file: file, line: testLine)
    }

    private func assertReads(_ yaml: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        guard case .success(let node) = read(yaml) else { return XCTFail("should be read: \(yaml.debugDescription)", file: file, line: line) }
        XCTAssertEqual(YAMLDifferential.describe(node), expected, file: file, line: line)
    }

    func testCommentGluedToAFlowCollection() {
        assertRefused("tags: [a, b]#x\n", at: 1, 13, "a comment must be separated from what precedes it by a space")
    }

    func testCommentGluedToAQuotedValue() {
        assertRefused("title: \"x\"#y\n", at: 1, 11, "a comment must be separated from what precedes it by a space")
    }

    func testCommentGluedToABlockScalarHeader() {
        assertRefused("body: >#x\n  text\n", at: 1, 8, "a comment must be separated from what precedes it by a space")
    }

    func testFlowCollectionContinuedWithoutIndentation() {
        assertRefused("tags: [a,\nb]\n", at: 2, 1, "this line of a flow collection is not indented more than the block around it")
    }

    func testFlowCollectionContinuedWithIndentationIsRead() {
        assertReads("tags: [a,\n  b]\n", #"{@1:1 "tags"@1:1: [@1:7 "a"@1:8, "b"@2:3]}"#)
    }

    func testLeadingSpacesLineLongerThanBlockText() {
        assertRefused("body: >\n   \n # note\n", at: 2, 1, "a line of only spaces before block text is indented more than the text")
    }

    func testLastSpacesLineWithoutLineBreak() {
        assertRefused("body: |\n  x\n   ", at: 3, 1, "a last line of only spaces in block text, without a line break")
    }

    func testAnchorNameWithAColon() {
        assertRefused("key: &an:chor value\n", at: 1, 9, "this anchor or alias name goes on past what libyaml reads as its end")
    }

    func testDashAloneInAFlowSequence() {
        assertRefused("tags: [-]\n", at: 1, 8, "`-` alone cannot start a plain value here")
    }

    func testQuestionMarkBeforeTextInAFlowSequence() {
        assertRefused("tags: [?x]\n", at: 1, 8, "`?` followed by text in a flow collection")
    }

    func testStrTagMakesAnEmptyValueText() {
        assertReads("a: !!str\nb: !!str null\n", #"{@1:1 "a"@1:1: q""@1:4, "b"@2:1: q"null"@2:4}"#)
    }

    func testControlCharacterHasAColumnAndAHint() {
        guard case .failure(let d) = read("title: é\u{1}\n") else { return XCTFail("should be refused") }
        XCTAssertEqual(d.location, SourceLocation(path: "content/site.yaml", line: 1, column: 9))
        XCTAssertEqual(d.hint, "remove the invisible character U+0001, or write it as an escape in a double-quoted value")
    }
}
