import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
import YourICTTestSupport
@testable import YourICTSupport
@testable import YourICTSite
import YourICTFormats

/// The status views and machine outputs of a small site with known monitoring and incidents.
final class DashboardTests: XCTestCase {
    /// Webmail probed every minute for 30 days to 2026-10-31T00:00Z, down 43 minutes on
    /// 2026-10-20 from 10:00 UTC; an open incident and a planned maintenance.
    static func fixture() -> SiteFixture {
        let start = Timestamp(rfc3339: "2026-10-01T00:00:00Z")!.millis / 1000
        let downFrom = Int((Timestamp(rfc3339: "2026-10-20T10:00:00Z")!.millis / 1000 - start) / 60)
        let samples = MonitoringTests.minutes(from: start, 30 * 1440) { (downFrom..<downFrom + 43).contains($0) }
        return SiteFixture([
            "content/monitoring/p.json": MonitoringTests.prometheus(samples),
            "content/incidents/open.md": """
            ---
            title: Lenteurs du webmail
            severity: degraded_performance
            affected: [messagerie/webmail]
            started_at: 2026-10-30T23:00:00Z
            updates:
              - {at: 2026-10-30T23:05:00Z, status: investigating, body: "Nous analysons."}
            ---

            """,
            "content/incidents/past.md": """
            ---
            title: Panne du webmail
            severity: major_outage
            affected: [messagerie/webmail]
            started_at: 2026-10-20T10:00:00Z
            resolved_at: 2026-10-20T10:43:00Z
            updates:
              - {at: 2026-10-20T10:05:00Z, status: investigating, body: "Le webmail ne répond plus."}
              - {at: 2026-10-20T10:20:00Z, status: identified, body: "Un certificat a expiré."}
              - {at: 2026-10-20T10:43:00Z, status: resolved, body: "Certificat renouvelé."}
            ---
            ## Cause

            Un certificat expiré.
            """,
            "content/incidents/planned.md": """
            ---
            title: Mise à jour
            kind: maintenance
            affected: [messagerie]
            scheduled_for: 2026-11-07T06:00:00+01:00
            scheduled_until: 2026-11-07T08:00:00+01:00
            ---

            """,
        ])
    }

    private func site() throws -> GeneratedSite {
        let (site, diagnostics) = Self.fixture().generate(BuildSettings(now: Timestamp(rfc3339: "2026-10-31T00:00:00Z")))
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.lines, [])
        return try XCTUnwrap(site)
    }

    func testDashboardShowsEveryFigureAsText() throws {
        let html = try XCTUnwrap(site().text("fr/index.html"))
        // Overall banner: the open slowdown, in words and icon.
        XCTAssertContains(html, "<p class=\"overall-message\"><span class=\"status-icon\" aria-hidden=\"true\">◐</span> Certains services sont ralentis.</p>")
        XCTAssertContains(html, "<time datetime=\"2026-10-31T00:00:00Z\">31 octobre 2026 à 01:00 (UTC+01:00)</time>")
        // 43 minutes down in 30 days: 99.9004 % rounds DOWN to 99.90 %, and meets 99.9 %.
        XCTAssertContains(html, "<span class=\"figure\">99,90\u{202F}%</span> <span class=\"verdict verdict-met\"><span aria-hidden=\"true\">✓</span> objectif atteint</span>")
        XCTAssertContains(html, "<span class=\"status status-degraded_performance\"><span class=\"status-icon\" aria-hidden=\"true\">◐</span> Performances dégradées</span>")
        XCTAssertContains(html, "Lenteurs du webmail")
        XCTAssertContains(html, "Mise à jour")
        // The history strip: a list whose days are announced in text.
        XCTAssertContains(html, "20 octobre 2026\u{A0}: 97,01\u{202F}%, indisponibilité 43 min — Panne majeure")
        XCTAssertEqual(html.components(separatedBy: "<li class=\"day day-").count - 1, 90)
    }

    /// Above `dashboard.max_strips` services, the dashboard keeps each row's state and
    /// 30-day figure and says where the histories are; the service pages keep their strips.
    func testDashboardLeavesStripsToServicePagesAboveMaxStrips() throws {
        var fixture = Self.fixture()
        let settings = BuildSettings(now: Timestamp(rfc3339: "2026-10-31T00:00:00Z"))
        let (before, _) = fixture.generate(settings)
        let drawn = try XCTUnwrap(before?.text("fr/index.html"))
        XCTAssertEqual(drawn.components(separatedBy: "<ol class=\"strip\"").count - 1, 1)
        XCTAssertContains(drawn, "et historique des 90 derniers jours.")

        fixture.files["content/site.yaml"] = SiteFixture.siteYAML + "dashboard: {max_strips: 0}\n"
        let (generated, diagnostics) = fixture.generate(settings)
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.lines, [])
        let site = try XCTUnwrap(generated)
        let dashboard = try XCTUnwrap(site.text("fr/index.html"))
        XCTAssertFalse(dashboard.contains("<ol class=\"strip\""))
        XCTAssertFalse(dashboard.contains("et historique des 90 derniers jours."))
        XCTAssertContains(dashboard, "L&#39;historique des 90 derniers jours de chaque service figure sur sa page.")
        // The row still says the state and the 30-day figure.
        XCTAssertContains(dashboard, "<a class=\"service-name\" href=\"/fr/services/messagerie/\">")
        XCTAssertContains(dashboard, "<span class=\"figure\">99,90\u{202F}%</span>")
        let page = try XCTUnwrap(site.text("fr/services/messagerie/index.html"))
        XCTAssertEqual(page.components(separatedBy: "<li class=\"day day-").count - 1, 90)
    }

    func testMaxStripsMustNotBeNegative() {
        let yaml = SiteFixture.siteYAML + "dashboard:\n  max_strips: -1\n"
        let (_, diagnostics) = SiteFixture(["content/site.yaml": yaml]).generate(BuildSettings(now: Timestamp(rfc3339: "2026-10-31T00:00:00Z")))
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.lines,
                       ["content/site.yaml:17:3: error: `max_strips` must be 0 or more, found -1"])
    }

    /// A service nothing measured in 90 days gets a sentence, not ninety empty days nor
    /// five windows of "no data".
    func testNoStripForAServiceWithoutAnyData() throws {
        var fixture = Self.fixture()
        fixture.files["content/services/archives.md"] = """
        ---
        title: Archives
        summary: Des archives.
        category: communication
        delivery: SaaS
        service_level: standard
        components:
          - {id: nas, name: NAS, monitor: {job: nothing}}
        ---
        Texte.
        """
        let (generated, _) = fixture.generate(BuildSettings(now: Timestamp(rfc3339: "2026-10-31T00:00:00Z")))
        let site = try XCTUnwrap(generated)
        let dashboard = try XCTUnwrap(site.text("fr/index.html"))
        // Still one strip (messagerie's), none for archives.
        XCTAssertEqual(dashboard.components(separatedBy: "<ol class=\"strip\"").count - 1, 1)
        XCTAssertEqual(dashboard.components(separatedBy: "<li class=\"day day-").count - 1, 90)
        let page = try XCTUnwrap(site.text("fr/services/archives/index.html"))
        XCTAssertContains(page, "<p class=\"history-none\">Aucune mesure sur les 90 derniers jours.</p>")
        XCTAssertFalse(page.contains("<ol class=\"strip\""))
        XCTAssertFalse(page.contains("history-table"))
        // Said once, in place of five windows of "no data"; the components keep their state.
        XCTAssertEqual(page.components(separatedBy: "history-none").count - 1, 1)
        XCTAssertFalse(page.contains("windows-caption"))
        XCTAssertFalse(page.contains("history-title"))
        XCTAssertContains(page, "<tr><th scope=\"row\">NAS</th><td><span class=\"status status-no_data\">")
        let measured = try XCTUnwrap(site.text("fr/services/messagerie/index.html"))
        XCTAssertFalse(measured.contains("history-none"))
        XCTAssertContains(measured, "windows-caption")
        XCTAssertContains(measured, "history-title")
        XCTAssertEqual(measured.components(separatedBy: "<li class=\"day day-").count - 1, 90)
    }

    func testServicePageShowsWindowsBudgetAndIncidents() throws {
        let html = try XCTUnwrap(site().text("fr/services/messagerie/index.html"))
        XCTAssertContains(html, "<tr><th scope=\"row\">30 jours</th><td><span class=\"figure\">99,90\u{202F}%</span>")
        XCTAssertContains(html, "<div><dt>Indisponibilité admise</dt><dd>43,2 min</dd></div>")
        XCTAssertContains(html, "<div><dt>Indisponibilité constatée</dt><dd>43,0 min</dd></div>")
        XCTAssertContains(html, "<a href=\"/fr/incidents/past/\">Panne du webmail</a>")
        XCTAssertContains(html, "<a href=\"/fr/services/messagerie/sla/2026-10/\">Rapport SLA")
    }

    /// A 99.999 % target beside figures of two decimals read "99,99 %, target met" for a
    /// figure below it (an audit's finding): figures have as many decimals as the most
    /// precise target, on pages and badges.
    func testFiguresHaveAsManyDecimalsAsTheMostPreciseTarget() throws {
        var fixture = Self.fixture()
        fixture.files["content/site.yaml"] = SiteFixture.siteYAML.replacingOccurrences(of: "target: 99.9,", with: "target: 99.999,")
        let (generated, _) = fixture.generate(BuildSettings(now: Timestamp(rfc3339: "2026-10-31T00:00:00Z")))
        let site = try XCTUnwrap(generated)
        // 43 minutes down in 43,200: 99.900462 %.
        XCTAssertContains(site.text("fr/services/messagerie/index.html"),
                          "<span class=\"figure\">99,900\u{202F}%</span> <span class=\"verdict verdict-breached\">")
        XCTAssertContains(site.text("badges/messagerie.json"), "99.900%")
        XCTAssertContains(try self.site().text("badges/messagerie.json"), "99.90%")
    }

    /// An allowance is rounded down, a downtime up: 43.14 allowed and 43.12 used read
    /// "43,2 min" used beside "43,1 min" allowed and "target met" (an audit's finding).
    func testAnAllowanceKeptIsNeverShownBelowItsDowntime() {
        var fr = LocaleFormat()
        fr.decimalSeparator = ","
        XCTAssertEqual(ViewBuilder.allowanceText(43.14, used: 43.12, format: fr), "43,2 min")
        XCTAssertEqual(ViewBuilder.allowanceText(43.14, used: 10, format: fr), "43,1 min")
        XCTAssertEqual(ViewBuilder.allowanceText(43.14, used: 43.16, format: fr), "43,1 min")
        XCTAssertEqual(ViewBuilder.allowanceText(43.2, used: 43.2, format: fr), "43,2 min")
    }

    func testMonthlySLAReport() throws {
        let html = try XCTUnwrap(site().text("fr/services/messagerie/sla/2026-10/index.html"))
        XCTAssertContains(html, "<h1>Messagerie — octobre 2026</h1>")
        XCTAssertContains(html, "<div><dt>Disponibilité visée</dt><dd>99,9\u{202F}%</dd></div>")
        XCTAssertContains(html, "<div><dt>Indisponibilité comptabilisée</dt><dd>43,0 min</dd></div>")
        XCTAssertContains(html, "<a href=\"/fr/incidents/past/\">Panne du webmail</a>")
        XCTAssertContains(html, "<tr id=\"day_2026-10-20\"><th scope=\"row\"><time datetime=\"2026-10-20\">20 octobre 2026</time></th><td class=\"num\">97,01\u{202F}%</td><td class=\"num\">43,0 min</td>")
    }

    func testIncidentPageTimeline() throws {
        let html = try XCTUnwrap(site().text("fr/incidents/past/index.html"))
        XCTAssertContains(html, "<p class=\"timeline-head\"><strong>Analyse en cours</strong> <time datetime=\"2026-10-20T10:05:00Z\">20 octobre 2026 à 12:05 (UTC+02:00)</time></p>")
        XCTAssertContains(html, "<div><dt>Durée</dt><dd>43 min</dd></div>")
        XCTAssertContains(html, "<h2 id=\"cause\">")
        let list = try XCTUnwrap(site().text("fr/incidents/index.html"))
        XCTAssertContains(list, "<h3 id=\"m_2026-10\" class=\"month-title\">octobre 2026</h3>")
    }

    func testAtomFeedIsValidAndComplete() throws {
        let data = Data(try XCTUnwrap(site().files.first { $0.path == "fr/feed.xml" }).bytes)
        let parser = XMLParser(data: data)
        let collector = ElementCollector()
        parser.delegate = collector
        XCTAssertTrue(parser.parse(), "feed is not well-formed XML: \(String(describing: parser.parserError))")
        XCTAssertEqual(collector.root, "feed")
        for required in ["id", "title", "updated", "author"] { XCTAssertTrue(collector.feedChildren.contains(required), "feed lacks \(required)") }
        // The planned maintenance has no update yet: it enters the feed when announced or
        // when it starts, never dated in the future.
        XCTAssertEqual(collector.entries.count, 2)
        for entry in collector.entries {
            for required in ["id", "title", "updated", "link"] { XCTAssertTrue(entry.contains(required), "entry lacks \(required): \(entry)") }
        }
        XCTAssertTrue(collector.updatedValues.allSatisfy { Timestamp(rfc3339: $0) != nil }, "\(collector.updatedValues)")
    }

    func testStatuspageSummaryShape() throws {
        let text = try XCTUnwrap(site().text("api/v2/summary.json"))
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let page = try XCTUnwrap(json["page"] as? [String: Any])
        XCTAssertEqual(Set(page.keys), ["id", "name", "url", "time_zone", "updated_at"])
        let status = try XCTUnwrap(json["status"] as? [String: Any])
        XCTAssertEqual(status["indicator"] as? String, "minor")
        let components = try XCTUnwrap(json["components"] as? [[String: Any]])
        let allowed: Set<String> = ["operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"]
        XCTAssertTrue(components.allSatisfy { allowed.contains($0["status"] as? String ?? "") })
        let webmail = try XCTUnwrap(components.first { $0["id"] as? String == "messagerie/webmail" })
        XCTAssertEqual(webmail["status"] as? String, "degraded_performance")
        XCTAssertEqual(webmail["group_id"] as? String, "messagerie")
        let incidents = try XCTUnwrap(json["incidents"] as? [[String: Any]])
        XCTAssertEqual(incidents.map { $0["name"] as? String }, ["Lenteurs du webmail"])
        let updates = try XCTUnwrap(incidents.first?["incident_updates"] as? [[String: Any]])
        XCTAssertEqual(updates.first?["status"] as? String, "investigating")
        let maintenances = try XCTUnwrap(json["scheduled_maintenances"] as? [[String: Any]])
        XCTAssertEqual(maintenances.first?["scheduled_for"] as? String, "2026-11-07T05:00:00Z")
        XCTAssertEqual(maintenances.first?["status"] as? String, "scheduled")
    }

    func testWithoutMonitoringOrBaseURLTimesAreNullAndIdsStayAbsolute() throws {
        var fixture = Self.fixture()
        fixture.files["content/monitoring/p.json"] = nil
        fixture.files["content/site.yaml"] = fixture.files["content/site.yaml"]!
            .split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("base_url:") }.joined(separator: "\n")
        let (generated, _) = fixture.generate()
        let site = try XCTUnwrap(generated)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try XCTUnwrap(site.text("api/v2/summary.json")).utf8)) as? [String: Any])
        let page = try XCTUnwrap(json["page"] as? [String: Any])
        XCTAssertTrue(page["updated_at"] is NSNull, "no reference time: null, not 1970")
        let components = try XCTUnwrap(json["components"] as? [[String: Any]])
        XCTAssertTrue(components.allSatisfy { $0["updated_at"] is NSNull })
        XCTAssertNotContains(try XCTUnwrap(site.text("api/v2/summary.json")), "1970")

        // Atom ids must be absolute IRIs: root-relative URLs are not, so URNs stand in.
        let feed = try XCTUnwrap(site.text("fr/feed.xml"))
        XCTAssertContains(feed, "<id>urn:yourict:fr:feed</id>")
        XCTAssertContains(feed, "<id>urn:yourict:fr:incident:past</id>")
        XCTAssertContains(feed, "<id>urn:yourict:fr:maintenance:planned</id>")
        XCTAssertNotContains(feed, "<id>/")
    }

    func testFeedLeavesOutUpdatesDatedAfterTheReferenceTime() throws {
        // As of 23:01, the update written for 23:05 is not news yet: not shown, and the
        // entry is dated by its start.
        let (generated, _) = Self.fixture().generate(BuildSettings(now: Timestamp(rfc3339: "2026-10-30T23:01:00Z")))
        let feed = try XCTUnwrap(generated?.text("fr/feed.xml"))
        XCTAssertNotContains(feed, "Nous analysons.")
        XCTAssertContains(feed, "<published>2026-10-30T23:00:00Z</published>\n    <updated>2026-10-30T23:00:00Z</updated>")
    }

    func testANewUpdateMovesTheFeedEntrysUpdated() throws {
        var fixture = Self.fixture()
        fixture.files["content/incidents/open.md"] = fixture.files["content/incidents/open.md"]!.replacingOccurrences(
            of: "  - {at: 2026-10-30T23:05:00Z, status: investigating, body: \"Nous analysons.\"}\n",
            with: "  - {at: 2026-10-30T23:05:00Z, status: investigating, body: \"Nous analysons.\"}\n  - {at: 2026-10-30T23:40:00Z, status: identified, body: \"Cause trouvée.\"}\n")
        let feed = try XCTUnwrap(fixture.generate(BuildSettings(now: Timestamp(rfc3339: "2026-10-31T00:00:00Z"))).0?.text("fr/feed.xml"))
        XCTAssertContains(feed, "<published>2026-10-30T23:00:00Z</published>\n    <updated>2026-10-30T23:40:00Z</updated>")
        XCTAssertContains(feed, "<updated>2026-10-30T23:40:00Z</updated>\n  <link rel=\"self\"")
    }

    func testFeedIsNeverDatedAfterTheReferenceTime() throws {
        // An announced maintenance ends after the reference time: neither its entry nor the
        // feed takes that end as a date.
        var fixture = Self.fixture()
        fixture.files["content/incidents/planned.md"] = fixture.files["content/incidents/planned.md"]!.replacingOccurrences(
            of: "scheduled_until: 2026-11-07T08:00:00+01:00\n",
            with: "scheduled_until: 2026-11-07T08:00:00+01:00\nupdates:\n  - {at: 2026-10-30T12:00:00Z, status: scheduled, body: \"Annoncée.\"}\n")
        let feed = try XCTUnwrap(fixture.generate(BuildSettings(now: Timestamp(rfc3339: "2026-10-31T00:00:00Z"))).0?.text("fr/feed.xml"))
        XCTAssertContains(feed, "<published>2026-10-30T12:00:00Z</published>\n    <updated>2026-10-30T12:00:00Z</updated>")
        let dates = feed.components(separatedBy: "<updated>").dropFirst().map { String($0.prefix(20)) }
        XCTAssertEqual(dates.filter { $0 > "2026-10-31T00:00:00Z" }, [])
    }

    func testServicesAPIContract() throws {
        let text = try XCTUnwrap(site().text("api/services.json"))
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(json["reference_time"] as? String, "2026-10-31T00:00:00Z")
        let service = try XCTUnwrap((json["services"] as? [[String: Any]])?.first)
        XCTAssertEqual(service["id"] as? String, "messagerie")
        XCTAssertEqual(service["url"] as? String, "/fr/services/messagerie/")
        XCTAssertEqual(service["status"] as? String, "degraded_performance")
        XCTAssertEqual(service["target"] as? Double, 99.9)
        XCTAssertEqual(service["met"] as? Bool, true)
        let availability = try XCTUnwrap(service["availability"] as? [String: Any])
        XCTAssertEqual(Set(availability.keys), ["24h", "7d", "30d", "90d", "month"])
        XCTAssertEqual(availability["30d"] as? Double, 99.900462)
        // 90 days: only 30 were measured; the rest is no data and leaves the denominator.
        XCTAssertEqual(availability["90d"] as? Double, 99.900462)
        let budget = try XCTUnwrap(service["error_budget"] as? [String: Any])
        XCTAssertEqual(budget["allowed_minutes"] as? Double, 43.2)
        XCTAssertEqual(budget["used_minutes"] as? Double, 43)
        let component = try XCTUnwrap((service["components"] as? [[String: Any]])?.first)
        XCTAssertEqual(component["id"] as? String, "webmail")
    }

    func testBadgesAreWellFormedAndAccessible() throws {
        let s = try site()
        let svg = try XCTUnwrap(s.files.first { $0.path == "badges/messagerie.svg" })
        let parser = XMLParser(data: Data(svg.bytes))
        let collector = ElementCollector()
        parser.delegate = collector
        XCTAssertTrue(parser.parse())
        XCTAssertEqual(collector.root, "svg")
        XCTAssertContains(s.text("badges/messagerie.svg"), "<title>Messagerie: uptime 30d 99.90%</title>")
        XCTAssertContains(s.text("badges/messagerie.svg"), "role=\"img\"")
        XCTAssertContains(s.text("badges/messagerie.json"), "\"message\": \"99.90%\"")
        XCTAssertContains(s.text("badges/messagerie.json"), "\"schemaVersion\": 1")
    }
}

/// Records the element structure of an XML document.
final class ElementCollector: NSObject, XMLParserDelegate {
    var root: String?
    var feedChildren: Set<String> = []
    var entries: [Set<String>] = []
    var updatedValues: [String] = []
    private var stack: [String] = []
    private var text = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if root == nil { root = name }
        if stack == ["feed"] { feedChildren.insert(name) }
        if name == "entry" { entries.append([]) }
        if stack.last == "entry" { entries[entries.count - 1].insert(name) }
        stack.append(name)
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "updated" { updatedValues.append(text) }
        stack.removeLast()
    }
}
