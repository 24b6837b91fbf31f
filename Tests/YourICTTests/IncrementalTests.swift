import XCTest
@testable import YourICT

/// `serve` reuses what did not change; the result must always equal a generation from scratch.
final class IncrementalTests: XCTestCase {
    private func fresh(_ tree: MemorySourceTree) -> [String: [UInt8]] {
        let site = SiteGenerator.generate(tree: tree, settings: BuildSettings(), diagnostics: DiagnosticBag())
        return Dictionary(uniqueKeysWithValues: (site?.files ?? []).map { ($0.path, $0.bytes) })
    }

    private func incremental(_ tree: MemorySourceTree, _ cache: GenerationCache) -> [String: [UInt8]] {
        let site = SiteGenerator.generate(tree: tree, settings: BuildSettings(), diagnostics: DiagnosticBag(), cache: cache)
        return Dictionary(uniqueKeysWithValues: (site?.files ?? []).map { ($0.path, $0.bytes) })
    }

    func testIncrementalGenerationsEqualGenerationsFromScratch() throws {
        var fixture = DashboardTests.fixture()
        fixture.files["content/services/stockage.md"] = """
        ---
        title: Stockage
        summary: Des volumes.
        category: communication
        delivery: PaaS
        service_level: standard
        components:
          - {id: nas, name: NAS}
        ---
        ## Volumes

        Voir [la messagerie](messagerie.md#caracteristiques).
        """
        let cache = GenerationCache()
        XCTAssertEqual(incremental(fixture.tree, cache), fresh(fixture.tree))
        XCTAssertEqual(cache.lastReused, 0)

        let edits: [(String, (inout SiteFixture) -> Void)] = [
            ("body of a sheet", { $0.files["content/services/stockage.md"]! += "\nUn paragraphe de plus.\n" }),
            ("title of a sheet", { $0.files["content/services/stockage.md"] = $0.files["content/services/stockage.md"]!.replacingOccurrences(of: "title: Stockage", with: "title: Stockage réseau") }),
            ("the sheet another sheet links to", { $0.files["content/services/messagerie.md"] = $0.files["content/services/messagerie.md"]!.replacingOccurrences(of: "## Caractéristiques", with: "## Caractéristiques\n\n### Détails") }),
            ("an incident", { $0.files["content/incidents/open.md"] = $0.files["content/incidents/open.md"]!.replacingOccurrences(of: "severity: degraded_performance", with: "severity: major_outage") }),
            ("a page title in the menu", { $0.files["content/pages/support.md"] = "---\ntitle: Assistance\n---\n## Helpdesk\n\nDu lundi au vendredi.\n" }),
            ("site.yaml", { $0.files["content/site.yaml"]! += "notice: Version de test.\n" }),
            ("a template", { $0.files["templates/partials/footer.mustache"] = String(decoding: SiteFixture.theme["templates/partials/footer.mustache"]!, as: UTF8.self) + "<!-- changed -->\n" }),
            ("monitoring", { $0.files["content/monitoring/p.json"] = MonitoringTests.prometheus(MonitoringTests.minutes(from: MonitoringTests.t0, 30 * 1440) { $0 % 997 == 0 }) }),
            ("a new sheet", { $0.files["content/services/agenda.md"] = "---\ntitle: Agenda\nsummary: Des agendas.\ncategory: communication\ndelivery: SaaS\nservice_level: critical\n---\nTexte.\n" }),
            ("a removed sheet", { $0.files["content/services/agenda.md"] = nil }),
            ("a translation", { $0.files["content/services/stockage.nl.md"] = "---\ntitle: Opslag\nsummary: Volumes.\n---\nTekst.\n" }),
        ]
        for (what, edit) in edits {
            edit(&fixture)
            let expected = fresh(fixture.tree)
            let actual = incremental(fixture.tree, cache)
            XCTAssertFalse(expected.isEmpty, what)
            XCTAssertEqual(Set(actual.keys), Set(expected.keys), "after editing \(what)")
            for (path, bytes) in expected where actual[path] != bytes {
                XCTFail("after editing \(what): \(path) differs from a generation from scratch")
            }
        }

        // A body edit re-renders few outputs and reuses the others.
        fixture.files["content/services/stockage.md"]! += "\nEncore un paragraphe.\n"
        _ = incremental(fixture.tree, cache)
        // Its pages (fr, nl), the search indexes (fr, nl) and the JSON catalogue.
        XCTAssertEqual(cache.lastRendered, 5, "\(cache.lastRenderedNames.sorted())")
        XCTAssertGreaterThan(cache.lastReused, 30)
    }
}
