import Foundation
import XCTest
import YourICTTestSupport
@testable import YourICTSupport
@testable import YourICTFormats
@testable import YourICTSite

/// End to end: a small site built into a temporary folder, as users run it.
final class BuildTests: XCTestCase {
    /// The writer's path check, on bytes, against its definition: no segment empty, `.`
    /// or `..`, no leading `/` — over every short path made of those pieces.
    func testSafeRelativePathsMatchTheirDefinition() {
        func reference(_ path: String) -> Bool {
            guard !path.isEmpty, !path.hasPrefix("/") else { return false }
            return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != ".." && $0 != "." }
        }
        let pieces = ["", "/", ".", "..", "...", "a", ".a", "a.", "é", "index.html"]
        var paths = [""]
        for _ in 0..<4 { paths = paths.flatMap { p in pieces.map { p + $0 } } }
        var unsafe = 0
        for path in Set(paths) {
            XCTAssertEqual(OutputWriter.isSafeRelativePath(path), reference(path), path.debugDescription)
            if !reference(path) { unsafe += 1 }
        }
        XCTAssertGreaterThan(unsafe, 1000)
        XCTAssertTrue(OutputWriter.isSafeRelativePath("fr/services/messagerie/index.html"))
    }

    func testBuildsEveryPageWithExpectedFragments() throws {
        let (site, diagnostics) = SiteFixture().generate()
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.lines, [])
        let site2 = try XCTUnwrap(site)
        let sheet = site2.text("fr/services/messagerie/index.html")
        XCTAssertContains(sheet, "<html lang=\"fr\" dir=\"ltr\">")
        XCTAssertContains(sheet, "<h1>Messagerie</h1>")
        XCTAssertContains(sheet, "<h3 id=\"pack_standard\">Pack standard</h3>")
        XCTAssertContains(sheet, "<li>50 Go</li><li>Antispam</li>")
        XCTAssertContains(sheet, "<tr><th scope=\"row\">Archivage</th><td>Conservation légale.</td></tr>")
        // Service levels: the sheet's own (critical) and the one of pack "plus" (standard).
        XCTAssertContains(sheet, "<tr><th scope=\"row\">Critique</th><td class=\"num\">99,9\u{202F}%</td><td>24h/24</td><td class=\"num\">43,2 min</td><td>Pack standard</td></tr>")
        XCTAssertContains(sheet, "<tr><th scope=\"row\">Standard</th><td class=\"num\">99,5\u{202F}%</td><td>24h/24</td><td class=\"num\">216,0 min (3 h 36 min)</td><td>Pack plus</td></tr>")
        XCTAssertContains(sheet, "<li><a href=\"mailto:ann@example.org\">ann<wbr>@example<wbr>.org</a></li>")
        XCTAssertContains(sheet, "<li><a href=\"tel:+3220000001\">+32 2 000 00 01</a></li>")
        // The .md link is rewritten to the page's URL, its anchor kept.
        XCTAssertContains(sheet, "<a href=\"/fr/support/#helpdesk\">support</a>")
        // The language switcher links to the same page in the other language.
        XCTAssertContains(sheet, "<a href=\"/nl/services/messagerie/\" lang=\"nl\" hreflang=\"nl\">Nederlands</a>")
        XCTAssertContains(sheet, "<a class=\"skip-link\" href=\"#main\">Aller au contenu</a>")

        let catalogue = site2.text("fr/catalogue/index.html")
        XCTAssertContains(catalogue, "<h2 id=\"cat_communication\">Communication <span class=\"count\">(1)</span></h2>")
        XCTAssertContains(catalogue, "<abbr title=\"Software as a Service")

        XCTAssertContains(site2.text("index.html"), "<a href=\"/nl/\" hreflang=\"nl\"><span class=\"choice-name\">Nederlands</span>")
        XCTAssertContains(site2.text("sitemap.xml"), "<loc>https://status.example.org/fr/services/messagerie/</loc>")
        XCTAssertContains(site2.text("sitemap.xml"), "<xhtml:link rel=\"alternate\" hreflang=\"nl\" href=\"https://status.example.org/nl/services/messagerie/\"/>")
        XCTAssertContains(site2.text("robots.txt"), "Sitemap: https://status.example.org/sitemap.xml")
        XCTAssertNotNil(site2.text("404.html"))
        XCTAssertTrue(site2.files.contains { $0.path.hasPrefix("assets/style.") && $0.path.hasSuffix(".css") })
    }

    /// A service's page lists its keywords, each a link to its filter page (but one with no
    /// letter or digit, which has none); a retired service's page, on no filter page, does not.
    func testAServicePageLinksItsKeywords() throws {
        let sheet = SiteFixture.mailSheet.replacingOccurrences(of: "service_level: critical\n", with: "service_level: critical\ntags: [Courriel, \"???\"]\n")
        let (site, _) = SiteFixture(["content/services/messagerie.md": sheet]).generate()
        XCTAssertContains(site?.text("fr/services/messagerie/index.html"),
                          "<div><dt>Mots-clés</dt><dd><ul class=\"chips\"><li><a href=\"/fr/catalogue/tag/courriel/\">Courriel</a></li></ul></dd></div>")
        XCTAssertContains(site?.text("nl/services/messagerie/index.html"), "<ul class=\"chips\" lang=\"fr\"><li><a href=\"/nl/catalogue/tag/courriel/\">Courriel</a></li></ul>")
        let retired = sheet.replacingOccurrences(of: "delivery: SaaS", with: "delivery: SaaS\nlifecycle: {stage: retired, since: 2026-10-01}")
        let (gone, _) = SiteFixture(["content/services/messagerie.md": retired]).generate()
        XCTAssertNotContains(gone?.text("fr/services/messagerie/index.html"), "Mots-clés")
    }

    /// The site's notice is inside the banner landmark, where assistive technology finds
    /// it with the header (axe: "all content should be contained by landmarks").
    func testTheNoticeIsInsideTheBanner() throws {
        var fixture = SiteFixture()
        fixture.files["content/site.yaml"] = SiteFixture.siteYAML + "notice: Site de démonstration.\n"
        let (site, _) = fixture.generate()
        XCTAssertContains(site?.text("fr/index.html"), "<header class=\"site-header\">\n<div class=\"site-notice\" role=\"note\"><p class=\"wrap\">Site de démonstration.</p></div>\n")
    }

    /// `serve` answers /__yourict/ itself: a static file there is published by a build but
    /// hidden in the preview, which a warning says.
    func testAStaticFileWhereThePreviewAnswersIsAWarning() throws {
        let (site, diagnostics) = SiteFixture(["static/__yourict/live.js": "x", "static/logo.svg": "<svg/>"]).generate()
        XCTAssertEqual(diagnostics.filter { $0.location?.path.hasPrefix("static/") == true }.lines,
                       ["static/__yourict/live.js:1:1: warning: static/__yourict/ is where `yourict serve` answers its own files: the preview does not show this one"])
        XCTAssertEqual(site?.text("__yourict/live.js"), "x")
    }

    func testMissingTranslationFallsBackMarkedWithLang() throws {
        let (site, _) = SiteFixture().generate()
        let nl = try XCTUnwrap(site?.text("nl/services/messagerie/index.html"))
        XCTAssertContains(nl, "<html lang=\"nl\"")
        XCTAssertContains(nl, "<p class=\"fallback-notice\" role=\"note\">Deze pagina is nog niet vertaald")
        // The untranslated text is marked French; the Dutch interface around it is not.
        XCTAssertContains(nl, "<h1 lang=\"fr\">Messagerie</h1>")
        // A link from the French text to a heading of the untranslated support page still works.
        XCTAssertContains(nl, "href=\"/nl/support/#helpdesk\"")
    }

    func testBaseURLWithAPathPrefixesEveryLink() throws {
        let (site, _) = SiteFixture().generate(BuildSettings(baseURL: "https://intranet.example.org/ict/status/"))
        let page = try XCTUnwrap(site?.text("fr/catalogue/index.html"))
        XCTAssertContains(page, "href=\"/ict/status/fr/services/messagerie/\"")
        XCTAssertContains(page, "href=\"/ict/status/assets/style.")
        XCTAssertContains(site?.text("sitemap.xml"), "<loc>https://intranet.example.org/ict/status/fr/catalogue/</loc>")
    }

    func testTemplateValuesAreEscaped() throws {
        let sheet = SiteFixture.mailSheet
            .replacingOccurrences(of: "title: Messagerie", with: "title: \"<script>alert(1)</script>\"")
            .replacingOccurrences(of: "summary: Le courriel des agents.", with: "summary: '\" onmouseover=\"x()'")
        let (site, _) = SiteFixture(["content/services/messagerie.md": sheet]).generate()
        let html = try XCTUnwrap(site?.text("fr/services/messagerie/index.html"))
        XCTAssertNotContains(html, "<script>alert")
        XCTAssertContains(html, "&lt;script&gt;alert(1)&lt;/script&gt;")
        XCTAssertNotContains(html, "\" onmouseover=\"")
    }

    func testBrokenLinksAndAnchorsAreErrors() {
        let page = "---\ntitle: X\n---\n[a](missing.md) [b](support.md#nowhere) [c](/fr/nope/) [d](#here)\n\n## Here\n"
        let (site, diagnostics) = SiteFixture(["content/pages/x.md": page]).generate()
        XCTAssertNil(site)
        let lines = diagnostics.lines
        XCTAssertTrue(lines.contains("content/pages/x.md:4:1: error: broken link `missing.md`: there is no page `missing`"), "\(lines)")
        XCTAssertTrue(lines.contains("content/pages/x.md:4:17: error: broken anchor `#nowhere` in `support.md#nowhere`: pages/support has no such heading"), "\(lines)")
        XCTAssertTrue(lines.contains("content/pages/x.md:4:41: error: broken link `/fr/nope/`: the site has no page at /fr/nope/"), "\(lines)")
        XCTAssertEqual(lines.filter { $0.contains("#here") }, [])
    }

    /// Each form of link a sheet may hold, rewritten (or left) as written.
    func testLinkFormsAreRewrittenOrLeft() throws {
        let page = "---\ntitle: X\n---\n[a](support.md) [b](../services/messagerie.md?v=1) [c](https://example.org/x.md) "
            + "[d](mailto:a@example.org) [e](//cdn.example.org/y.md) [f](/fr/catalogue/?q=1#f) [g](#here) [h](é:x.md) [i](./support.md)\n\n## Here\n"
        let (site, diagnostics) = SiteFixture(["content/pages/x.md": page]).generate()
        let html = try XCTUnwrap(site?.text("fr/x/index.html"), "\(diagnostics.lines)")
        XCTAssertContains(html, "<a href=\"/fr/support/\">a</a>")
        XCTAssertContains(html, "<a href=\"/fr/services/messagerie/?v=1\">b</a>")
        XCTAssertContains(html, "<a href=\"https://example.org/x.md\">c</a>")
        XCTAssertContains(html, "<a href=\"mailto:a@example.org\">d</a>")
        XCTAssertContains(html, "<a href=\"//cdn.example.org/y.md\">e</a>")
        XCTAssertContains(html, "<a href=\"/fr/catalogue/?q=1#f\">f</a>")
        XCTAssertContains(html, "<a href=\"#here\">g</a>")
        XCTAssertContains(html, "<a href=\"%C3%A9:x.md\">h</a>")
        XCTAssertContains(html, "<a href=\"/fr/support/\">i</a>")
        // `.MD` is taken for a content link, and content files end in lowercase `.md`.
        let (_, upper) = SiteFixture(["content/pages/x.md": "---\ntitle: X\n---\n[a](support.MD)\n"]).generate()
        XCTAssertEqual(upper.lines, ["content/pages/x.md:4:1: error: broken link `support.MD`: it does not point to a content file"])
    }

    func testBrokenLinksCanBeWarnings() {
        let yaml = SiteFixture.siteYAML + "links: {broken: warning}\n"
        let (site, diagnostics) = SiteFixture(["content/site.yaml": yaml, "content/pages/x.md": "---\ntitle: X\n---\n[a](missing.md)\n"]).generate()
        XCTAssertNotNil(site)
        XCTAssertEqual(diagnostics.filter { $0.message.hasPrefix("broken link") }.map(\.severity), [.warning])
    }

    func testMissingPartialIsAnError() {
        var fixture = SiteFixture()
        fixture.files["templates/page.mustache"] = "{{<base}}{{$main}}{{> partials/nope}}{{/main}}{{/base}}"
        let (site, diagnostics) = fixture.generate()
        XCTAssertNil(site)
        XCTAssertTrue(diagnostics.lines.contains("templates/page.mustache:1:19: error: the template includes `partials/nope`, which does not exist"), "\(diagnostics.lines)")
    }

    /// A page template with a syntax error has that error only, not also "the theme has no
    /// `page` template"; one really missing still gets it.
    func testABrokenRequiredTemplateIsNotAlsoMissing() throws {
        var fixture = SiteFixture()
        fixture.files["templates/page.mustache"] = "{{<base}}{{$main}}{{#fallback}}{{/main}}{{/base}}"
        let root = try fixture.writeToDisk()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.removeItem(at: root.appendingPathComponent("templates/incident.mustache"))
        let result = Builder.run(source: root, output: nil, settings: BuildSettings(), strict: false, keepFiles: false)
        let errors = result.diagnostics.filter { $0.severity == .error }.lines
        XCTAssertTrue(errors.contains { $0.hasPrefix("templates/page.mustache:1:") && $0.contains("template syntax") }, "\(errors)")
        XCTAssertFalse(errors.contains { $0.contains("the theme has no `page` template") }, "\(errors)")
        XCTAssertTrue(errors.contains("templates/incident.mustache:1:1: error: the theme has no `incident` template"), "\(errors)")
    }

    /// A page template saved blank (or truncated) published every page of its kind empty,
    /// with no word and exit 0, even with `--strict`.
    func testAnEmptyPageTemplateIsAnError() {
        var fixture = SiteFixture()
        fixture.files["templates/service.mustache"] = "\n  \n"
        let (site, diagnostics) = fixture.generate(BuildSettings(now: Timestamp(rfc3339: "2026-10-31T00:00:00Z")))
        XCTAssertNil(site)
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.lines,
                       ["templates/service.mustache:1:1: error: the `service` template is empty: its pages would be blank"])
        // A partial may be empty: it shows nothing on purpose.
        fixture.files["templates/service.mustache"] = nil
        fixture.files["templates/partials/subscribe.mustache"] = ""
        XCTAssertEqual(fixture.generate(BuildSettings(now: Timestamp(rfc3339: "2026-10-31T00:00:00Z"))).1.filter { $0.severity == .error }.lines, [])
    }

    /// A refused `base_url` is one error, not also a warning that it is not set.
    func testARefusedBaseURLIsNotAlsoMissing() {
        let yaml = SiteFixture.siteYAML.replacingOccurrences(of: "base_url: https://status.example.org/", with: "base_url: status.example.org")
        let (_, diagnostics) = SiteFixture(["content/site.yaml": yaml]).generate()
        XCTAssertEqual(diagnostics.filter { $0.message.contains("base_url") }.lines,
                       ["content/site.yaml:2:1: error: `base_url` must be an absolute http(s) URL, found `status.example.org`"])
    }

    /// A typo in a theme string's key would blank that text on every page: a warning at
    /// the key, with the closest known one. The default theme has none.
    func testAnUnknownThemeStringIsAWarningAtItsKey() {
        let (_, clean) = SiteFixture().generate()
        XCTAssertEqual(clean.filter { $0.message.contains("is in no file of i18n/") }.lines, [])
        var fixture = SiteFixture()
        fixture.files["templates/page.mustache"] = "{{<base}}{{$main}}\n<h2>{{t.read_mroe}}</h2>{{#t.nope}}x{{/t.nope}}{{t.zzzzzzzzzzzz}}{{/main}}{{/base}}"
        let (site, diagnostics) = fixture.generate()
        XCTAssertNotNil(site)
        XCTAssertEqual(diagnostics.filter { $0.message.contains("is in no file of i18n/") }.map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0) \($0.message) \($0.hint ?? "")" }, [
            "2:9 `t.read_mroe` is in no file of i18n/: it prints nothing did you mean `t.read_more`?",
            "2:30 `t.nope` is in no file of i18n/: it prints nothing did you mean `t.none`?",
            "2:42 `t.nope` is in no file of i18n/: it prints nothing did you mean `t.none`?",
            "2:52 `t.zzzzzzzzzzzz` is in no file of i18n/: it prints nothing add `zzzzzzzzzzzz:` under `strings:` in i18n/<language>.yaml",
        ])
    }

    // MARK: On disk

    func testBuildIsDeterministicAndAtomic() throws {
        let root = try SiteFixture().writeToDisk()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("public")
        let first = Builder.run(source: root, output: output, settings: BuildSettings(), strict: false)
        XCTAssertTrue(first.succeeded, "\(first.diagnostics.lines) \(String(describing: first.writeError))")
        XCTAssertNotNil(first.summary?.range(of: #"^Built \d+ pages \(1 service, 0 incidents\) in \d+ ms$"#, options: .regularExpression))
        let snapshot1 = try snapshot(output)

        let second = Builder.run(source: root, output: output, settings: BuildSettings(), strict: false)
        XCTAssertTrue(second.succeeded)
        XCTAssertEqual(try snapshot(output), snapshot1, "two builds of the same input differ")

        // A broken sheet: errors, and the previous output is left exactly as it was.
        try "---\ntitle: [broken\n---\n".write(to: root.appendingPathComponent("content/services/messagerie.md"), atomically: true, encoding: .utf8)
        let third = Builder.run(source: root, output: output, settings: BuildSettings(), strict: false)
        XCTAssertFalse(third.succeeded)
        XCTAssertEqual(third.diagnostics.first?.location?.path, "content/services/messagerie.md")
        XCTAssertEqual(try snapshot(output), snapshot1)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.contains("staging") || $0.contains(".old-") }
        XCTAssertEqual(leftovers, [])
    }

    func testNothingChangedReusesTheOutputAndAnyChangeRebuilds() throws {
        let root = try SiteFixture().writeToDisk()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("public")
        let first = Builder.run(source: root, output: output, settings: BuildSettings(), strict: false)
        XCTAssertTrue(first.succeeded)
        XCTAssertNil(first.reused)
        let snapshot1 = try snapshot(output)

        let second = Builder.run(source: root, output: output, settings: BuildSettings(), strict: false)
        XCTAssertNotNil(second.reused)
        XCTAssertTrue(second.summary?.hasSuffix("(nothing changed)") ?? false)
        XCTAssertEqual(try snapshot(output), snapshot1)

        // Other settings: a real build.
        XCTAssertNil(Builder.run(source: root, output: output, settings: BuildSettings(baseURL: "https://other.example.org/"), strict: false).reused)
        XCTAssertNil(Builder.run(source: root, output: output, settings: BuildSettings(), strict: false).reused)
        XCTAssertNotNil(Builder.run(source: root, output: output, settings: BuildSettings(), strict: false).reused)

        // A touched source file, a removed output file: a real build, same bytes as a clean one.
        let page = root.appendingPathComponent("content/pages/support.md")
        try String(contentsOf: page, encoding: .utf8).appending("\nUne ligne de plus.\n").write(to: page, atomically: true, encoding: .utf8)
        let edited = Builder.run(source: root, output: output, settings: BuildSettings(), strict: false)
        XCTAssertNil(edited.reused)
        XCTAssertContains(try String(contentsOf: output.appendingPathComponent("fr/support/index.html"), encoding: .utf8), "Une ligne de plus.")
        try FileManager.default.removeItem(at: output.appendingPathComponent("fr/support/index.html"))
        XCTAssertNil(Builder.run(source: root, output: output, settings: BuildSettings(), strict: false).reused)
        let clean = root.appendingPathComponent("clean")
        XCTAssertTrue(Builder.run(source: root, output: clean, settings: BuildSettings(), strict: false, useCache: false).succeeded)
        XCTAssertEqual(try snapshot(output), try snapshot(clean))

        // Hidden files (an editor's swap file) are not inputs: the cache still holds.
        XCTAssertNil(Builder.run(source: root, output: output, settings: BuildSettings(), strict: false).reused)
        XCTAssertNotNil(Builder.run(source: root, output: output, settings: BuildSettings(), strict: false).reused)
        try "swap".write(to: root.appendingPathComponent("content/pages/.support.md.swp"), atomically: true, encoding: .utf8)
        XCTAssertNotNil(Builder.run(source: root, output: output, settings: BuildSettings(), strict: false).reused)

        // --no-cache forgets the manifest: the next build cannot trust it and builds.
        XCTAssertTrue(Builder.run(source: root, output: output, settings: BuildSettings(), strict: false, useCache: false).succeeded)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent(".yourict-cache/manifest.json").path))
        XCTAssertNil(Builder.run(source: root, output: output, settings: BuildSettings(), strict: false).reused)
    }

    /// The cache records the output's digest from what the writer wrote; it must be the
    /// digest a walk of the folder gives, or no build would ever be reused. Names that sort
    /// differently as whole paths and segment by segment (`a` / `a-b` / `a.txt`), nesting,
    /// hidden entries, and a recycled previous output whose files are kept, rewritten or
    /// removed.
    func testWrittenDigestIsTheDigestOfTheFolder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("yourict-digest-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("public")
        func walked() -> String {
            var digester = TreeDigester()
            digester.add(tree: output.path, as: "")
            return digester.value
        }
        let writer = OutputWriter(output: output, source: root.appendingPathComponent("site"))
        let first = ["a/x.html", "a-b/y.html", "a.txt", "a/b/c/d.json", "a/b.txt", "b", "z/.hidden", ".well-known/k", "é/f", "A/g"]
        var staging = try writer.begin()
        // One build at a time into an output: a second is refused until the first is done
        // (two cron runs swapped in one after the other, the older data possibly last).
        XCTAssertThrowsError(try OutputWriter(output: output, source: root.appendingPathComponent("site")).begin()) { error in
            XCTAssertEqual("\(error)", "another build into \(output.standardizedFileURL.path) is running")
        }
        for (i, path) in first.enumerated() { staging.write(OutputFile(path: path, text: String(repeating: "x", count: i))) }
        try staging.commit(paths: first)
        XCTAssertEqual(staging.writtenDigest(), walked())

        // Twice more, so that the previous output is recycled: one file kept as it is, one
        // rewritten with other bytes, one gone, one new, a file where a folder was.
        for round in 0..<2 {
            let next = ["a/x.html", "a-b/y.html", "a.txt", "a/b", "new/\(round)/n.html", "é/f"]
            staging = try writer.begin()
            for path in next { staging.write(OutputFile(path: path, text: path == "a.txt" ? "changed \(round)" : "x")) }
            try staging.commit(paths: next)
            XCTAssertEqual(staging.writtenDigest(), walked(), "round \(round)")
        }
        var other = TreeDigester()
        other.add(files: [.init(path: "a.txt", size: 1, mtime: 1)], as: "")
        XCTAssertNotEqual(other.value, walked())
    }

    func testEnvironmentFlagsAreOffWhenEmptyOrZero() {
        XCTAssertFalse(EnvironmentFlag.isOn("X", [:]))
        XCTAssertFalse(EnvironmentFlag.isOn("X", ["X": ""]))
        XCTAssertFalse(EnvironmentFlag.isOn("X", ["X": "0"]))
        XCTAssertFalse(EnvironmentFlag.isOn("X", ["X": " 0 "]))
        XCTAssertTrue(EnvironmentFlag.isOn("X", ["X": "1"]))
        XCTAssertTrue(EnvironmentFlag.isOn("X", ["X": "yes"]))
        XCTAssertTrue(BuildCache.binaryIdentity().contains("cmark-gfm 0."), BuildCache.binaryIdentity())
    }

    func testStrictTurnsWarningsIntoErrors() throws {
        let sheet = SiteFixture.mailSheet.replacingOccurrences(of: "summary:", with: "teaser: x\nsummary:")
        let root = try SiteFixture(["content/services/messagerie.md": sheet]).writeToDisk()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("public")
        XCTAssertTrue(Builder.run(source: root, output: output, settings: BuildSettings(), strict: false).succeeded)
        let strict = Builder.run(source: root, output: root.appendingPathComponent("public2"), settings: BuildSettings(), strict: true)
        XCTAssertFalse(strict.succeeded)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("public2").path))
    }

    /// A build with warnings is cached too: reusing it prints the same warnings, and
    /// `--strict` still fails on them.
    func testReusedBuildsRepeatTheirWarnings() throws {
        let sheet = SiteFixture.mailSheet.replacingOccurrences(of: "summary:", with: "teaser: x\nsummary:")
        let root = try SiteFixture(["content/services/messagerie.md": sheet]).writeToDisk()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("public")
        let first = Builder.run(source: root, output: output, settings: BuildSettings(), strict: false)
        XCTAssertTrue(first.succeeded)
        XCTAssertNil(first.reused)
        XCTAssertFalse(first.diagnostics.isEmpty)
        XCTAssertTrue(first.diagnostics.allSatisfy { $0.severity == .warning })

        let second = Builder.run(source: root, output: output, settings: BuildSettings(), strict: false)
        XCTAssertTrue(second.succeeded)
        XCTAssertNotNil(second.reused)
        XCTAssertEqual(second.diagnostics, first.diagnostics)

        let snapshot1 = try snapshot(output)
        let strict = Builder.run(source: root, output: output, settings: BuildSettings(), strict: true)
        XCTAssertFalse(strict.succeeded)
        XCTAssertEqual(strict.diagnostics.map(\.message), first.diagnostics.map(\.message))
        XCTAssertTrue(strict.diagnostics.allSatisfy { $0.severity == .error })
        XCTAssertEqual(try snapshot(output), snapshot1)

        // Warnings that cannot be read back: not reused, rebuilt (and recorded again).
        try "[]".write(to: root.appendingPathComponent(".yourict-cache/warnings.json"), atomically: true, encoding: .utf8)
        let rebuilt = Builder.run(source: root, output: output, settings: BuildSettings(), strict: false)
        XCTAssertNil(rebuilt.reused)
        XCTAssertEqual(rebuilt.diagnostics, first.diagnostics)
        XCTAssertNotNil(Builder.run(source: root, output: output, settings: BuildSettings(), strict: false).reused)

        // Fixed: no warnings, and none replayed.
        try SiteFixture.mailSheet.write(to: root.appendingPathComponent("content/services/messagerie.md"), atomically: true, encoding: .utf8)
        XCTAssertEqual(Builder.run(source: root, output: output, settings: BuildSettings(), strict: false).diagnostics, [])
        let clean = Builder.run(source: root, output: output, settings: BuildSettings(), strict: false)
        XCTAssertNotNil(clean.reused)
        XCTAssertEqual(clean.diagnostics, [])
    }

    func testRecyclesThePreviousOutputSafely() throws {
        let root = try SiteFixture().writeToDisk()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("public")
        let previous = root.appendingPathComponent(".public.previous")
        let fm = FileManager.default
        func build() -> Builder.Result { Builder.run(source: root, output: output, settings: BuildSettings(), strict: false, useCache: false) }
        XCTAssertTrue(build().succeeded)
        XCTAssertFalse(fm.fileExists(atPath: previous.path), "the first build has nothing to keep")
        XCTAssertTrue(build().succeeded)
        XCTAssertTrue(fm.fileExists(atPath: previous.appendingPathComponent(OutputWriter.marker).path), "the swapped-out output is kept to be recycled")

        // The recycled folder is tampered with: a stale file, a changed file, a link out of
        // it where a folder of the site goes, a link where a file goes.
        let outside = root.appendingPathComponent("outside")
        try fm.createDirectory(at: outside, withIntermediateDirectories: true)
        try "stale".write(to: previous.appendingPathComponent("stale.html"), atomically: true, encoding: .utf8)
        try "changed".write(to: previous.appendingPathComponent("fr/index.html"), atomically: true, encoding: .utf8)
        try fm.removeItem(at: previous.appendingPathComponent("fr/support"))
        try fm.createSymbolicLink(at: previous.appendingPathComponent("fr/support"), withDestinationURL: outside)
        try fm.removeItem(at: previous.appendingPathComponent("robots.txt"))
        try fm.createSymbolicLink(at: previous.appendingPathComponent("robots.txt"), withDestinationURL: outside.appendingPathComponent("robots.txt"))
        // A folder where a file of the site goes, and a file where a folder goes.
        try fm.removeItem(at: previous.appendingPathComponent("404.html"))
        try fm.createDirectory(at: previous.appendingPathComponent("404.html/inner"), withIntermediateDirectories: true)
        try "x".write(to: previous.appendingPathComponent("404.html/inner/x.txt"), atomically: true, encoding: .utf8)
        try fm.removeItem(at: previous.appendingPathComponent("search"))
        try "not a folder".write(to: previous.appendingPathComponent("search"), atomically: true, encoding: .utf8)
        let unchanged = previous.appendingPathComponent("sitemap.xml")
        let old = Date(timeIntervalSince1970: 1_700_000_000)
        try fm.setAttributes([.modificationDate: old], ofItemAtPath: unchanged.path)
        let servedSitemap = try XCTUnwrap(fm.attributesOfItem(atPath: output.appendingPathComponent("sitemap.xml").path)[.modificationDate] as? Date)
        XCTAssertGreaterThan(servedSitemap, old)

        XCTAssertTrue(build().succeeded)
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: outside.path), [], "nothing was written through a link")
        let clean = root.appendingPathComponent("clean")
        XCTAssertTrue(Builder.run(source: root, output: clean, settings: BuildSettings(), strict: false, useCache: false).succeeded)
        XCTAssertEqual(try snapshot(output), try snapshot(clean), "a recycled build is byte-identical to a fresh one")
        XCTAssertEqual(try fm.attributesOfItem(atPath: output.appendingPathComponent("sitemap.xml").path)[.modificationDate] as? Date, servedSitemap,
                       "an unchanged file keeps the modification time readers know (not the older one of the recycled copy)")

        // A folder of that name that yourict did not write is never used.
        try fm.removeItem(at: previous)
        try fm.createDirectory(at: previous, withIntermediateDirectories: true)
        try "mine".write(to: previous.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        XCTAssertTrue(build().succeeded)
        XCTAssertEqual(try String(contentsOf: previous.appendingPathComponent("notes.txt"), encoding: .utf8), "mine")
        XCTAssertEqual(try snapshot(output), try snapshot(clean))
    }

    /// A file whose bytes go back to those of two builds ago (a badge up, down, up again)
    /// is the recycled copy, left as it was: its modification time, the `Last-Modified`
    /// caches revalidate with, must not go back to that build's, or a cache holding the
    /// last build's bytes is told they are not modified. Unchanged since the last build,
    /// a file keeps that build's time; rewritten, it has a newer one.
    func testAFileBackToItsBytesOfTwoBuildsAgoIsNotOlderThanTheLastOne() throws {
        let root = try SiteFixture().writeToDisk()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("public")
        let fm = FileManager.default
        let support = root.appendingPathComponent("content/pages/support.md")
        let original = try String(contentsOf: support, encoding: .utf8)
        func build() throws -> (page: Date, robots: Date) {
            XCTAssertTrue(Builder.run(source: root, output: output, settings: BuildSettings(now: Timestamp(rfc3339: "2026-10-31T00:00:00Z")),
                                      strict: false, useCache: false).succeeded)
            func time(_ path: String) throws -> Date {
                try XCTUnwrap(fm.attributesOfItem(atPath: output.appendingPathComponent(path).path)[.modificationDate] as? Date)
            }
            return (try time("fr/support/index.html"), try time("robots.txt"))
        }
        let first = try build()
        try (original + "\nUne ligne de plus.\n").write(to: support, atomically: true, encoding: .utf8)
        let second = try build()
        XCTAssertGreaterThan(second.page, first.page)
        try original.write(to: support, atomically: true, encoding: .utf8)
        let third = try build()
        XCTAssertGreaterThan(third.page, second.page, "back to the bytes of the first build, the page must still look newer than the second's")
        // The second build had nothing to recycle (it wrote every file); the third recycles
        // the first's output, whose robots.txt is older than the one served.
        XCTAssertGreaterThan(second.robots, first.robots)
        XCTAssertEqual(third.robots, second.robots, "a file unchanged since the last build keeps its time")
    }

    func testAWrittenBuildIsTheGeneratedSiteByteForByte() throws {
        // A build writes each file as it is made (large documents in pieces); the site
        // generated in memory is the reference.
        let root = try SiteFixture().writeToDisk()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("public")
        let written = Builder.run(source: root, output: output, settings: BuildSettings(), strict: false)
        XCTAssertTrue(written.succeeded)
        XCTAssertEqual(written.site?.streamed, true)
        XCTAssertEqual(written.site?.files.allSatisfy { $0.bytes.isEmpty }, true, "a written build keeps no file in memory")
        let inMemory = try XCTUnwrap(Builder.run(source: root, output: nil, settings: BuildSettings(), strict: false).site)
        XCTAssertFalse(inMemory.streamed)
        var expected = Dictionary(uniqueKeysWithValues: inMemory.files.map { ($0.path, Data($0.bytes)) })
        var onDisk = try snapshot(output)
        onDisk[OutputWriter.marker] = nil
        XCTAssertEqual(Set(onDisk.keys), Set(expected.keys))
        for (path, bytes) in onDisk where expected[path] != bytes { XCTFail("\(path) differs from the generated file") }
        expected.removeAll()
        // `check` makes every file too, and keeps none.
        let checked = try XCTUnwrap(Builder.run(source: root, output: nil, settings: BuildSettings(), strict: false, keepFiles: false).site)
        XCTAssertEqual(checked.files.map(\.path), inMemory.files.map(\.path))
        XCTAssertTrue(checked.files.allSatisfy { $0.bytes.isEmpty })
    }

    func testAFailureFoundAfterFilesWereWrittenLeavesEverythingAsItWas() throws {
        let root = try SiteFixture().writeToDisk()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("public")
        let fm = FileManager.default
        func build() -> Builder.Result { Builder.run(source: root, output: output, settings: BuildSettings(), strict: false, useCache: false) }
        XCTAssertTrue(build().succeeded)
        XCTAssertTrue(build().succeeded)
        let before = try snapshot(output)
        // A static file on the path of a page: found once every page has been written.
        try fm.createDirectory(at: root.appendingPathComponent("static/fr"), withIntermediateDirectories: true)
        try "clash".write(to: root.appendingPathComponent("static/fr/index.html"), atomically: true, encoding: .utf8)
        let beside = try fm.contentsOfDirectory(atPath: root.path).sorted()
        let failed = build()
        XCTAssertFalse(failed.succeeded)
        XCTAssertEqual(failed.diagnostics.filter { $0.severity == .error }.map(\.message), ["two outputs would be written to fr/index.html"])
        XCTAssertEqual(try snapshot(output), before, "the output changed")
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: root.path).sorted(), beside, "a staging folder was left behind")
        XCTAssertTrue(fm.fileExists(atPath: root.appendingPathComponent(".public.previous/\(OutputWriter.marker)").path),
                      "the recycled folder is kept for the next build")
        // Mended: the next build recycles what the failed one wrote, and is a clean build's twin.
        try fm.removeItem(at: root.appendingPathComponent("static/fr"))
        XCTAssertTrue(build().succeeded)
        XCTAssertEqual(try snapshot(output), before)
    }

    func testTheStagingFolderOfAKilledBuildIsRecycledOrRemoved() throws {
        let root = try SiteFixture().writeToDisk()
        defer { try? FileManager.default.removeItem(at: root) }
        let fm = FileManager.default
        let output = root.appendingPathComponent("public")
        XCTAssertTrue(Builder.run(source: root, output: output, settings: BuildSettings(), strict: false, useCache: false).succeeded)
        let reference = try snapshot(output)
        // Two builds killed while writing: their process ids are free.
        var dead: [Int32] = []
        var pid: Int32 = 4_000_000
        while dead.count < 2 && pid > 1000 {
            if kill(pid, 0) != 0 && errno == ESRCH { dead.append(pid) }
            pid -= 7919
        }
        XCTAssertEqual(dead.count, 2)
        for (i, pid) in dead.enumerated() {
            let staging = root.appendingPathComponent(".public.staging-\(pid)")
            try fm.createDirectory(at: staging.appendingPathComponent("fr"), withIntermediateDirectories: true)
            try "half".write(to: staging.appendingPathComponent("fr/index.html"), atomically: true, encoding: .utf8)
            if i == 0 { try "".write(to: staging.appendingPathComponent(OutputWriter.marker), atomically: true, encoding: .utf8) }
        }
        // A folder of a build still running is left alone.
        let running = root.appendingPathComponent(".public.staging-1")
        try fm.createDirectory(at: running, withIntermediateDirectories: true)
        XCTAssertTrue(Builder.run(source: root, output: output, settings: BuildSettings(), strict: false, useCache: false).succeeded)
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: root.path).filter { $0.contains("staging") }, [".public.staging-1"])
        XCTAssertEqual(try snapshot(output), reference)
        // The one with the marker became the recycled folder (it was renamed, then swapped out).
        XCTAssertTrue(fm.fileExists(atPath: root.appendingPathComponent(".public.previous/\(OutputWriter.marker)").path))
    }

    func testAnOutputThatCannotBeCreatedIsExplained() throws {
        let root = try SiteFixture().writeToDisk()
        defer { try? FileManager.default.removeItem(at: root) }
        // The output's parent is a file: nothing can be created there (even by root).
        try "a file".write(to: root.appendingPathComponent("blocker"), atomically: true, encoding: .utf8)
        let result = Builder.run(source: root, output: root.appendingPathComponent("blocker/public"), settings: BuildSettings(), strict: false)
        XCTAssertFalse(result.succeeded)
        let error = try XCTUnwrap(result.writeError)
        XCTAssertEqual(error.description, "cannot create \(root.path)/blocker/.public.lock: Not a directory")
        XCTAssertEqual(error.hint, "the site is written beside the output first; check that you may write into \(root.path)/blocker, or choose another folder with --output")
        XCTAssertEqual(try String(contentsOf: root.appendingPathComponent("blocker"), encoding: .utf8), "a file")
    }

    /// A mount point cannot be renamed over: refused before anything is built, with the
    /// folder to use instead (it failed at the very end with a raw "Device or resource
    /// busy"). Needs `mount` (root, outside a restricted container): skipped otherwise.
    func testAMountPointOutputIsRefusedBeforeBuilding() throws {
        let root = try SiteFixture().writeToDisk()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("public")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        func run(_ arguments: [String]) -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/" + arguments[0])
            process.arguments = Array(arguments.dropFirst())
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return -1 }
            process.waitUntilExit()
            return process.terminationStatus
        }
        guard run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", output.path]) == 0 else { throw XCTSkip("cannot mount a tmpfs here") }
        defer { _ = run(["umount", output.path]) }
        let result = Builder.run(source: root, output: output, settings: BuildSettings(), strict: false)
        XCTAssertEqual(result.writeError?.description, "\(output.path) is a mount point: the site is swapped in with a rename, which cannot replace it")
        XCTAssertEqual(result.writeError?.hint, "build into a folder inside it (--output \(output.path)/site) and serve that folder")
        XCTAssertTrue(Builder.run(source: root, output: output.appendingPathComponent("site"), settings: BuildSettings(), strict: false).succeeded)
    }

    func testRefusesDangerousOutputFolders() throws {
        let root = try SiteFixture().writeToDisk()
        defer { try? FileManager.default.removeItem(at: root) }
        for output in [URL(fileURLWithPath: "/"), FileManager.default.homeDirectoryForCurrentUser, root,
                       root.deletingLastPathComponent(), root.appendingPathComponent("content"),
                       root.appendingPathComponent("content/public"), root.appendingPathComponent("templates")] {
            let result = Builder.run(source: root, output: output, settings: BuildSettings(), strict: false)
            guard case .refused? = result.writeError else { return XCTFail("not refused: \(output.path)") }
        }
        // A non-empty folder yourict did not write is not replaced.
        let foreign = root.appendingPathComponent("foreign")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        try "keep me".write(to: foreign.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let result = Builder.run(source: root, output: foreign, settings: BuildSettings(), strict: false)
        guard case .refused? = result.writeError else { return XCTFail("foreign folder not refused") }
        XCTAssertEqual(try String(contentsOf: foreign.appendingPathComponent("notes.txt"), encoding: .utf8), "keep me")
    }

    func testSymlinkOutOfTheSourceIsNotRead() throws {
        let root = try SiteFixture().writeToDisk()
        defer { try? FileManager.default.removeItem(at: root) }
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("yourict-secret-\(UUID().uuidString).md")
        try "---\ntitle: SECRET\n---\nSECRET\n".write(to: secret, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: secret) }
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("content/pages/leak.md"), withDestinationURL: secret)
        let result = Builder.run(source: root, output: root.appendingPathComponent("public"), settings: BuildSettings(), strict: false)
        XCTAssertFalse(result.succeeded)
        XCTAssertTrue(result.diagnostics.lines.contains { $0.contains("content/pages/leak.md") && $0.contains("outside the source folder") }, "\(result.diagnostics.lines)")
    }

    /// A link back to a folder above, or folders nested thousands deep, under `static/`:
    /// an error naming it, at once — not a crash of the cache's walk (the stack overflowed
    /// on `static/up -> ..`), nor minutes of listing.
    func testAFolderLoopOrAVeryDeepTreeIsAnErrorNotACrash() throws {
        let root = try SiteFixture().writeToDisk()
        defer { try? FileManager.default.removeItem(at: root) }
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("static"), withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("static/up").path, withDestinationPath: "..")
        var deep = root.appendingPathComponent("static/deep")
        for _ in 0..<300 { deep.appendPathComponent("a") }
        try fm.createDirectory(at: deep, withIntermediateDirectories: true)
        // The cache's digest of the tree ends, and sees the link by its text.
        var digester = TreeDigester()
        digester.add(tree: root.appendingPathComponent("static").path, as: "static")
        let result = Builder.run(source: root, output: root.appendingPathComponent("public"), settings: BuildSettings(), strict: false)
        XCTAssertFalse(result.succeeded)
        let errors = result.diagnostics.filter { $0.severity == .error }.map(\.message)
        XCTAssertTrue(errors.contains("static/up: is a folder that links back to a folder above it, or lies more than 32 folders deep: remove the link, or flatten the folders"), "\(errors)")
        XCTAssertTrue(errors.contains { $0.hasPrefix("static/deep/a/a/") && $0.hasSuffix("remove the link, or flatten the folders") }, "\(errors)")
    }

    /// A content or monitoring folder that exists but cannot be listed (a link loop here;
    /// `chmod 000` for a user who is not root) is an error naming it: the build published
    /// a status site without a single incident, exit 0.
    func testAFolderThatCannotBeListedIsAnErrorNotAnEmptyFolder() throws {
        let root = try SiteFixture(["content/incidents/panne.md": "---\ntitle: Panne\nseverity: major_outage\naffected: [messagerie]\nstarted_at: 2026-10-30T10:00:00Z\n---\n"]).writeToDisk()
        defer { try? FileManager.default.removeItem(at: root) }
        let fm = FileManager.default
        for folder in ["content/incidents", "content/monitoring"] {
            try? fm.removeItem(at: root.appendingPathComponent(folder))
            try fm.createSymbolicLink(atPath: root.appendingPathComponent(folder).path, withDestinationPath: folder.split(separator: "/").last.map(String.init)!)
        }
        let result = Builder.run(source: root, output: root.appendingPathComponent("public"), settings: BuildSettings(), strict: false)
        XCTAssertFalse(result.succeeded)
        XCTAssertEqual(result.diagnostics.filter { $0.severity == .error }.lines, [
            "content/incidents:1:1: error: content/incidents cannot be read (Too many levels of symbolic links): none of its files would be published",
            "content/monitoring:1:1: error: content/monitoring cannot be read (Too many levels of symbolic links): every figure would say no data",
        ])
    }

    /// A file of static/ where the site needs a folder, or under one of its files: one
    /// error naming it, every time (which write came first decided what was published).
    func testAStaticFileOnTheWayOfAGeneratedFolderIsAnError() throws {
        for (path, message) in [
            ("static/badges", "static/badges is a file where the site writes its folder badges/ (badges/messagerie.json)"),
            ("static/robots.txt/x", "static/robots.txt/x lies under robots.txt, a file the site writes"),
        ] {
            let (site, diagnostics) = SiteFixture([path: "x"]).generate(BuildSettings(now: Timestamp(rfc3339: "2026-10-30T12:00:00Z")))
            XCTAssertNil(site, path)
            XCTAssertEqual(diagnostics.filter { $0.severity == .error }.map(\.message), [message])
        }
    }

    /// The lines shown under diagnostics come from each file read once (kept between
    /// diagnostics), and are the same lines as the file's: first, middle, last, empty last.
    func testTheSourceLineReaderGivesEachLineOfAFileReadOnce() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("yourict-lines-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("content"), withIntermediateDirectories: true)
        let file = root.appendingPathComponent("content/a.md")
        try "un\ndeux\ntrois\n".write(to: file, atomically: true, encoding: .utf8)
        let reader = Builder.sourceLineReader(root: root)
        XCTAssertEqual((1...5).map { reader("content/a.md", $0) }, ["un", "deux", "trois", "", nil])
        // Kept: an edit after the first diagnostic does not mix two versions of the file.
        try "autre\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(reader("content/a.md", 2), "deux")
        XCTAssertNil(reader("content/missing.md", 1))
    }

    /// `--output` given as a symbolic link to a folder builds into that folder and keeps
    /// the link (it was replaced by a folder, and the folder it named never got the site);
    /// a link to nothing is refused with what to do.
    func testAnOutputThatIsALinkIsBuiltWhereItPoints() throws {
        let root = try SiteFixture().writeToDisk()
        defer { try? FileManager.default.removeItem(at: root) }
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("www"), withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("pub").path, withDestinationPath: "www")
        let result = Builder.run(source: root, output: root.appendingPathComponent("pub"), settings: BuildSettings(), strict: false)
        XCTAssertTrue(result.succeeded, "\(result.diagnostics.lines)")
        XCTAssertEqual(try fm.destinationOfSymbolicLink(atPath: root.appendingPathComponent("pub").path), "www")
        XCTAssertTrue(fm.fileExists(atPath: root.appendingPathComponent("www/fr/index.html").path))
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("dangling").path, withDestinationPath: "nowhere")
        let refused = Builder.run(source: root, output: root.appendingPathComponent("dangling"), settings: BuildSettings(), strict: false)
        XCTAssertEqual(refused.writeError?.description, "\(root.appendingPathComponent("dangling").path) is a symbolic link to nowhere, which does not exist")
    }

    private func snapshot(_ folder: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let tree = DiskSourceTree(root: folder)
        for path in tree.allFiles(under: "") { out[path] = Data(try tree.read(path)) }
        XCTAssertFalse(out.isEmpty)
        return out
    }
}
