import Foundation
import XCTest
@testable import YourICT

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

    func testSearchIndexIsSmallAndComplete() throws {
        let (site, _) = Self.fixture().generate()
        let text = try XCTUnwrap(site?.text("search/index.fr.json"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let entries = try XCTUnwrap(json["entries"] as? [[String: Any]])
        let hosting = try XCTUnwrap(entries.first { $0["title"] as? String == "Hébergement d'applications" })
        XCTAssertEqual(hosting["url"] as? String, "/fr/services/hebergement/")
        XCTAssertEqual(hosting["tags"] as? [String], ["Serveurs", "Linux"])
        XCTAssertEqual(hosting["headings"] as? [String], ["Sauvegardes quotidiennes"])
        XCTAssertEqual(hosting["delivery"] as? String, "PaaS")
        XCTAssertTrue(entries.contains { $0["kind"] as? String == "page" && $0["title"] as? String == "Support" })
        XCTAssertNil(hosting["body"], "bodies are not indexed")
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
        XCTAssertEqual(((mail["components"] as? [[String: Any]])?.first?["monitor"] as? [String: String])?["job"], "blackbox")
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
        XCTAssertThrowsError(try Scaffold.newService(id: "other", lang: "nl", source: root))
        XCTAssertThrowsError(try Scaffold.newService(id: "x", lang: "de", source: root))
        let text = try String(contentsOf: root.appendingPathComponent("content/services/agenda.md"), encoding: .utf8)
        XCTAssertContains(text, "category: communication")
        XCTAssertContains(text, "service_level: critical")
        let result = Builder.run(source: root, output: nil, settings: BuildSettings(), strict: true)
        XCTAssertEqual(result.diagnostics.lines, [])
        XCTAssertNotNil(result.site?.text("fr/services/agenda/index.html"))
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

    func testEmbeddedThemeMatchesTemplatesFolder() throws {
        let tree = DiskSourceTree(root: SiteFixture.repositoryRoot)
        let onDisk = Set(tree.allFiles(under: "templates"))
        let embedded = Dictionary(uniqueKeysWithValues: DefaultTheme.files.map { ($0.path, $0.text) })
        XCTAssertEqual(Set(embedded.keys), onDisk, "run scripts/embed-theme.py")
        for path in onDisk {
            XCTAssertEqual(embedded[path], String(decoding: try tree.read(path), as: UTF8.self), "\(path) differs: run scripts/embed-theme.py")
        }
    }
}
