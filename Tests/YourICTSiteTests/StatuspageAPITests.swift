import Foundation
import XCTest
import YourICTTestSupport
@testable import YourICTSupport
@testable import YourICTSite

/// `/api/v2/`: every document of the Statuspage public API, in its shapes.
final class StatuspageAPITests: XCTestCase {
    static func json(_ site: GeneratedSite, _ path: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try XCTUnwrap(site.text(path), path).utf8)) as? [String: Any])
    }

    static func ids(_ site: GeneratedSite, _ path: String, _ key: String) throws -> [String] {
        try XCTUnwrap(try json(site, path)[key] as? [[String: Any]]).map { $0["id"] as? String ?? "?" }
    }

    func testEveryDocumentIsWrittenWithThePage() throws {
        let site = try SubscriptionsTests.build()
        XCTAssertEqual(StatuspageAPI.paths.filter { site.text($0) == nil }, [])
        for path in StatuspageAPI.paths {
            XCTAssertEqual((try Self.json(site, path)["page"] as? [String: Any])?["updated_at"] as? String, SubscriptionsTests.now, path)
        }
    }

    func testUpdatesSayWhatTheyChangedForEachComponent() throws {
        let text = try XCTUnwrap(try SubscriptionsTests.build().text("api/v2/incidents.json"))
        // Newest first: the resolution gave the webmail back, after the first update had declared it down.
        XCTAssertContains(text, """
                  "affected_components": [
                    {
                      "code": "messagerie/webmail",
                      "name": "Messagerie - Webmail",
                      "old_status": "partial_outage",
                      "new_status": "operational"
                    }
                  ],
                  "deliver_notifications": true,
                  "custom_tweet": null,
                  "tweet_id": null
        """)
        let panne = try XCTUnwrap((try Self.json(SubscriptionsTests.build(), "api/v2/incidents.json")["incidents"] as? [[String: Any]])?.first { $0["id"] as? String == "panne" })
        let transitions = try XCTUnwrap(panne["incident_updates"] as? [[String: Any]]).map { update -> String in
            let a = (update["affected_components"] as? [[String: Any]])?.first
            return "\(update["status"] ?? ""): \(a?["old_status"] ?? "") → \(a?["new_status"] ?? "")"
        }
        XCTAssertEqual(transitions, ["resolved: partial_outage → operational", "monitoring: partial_outage → partial_outage",
                                     "investigating: operational → partial_outage"])
        XCTAssertEqual(panne["monitoring_at"] as? String, "2026-11-03T09:10:00Z")
        XCTAssertEqual(panne["resolved_at"] as? String, "2026-11-03T09:40:00Z")
    }

    func testIncidentsListFullComponentObjects() throws {
        let site = try SubscriptionsTests.build()
        let components = try XCTUnwrap(try Self.json(site, "api/v2/components.json")["components"] as? [[String: Any]])
        let webmail = try XCTUnwrap(components.first { $0["id"] as? String == "messagerie/webmail" })
        let incident = try XCTUnwrap((try Self.json(site, "api/v2/incidents.json")["incidents"] as? [[String: Any]])?.first { $0["id"] as? String == "panne" })
        let listed = try XCTUnwrap((incident["components"] as? [[String: Any]])?.first)
        XCTAssertEqual(NSDictionary(dictionary: listed), NSDictionary(dictionary: webmail))
        XCTAssertEqual(listed.keys.sorted(), ["created_at", "description", "group", "group_id", "id", "name", "only_show_if_degraded", "page_id",
                                              "position", "showcase", "start_date", "status", "updated_at"])
    }

    func testAServiceWithoutComponentsIsAComponentNotAGroup() throws {
        let components = try XCTUnwrap(try Self.json(SubscriptionsTests.build(), "api/v2/components.json")["components"] as? [[String: Any]])
        let stockage = try XCTUnwrap(components.first { $0["id"] as? String == "stockage" })
        XCTAssertEqual(stockage["group"] as? Bool, false)
        XCTAssertNil(stockage["components"])
        XCTAssertEqual(components.map { "\($0["id"]!)@\($0["position"]!)" }, ["messagerie@1", "messagerie/webmail@2", "stockage@3"])
    }

    func testTheListsFollowTheEventsPhases() throws {
        let before = try SubscriptionsTests.build()
        XCTAssertEqual(try Self.ids(before, "api/v2/incidents.json", "incidents"), ["volumes", "panne"])
        XCTAssertEqual(try Self.ids(before, "api/v2/incidents/unresolved.json", "incidents"), ["volumes"])
        XCTAssertEqual(try Self.ids(before, "api/v2/summary.json", "incidents"), ["volumes"])
        XCTAssertEqual(try Self.ids(before, "api/v2/scheduled-maintenances.json", "scheduled_maintenances"), ["travaux"])
        XCTAssertEqual(try Self.ids(before, "api/v2/scheduled-maintenances/upcoming.json", "scheduled_maintenances"), ["travaux"])
        XCTAssertEqual(try Self.ids(before, "api/v2/scheduled-maintenances/active.json", "scheduled_maintenances"), [])
        let during = try SubscriptionsTests.build(now: "2026-12-05T06:00:00Z")
        XCTAssertEqual(try Self.ids(during, "api/v2/scheduled-maintenances/upcoming.json", "scheduled_maintenances"), [])
        XCTAssertEqual(try Self.ids(during, "api/v2/scheduled-maintenances/active.json", "scheduled_maintenances"), ["travaux"])
        XCTAssertEqual(try Self.ids(during, "api/v2/summary.json", "scheduled_maintenances"), ["travaux"])
        let after = try SubscriptionsTests.build(now: "2026-12-06T00:00:00Z")
        XCTAssertEqual(try Self.ids(after, "api/v2/summary.json", "scheduled_maintenances"), [])
        let completed = try XCTUnwrap((try Self.json(after, "api/v2/scheduled-maintenances.json")["scheduled_maintenances"] as? [[String: Any]])?.first)
        XCTAssertEqual(completed["status"] as? String, "completed")
        XCTAssertEqual(completed["resolved_at"] as? String, "2026-12-05T07:00:00Z")
    }

    func testAMaintenanceUnderWayDeclaresItsComponentsUnderMaintenance() throws {
        let site = try SubscriptionsTests.build(SubscriptionsTests.fixture(SubscriptionsTests.travaux(adding: """
              - {at: 2026-12-05T06:00:00+01:00, status: in_progress, body: "C'est parti."}
              - {at: 2026-12-05T07:30:00+01:00, status: verifying, body: "Vérifications."}

            """)), now: "2026-12-05T06:45:00Z")
        let travaux = try XCTUnwrap((try Self.json(site, "api/v2/scheduled-maintenances/active.json")["scheduled_maintenances"] as? [[String: Any]])?.first)
        XCTAssertEqual(travaux["status"] as? String, "verifying")
        XCTAssertEqual(travaux["monitoring_at"] as? String, "2026-12-05T06:30:00Z")
        XCTAssertTrue(travaux["resolved_at"] is NSNull)
        let transitions = try XCTUnwrap(travaux["incident_updates"] as? [[String: Any]]).map { update -> String in
            let a = (update["affected_components"] as? [[String: Any]])?.first
            return "\(update["status"] ?? ""): \(a?["old_status"] ?? "") → \(a?["new_status"] ?? "")"
        }
        XCTAssertEqual(transitions, ["verifying: under_maintenance → under_maintenance", "in_progress: operational → under_maintenance",
                                     "scheduled: operational → operational"])
        XCTAssertEqual(((travaux["components"] as? [[String: Any]])?.first)?["status"] as? String, "under_maintenance")
    }

    func testACancelledMaintenanceIsCompletedForStatuspage() throws {
        let site = try SubscriptionsTests.build(SubscriptionsTests.fixture(SubscriptionsTests.travaux(adding: "  - {at: 2026-11-24T16:00:00+01:00, status: cancelled, body: \"Annulée.\"}\n")))
        XCTAssertEqual(try Self.ids(site, "api/v2/scheduled-maintenances/upcoming.json", "scheduled_maintenances"), [])
        let travaux = try XCTUnwrap((try Self.json(site, "api/v2/scheduled-maintenances.json")["scheduled_maintenances"] as? [[String: Any]])?.first)
        XCTAssertEqual(travaux["status"] as? String, "completed")
        XCTAssertEqual(travaux["resolved_at"] as? String, "2026-11-24T15:00:00Z")
        XCTAssertEqual((travaux["incident_updates"] as? [[String: Any]])?.map { $0["status"] as? String }, ["completed", "scheduled"])
    }

    /// `updated_at` is never before the incident's `resolved_at` (resolved by it alone, a
    /// client watching `updated_at` never saw the resolution, which the feed dated 11:00),
    /// and `created_at` of an event nobody announced is not in the future.
    func testEventTimesAreNeitherBeforeTheEndNorAfterTheReferenceTime() throws {
        let site = try SubscriptionsTests.build(SubscriptionsTests.fixture([
            "content/incidents/tard.md": "---\ntitle: Tard\nseverity: partial_outage\naffected: [stockage]\nstarted_at: 2026-11-20T10:00:00Z\nresolved_at: 2026-11-20T11:00:00Z\nupdates:\n  - {at: 2026-11-20T10:05:00Z, status: investigating, body: Analyse.}\n---\n",
            "content/incidents/imprevue.md": "---\ntitle: Imprévue\nkind: maintenance\naffected: [stockage]\nscheduled_for: 2026-12-20T08:00:00Z\nscheduled_until: 2026-12-20T09:00:00Z\n---\n",
        ]))
        let tard = try XCTUnwrap((try Self.json(site, "api/v2/incidents.json")["incidents"] as? [[String: Any]])?.first { $0["id"] as? String == "tard" })
        XCTAssertEqual(tard["created_at"] as? String, "2026-11-20T10:05:00Z")
        XCTAssertEqual(tard["updated_at"] as? String, "2026-11-20T11:00:00Z")
        XCTAssertEqual(tard["resolved_at"] as? String, "2026-11-20T11:00:00Z")
        let imprevue = try XCTUnwrap((try Self.json(site, "api/v2/scheduled-maintenances/upcoming.json")["scheduled_maintenances"] as? [[String: Any]])?.first { $0["id"] as? String == "imprevue" })
        XCTAssertEqual(imprevue["created_at"] as? String, SubscriptionsTests.now)
        XCTAssertEqual(imprevue["updated_at"] as? String, SubscriptionsTests.now)
        XCTAssertEqual(imprevue["scheduled_for"] as? String, "2026-12-20T08:00:00Z")
    }

    func testTheListsOfAllHoldTheFiftyMostRecent() throws {
        var extra: [String: String] = [:]
        let first = Timestamp(rfc3339: "2026-09-01T08:00:00Z")!
        for day in 1...52 {
            let start = first + .days(Int64(day))
            extra["content/incidents/i\(day).md"] = "---\ntitle: I\(day)\nseverity: degraded_performance\naffected: [stockage]\n"
                + "started_at: \(start.iso8601UTC)\nresolved_at: \((start + .minutes(30)).iso8601UTC)\n---\n"
        }
        // 54 incidents: the 50 newest, newest first; the four oldest are left out.
        let ids = try Self.ids(try SubscriptionsTests.build(SubscriptionsTests.fixture(extra)), "api/v2/incidents.json", "incidents")
        XCTAssertEqual(ids.count, 50)
        XCTAssertEqual(Array(ids.prefix(3)), ["volumes", "panne", "i52"])
        XCTAssertEqual(ids.last, "i5")
    }

    func testAMaintenancesImpactIsMaintenanceWhateverItsSeverity() throws {
        let site = try SubscriptionsTests.build(SubscriptionsTests.fixture([
            "content/incidents/travaux.md": SubscriptionsTests.travaux.replacingOccurrences(of: "kind: maintenance\n", with: "kind: maintenance\nseverity: major_outage\n"),
        ]))
        let travaux = try XCTUnwrap((try Self.json(site, "api/v2/scheduled-maintenances.json")["scheduled_maintenances"] as? [[String: Any]])?.first)
        XCTAssertEqual(travaux["impact"] as? String, "maintenance")
        let volumes = try XCTUnwrap((try Self.json(site, "api/v2/incidents.json")["incidents"] as? [[String: Any]])?.first)
        XCTAssertEqual(volumes["impact"] as? String, "critical")
    }
}
