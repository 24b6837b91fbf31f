import Foundation
import XCTest
import YourICTTestSupport
@testable import YourICTSupport
@testable import YourICTFormats
@testable import YourICTContent
@testable import YourICTSite

/// Hostile and broken input, one behaviour per test: each case ends in a clean
/// diagnostic or is neutralised, within ten seconds (a bound against hangs and blow-ups,
/// generous for a loaded CI machine running tests in parallel; not a speed
/// benchmark), reading nothing outside the source and writing nothing outside the output.
final class HostileInputTests: XCTestCase {
    // MARK: Helpers

    /// Runs `body` and fails when it takes ten seconds or more (the cases it guards took
    /// minutes, or forever, before their fixes; they now take well under a second).
    private func bounded<T>(_ body: () throws -> T, file: StaticString = #filePath, line: UInt = #line) rethrows -> T {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try body()
        let elapsed = clock.now - start
        XCTAssertLessThan(elapsed, .seconds(10), "took \(elapsed)", file: file, line: line)
        return result
    }

    /// Generates in memory; only the build is timed, not the making of the test's files.
    private func generate(_ fixture: SiteFixture, _ settings: BuildSettings = BuildSettings(),
                          file: StaticString = #filePath, line: UInt = #line) -> (GeneratedSite?, [Diagnostic]) {
        generate(tree: fixture.tree, settings, file: file, line: line)
    }

    private func generate(tree: MemorySourceTree, _ settings: BuildSettings = BuildSettings(),
                          file: StaticString = #filePath, line: UInt = #line) -> (GeneratedSite?, [Diagnostic]) {
        bounded({
            let bag = DiagnosticBag()
            let site = SiteGenerator.generate(tree: tree, settings: settings, diagnostics: bag)
            return (site, bag.all.sortedForDisplay())
        }, file: file, line: line)
    }

    private func errors(_ diagnostics: [Diagnostic]) -> [String] {
        diagnostics.filter { $0.severity == .error }.lines
    }

    private func page(_ front: String, body: String = "") -> String { "---\n\(front)---\n\(body)" }

    /// The repository's example fixture with one file replaced by raw bytes.
    private func tree(_ path: String, bytes: [UInt8]) -> MemorySourceTree {
        var tree = SiteFixture().tree
        tree.contents[path] = bytes
        return tree
    }

    /// Nested anchors and aliases, ten per level over nine levels: 10⁹ values once expanded.
    private static let billionLaughs = (1...9).reduce("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n") { yaml, level in
        yaml + "l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
    }

    // MARK: Files and front matter

    func testEmptyFileHasNoFrontMatter() {
        let (site, diagnostics) = generate(SiteFixture(["content/pages/x.md": ""]))
        XCTAssertNil(site)
        XCTAssertEqual(errors(diagnostics), ["content/pages/x.md:1:1: error: no front matter found"])
    }

    func testEmptySiteYAMLIsAnError() {
        let (site, diagnostics) = generate(SiteFixture(["content/site.yaml": ""]))
        XCTAssertNil(site)
        XCTAssertEqual(errors(diagnostics), ["content/site.yaml:1:1: error: content/site.yaml is empty"])
    }

    func testEmptyMonitoringFileIsAnError() {
        let (site, diagnostics) = generate(SiteFixture(["content/monitoring/p.json": ""]))
        XCTAssertNil(site)
        XCTAssertEqual(errors(diagnostics), ["content/monitoring/p.json:1:1: error: the monitoring file is empty"])
    }

    func testFileWithOnlyFrontMatterIsAPageWithoutBody() throws {
        let (site, diagnostics) = generate(SiteFixture(["content/pages/x.md": "---\ntitle: Seul\n---"]))
        XCTAssertEqual(errors(diagnostics), [])
        XCTAssertContains(try XCTUnwrap(site).text("fr/x/index.html"), "<h1>Seul</h1>")
    }

    func testEmptyFrontMatterIsAnError() {
        let (_, diagnostics) = generate(SiteFixture(["content/pages/x.md": "---\n---\nBody\n"]))
        XCTAssertEqual(errors(diagnostics), ["content/pages/x.md:2:1: error: the front matter is empty"])
    }

    func testUnclosedFrontMatterIsAnError() {
        let (_, diagnostics) = generate(SiteFixture(["content/pages/x.md": "---\ntitle: X\nBody without a closing line\n"]))
        XCTAssertEqual(errors(diagnostics), ["content/pages/x.md:1:1: error: the front matter is not closed"])
    }

    func testInvalidUTF8IsLocatedByLineAndColumn() {
        let bytes = Array("---\ntitle: Caf".utf8) + [0xC3, 0x28] + Array(" au lait\n---\n".utf8)
        let (site, diagnostics) = generate(tree: tree("content/pages/x.md", bytes: bytes))
        XCTAssertNil(site)
        XCTAssertEqual(errors(diagnostics), ["content/pages/x.md:2:11: error: the file is not valid UTF-8 (byte 14)"])
    }

    func testInvalidUTF8InSiteYAMLIsLocated() {
        let bytes = Array("title: Catalogue\ndescription: ".utf8) + [0xFF] + Array("\n".utf8)
        let (site, diagnostics) = generate(tree: tree("content/site.yaml", bytes: bytes))
        XCTAssertNil(site)
        XCTAssertEqual(errors(diagnostics), ["content/site.yaml:2:14: error: the file is not valid UTF-8 (byte 30)"])
    }

    func testTenMegabyteSingleLineIsRefused() {
        let huge = "---\ntitle: X\n---\n" + String(repeating: "a", count: 10 << 20)
        let (site, diagnostics) = generate(SiteFixture(["content/pages/x.md": huge]))
        XCTAssertNil(site)
        XCTAssertEqual(errors(diagnostics), ["content/pages/x.md:1:1: error: the file is larger than 8 MiB"])
    }

    func testOneMegabyteSingleLineRenders() throws {
        let line = String(repeating: "mot ", count: 1 << 18)
        let (site, diagnostics) = generate(SiteFixture(["content/pages/x.md": "---\ntitle: X\n---\n" + line]))
        XCTAssertEqual(errors(diagnostics), [])
        XCTAssertContains(try XCTUnwrap(site).text("fr/x/index.html"), "<p>mot mot mot ")
    }

    // MARK: YAML

    func testMalformedYAMLIsLocated() {
        let (site, diagnostics) = generate(SiteFixture(["content/pages/x.md": page("title: [unclosed\nweight: 1\n")]))
        XCTAssertNil(site)
        XCTAssertEqual(errors(diagnostics), [
            "content/pages/x.md:3:7: error: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 2)",
        ])
    }

    /// A quote left open is reported where it opens, not lines later where libyaml trips.
    func testAnUnclosedQuoteIsLocatedAtTheQuote() {
        for (front, at, quote) in [
            ("title: \"Messagerie électronique\nsummary: Le courriel.\nweight: 1\n", "2:8", "\""),
            ("title: X\ntags: [a]\nsummary: 'Le courriel d''été\nweight: 1\n", "4:10", "'"),
            ("title: X\nmenu:\n  - \"Accueil\n  - Autre\nweight: 1\n", "4:5", "\""),
        ] {
            let (_, diagnostics) = generate(SiteFixture(["content/pages/x.md": page(front)]))
            let error = diagnostics.first { $0.severity == .error }
            XCTAssertTrue(error?.lines.hasPrefix("content/pages/x.md:\(at): error: invalid YAML: this quoted value is not closed (libyaml: ") ?? false,
                          "\(front): \(error?.lines ?? "none")")
            XCTAssertEqual(error?.hint, "end it with \(quote) on the same line")
        }
        // Closed quotes, even with escapes, a `#` and a `: ` inside, change nothing.
        let (_, fine) = generate(SiteFixture(["content/pages/x.md": page("title: \"A \\\" # b: c\"\nsummary: 'l''été'\nweight: [1\n")]))
        XCTAssertEqual(errors(fine).map { $0.components(separatedBy: ": error: ").last ?? "" },
                       ["invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 4)"])
    }

    func testWrongTypesAreLocatedAtTheValue() {
        let sheet = SiteFixture.mailSheet
            .replacingOccurrences(of: "manager: {name: Ann Example, email: ann@example.org, phone: \"+32 2 000 00 01\"}", with: "manager: [Ann]")
            .replacingOccurrences(of: "summary: Le courriel des agents.", with: "summary: {text: no}\ndraft: maybe")
        let (_, diagnostics) = generate(SiteFixture(["content/services/messagerie.md": sheet]))
        XCTAssertEqual(errors(diagnostics), [
            "content/services/messagerie.md:3:10: error: `summary` must be text, found a mapping",
            "content/services/messagerie.md:4:8: error: `draft` must be true or false, found `maybe`",
            "content/services/messagerie.md:8:10: error: `manager` must be a mapping of `key: value` fields, found a list",
        ])
    }

    func testDuplicateKeysInANestedMapping() {
        let sheet = SiteFixture.mailSheet.replacingOccurrences(of: "manager: {name: Ann Example,", with: "manager: {name: Ann, name: Bob,")
        let (site, diagnostics) = generate(SiteFixture(["content/services/messagerie.md": sheet]))
        XCTAssertNil(site)
        XCTAssertEqual(errors(diagnostics), ["content/services/messagerie.md:7:22: error: duplicate key `name` in the same mapping (first at line 7)"])
    }

    func testDeeplyNestedFlowYAMLIsRefusedBeforeParsing() {
        let yaml = "title: X\ntags: " + String(repeating: "[", count: 200_000) + "\n"
        let (site, diagnostics) = generate(SiteFixture(["content/pages/x.md": page(yaml)]))
        XCTAssertNil(site)
        XCTAssertEqual(errors(diagnostics), ["content/pages/x.md:3:71: error: the YAML nests more than 64 levels"])
    }

    func testDeeplyIndentedYAMLIsRefusedBeforeParsing() {
        let yaml = "title: X\nt:\n" + (1...300).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " x\n"
        let (_, diagnostics) = generate(SiteFixture(["content/pages/x.md": page(yaml)]))
        XCTAssertEqual(errors(diagnostics), ["content/pages/x.md:204:201: error: the YAML is indented more than 200 columns"])
    }

    func testDeeplyNestedBlockSequencesAreRefused() {
        let yaml = "title: X\ntags:\n" + String(repeating: "- ", count: 100) + "x\n"
        let (_, diagnostics) = generate(SiteFixture(["content/pages/x.md": page(yaml)]))
        XCTAssertEqual(errors(diagnostics), ["content/pages/x.md:4:129: error: the YAML nests more than 64 levels"])
    }

    /// The quick bound (`withinLimits`) may only skip the scan when the scan finds
    /// nothing: random texts near the limits (brackets, runs of spaces, `-` and `?` at
    /// line starts and elsewhere, quotes and comments that hide them from the scan or
    /// end mid-line), and both sides of each limit exactly.
    func testNestingBoundNeverHidesAProblem() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["[", "{", "]", "}", " ", "-", "?", "\n", "\"", "'", "#", "a", ": ", ", ", "é"]
        var skipped = 0, found = 0
        for _ in 0..<3_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0..<250, using: &generator) {
                switch Int.random(in: 0..<24, using: &generator) {
                case 0: text += (Bool.random(using: &generator) ? "\n" : "") + String(repeating: " ", count: Int.random(in: 150...260, using: &generator))
                case 1: text += (Bool.random(using: &generator) ? "\n" : "") + String(repeating: Bool.random(using: &generator) ? "- " : "?", count: Int.random(in: 20...70, using: &generator))
                case 2: text += String(repeating: "[", count: Int.random(in: 1...70, using: &generator))
                default: text += pieces.randomElement(using: &generator)!
                }
            }
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { b in
                let problem = YAMLDocument.scanNesting(b)
                if problem != nil { found += 1 }
                if YAMLDocument.withinLimits(b) {
                    skipped += 1
                    XCTAssertNil(problem, "the bound skipped a problem in \(text.debugDescription)")
                }
            }
        }
        XCTAssertGreaterThan(skipped, 100)
        XCTAssertGreaterThan(found, 100)
        func check(_ text: String, within: Bool) {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { b in
                XCTAssertEqual(YAMLDocument.withinLimits(b), within, text.debugDescription)
                if !within { XCTAssertNotNil(YAMLDocument.scanNesting(b), text.debugDescription) }
            }
        }
        check(String(repeating: "[", count: 64), within: true)
        check(String(repeating: "[", count: 65), within: false)
        check("a:\n" + String(repeating: " ", count: 200) + "b: c\n", within: true)
        check("a:\n" + String(repeating: " ", count: 201) + "b: c\n", within: false)
        check("a:\n" + String(repeating: "-", count: 64) + " x\n", within: true)
        check("a:\n" + String(repeating: "- ", count: 65) + "x\n", within: false)
    }

    func testBillionLaughsIsRefusedAtTheAliasThatCrossesTheLimit() {
        let yaml = "title: X\n" + Self.billionLaughs + "tags: *l9\n"
        let (site, diagnostics) = generate(SiteFixture(["content/pages/x.md": page(yaml)]))
        XCTAssertNil(site)
        XCTAssertEqual(errors(diagnostics), ["content/pages/x.md:6:45: error: the YAML aliases expand to more than 10000 values (an alias bomb?)"])
        XCTAssertEqual(diagnostics.first?.hint, "write the values out instead of repeating `*aliases` of large anchors")
    }

    func testBillionLaughsAsAMappingKeyIsRefused() {
        // Yams hashes mapping keys whole: expanded, this key alone would take hours.
        let yaml = Self.billionLaughs + "? *l9\n: boom\ntitle: X\n"
        let (site, diagnostics) = generate(SiteFixture(["content/pages/x.md": page(yaml)]))
        XCTAssertNil(site)
        XCTAssertEqual(errors(diagnostics), ["content/pages/x.md:5:45: error: the YAML aliases expand to more than 10000 values (an alias bomb?)"])
    }

    func testAliasBombInSiteYAMLIsRefused() {
        let yaml = SiteFixture.siteYAML + Self.billionLaughs.replacingOccurrences(of: "l0:", with: "x-l0:")
        let (site, diagnostics) = generate(SiteFixture(["content/site.yaml": yaml]))
        XCTAssertNil(site)
        XCTAssertEqual(errors(diagnostics), ["content/site.yaml:19:45: error: the YAML aliases expand to more than 10000 values (an alias bomb?)"])
    }

    func testSmallAliasesStillWork() throws {
        let yaml = SiteFixture.siteYAML
            .replacingOccurrences(of: "hours: \"24h/24\"}\n  standard:", with: "hours: &always \"24h/24 *\"}\n  standard:")
            .replacingOccurrences(of: "target: 99.5, hours: \"24h/24\"", with: "target: 99.5, hours: *always")
        let (site, diagnostics) = generate(SiteFixture(["content/site.yaml": yaml]))
        XCTAssertEqual(errors(diagnostics), [])
        XCTAssertContains(try XCTUnwrap(site).text("fr/services/messagerie/index.html"), "<td>24h/24 *</td><td class=\"num\">216,0 min (3 h 36 min)</td>")
    }

    func testHugeNumbersAreTypeErrors() {
        let yaml = SiteFixture.siteYAML.replacingOccurrences(of: "target: 99.9", with: "target: 1e400")
            + "availability: {partial_outage_weight: .nan}\n"
        let sheet = SiteFixture.mailSheet.replacingOccurrences(of: "summary:", with: "weight: 123456789012345678901234567890\nsummary:")
        let (site, diagnostics) = generate(SiteFixture(["content/site.yaml": yaml, "content/services/messagerie.md": sheet]))
        XCTAssertNil(site)
        XCTAssertEqual(errors(diagnostics).filter { !$0.contains("service level `critical` is not defined") }, [
            "content/services/messagerie.md:3:9: error: `weight` must be a whole number, found `123456789012345678901234567890`",
            "content/site.yaml:8:57: error: `target` must be a number, found `1e400`",
            "content/site.yaml:16:39: error: `partial_outage_weight` must be a number, found `.nan`",
        ])
    }

    func testLargestWholeNumberWeightIsAccepted() {
        let sheet = SiteFixture.mailSheet.replacingOccurrences(of: "summary:", with: "weight: 9223372036854775807\nsummary:")
        let (site, diagnostics) = generate(SiteFixture(["content/services/messagerie.md": sheet]))
        XCTAssertEqual(errors(diagnostics), [])
        XCTAssertNotNil(site)
    }

    // MARK: Ids and paths

    func testDotDotInIDsIsRefusedEverywhere() {
        let yaml = SiteFixture.siteYAML.replacingOccurrences(of: "categories:\n", with: "categories:\n  \"../x\": {name: X}\n")
        let sheet = SiteFixture.mailSheet.replacingOccurrences(of: "{id: archive,", with: "{id: ../../archive,")
        let incident = page("title: P\nseverity: major_outage\naffected: [../messagerie]\nstarted_at: 2026-11-03T09:12:00+01:00\n")
        let (site, diagnostics) = generate(SiteFixture([
            "content/site.yaml": yaml, "content/services/messagerie.md": sheet, "content/incidents/i.md": incident,
            "content/pages/x.md": page("title: X\n", body: "[passwd](../../../../etc/passwd.md)\n"),
        ]))
        XCTAssertNil(site)
        XCTAssertEqual(errors(diagnostics), [
            "content/incidents/i.md:4:12: error: `../messagerie` is not a service id or service/component id",
            "content/pages/x.md:4:1: error: broken link `../../../../etc/passwd.md`: it does not point to a content file",
            "content/services/messagerie.md:12:10: error: option id `../../archive` is not valid",
            "content/site.yaml:6:3: error: `../x` is not a valid id",
        ])
    }

    func testFileNamesThatAreNotIDsAreRefused() {
        let (_, diagnostics) = generate(SiteFixture(["content/services/..md": SiteFixture.mailSheet, "content/pages/.hidden.x.md": "---\ntitle: X\n---\n"]))
        XCTAssertEqual(errors(diagnostics), [
            "content/pages/.hidden.x.md:1:1: error: `.hidden.x.md` is not a valid content file name",
            "content/services/..md:1:1: error: `` in the file name is not one of the site's languages (fr, nl)",
        ])
    }

    // MARK: Symbolic links (on disk)

    /// A folder outside every source, holding a file that must never be read.
    private func secretFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("yourict-secret-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "---\ntitle: SECRET-TITLE\n---\nSECRET-BODY\n".write(to: folder.appendingPathComponent("leak.md"), atomically: true, encoding: .utf8)
        try "SECRET-PARTIAL".write(to: folder.appendingPathComponent("header.mustache"), atomically: true, encoding: .utf8)
        return folder
    }

    /// Every file under `folder`, with its bytes.
    private func snapshot(_ folder: URL) -> [String: Data] {
        let tree = DiskSourceTree(root: folder)
        return Dictionary(uniqueKeysWithValues: tree.allFiles(under: "").compactMap { path in (try? tree.read(path)).map { (path, Data($0)) } })
    }

    /// Builds once cleanly, then again after `damage`: the second build must fail with
    /// `expected` among its errors, leave the first output untouched and write nothing
    /// beside it, and no secret may reach a diagnostic.
    private func assertFailsCleanly(after damage: (URL) throws -> Void, expected: String,
                                    file: StaticString = #filePath, line: UInt = #line) throws {
        let root = try SiteFixture().writeToDisk()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("public")
        XCTAssertTrue(Builder.run(source: root, output: output, settings: BuildSettings(), strict: false).succeeded, file: file, line: line)
        let before = snapshot(output)
        try damage(root)
        let beside = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
        let result = bounded({ Builder.run(source: root, output: output, settings: BuildSettings(), strict: false) }, file: file, line: line)
        XCTAssertFalse(result.succeeded, file: file, line: line)
        XCTAssertTrue(errors(result.diagnostics).contains(expected), "\(errors(result.diagnostics))", file: file, line: line)
        XCTAssertFalse(result.diagnostics.contains { $0.message.contains("SECRET") }, file: file, line: line)
        XCTAssertEqual(snapshot(output), before, "the previous output changed", file: file, line: line)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path).sorted(), beside, file: file, line: line)
    }

    func testSymlinkedFolderInContentPointingOutsideIsNotRead() throws {
        let secret = try secretFolder()
        defer { try? FileManager.default.removeItem(at: secret) }
        try assertFailsCleanly(after: { root in
            let pages = root.appendingPathComponent("content/pages")
            try FileManager.default.removeItem(at: pages)
            try FileManager.default.createSymbolicLink(at: pages, withDestinationURL: secret)
        }, expected: "content/pages/leak.md:1:1: error: content/pages/leak.md resolves outside the source folder (a symbolic link?); it was not read")
    }

    func testSymlinkedFileInContentPointingOutsideIsNotRead() throws {
        let secret = try secretFolder()
        defer { try? FileManager.default.removeItem(at: secret) }
        try assertFailsCleanly(after: { root in
            try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("content/services/leak.md"),
                                                       withDestinationURL: secret.appendingPathComponent("leak.md"))
        }, expected: "content/services/leak.md:1:1: error: content/services/leak.md resolves outside the source folder (a symbolic link?); it was not read")
    }

    func testSymlinkedTemplatesFolderPointingOutsideIsNotRead() throws {
        let secret = try secretFolder()
        defer { try? FileManager.default.removeItem(at: secret) }
        try assertFailsCleanly(after: { root in
            let partials = root.appendingPathComponent("templates/partials")
            try FileManager.default.removeItem(at: partials)
            try FileManager.default.createSymbolicLink(at: partials, withDestinationURL: secret)
        }, expected: "templates/partials:1:1: error: templates/partials resolves outside the source folder (a symbolic link?); it was not read")
    }

    func testSymlinkedTemplateFilePointingOutsideIsNotRead() throws {
        let secret = try secretFolder()
        defer { try? FileManager.default.removeItem(at: secret) }
        try assertFailsCleanly(after: { root in
            let header = root.appendingPathComponent("templates/partials/header.mustache")
            try FileManager.default.removeItem(at: header)
            try FileManager.default.createSymbolicLink(at: header, withDestinationURL: secret.appendingPathComponent("header.mustache"))
        }, expected: "templates/partials/header.mustache:1:1: error: templates/partials/header.mustache resolves outside the source folder (a symbolic link?); it was not read")
    }

    func testSymlinkedStaticFolderPointingOutsideIsNotCopied() throws {
        let secret = try secretFolder()
        defer { try? FileManager.default.removeItem(at: secret) }
        try assertFailsCleanly(after: { root in
            try FileManager.default.createDirectory(at: root.appendingPathComponent("static"), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("static/documents"), withDestinationURL: secret)
        }, expected: "static/documents:1:1: error: static/documents resolves outside the source folder (a symbolic link?); it was not read")
    }

    func testSymlinkedMonitoringFilePointingOutsideIsNotRead() throws {
        let secret = try secretFolder()
        defer { try? FileManager.default.removeItem(at: secret) }
        try assertFailsCleanly(after: { root in
            try FileManager.default.createDirectory(at: root.appendingPathComponent("content/monitoring"), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("content/monitoring/leak.json"),
                                                       withDestinationURL: secret.appendingPathComponent("leak.md"))
        }, expected: "content/monitoring/leak.json:1:1: error: content/monitoring/leak.json resolves outside the source folder (a symbolic link?); it was not read")
    }

    /// A sheet replaced by a link to nothing, a link loop or a FIFO was skipped by the
    /// listing: the service vanished from the site, and only monitoring "for a service that
    /// does not exist" was reported. Each is now an error at the file, and reading a FIFO
    /// does not wait for a writer.
    func testALinkToNothingOrAFIFOInPlaceOfASheetIsAnError() throws {
        try assertFailsCleanly(after: { root in
            try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("content/services/gone.md").path, withDestinationPath: "../../shared/gone.md")
        }, expected: "content/services/gone.md:1:1: error: content/services/gone.md: is a symbolic link to nothing (its target is missing, or links lead in a loop): fix or remove the link")
        try assertFailsCleanly(after: { root in
            try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("content/services/loop.md").path, withDestinationPath: "loop.md")
        }, expected: "content/services/loop.md:1:1: error: content/services/loop.md: is a symbolic link to nothing (its target is missing, or links lead in a loop): fix or remove the link")
        try assertFailsCleanly(after: { root in
            XCTAssertEqual(mkfifo(root.appendingPathComponent("content/services/fifo.md").path, 0o644), 0)
        }, expected: "content/services/fifo.md:1:1: error: content/services/fifo.md: is not a regular file")
    }

    /// A folder where site.yaml should be was reported as "missing", with a hint to create
    /// the file that was there; a site.yaml without read access too.
    func testASiteYAMLThatIsAFolderIsSaidToBeOne() throws {
        try assertFailsCleanly(after: { root in
            let file = root.appendingPathComponent("content/site.yaml")
            try FileManager.default.removeItem(at: file)
            try FileManager.default.createDirectory(at: file, withIntermediateDirectories: false)
        }, expected: "content/site.yaml:1:1: error: content/site.yaml: is a folder, not a file")
        try assertFailsCleanly(after: { root in
            try FileManager.default.removeItem(at: root.appendingPathComponent("content/site.yaml"))
        }, expected: "content/site.yaml:1:1: error: content/site.yaml is missing")
    }

    func testSymlinkInsideTheSourceIsFollowed() throws {
        let root = try SiteFixture().writeToDisk()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("content/pages/aide.md"),
                                                   withDestinationURL: root.appendingPathComponent("content/pages/support.md"))
        let result = bounded { Builder.run(source: root, output: root.appendingPathComponent("public"), settings: BuildSettings(), strict: false) }
        XCTAssertTrue(result.succeeded, "\(result.diagnostics.lines)")
        XCTAssertNotNil(FileManager.default.contents(atPath: root.appendingPathComponent("public/fr/aide/index.html").path))
    }

    func testUnsafeOutputPathsAreRefusedBeforeAnyFolderIsMade() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("yourict-out-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let site = GeneratedSite(files: [OutputFile(path: "a/../../escaped/x.html", text: "x")], pageCount: 1, serviceCount: 0, incidentCount: 0)
        XCTAssertThrowsError(try bounded { try OutputWriter(output: root.appendingPathComponent("public"), source: root.appendingPathComponent("src")).write(site) }) { error in
            XCTAssertEqual("\(error)", "refusing to write outside the output folder: a/../../escaped/x.html")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path), [])
    }

    // MARK: Markdown

    func testScriptLinksAreRemovedInEveryDisguise() throws {
        let body = """
        [a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](&#106;avascript:alert(1)) [d](java&#x09;script:alert(1))
        [e](<java\tscript:alert(1)>) [f](data:text/html;base64,PHNjcmlwdD4=) ![g](data:image/svg+xml,<svg/onload=alert(1)>)
        [h](vbscript:x) [i](&#x6A&#x61vascript&colon;alert(1)) [j](%20javascript:alert(1))

        <javascript:alert(1)>

        """
        let (site, diagnostics) = generate(SiteFixture(["content/pages/x.md": page("title: X\n", body: body)]))
        let html = try XCTUnwrap(site?.text("fr/x/index.html"))
        // Entities without `;` and `%20` are not decoded by browsers in a URL: relative paths.
        XCTAssertContains(html, """
            <p><a href="">a</a> <a href="">b</a> <a href="">c</a> <a href="">d</a>
            <a href="">e</a> <a href="">f</a> <img src="" alt="g" />
            <a href="">h</a> <a href="&amp;#x6A&amp;#x61vascript:alert(1)">i</a> <a href="%20javascript:alert(1)">j</a></p>
            <p><a href="">javascript:alert(1)</a></p>
            """)
        XCTAssertEqual(diagnostics.filter { $0.message.hasPrefix("the link") }.lines, [
            "content/pages/x.md:4:1: warning: the link `javascript:alert(1)` was removed: its scheme can run code in the reader's browser",
            "content/pages/x.md:4:26: warning: the link `JaVaScRiPt:alert(1)` was removed: its scheme can run code in the reader's browser",
            "content/pages/x.md:4:51: warning: the link `javascript:alert(1)` was removed: its scheme can run code in the reader's browser",
            "content/pages/x.md:4:81: warning: the link `java\tscript:alert(1)` was removed: its scheme can run code in the reader's browser",
            "content/pages/x.md:5:1: warning: the link `java\tscript:alert(1)` was removed: its scheme can run code in the reader's browser",
            "content/pages/x.md:5:29: warning: the link `data:text/html;base64,PHNjcmlwdD4=` was removed: its scheme can run code in the reader's browser",
            "content/pages/x.md:5:69: warning: the link `data:image/svg+xml,<svg/onload=alert(1)>` was removed: its scheme can run code in the reader's browser",
            "content/pages/x.md:6:1: warning: the link `vbscript:x` was removed: its scheme can run code in the reader's browser",
            "content/pages/x.md:8:1: warning: the link `javascript:alert(1)` was removed: its scheme can run code in the reader's browser",
        ])
    }

    func testRawHTMLIsOmittedByDefault() throws {
        let body = "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> <b onmouseover=\"alert(1)\">b</b>\n"
        let (site, _) = generate(SiteFixture(["content/pages/x.md": page("title: X\n", body: body)]))
        let html = try XCTUnwrap(site?.text("fr/x/index.html"))
        XCTAssertContains(html, "<!-- raw HTML omitted -->")
        XCTAssertNotContains(html, "alert(1)")
    }

    func testAllowedRawHTMLStillDisarmsScriptURLs() throws {
        let yaml = SiteFixture.siteYAML + "markdown: {unsafe_html: true}\n"
        let body = """
        <a href="&#106;avascript:alert(1)">a</a> <a href="jav&#x09;ascript:alert(1)">b</a> <a href='javascript&colon;alert(1)'>c</a>
        <a href=&#x6A&#x61vascript:alert(1)>d</a> <svg><a><animate attributeName=href values=javascript:alert(1) /></a></svg>
        <form action="JAVASCRIPT:alert(1)"><button formaction=" javascript:alert(1)">e</button></form> <a href="https://example.org/">ok</a>

        """
        let (site, _) = generate(SiteFixture(["content/site.yaml": yaml, "content/pages/x.md": page("title: X\n", body: body)]))
        let html = try XCTUnwrap(site?.text("fr/x/index.html"))
        XCTAssertNotContains(html.lowercased(), "javascript")
        XCTAssertNotContains(html, "avascript")
        XCTAssertContains(html, "<a href=\"#\">a</a> <a href=\"#\">b</a> <a href='#'>c</a>")
        XCTAssertContains(html, "<a href=\"https://example.org/\">ok</a>")
    }

    func testAllowedRawHTMLStillFiltersScriptTags() throws {
        let yaml = SiteFixture.siteYAML + "markdown: {unsafe_html: true}\n"
        let body = "<SCRIPT>alert(1)</SCRIPT>\n\n<iframe src=\"https://example.org\"></iframe>\n"
        let (site, _) = generate(SiteFixture(["content/site.yaml": yaml, "content/pages/x.md": page("title: X\n", body: body)]))
        let html = try XCTUnwrap(site?.text("fr/x/index.html"))
        XCTAssertContains(html, "&lt;SCRIPT>alert(1)&lt;/SCRIPT>")
        XCTAssertContains(html, "&lt;iframe src=")
    }

    func testThousandsOfSameNamedHeadingsGetIDsInLinearTime() throws {
        let body = String(repeating: "## Étape\n\n", count: 5_000)
        let (site, diagnostics) = generate(SiteFixture(["content/pages/x.md": page("title: X\n", body: body)]))
        XCTAssertEqual(errors(diagnostics), [])
        let html = try XCTUnwrap(site?.text("fr/x/index.html"))
        XCTAssertContains(html, "<h2 id=\"etape\">\nÉtape\n</h2>")
        XCTAssertContains(html, "<h2 id=\"etape-4999\">\nÉtape\n</h2>")
    }

    func testBracketBombIsRefused() {
        // cmark-gfm 0.29.0.gfm.6 takes minutes on this: its bracket handling is cubic.
        let body = "Intro\n\n" + String(repeating: "![[]()", count: 50_000) + "\n"
        let (site, diagnostics) = generate(SiteFixture(["content/pages/x.md": page("title: X\n", body: body)]))
        XCTAssertNil(site)
        XCTAssertEqual(errors(diagnostics), ["content/pages/x.md:6:60002: error: more than 20000 `[` (links, images, footnotes) in one file"])
    }

    func testWWWAutolinkBombIsRefused() {
        let body = String(repeating: "www.a_", count: 10_000) + "\n"
        let (_, diagnostics) = generate(SiteFixture(["content/pages/x.md": page("title: X\n", body: body)]))
        XCTAssertEqual(errors(diagnostics), ["content/pages/x.md:4:12001: error: more than 2000 `www.` addresses in one file"])
    }

    func testEmailAutolinksOnLongLinesAreRefused() {
        let body = String(repeating: String(repeating: "a@b.c ", count: 200) + "\n", count: 500)
        let (_, diagnostics) = generate(SiteFixture(["content/pages/x.md": page("title: X\n", body: body)]))
        XCTAssertEqual(errors(diagnostics), ["content/pages/x.md:420:1: error: too many e-mail addresses on long lines for the Markdown renderer"])
    }

    func testTableWiderThanAThousandCellsIsRefused() {
        let body = "| a |\n|---|\n" + String(repeating: "|a", count: 20_000) + "\n"
        let (_, diagnostics) = generate(SiteFixture(["content/pages/x.md": page("title: X\n", body: body)]))
        XCTAssertEqual(errors(diagnostics), ["content/pages/x.md:6:2001: error: a line has more than 1000 `|`: a table this wide cannot be read"])
    }

    func testPaddedTableCellsAreCounted() {
        // Short rows are padded to the header's 900 columns: 300 lines would be 270,000 cells.
        let body = String(repeating: "|a", count: 900) + "|\n" + String(repeating: "|-", count: 900) + "|\n" + String(repeating: "|a|\n", count: 300)
        let (_, diagnostics) = generate(SiteFixture(["content/pages/x.md": page("title: X\n", body: body)]))
        XCTAssertEqual(errors(diagnostics), ["content/pages/x.md:226:1: error: the tables hold more than 200000 cells"])
    }

    // MARK: Templates

    func testTemplateIncludingAMissingPartialIsLocated() {
        var fixture = SiteFixture()
        fixture.files["templates/partials/footer.mustache"] = "<footer>\n  {{> partials/legal}}\n</footer>\n"
        let (site, diagnostics) = generate(fixture)
        XCTAssertNil(site)
        XCTAssertEqual(errors(diagnostics), ["templates/partials/footer.mustache:2:3: error: the template includes `partials/legal`, which does not exist"])
    }

    /// A misspelt asset would print nothing: every page without its stylesheet. A section
    /// may test for an asset that is not there.
    func testAnAssetThatIsNotThereIsAnError() {
        var fixture = SiteFixture()
        let base = fixture.tree["templates/base.mustache"] ?? ""
        XCTAssertTrue(base.contains("{{assets.style_css}}"))
        fixture.files["templates/base.mustache"] = base.replacingOccurrences(of: "{{assets.style_css}}", with: "{{assets.style_cs}}")
            .replacingOccurrences(of: "<html", with: "{{#assets.logo_svg}}<img src=\"{{assets.logo_svg}}\" alt=\"\">{{/assets.logo_svg}}<html")
        let (site, diagnostics) = generate(fixture)
        XCTAssertNil(site)
        let line = base.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("{{assets.style_css}}") }! + 1
        XCTAssertEqual(errors(diagnostics), ["templates/base.mustache:\(line):30: error: `assets.style_cs` names no file of templates/assets/: it prints nothing"])
        XCTAssertEqual(diagnostics.first { $0.message.contains("style_cs") }?.hint, "did you mean `assets.style_css`?")
    }

    func testPartialIncludingItselfIsAnError() {
        var fixture = SiteFixture()
        fixture.files["templates/partials/footer.mustache"] = "<footer>{{> partials/footer}}</footer>\n"
        let (site, diagnostics) = generate(fixture)
        XCTAssertNil(site)
        XCTAssertEqual(errors(diagnostics), ["templates/partials/footer.mustache:1:9: error: the template includes itself (`partials/footer` → `partials/footer`): it would never finish rendering"])
    }

    /// A partial that includes itself through a dynamic name (which the theme's check
    /// cannot see) stops at the engine's depth limit: one error per template, saying why.
    func testDynamicSelfInclusionIsOneErrorPerTemplateWithItsReason() {
        var fixture = SiteFixture()
        fixture.files["templates/partials/footer.mustache"] = "<footer>{{>*lang}}</footer>\n"
        fixture.files["templates/fr.mustache"] = "{{>*lang}}"
        fixture.files["templates/nl.mustache"] = "{{>*lang}}"
        let (site, diagnostics) = generate(fixture)
        XCTAssertNil(site)
        let errors = diagnostics.filter { $0.severity == .error }
        XCTAssertFalse(errors.isEmpty)
        XCTAssertTrue(errors.allSatisfy { $0.message.hasPrefix("could not render ") && $0.message.hasSuffix(": its sections and partials nest more than 200 deep") },
                      errors.lines.joined(separator: "\n"))
        let templates = errors.map { $0.location?.path ?? "" }
        XCTAssertEqual(Set(templates).count, templates.count, "one error per template")
        let service = errors.first { $0.location?.path == "templates/service.mustache" }
        XCTAssertEqual(service?.message, "could not render 2 pages (fr/services/messagerie/index.html, …) with template `service`: its sections and partials nest more than 200 deep")
        XCTAssertEqual(service?.hint, "a partial includes itself through a dynamic name (`{{>*name}}`): make sure the name never leads back to a template that includes it")
    }

    // MARK: Monitoring

    private static let labels = #"{"job":"blackbox","instance":"https://webmail.example.org/"}"#

    private func prometheus(_ values: String) -> String {
        #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":\#(Self.labels),"values":[\#(values)]}]}}"#
    }

    func testTruncatedMonitoringJSONIsLocated() {
        let text = String(prometheus(#"[1764000000,"1"],[1764000060,"1"]"#).dropLast(9))
        let (site, diagnostics) = generate(SiteFixture(["content/monitoring/p.json": text]))
        XCTAssertNil(site)
        XCTAssertEqual(errors(diagnostics), ["content/monitoring/p.json:1:171: error: invalid JSON: unexpected end of input: expected a value after ','"])
    }

    func testDeeplyNestedMonitoringJSONIsRefused() {
        // An unknown member is skipped, validated as it goes: 200,000 levels of it.
        let text = #"{"yourict_monitoring":1,"x":"# + String(repeating: "[", count: 200_000)
        let (site, diagnostics) = generate(SiteFixture(["content/monitoring/p.json": text]))
        XCTAssertNil(site)
        XCTAssertEqual(errors(diagnostics), ["content/monitoring/p.json:1:540: error: invalid JSON: nesting deeper than 512 levels"])
    }

    /// Beyond what `Int64` milliseconds hold, a time is after 9999 all the same: ignored
    /// with the warning the docs promise, not an error that stops the build.
    func testHugeTimestampInMonitoringIsIgnoredWithAWarning() {
        let (site, diagnostics) = generate(SiteFixture(["content/monitoring/p.json": prometheus(#"[1764000000,"1"],[1e400,"1"],[-9300000000000000,"1"]"#)]))
        XCTAssertNotNil(site)
        XCTAssertEqual(errors(diagnostics), [])
        XCTAssertEqual(diagnostics.filter { $0.message.contains("timestamp") }.lines, [
            #"content/monitoring/p.json:1:159: warning: 2 samples have timestamps before 1970 or after 9999 in {instance="https://webmail.example.org/", job="blackbox"}; ignored"#,
        ])
    }

    func testTimestampsBefore1970OrAfter9999AreIgnored() throws {
        let values = #"[-1,"1"],[1764000000,"1"],[1764000060,"1"],[9000000000000000,"0"]"#
        let (site, diagnostics) = generate(SiteFixture(["content/monitoring/p.json": prometheus(values)]),
                                           BuildSettings(now: Timestamp(rfc3339: "2025-11-24T16:02:00Z")))
        XCTAssertEqual(diagnostics.filter { $0.message.contains("timestamp") }.lines, [
            #"content/monitoring/p.json:1:142: warning: 2 samples have timestamps before 1970 or after 9999 in {instance="https://webmail.example.org/", job="blackbox"}; ignored"#,
        ])
        // The sample in year 285 million is dropped, not kept as data after the reference time.
        XCTAssertEqual(diagnostics.filter { $0.message.contains("after the reference time") }.lines, [])
        XCTAssertContains(try XCTUnwrap(site).text("api/services.json"), #""last_sample_at": "2025-11-24T16:01:00Z""#)
    }

    func testNaNAndInfiniteSampleValuesCountAsNoData() throws {
        let values = #"[1764000000,"NaN"],[1764000060,"+Inf"],[1764000120,"1e400"],[1764000180,"1"]"#
        let (site, diagnostics) = generate(SiteFixture(["content/monitoring/p.json": prometheus(values)]))
        XCTAssertEqual(diagnostics.filter { $0.message.contains("neither 0 nor 1") }.lines, [
            #"content/monitoring/p.json:1:142: warning: 3 samples of {instance="https://webmail.example.org/", job="blackbox"} are neither 0 nor 1 (first: nan); they count as no data"#,
        ])
        XCTAssertNotNil(site)
    }

    func testOwnFormatTimesOutsideTheSupportedRangeAreErrors() {
        let text = #"{"yourict_monitoring": 1, "checks": [{"service": "messagerie", "component": "webmail", "runs": [["0001-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "down"]], "samples": [[99999999999999, "up"]]}]}"#
        let (site, diagnostics) = generate(SiteFixture(["content/monitoring/o.json": text]))
        XCTAssertNil(site)
        XCTAssertEqual(errors(diagnostics), ["content/monitoring/o.json:1:98: error: `0001-01-01T00:00:00Z` is before 1970 or after 9999"])
    }

    func testOwnFormatHugeVersionIsAnError() {
        // Found by yourict-fuzz: a whole number beyond Int trapped in the conversion.
        let text = #"{"yourict_monitoring": 1e40, "checks": []}"#
        let (site, diagnostics) = generate(SiteFixture(["content/monitoring/o.json": text]))
        XCTAssertNil(site)
        XCTAssertEqual(errors(diagnostics), ["content/monitoring/o.json:1:24: error: `yourict_monitoring` must be the format version, a whole number"])
    }

    /// A huge, a text and a missing interval each say which it is.
    func testOwnFormatIntervalErrorsSayWhatIsWrong() {
        for (value, message) in [
            ("1e308", "`interval` must be at least 1 second and less than 31 days (2678400)"),
            // Held for 0 ms once rounded: a fresh "up" sample read as no data.
            ("0.0001", "`interval` must be at least 1 second and less than 31 days (2678400)"),
            ("\"60\"", "`interval` must be a number, not text: write 60 without quotes"),
            ("\"sixty\"", "`interval` must be a number, not text"),
            ("null", "`interval` must be a number of seconds"),
        ] {
            let text = #"{"yourict_monitoring": 1, "checks": [{"service": "messagerie", "component": "webmail", "interval": "# + value + #", "samples": []}]}"#
            let (_, diagnostics) = generate(SiteFixture(["content/monitoring/o.json": text]))
            XCTAssertEqual(errors(diagnostics), ["content/monitoring/o.json:1:100: error: \(message)"])
        }
    }

    func testIncidentDatedYearOneAddsAtMost120SLAReports() throws {
        let incident = page("title: P\nseverity: major_outage\naffected: [messagerie]\nstarted_at: 0001-01-01T00:00:00Z\nresolved_at: 0001-01-02T00:00:00Z\n")
        let monitoring = prometheus(#"[1764000000,"1"],[1764000060,"1"]"#)
        // One language: the bound is on months, and each month is a page per language.
        let yaml = SiteFixture.siteYAML.replacingOccurrences(of: "languages: [fr, nl]", with: "languages: [fr]")
        let (site, diagnostics) = generate(SiteFixture(["content/site.yaml": yaml, "content/incidents/i.md": incident, "content/monitoring/p.json": monitoring]),
                                           BuildSettings(now: Timestamp(rfc3339: "2025-11-24T16:01:00Z")))
        XCTAssertEqual(errors(diagnostics), [])
        let reports = try XCTUnwrap(site).files.map(\.path).filter { $0.hasPrefix("fr/services/messagerie/sla/") }.sorted()
        XCTAssertEqual(reports.count, 120)
        XCTAssertEqual(reports.first, "fr/services/messagerie/sla/2015-12/index.html")
        XCTAssertEqual(reports.last, "fr/services/messagerie/sla/2025-11/index.html")
    }

    func testSourceDateEpochBeyondYear9999IsRefusedWithoutOverflow() {
        XCTAssertNil(Builder.sourceDateEpoch(["SOURCE_DATE_EPOCH": "9223372036854775807"]))
        XCTAssertNil(Builder.sourceDateEpoch(["SOURCE_DATE_EPOCH": "-1"]))
        // The last second of 9999 is the year 10000 east of UTC: a day before it is the last.
        XCTAssertNil(Builder.sourceDateEpoch(["SOURCE_DATE_EPOCH": "253402300799"]))
        XCTAssertEqual(Builder.sourceDateEpoch(["SOURCE_DATE_EPOCH": "253402214399"]), Timestamp(seconds: 253_402_214_399))
    }

    // MARK: Diagnostics

    func testControlCharactersFromContentAreShownEscapedInTextDiagnostics() {
        let d = Diagnostic.error("`\u{1B}]0;pwned\u{07}\u{1B}[2J` is not a valid id\n::error::fake", at: SourceLocation(path: "content/pages/x.md", line: 2, column: 1))
        let text = DiagnosticFormatter(format: .text, sourceLine: { _, _ in "id: \u{1B}[31mred" }).format(d)
        XCTAssertEqual(text, """
            content/pages/x.md:2:1: error: `<U+001B>]0;pwned<U+0007><U+001B>[2J` is not a valid id<U+000A>::error::fake
              2 | id: <U+001B>[31mred
                | ^
            """)
    }

    func testTitlesWithScriptURLsInSiteYAMLAreErrors() {
        let yaml = SiteFixture.siteYAML
            .replacingOccurrences(of: "contacts:\n  servicedesk: {name: Helpdesk,", with: "organisation: {url: \" JavaScript:alert(1)\"}\ncontacts:\n  servicedesk: {name: Helpdesk, url: \"data:text/html,x\",")
            + "  - {title: Aide, url: \"java\\tscript:alert(1)\"}\n"
        let (site, diagnostics) = generate(SiteFixture(["content/site.yaml": yaml]))
        XCTAssertNil(site)
        XCTAssertEqual(errors(diagnostics), [
            "content/site.yaml:10:16: error: `organisation.url` must be an http(s), mailto: or tel: link or a path, found `JavaScript:alert(1)`",
            "content/site.yaml:12:33: error: `url` must be an http(s), mailto: or tel: link or a path, found `data:text/html,x`",
            "content/site.yaml:17:19: error: `url` must be an http(s), mailto: or tel: link or a path, found `java\tscript:alert(1)`",
        ])
    }
}
