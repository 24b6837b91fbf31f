import Foundation
import XCTest
import YourICTTestSupport
@testable import YourICTSite

/// Issue 24, parts 2 and 3: the monthly SLA overview (page, JSON, CSV), the site's root
/// and its 404 pages.
final class SLAOverviewTests: XCTestCase {
    static let now = "2026-11-01T12:00:00Z"
    /// October 2026 in Brussels: 30 September 22:00Z to 31 October 23:00Z (the clocks go
    /// back on the 25th), 44,700 minutes.
    static let octoberStart = "2026-09-30T22:00:00Z"

    static func visioLabels() -> String { #"{"__name__":"probe_success","job":"blackbox","instance":"https://visio.example.org/"}"# }

    /// Messagerie probed every minute through October and to `now`, 45 minutes down on the
    /// 20th (one incident); visio probed from 28 October only; a telephone service nothing
    /// monitors, with a comma and quotes in its title.
    static func fixture() -> SiteFixture {
        let start = CurrentStateTests.t(octoberStart).millis / 1000
        let downFrom = Int((CurrentStateTests.t("2026-10-20T10:00:00Z").millis / 1000 - start) / 60)
        let minutes = Int((CurrentStateTests.t(now).millis / 1000 - start) / 60)
        let visioStart = CurrentStateTests.t("2026-10-28T00:00:00Z").millis / 1000
        let visioMinutes = Int((CurrentStateTests.t(now).millis / 1000 - visioStart) / 60)
        return SiteFixture([
            "content/monitoring/p.json": MonitoringTests.prometheus(MonitoringTests.minutes(from: start, minutes) { (downFrom..<downFrom + 45).contains($0) }),
            "content/monitoring/v.json": MonitoringTests.prometheus(MonitoringTests.minutes(from: visioStart, visioMinutes), labels: visioLabels()),
            "content/services/visio.md": """
            ---
            title: Visio
            summary: Des réunions.
            category: communication
            delivery: SaaS
            service_level: standard
            manager: {name: Ann Example, email: ann@example.org}
            components:
              - {id: web, name: Web, monitor: {job: blackbox, instance: "https://visio.example.org/"}}
            ---
            Texte.
            """,
            "content/services/telephone.md": """
            ---
            title: 'Téléphonie "fixe", voix'
            summary: Des appels.
            category: communication
            delivery: SaaS
            service_level: standard
            manager: {name: Ann Example, email: ann@example.org}
            ---
            Texte.
            """,
            "content/incidents/panne.md": """
            ---
            title: Panne du webmail
            severity: major_outage
            affected: [messagerie/webmail]
            started_at: 2026-10-20T10:00:00Z
            resolved_at: 2026-10-20T10:45:00Z
            ---

            """,
        ])
    }

    static func site(_ fixture: SiteFixture = fixture()) throws -> GeneratedSite {
        let (site, diagnostics) = fixture.generate(BuildSettings(now: CurrentStateTests.t(now)))
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.lines, [])
        return try XCTUnwrap(site)
    }

    func testTheCSVFileIsRFC4180WithAHeaderRow() throws {
        let csv = try XCTUnwrap(try Self.site().text("api/sla/2026-10.csv"))
        XCTAssertEqual(csv, """
        month,service_id,service,lifecycle,service_level,target,availability,coverage,verdict,downtime_minutes,maintenance_minutes,no_data_minutes,incidents,maintenances,source,report_url\r
        2026-10,messagerie,Messagerie,production,critical,99.9,99.899328,100,missed,45,0,0,1,0,monitoring,https://status.example.org/fr/services/messagerie/sla/2026-10/\r
        2026-10,telephone,"Téléphonie ""fixe"", voix",production,standard,99.5,100,100,met,0,0,0,0,0,incidents,https://status.example.org/fr/services/telephone/sla/2026-10/\r
        2026-10,visio,Visio,production,standard,99.5,100,12.751677,insufficient_data,0,0,39000,0,0,monitoring,https://status.example.org/fr/services/visio/sla/2026-10/\r

        """)
    }

    /// A title a spreadsheet would read as a formula is written as text.
    func testTheCSVFileNeverCarriesAFormula() throws {
        var fixture = Self.fixture()
        fixture.files["content/services/telephone.md"] = fixture.files["content/services/telephone.md"]!
            .replacingOccurrences(of: #"title: 'Téléphonie "fixe", voix'"#, with: #"title: '=HYPERLINK("https://example.org/","x")'"#)
        let csv = try XCTUnwrap(try Self.site(fixture).text("api/sla/2026-10.csv"))
        XCTAssertContains(csv, "\r\n2026-10,telephone,\"'=HYPERLINK(\"\"https://example.org/\"\",\"\"x\"\")\",production,")
        XCTAssertEqual(SLAOverviewAPI.text("-1"), "'-1")
        XCTAssertEqual(SLAOverviewAPI.text("Messagerie - 2"), "Messagerie - 2")
    }

    func testTheJSONFileHasTheSameRows() throws {
        let json = try CurrentStateTests.json(try Self.site(), "api/sla/2026-10.json")
        XCTAssertEqual(json["month"] as? String, "2026-10")
        XCTAssertEqual(json["start"] as? String, "2026-09-30T22:00:00Z")
        XCTAssertEqual(json["end"] as? String, "2026-10-31T23:00:00Z")
        XCTAssertEqual(json["complete"] as? Bool, true)
        XCTAssertEqual(json["summary"] as? [String: Int], ["services": 3, "met": 1, "missed": 1, "no_verdict": 1])
        let rows = try XCTUnwrap(json["services"] as? [[String: Any]])
        XCTAssertEqual(rows.map { $0["id"] as? String }, ["messagerie", "telephone", "visio"])
        XCTAssertEqual(rows[0]["availability"] as? Double, 99.899328)
        XCTAssertEqual(rows[0]["met"] as? Bool, false)
        XCTAssertEqual(rows[0]["verdict"] as? String, "missed")
        XCTAssertEqual(rows[0]["downtime_minutes"] as? Double, 45)
        XCTAssertEqual(rows[0]["incidents"] as? Int, 1)
        XCTAssertEqual(rows[0]["url"] as? String, "/fr/services/messagerie/sla/2026-10/")
        XCTAssertTrue(rows[2]["met"] is NSNull)
        XCTAssertEqual(rows[2]["verdict"] as? String, "insufficient_data")
        // The month in progress has its files too, marked as such.
        XCTAssertEqual(try CurrentStateTests.json(try Self.site(), "api/sla/2026-11.json")["complete"] as? Bool, false)
    }

    /// A planned service, measured before it opens, counted as "missed" in the month's
    /// summary for management (an audit's finding): it is left out of the overview.
    func testAPlannedServiceIsNotJudgedInTheOverview() throws {
        var fixture = Self.fixture()
        fixture.files["content/services/visio.md"] = fixture.files["content/services/visio.md"]!
            .replacingOccurrences(of: "delivery: SaaS", with: "delivery: SaaS\nlifecycle: {stage: planned, until: 2027-01-15}")
        let site = try Self.site(fixture)
        let json = try CurrentStateTests.json(site, "api/sla/2026-10.json")
        XCTAssertEqual(json["summary"] as? [String: Int], ["services": 2, "met": 1, "missed": 1, "no_verdict": 0])
        XCTAssertEqual((json["services"] as? [[String: Any]])?.map { $0["id"] as? String }, ["messagerie", "telephone"])
        XCTAssertNotContains(site.text("api/sla/2026-10.csv"), "visio")
        XCTAssertNotContains(site.text("fr/sla/2026-10/index.html"), "Visio")
        // Its own report and month list give its figures, and no verdict.
        let report = try XCTUnwrap(site.text("fr/services/visio/sla/2026-10/index.html"))
        XCTAssertContains(report, "<span class=\"figure\">")
        XCTAssertNotContains(report, "verdict-")
        XCTAssertNotContains(site.text("fr/services/visio/index.html"), "verdict-")
        // A month only it was measured in has no overview (without the unmonitored telephone
        // service, whose figures from declared incidents run from the site's first record).
        fixture.files["content/services/telephone.md"] = nil
        let august = CurrentStateTests.t("2026-08-10T00:00:00Z").millis / 1000
        fixture.files["content/monitoring/v-old.json"] = MonitoringTests.prometheus(MonitoringTests.minutes(from: august, 60), labels: Self.visioLabels())
        let measured = try Self.site(fixture)
        XCTAssertNil(measured.text("api/sla/2026-08.json"))
        XCTAssertNotNil(measured.text("fr/services/visio/sla/2026-08/index.html"))
    }

    func testTheOverviewPageShowsEveryServiceWithItsVerdict() throws {
        let html = try XCTUnwrap(try Self.site().text("fr/sla/2026-10/index.html"))
        XCTAssertContains(html, "<h1>octobre 2026</h1>")
        XCTAssertContains(html, "<tr><th scope=\"row\"><a href=\"/fr/services/messagerie/sla/2026-10/\">Messagerie</a></th><td>Critique</td><td class=\"num\">99,9\u{202F}%</td><td><span class=\"figure\">99,89\u{202F}%</span> <span class=\"verdict verdict-breached\"><span aria-hidden=\"true\">✕</span> objectif non atteint</span>\n</td><td class=\"num\">100\u{202F}%</td><td class=\"num\">45,0 min</td><td class=\"num\">1</td></tr>")
        XCTAssertContains(html, "<span class=\"verdict verdict-insufficient\"><span aria-hidden=\"true\">?</span> données insuffisantes (période mesurée à 12,7\u{202F}%)</span>")
        XCTAssertContains(html, "(d&#39;après les incidents déclarés)")
        XCTAssertContains(html, "<div><dt>Objectif non atteint</dt><dd>1</dd></div>")
        XCTAssertContains(html, "<a href=\"/api/sla/2026-10.csv\" type=\"text/csv\">Télécharger (CSV)</a>")
        XCTAssertContains(html, "<li><a href=\"/fr/sla/2026-11/\" rel=\"next\">novembre 2026 →</a></li>")
        XCTAssertContains(html, "<ol><li><a href=\"/fr/sla/\">Rapports SLA</a></li><li>octobre 2026</li></ol>")
    }

    func testTheIndexListsTheMonthsNewestFirstAndIsLinkedFromEveryPage() throws {
        let site = try Self.site()
        let index = try XCTUnwrap(site.text("nl/sla/index.html"))
        let november = try XCTUnwrap(index.range(of: "<a href=\"/nl/sla/2026-11/\">november 2026</a> <span class=\"month-note\">(lopende maand)</span>"))
        let october = try XCTUnwrap(index.range(of: "<a href=\"/nl/sla/2026-10/\">oktober 2026</a></th><td class=\"num\">3</td><td class=\"num\">1</td><td class=\"num\"><strong class=\"verdict-breached\">1</strong></td><td class=\"num\">1</td>"))
        XCTAssertLessThan(november.lowerBound, october.lowerBound)
        XCTAssertContains(site.text("fr/catalogue/index.html"), "<li><a href=\"/fr/sla/\">Rapports SLA mensuels</a></li>")
        XCTAssertContains(site.text("fr/index.html"), "<a href=\"/fr/sla/2026-11/\">Synthèse SLA mensuelle — novembre 2026</a>")
        XCTAssertContains(site.text("fr/services/messagerie/sla/2026-10/index.html"), "<a href=\"/fr/sla/2026-10/\">Synthèse SLA mensuelle — octobre 2026</a>")
    }

    func testTheDefaultMenuLeadsToTheOverviews() throws {
        let yaml = SiteFixture.siteYAML.components(separatedBy: "menu:")[0]
        var fixture = Self.fixture()
        fixture.files["content/site.yaml"] = yaml
        let site = try Self.site(fixture)
        XCTAssertContains(site.text("fr/sla/2026-10/index.html"), "<li><a href=\"/fr/sla/\" aria-current=\"true\">Rapports SLA</a></li>")
        XCTAssertContains(site.text("fr/sla/index.html"), "<li><a href=\"/fr/sla/\" aria-current=\"page\">Rapports SLA</a></li>")
        XCTAssertContains(site.text("fr/index.html"), "<li><a href=\"/fr/sla/\">Rapports SLA</a></li>")
    }

    func testTheOverviewPrintsWithoutTheSiteAround() throws {
        let site = try Self.site()
        let css = try XCTUnwrap(site.files.first { $0.path.hasPrefix("assets/style.") }.map { String(decoding: $0.bytes, as: UTF8.self) })
        XCTAssertContains(css, "@media print {\n  .sla-overview { font-size: 9pt; }")
        let html = try XCTUnwrap(site.text("fr/sla/2026-10/index.html"))
        XCTAssertContains(html, "<nav class=\"no-print month-nav\"")
        XCTAssertContains(html, "<p class=\"no-print report-actions\"><button type=\"button\" class=\"print-button\" data-print hidden>Imprimer le rapport</button>")
    }

    // MARK: Root and 404

    func testAOneLanguageSiteRedirectsTheRootToItsLanguage() throws {
        let yaml = SiteFixture.siteYAML.replacingOccurrences(of: "languages: [fr, nl]", with: "languages: [fr]")
        let site = try Self.site(SiteFixture(["content/site.yaml": yaml]))
        let root = try XCTUnwrap(site.text("index.html"))
        XCTAssertContains(root, "<meta http-equiv=\"refresh\" content=\"0; url=/fr/\">")
        XCTAssertContains(root, "<link rel=\"canonical\" href=\"https://status.example.org/fr/\">")
        XCTAssertContains(root, "<p class=\"redirect\"><a href=\"/fr/\">Accéder à l&#39;état des services</a></p>")
        XCTAssertNotContains(root, "language-choices")
    }

    func testTheLanguageChooserSaysHowTheServicesAreInEachLanguage() throws {
        var fixture = Self.fixture()
        fixture.files["content/incidents/ouverte.md"] = "---\ntitle: Lenteurs\nseverity: degraded_performance\naffected: [messagerie]\nstarted_at: 2026-11-01T11:00:00Z\n---\n"
        let root = try XCTUnwrap(try Self.site(fixture).text("index.html"))
        XCTAssertContains(root, "<p class=\"choice-status overall-degraded_performance\"><span class=\"status-icon\" aria-hidden=\"true\">◐</span> Certains services sont ralentis.</p>")
        XCTAssertContains(root, "<li lang=\"nl\"><a href=\"/nl/\" hreflang=\"nl\">")
        XCTAssertNotContains(root, "http-equiv=\"refresh\"")
    }

    func testEachLanguageHasItsOwn404Page() throws {
        let site = try Self.site()
        let dutch = try XCTUnwrap(site.text("nl/404.html"))
        XCTAssertContains(dutch, "<html lang=\"nl\" dir=\"ltr\">")
        XCTAssertContains(dutch, "<title>Pagina niet gevonden · Testcatalogus</title>")
        // Its own home first, its menu, its catalogue; links absolute from the root.
        XCTAssertContains(dutch, "<ul class=\"home-links\">\n<li lang=\"nl\"><a href=\"/nl/\" hreflang=\"nl\">")
        XCTAssertContains(dutch, "<li><a href=\"/nl/catalogue/\">De dienstencatalogus doorbladeren</a></li>")
        XCTAssertContains(dutch, "<nav class=\"main-nav\"")
        XCTAssertNotContains(dutch, "rel=\"canonical\"")
        XCTAssertContains(site.text("404.html"), "<html lang=\"fr\" dir=\"ltr\">")
        XCTAssertNotNil(site.text("fr/404.html"))
    }
}
