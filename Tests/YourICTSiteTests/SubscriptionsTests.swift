import Foundation
import XCTest
import YourICTTestSupport
@testable import YourICTSupport
@testable import YourICTContent
@testable import YourICTSite
@testable import YourICTPreview

/// Per-service Atom feeds, maintenance calendars, their links, and cancelled maintenance.
final class SubscriptionsTests: XCTestCase {
    static let now = "2026-11-26T12:00:00Z"

    static let travaux = """
    ---
    title: Mise à jour du webmail
    kind: maintenance
    affected: [messagerie/webmail]
    scheduled_for: 2026-12-05T06:00:00+01:00
    scheduled_until: 2026-12-05T08:00:00+01:00
    updates:
      - {at: 2026-11-20T14:00:00+01:00, status: scheduled, body: "Le webmail, l'agenda; tout sera coupé par moments."}
    ---

    """

    static func fixture(_ extra: [String: String] = [:]) -> SiteFixture {
        var files = [
            "content/services/stockage.md": "---\ntitle: Stockage\nsummary: Des volumes.\ncategory: communication\ndelivery: PaaS\nservice_level: standard\n---\nTexte.\n",
            "content/incidents/travaux.md": travaux,
            "content/incidents/panne.md": """
            ---
            title: Webmail lent
            severity: partial_outage
            affected: [messagerie/webmail]
            started_at: 2026-11-03T09:12:00+01:00
            resolved_at: 2026-11-03T10:40:00+01:00
            updates:
              - {at: 2026-11-03T09:20:00+01:00, status: investigating, body: "Nous analysons."}
              - {at: 2026-11-03T10:10:00+01:00, status: monitoring, body: "Corrigé, sous surveillance."}
              - {at: 2026-11-03T10:40:00+01:00, status: resolved, body: "Résolu."}
            ---

            """,
            "content/incidents/volumes.md": """
            ---
            title: Volumes inaccessibles
            severity: major_outage
            affected: [stockage]
            started_at: 2026-11-26T11:00:00+01:00
            updates:
              - {at: 2026-11-26T11:05:00+01:00, status: investigating, body: "Les volumes ne répondent plus."}
            ---

            """,
        ]
        files.merge(extra) { _, new in new }
        return SiteFixture(files)
    }

    static func build(_ fixture: SiteFixture = fixture(), now: String = now) throws -> GeneratedSite {
        let (site, diagnostics) = fixture.generate(BuildSettings(now: Timestamp(rfc3339: now)))
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.lines, [])
        return try XCTUnwrap(site)
    }

    /// The maintenance with `updates` added to its timeline.
    static func travaux(adding updates: String) -> [String: String] {
        ["content/incidents/travaux.md": travaux.replacingOccurrences(of: "\n---\n", with: "\n" + updates + "---\n")]
    }

    static func lines(_ text: String?) -> [String] {
        (text ?? "").replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n")
    }

    // MARK: - Calendars

    func testTheMaintenanceCalendarIsExact() throws {
        let ics = try XCTUnwrap(try Self.build().text("fr/maintenance.ics"))
        XCTAssertEqual(ics, [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//yourict//yourict \(YourICTVersion.current)//FR",
            "CALSCALE:GREGORIAN",
            "NAME:Catalogue test — Maintenances planifiées",
            "X-WR-CALNAME:Catalogue test — Maintenances planifiées",
            "SOURCE:https://status.example.org/fr/maintenance.ics",
            "URL:https://status.example.org/fr/",
            "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
            "X-PUBLISHED-TTL:PT1H",
            "BEGIN:VEVENT",
            "UID:travaux@status.example.org",
            "DTSTAMP:20261120T130000Z",
            "SEQUENCE:1",
            "DTSTART:20261205T050000Z",
            "DTEND:20261205T070000Z",
            "SUMMARY;LANGUAGE=fr:Mise à jour du webmail",
            "DESCRIPTION;LANGUAGE=fr:Planifiée (20 novembre 2026 à 14:00 (UTC+01:00)):",
            "  Le webmail\\, l'agenda\\; tout sera coupé par moments.\\n\\nConcerne : Messa",
            " gerie — Webmail\\n\\nhttps://status.example.org/fr/incidents/travaux/",
            "URL:https://status.example.org/fr/incidents/travaux/",
            "STATUS:CONFIRMED",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ].joined(separator: "\r\n"))
    }

    func testAServiceCalendarHoldsOnlyTheMaintenanceAffectingIt() throws {
        let site = try Self.build()
        XCTAssertTrue(Self.lines(site.text("fr/services/messagerie/maintenance.ics")).contains("UID:travaux@status.example.org"))
        XCTAssertTrue(Self.lines(site.text("fr/services/messagerie/maintenance.ics")).contains("NAME:Catalogue test — Messagerie — Maintenances planifiées"))
        XCTAssertTrue(Self.lines(site.text("nl/services/messagerie/maintenance.ics")).contains("NAME:Testcatalogus — Messagerie — Gepland onderhoud"))
        XCTAssertFalse(try XCTUnwrap(site.text("fr/services/stockage/maintenance.ics")).contains("BEGIN:VEVENT"))
        // With nothing to list it is still a calendar RFC 5545 accepts: one component, a
        // time zone for UTC, which a calendar with events does not need.
        let empty = Self.lines(site.text("fr/services/stockage/maintenance.ics"))
        XCTAssertEqual(Array(empty.suffix(11)), ["BEGIN:VTIMEZONE", "TZID:UTC", "BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:+0000",
                                                 "TZOFFSETTO:+0000", "TZNAME:UTC", "END:STANDARD", "END:VTIMEZONE", "END:VCALENDAR", ""])
        XCTAssertFalse(Self.lines(site.text("fr/services/messagerie/maintenance.ics")).contains("BEGIN:VTIMEZONE"))
    }

    func testANewUpdateKeepsTheUIDAndRaisesTheSequence() throws {
        let before = Self.lines(try Self.build().text("fr/maintenance.ics"))
        let after = Self.lines(try Self.build(Self.fixture(Self.travaux(adding: "  - {at: 2026-11-25T09:00:00+01:00, status: scheduled, body: \"Rappel.\"}\n")))
            .text("fr/maintenance.ics"))
        XCTAssertTrue(before.contains("UID:travaux@status.example.org") && after.contains("UID:travaux@status.example.org"))
        XCTAssertEqual(before.filter { $0.hasPrefix("SEQUENCE:") || $0.hasPrefix("DTSTAMP:") }, ["DTSTAMP:20261120T130000Z", "SEQUENCE:1"])
        XCTAssertEqual(after.filter { $0.hasPrefix("SEQUENCE:") || $0.hasPrefix("DTSTAMP:") }, ["DTSTAMP:20261125T080000Z", "SEQUENCE:2"])
    }

    func testAnUpdateDatedAfterTheReferenceTimeChangesNothingYet() throws {
        let later = Self.fixture(Self.travaux(adding: "  - {at: 2026-11-27T09:00:00+01:00, status: scheduled, body: \"Rappel.\"}\n"))
        XCTAssertEqual(try Self.build(later).text("fr/maintenance.ics"), try Self.build().text("fr/maintenance.ics"))
    }

    func testACancelledMaintenanceIsCancelledInTheCalendar() throws {
        let site = try Self.build(Self.fixture(Self.travaux(adding: "  - {at: 2026-11-24T16:00:00+01:00, status: cancelled, body: \"Annulée.\"}\n")))
        let event = Self.lines(site.text("fr/maintenance.ics")).drop { $0 != "BEGIN:VEVENT" }
        // It keeps its window, so that calendars show which one was called off.
        XCTAssertEqual(event.filter { ["DTSTAMP", "SEQUENCE", "DTSTART", "DTEND", "STATUS"].contains($0.prefix { $0 != ":" }) },
                       ["DTSTAMP:20261124T150000Z", "SEQUENCE:2", "DTSTART:20261205T050000Z", "DTEND:20261205T070000Z", "STATUS:CANCELLED"])
        XCTAssertTrue(event.contains { $0.hasPrefix("DESCRIPTION;LANGUAGE=fr:Annulée (24 novembre 2026 à 16:00 (UTC+01:00)): Annulée.\\n\\nPlanifiée") })
    }

    /// The Dutch calendar's description of a maintenance left untranslated has Dutch words
    /// and French texts: it said `LANGUAGE=nl` (an audit's finding). It names a language
    /// only when the words and texts are of one.
    func testADescriptionOfTwoLanguagesNamesNone() throws {
        let site = try Self.build(Self.fixture(["content/incidents/travaux.nl.md": "---\ntitle: Webmail bijwerken\n---\n"]))
        let nl = Self.lines(site.text("nl/maintenance.ics"))
        XCTAssertTrue(nl.contains { $0.hasPrefix("DESCRIPTION:Gepland (") }, "\(nl)")
        XCTAssertFalse(nl.contains { $0.hasPrefix("DESCRIPTION;LANGUAGE") })
        XCTAssertTrue(Self.lines(site.text("fr/maintenance.ics")).contains { $0.hasPrefix("DESCRIPTION;LANGUAGE=fr:Planifiée (") })
    }

    func testAMaintenanceCompletedEarlyEndsWhenItDid() throws {
        let site = try Self.build(Self.fixture(Self.travaux(adding: "  - {at: 2026-12-05T07:10:00+01:00, status: completed, body: \"Terminé.\"}\n")),
                                  now: "2026-12-05T08:00:00Z")
        XCTAssertTrue(Self.lines(site.text("fr/maintenance.ics")).contains("DTEND:20261205T061000Z"))
    }

    /// Work that overruns its window is under way on every page: its event lasts up to
    /// the reference time at least, not to the planned end it has passed.
    func testAMaintenanceThatOverrunsLastsInTheCalendarUpToTheReferenceTime() throws {
        let site = try Self.build(Self.fixture(Self.travaux(adding: "  - {at: 2026-12-05T08:20:00+01:00, status: in_progress, body: \"Prolongé.\"}\n")),
                                  now: "2026-12-05T07:45:00Z")
        let lines = Self.lines(site.text("fr/maintenance.ics"))
        XCTAssertTrue(lines.contains("DTEND:20261205T074500Z"), "\(lines)")
        XCTAssertTrue(lines.contains("STATUS:CONFIRMED"))
    }

    func testWithoutBaseURLTheUIDNamesNoHostAndTheCalendarNoAddress() throws {
        var fixture = Self.fixture()
        fixture.files["content/site.yaml"] = fixture.files["content/site.yaml"]!.replacingOccurrences(of: "base_url: https://status.example.org/\n", with: "")
        let lines = Self.lines(try Self.build(fixture).text("fr/maintenance.ics"))
        XCTAssertTrue(lines.contains("UID:travaux@yourict.invalid"))
        XCTAssertFalse(lines.contains { $0.hasPrefix("SOURCE:") || $0.hasPrefix("URL:") })
    }

    func testTheUIDKeepsTheSitesPathUnderItsHost() throws {
        var fixture = Self.fixture()
        fixture.files["content/site.yaml"] = fixture.files["content/site.yaml"]!.replacingOccurrences(of: "base_url: https://status.example.org/\n",
                                                                                                       with: "base_url: https://intranet.example.org/ict/\n")
        XCTAssertTrue(Self.lines(try Self.build(fixture).text("fr/maintenance.ics")).contains("UID:travaux@intranet.example.org/ict"))
    }

    // MARK: - Cancelled maintenance

    func testACancelledMaintenanceIsNeitherUpcomingNorUnderWay() throws {
        let cancelled = Self.fixture(Self.travaux(adding: "  - {at: 2026-11-24T16:00:00+01:00, status: cancelled, body: \"Annulée.\"}\n"))
        let before = try Self.build(cancelled)
        XCTAssertNotContains(before.text("fr/index.html"), "upcoming-maintenance")
        XCTAssertContains(before.text("fr/incidents/travaux/index.html"), "<span class=\"tag tag-phase tag-cancelled\">Annulée</span>")
        // During what was its window: nothing is under maintenance.
        let during = try Self.build(cancelled, now: "2026-12-05T06:00:00Z")
        let services = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try XCTUnwrap(during.text("api/services.json")).utf8)) as? [String: Any])
        let messagerie = try XCTUnwrap((services["services"] as? [[String: Any]])?.first { $0["id"] as? String == "messagerie" })
        XCTAssertNotEqual(messagerie["status"] as? String, "under_maintenance")
        XCTAssertNotContains(during.text("fr/index.html"), "maintenance-in-progress")
    }

    func testAMaintenanceCancelledUnderWayEndsAtItsCancellation() throws {
        let incident = try XCTUnwrap(Self.build(Self.fixture(Self.travaux(adding: "  - {at: 2026-12-05T06:30:00+01:00, status: cancelled, body: \"Interrompue.\"}\n")),
                                                now: "2026-12-05T07:00:00Z").text("fr/incidents/travaux/index.html"))
        XCTAssertContains(incident, "tag-cancelled")
        let cancelledAt = Timestamp(rfc3339: "2026-12-05T06:30:00+01:00")!
        let event = Incident(id: "t", lang: "fr", path: "t.md", title: "T", kind: .maintenance, severity: .underMaintenance, affected: [],
                             startedAt: nil, resolvedAt: nil, scheduledFor: Timestamp(rfc3339: "2026-12-05T06:00:00+01:00"),
                             scheduledUntil: Timestamp(rfc3339: "2026-12-05T08:00:00+01:00"),
                             updates: [.init(at: cancelledAt, status: "cancelled", body: "", location: SourceLocation(path: "t.md"))],
                             draft: false, body: MarkdownSource(text: "", path: "t.md", firstLine: 1))
        XCTAssertEqual(event.effectiveEnd(asOf: Timestamp(rfc3339: "2026-12-05T07:00:00Z")), cancelledAt)
        XCTAssertEqual(event.phase(at: Timestamp(rfc3339: "2026-12-05T07:00:00Z")), .cancelled)
        // Before the cancellation was published, it was under way.
        XCTAssertEqual(event.phase(at: Timestamp(rfc3339: "2026-12-05T06:15:00+01:00")), .inProgress)
    }

    func testCancelledIsForMaintenanceOnly() {
        let (_, diagnostics) = Self.fixture(["content/incidents/volumes.md": """
            ---
            title: Volumes inaccessibles
            severity: major_outage
            affected: [stockage]
            started_at: 2026-11-26T11:00:00+01:00
            updates:
              - {at: 2026-11-26T11:05:00+01:00, status: cancelled, body: "Non."}
            ---

            """]).generate(BuildSettings(now: Timestamp(rfc3339: Self.now)))
        XCTAssertTrue(diagnostics.contains { $0.severity == .error && $0.location?.path == "content/incidents/volumes.md" && $0.message.contains("cancelled") },
                      "\(diagnostics.lines)")
    }

    // MARK: - Feeds and links

    func testAServiceFeedHoldsTheEventsAffectingIt() throws {
        let site = try Self.build()
        let feed = try XCTUnwrap(site.text("fr/services/messagerie/feed.xml"))
        XCTAssertTrue(feed.hasPrefix("""
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
          <id>https://status.example.org/fr/services/messagerie/feed.xml</id>
          <title>Catalogue test — Messagerie — Incidents et maintenances</title>
          <updated>2026-11-20T13:00:00Z</updated>
          <link rel="self" type="application/atom+xml" href="https://status.example.org/fr/services/messagerie/feed.xml"/>
          <link rel="alternate" type="text/html" href="https://status.example.org/fr/services/messagerie/"/>

        """), feed)
        let ids = feed.components(separatedBy: "<entry>\n    <id>").dropFirst().map { $0.prefix { $0 != "<" } }
        XCTAssertEqual(ids, ["https://status.example.org/fr/incidents/travaux/", "https://status.example.org/fr/incidents/panne/"])
        // Its entries are the site feed's, byte for byte.
        let global = try XCTUnwrap(site.text("fr/feed.xml"))
        let entries = feed.components(separatedBy: "  <entry>\n").dropFirst().map { $0.components(separatedBy: "  </entry>\n")[0] }
        for entry in entries { XCTAssertContains(global, entry) }
        XCTAssertContains(site.text("fr/services/stockage/feed.xml"), "<id>https://status.example.org/fr/incidents/volumes/</id>")
        XCTAssertNotContains(site.text("fr/services/stockage/feed.xml"), "incidents/panne/")
    }

    func testAServiceWithoutEventsHasAFeedDatedByTheReferenceTime() throws {
        let feed = try XCTUnwrap(try Self.build(SiteFixture()).text("fr/services/messagerie/feed.xml"))
        XCTAssertContains(feed, "  <updated>2026-11-26T12:00:00Z</updated>\n")
        XCTAssertNotContains(feed, "<entry>")
    }

    func testServicePagesLinkTheirFeedAndCalendar() throws {
        let html = try XCTUnwrap(try Self.build().text("fr/services/messagerie/index.html"))
        XCTAssertContains(html, """
        <link rel="alternate" type="application/atom+xml" href="/fr/feed.xml" title="Incidents et maintenances (Atom)">
        <link rel="alternate" type="text/calendar" href="/fr/maintenance.ics" title="Calendrier des maintenances planifiées (iCalendar)">
        <link rel="alternate" type="application/atom+xml" href="/fr/services/messagerie/feed.xml" title="Messagerie — Incidents et maintenances (Atom)">
        <link rel="alternate" type="text/calendar" href="/fr/services/messagerie/maintenance.ics" title="Messagerie — Maintenances planifiées (iCalendar)">
        """)
        XCTAssertContains(html, """
        <h2 id="incidents-title">Incidents et maintenances de ce service</h2>
        <ul class="subscribe-links">
        <li><a href="/fr/services/messagerie/feed.xml" type="application/atom+xml">Flux Atom des incidents et maintenances de ce service</a></li>
        <li><a href="/fr/services/messagerie/maintenance.ics" type="text/calendar">Calendrier des maintenances planifiées de ce service (iCalendar)</a></li>
        </ul>
        """)
    }

    func testTheDashboardOffersTheSitesFeedAndCalendar() throws {
        let html = try XCTUnwrap(try Self.build().text("nl/index.html"))
        XCTAssertContains(html, """
        <section class="panel" aria-labelledby="subscribe-title">
        <h2 id="subscribe-title">Abonneren</h2>
        <ul class="subscribe-links">
        <li><a href="/nl/feed.xml" type="application/atom+xml">Atom-feed van de incidenten en het onderhoud</a></li>
        <li><a href="/nl/maintenance.ics" type="text/calendar">Agenda van het gepland onderhoud (iCalendar)</a></li>
        </ul>
        </section>
        """)
        XCTAssertNotContains(html, "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/nl/services/")
    }

    func testServeGivesCalendarsTheirType() {
        XCTAssertEqual(ContentTypes.type(for: "fr/services/messagerie/maintenance.ics"), "text/calendar; charset=utf-8")
    }

    func testEveryServiceAndLanguageHasAFeedAndACalendar() throws {
        let paths = Set(try Self.build().files.map(\.path))
        for lang in ["fr", "nl"] {
            for id in ["messagerie", "stockage"] {
                XCTAssertTrue(paths.contains("\(lang)/services/\(id)/feed.xml") && paths.contains("\(lang)/services/\(id)/maintenance.ics"), "\(lang) \(id)")
            }
            XCTAssertTrue(paths.contains("\(lang)/maintenance.ics"))
        }
    }
}
