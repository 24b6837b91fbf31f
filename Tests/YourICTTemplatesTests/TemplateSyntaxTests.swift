import XCTest
import YourICTTestSupport
@testable import YourICTTemplates

/// Template errors are diagnostics with the place and a hint, one per broken template,
/// every template's reported: never a crash, never a theme half read.
final class TemplateSyntaxTests: XCTestCase {
    private func error(_ text: String) -> TemplateSyntaxError? {
        if case .failure(let e) = TemplateParser.parse(text) { return e }
        return nil
    }

    func testUnclosedSectionIsLocatedAtItsOpening() {
        XCTAssertEqual(error("<ul>\n  {{#items}}<li>{{name}}</li>\n</ul>\n"),
                       TemplateSyntaxError(message: "the section `items` is never closed", hint: "add `{{/items}}` where it ends", line: 2, column: 3))
    }

    func testMismatchedCloseNamesTheOpenSection() {
        let e = error("{{#a}}\n{{#first(b)}}x{{/a}}{{/first(b)}}{{/a}}")
        XCTAssertEqual(e?.line, 2)
        XCTAssertEqual(e?.column, 15)
        XCTAssertEqual(e?.message, "this tag closes a section that is not the one open here (`first(b)`, opened at line 2)")
        XCTAssertEqual(e?.hint, "close the sections in the reverse order of their opening: `{{/first(b)}}` comes first")
    }

    func testCloseWithoutOpen() {
        XCTAssertEqual(error("a {{/x}}")?.message, "`x` is closed but was never opened")
    }

    func testBadDelimiterTag() {
        let e = error("ok\n{{=<% %>}}")
        XCTAssertEqual(e?.message, "invalid set-delimiter tag")
        XCTAssertEqual(e.map { [$0.line, $0.column] }, [2, 1])
    }

    func testUnclosedTagAndComment() {
        XCTAssertEqual(error("é {{name")?.message, "the tag is not closed (missing `}}`)")
        XCTAssertEqual(error("é {{name").map { [$0.line, $0.column] }, [1, 9])
        XCTAssertEqual(error("{{! never closed")?.message, "the comment is never closed")
        XCTAssertEqual(error("text {{")?.message, "the tag is not closed (missing `}}`)")
    }

    func testNamesTransformsAndPragmas() {
        XCTAssertEqual(error("{{a b}}")?.message, "`b` cannot be part of a tag's name")
        XCTAssertEqual(error("{{}}")?.message, "the tag has no name")
        XCTAssertEqual(error("{{shout(x)}}")?.message, "unknown transform `shout`")
        XCTAssertEqual(error("{{#sorted()}}{{/sorted()}}")?.message, "`sorted()`: only `even()`, `first()`, `index()`, `last()`, `odd()` apply to the position in a list")
        XCTAssertEqual(error("{{% CONTENT_TYPE: XML }}")?.message, "unknown pragma `CONTENT_TYPE: XML`")
        XCTAssertEqual(error("{{<base}}{{x}}{{/base}}")?.message, "only `{{$block}}` overrides may appear inside `{{<base}}`")
    }

    func testValidDialectParses() {
        for text in ["{{#first(history)}}x{{/first(history)}}", "{{^last()}}, {{/last()}}", "{{plusone(index())}}", "{{>*name}}", "{{<*dyn}}{{$b}}x{{/b}}{{/*dyn}}",
                     "{{% CONTENT_TYPE: TEXT }}", "{{=<% %>=}}<% a %>", "{{{a}}}{{&a}}", "{{! comment\nacross lines }}"] {
            XCTAssertNil(error(text), text)
        }
    }

    /// Every broken template of a theme is reported, each with its place and hint, and
    /// nothing else: the many includes of a broken partial are not "missing" besides.
    func testThemeReportsEveryBrokenTemplate() {
        var fixture = SiteFixture()
        fixture.files["templates/partials/footer.mustache"] = "<footer>\n{{#support}}\n</footer>\n"
        fixture.files["templates/partials/header.mustache"] = "<header>{{site.title}</header>\n"
        let (site, diagnostics) = fixture.generate()
        XCTAssertNil(site)
        let syntax = diagnostics.filter { $0.message.hasPrefix("template syntax") }
        XCTAssertEqual(syntax.lines, [
            "templates/partials/footer.mustache:2:1: error: template syntax: the section `support` is never closed",
            "templates/partials/header.mustache:1:21: error: template syntax: `}` cannot be part of a tag's name",
        ])
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.lines, syntax.lines)
        XCTAssertEqual(syntax.map(\.hint), ["add `{{/support}}` where it ends",
                                            "a name holds letters, digits and `. - _ ? *`, one per tag (`{{service.title}}`), a transform is written `{{count(items)}}`, and a tag ends with `}}`"])
    }
}
