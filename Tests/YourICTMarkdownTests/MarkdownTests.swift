import XCTest
import YourICTTestSupport
@testable import YourICTSupport
@testable import YourICTFormats
@testable import YourICTContent
@testable import YourICTMarkdown

final class MarkdownTests: XCTestCase {
    private func render(_ text: String, unsafe: Bool = false, reserved: Set<String> = [],
                        rewrite: (String, SourceLocation) -> String? = { _, _ in nil }) -> RenderedMarkdown {
        MarkdownRenderer.render(MarkdownSource(text: text, path: "p.md", firstLine: 5),
                                options: MarkdownOptions(unsafeHTML: unsafe, reservedIDs: reserved), rewrite: rewrite)
    }

    func testTables() {
        let html = render("| a | b |\n|---|--:|\n| 1 | 2 |\n").html
        XCTAssertContains(html, "<table>")
        XCTAssertContains(html, "<td align=\"right\">2</td>")
        XCTAssertContains(html, "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Table\">")
    }

    func testStrikethroughAutolinkTasklist() {
        let html = render("~~old~~ www.example.org\n\n- [x] done\n- [ ] todo\n").html
        XCTAssertContains(html, "<del>old</del>")
        XCTAssertContains(html, "<a href=\"http://www.example.org\">www.example.org</a>")
        XCTAssertContains(html, "<input type=\"checkbox\" checked=\"\" disabled=\"\" /> done")
        XCTAssertContains(html, "<input type=\"checkbox\" disabled=\"\" /> todo")
    }

    /// Link columns: cmark's byte columns become character columns, line after line and
    /// back again, and a place past the text keeps its byte column.
    func testLinkColumnsCountCharacters() {
        var text = "ab\néé[x](y)\n\nz [w](v)"
        text.withUTF8 { bytes in
            var cursor = ColumnCursor()
            XCTAssertEqual(cursor.column(in: bytes, line: 2, byteColumn: 5), 3)
            XCTAssertEqual(cursor.column(in: bytes, line: 4, byteColumn: 3), 3)
            XCTAssertEqual(cursor.column(in: bytes, line: 1, byteColumn: 2), 2, "an earlier line")
            XCTAssertEqual(cursor.column(in: bytes, line: 2, byteColumn: 1), 1)
            XCTAssertEqual(cursor.column(in: bytes, line: 9, byteColumn: 4), 4, "past the last line")
        }
        let rendered = render("Voilà é [lien](https://example.org) et\nencore ü [deux](https://example.org/2)\n")
        XCTAssertEqual(rendered.links.map(\.location.column), [9, 10])
        XCTAssertEqual(rendered.links.map(\.location.line), [5, 6])
    }

    /// The cursor counts on from its last column on a line (many links on one long line
    /// were counted from the line's start each): in any order of calls, on mixed-width
    /// text, it gives the naive count.
    func testLinkColumnsInAnyOrderMatchTheNaiveCount() {
        var rng = SplitMix(state: 5)
        let pieces = ["a", "é", "€", "😀", " ", "\n"]
        for _ in 0..<200 {
            var text = String((0..<Int.random(in: 1...120, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined())
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.utf8) }
            var cursor = ColumnCursor()
            for _ in 0..<30 {
                let line = Int.random(in: 1...lines.count + 1, using: &rng)
                let bytes = line <= lines.count ? lines[line - 1] : []
                let byteColumn = Int.random(in: 1...bytes.count + 1, using: &rng)
                let naive = line <= lines.count ? 1 + bytes.prefix(byteColumn - 1).filter { $0 & 0xC0 != 0x80 }.count : byteColumn
                XCTAssertEqual(text.withUTF8 { cursor.column(in: $0, line: line, byteColumn: byteColumn) }, naive, "\(text.debugDescription) \(line):\(byteColumn)")
            }
        }
    }

    /// A heading named like a footnote's id does not take it: the footnote keeps `fn-1`
    /// and its back-link `fnref-1`, each id once in the page.
    func testAHeadingNeverTakesAFootnotesID() {
        let html = render("## fn-1\n\n## fnref-1\n\nText[^1].\n\n[^1]: The note.\n").html
        XCTAssertContains(html, "<li id=\"fn-1\">")
        XCTAssertContains(html, "id=\"fnref-1\"")
        XCTAssertContains(html, "id=\"section-fn-1\"")
        XCTAssertContains(html, "id=\"section-fnref-1\"")
        XCTAssertEqual(html.components(separatedBy: "id=\"fn-1\"").count, 2)
        XCTAssertEqual(html.components(separatedBy: "id=\"fnref-1\"").count, 2)
    }

    func testFootnotes() {
        let html = render("Text[^n].\n\n[^n]: The note.\n").html
        XCTAssertContains(html, "<a href=\"#fn-n\" id=\"fnref-n\" data-footnote-ref>1</a>")
        XCTAssertContains(html, "<li id=\"fn-n\">")
        // The back-link is named in the page's language; without footnotes, nothing to name.
        let options = MarkdownOptions(footnoteBackLabel: "Retour au texte")
        let french = MarkdownRenderer.render(MarkdownSource(text: "Texte[^n].\n\n[^n]: La note.\n", path: "p.md", firstLine: 1), options: options).html
        XCTAssertContains(french, "data-footnote-backref")
        XCTAssertContains(french, "aria-label=\"Retour au texte\"")
        XCTAssertNotContains(french, "Back to content")
    }

    func testRawHTMLOmittedByDefault() {
        let html = render("<script>alert(1)</script>\n\nHi <b onclick=\"x()\">there</b>\n").html
        XCTAssertNotContains(html, "<script")
        XCTAssertNotContains(html, "onclick")
        XCTAssertContains(html, "<!-- raw HTML omitted -->")
    }

    func testRawHTMLWhenTheSiteOptsIn() {
        let html = render("<div class=\"note\">Hi</div>\n\n<script>x</script>\n", unsafe: true).html
        XCTAssertContains(html, "<div class=\"note\">Hi</div>")
        // The tagfilter extension still disarms <script> even in unsafe mode.
        XCTAssertContains(html, "&lt;script>")
    }

    func testScriptURLsInRawHTMLAreDisarmedEvenWhenAllowed() {
        let html = render("<a href=\"javascript:alert(1)\">x</a> <img src='data:image/png;base64,AA'> <a href=JaVaScRiPt&#58;x>y</a> <a href=\"https://ok.example\">z</a>\n", unsafe: true).html
        XCTAssertContains(html, "<a href=\"#\">x</a>")
        XCTAssertContains(html, "<img src='data:image/png;base64,AA'>")
        XCTAssertContains(html, "<a href=\"#\">y</a>")
        XCTAssertContains(html, "<a href=\"https://ok.example\">z</a>")
    }

    func testHeadingIDsOnEveryLevelDeduplicatedAndFolded() {
        let r = render("# Support\n\n## Support\n\n### Réseau & sécurité\n\n#### Support\n\n###### Straße\n")
        XCTAssertEqual(r.headings.map(\.id), ["support", "support-1", "reseau-securite", "support-2", "strasse"])
        XCTAssertEqual(r.headings.map(\.level), [1, 2, 3, 4, 6])
        XCTAssertContains(r.html, "<h3 id=\"reseau-securite\">\nRéseau &amp; sécurité\n</h3>")
        XCTAssertEqual(r.headings[2].text, "Réseau & sécurité")
    }

    func testHeadingsAvoidLayoutIDs() {
        let r = render("## Main\n\n## Main\n", reserved: ["main"])
        XCTAssertEqual(r.headings.map(\.id), ["main-1", "main-2"])
    }

    func testHeadingTextIncludesCodeAndLinks() {
        let r = render("## Use `yourict` with [Prometheus](https://prometheus.io)\n")
        XCTAssertEqual(r.headings.first?.text, "Use yourict with Prometheus")
        XCTAssertEqual(r.headings.first?.id, "use-yourict-with-prometheus")
    }

    func testDangerousLinksAreRemovedEvenInUnsafeMode() {
        for unsafe in [false, true] {
            let r = render("[a](javascript:alert(1)) [b](JaVaScRiPt:x) [c](data:text/html,x) ![ok](data:image/png;base64,AAAA) [d](vbscript:x)", unsafe: unsafe)
            XCTAssertNotContains(r.html.lowercased(), "javascript:")
            XCTAssertNotContains(r.html, "data:text/html")
            XCTAssertNotContains(r.html, "vbscript")
            XCTAssertContains(r.html, "src=\"data:image/png;base64,AAAA\"")
            XCTAssertEqual(r.removedLinks.map(\.url), ["javascript:alert(1)", "JaVaScRiPt:x", "data:text/html,x", "vbscript:x"])
        }
    }

    func testLinkRewritingAndLocations() {
        var seen: [(String, SourceLocation)] = []
        let r = render("Intro\n\nSee [x](other.md#part) and [y](https://example.org).\n") { url, location in
            seen.append((url, location))
            return url == "other.md#part" ? "/fr/other/#part" : nil
        }
        XCTAssertContains(r.html, "<a href=\"/fr/other/#part\">x</a>")
        XCTAssertContains(r.html, "<a href=\"https://example.org\">y</a>")
        // Body starts on line 5 of the file: the link on the body's third line is on line 7.
        XCTAssertEqual(seen.first?.1, SourceLocation(path: "p.md", line: 7, column: 5))
    }

    func testParallelRenderingIsDeterministic() {
        let text = (0..<50).map { "## Heading \($0 % 7)\n\n| a | b |\n|---|---|\n| \($0) | x |\n\nText[^\($0)].\n\n[^\($0)]: note" }.joined(separator: "\n\n")
        let expected = render(text).html
        let results = (0..<16).parallelMap { _ in
            MarkdownRenderer.render(MarkdownSource(text: text, path: "p.md", firstLine: 5), options: MarkdownOptions()).html
        }
        XCTAssertTrue(results.allSatisfy { $0 == expected })
    }

    func testSlugify() {
        XCTAssertEqual(Slugger.slugify("Helpdesk central"), "helpdesk-central")
        XCTAssertEqual(Slugger.slugify("  Œuvre — l'été 2026 !"), "oeuvre-l-ete-2026")
        XCTAssertEqual(Slugger.slugify("Über Größe"), "uber-grosse")
        XCTAssertEqual(Slugger.slugify("???"), "")
        // Decomposed accents (NFD) fold like composed ones, instead of splitting the word.
        XCTAssertEqual(Slugger.slugify("re\u{301}sume\u{301} de\u{301}taille\u{301}"), "resume-detaille")
        XCTAssertEqual(Slugger.slugify("Gru\u{308}\u{DF}e"), "grusse")
        // Latin letters beyond Latin Extended-A: their base letter.
        XCTAssertEqual(Slugger.slugify("Țară și Việt Nam"), "tara-si-viet-nam")
        XCTAssertEqual(Slugger.slugify("Ǆemal"), "ǆemal")
        // Other scripts keep their letters and marks.
        XCTAssertEqual(Slugger.slugify("Ελληνικά"), "ελληνικά")
        XCTAssertEqual(Slugger.slugify("हिन्दी"), "हिन्दी")
    }
}
