import Foundation
import XCTest
import YourICTTestSupport
@testable import YourICTFormats
@testable import YourICTSite

/// Discovery and authoring: filters, search index, JSON catalogue, `new` and `init`.
final class CatalogueTests: XCTestCase {
    static func fixture() -> SiteFixture {
        SiteFixture([
            "content/services/hebergement.md": """
            ---
            title: Hébergement d'applications
            summary: Des serveurs gérés.
            category: communication
            delivery: PaaS
            service_level: standard
            tags: [Serveurs, Linux]
            ---
            ## Sauvegardes quotidiennes

            Texte.
            """,
            "content/services/hebergement.nl.md": """
            ---
            title: Hosting van toepassingen
            summary: Beheerde servers.
            tags: [Servers, Linux]
            ---
            ## Dagelijkse back-ups
            """,
        ])
    }

    func testFilterPagesWorkWithoutJavaScript() throws {
        let (site, diagnostics) = Self.fixture().generate()
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.lines, [])
        let paas = try XCTUnwrap(site?.text("fr/catalogue/delivery/paas/index.html"))
        XCTAssertContains(paas, "Hébergement d&#39;applications")
        XCTAssertNotContains(paas, "<a href=\"/fr/services/messagerie/\"")
        XCTAssertNotNil(site?.text("fr/catalogue/level/critical/index.html"))
        XCTAssertNotNil(site?.text("fr/catalogue/tag/serveurs/index.html"))
        XCTAssertNotNil(site?.text("nl/catalogue/tag/linux/index.html"))
        // No page for a level no service uses.
        XCTAssertNil(site?.text("fr/catalogue/level/gold/index.html"))
    }

    func testSearchIndexIsCompactAndComplete() throws {
        let (site, _) = Self.fixture().generate()
        let text = try XCTUnwrap(site?.text("search/index.fr.json"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let entries = try XCTUnwrap(json["entries"] as? [[String: Any]])
        let hosting = try XCTUnwrap(entries.first { $0["title"] as? String == "Hébergement d'applications" })
        XCTAssertEqual(hosting["url"] as? String, "/fr/services/hebergement/")
        XCTAssertEqual(hosting["words"] as? [String], ["hebergement d applications", "serveurs linux communication standard paas",
                                                       "sauvegardes quotidiennes", "texte des geres"])
        XCTAssertTrue(entries.contains { $0["kind"] as? String == "page" && $0["title"] as? String == "Support" })
        XCTAssertEqual(Set(hosting.keys), ["kind", "title", "summary", "url", "words"])
        XCTAssertLessThan(text.utf8.count, 2_000)
        let nl = try XCTUnwrap(site?.text("search/index.nl.json"))
        XCTAssertContains(nl, "\"title\":\"Hosting van toepassingen\"")
    }

    func testCatalogueJSON() throws {
        let (site, _) = Self.fixture().generate()
        let text = try XCTUnwrap(site?.text("api/catalogue.json"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(json["languages"] as? [String], ["fr", "nl"])
        let services = try XCTUnwrap(json["services"] as? [[String: Any]])
        let hosting = try XCTUnwrap(services.first { $0["id"] as? String == "hebergement" })
        XCTAssertEqual(hosting["title"] as? [String: String], ["fr": "Hébergement d'applications", "nl": "Hosting van toepassingen"])
        XCTAssertEqual(hosting["urls"] as? [String: String], ["fr": "https://status.example.org/fr/services/hebergement/",
                                                               "nl": "https://status.example.org/nl/services/hebergement/"])
        XCTAssertEqual(hosting["target"] as? Double, 99.5)
        let mail = try XCTUnwrap(services.first { $0["id"] as? String == "messagerie" })
        let packs = try XCTUnwrap(mail["packs"] as? [[String: Any]])
        XCTAssertEqual(packs.map { $0["service_level"] as? String }, ["critical", "standard"])
        XCTAssertEqual((packs[0]["includes"] as? [String: [String]])?["fr"], ["50 Go", "Antispam"])
        XCTAssertEqual((mail["manager"] as? [String: Any])?["email"] as? String, "ann@example.org")
        let component = try XCTUnwrap((mail["components"] as? [[String: Any]])?.first)
        XCTAssertEqual(component["id"] as? String, "webmail")
        XCTAssertNil(component["monitor"], "label matchers name internal hosts: not published")
        let levels = try XCTUnwrap(json["service_levels"] as? [[String: Any]])
        XCTAssertEqual(levels.map { $0["id"] as? String }, ["critical", "standard"])
    }

    func testNewServiceWritesASheetThatBuildsAndRefusesToOverwrite() throws {
        let root = try SiteFixture().writeToDisk()
        defer { try? FileManager.default.removeItem(at: root) }
        XCTAssertEqual(try Scaffold.newService(id: "agenda", lang: nil, source: root), "content/services/agenda.md")
        XCTAssertEqual(try Scaffold.newService(id: "agenda", lang: "nl", source: root), "content/services/agenda.nl.md")
        XCTAssertThrowsError(try Scaffold.newService(id: "agenda", lang: nil, source: root))
        XCTAssertThrowsError(try Scaffold.newService(id: "../etc", lang: nil, source: root))
        // An empty title would write a sheet that `check` refuses.
        XCTAssertThrowsError(try Scaffold.newService(id: "notes", lang: nil, title: "  ", source: root))
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("content/services/notes.md").path))
        XCTAssertThrowsError(try Scaffold.newService(id: "other", lang: "nl", source: root))
        XCTAssertThrowsError(try Scaffold.newService(id: "x", lang: "de", source: root))
        let text = try String(contentsOf: root.appendingPathComponent("content/services/agenda.md"), encoding: .utf8)
        XCTAssertContains(text, "category: communication")
        XCTAssertContains(text, "service_level: critical")
        let result = Builder.run(source: root, output: nil, settings: BuildSettings(), strict: true)
        XCTAssertEqual(result.diagnostics.lines, [])
        XCTAssertNotNil(result.site?.text("fr/services/agenda/index.html"))
    }

    func testTranslationSkeletonIsPrefilledWithTheOriginalsTexts() throws {
        let root = try SiteFixture().writeToDisk()
        defer { try? FileManager.default.removeItem(at: root) }
        XCTAssertEqual(try Scaffold.newService(id: "messagerie", lang: "nl", source: root), "content/services/messagerie.nl.md")
        let text = try String(contentsOf: root.appendingPathComponent("content/services/messagerie.nl.md"), encoding: .utf8)
        XCTAssertContains(text, "title: \"Messagerie\"\nsummary: \"Le courriel des agents.\"\n")
        XCTAssertContains(text, "packs:\n  - id: \"standard\"\n    name: \"Pack standard\"\n    description: \"La boîte de base.\"\n    includes:\n      - \"50 Go\"\n      - \"Antispam\"\n")
        XCTAssertContains(text, "options:\n  - id: \"archive\"\n    name: \"Archivage\"\n")
        XCTAssertContains(text, "## Caractéristiques")
        XCTAssertNotContains(text, "service_level")
        XCTAssertNotContains(text, "monitor:")
        XCTAssertNotContains(text, "webmail.example.org")
        // As written, it builds with no diagnostic at all, even under --strict.
        let result = Builder.run(source: root, output: nil, settings: BuildSettings(), strict: true)
        XCTAssertEqual(result.diagnostics.lines, [])
        XCTAssertContains(try XCTUnwrap(result.site?.text("nl/services/messagerie/index.html")), "<h1>Messagerie</h1>")
    }

    func testTranslationsInheritFiguresAndMissingTexts() throws {
        let nl = """
        ---
        title: E-mail
        summary: De e-mail van de medewerkers.
        tags: [e-mail]
        packs:
          - {id: standard, name: Standaardpakket}
          - {id: plus, name: Pluspakket, includes: [100 GB]}
        options:
          - {id: archive, name: Archivering}
        ---
        ## Kenmerken
        """
        let (site, diagnostics) = SiteFixture(["content/services/messagerie.nl.md": nl]).generate()
        XCTAssertEqual(diagnostics.lines, [], "a translation need not repeat a pack's level or texts")
        let page = try XCTUnwrap(site?.text("nl/services/messagerie/index.html"))
        XCTAssertContains(page, "La boîte de base.")          // description left out: the original's
        XCTAssertContains(page, "<li>50 Go</li><li>Antispam</li>")
        XCTAssertContains(page, "<li>100 GB</li>")
        XCTAssertContains(page, "Conservation légale.")
        let api = try XCTUnwrap(site?.text("api/catalogue.json"))
        XCTAssertNotContains(api, "monitor")
        XCTAssertNotContains(api, "webmail.example.org")
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(api.utf8)) as? [String: Any])
        let mail = try XCTUnwrap((json["services"] as? [[String: Any]])?.first { $0["id"] as? String == "messagerie" })
        XCTAssertEqual(mail["tags"] as? [String: [String]], ["fr": [], "nl": ["e-mail"]])
        let packs = try XCTUnwrap(mail["packs"] as? [[String: Any]])
        XCTAssertEqual(packs[0]["description"] as? [String: String], ["fr": "La boîte de base.", "nl": "La boîte de base."])
        XCTAssertEqual(packs[0]["name"] as? [String: String], ["fr": "Pack standard", "nl": "Standaardpakket"])
        XCTAssertEqual(packs.map { $0["service_level"] as? String }, ["critical", "standard"])
        let options = try XCTUnwrap(mail["options"] as? [[String: Any]])
        XCTAssertEqual(options[0]["description"] as? [String: String], ["fr": "Conservation légale.", "nl": "Conservation légale."])

        // A translation that sets another level for a pack: a warning, and the original's level.
        let other = nl.replacingOccurrences(of: "{id: plus, name: Pluspakket,", with: "{id: plus, name: Pluspakket, service_level: critical,")
        let (site2, diagnostics2) = SiteFixture(["content/services/messagerie.nl.md": other]).generate()
        XCTAssertEqual(diagnostics2.lines, ["content/services/messagerie.nl.md:7:49: warning: a translation cannot change the `service_level` of pack `plus`; the original's value is used"])
        XCTAssertContains(try XCTUnwrap(site2?.text("api/catalogue.json")), #""service_level": "standard""#)

        // A pack or component id that is not the original's is named where it is written,
        // with the closest id (a helper found "cannot change the packs" at `packs:`, and a
        // component at 1:1).
        let typo = nl.replacingOccurrences(of: "{id: standard, name: Standaardpakket}", with: "{id: standart, name: Standaardpakket}")
        let (_, typoDiagnostics) = SiteFixture(["content/services/messagerie.nl.md": typo]).generate()
        XCTAssertEqual(typoDiagnostics.lines, ["content/services/messagerie.nl.md:6:10: warning: the pack `standart` of this translation is not one of the original's; the original's packs are used"])
        XCTAssertEqual(typoDiagnostics.first?.hint, "did you mean `standard`?")
        let swapped = nl.replacingOccurrences(of: "  - {id: standard, name: Standaardpakket}\n  - {id: plus, name: Pluspakket, includes: [100 GB]}",
                                              with: "  - {id: plus, name: Pluspakket, includes: [100 GB]}\n  - {id: standard, name: Standaardpakket}")
        XCTAssertNotEqual(swapped, nl)
        XCTAssertEqual(SiteFixture(["content/services/messagerie.nl.md": swapped]).generate().1.lines,
                       ["content/services/messagerie.nl.md:6:10: warning: the packs of this translation are not in the original's order; the original's are used"])
        let component = nl.replacingOccurrences(of: "tags: [e-mail]", with: "tags: [e-mail]\ncomponents:\n  - {id: webmial, name: Webmail}")
        let (_, componentDiagnostics) = SiteFixture(["content/services/messagerie.nl.md": component]).generate()
        XCTAssertEqual(componentDiagnostics.filter { $0.severity == .error }.lines,
                       ["content/services/messagerie.nl.md:6:10: error: the components of this translation (webmial) differ from `messagerie.md` (webmail)"])
        XCTAssertEqual(componentDiagnostics.first { $0.severity == .error }?.hint, "did you mean `webmail`?")

        // A field the original gets wrong is its error alone: the translation that repeats
        // the right value is not told it "cannot change" it.
        let broken = SiteFixture.mailSheet.replacingOccurrences(of: "service_level: critical", with: "service_level: [critical]")
        let (_, brokenDiagnostics) = SiteFixture(["content/services/messagerie.md": broken,
                                                  "content/services/messagerie.nl.md": nl.replacingOccurrences(of: "title: E-mail", with: "title: E-mail\nservice_level: critical")]).generate()
        XCTAssertEqual(brokenDiagnostics.filter { $0.location?.path == "content/services/messagerie.nl.md" }.lines, [])
        XCTAssertEqual(brokenDiagnostics.filter { $0.severity == .error }.count, 1, brokenDiagnostics.lines.joined(separator: "\n"))
    }

    func testInitWritesASiteThatBuildsAndChecksClean() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("yourict-init-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = try Scaffold.initSite(at: dir)
        XCTAssertTrue(files.contains("content/site.yaml"))
        XCTAssertTrue(files.contains("templates/base.mustache"))
        let result = Builder.run(source: dir, output: dir.appendingPathComponent("public"), settings: BuildSettings(), strict: true)
        XCTAssertEqual(result.diagnostics.lines, [])
        XCTAssertTrue(result.succeeded)
        XCTAssertThrowsError(try Scaffold.initSite(at: dir), "a non-empty folder is refused")
    }

    /// A folder holding only hidden files (a fresh clone: `.gitignore`, `.env`) may take a
    /// new site; its own ignore rules are kept, and yourict's added (they were replaced).
    func testInitKeepsTheFoldersOwnGitignore() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("yourict-init-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "secret.env\n*.key".write(to: dir.appendingPathComponent(".gitignore"), atomically: true, encoding: .utf8)
        _ = try Scaffold.initSite(at: dir)
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent(".gitignore"), encoding: .utf8),
                       "secret.env\n*.key\n# yourict\npublic/\n.public.previous/\n.public.staging-*/\n.yourict-cache/\n")
        XCTAssertEqual(Scaffold.gitignore(adding: ["public/"], to: "public/\n"), "public/\n")
    }

    func testEmbeddedThemeMatchesTemplatesFolder() throws {
        let tree = DiskSourceTree(root: SiteFixture.repositoryRoot)
        let onDisk = Set(tree.allFiles(under: "templates"))
        let embedded = Dictionary(uniqueKeysWithValues: DefaultTheme.files.map { ($0.path, $0.bytes) })
        XCTAssertEqual(Set(embedded.keys), onDisk)
        for path in onDisk {
            XCTAssertEqual(embedded[path], try tree.read(path), "\(path) differs from the embedded copy")
        }
    }
}
