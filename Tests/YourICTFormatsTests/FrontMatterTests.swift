import XCTest
import YourICTTestSupport
@testable import YourICTSupport
@testable import YourICTFormats

final class FrontMatterTests: XCTestCase {
    private func split(_ text: String) -> Result<FrontMatterDocument, Diagnostic> {
        guard case .success(let source) = SourceText.decode(Array(text.utf8), path: "x.md") else { fatalError() }
        return FrontMatter.split(source)
    }

    func testSplitsYAMLAndBodyWithLineNumbers() throws {
        let doc = try split("---\ntitle: A\nsummary: B\n---\n# Body\n").get()
        XCTAssertEqual(doc.yaml, "title: A\nsummary: B\n")
        XCTAssertEqual(doc.yamlFirstLine, 2)
        XCTAssertEqual(doc.body, "# Body\n")
        XCTAssertEqual(doc.bodyFirstLine, 5)
    }

    func testAcceptsCRLFAndBOM() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("---\r\ntitle: A\r\n---\r\nBody\r\n".utf8)
        let source = try SourceText.decode(bytes, path: "x.md").get()
        let doc = try FrontMatter.split(source).get()
        XCTAssertEqual(doc.yaml, "title: A\n")
        XCTAssertEqual(doc.body, "Body\n")
    }

    func testDelimiterMustBeAWholeLine() throws {
        // `----` and `--- x` are not delimiters; a thematic break in the body stays in the body.
        let doc = try split("---\ntitle: A\nnote: \"--- not the end\"\n---  \nText\n\n---\n\nMore\n").get()
        XCTAssertEqual(doc.yaml, "title: A\nnote: \"--- not the end\"\n")
        XCTAssertEqual(doc.body, "Text\n\n---\n\nMore\n")
    }

    func testMissingFrontMatterSaysWhatToDo() {
        guard case .failure(let d) = split("# Just Markdown\n") else { return XCTFail() }
        XCTAssertEqual(d.location, SourceLocation(path: "x.md", line: 1, column: 1))
        XCTAssertEqual(d.message, "no front matter found")
        XCTAssertNotNil(d.hint?.range(of: "---"))
    }

    func testUnclosedFrontMatter() {
        guard case .failure(let d) = split("---\ntitle: A\n") else { return XCTFail() }
        XCTAssertEqual(d.message, "the front matter is not closed")
    }

    func testEmptyFrontMatterIsReported() {
        let (site, diagnostics) = SiteFixture(["content/pages/x.md": "---\n---\nBody\n"]).generate()
        XCTAssertNil(site)
        XCTAssertEqual(diagnostics.lines, ["content/pages/x.md:2:1: error: the front matter is empty"])
    }

    func testInvalidUTF8IsLocated() {
        let bytes = Array("---\ntitle: caf".utf8) + [0xE9] + Array("\n---\n".utf8)
        guard case .failure(let d) = SourceText.decode(bytes, path: "x.md") else { return XCTFail() }
        XCTAssertEqual(d.location, SourceLocation(path: "x.md", line: 2, column: 11))
    }
}
