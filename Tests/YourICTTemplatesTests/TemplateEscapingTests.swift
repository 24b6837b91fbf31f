import XCTest
import YourICTTestSupport
@testable import YourICTTemplates

/// Values are escaped byte by byte: a quote followed by a combining mark (U+0301) is
/// still a quote to a browser, and must not close an attribute. (swift-mustache escapes
/// per grapheme cluster and left such a quote as it was.)
final class TemplateEscapingTests: XCTestCase {
    static let hostile = "\"\u{301} onmouseover=alert(1) '\u{301}<\u{301}b>\u{301}&\u{301}\u{20DD}"
    static let escaped = "&quot;\u{301} onmouseover=alert(1) &#39;\u{301}&lt;\u{301}b&gt;\u{301}&amp;\u{301}\u{20DD}"

    func testCombiningMarksDoNotHideQuotesInAttributesOrText() throws {
        let compiled = try CompiledTemplates.compile([
            "t": #"<meta name="description" content="{{s}}"><p title='{{s}}'>{{s}}</p>{{>*p}}{{lambda}}"#,
            "partial": #"<a title="{{s}}">"#,
        ]).get()
        let context: ViewContext = ["s": Self.hostile, "p": "partial", "lambda": TemplateLambda { "{{s}}" }]
        XCTAssertEqual(compiled.render(context, template: "t"),
                       #"<meta name="description" content=""# + Self.escaped + #""><p title='"# + Self.escaped + "'>" + Self.escaped
                       + #"</p><a title=""# + Self.escaped + #"">"# + Self.escaped)
    }

    /// A dynamic partial no longer sends the theme to another renderer: the example theme
    /// with one added renders the same pages, with the same escaping, plus what it includes.
    func testExampleThemeWithADynamicPartialEscapesTheSame() throws {
        let sheet = SiteFixture.mailSheet.replacingOccurrences(of: "summary: Le courriel des agents.",
                                                               with: #"summary: "Le \"\u0301 courriel <b>""#)
        let plain = SiteFixture(["content/services/messagerie.md": sheet])
        var dynamic = plain
        let base = String(decoding: try XCTUnwrap(SiteFixture.theme["templates/base.mustache"]), as: UTF8.self)
        dynamic.files["templates/base.mustache"] = base + "{{>*lang}}"
        dynamic.files["templates/fr.mustache"] = #"<meta name="x-lang" content="{{page.description}}">"# + "\n"
        let (a, da) = plain.generate()
        let (b, db) = dynamic.generate()
        XCTAssertEqual(da.filter { $0.severity == .error }.lines, [])
        XCTAssertEqual(db.filter { $0.severity == .error }.lines, [])
        let before = try XCTUnwrap(a), after = try XCTUnwrap(b)
        let escaped = "Le &quot;\u{301} courriel &lt;b&gt;"
        XCTAssertContains(before.text("fr/services/messagerie/index.html"), #"<meta name="description" content=""# + escaped + #"">"#)
        XCTAssertEqual(after.text("fr/services/messagerie/index.html"),
                       before.text("fr/services/messagerie/index.html")! + #"<meta name="x-lang" content=""# + escaped + "\">\n")
        // Every other file is the same: no template renders differently for the dynamic partial.
        XCTAssertEqual(before.files.map(\.path), after.files.map(\.path))
        var changed = 0
        for (x, y) in zip(before.files, after.files) where x.bytes != y.bytes {
            changed += 1
            XCTAssertEqual(Array(y.bytes.prefix(x.bytes.count)), x.bytes, x.path)
            XCTAssertTrue(String(decoding: y.bytes.dropFirst(x.bytes.count), as: UTF8.self).hasPrefix(#"<meta name="x-lang" content=""#), x.path)
        }
        XCTAssertGreaterThan(changed, 3, "the French pages include the dynamic partial")
    }
}
