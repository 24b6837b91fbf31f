import Foundation
import XCTest
import YourICTTestSupport
@testable import YourICTSupport
@testable import YourICTFormats
@testable import YourICTContent
@testable import YourICTMonitoring
@testable import YourICTSite

/// The state now, late data, figures from declared incidents, verdicts on thin data,
/// maintenance phases and the reference time (issue 20): every output tells the same,
/// true story. Time is pinned in every test.
final class CurrentStateTests: XCTestCase {
    static func t(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }

    /// Webmail probed every minute, up, from `from` for `minutes`.
    static func webmailSamples(from: String, minutes: Int) -> String {
        MonitoringTests.prometheus(MonitoringTests.minutes(from: t(from).millis / 1000, minutes))
    }

    /// The fixture site with `files` added, generated as of `now`.
    static func build(_ files: [String: String], now: String, file: StaticString = #filePath, line: UInt = #line) throws -> (GeneratedSite, [Diagnostic]) {
        let (site, diagnostics) = SiteFixture(files).generate(BuildSettings(now: t(now)))
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.lines, [], file: file, line: line)
        return (try XCTUnwrap(site, file: file, line: line), diagnostics)
    }

    static func json(_ site: GeneratedSite, _ path: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try XCTUnwrap(site.text(path)).utf8)) as? [String: Any])
    }

    /// `/api/services.json`'s entry of a service.
    static func service(_ site: GeneratedSite, _ id: String = "messagerie") throws -> [String: Any] {
        let services = try XCTUnwrap(try json(site, "api/services.json")["services"] as? [[String: Any]])
        return try XCTUnwrap(services.first { $0["id"] as? String == id })
    }

    static func component(_ site: GeneratedSite, _ id: String, of service: String = "messagerie") throws -> [String: Any] {
        let components = try XCTUnwrap(try Self.service(site, service)["components"] as? [[String: Any]])
        return try XCTUnwrap(components.first { $0["id"] as? String == id })
    }

    /// `/api/v2/summary.json`'s component of that id.
    static func statuspageComponent(_ site: GeneratedSite, _ id: String) throws -> [String: Any] {
        let components = try XCTUnwrap(try json(site, "api/v2/summary.json")["components"] as? [[String: Any]])
        return try XCTUnwrap(components.first { $0["id"] as? String == id })
    }

    static func incident(_ id: String, _ fields: String) -> [String: String] {
        ["content/incidents/\(id).md": "---\ntitle: \(id)\n\(fields)---\n"]
    }

    /// The fixture with one incident, webmail measured every minute of 30 October until
    /// 11:00, generated as of 11:00.
    static func buildWithIncident(_ id: String, _ fields: String) throws -> (GeneratedSite, [Diagnostic]) {
        var files = incident(id, fields)
        files["content/monitoring/p.json"] = webmailSamples(from: "2026-10-30T00:00:00Z", minutes: 660)
        return try build(files, now: "2026-10-30T11:00:00Z")
    }

    /// The HTML of the dashboard's row of a service.
    static func dashboardRow(_ site: GeneratedSite, _ id: String) throws -> String {
        let html = try XCTUnwrap(site.text("fr/index.html"))
        let start = try XCTUnwrap(html.range(of: "href=\"/fr/services/\(id)/\""))
        let end = try XCTUnwrap(html.range(of: "</li>", range: start.upperBound..<html.endIndex))
        return String(html[start.lowerBound..<end.lowerBound])
    }

    // MARK: Declared state wins at once, in every output

    /// An outage declared after the newest sample: open, and the state of every output.
    func testEveryOutputAgreesOnADeclaredOutage() throws {
        var files = Self.incident("panne", """
        severity: major_outage
        affected: [messagerie/webmail]
        started_at: 2026-10-30T10:30:00Z
        updates:
          - {at: 2026-10-30T10:35:00Z, status: investigating, body: "Le webmail ne répond plus."}

        """)
        files["content/monitoring/p.json"] = Self.webmailSamples(from: "2026-10-30T00:00:00Z", minutes: 601)
        let (site, _) = try Self.build(files, now: "2026-10-30T11:00:00Z")

        // Dashboard: the service's row, the open incidents, the banner; nothing "planned".
        let dashboard = try XCTUnwrap(site.text("fr/index.html"))
        XCTAssertContains(try Self.dashboardRow(site, "messagerie"), "<span class=\"status status-major_outage\">")
        XCTAssertContains(dashboard, "<div class=\"overall overall-major_outage\">")
        let open = try XCTUnwrap(dashboard.components(separatedBy: "<h2 id=\"open-incidents\">").dropFirst().first)
        XCTAssertContains(open.components(separatedBy: "</section>").first, "<a href=\"/fr/incidents/panne/\">panne</a>")
        XCTAssertNotContains(dashboard, "upcoming-maintenance")
        // Service page and catalogue.
        let page = try XCTUnwrap(site.text("fr/services/messagerie/index.html"))
        XCTAssertContains(page, "<div><dt>État actuel</dt><dd><span class=\"status status-major_outage\">")
        XCTAssertContains(page, "<tr><th scope=\"row\">Webmail</th><td><span class=\"status status-major_outage\">")
        XCTAssertContains(site.text("fr/catalogue/index.html"), "<span class=\"status status-major_outage\">")
        // Our API and Statuspage's.
        XCTAssertEqual(try Self.service(site)["status"] as? String, "major_outage")
        XCTAssertEqual(try Self.component(site, "webmail")["status"] as? String, "major_outage")
        XCTAssertEqual(try Self.statuspageComponent(site, "messagerie")["status"] as? String, "major_outage")
        XCTAssertEqual(try Self.statuspageComponent(site, "messagerie/webmail")["status"] as? String, "major_outage")
        let summary = try Self.json(site, "api/v2/summary.json")
        XCTAssertEqual((summary["incidents"] as? [[String: Any]])?.map { $0["id"] as? String }, ["panne"])
        XCTAssertEqual((summary["status"] as? [String: Any])?["indicator"] as? String, "critical")
        XCTAssertEqual((try Self.json(site, "api/v2/status.json")["status"] as? [String: Any])?["indicator"] as? String, "critical")
        // Badges: the figure and verdict of the API and the pages (10 h 2 min measured of
        // 30 days: too little for a verdict, so grey, and `met` null).
        XCTAssertTrue(try Self.service(site)["met"] is NSNull)
        XCTAssertEqual((try Self.service(site)["availability"] as? [String: Any])?["30d"] as? Double, 95.253164)
        XCTAssertContains(try Self.dashboardRow(site, "messagerie"), "<span class=\"figure\">95,25\u{202F}%</span> <span class=\"verdict verdict-insufficient\">")
        let badge = try Self.json(site, "badges/messagerie.json")
        XCTAssertEqual(badge["message"] as? String, "95.25% (1.4% measured)")
        XCTAssertEqual(badge["color"] as? String, "lightgrey")
        XCTAssertContains(site.text("badges/messagerie.svg"), "fill=\"#6b7280\"")
        // The feed: the incident, dated by its update.
        let feed = try XCTUnwrap(site.text("fr/feed.xml"))
        XCTAssertContains(feed, "<category term=\"major_outage\"/>")
        XCTAssertContains(feed, "<published>2026-10-30T10:30:00Z</published>\n    <updated>2026-10-30T10:35:00Z</updated>")
    }

    func testAnIncidentStartingAfterTheReferenceTimeIsNeitherOpenNorPlanned() throws {
        // Announced by an update before the reference time, starting after it.
        var files = Self.incident("plus-tard", "severity: major_outage\naffected: [messagerie]\nstarted_at: 2026-10-30T11:30:00Z\nupdates:\n  - {at: 2026-10-30T10:45:00Z, status: investigating, body: Annoncé.}\n")
        files["content/monitoring/p.json"] = Self.webmailSamples(from: "2026-10-30T00:00:00Z", minutes: 660)
        let (site, diagnostics) = try Self.build(files, now: "2026-10-30T11:00:00Z")
        XCTAssertEqual(diagnostics.filter { $0.message.contains("starts after the reference time") }.lines, [
            "content/incidents/plus-tard.md:5:1: warning: the incident starts after the reference time (2026-10-30T11:30:00Z > 2026-10-30T11:00:00Z): it is not shown as open, nor listed, until then",
        ])
        let dashboard = try XCTUnwrap(site.text("fr/index.html"))
        XCTAssertNotContains(dashboard, "plus-tard")
        XCTAssertNotContains(site.text("fr/incidents/index.html"), "/fr/incidents/plus-tard/")
        XCTAssertEqual(try Self.service(site)["status"] as? String, "operational")
        XCTAssertEqual((try Self.json(site, "api/v2/summary.json")["incidents"] as? [Any])?.count, 0)
        // Nor in the feeds.
        XCTAssertNotContains(site.text("fr/feed.xml"), "plus-tard")
        XCTAssertNotContains(site.text("fr/services/messagerie/feed.xml"), "plus-tard")
        // Its own page, the only one it has, gives no end or duration it does not have yet.
        var resolved = files
        resolved["content/incidents/plus-tard.md"] = resolved["content/incidents/plus-tard.md"]!.replacingOccurrences(of: "updates:", with: "resolved_at: 2026-10-30T12:15:00Z\nupdates:")
        let page = try XCTUnwrap(try Self.build(resolved, now: "2026-10-30T11:00:00Z").0.text("fr/incidents/plus-tard/index.html"))
        XCTAssertContains(page, "Pas encore commencé")
        XCTAssertNotContains(page, "2026-10-30T12:15:00Z")
        XCTAssertNotContains(page, "<dt>Durée</dt>")
    }

    /// An update saying `resolved` does not resolve an incident without `resolved_at`:
    /// it stays open everywhere, Statuspage lists it with a status an open incident can
    /// have, and the author is told.
    func testAResolvedUpdateWithoutResolvedAtLeavesTheIncidentOpenAndWarns() throws {
        let (site, diagnostics) = try Self.buildWithIncident("oubli", """
        severity: partial_outage
        affected: [messagerie/webmail]
        started_at: 2026-10-30T10:00:00Z
        updates:
          - {at: 2026-10-30T10:05:00Z, status: identified, body: "Cause trouvée."}
          - {at: 2026-10-30T10:40:00Z, status: resolved, body: "Réglé."}

        """)
        XCTAssertEqual(diagnostics.filter { $0.message.contains("no `resolved_at`") }.lines, [
            "content/incidents/oubli.md:8:5: warning: the last update says `resolved` but the incident has no `resolved_at`: it stays open",
        ])
        XCTAssertEqual(try Self.service(site)["status"] as? String, "partial_outage")
        for path in ["api/v2/incidents/unresolved.json", "api/v2/summary.json"] {
            let incidents = try XCTUnwrap(try Self.json(site, path)["incidents"] as? [[String: Any]])
            XCTAssertEqual(incidents.map { $0["status"] as? String }, ["identified"], path)
        }
        // The site is in French and Dutch; the incident only in French: the Dutch feed
        // marks its French title and texts, not the Dutch labels around them.
        let nl = try XCTUnwrap(site.text("nl/feed.xml"))
        XCTAssertContains(nl, "<title xml:lang=\"fr\">Incident — ")
        XCTAssertContains(nl, "&lt;p&gt;&lt;strong&gt;Oorzaak gevonden&lt;/strong&gt; (")
        XCTAssertContains(nl, "): &lt;span lang=&quot;fr&quot;&gt;Cause trouvée.&lt;/span&gt;&lt;/p&gt;")
        XCTAssertNotContains(nl, "<entry xml:lang")
        let fr = try XCTUnwrap(site.text("fr/feed.xml"))
        XCTAssertContains(fr, "<title>Incident — ")
        XCTAssertNotContains(fr, "lang=&quot;")

        // A `resolved` update before `resolved_at` is told too: until then the incident is
        // open under an update that says it is resolved.
        let (_, early) = try Self.buildWithIncident("tot", """
        severity: partial_outage
        affected: [messagerie/webmail]
        started_at: 2026-10-30T10:00:00Z
        resolved_at: 2026-10-30T10:50:00Z
        updates:
          - {at: 2026-10-30T10:40:00Z, status: resolved, body: "Réglé."}

        """)
        XCTAssertEqual(early.filter { $0.message.contains("before `resolved_at`") }.lines, [
            "content/incidents/tot.md:8:5: warning: this update says `resolved` at 2026-10-30T10:40:00Z, before `resolved_at` (2026-10-30T10:50:00Z): the incident stays open until then",
        ])
    }

    /// A maintenance that ended early is shown as it happened (the ICS and the API
    /// already said so): its end and duration are its `completed` update's. One called
    /// off before it began happened in no month: no row in a report, not counted.
    func testAMaintenanceIsShownAsItHappened() throws {
        var files = Self.incident("courte", """
        kind: maintenance
        affected: [messagerie]
        scheduled_for: 2026-10-29T06:00:00Z
        scheduled_until: 2026-10-29T09:00:00Z
        updates:
          - {at: 2026-10-29T06:00:00Z, status: in_progress, body: "Début."}
          - {at: 2026-10-29T07:40:00Z, status: completed, body: "Fini plus tôt."}

        """)
        files.merge(Self.incident("annulee", """
        kind: maintenance
        affected: [messagerie]
        scheduled_for: 2026-10-30T06:00:00Z
        scheduled_until: 2026-10-30T08:00:00Z
        updates:
          - {at: 2026-10-28T10:00:00Z, status: cancelled, body: "Reportée."}

        """)) { a, _ in a }
        files["content/monitoring/p.json"] = Self.webmailSamples(from: "2026-10-28T00:00:00Z", minutes: 3 * 1440)
        let (site, _) = try Self.build(files, now: "2026-10-30T11:00:00Z")
        let page = try XCTUnwrap(site.text("fr/incidents/courte/index.html"))
        XCTAssertContains(page, "<dd>1 h 40 min</dd>")
        XCTAssertContains(page, "<time datetime=\"2026-10-29T07:40:00Z\">")
        XCTAssertNotContains(page, "<dd>3 h</dd>")
        let report = try XCTUnwrap(site.text("fr/services/messagerie/sla/2026-10/index.html"))
        XCTAssertContains(report, "– <time datetime=\"2026-10-29T07:40:00Z\">08:40 (UTC+01:00)</time></td><td class=\"num\">1 h 40 min</td>")
        XCTAssertNotContains(report, "/fr/incidents/annulee/")
        let rows = try XCTUnwrap(try Self.json(site, "api/sla/2026-10.json")["services"] as? [[String: Any]])
        XCTAssertEqual(rows.first?["maintenances"] as? Int, 1)
        // Its own page still says what was planned and that it was called off, with no duration.
        let cancelled = try XCTUnwrap(site.text("fr/incidents/annulee/index.html"))
        XCTAssertContains(cancelled, "<time datetime=\"2026-10-30T08:00:00Z\">")
        XCTAssertNotContains(cancelled, "<dt>Durée</dt>")
    }

    /// A file may already say when the incident will be resolved; at a reference time
    /// before that it is open: no end, no "resolved", its duration so far — on every page.
    func testAResolutionAfterTheReferenceTimeIsNotShownYet() throws {
        let (site, _) = try Self.buildWithIncident("panne", """
        severity: partial_outage
        affected: [messagerie/webmail]
        started_at: 2026-10-30T10:30:00Z
        resolved_at: 2026-10-30T12:00:00Z

        """)
        XCTAssertEqual(try Self.service(site)["status"] as? String, "partial_outage")
        let pages = ["fr/incidents/panne/index.html", "fr/index.html", "fr/incidents/index.html", "fr/services/messagerie/index.html",
                     "fr/services/messagerie/sla/2026-10/index.html", "nl/incidents/panne/index.html"]
        for path in pages {
            let html = try XCTUnwrap(site.text(path), path)
            XCTAssertFalse(html.contains("13:00"), path)  // 12:00Z in Brussels summer time
            XCTAssertFalse(html.contains("1 h 30 min"), path)
            XCTAssertFalse(html.contains("<dt>Résolu"), path)
        }
        XCTAssertContains(site.text("fr/incidents/panne/index.html"), "30 min")
        XCTAssertContains(site.text("fr/index.html"), "(30 min)")
    }

    func testAFreshMeasurementWorseThanTheDeclaredStateWins() throws {
        var files = Self.incident("lent", "severity: degraded_performance\naffected: [messagerie/webmail]\nstarted_at: 2026-10-30T10:00:00Z\n")
        files["content/monitoring/p.json"] = MonitoringTests.prometheus(
            MonitoringTests.minutes(from: Self.t("2026-10-30T10:00:00Z").millis / 1000, 60) { $0 >= 50 })
        let (site, _) = try Self.build(files, now: "2026-10-30T11:00:00Z")
        XCTAssertEqual(try Self.component(site, "webmail")["status"] as? String, "major_outage")
    }

    // MARK: Late data

    func testDataWithinFifteenMinutesIsRecent() throws {
        let (site, _) = try Self.build(["content/monitoring/p.json": Self.webmailSamples(from: "2026-10-30T00:00:00Z", minutes: 601)],
                                       now: "2026-10-30T10:15:00Z")
        XCTAssertEqual(try Self.component(site, "webmail")["status"] as? String, "operational")
        XCTAssertEqual(try Self.component(site, "webmail")["last_sample_at"] as? String, "2026-10-30T10:00:00Z")
    }

    func testDataOlderThanFifteenMinutesIsNoRecentData() throws {
        let (site, _) = try Self.build(["content/monitoring/p.json": Self.webmailSamples(from: "2026-10-30T00:00:00Z", minutes: 601)],
                                       now: "2026-10-30T10:15:01Z")
        XCTAssertEqual(try Self.component(site, "webmail")["status"] as? String, "no_recent_data")
        XCTAssertEqual(try Self.service(site)["status"] as? String, "no_recent_data")
        XCTAssertEqual(try Self.service(site)["last_sample_at"] as? String, "2026-10-30T10:00:00Z")
        XCTAssertContains(try Self.dashboardRow(site, "messagerie"),
                          "<span class=\"status status-no_recent_data\"><span class=\"status-icon\" aria-hidden=\"true\">?</span> Pas de données récentes <span class=\"status-note\">· dernière mesure le <time datetime=\"2026-10-30T10:00:00Z\">30 octobre 2026 à 11:00 (UTC+01:00)</time></span></span>")
        let dashboard = try XCTUnwrap(site.text("fr/index.html"))
        XCTAssertContains(dashboard, "Les données de surveillance ne sont plus à jour ; l&#39;état de certains services est inconnu.</p>")
        XCTAssertContains(dashboard, "<p class=\"overall-late\">Données de surveillance en retard pour : <a href=\"/fr/services/messagerie/\">Messagerie</a> · dernière mesure le <time datetime=\"2026-10-30T10:00:00Z\">")
    }

    func testLateDataAfterThreeIntervalsWhenThatIsLonger() throws {
        // Every 10 minutes: late after 30 minutes, not 15.
        let samples = MonitoringTests.prometheus((0...60).map { (Self.t("2026-10-30T00:00:00Z").millis / 1000 + Int64($0) * 600, "1") })
        let (fresh, _) = try Self.build(["content/monitoring/p.json": samples], now: "2026-10-30T10:30:00Z")
        XCTAssertEqual(try Self.component(fresh, "webmail")["status"] as? String, "operational")
        let (late, _) = try Self.build(["content/monitoring/p.json": samples], now: "2026-10-30T10:30:01Z")
        XCTAssertEqual(try Self.component(late, "webmail")["status"] as? String, "no_recent_data")
    }

    func testStaleAfterSetsTheThreshold() throws {
        let yaml = SiteFixture.siteYAML + "availability: {stale_after: 1h}\n"
        let (site, _) = try Self.build(["content/site.yaml": yaml, "content/monitoring/p.json": Self.webmailSamples(from: "2026-10-30T00:00:00Z", minutes: 601)],
                                       now: "2026-10-30T11:00:00Z")
        XCTAssertEqual(try Self.component(site, "webmail")["status"] as? String, "operational")
    }

    func testDeclaredStateBeatsNoRecentDataAndTheBannerStillSaysDataIsLate() throws {
        var files = Self.incident("lent", "severity: degraded_performance\naffected: [messagerie]\nstarted_at: 2026-10-30T10:40:00Z\n")
        files["content/monitoring/p.json"] = Self.webmailSamples(from: "2026-10-30T00:00:00Z", minutes: 601)
        let (site, _) = try Self.build(files, now: "2026-10-30T11:00:00Z")
        XCTAssertEqual(try Self.component(site, "webmail")["status"] as? String, "degraded_performance")
        let dashboard = try XCTUnwrap(site.text("fr/index.html"))
        XCTAssertContains(dashboard, "<div class=\"overall overall-degraded_performance\">")
        XCTAssertContains(dashboard, "<p class=\"overall-late\">Données de surveillance en retard pour : ")
    }

    func testStatuspageShowsLateDataAsDegradedAndSaysWhy() throws {
        let (site, _) = try Self.build(["content/monitoring/p.json": Self.webmailSamples(from: "2026-10-30T00:00:00Z", minutes: 601)],
                                       now: "2026-10-30T11:00:00Z")
        let webmail = try Self.statuspageComponent(site, "messagerie/webmail")
        XCTAssertEqual(webmail["status"] as? String, "degraded_performance")
        XCTAssertEqual(webmail["description"] as? String, "No recent monitoring data (last sample 2026-10-30T10:00:00Z)")
        let status = try XCTUnwrap(try Self.json(site, "api/v2/status.json")["status"] as? [String: Any])
        XCTAssertEqual(status["indicator"] as? String, "minor")
        XCTAssertEqual(status["description"] as? String, "Monitoring Data Delayed")
    }

    func testLateTimeCountsAsNoData() throws {
        // 10 h 2 min covered (the last sample holds 2 minutes) of the 24 hours.
        let (site, _) = try Self.build(["content/monitoring/p.json": Self.webmailSamples(from: "2026-10-30T00:00:00Z", minutes: 601)],
                                       now: "2026-10-30T12:00:00Z")
        let webmail = try Self.component(site, "webmail")
        XCTAssertEqual((webmail["availability"] as? [String: Any])?["24h"] as? Double, 100)
        XCTAssertEqual((webmail["coverage"] as? [String: Any])?["24h"] as? Double, 41.805555)
    }

    // MARK: Figures from declared incidents

    /// A service with neither components nor monitoring.
    static let phoneSheet = """
    ---
    title: Téléphonie
    summary: Les appels.
    category: communication
    delivery: SaaS
    service_level: critical
    manager: {name: Bea Example, email: bea@example.org}
    ---

    """

    func testOneHourOfMajorOutageIn30DaysWithoutAMonitorIs99Point8611() throws {
        var files = Self.incident("coupure", "severity: major_outage\naffected: [telephonie]\nstarted_at: 2026-10-20T10:00:00Z\nresolved_at: 2026-10-20T11:00:00Z\n")
        files["content/services/telephonie.md"] = Self.phoneSheet
        files["content/site.yaml"] = SiteFixture.siteYAML + "availability: {incidents_since: 2026-09-01T00:00:00Z}\n"
        let (site, _) = try Self.build(files, now: "2026-10-31T00:00:00Z")
        let phone = try Self.service(site, "telephonie")
        XCTAssertEqual((phone["availability"] as? [String: Any])?["30d"] as? Double, 99.861111)
        XCTAssertEqual((phone["source"] as? [String: Any])?["30d"] as? String, "incidents")
        XCTAssertEqual((phone["coverage"] as? [String: Any])?["30d"] as? Double, 100)
        XCTAssertEqual(phone["met"] as? Bool, false)
        XCTAssertEqual(phone["status"] as? String, "operational")
        XCTAssertContains(try Self.dashboardRow(site, "telephonie"),
                          "<span class=\"figure\">99,86\u{202F}%</span> <span class=\"verdict verdict-breached\"><span aria-hidden=\"true\">✕</span> objectif non atteint</span> <span class=\"figure-source\">(d&#39;après les incidents déclarés)</span>")
        XCTAssertContains(try Self.dashboardRow(site, "telephonie"), "Opérationnel <span class=\"status-note\">· d&#39;après les incidents déclarés</span>")
        XCTAssertEqual(try Self.json(site, "badges/telephonie.json")["label"] as? String, "declared uptime 30d")
    }

    /// `incidents_since` after the reference time left every unmonitored service without
    /// figures, silently (an audit's finding): a warning where it is written.
    func testIncidentsSinceAfterTheReferenceTimeIsWarned() throws {
        var files: [String: String] = ["content/services/telephonie.md": Self.phoneSheet]
        files["content/site.yaml"] = SiteFixture.siteYAML + "availability: {incidents_since: 2026-12-01T00:00:00Z}\n"
        let (_, diagnostics) = try Self.build(files, now: "2026-10-31T00:00:00Z")
        XCTAssertEqual(diagnostics.filter { $0.message.contains("incidents_since") }.lines, [
            "content/site.yaml:16:16: warning: `incidents_since` is after the reference time (2026-12-01T00:00:00Z > 2026-10-31T00:00:00Z): services nothing monitors have no figures from declared incidents",
        ])
        files["content/site.yaml"] = SiteFixture.siteYAML + "availability: {incidents_since: 2026-09-01T00:00:00Z}\n"
        XCTAssertEqual(try Self.build(files, now: "2026-10-31T00:00:00Z").1.filter { $0.message.contains("incidents_since") }, [])
    }

    func testPartialOutageCountsByItsWeightAndMaintenanceIsLeftOut() throws {
        var files = Self.incident("partielle", "severity: partial_outage\naffected: [telephonie]\nstarted_at: 2026-10-20T10:00:00Z\nresolved_at: 2026-10-20T11:00:00Z\n")
        files.merge(Self.incident("travaux", "kind: maintenance\naffected: [telephonie]\nscheduled_for: 2026-10-21T06:00:00Z\nscheduled_until: 2026-10-21T08:00:00Z\n")) { a, _ in a }
        files["content/services/telephonie.md"] = Self.phoneSheet
        files["content/site.yaml"] = SiteFixture.siteYAML + "availability: {incidents_since: 2026-09-01T00:00:00Z, partial_outage_weight: 0.5}\n"
        let (site, _) = try Self.build(files, now: "2026-10-31T00:00:00Z")
        // 30 minutes down over 43,200 − 120 minutes.
        XCTAssertEqual((try Self.service(site, "telephonie")["availability"] as? [String: Any])?["30d"] as? Double, 99.930362)
    }

    /// Before `incidents_since` nothing was declared: an outage written before it is not
    /// the day's only known time (the day read 90.91 % from 11 hours), and a day only
    /// partly covered says how much of it was not measured.
    func testNothingCountsBeforeIncidentsSinceAndAPartDaySaysSo() throws {
        var files = Self.incident("coupure", "severity: major_outage\naffected: [telephonie]\nstarted_at: 2026-10-20T10:00:00Z\nresolved_at: 2026-10-20T11:00:00Z\n")
        files["content/services/telephonie.md"] = Self.phoneSheet
        files["content/site.yaml"] = SiteFixture.siteYAML + "availability: {incidents_since: 2026-10-20T12:00:00Z}\n"
        let (site, _) = try Self.build(files, now: "2026-10-31T00:00:00Z")
        XCTAssertEqual((try Self.service(site, "telephonie")["availability"] as? [String: Any])?["30d"] as? Double, 100)
        // 20 October, local (UTC+02:00): from 00:00 to 14:00 before the origin.
        let row = "<tr id=\"day_2026-10-20\"><th scope=\"row\"><time datetime=\"2026-10-20\">20 octobre 2026</time></th><td class=\"num\">100,00\u{202F}% <span class=\"unmeasured\">(non mesuré\u{A0}: 14 h)</span></td>"
        XCTAssertContains(site.text("fr/services/telephonie/sla/2026-10/index.html"), row)
        XCTAssertContains(site.text("fr/services/telephonie/index.html"), "20 octobre 2026\u{A0}: 100,00\u{202F}%, non mesuré 14 h — Opérationnel")
        // A whole day says nothing of it.
        XCTAssertContains(site.text("fr/services/telephonie/index.html"), "21 octobre 2026\u{A0}: 100,00\u{202F}% — Opérationnel")
    }

    /// A component measured on too little of the month gets "insufficient data" in its
    /// report row and nothing else: not the report's own verdict, which the row's figure
    /// partial found further up the context ("✕ objectif non atteint ? données
    /// insuffisantes").
    func testAComponentRowWithInsufficientDataHasNoVerdictOfTheService() throws {
        var files: [String: String] = [:]
        files["content/services/messagerie.md"] = SiteFixture.mailSheet.replacingOccurrences(
            of: "components:\n", with: "components:\n  - {id: mobile, name: Mobiles, monitor: {job: blackbox, instance: \"https://mobile.example.org/\"}}\n")
        let mobileLabels = #"{"__name__":"probe_success","job":"blackbox","instance":"https://mobile.example.org/"}"#
        // October (local): the webmail measured all month with an hour down; the mobile
        // probe only three days.
        files["content/monitoring/p.json"] = MonitoringTests.prometheus(MonitoringTests.minutes(from: Self.t("2026-09-30T22:00:00Z").millis / 1000, 31 * 1440 + 60) { (20_000..<20_060).contains($0) })
        files["content/monitoring/q.json"] = MonitoringTests.prometheus(MonitoringTests.minutes(from: Self.t("2026-10-10T00:00:00Z").millis / 1000, 3 * 1440), labels: mobileLabels)
        let (site, _) = try Self.build(files, now: "2026-11-02T00:00:00Z")
        let report = try XCTUnwrap(site.text("fr/services/messagerie/sla/2026-10/index.html"))
        let rows = try XCTUnwrap(report.section(after: "<h2 id=\"components-title\">", until: "</table>"))
        let mobile = try XCTUnwrap(rows.item(separatedBy: "<tr>", containing: ">Mobiles</th>"))
        XCTAssertContains(mobile, "données insuffisantes")
        XCTAssertNotContains(mobile, "objectif")
        let webmail = try XCTUnwrap(rows.item(separatedBy: "<tr>", containing: ">Webmail</th>"))
        XCTAssertContains(webmail, "objectif non atteint")
        XCTAssertNotContains(webmail, "données insuffisantes")
    }

    func testWithoutIncidentsSinceDeclaredFiguresStartAtTheSitesFirstRecord() throws {
        // The site's records begin with the webmail's first sample, 10 days before.
        var files = Self.incident("coupure", "severity: major_outage\naffected: [telephonie]\nstarted_at: 2026-10-25T10:00:00Z\nresolved_at: 2026-10-25T11:00:00Z\n")
        files["content/services/telephonie.md"] = Self.phoneSheet
        files["content/monitoring/p.json"] = Self.webmailSamples(from: "2026-10-21T00:00:00Z", minutes: 10 * 1440)
        let (site, _) = try Self.build(files, now: "2026-10-31T00:00:00Z")
        let phone = try Self.service(site, "telephonie")
        XCTAssertEqual((phone["coverage"] as? [String: Any])?["30d"] as? Double, 33.333333)
        XCTAssertEqual((phone["availability"] as? [String: Any])?["30d"] as? Double, 99.583333)
        XCTAssertTrue(phone["met"] is NSNull)
    }

    func testWithoutAnyRecordNothingIsDeclaredOperational() throws {
        // No sample, no incident, no `incidents_since`: nothing was declared, nothing measured.
        let (site, _) = try Self.build(["content/services/telephonie.md": Self.phoneSheet], now: "2026-10-31T00:00:00Z")
        XCTAssertEqual(try Self.service(site, "telephonie")["status"] as? String, "no_data")
        XCTAssertContains(try Self.dashboardRow(site, "telephonie"), "<span class=\"status status-no_data\"><span class=\"status-icon\" aria-hidden=\"true\">?</span> Pas de données</span>")
    }

    /// Beside a measured component, one nothing monitors counts its declared outages for
    /// the service, but not one declared before `incidents_since` (it made October
    /// "missed" at 99.73 % while each component's row read 100 %).
    func testAnOutageBeforeIncidentsSinceOnAnUnmonitoredComponentDoesNotCountForItsService() throws {
        var files = Self.incident("avant", "severity: major_outage\naffected: [messagerie/smtp]\nstarted_at: 2026-10-10T10:00:00Z\nresolved_at: 2026-10-10T11:00:00Z\n")
        files.merge(Self.incident("apres", "severity: major_outage\naffected: [messagerie/smtp]\nstarted_at: 2026-10-20T10:00:00Z\nresolved_at: 2026-10-20T11:00:00Z\n")) { $1 }
        files["content/services/messagerie.md"] = SiteFixture.mailSheet.replacingOccurrences(
            of: "components:\n", with: "components:\n  - {id: smtp, name: Relais SMTP}\n")
        // The webmail measured, up, all of October (local time).
        files["content/monitoring/p.json"] = Self.webmailSamples(from: "2026-09-30T22:00:00Z", minutes: 31 * 1440 + 60)
        files["content/site.yaml"] = SiteFixture.siteYAML + "availability: {incidents_since: 2026-10-15T00:00:00Z}\n"
        let (site, _) = try Self.build(files, now: "2026-11-02T00:00:00Z")
        let rows = try XCTUnwrap(try Self.json(site, "api/sla/2026-10.json")["services"] as? [[String: Any]])
        let mail = try XCTUnwrap(rows.first { $0["id"] as? String == "messagerie" })
        // The outage after the origin only: 60 of October's 44,700 minutes.
        XCTAssertEqual(mail["downtime_minutes"] as? Double, 60)
        XCTAssertEqual(mail["availability"] as? Double, 99.865771)
    }

    /// Under `down_when: any` a service is as bad as its worst component: where a measured
    /// component has no data, the service's state is not known, unless another component
    /// is down (nothing is worse). Its month read 100 % measured from the other component
    /// alone, beside a component row with a gap. Before a component's first measurement (a
    /// probe added later) it is not part of the service's figures yet.
    func testUnderAnyAMeasuredComponentsGapIsNoDataForItsService() throws {
        var files: [String: String] = [:]
        files["content/services/messagerie.md"] = SiteFixture.mailSheet.replacingOccurrences(
            of: "components:\n", with: "components:\n  - {id: mobile, name: Mobiles, monitor: {job: blackbox, instance: \"https://mobile.example.org/\"}}\n")
        let mobileLabels = #"{"__name__":"probe_success","job":"blackbox","instance":"https://mobile.example.org/"}"#
        // Minutes from 1 October 00:00 local (UTC+02:00): the webmail, all month, down an
        // hour on the 14th and half an hour on the 20th, at 02:30 local, inside the mobile
        // probe's two hours without data (02:00–04:00 local); the mobile probe from the 10th.
        let start = Self.t("2026-09-30T22:00:00Z").millis / 1000
        files["content/monitoring/p.json"] = MonitoringTests.prometheus(MonitoringTests.minutes(from: start, 31 * 1440 + 60) {
            (20_000..<20_060).contains($0) || (27_510..<27_540).contains($0)
        })
        let mobile = MonitoringTests.minutes(from: start, 31 * 1440 + 60).enumerated()
            .filter { $0.offset >= 13_080 && !(27_480..<27_600).contains($0.offset) }.map(\.element)
        files["content/monitoring/q.json"] = MonitoringTests.prometheus(mobile, labels: mobileLabels)
        // Maintenance on the mobile component before its probe existed does not make it
        // measured from then on (the days until its first sample are not gaps).
        files.merge(Self.incident("travaux", "kind: maintenance\naffected: [messagerie/mobile]\nscheduled_for: 2026-10-05T06:00:00Z\nscheduled_until: 2026-10-05T07:00:00Z\n")) { a, _ in a }
        let (site, _) = try Self.build(files, now: "2026-11-02T00:00:00Z")
        let rows = try XCTUnwrap(try Self.json(site, "api/sla/2026-10.json")["services"] as? [[String: Any]])
        let mail = try XCTUnwrap(rows.first { $0["id"] as? String == "messagerie" })
        XCTAssertEqual(mail["maintenance_minutes"] as? Double, 60)
        // The last sample before the gap holds two minutes: 119 minutes without data, 30
        // of them known down; no time before the 10th counted without data.
        XCTAssertEqual(mail["no_data_minutes"] as? Double, 89)
        XCTAssertEqual(mail["downtime_minutes"] as? Double, 90)
        XCTAssertEqual(mail["coverage"] as? Double, 99.800894)
        XCTAssertEqual(mail["availability"] as? Double, 99.797984)
    }

    func testAComponentWithAMonitorKeepsItsMeasuredFigures() throws {
        // The webmail is measured for 10 days; the SMTP relay has no monitor.
        var files = Self.incident("coupure", "severity: major_outage\naffected: [messagerie/webmail]\nstarted_at: 2026-10-25T10:00:00Z\nresolved_at: 2026-10-25T11:00:00Z\n")
        files["content/services/messagerie.md"] = SiteFixture.mailSheet.replacingOccurrences(
            of: "components:\n", with: "components:\n  - {id: smtp, name: Relais SMTP}\n")
        files["content/monitoring/p.json"] = Self.webmailSamples(from: "2026-10-21T00:00:00Z", minutes: 10 * 1440)
        files["content/site.yaml"] = SiteFixture.siteYAML + "availability: {incidents_since: 2026-09-01T00:00:00Z}\n"
        let (site, _) = try Self.build(files, now: "2026-10-31T00:00:00Z")
        let webmail = try Self.component(site, "webmail")
        XCTAssertEqual((webmail["availability"] as? [String: Any])?["30d"] as? Double, 99.583333)
        XCTAssertEqual((webmail["source"] as? [String: Any])?["30d"] as? String, "monitoring")
        XCTAssertEqual((webmail["coverage"] as? [String: Any])?["30d"] as? Double, 33.333333)
        let smtp = try Self.component(site, "smtp")
        XCTAssertEqual((smtp["source"] as? [String: Any])?["30d"] as? String, "incidents")
        XCTAssertEqual((smtp["availability"] as? [String: Any])?["30d"] as? Double, 100)
        // The service is measured: the relay's undeclared time does not fill the webmail's gaps.
        let service = try Self.service(site)
        XCTAssertEqual((service["source"] as? [String: Any])?["30d"] as? String, "monitoring")
        XCTAssertEqual((service["coverage"] as? [String: Any])?["30d"] as? Double, 33.333333)
    }

    // MARK: No verdict on thin data

    func testAWindowMeasuredOnTooLittleOfItsTimeGetsNoVerdict() throws {
        let (site, _) = try Self.build(["content/monitoring/p.json": Self.webmailSamples(from: "2026-10-21T00:00:00Z", minutes: 10 * 1440)],
                                       now: "2026-10-31T00:00:00Z")
        let service = try Self.service(site)
        XCTAssertTrue(service["met"] is NSNull)
        XCTAssertEqual((service["coverage"] as? [String: Any])?["30d"] as? Double, 33.333333)
        XCTAssertContains(site.text("fr/services/messagerie/index.html"),
                          "<tr><th scope=\"row\">30 jours</th><td><span class=\"figure\">100,00\u{202F}%</span> <span class=\"verdict verdict-insufficient\"><span aria-hidden=\"true\">?</span> données insuffisantes (période mesurée à 33,3\u{202F}%)</span>")
        XCTAssertContains(site.text("nl/services/messagerie/index.html"), "onvoldoende gegevens (33,3\u{00A0}% van de periode gemeten)")
    }

    func testMinCoverageSetsTheThreshold() throws {
        let yaml = SiteFixture.siteYAML + "availability: {min_coverage: 30}\n"
        let (site, _) = try Self.build(["content/site.yaml": yaml, "content/monitoring/p.json": Self.webmailSamples(from: "2026-10-21T00:00:00Z", minutes: 10 * 1440)],
                                       now: "2026-10-31T00:00:00Z")
        XCTAssertEqual(try Self.service(site)["met"] as? Bool, true)
    }

    func testPlannedMaintenanceDoesNotLowerCoverage() throws {
        // Measured 30 days, 5 of them in maintenance: covered all along, and judged.
        var files = Self.incident("travaux", "kind: maintenance\naffected: [messagerie]\nscheduled_for: 2026-10-10T00:00:00Z\nscheduled_until: 2026-10-15T00:00:00Z\n")
        files["content/monitoring/p.json"] = Self.webmailSamples(from: "2026-10-01T00:00:00Z", minutes: 30 * 1440)
        let (site, _) = try Self.build(files, now: "2026-10-31T00:00:00Z")
        let service = try Self.service(site)
        XCTAssertEqual((service["coverage"] as? [String: Any])?["30d"] as? Double, 100)
        XCTAssertEqual(service["met"] as? Bool, true)
    }

    func testTheExamplesAugustMailReportSaysInsufficientData() throws {
        let tree = DiskSourceTree(root: SiteFixture.repositoryRoot)
        let bag = DiagnosticBag()
        let site = try XCTUnwrap(SiteGenerator.generate(tree: tree, settings: BuildSettings(), diagnostics: bag))
        XCTAssertEqual(bag.all.lines, [])
        let report = try XCTUnwrap(site.text("fr/services/messagerie/sla/2026-08/index.html"))
        XCTAssertContains(report, "<span class=\"verdict verdict-insufficient\"><span aria-hidden=\"true\">?</span> données insuffisantes (période mesurée à 12,6\u{202F}%)</span>")
        XCTAssertNotContains(report, "objectif atteint")
        XCTAssertContains(report, "<div><dt>Part mesurée</dt><dd>12,6\u{202F}%</dd></div>")
    }

    /// At local midnight the new day has no time yet: the history ends with the day
    /// just over (not a grey "no data" day after it), and the month just begun has no
    /// report of zero length with "no data" verdicts; the month just over gets its verdict.
    func testAtLocalMidnightTheDayAndMonthJustBegunAreNotReportedYet() throws {
        let files = ["content/monitoring/p.json": Self.webmailSamples(from: "2026-10-01T00:00:00Z", minutes: 31 * 1440)]
        // 1 November 00:00 in Brussels.
        let (site, _) = try Self.build(files, now: "2026-10-31T23:00:00Z")
        let page = try XCTUnwrap(site.text("fr/services/messagerie/index.html"))
        let history = try XCTUnwrap(page.section(after: "<ol class=\"strip\"", until: "</ol>"))
        XCTAssertFalse(history.contains("1er novembre 2026"), "the history shows a day that has not begun")
        XCTAssertContains(history, "31 octobre 2026")
        XCTAssertNil(site.text("fr/services/messagerie/sla/2026-11/index.html"))
        XCTAssertNil(site.text("api/sla/2026-11.json"))
        XCTAssertContains(site.text("fr/services/messagerie/sla/2026-10/index.html"), "objectif atteint")
        // An instant later, the new day is there.
        let (later, _) = try Self.build(files, now: "2026-10-31T23:01:00Z")
        XCTAssertContains(later.text("fr/services/messagerie/index.html"), "1er novembre 2026")
        XCTAssertNotNil(later.text("fr/services/messagerie/sla/2026-11/index.html"))
    }

    // MARK: Maintenance: upcoming, in progress, completed

    static let maintenance = incident("travaux", """
    kind: maintenance
    affected: [messagerie]
    scheduled_for: 2026-10-30T06:00:00Z
    scheduled_until: 2026-10-30T08:00:00Z
    updates:
      - {at: 2026-10-20T09:00:00Z, status: scheduled, body: "Annoncée."}

    """)

    static func maintenanceSite(now: String, updates: String = "") throws -> GeneratedSite {
        var files = maintenance
        files["content/incidents/travaux.md"] = files["content/incidents/travaux.md"]!.replacingOccurrences(of: "\n---\n", with: "\n" + updates + "---\n")
        files["content/monitoring/p.json"] = webmailSamples(from: "2026-10-29T00:00:00Z", minutes: 2 * 1440)
        return try build(files, now: now).0
    }

    /// The maintenance's `scheduled_maintenances` entry, if listed.
    static func scheduled(_ site: GeneratedSite) throws -> [String: Any]? {
        (try json(site, "api/v2/summary.json")["scheduled_maintenances"] as? [[String: Any]])?.first
    }

    func testAnUpcomingMaintenanceIsNeverSaidToBeUnderWay() throws {
        let site = try Self.maintenanceSite(now: "2026-10-29T12:00:00Z")
        let dashboard = try XCTUnwrap(site.text("fr/index.html"))
        let upcoming = try XCTUnwrap(dashboard.components(separatedBy: "<h2 id=\"upcoming-maintenance\">").dropFirst().first?.components(separatedBy: "</section>").first)
        XCTAssertContains(upcoming, "<span class=\"tag tag-phase tag-scheduled\">À venir</span>")
        XCTAssertNotContains(upcoming, "En maintenance")
        XCTAssertEqual(try Self.scheduled(site)?["status"] as? String, "scheduled")
        XCTAssertEqual(try Self.service(site)["status"] as? String, "operational")
    }

    func testAMaintenanceUnderWayIsInProgressEverywhere() throws {
        let site = try Self.maintenanceSite(now: "2026-10-30T07:00:00Z")
        let dashboard = try XCTUnwrap(site.text("fr/index.html"))
        let current = try XCTUnwrap(dashboard.components(separatedBy: "<h2 id=\"maintenance-in-progress\">Maintenances en cours</h2>").dropFirst().first)
        XCTAssertContains(current, "<span class=\"tag tag-phase tag-in_progress\">En cours</span>\n<span class=\"status status-under_maintenance\">")
        XCTAssertNotContains(dashboard, "upcoming-maintenance")
        XCTAssertEqual(try Self.scheduled(site)?["status"] as? String, "in_progress")
        XCTAssertEqual(try Self.service(site)["status"] as? String, "under_maintenance")
        XCTAssertEqual(try Self.statuspageComponent(site, "messagerie/webmail")["status"] as? String, "under_maintenance")
    }

    /// A major outage declared during a maintenance said the work went wrong; the site said
    /// "under maintenance" everywhere and counted the time as maintenance (an audit's
    /// finding). It is the outage declared, in the state and in the figures.
    func testAnOutageDeclaredDuringAMaintenanceIsNotHiddenByIt() throws {
        var files = Self.maintenance
        files.merge(Self.incident("panne", """
        severity: major_outage
        affected: [messagerie/webmail]
        started_at: 2026-10-30T06:30:00Z

        """)) { a, _ in a }
        files["content/monitoring/p.json"] = Self.webmailSamples(from: "2026-10-29T00:00:00Z", minutes: 2 * 1440)
        let (site, _) = try Self.build(files, now: "2026-10-30T07:00:00Z")
        XCTAssertEqual(try Self.service(site)["status"] as? String, "major_outage")
        XCTAssertEqual(try Self.statuspageComponent(site, "messagerie/webmail")["status"] as? String, "major_outage")
        // 24 hours: 30 minutes of maintenance leave the denominator, 30 minutes are down.
        let webmail = try Self.component(site, "webmail")
        XCTAssertEqual(try XCTUnwrap((webmail["availability"] as? [String: Any])?["24h"] as? Double), 100 * (1 - 30.0 / 1410), accuracy: 1e-6)
        XCTAssertContains(site.text("fr/services/messagerie/index.html"), "status-major_outage")

        // Probes that see it down during the maintenance do not count, in the state as in
        // the figures: the partial outage declared is the state, and counts by its weight.
        var down = files
        down["content/incidents/panne.md"] = files["content/incidents/panne.md"]!.replacingOccurrences(of: "major_outage", with: "partial_outage")
        let start = Self.t("2026-10-29T00:00:00Z").millis / 1000
        let downFrom = Int((Self.t("2026-10-30T06:00:00Z").millis / 1000 - start) / 60)
        down["content/monitoring/p.json"] = MonitoringTests.prometheus(MonitoringTests.minutes(from: start, 2 * 1440) { $0 >= downFrom })
        let (measured, _) = try Self.build(down, now: "2026-10-30T07:00:00Z")
        XCTAssertEqual(try Self.service(measured)["status"] as? String, "partial_outage")
        XCTAssertEqual(try Self.statuspageComponent(measured, "messagerie/webmail")["status"] as? String, "partial_outage")

        // A slowdown declared during it leaves the maintenance as it is.
        files["content/incidents/panne.md"] = files["content/incidents/panne.md"]!.replacingOccurrences(of: "major_outage", with: "degraded_performance")
        let (slow, _) = try Self.build(files, now: "2026-10-30T07:00:00Z")
        XCTAssertEqual(try Self.service(slow)["status"] as? String, "under_maintenance")
        XCTAssertEqual((try Self.component(slow, "webmail")["availability"] as? [String: Any])?["24h"] as? Double, 100)
    }

    func testAVerifyingUpdateIsVerifying() throws {
        let site = try Self.maintenanceSite(now: "2026-10-30T07:35:00Z", updates: "  - {at: 2026-10-30T07:30:00Z, status: verifying, body: \"Tests.\"}\n")
        XCTAssertEqual(try Self.scheduled(site)?["status"] as? String, "verifying")
        XCTAssertContains(site.text("fr/incidents/travaux/index.html"), "<span class=\"tag tag-phase tag-verifying\">Vérification en cours</span>")
    }

    func testACompletedUpdateEndsTheMaintenanceEarly() throws {
        let site = try Self.maintenanceSite(now: "2026-10-30T07:50:00Z", updates: "  - {at: 2026-10-30T07:40:00Z, status: completed, body: \"Terminé.\"}\n")
        XCTAssertNil(try Self.scheduled(site))
        XCTAssertEqual(try Self.service(site)["status"] as? String, "operational")
        XCTAssertContains(site.text("fr/incidents/travaux/index.html"), "<span class=\"tag tag-phase tag-completed\">Terminée</span>")
        // 100 minutes left the denominator, not 120.
        XCTAssertContains(site.text("fr/services/messagerie/index.html"),
                          "<tr><th scope=\"row\">24 heures</th><td><span class=\"figure\">100,00\u{202F}%</span>\n</td><td class=\"num\">0,0 min</td><td class=\"num\">100,0 min (1 h 40 min)</td>")
    }

    /// Work that overruns: the team says after the planned end that it is still checking.
    /// Until its `completed` update the maintenance is under way — not "completed" with
    /// its services operational — and it then ends at that update.
    func testAMaintenanceThatOverrunsIsUnderWayUntilCompleted() throws {
        let verifying = "  - {at: 2026-10-30T08:20:00Z, status: verifying, body: \"Encore des contrôles.\"}\n"
        let site = try Self.maintenanceSite(now: "2026-10-30T08:30:00Z", updates: verifying)
        XCTAssertEqual(try Self.service(site)["status"] as? String, "under_maintenance")
        XCTAssertContains(site.text("fr/incidents/travaux/index.html"), "<span class=\"tag tag-phase tag-verifying\">")
        XCTAssertEqual(try Self.scheduled(site)?["status"] as? String, "verifying")
        // Planned 06:00-08:00, still under way at 08:30: it has lasted 2 h 30 min so far.
        XCTAssertContains(site.text("fr/incidents/travaux/index.html"), "<dd>2 h 30 min</dd>")

        let done = try Self.maintenanceSite(now: "2026-10-30T09:00:00Z",
                                            updates: verifying + "  - {at: 2026-10-30T08:45:00Z, status: completed, body: \"Terminé.\"}\n")
        XCTAssertEqual(try Self.service(done)["status"] as? String, "operational")
        XCTAssertContains(done.text("fr/incidents/travaux/index.html"), "<dd>2 h 45 min</dd>")
        // An update after the planned end that only says it is done does not extend it.
        let late = try Self.maintenanceSite(now: "2026-10-30T09:00:00Z", updates: "  - {at: 2026-10-30T08:45:00Z, status: completed, body: \"Terminé.\"}\n")
        XCTAssertContains(late.text("fr/incidents/travaux/index.html"), "<dd>2 h</dd>")
    }

    /// Work begun ahead of its window: the team's `in_progress` update before
    /// `scheduled_for` puts the maintenance under way from then — not "upcoming" while
    /// its services are being worked on — and its figures, page, calendar and Statuspage
    /// entry start there.
    func testAMaintenanceBegunEarlyIsUnderWayFromItsFirstWorkUpdate() throws {
        let early = "  - {at: 2026-10-30T05:30:00Z, status: in_progress, body: \"Début anticipé.\"}\n"
        let site = try Self.maintenanceSite(now: "2026-10-30T05:45:00Z", updates: early)
        XCTAssertEqual(try Self.service(site)["status"] as? String, "under_maintenance")
        XCTAssertEqual(try Self.scheduled(site)?["status"] as? String, "in_progress")
        XCTAssertEqual(try Self.scheduled(site)?["started_at"] as? String, "2026-10-30T05:30:00Z")
        XCTAssertEqual(try Self.scheduled(site)?["scheduled_for"] as? String, "2026-10-30T06:00:00Z")
        let dashboard = try XCTUnwrap(site.text("fr/index.html"))
        XCTAssertContains(dashboard, "<h2 id=\"maintenance-in-progress\">")
        XCTAssertNotContains(dashboard, "upcoming-maintenance")
        let page = try XCTUnwrap(site.text("fr/incidents/travaux/index.html"))
        XCTAssertContains(page, "<div><dt>Début prévu</dt><dd><time datetime=\"2026-10-30T06:00:00Z\">")
        XCTAssertContains(page, "<div><dt>Début effectif</dt><dd><time datetime=\"2026-10-30T05:30:00Z\">")
        XCTAssertContains(page, "<dd>2 h 30 min</dd>")

        // Over: 05:30-08:00 is maintenance, 2 h 30 min, in the figures and the calendar.
        let done = try Self.maintenanceSite(now: "2026-10-30T09:00:00Z", updates: early)
        XCTAssertContains(done.text("fr/incidents/travaux/index.html"), "<dd>2 h 30 min</dd>")
        XCTAssertContains(done.text("fr/services/messagerie/index.html"),
                          "<tr><th scope=\"row\">24 heures</th><td><span class=\"figure\">100,00\u{202F}%</span>\n</td><td class=\"num\">0,0 min</td><td class=\"num\">150,0 min (2 h 30 min)</td>")
        XCTAssertContains(done.text("fr/maintenance.ics"), "DTSTART:20261030T053000Z\r\nDTEND:20261030T080000Z\r\n")
        // An update before the window that only announces it changes nothing.
        let announced = try Self.maintenanceSite(now: "2026-10-30T05:45:00Z", updates: "  - {at: 2026-10-30T05:30:00Z, status: scheduled, body: \"Rappel.\"}\n")
        XCTAssertEqual(try Self.service(announced)["status"] as? String, "operational")
        XCTAssertEqual(try Self.scheduled(announced)?["status"] as? String, "scheduled")
        XCTAssertNotContains(announced.text("fr/incidents/travaux/index.html"), "Début effectif")
    }

    /// A maintenance called off under way, or completed early, says when it ended and,
    /// beside it, when it was to end — not the cancellation as its "scheduled end".
    func testAMaintenanceThatEndedOtherwiseSaysSoBesideItsPlannedEnd() throws {
        let cancelled = try Self.maintenanceSite(now: "2026-10-30T09:00:00Z", updates: """
          - {at: 2026-10-30T06:00:00Z, status: in_progress, body: "Début."}
          - {at: 2026-10-30T07:00:00Z, status: cancelled, body: "Arrêtée."}

        """)
        let page = try XCTUnwrap(cancelled.text("fr/incidents/travaux/index.html"))
        XCTAssertContains(page, "<div><dt>Fin prévue</dt><dd><time datetime=\"2026-10-30T08:00:00Z\">")
        XCTAssertContains(page, "<div><dt>Annulée le</dt><dd><time datetime=\"2026-10-30T07:00:00Z\">")
        XCTAssertContains(page, "<dd>1 h</dd>")
        let early = try Self.maintenanceSite(now: "2026-10-30T09:00:00Z", updates: "  - {at: 2026-10-30T07:40:00Z, status: completed, body: \"Terminé.\"}\n")
        XCTAssertContains(early.text("fr/incidents/travaux/index.html"), "<div><dt>Fin effective</dt><dd><time datetime=\"2026-10-30T07:40:00Z\">")
        let planned = try Self.maintenanceSite(now: "2026-10-30T09:00:00Z")
        let plannedPage = try XCTUnwrap(planned.text("fr/incidents/travaux/index.html"))
        XCTAssertContains(plannedPage, "<div><dt>Fin prévue</dt><dd><time datetime=\"2026-10-30T08:00:00Z\">")
        XCTAssertNotContains(plannedPage, "Fin effective")
    }

    /// Under `down_when: all`, a component nothing monitors is not "up now" beside a
    /// measured one: the measured outage (or late data) is the service's state, as its
    /// figures already said.
    func testUnderAllAnUnmonitoredComponentDoesNotHideAMeasuredOutage() throws {
        func site(_ samples: String) throws -> GeneratedSite {
            var sheet = SiteFixture.mailSheet.replacingOccurrences(of: "service_level: critical", with: "service_level: critical\ndown_when: all")
            sheet = sheet.replacingOccurrences(of: "monitor: {job: blackbox, instance: \"https://webmail.example.org/\"}}",
                                               with: "monitor: {job: blackbox, instance: \"https://webmail.example.org/\"}}\n  - {id: secours, name: Secours}")
            return try Self.build(["content/services/messagerie.md": sheet, "content/monitoring/p.json": samples], now: "2026-10-30T11:00:00Z").0
        }
        // Down for the last hour.
        let down = try site(MonitoringTests.prometheus(MonitoringTests.minutes(from: Self.t("2026-10-30T00:00:00Z").millis / 1000, 660) { $0 >= 600 }))
        XCTAssertEqual(try Self.service(down)["status"] as? String, "major_outage")
        // Data stopped an hour ago.
        let late = try site(Self.webmailSamples(from: "2026-10-30T00:00:00Z", minutes: 600))
        XCTAssertEqual(try Self.service(late)["status"] as? String, "no_recent_data")
        // Measured up: operational.
        XCTAssertEqual(try Self.service(try site(Self.webmailSamples(from: "2026-10-30T00:00:00Z", minutes: 660)))["status"] as? String, "operational")
    }

    // MARK: The state of a service from its components

    func testAServiceIsOperationalOnlyWhenEveryComponentIsKnownToBeUp() {
        let up = CurrentState(state: .up)
        let late = CurrentState(state: .noData, isLate: true, lastData: Self.t("2026-10-30T10:00:00Z"))
        XCTAssertEqual(CurrentState.combine([up, late], rule: .any).name, "no_recent_data")
        XCTAssertEqual(CurrentState.combine([up, late], rule: .all).name, "operational")
        XCTAssertEqual(CurrentState.combine([CurrentState(state: .partial), late], rule: .any).name, "partial_outage")
    }

    // MARK: The reference time

    func testTheClockIsTheReferenceTimeByDefault() throws {
        let (site, _) = SiteFixture().generate(BuildSettings(clock: Self.t("2026-10-30T11:22:33Z")))
        XCTAssertEqual(try Self.json(try XCTUnwrap(site), "api/services.json")["reference_time"] as? String, "2026-10-30T11:22:33Z")
        XCTAssertEqual(site?.usedClock, true)
    }

    func testSiteReferenceTimeBeatsTheClockAndPagesSayTheFiguresAreFrozen() throws {
        let yaml = SiteFixture.siteYAML + "reference_time: 2026-10-30T12:00:00Z\n"
        let (generated, _) = SiteFixture(["content/site.yaml": yaml]).generate(BuildSettings(clock: Self.t("2027-01-01T00:00:00Z")))
        let site = try XCTUnwrap(generated)
        XCTAssertEqual(try Self.json(site, "api/services.json")["reference_time"] as? String, "2026-10-30T12:00:00Z")
        XCTAssertEqual(site.usedClock, false)
        XCTAssertContains(site.text("fr/index.html"), "— <strong class=\"as-of-frozen\">données figées : ce site ne montre pas l&#39;état actuel des services</strong></p>")
        XCTAssertContains(site.text("nl/index.html"), "vastgezette cijfers")
    }

    func testNowBeatsSiteReferenceTime() throws {
        let yaml = SiteFixture.siteYAML + "reference_time: 2026-10-30T12:00:00Z\n"
        let site = try XCTUnwrap(SiteFixture(["content/site.yaml": yaml]).generate(BuildSettings(now: Self.t("2026-11-02T00:00:00Z"))).0)
        XCTAssertEqual(try Self.json(site, "api/services.json")["reference_time"] as? String, "2026-11-02T00:00:00Z")
        XCTAssertNotContains(site.text("fr/index.html"), "données figées")
    }

    func testReferenceTimeOrder() {
        let now = Self.t("2026-01-01T00:00:00Z"), site = Self.t("2026-02-01T00:00:00Z"), clock = Self.t("2026-03-01T00:00:00Z")
        XCTAssertEqual(ReferenceSource.resolve(now: now, site: site, clock: clock)?.1, .fixed)
        XCTAssertEqual(ReferenceSource.resolve(now: nil, site: site, clock: clock)?.1, .site)
        XCTAssertEqual(ReferenceSource.resolve(now: nil, site: nil, clock: clock)?.1, .clock)
        XCTAssertNil(ReferenceSource.resolve(now: nil, site: nil, clock: nil))
    }

    func testABuildOnTheClockIsNeverReused() throws {
        let root = try SiteFixture().writeToDisk()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("public")
        let settings = BuildSettings(clock: Self.t("2026-10-30T11:00:00Z"))
        XCTAssertTrue(Builder.run(source: root, output: output, settings: settings, strict: false).succeeded)
        XCTAssertNil(Builder.run(source: root, output: output, settings: settings, strict: false).reused)
    }

    func testTheInitSkeletonHasNoReferenceTime() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("yourict-init-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try Scaffold.initSite(at: dir)
        let yaml = try String(contentsOf: dir.appendingPathComponent("content/site.yaml"), encoding: .utf8)
        XCTAssertFalse(yaml.contains("reference_time"))
    }

    // MARK: site.yaml

    func testStaleAfterMustBeADuration() {
        let yaml = SiteFixture.siteYAML + "availability:\n  stale_after: soon\n"
        let (_, diagnostics) = SiteFixture(["content/site.yaml": yaml]).generate(BuildSettings(now: Self.t("2026-10-30T11:00:00Z")))
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.lines,
                       ["content/site.yaml:17:3: error: `stale_after` must be a duration such as 15m, 1h or 90s, found `soon`"])
    }

    func testMinCoverageMustBeAPercentage() {
        let yaml = SiteFixture.siteYAML + "availability:\n  min_coverage: 120\n"
        let (_, diagnostics) = SiteFixture(["content/site.yaml": yaml]).generate(BuildSettings(now: Self.t("2026-10-30T11:00:00Z")))
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.lines,
                       ["content/site.yaml:17:3: error: `min_coverage` must be a percentage from 0 to 100, found 120"])
    }

    func testDurationsOfSiteYAML() {
        XCTAssertEqual(SiteConfigLoader.parseDuration("15m"), .minutes(15))
        XCTAssertEqual(SiteConfigLoader.parseDuration("1h30m"), .minutes(90))
        XCTAssertEqual(SiteConfigLoader.parseDuration("90s"), .seconds(90))
        XCTAssertNil(SiteConfigLoader.parseDuration("30m1h"))
        XCTAssertNil(SiteConfigLoader.parseDuration("15"))
        XCTAssertNil(SiteConfigLoader.parseDuration(""))
    }
}
