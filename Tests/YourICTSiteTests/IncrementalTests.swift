import XCTest
import YourICTTestSupport
@testable import YourICTSupport
@testable import YourICTFormats
@testable import YourICTContent
@testable import YourICTSite

/// `serve` reuses what did not change; the result must always equal a generation from scratch.
final class IncrementalTests: XCTestCase {
    /// A fixed reference time, as `serve` keeps between rebuilds: with the clock's, every
    /// generation would differ from the last in every figure and nothing would be reused,
    /// so a reuse that forgot an input could not show here.
    private static let settings = BuildSettings(now: Timestamp(rfc3339: "2026-10-31T00:00:00Z"))

    private func fresh(_ tree: MemorySourceTree) -> [String: [UInt8]] {
        let site = SiteGenerator.generate(tree: tree, settings: Self.settings, diagnostics: DiagnosticBag())
        return Dictionary(uniqueKeysWithValues: (site?.files ?? []).map { ($0.path, $0.bytes) })
    }

    private func incremental(_ tree: MemorySourceTree, _ cache: GenerationCache) -> [String: [UInt8]] {
        let site = SiteGenerator.generate(tree: tree, settings: Self.settings, diagnostics: DiagnosticBag(), cache: cache)
        return Dictionary(uniqueKeysWithValues: (site?.files ?? []).map { ($0.path, $0.bytes) })
    }

    /// The next generation with `cache` makes what a generation from scratch makes.
    private func assertIncrementalEqualsFresh(_ tree: MemorySourceTree, _ cache: GenerationCache, _ what: String,
                                              file: StaticString = #filePath, line: UInt = #line) {
        let expected = fresh(tree)
        let actual = incremental(tree, cache)
        XCTAssertFalse(expected.isEmpty, what, file: file, line: line)
        XCTAssertEqual(Set(actual.keys), Set(expected.keys), what, file: file, line: line)
        for (path, bytes) in expected where actual[path] != bytes {
            XCTFail("\(what): \(path) differs from a generation from scratch", file: file, line: line)
        }
    }

    private func diagnostics(_ tree: MemorySourceTree, cache: GenerationCache?) -> [String] {
        let bag = DiagnosticBag()
        _ = SiteGenerator.generate(tree: tree, settings: BuildSettings(), diagnostics: bag, cache: cache)
        return bag.all.map { "\($0)" }.sorted()
    }

    /// Decoded files are patched into the last merge (`ContentLoader`): diagnostics of the
    /// files that did not change are still reported, and errors come and go with edits.
    func testIncrementalDiagnosticsEqualThoseFromScratch() throws {
        var fixture = DashboardTests.fixture()
        fixture.files["content/services/stockage.md"] = "---\ntitle: Stockage\nsummary: Des volumes.\ncategory: communication\ndelivery: PaaS\nservice_level: standard\ncolour: blue\n---\nTexte.\n"
        fixture.files["content/services/stockage.nl.md"] = "---\ntitle: Opslag\n---\nTekst.\n"
        let cache = GenerationCache()
        XCTAssertEqual(diagnostics(fixture.tree, cache: cache), diagnostics(fixture.tree, cache: nil))
        let edits: [(String, (inout SiteFixture) -> Void)] = [
            ("another sheet's body", { $0.files["content/services/messagerie.md"]! += "\nPlus.\n" }),
            ("the original broken", { $0.files["content/services/stockage.md"] = "---\ntitle: [\n---\nTexte.\n" }),
            ("the translation edited while its original is broken", { $0.files["content/services/stockage.nl.md"]! += "Meer.\n" }),
            ("the original fixed", { $0.files["content/services/stockage.md"] = "---\ntitle: Stockage\nsummary: Des volumes.\ncategory: communication\ndelivery: PaaS\nservice_level: gold\n---\nTexte.\n" }),
            ("the original removed", { $0.files["content/services/stockage.md"] = nil }),
        ]
        for (what, edit) in edits {
            edit(&fixture)
            let expected = diagnostics(fixture.tree, cache: nil)
            XCTAssertFalse(expected.isEmpty, what)
            XCTAssertEqual(diagnostics(fixture.tree, cache: cache), expected, "after \(what)")
        }
    }

    /// The default language changed and changed back (found by a helper's audit of
    /// `serve`): the patched merge of the last generation kept documents decoded under the
    /// other default language, and French sheets were served as Dutch translations.
    func testTheDefaultLanguageChangedAndBackEqualsAGenerationFromScratch() throws {
        var fixture = DashboardTests.fixture()
        for path in fixture.files.keys where path.hasSuffix(".nl.md") { fixture.files[path] = nil }
        let cache = GenerationCache()
        XCTAssertEqual(incremental(fixture.tree, cache), fresh(fixture.tree))
        let site = fixture.files["content/site.yaml"]!
        XCTAssertTrue(site.contains("languages: [fr, nl]"))
        for (what, text) in [("swapped", site.replacingOccurrences(of: "languages: [fr, nl]", with: "languages: [nl, fr]")), ("back", site),
                             ("swapped again", site.replacingOccurrences(of: "languages: [fr, nl]", with: "languages: [nl, fr]")), ("back again", site)] {
            fixture.files["content/site.yaml"] = text
            assertIncrementalEqualsFresh(fixture.tree, cache, "languages \(what)")
        }
    }

    func testVersionedKeysKeepOneVersionPerName() {
        var keys = VersionedKeys<Int>()
        XCTAssertEqual(keys.insert(1, element: "summary/fr/a#1"), [])
        XCTAssertEqual(keys.insert(2, element: "summary/fr/a#1"), [])
        XCTAssertEqual(keys.insert(3, element: "summary/fr/b#1"), [])
        XCTAssertEqual(keys.insert(4, element: "summary/fr/a#2").sorted(), [1, 2])
        XCTAssertEqual(keys.insert(5, element: "summary/fr/a#2"), [])
        XCTAssertEqual(keys.insert(6, element: "summary/fr/a#1"), [4, 5])
        XCTAssertEqual(keys.insert(7, element: "no-version"), [])
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
            ("a translation's title", { $0.files["content/services/stockage.nl.md"] = "---\ntitle: Opslag in het netwerk\nsummary: Volumes.\n---\nTekst.\n" }),
            ("a sheet's tags and level", { $0.files["content/services/stockage.md"] = $0.files["content/services/stockage.md"]!.replacingOccurrences(of: "service_level: standard", with: "service_level: critical\ntags: [stockage, réseau]") }),
            // Every catalogue page shows the tags and their counts, also those that do not list the sheet.
            ("a sheet's tags only", { $0.files["content/services/stockage.md"] = $0.files["content/services/stockage.md"]!.replacingOccurrences(of: "tags: [stockage, réseau]", with: "tags: [stockage, réseau, sauvegarde]") }),
            ("a sheet's manager (the JSON catalogue only)", { $0.files["content/services/stockage.md"] = $0.files["content/services/stockage.md"]!.replacingOccurrences(of: "delivery: PaaS", with: "delivery: PaaS\nmanager: {name: Alice Martin, email: alice@example.org}") }),
            ("a component's description (the Statuspage components only)", { $0.files["content/services/stockage.md"] = $0.files["content/services/stockage.md"]!.replacingOccurrences(of: "{id: nas, name: NAS}", with: "{id: nas, name: NAS, description: Volumes NFS.}") }),
            // The Statuspage components of the services after it move by one position.
            ("a component added", {
                let mail = $0.files["content/services/messagerie.md"]!
                $0.files["content/services/messagerie.md"] = mail.replacingOccurrences(of: "components:\n", with: "components:\n  - {id: imap, name: IMAP}\n")
                XCTAssertNotEqual($0.files["content/services/messagerie.md"], mail)
            }),
            ("a maintenance announced, then cancelled (feeds, calendars, Statuspage)", { $0.files["content/incidents/planned.md"] = $0.files["content/incidents/planned.md"]!.replacingOccurrences(of: "scheduled_until: 2026-11-07T08:00:00+01:00\n", with: "scheduled_until: 2026-11-07T08:00:00+01:00\nupdates:\n  - {at: 2026-10-30T12:00:00Z, status: scheduled, body: \"Annoncée.\"}\n") }),
            ("a cancellation", { $0.files["content/incidents/planned.md"]! = $0.files["content/incidents/planned.md"]!.replacingOccurrences(of: "body: \"Annoncée.\"}\n", with: "body: \"Annoncée.\"}\n  - {at: 2026-10-30T13:00:00Z, status: cancelled, body: \"Annulée.\"}\n") }),
            ("a dependency on a service in outage", { $0.files["content/services/stockage.md"] = $0.files["content/services/stockage.md"]!.replacingOccurrences(of: "delivery: PaaS", with: "delivery: PaaS\ndepends_on: [messagerie]") }),
            ("the dependency's title", { $0.files["content/services/messagerie.md"] = $0.files["content/services/messagerie.md"]!.replacingOccurrences(of: "title: Messagerie", with: "title: Messagerie web") }),
            ("the dependency's outage over", { $0.files["content/incidents/open.md"] = $0.files["content/incidents/open.md"]!.replacingOccurrences(of: "severity: major_outage", with: "severity: degraded_performance") }),
            ("a lifecycle", { $0.files["content/services/stockage.md"] = $0.files["content/services/stockage.md"]!.replacingOccurrences(of: "delivery: PaaS", with: "delivery: PaaS\nlifecycle: {stage: deprecated, until: 2027-03-31}") }),
            ("retired", { $0.files["content/services/stockage.md"] = $0.files["content/services/stockage.md"]!.replacingOccurrences(of: "stage: deprecated, until: 2027-03-31", with: "stage: retired, since: 2026-10-15") }),
            ("back in production", { $0.files["content/services/stockage.md"] = $0.files["content/services/stockage.md"]!.replacingOccurrences(of: "lifecycle: {stage: retired, since: 2026-10-15}\n", with: "") }),
            ("the title back, and the order", { $0.files["content/services/stockage.md"] = $0.files["content/services/stockage.md"]!.replacingOccurrences(of: "title: Stockage réseau", with: "title: Aaa stockage") }),
            // A page shows the state now of the services it names (found by a helper's audit
            // of `serve`: a resolved outage stayed on the dependency's "used by" list).
            ("an outage of a dependant (the dependency's page lists it with its state)", {
                $0.files["content/incidents/nas.md"] = "---\ntitle: NAS hors service\nseverity: major_outage\naffected: [stockage/nas]\nstarted_at: 2026-10-30T20:00:00Z\n---\n"
            }),
            ("the dependant's outage resolved", { $0.files["content/incidents/nas.md"] = $0.files["content/incidents/nas.md"]!.replacingOccurrences(of: "started_at:", with: "resolved_at: 2026-10-30T22:00:00Z\nstarted_at:") }),
            ("an incident naming two services", {
                $0.files["content/services/annuaire.md"] = "---\ntitle: Annuaire\nsummary: Les comptes.\ncategory: communication\ndelivery: SaaS\nservice_level: critical\n---\nTexte.\n"
                $0.files["content/incidents/nas.md"] = $0.files["content/incidents/nas.md"]!.replacingOccurrences(of: "affected: [stockage/nas]", with: "affected: [stockage/nas, annuaire]")
            }),
            ("the title of another service an incident's card names", { $0.files["content/services/annuaire.md"] = $0.files["content/services/annuaire.md"]!.replacingOccurrences(of: "title: Annuaire", with: "title: Annuaire central") }),
            ("a title", { $0.files["content/services/stockage.md"] = $0.files["content/services/stockage.md"]!.replacingOccurrences(of: "title: Aaa stockage", with: "title: Aaa stockage bis") }),
            ("a replacement", { $0.files["content/services/stockage.md"] = $0.files["content/services/stockage.md"]!.replacingOccurrences(of: "delivery: PaaS", with: "delivery: PaaS\nlifecycle: {stage: deprecated, until: 2027-03-31, replaced_by: messagerie}") }),
            ("the replacement's title", { $0.files["content/services/messagerie.md"] = $0.files["content/services/messagerie.md"]!.replacingOccurrences(of: "title: Messagerie web", with: "title: Messagerie du web") }),
            ("a service affected through another (via stockage, by messagerie)", {
                $0.files["content/services/agenda.md"] = "---\ntitle: Agenda\nsummary: Des agendas.\ncategory: communication\ndelivery: SaaS\nservice_level: critical\ndepends_on: [stockage]\n---\nTexte.\n"
                $0.files["content/incidents/open.md"] = $0.files["content/incidents/open.md"]!.replacingOccurrences(of: "severity: degraded_performance", with: "severity: major_outage")
            }),
            ("the title of the service it is affected via", { $0.files["content/services/stockage.md"] = $0.files["content/services/stockage.md"]!.replacingOccurrences(of: "title: Aaa stockage bis", with: "title: Aaa stockage ter") }),
            ("all of it undone", {
                $0.files["content/services/agenda.md"] = nil
                $0.files["content/services/annuaire.md"] = nil
                $0.files["content/incidents/nas.md"] = nil
                $0.files["content/incidents/open.md"] = $0.files["content/incidents/open.md"]!.replacingOccurrences(of: "severity: major_outage", with: "severity: degraded_performance")
                $0.files["content/services/stockage.md"] = $0.files["content/services/stockage.md"]!.replacingOccurrences(of: "title: Aaa stockage ter", with: "title: Aaa stockage")
                    .replacingOccurrences(of: "\nlifecycle: {stage: deprecated, until: 2027-03-31, replaced_by: messagerie}", with: "")
            }),
        ]
        for (what, edit) in edits {
            edit(&fixture)
            assertIncrementalEqualsFresh(fixture.tree, cache, "after editing \(what)")
        }

        // A body edit re-renders few outputs and reuses the others: a paragraph of words
        // the sheet has already changes its pages; the search indexes hold each word of a
        // body once, and the JSON catalogue the front matter: they are reused.
        // (Its pages are the sheet and its October SLA report, in two languages.)
        fixture.files["content/services/stockage.md"]! += "\nUn paragraphe de plus.\n"
        _ = incremental(fixture.tree, cache)
        XCTAssertEqual(cache.lastRenderedNames.sorted(), ["fr/services/stockage/index.html", "fr/services/stockage/sla/2026-10/index.html",
                                                          "nl/services/stockage/index.html", "nl/services/stockage/sla/2026-10/index.html"])
        XCTAssertFalse(cache.lastRenderedNames.contains { $0.hasPrefix("search") })
        XCTAssertGreaterThan(cache.lastReused, 30)

        // A title edit renders again the catalogue pages that list the service, and only
        // them: a filter page without it is reused (equal to one from scratch, above).
        fixture.files["content/services/stockage.md"] = fixture.files["content/services/stockage.md"]!.replacingOccurrences(of: "title: Aaa stockage", with: "title: Aaa stockage en réseau")
        let retitled = incremental(fixture.tree, cache)
        XCTAssertEqual(retitled, fresh(fixture.tree))
        let cataloguePages = retitled.keys.filter { $0.contains("/catalogue/") && $0.hasSuffix(".html") }
        let listing = cataloguePages.filter { String(decoding: retitled[$0]!, as: UTF8.self).contains("/services/stockage/\"") }
        XCTAssertFalse(listing.isEmpty)
        XCTAssertLessThan(listing.count, cataloguePages.count, "some filter page does not list the service")
        XCTAssertEqual(Set(cache.lastRenderedNames.filter { $0.contains("/catalogue/") }), Set(listing))
        fixture.files["content/services/stockage.md"] = fixture.files["content/services/stockage.md"]!.replacingOccurrences(of: "title: Aaa stockage en réseau", with: "title: Aaa stockage")
        _ = incremental(fixture.tree, cache)

        // A title that moves the service in the catalogue's order: the lists of all services
        // change (catalogue, dashboard), not the pages of a service that does not name it.
        fixture.files["content/services/visio.md"] = "---\ntitle: Visio\nsummary: Des réunions.\ncategory: communication\ndelivery: SaaS\nservice_level: critical\n---\nTexte.\n"
        _ = incremental(fixture.tree, cache)
        fixture.files["content/services/stockage.md"] = fixture.files["content/services/stockage.md"]!.replacingOccurrences(of: "title: Aaa stockage", with: "title: Zzz stockage")
        let moved = incremental(fixture.tree, cache)
        XCTAssertEqual(moved, fresh(fixture.tree))
        XCTAssertTrue(cache.lastRenderedNames.contains("fr/index.html"))
        XCTAssertTrue(cache.lastRenderedNames.contains("fr/catalogue/index.html"))
        XCTAssertFalse(cache.lastRenderedNames.contains { $0.hasPrefix("fr/services/visio/") }, "\(cache.lastRenderedNames.sorted())")
        // Badges, feeds and calendars are made in parts of the services by id: only the
        // part of the retitled service is made again (and the feeds of those an incident
        // affects, whose entries name services).
        XCTAssertEqual(cache.lastRenderedNames.filter { $0.hasPrefix("badges-") }.count, 1, "\(cache.lastRenderedNames.sorted())")
        XCTAssertEqual(cache.lastRenderedNames.filter { $0.hasPrefix("service-subscriptions-") }.count, 2, "\(cache.lastRenderedNames.sorted())")
        fixture.files["content/services/stockage.md"] = fixture.files["content/services/stockage.md"]!.replacingOccurrences(of: "title: Zzz stockage", with: "title: Aaa stockage")
        fixture.files["content/services/visio.md"] = nil
        _ = incremental(fixture.tree, cache)

        // A new word: the search indexes too, equal to those from scratch.
        fixture.files["content/services/stockage.md"]! += "\nEncore une sauvegarde chaque nuit.\n"
        let afterWord = incremental(fixture.tree, cache)
        XCTAssertEqual(cache.lastRendered, 6, "\(cache.lastRenderedNames.sorted())")
        let expectedWord = fresh(fixture.tree)
        for path in ["search/index.fr.json", "search/index.nl.json"] { XCTAssertEqual(afterWord[path], expectedWord[path], path) }
        XCTAssertTrue(String(decoding: afterWord["search/index.fr.json"] ?? [], as: UTF8.self).contains(" sauvegarde "))

        // A new heading: the search indexes too, equal to those from scratch.
        fixture.files["content/services/stockage.md"]! += "\n## Sauvegardes\n\nChaque nuit.\n"
        let after = incremental(fixture.tree, cache)
        XCTAssertEqual(cache.lastRendered, 6, "\(cache.lastRenderedNames.sorted())")
        let expected = fresh(fixture.tree)
        for path in ["search/index.fr.json", "search/index.nl.json"] { XCTAssertEqual(after[path], expected[path], path) }
        // (The Dutch sheet is a translation with its own body.)
        XCTAssertTrue(String(decoding: after["search/index.fr.json"] ?? [], as: UTF8.self).contains("sauvegardes"))
    }
}

/// Hashes kept with a sheet (`ServiceSheet.derived`) follow its changes.
final class ServiceSheetDerivedTests: XCTestCase {
    func testDerivedValuesAreRecomputedAfterAChange() {
        var sheet = ServiceSheet(id: "a", lang: "fr", path: "content/services/a.md", title: "A", summary: "", category: "c",
                                 delivery: "SaaS", serviceLevel: "standard", manager: nil, packs: [], options: [], components: [],
                                 tags: [], draft: false, weight: 0, downWhen: .any,
                                 body: MarkdownSource(text: "", path: "content/services/a.md", firstLine: 1))
        var computed = 0
        func titleHash(_ s: ServiceSheet) -> Int { s.derived(.listing) { computed += 1; return $0.title.hashValue } }
        let first = titleHash(sheet)
        XCTAssertEqual(titleHash(sheet), first)
        XCTAssertEqual(computed, 1, "kept with the sheet")

        let copy = sheet
        sheet.title = "B"  // shared box: the sheet gets its own
        XCTAssertEqual(titleHash(copy), first)
        XCTAssertEqual(titleHash(sheet), "B".hashValue)
        XCTAssertEqual(computed, 2)

        sheet.title = "C"  // its own box, changed in place: what was derived is forgotten
        XCTAssertEqual(titleHash(sheet), "C".hashValue)
        sheet.tags.append("x")
        _ = titleHash(sheet)
        XCTAssertEqual(computed, 4)
    }
}
