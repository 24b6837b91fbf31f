import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
import YourICTTestSupport
@testable import YourICTSupport
import YourICTFormats
@testable import YourICTMarkdown
@testable import YourICTSite

/// The escaping audit: a site whose every text field carries a script payload, and
/// whose link fields carry `javascript:`, must come out with no script of its own in any
/// file — only the theme's `app.js` — no event-handler attribute, no script URL, and the
/// payload escaped for its context (HTML text and attributes, XML, SVG, JSON).
final class HostileOutputEscapingTests: XCTestCase {
    static let payload = #"<script>alert(1)</script>"'><img src=x onerror=alert(1)>"#
    static let scriptURL = "javascript:alert(1)"

    /// A YAML double-quoted scalar.
    private func q(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    private var fixture: SiteFixture {
        let p = q(Self.payload)
        let siteYAML = """
        title: \(p)
        description: \(p)
        notice: \(p)
        organisation: {name: \(p), url: \(q("https://example.org/?q=" + Self.payload))}
        base_url: https://status.example.org/
        languages: [fr, nl]
        categories:
          communication: {name: \(p), description: \(p)}
        service_levels:
          critical: {name: \(p), target: 99.9, hours: \(p), description: \(p)}
        support:
          helpdesk_hours: \(p)
          on_call: \(p)
          escalation:
            - {role: \(p), contact: servicedesk}
        contacts:
          servicedesk: {name: \(p), email: help@example.org, phone: "+32 2 000 00 00", url: \(q("https://example.org/" + Self.payload)), description: \(p)}
        menu:
          - {section: dashboard}
          - {section: catalogue}
          - {section: incidents}
          - {page: support, title: \(p)}
          - {url: \(q("https://example.org/#" + Self.payload)), title: \(p)}

        """
        let body = """
        ## Titre \(Self.payload)

        Texte \(Self.payload) et [lien](\(Self.scriptURL)), [titre](https://example.org "\(Self.payload.replacingOccurrences(of: "\"", with: "\\\""))"),
        ![\(Self.payload.replacingOccurrences(of: "]", with: ""))](https://example.org/x.png) `\(Self.payload)` note[^1].

        | a | \(Self.payload.replacingOccurrences(of: "|", with: "")) |
        |---|---|
        | \(Self.payload) | x |

        [^1]: \(Self.payload)

        """
        let sheet = """
        ---
        title: \(p)
        summary: \(p)
        category: communication
        delivery: SaaS
        service_level: critical
        manager: {name: \(p), email: ann@example.org, phone: "+32 2 000 00 01"}
        packs:
          - {id: standard, name: \(p), description: \(p), includes: [\(p)], service_level: critical}
        options:
          - {id: archive, name: \(p), description: \(p)}
        components:
          - {id: webmail, name: \(p), description: \(p), monitor: {job: blackbox, instance: \(p)}}
        tags: [\(p), \(q(Self.scriptURL))]
        ---
        \(body)
        """
        let incident = """
        ---
        title: \(p)
        severity: partial_outage
        affected: [messagerie/webmail]
        started_at: 2026-11-20T09:00:00+01:00
        resolved_at: 2026-11-20T10:00:00+01:00
        updates:
          - {at: 2026-11-20T09:05:00+01:00, status: investigating, body: \(p)}
          - {at: 2026-11-20T10:00:00+01:00, status: resolved, body: \(p)}
        ---
        \(body)
        """
        let maintenance = """
        ---
        title: \(p)
        kind: maintenance
        affected: [messagerie]
        scheduled_for: 2026-12-20T09:00:00+01:00
        scheduled_until: 2026-12-20T10:00:00+01:00
        updates:
          - {at: 2026-11-21T09:00:00+01:00, status: scheduled, body: \(p)}
        ---

        """
        var samples: [String] = []
        for minute in 0..<(3 * 24 * 60) where minute % 5 == 0 {
            samples.append("[\(1_764_028_800 + minute * 60), \"\(minute == 600 ? "down" : "up")\"]")
        }
        let monitoring = #"{"yourict_monitoring": 1, "checks": [{"service": "messagerie", "component": "webmail", "samples": ["#
            + samples.joined(separator: ",") + "]}]}"
        var i18n = String(decoding: SiteFixture.theme["templates/i18n/fr.yaml"]!, as: UTF8.self)
        for key in ["footnote_back", "table_label", "skip_to_content", "nav_catalogue", "feed_title"] {
            i18n = i18n.replacingOccurrences(of: #"(?m)^  \#(key): .*$"#, with: "  \(key): \(p.replacingOccurrences(of: "\\", with: "\\\\"))",
                                             options: .regularExpression)
        }
        return SiteFixture([
            "content/site.yaml": siteYAML,
            "content/services/messagerie.md": sheet,
            "content/pages/support.md": "---\ntitle: \(p)\nsummary: \(p)\n---\n\(body)",
            "content/incidents/panne.md": incident,
            "content/incidents/travaux.md": maintenance,
            "content/monitoring/checks.json": monitoring,
            "templates/i18n/fr.yaml": i18n,
        ])
    }

    /// The tags of an HTML, XML or SVG document, with their attributes (values decoded
    /// as a browser would), found by a small scanner that honours quoted values.
    private func tags(_ text: String) -> [(name: String, attributes: [(String, String)], source: String)] {
        let s = Array(text.unicodeScalars)
        var out: [(String, [(String, String)], String)] = []
        var i = 0
        func isNameChar(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "-" || c == ":" || c == "_" }
        while i < s.count {
            guard s[i] == "<", i + 1 < s.count, s[i + 1].properties.isAlphabetic else { i += 1; continue }
            let start = i
            i += 1
            var name = ""
            while i < s.count, isNameChar(s[i]) { name.unicodeScalars.append(s[i]); i += 1 }
            var attributes: [(String, String)] = []
            while i < s.count, s[i] != ">" {
                if s[i] == " " || s[i] == "\n" || s[i] == "\t" || s[i] == "/" { i += 1; continue }
                var attribute = ""
                while i < s.count, s[i] != "=", s[i] != ">", s[i] != " ", s[i] != "\n", s[i] != "/" { attribute.unicodeScalars.append(s[i]); i += 1 }
                var value = ""
                if i < s.count, s[i] == "=" {
                    i += 1
                    if i < s.count, s[i] == "\"" || s[i] == "'" {
                        let quote = s[i]
                        i += 1
                        while i < s.count, s[i] != quote { value.unicodeScalars.append(s[i]); i += 1 }
                        i += 1
                    } else {
                        while i < s.count, s[i] != " ", s[i] != ">" { value.unicodeScalars.append(s[i]); i += 1 }
                    }
                }
                if attribute.isEmpty { i += 1 } else { attributes.append((attribute.lowercased(), URLSafety.decodingCharacterReferences(value))) }
            }
            out.append((name.lowercased(), attributes, String(String.UnicodeScalarView(s[start..<min(i + 1, s.count)]))))
            i += 1
        }
        return out
    }

    func testXMLEscapingKeepsTextAndDropsControls() {
        XCTAssertEqual(XML.escape("a&b<c>\"d'e\u{1}f\tg\nh\r é\u{7F}\u{2028}"), "a&amp;b&lt;c&gt;&quot;d&apos;ef\tg\nh\r é\u{7F}\u{2028}")
        XCTAssertEqual(XML.escape(""), "")
        XCTAssertEqual(XML.escape("plain"), "plain")
    }

    /// U+FFFE and U+FFFF are no XML characters (XML 1.0 §2.2): a title holding one (YAML's
    /// `"\uFFFF"` lets it in) made every feed naming the service, and its badge, not
    /// well-formed. They are dropped; their neighbours in UTF-8 (U+FFFD, U+EFBF…) stay.
    func testXMLEscapingDropsTheTwoNoncharactersXMLExcludes() {
        let hostile = "T\u{FFFE}é\u{FFFF}l \u{FFFD}\u{EFBF}\u{FEFF}\u{FFFF}"
        XCTAssertEqual(XML.escape(hostile), "Tél \u{FFFD}\u{EFBF}\u{FEFF}")
        XCTAssertEqual(XML.escape("\u{FFFF}"), "")
        func parses(_ text: String) -> Bool {
            XMLParser(data: Data("<a b=\"\(text)\">\(text)</a>".utf8)).parse()
        }
        XCTAssertFalse(parses(hostile), "the parser should refuse U+FFFF: the check would prove nothing")
        XCTAssertTrue(parses(XML.escape(hostile)))
    }

    /// The quick reading of a scheme agrees with the full one on every kind of URL.
    func testURLSafetyQuickPathAgreesWithTheFullCheck() {
        let urls = ["javascript:alert(1)", " JaVa\nScRiPt:alert(1)", "java\u{0}script:x", "\tvbscript:x", "FILE:///etc/passwd", "mocha:x", "livescript:x",
                    "data:image/png;base64,AAAA", "DATA:image/gif;base64,AA", "data:text/html,<script>", "data:image/svg+xml,<svg>",
                    "https://example.org/a:b", "/path:with:colons", "../x.md", "#frag:x", "?q=a:b", "mailto:a@example.org", "tel:+3220000000",
                    "", ":", "x", "ｊavascript:alert(1)", "javascrİpt:x", "é:x", "web+app:x", "a/b:c"]
        for url in urls {
            for isImage in [false, true] {
                XCTAssertEqual(URLSafety.isSafe(url, isImage: isImage), URLSafety.isSafeSlowly(url, isImage: isImage), "\(url) image: \(isImage)")
            }
        }
        XCTAssertFalse(URLSafety.isSafe(" JaVa\nScRiPt:alert(1)", isImage: false))
        XCTAssertTrue(URLSafety.isSafe("data:image/png;base64,AAAA", isImage: true))
        XCTAssertFalse(URLSafety.isSafe("data:image/png;base64,AAAA", isImage: false))
    }

    func testNoOutputFileCarriesAScriptFromContent() throws {
        let (generated, diagnostics) = fixture.generate(BuildSettings(now: Timestamp(rfc3339: "2026-11-26T00:00:00Z")))
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.lines, [])
        let site = try XCTUnwrap(generated)
        let themeScript = try NSRegularExpression(pattern: #"^/assets/app\.[0-9a-f]+\.js$"#)
        var checked = 0
        for file in site.files where !file.path.hasPrefix("assets/") {
            let text = String(decoding: file.bytes, as: UTF8.self)
            let where_ = "in \(file.path)"
            // iCalendar TEXT is plain text (RFC 5545 §3.3.11), served as text/calendar: it
            // is HTML nowhere, and HTML escapes would show as such in calendar applications.
            // Its own escapes are checked below.
            if file.path.hasSuffix(".ics") { continue }
            if file.path.hasSuffix(".csv") {
                // Data for spreadsheets, which has no escaping but quoting: the text as
                // written, served as text/csv with nosniff (docs/nginx), never a formula
                // (SLAOverviewTests).
                XCTAssertFalse(text.contains(",=") || text.contains(",+") || text.contains(",@"), where_)
                continue
            }
            // The payload never comes through raw, in any other format.
            XCTAssertFalse(text.contains("<script>alert"), where_)
            XCTAssertFalse(text.contains("<img src=x"), where_)
            XCTAssertFalse(text.contains("\"'><"), where_)
            if file.path.hasSuffix(".json") {
                // JSON escapes `<`, `>` and `&`, so it is safe in a <script> element too.
                XCTAssertFalse(text.contains("<") || text.contains(">"), where_)
                continue
            }
            for tag in tags(text) {
                checked += 1
                for (attribute, value) in tag.attributes {
                    XCTAssertFalse(attribute.hasPrefix("on"), "event handler \(tag.source) \(where_)")
                    if ["href", "src", "action", "formaction", "xlink:href", "poster", "data"].contains(attribute) {
                        XCTAssertTrue(URLSafety.isSafe(value, isImage: attribute == "src"), "script URL \(tag.source) \(where_)")
                    }
                }
                if tag.name == "script" {
                    let src = tag.attributes.first { $0.0 == "src" }?.1 ?? ""
                    XCTAssertNotNil(themeScript.firstMatch(in: src, range: NSRange(location: 0, length: (src as NSString).length)),
                                    "a script that is not the theme's: \(tag.source) \(where_)")
                    XCTAssertEqual(tag.attributes.map(\.0), ["src", "defer"], where_)
                }
                XCTAssertFalse(tag.name == "img" && tag.attributes.contains { $0 == ("src", "x") }, "the payload's image: \(tag.source) \(where_)")
            }
        }
        XCTAssertGreaterThan(checked, 1000)

        // The payload does arrive, escaped for each context: the audit is not vacuous.
        let escapedHTML = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=alert(1)&gt;"
        let sheet = try XCTUnwrap(site.text("fr/services/messagerie/index.html"))
        XCTAssertContains(sheet, "<h1>\(escapedHTML)</h1>")
        XCTAssertContains(sheet, "<meta name=\"description\" content=\"\(escapedHTML)\">")
        XCTAssertContains(sheet, "<code>\(escapedHTML.replacingOccurrences(of: "&#39;", with: "'"))</code>")
        XCTAssertContains(sheet, "<!-- raw HTML omitted -->")
        XCTAssertContains(sheet, "<a href=\"\">lien</a>")
        XCTAssertContains(sheet, "aria-label=\"\(escapedHTML)\"")
        XCTAssertContains(site.text("fr/incidents/panne/index.html"), escapedHTML)
        XCTAssertContains(site.text("fr/feed.xml"), "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;&amp;quot;&amp;#39;&amp;gt;")
        XCTAssertContains(site.text("badges/messagerie.svg"), "<title>&lt;script&gt;alert(1)&lt;/script&gt;&quot;&apos;&gt;&lt;img src=x onerror=alert(1)&gt;: uptime 30d")
        XCTAssertContains(site.text("api/services.json"), #""title": "\u003cscript\u003ealert(1)\u003c/script\u003e\"'\u003e\u003cimg src=x onerror=alert(1)\u003e""#)
        XCTAssertContains(site.text("search/index.fr.json"), #"\u003cscript\u003ealert(1)"#)
        XCTAssertContains(site.text("fr/maintenance.ics")?.replacingOccurrences(of: "\r\n ", with: ""),
                          #"SUMMARY;LANGUAGE=fr:<script>alert(1)</script>"'><img src=x onerror=alert(1)>\#r\#n"#)
    }
}
