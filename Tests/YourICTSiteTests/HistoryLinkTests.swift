import Foundation
import XCTest
import YourICTTestSupport
@testable import YourICTSupport
@testable import YourICTFormats
@testable import YourICTSite

/// The 90-day strip: each day of a month that has an SLA report links to that day's row
/// in it (issue 23.5); the site is LatencyTests' fixture (October measured, September not).
final class HistoryLinkTests: XCTestCase {
    private func generate(_ fixture: SiteFixture) throws -> GeneratedSite {
        try LatencyTests.generate(fixture)
    }

    func testStripDaysLinkToTheirRowInTheMonthsReport() throws {
        let site = try generate(LatencyTests.fixture())
        let dashboard = try XCTUnwrap(site.text("fr/index.html"))
        XCTAssertContains(dashboard, "<li class=\"day day-operational\"><a href=\"/fr/services/messagerie/sla/2026-10/#day_2026-10-05\"><span class=\"visually-hidden\">5 octobre 2026\u{A0}: 100,00\u{202F}% — Opérationnel</span></a></li>")
        XCTAssertContains(site.text("fr/services/messagerie/sla/2026-10/index.html"), #"<tr id="day_2026-10-05"><th scope="row"><time datetime="2026-10-05">"#)
    }

    func testEveryStripLinkLeadsToAnExistingRow() throws {
        let site = try generate(LatencyTests.fixture())
        for page in ["fr/index.html", "fr/services/messagerie/index.html", "nl/index.html"] {
            let html = try XCTUnwrap(site.text(page))
            let links = html.components(separatedBy: "<li class=\"day ").dropFirst().compactMap { item -> String? in
                guard item.hasPrefix("day-"), let range = item.range(of: "<a href=\"/") else { return nil }
                return String(item[range.upperBound...].prefix { $0 != "\"" })
            }
            XCTAssertEqual(links.count, 31, page)
            for link in links {
                let parts = link.split(separator: "#", maxSplits: 1).map(String.init)
                XCTAssertContains(site.text(parts[0] + "index.html"), "<tr id=\"\(parts[1])\">")
            }
        }
    }

    func testDaysOfMonthsWithoutReportAreNotLinks() throws {
        let dashboard = try generate(LatencyTests.fixture()).text("fr/index.html")
        XCTAssertContains(dashboard, "<li class=\"day day-no_data\"><span class=\"visually-hidden\">30 septembre 2026\u{A0}: pas de données — Pas de données</span></li>")
        XCTAssertContains(dashboard, ". Chaque jour mène à sa ligne dans le rapport SLA du mois.</p>")
    }

    func testEveryStripLinkOfTheExampleSiteLeadsToAnExistingRow() throws {
        let site = try XCTUnwrap(SiteGenerator.generate(tree: DiskSourceTree(root: SiteFixture.repositoryRoot),
                                                        settings: BuildSettings(now: Timestamp(rfc3339: "2026-11-26T12:00:00Z")),
                                                        diagnostics: DiagnosticBag()))
        var checked = 0
        for page in ["fr/index.html", "nl/index.html", "fr/services/messagerie/index.html"] {
            let html = try XCTUnwrap(site.text(page))
            for item in html.components(separatedBy: "<li class=\"day ").dropFirst() {
                guard let range = item.range(of: "<a href=\"/"), item.distance(from: item.startIndex, to: range.lowerBound) < 40 else { continue }
                let link = String(item[range.upperBound...].prefix { $0 != "\"" })
                let parts = link.split(separator: "#", maxSplits: 1).map(String.init)
                XCTAssertEqual(parts.count, 2, link)
                XCTAssertContains(site.text(parts[0] + "index.html"), "<tr id=\"\(parts.last!)\">")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 1_000)
    }
}
