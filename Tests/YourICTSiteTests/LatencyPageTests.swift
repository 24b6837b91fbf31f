import Foundation
import XCTest
import YourICTTestSupport
@testable import YourICTSupport
@testable import YourICTFormats
@testable import YourICTMonitoring
@testable import YourICTSite

/// What pages, `/api/services.json` and badges show of response times, and the
/// geometry of the 90-day chart; the fixture and its known figures are LatencyTests'.
final class LatencyPageTests: XCTestCase {
    private func generate(_ fixture: SiteFixture) throws -> GeneratedSite {
        try LatencyTests.generate(fixture)
    }

    func testLatencyTextPerLanguage() {
        var fr = LocaleFormat()
        fr.decimalSeparator = ","
        XCTAssertEqual([210.635, 48.349, 4.2731, 1234.5, 0.42349].map { ViewBuilder.latencyText($0, format: fr) },
                       ["211\u{A0}ms", "48,3\u{A0}ms", "4,27\u{A0}ms", "1,23\u{A0}s", "0,423\u{A0}ms"])
        XCTAssertEqual([0, 250, 1000, 2500].map { ViewBuilder.latencyText($0, format: LocaleFormat(), trimmingZeros: true) },
                       ["0\u{A0}ms", "250\u{A0}ms", "1\u{A0}s", "2.5\u{A0}s"])
    }

    // MARK: Pages, API, badges

    func testServicePageShowsWindowsAndTheirFigures() throws {
        let page = try generate(LatencyTests.fixture()).text("fr/services/messagerie/index.html")
        XCTAssertContains(page, #"<h3 id="latency-title">Temps de réponse</h3>"#)
        XCTAssertContains(page, "<tr><th scope=\"row\">24 heures</th><td class=\"num\">49,9\u{A0}ms</td><td class=\"num\">94,6\u{A0}ms</td><td class=\"num\">100</td></tr>")
        XCTAssertContains(page, "<tr><th scope=\"row\">90 jours</th><td class=\"num\">49,9\u{A0}ms</td>")
    }

    /// One day measured: the description says "1 day", in each language's singular.
    func testAChartOfOneDaySaysDayInTheSingular() throws {
        let oneDay = LatencyTests.durations(from: "2026-10-30T12:00:00Z", count: 30)
        let site = try XCTUnwrap(generate(LatencyTests.fixture(oneDay)))
        XCTAssertContains(site.text("fr/services/messagerie/index.html"), "mesurés sur 1 jour. Médiane")
        XCTAssertContains(site.text("nl/services/messagerie/index.html"), "gemeten op 1 dag. Mediaan")
    }

    func testServicePageChartIsAnAccessibleStaticSVG() throws {
        let page = try XCTUnwrap(generate(LatencyTests.fixture()).text("fr/services/messagerie/index.html"))
        XCTAssertContains(page, #"<svg xmlns="http://www.w3.org/2000/svg" class="rt-svg" viewBox="0 0 720 220" role="img" aria-labelledby="rt_webmail-title rt_webmail-desc" focusable="false">"#)
        XCTAssertContains(page, #"<title id="rt_webmail-title">Temps de réponse par jour : Webmail</title>"#)
        XCTAssertContains(page, "<desc id=\"rt_webmail-desc\">Médiane (p50, trait plein) et 95e centile (p95, tirets) des temps de réponse de chaque jour, du 3 août 2026 au 31 octobre 2026, mesurés sur 2 jours. Médiane de 30,3\u{A0}ms à 80,6\u{A0}ms ; 95e centile de 57,4\u{A0}ms à 98,5\u{A0}ms. Les valeurs sont dans le tableau qui suit.</desc>")
        // Scale 0–100 ms in steps of 20; the last two days, x at the middle of their slots.
        XCTAssertContains(page, #"<path class="rt-p50" d="M701.2 134.7L708.4 46.1"/>"#)
        XCTAssertContains(page, "<text x=\"58\" y=\"16\" text-anchor=\"end\">100\u{A0}ms</text>")
        // Static: nothing in the chart runs.
        let chart = try XCTUnwrap(page.components(separatedBy: "<div class=\"latency-chart\">").dropFirst().first?.components(separatedBy: "</svg>").first)
        XCTAssertNotContains(chart, "<script")
        XCTAssertNil(chart.range(of: #" on[a-z]+="#, options: .regularExpression))
    }

    func testServicePageChartTableHasTheSameFigures() throws {
        let page = try generate(LatencyTests.fixture()).text("fr/services/messagerie/index.html")
        XCTAssertContains(page, "<tbody>\n<tr><th scope=\"row\"><time datetime=\"2026-10-30\">30 octobre 2026</time></th><td class=\"num\">30,3\u{A0}ms</td><td class=\"num\">57,4\u{A0}ms</td><td class=\"num\">60</td></tr><tr><th scope=\"row\"><time datetime=\"2026-10-31\">31 octobre 2026</time></th><td class=\"num\">80,6\u{A0}ms</td><td class=\"num\">98,5\u{A0}ms</td><td class=\"num\">40</td></tr>\n</tbody>")
    }

    func testWithoutDurationsThePageSaysNothingOfResponseTimes() throws {
        let site = try generate(SiteFixture(["content/monitoring/p.json": MonitoringTests.prometheus(MonitoringTests.minutes(30 * 1440))]))
        XCTAssertNotContains(site.text("fr/services/messagerie/index.html"), "latency-title")
        XCTAssertContains(site.text("api/services.json"), #""response_time_ms": null"#)
        XCTAssertNil(site.text("badges/messagerie-latency.svg"))
    }

    func testServicesJSONGivesP50P95AndSamplesPerWindow() throws {
        let site = try generate(LatencyTests.fixture())
        let expected: NSDictionary = [
            "p50": ["24h": 49.9, "7d": 49.9, "30d": 49.9, "90d": 49.9, "month": 49.9],
            "p95": ["24h": 94.6, "7d": 94.6, "30d": 94.6, "90d": 94.6, "month": 94.6],
            "samples": ["24h": 100, "7d": 100, "30d": 100, "90d": 100, "month": 100],
        ]
        // The service's figures are its one measured component's.
        XCTAssertEqual(try CurrentStateTests.service(site)["response_time_ms"] as? NSDictionary, expected)
        XCTAssertEqual(try CurrentStateTests.component(site, "webmail")["response_time_ms"] as? NSDictionary, expected)
    }

    func testLatencyBadges() throws {
        let site = try generate(LatencyTests.fixture())
        XCTAssertEqual(site.text("badges/messagerie-latency.json"), """
        {
          "schemaVersion": 1,
          "label": "response time 30d",
          "message": "p50 49.9 ms · p95 94.6 ms",
          "color": "blue"
        }

        """)
        XCTAssertContains(site.text("badges/messagerie-latency.svg"), "<title>Messagerie: response time 30d p50 49.9 ms · p95 94.6 ms</title>")
    }

    func testTheExampleSiteShowsMessageriesResponseTimes() throws {
        let site = try XCTUnwrap(SiteGenerator.generate(tree: DiskSourceTree(root: SiteFixture.repositoryRoot),
                                                        settings: BuildSettings(now: Timestamp(rfc3339: "2026-11-26T12:00:00Z")),
                                                        diagnostics: DiagnosticBag()))
        // Its three probes' probe_duration_seconds at a 15-minute step: 96 a day each.
        let figures = try XCTUnwrap(CurrentStateTests.service(site)["response_time_ms"] as? [String: [String: Double]])
        XCTAssertEqual(figures["p50"]?["30d"], 176)
        XCTAssertEqual(figures["p95"]?["30d"], 392)
        XCTAssertEqual(figures["samples"]?["30d"], 3 * 30 * 96)
        XCTAssertContains(site.text("fr/services/messagerie/index.html"), #"<title id="rt_smtp-title">Temps de réponse par jour : Relais SMTP</title>"#)
    }

    // MARK: Chart geometry

    func testChartPathBreaksAtDaysWithoutFigures() {
        func day(_ ms: Double) -> LatencySummary { LatencySummary(p50: ms, p95: ms, samples: 1) }
        var days = [LatencySummary?](repeating: nil, count: 90)
        days[0] = day(480); days[1] = day(240); days[3] = day(0)
        let geometry = LatencyChartGeometry(days: days)
        XCTAssertEqual(geometry.scaleTop, 500)
        XCTAssertEqual(geometry.ticks.map(\.value), [0, 100, 200, 300, 400, 500])
        XCTAssertEqual(geometry.path(\.p50), "M67.6 19L74.8 103.5M86.2 188h6")
    }
}
