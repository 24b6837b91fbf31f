import Foundation
import XCTest
import YourICTTestSupport
@testable import YourICTSupport
@testable import YourICTContent
@testable import YourICTMonitoring
@testable import YourICTSite

/// Known-answer tests of ingestion and availability, through the same path a build takes.
final class MonitoringTests: XCTestCase {
    static let t0 = Timestamp(rfc3339: "2026-10-01T00:00:00Z")!.millis / 1000
    static let labels = #"{"__name__":"probe_success","job":"blackbox","instance":"https://webmail.example.org/"}"#

    /// A Prometheus query_range document for the fixture's webmail probe.
    static func prometheus(_ samples: [(Int64, String)], labels: String = labels) -> String {
        let values = samples.map { "[\($0.0),\"\($0.1)\"]" }.joined(separator: ",")
        return #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":\#(labels),"values":[\#(values)]}]}}"#
    }

    /// One sample a minute from `start` for `minutes`, `0` where `down(i)`.
    static func minutes(from start: Int64 = t0, _ minutes: Int, down: (Int) -> Bool = { _ in false }) -> [(Int64, String)] {
        (0..<minutes).map { (start + Int64($0) * 60, down($0) ? "0" : "1") }
    }

    private func report(_ files: [String: String], now: String, extra: [String: String] = [:]) throws -> (StatusReport, [Diagnostic]) {
        var all = extra
        for (name, text) in files { all["content/monitoring/\(name)"] = text }
        let fixture = SiteFixture(all)
        let bag = DiagnosticBag()
        let content = try XCTUnwrap(ContentLoader.load(from: fixture.tree, includeDrafts: false, diagnostics: bag))
        let loader = MonitoringLoader.load(tree: fixture.tree, content: content, diagnostics: bag)
        let reference = try XCTUnwrap(Timestamp(rfc3339: now))
        let engine = AvailabilityEngine(content: content, calendar: ZonedCalendar(timeZone: content.site.timeZone), reference: reference)
        return (engine.report(monitoring: loader), bag.all.sortedForDisplay())
    }

    private func webmail(_ report: StatusReport) throws -> EntityStatus {
        try XCTUnwrap(report.services["messagerie"]?.component("webmail"))
    }

    // MARK: Known answers

    func test43MinutesDownIn30DaysIs99Point9005() throws {
        let samples = Self.minutes(30 * 1440) { (1000..<1043).contains($0) }
        let (report, diagnostics) = try report(["p.json": Self.prometheus(samples)], now: "2026-10-31T00:00:00Z")
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.lines, [])
        let tally = try webmail(report).windows[.d30]!
        XCTAssertEqual(tally.down, 43 * 60_000)
        XCTAssertEqual(tally.measured, 43_200 * 60_000)
        let availability = try XCTUnwrap(tally.availability(partialWeight: 1))
        XCTAssertEqual((availability * 10_000).rounded() / 10_000, 99.9005)
        let service = try XCTUnwrap(report.services["messagerie"])
        XCTAssertEqual(service.met, true)
        XCTAssertEqual(service.budgetAllowedMinutes!, 43.2, accuracy: 1e-9)
        XCTAssertEqual(service.budgetUsedMinutes!, 43, accuracy: 1e-9)
    }

    /// The overall state is kept with the services (asked many times per build): it is
    /// the worst of those in operation, and follows any change to them.
    func testTheOverallStateFollowsTheServices() throws {
        let samples = Self.minutes(30 * 1440) { $0 >= 30 * 1440 - 10 }
        var (report, _) = try report(["p.json": Self.prometheus(samples)], now: "2026-10-31T00:00:00Z")
        XCTAssertEqual(report.overall.state, .down)
        report.services["messagerie"]!.overall.current = CurrentState(state: .degraded)
        XCTAssertEqual(report.overall.state, .degraded)
        report.services["messagerie"]!.isInOperation = false
        XCTAssertEqual(report.overall.state, .noData, "no service in operation: no state")
    }

    func testAGapLongerThanTwiceTheIntervalIsNoData() throws {
        // Samples at minutes 0…99 and 130…199: the sample at 99 holds two minutes, then nothing.
        let samples = Self.minutes(100) + Self.minutes(from: Self.t0 + 130 * 60, 70)
        let (report, _) = try report(["p.json": Self.prometheus(samples)], now: "2026-10-01T03:20:00Z")
        let tally = try webmail(report).timeline.tally(from: Self.t0 * 1000, to: (Self.t0 + 200 * 60) * 1000)
        XCTAssertEqual(tally.noData, 29 * 60_000)
        XCTAssertEqual(tally.up, 171 * 60_000)
        XCTAssertEqual(tally.availability(partialWeight: 1), 100)
    }

    func testOneMissingSampleIsNotAGap() throws {
        let samples = Self.minutes(10).enumerated().filter { $0.offset != 5 }.map(\.element)
        let (report, _) = try report(["p.json": Self.prometheus(samples)], now: "2026-10-01T00:10:00Z")
        XCTAssertEqual(try webmail(report).timeline.tally(from: Self.t0 * 1000, to: (Self.t0 + 600) * 1000).noData, 0)
    }

    func testMaintenanceInsideAnOutageLeavesTheDenominator() throws {
        // Down from minute 60 to 120; maintenance declared from minute 70 to 90.
        let samples = Self.minutes(180) { (60..<120).contains($0) }
        let maintenance = """
        ---
        title: Travaux
        kind: maintenance
        affected: [messagerie/webmail]
        scheduled_for: 2026-10-01T01:10:00Z
        scheduled_until: 2026-10-01T01:30:00Z
        ---

        """
        let (report, _) = try report(["p.json": Self.prometheus(samples)], now: "2026-10-01T03:00:00Z",
                                     extra: ["content/incidents/m.md": maintenance])
        let tally = try webmail(report).windows[.h24]!
        XCTAssertEqual(tally.down, 40 * 60_000)
        XCTAssertEqual(tally.maintenance, 20 * 60_000)
        XCTAssertEqual(tally.measured, 160 * 60_000)
        XCTAssertEqual(tally.availability(partialWeight: 1)!, 100 * (1 - 40.0 / 160), accuracy: 1e-9)
    }

    func testDeclaredOutageCountsEvenWhenProbesSawNothing() throws {
        let samples = Self.minutes(120)
        let incident = """
        ---
        title: Panne
        severity: partial_outage
        affected: [messagerie]
        started_at: 2026-10-01T00:30:00Z
        resolved_at: 2026-10-01T00:45:00Z
        ---

        """
        let yaml = SiteFixture.siteYAML + "availability: {partial_outage_weight: 0.5}\n"
        let (report, _) = try report(["p.json": Self.prometheus(samples)], now: "2026-10-01T02:00:00Z",
                                     extra: ["content/incidents/i.md": incident, "content/site.yaml": yaml])
        let tally = try webmail(report).windows[.h24]!
        XCTAssertEqual(tally.partial, 15 * 60_000)
        XCTAssertEqual(tally.availability(partialWeight: report.partialWeight)!, 100 * (1 - 7.5 / 120), accuracy: 1e-9)
    }

    func testMonthBoundariesFollowBrusselsAcrossDaylightSaving() throws {
        // Up all along; one down minute at 23:30 UTC on 31 October, which is 00:30 on
        // 1 November in Brussels (winter time since 25 October).
        let start = Timestamp(rfc3339: "2026-09-30T00:00:00Z")!.millis / 1000
        let count = 34 * 1440
        let downMinute = Int((Timestamp(rfc3339: "2026-10-31T23:30:00Z")!.millis / 1000 - start) / 60)
        let samples = Self.minutes(from: start, count) { $0 == downMinute }
        let (report, _) = try report(["p.json": Self.prometheus(samples)], now: "2026-11-03T00:00:00Z")
        let months = try webmail(report).months
        let october = try XCTUnwrap(months.first { $0.month == YearMonth(year: 2026, month: 10) })
        // 1 October 00:00 CEST (22:00 UTC the day before) to 1 November 00:00 CET (23:00 UTC): 31 days and 1 hour.
        XCTAssertEqual(october.tally.measured, (31 * 24 + 1) * 3_600_000)
        XCTAssertEqual(october.tally.down, 0)
        let november = try XCTUnwrap(months.first { $0.month == YearMonth(year: 2026, month: 11) })
        XCTAssertEqual(november.tally.down, 60_000)
        // The current month window starts at local midnight on 1 November.
        XCTAssertEqual(try webmail(report).windows[.month]!.measured, (2 * 24 + 1) * 3_600_000)
    }

    func testDailyHistoryUsesLocalDays() throws {
        let calendar = ZonedCalendar(timeZone: TimeZone(identifier: "Europe/Brussels")!)
        // 29 March 2026 is 23 hours long in Brussels (summer time starts).
        let day = CivilDate(year: 2026, month: 3, day: 29)
        XCTAssertEqual(calendar.startOfDay(day.adding(days: 1)).millis - calendar.startOfDay(day).millis, 23 * 3_600_000)
        XCTAssertEqual(calendar.startOfDay(day), Timestamp(rfc3339: "2026-03-28T23:00:00Z"))
    }

    /// Where summer time starts at midnight (Chile in September, Paraguay in October),
    /// midnight does not exist: the day starts at 01:00, not an hour before, in the
    /// day before (an outage at 23:30 was on the next day, a month's end an hour early).
    func testADayWhoseMidnightFallsInAGapStartsAfterIt() throws {
        let santiago = ZonedCalendar(timeZone: TimeZone(identifier: "America/Santiago")!)
        let day = CivilDate(year: 2026, month: 9, day: 6)
        XCTAssertEqual(santiago.startOfDay(day), Timestamp(rfc3339: "2026-09-06T04:00:00Z"))
        XCTAssertEqual(santiago.startOfDay(day.adding(days: 1)).millis - santiago.startOfDay(day).millis, 23 * 3_600_000)
        let asuncion = ZonedCalendar(timeZone: TimeZone(identifier: "America/Asuncion")!)
        XCTAssertEqual(asuncion.startOfMonth(YearMonth(year: 2023, month: 10)), Timestamp(rfc3339: "2023-10-01T04:00:00Z"))
        // Every day of 2020-2027 in zones with changes at midnight, at other hours, of
        // 30 minutes, or none: the first instant of the day, as Foundation's calendar says.
        for zone in ["America/Santiago", "America/Asuncion", "America/Havana", "Asia/Beirut", "Africa/Cairo", "Europe/Brussels",
                     "Australia/Lord_Howe", "America/St_Johns", "Asia/Tehran", "Asia/Kolkata", "UTC"] {
            let tz = try XCTUnwrap(TimeZone(identifier: zone))
            let calendar = ZonedCalendar(timeZone: tz)
            var gregorian = Calendar(identifier: .gregorian)
            gregorian.timeZone = tz
            var date = CivilDate(year: 2020, month: 1, day: 1)
            while date.year < 2028 {
                let noon = try XCTUnwrap(gregorian.date(from: DateComponents(year: date.year, month: date.month, day: date.day, hour: 12)))
                let expected = gregorian.startOfDay(for: noon)
                XCTAssertEqual(calendar.startOfDay(date).millis, Int64(expected.timeIntervalSince1970 * 1000), "\(zone) \(date.isoString)")
                date = date.adding(days: 1)
            }
        }
    }

    /// Pacific/Apia skipped 30 December 2011 (from UTC−10 to UTC+14). That date has no
    /// instant: it is no day of the strip or of the month's report, and the 31st, with
    /// its outage, is one (the report's table stopped at the 29th, the strip showed the
    /// 30th as "no data").
    func testADateTheZoneSkippedIsNoDayAndTheDaysAfterItAreKept() throws {
        let yaml = SiteFixture.siteYAML.replacingOccurrences(of: "timezone: Europe/Brussels", with: "timezone: Pacific/Apia")
        let start = Timestamp(rfc3339: "2011-11-20T00:00:00Z")!.millis / 1000
        // 31 December 12:00 in Apia (UTC+14) is 30 December 22:00 UTC: 30 minutes down.
        let down = Int((Timestamp(rfc3339: "2011-12-30T22:00:00Z")!.millis / 1000 - start) / 60)
        let samples = Self.minutes(from: start, 47 * 1440) { (down..<down + 30).contains($0) }
        let fixture = SiteFixture(["content/site.yaml": yaml, "content/monitoring/p.json": Self.prometheus(samples),
                                   "content/monitoring/d.json": Self.prometheus(LatencyTests.durations(from: "2012-01-04T00:00:00Z"), labels: LatencyTests.durationLabels)])
        let (site, diagnostics) = fixture.generate(BuildSettings(now: Timestamp(rfc3339: "2012-01-05T12:00:00Z")))
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.lines, [])
        let report = try XCTUnwrap(site?.text("fr/services/messagerie/sla/2011-12/index.html"))
        XCTAssertContains(report, #"<tr id="day_2011-12-29">"#)
        XCTAssertNotContains(report, "day_2011-12-30")
        let december31 = try XCTUnwrap(report.components(separatedBy: #"<tr id="day_2011-12-31">"#).dropFirst().first?.components(separatedBy: "</tr>").first)
        XCTAssertContains(december31, "<td class=\"num\">97,91\u{202F}%</td><td class=\"num\">30,0 min</td>")
        let page = try XCTUnwrap(site?.text("fr/services/messagerie/index.html"))
        XCTAssertContains(page, "#day_2011-12-31")
        XCTAssertNotContains(page, "2011-12-30")
        XCTAssertEqual(page.components(separatedBy: #"<li class="day day-"#).count - 1, 89)
        // The response-time chart has its 89 days across, today last and labelled.
        XCTAssertContains(page, #"<text x="712" y="206" text-anchor="end">6 janvier 2012</text>"#)
    }

    /// One stray sample of 1970 before this year's: their gap was the series' usual
    /// interval, each sample held 112 years, and ten years of reports said "100 %, 100 %
    /// measured" (an audit's finding). A usual interval is at most that of a declared
    /// `interval` (under 31 days).
    func testAStraySampleDecadesEarlierHoldsNoLongerThanADeclaredIntervalMay() throws {
        for file in ["p.json": Self.prometheus([(0, "1"), (Self.t0, "1")]),
                     "o.json": #"{"yourict_monitoring": 1, "checks": [{"service": "messagerie", "component": "webmail", "samples": [[0, "up"], [\#(Self.t0), "up"]]}]}"#] {
            let (report, _) = try report([file.key: file.value], now: "2026-10-01T01:00:00Z")
            let september = try XCTUnwrap(try webmail(report).months.first { $0.month == YearMonth(year: 2026, month: 9) })
            XCTAssertEqual(september.tally.measured, 0, file.key)
            XCTAssertEqual(try webmail(report).timeline.tally(from: 0, to: 86_400_000 * 62).measured, 31 * 86_400_000 * 2 - 2, file.key)
        }
    }

    // MARK: Chunked exports

    func testChunksAreMergedWithOverlapsAndDuplicatesDropped() throws {
        let samples = Self.minutes(3000) { (1500..<1510).contains($0) }
        let whole = try report(["p.json": Self.prometheus(samples)], now: "2026-10-03T02:00:00Z").0
        // Three overlapping chunks, named so that they are read out of time order.
        let chunks = [
            "c-a.json": Self.prometheus(Array(samples[2000...])),
            "c-b.json": Self.prometheus(Array(samples[900..<2100])),
            "c-c.json": Self.prometheus(Array(samples[..<1000])),
        ]
        let (merged, diagnostics) = try report(chunks, now: "2026-10-03T02:00:00Z")
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.lines, [])
        XCTAssertEqual(try webmail(merged).timeline, try webmail(whole).timeline)
        XCTAssertEqual(try webmail(merged).windows[.d7]!.down, 10 * 60_000)
    }

    /// An outage in the earlier of two overlapping chunks counts, whatever the later
    /// chunk says of the same minutes (it vanished when the later chunk's long run of
    /// "up" swallowed it); and a history exported at 300 s then at 60 s is covered
    /// throughout (each 300 s sample held only 120 s: "insufficient data").
    func testOverlappingChunksKeepTheEarlierOneAndEachItsStep() throws {
        let start = Self.t0
        let a = Self.minutes(from: start, 1000) { (500..<505).contains($0) }
        let b = Self.minutes(from: start + 400 * 60, 2000)
        let (overlapping, _) = try report(["a.json": Self.prometheus(a), "b.json": Self.prometheus(b)], now: "2026-10-03T02:00:00Z")
        XCTAssertEqual(try webmail(overlapping).windows[.d7]!.down, 5 * 60_000)

        let old = (0..<(2 * 288)).map { (start + Int64($0) * 300, "1") }
        let new = Self.minutes(from: start + 2 * 86_400, 720)
        let (steps, _) = try report(["old.json": Self.prometheus(old), "new.json": Self.prometheus(new)], now: "2026-10-03T12:00:00Z")
        let tally = try webmail(steps).windows[.d7]!
        // Known from 1 October 00:00 to the reference time, 2.5 days; before, 4.5 days of nothing.
        XCTAssertEqual(tally.up, 60 * 3_600_000)
        XCTAssertEqual(tally.noData, 108 * 3_600_000)
    }

    /// A check naming an unknown service or component is located at its own object.
    func testOwnFormatChecksForUnknownTargetsAreLocatedAtTheCheck() throws {
        let own = """
        {"yourict_monitoring": 1, "checks": [
          {"service": "messagerie", "component": "webmail", "samples": [[1790816400, "up"]]},
          {"service": "messagerei", "samples": [[1790816400, "up"]]},
            {"service": "messagerie", "component": "smtp", "samples": [[1790816400, "up"]]}
        ]}
        """
        let (_, diagnostics) = try report(["own.json": own], now: "2026-10-01T01:03:00Z")
        XCTAssertEqual(diagnostics.filter { $0.message.hasPrefix("monitoring for") }.lines, [
            "content/monitoring/own.json:3:3: warning: monitoring for `messagerei`, which is not a service; it is ignored",
            "content/monitoring/own.json:4:5: warning: monitoring for `messagerie/smtp`, which is not a component of the service; it is ignored",
        ])
    }

    /// A member given twice in a check (a copied check whose `service` was added, not
    /// changed) took the last value without a word: an error at the second.
    func testOwnFormatMemberGivenTwiceIsAnError() throws {
        let own = """
        {"yourict_monitoring": 1, "checks": [
          {"service": "agenda", "component": "webmail", "service": "messagerie", "samples": [[1790816400, "up"]]}
        ]}
        """
        let (_, diagnostics) = try report(["own.json": own], now: "2026-10-01T01:03:00Z")
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.lines,
                       ["content/monitoring/own.json:2:49: error: `service` is given twice in this check: keep one"])
    }

    func testOwnFormatSamplesAndRuns() throws {
        let own = """
        {"yourict_monitoring": 1, "checks": [
          {"service": "messagerie", "component": "webmail", "interval": 60,
           "runs": [["2026-10-01T00:00:00Z", "2026-10-01T01:00:00Z", "up"], ["2026-10-01T00:20:00+02:00", 1790814000, "down"]],
           "samples": [[1790816400, "up", 120], [1790816460, "degraded"], [1790816520, "partial", null]]}
        ]}
        """
        let (report, diagnostics) = try report(["own.json": own], now: "2026-10-01T01:03:00Z")
        XCTAssertEqual(diagnostics.lines, [])
        let t = try webmail(report).timeline
        // 2026-10-01T00:20+02:00 is 2026-09-30T22:20Z, before the up run: the down run
        // covers 22:20–00:20 UTC and replaces the first 20 minutes of the up run.
        XCTAssertEqual(t.tally(from: Timestamp(rfc3339: "2026-10-01T00:00:00Z")!.millis, to: Timestamp(rfc3339: "2026-10-01T01:00:00Z")!.millis).down, 20 * 60_000)
        XCTAssertEqual(t.state(at: Timestamp(rfc3339: "2026-10-01T01:01:30Z")!.millis), .degraded)
        XCTAssertEqual(t.state(at: Timestamp(rfc3339: "2026-10-01T01:02:30Z")!.millis), .partial)
    }

    /// Every status name of the format reads to its state, written with JSON escapes too.
    func testOwnFormatReadsEveryStatusNameEscapedOrNot() throws {
        let names: [(String, ComponentState)] = [
            ("up", .up), ("operational", .up), ("degraded", .degraded), ("degraded_performance", .degraded),
            ("partial", .partial), ("partial_outage", .partial), ("down", .down), ("major_outage", .down),
            ("maintenance", .maintenance), ("under_maintenance", .maintenance), (#"\u0064own"#, .down), (#"degr\u0061ded"#, .degraded),
        ]
        let start = Timestamp(rfc3339: "2026-10-01T00:00:00Z")!.millis / 1000
        let runs = names.enumerated().map { i, name in "[\(start + Int64(i) * 600), \(start + Int64(i + 1) * 600), \"\(name.0)\"]" }
        let own = #"{"yourict_monitoring": 1, "checks": [{"service": "messagerie", "component": "webmail", "runs": ["# + runs.joined(separator: ", ") + "]}]}"
        let (status, diagnostics) = try report(["own.json": own], now: "2026-10-01T02:00:00Z")
        XCTAssertEqual(diagnostics.lines, [])
        let t = try webmail(status).timeline
        for (i, name) in names.enumerated() {
            XCTAssertEqual(t.state(at: (start + Int64(i) * 600 + 300) * 1000), name.1, name.0)
        }
        let (_, wrong) = try report(["own.json": #"{"yourict_monitoring": 1, "checks": [{"service": "messagerie", "component": "webmail", "runs": [[1, 2, "Up"]]}]}"#],
                                    now: "2026-10-01T02:00:00Z")
        XCTAssertTrue(wrong.lines.contains { $0.contains("unknown status `Up`") }, "\(wrong.lines)")
    }

    // MARK: Bad input

    func testTruncatedJSONNamesFileLineAndColumn() throws {
        let text = Self.prometheus(Self.minutes(5))
        let (_, diagnostics) = try report(["p.json": String(text.dropLast(30))], now: "2026-10-01T00:10:00Z")
        let error = try XCTUnwrap(diagnostics.first { $0.severity == .error })
        XCTAssertEqual(error.location?.path, "content/monitoring/p.json")
        XCTAssertEqual(error.location?.line, 1)
        XCTAssertTrue(error.message.hasPrefix("invalid JSON"), error.message)
        XCTAssertEqual(error.hint, "is the file truncated? export it again")
    }

    /// Only a file that ends too soon is said to be truncated.
    func testInvalidJSONHintsSayWhatIsWrong() throws {
        let text = Self.prometheus(Self.minutes(5))
        let cases = [
            ("\u{FEFF}" + text, "save the file as UTF-8 without a byte order mark"),
            (text.replacingOccurrences(of: "\"1\"]", with: "NaN]"), "export a sample without a value as null, or leave it out: JSON has no NaN or Infinity"),
            (text.replacingOccurrences(of: "\"values\"", with: "'values'"), "the file is not as an exporter writes it: was it edited by hand? export it again"),
        ]
        for (body, hint) in cases {
            let (_, diagnostics) = try report(["p.json": body], now: "2026-10-01T00:10:00Z")
            let error = try XCTUnwrap(diagnostics.first { $0.severity == .error })
            XCTAssertTrue(error.message.hasPrefix("invalid JSON"), error.message)
            XCTAssertEqual(error.hint, hint, error.message)
        }
    }

    /// An export whose query matched nothing is valid JSON, and says so.
    func testAnExportWithoutSeriesIsAWarning() throws {
        let empty = #"{"status":"success","data":{"resultType":"matrix","result":[]}}"#
        let (_, diagnostics) = try report(["p.json": empty], now: "2026-10-01T00:10:00Z")
        XCTAssertEqual(diagnostics.lines, ["content/monitoring/p.json:1:1: warning: this Prometheus export holds no series: its query matched nothing"])
    }

    func testPrometheusErrorBody() throws {
        let body = #"{"status":"error","errorType":"bad_data","error":"exceeded maximum resolution of 11,000 points per timeseries"}"#
        let (_, diagnostics) = try report(["p.json": body], now: "2026-10-01T00:10:00Z")
        XCTAssertEqual(diagnostics.first?.message, "this file is a Prometheus error response (bad_data): exceeded maximum resolution of 11,000 points per timeseries")
    }

    func testOtherShapesAreRejectedClearly() throws {
        let vector = #"{"status":"success","data":{"resultType":"vector","result":[]}}"#
        let (_, d1) = try report(["v.json": vector], now: "2026-10-01T00:10:00Z")
        XCTAssertEqual(d1.first?.hint, "export with /api/v1/query_range, which returns a matrix")
        let (_, d2) = try report(["x.json": "[1, 2, 3]"], now: "2026-10-01T00:10:00Z")
        XCTAssertEqual(d2.first?.severity, .error)
        XCTAssertEqual(d2.first?.location?.path, "content/monitoring/x.json")
        let (_, d3) = try report(["e.json": ""], now: "2026-10-01T00:10:00Z")
        XCTAssertEqual(d3.first?.message, "the monitoring file is empty")
        let wrongType = #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[["1759276800","1"]]}]}}"#
        let (_, d4) = try report(["w.json": wrongType], now: "2026-10-01T00:10:00Z")
        XCTAssertEqual(d4.first?.severity, .error)
        XCTAssertEqual(d4.first?.location?.column, 85)
    }

    func testValuesOtherThanZeroOrOneAreNoDataWithAWarning() throws {
        var samples = Self.minutes(60)
        for i in 10..<20 { samples[i].1 = "0.5" }
        samples[30].1 = "NaN"
        let (report, diagnostics) = try report(["p.json": Self.prometheus(samples)], now: "2026-10-01T01:00:00Z")
        XCTAssertEqual(diagnostics.map(\.message).filter { $0.contains("neither 0 nor 1") },
                       [#"11 samples of {__name__="probe_success", instance="https://webmail.example.org/", job="blackbox"} are neither 0 nor 1 (first: 0.5); they count as no data"#])
        let tally = try webmail(report).windows[.h24]!
        XCTAssertEqual(tally.noData, (24 * 60 - 60 + 11) * 60_000)
        XCTAssertEqual(tally.down, 0)
    }

    func testNegativeTimestampsAreIgnoredWithAWarning() throws {
        let samples = [(Int64(-60), "1")] + Self.minutes(10)
        let (_, diagnostics) = try report(["p.json": Self.prometheus(samples)], now: "2026-10-01T00:10:00Z")
        XCTAssertTrue(diagnostics.contains { $0.message.contains("before 1970") })
        XCTAssertEqual(diagnostics.first { $0.message.contains("before 1970") }?.hint, "timestamps are Unix seconds, e.g. 1764000000")
    }

    /// Milliseconds where Prometheus writes seconds: the hint says so, with the date they mean.
    func testMillisecondTimestampsAreNamedAsSuch() throws {
        let samples = Self.minutes(10).map { ($0.0 * 1000, $0.1) }
        let (_, diagnostics) = try report(["p.json": Self.prometheus(samples)], now: "2026-10-01T00:10:00Z")
        let warning = try XCTUnwrap(diagnostics.first { $0.message.contains("after 9999") })
        XCTAssertEqual(warning.hint, "1790812800000 looks like milliseconds (2026-10-01T00:00:00Z): Prometheus writes Unix seconds, e.g. 1764000000; export with /api/v1/query_range or divide by 1000")
        let own = #"{"yourict_monitoring": 1, "checks": [{"service": "messagerie", "component": "webmail", "samples": [[1790812800000, "up"]]}]}"#
        let (_, ownDiagnostics) = try report(["own.json": own], now: "2026-10-01T00:10:00Z")
        XCTAssertEqual(ownDiagnostics.first { $0.severity == .error }?.message,
                       "a time must be Unix seconds from 1970 to 9999, or an RFC 3339 text; 1790812800000 looks like milliseconds (2026-10-01T00:00:00Z): divide by 1000")
    }

    /// Two samples at one timestamp in one series: the first counts, and the author is
    /// told (the "0" readings were dropped without a word).
    func testRepeatedTimestampsAreToldAndTheFirstCounts() throws {
        var samples: [(Int64, String)] = []
        for (t, v) in Self.minutes(60) {
            samples.append((t, v))
            if (10..<15).contains((t - Self.t0) / 60) { samples.append((t, "0")) }
        }
        let (report, diagnostics) = try report(["p.json": Self.prometheus(samples)], now: "2026-10-01T01:00:00Z")
        let warning = try XCTUnwrap(diagnostics.first { $0.message.contains("repeat the timestamps") })
        XCTAssertEqual(warning.message, #"5 samples of {__name__="probe_success", instance="https://webmail.example.org/", job="blackbox"} repeat the timestamps of another; only the first sample of each timestamp counts"#)
        // Located at the first repeat: minute 10's second sample, the 12th of the series.
        let text = Self.prometheus(samples)
        let repeatAt = try XCTUnwrap(text.range(of: "[\(Self.t0 + 600),\"0\"]"))
        XCTAssertEqual(warning.location?.line, 1)
        XCTAssertEqual(warning.location?.column, text.utf8.distance(from: text.startIndex, to: repeatAt.lowerBound) + 1)
        XCTAssertEqual(try webmail(report).windows[.h24]!.down, 0)
        // A year 10000 typed by hand is not "milliseconds of 1978".
        let (_, late) = try self.report(["p.json": Self.prometheus(Self.minutes(10) + [(253_402_300_800, "1")])], now: "2026-10-01T00:10:00Z")
        XCTAssertEqual(late.first { $0.message.contains("after 9999") }?.hint, "timestamps are Unix seconds, e.g. 1764000000")
    }

    /// A Prometheus export is not taken for the yourict format because a label's value
    /// is the word that format starts with; the format's own key still is.
    func testTheOwnFormatIsKnownByItsKeyNotByALabelValue() throws {
        let labels = #"{"__name__":"probe_success","job":"yourict_monitoring","instance":"https://webmail.example.org/"}"#
        XCTAssertFalse(MonitoringLoader.sniffOwnFormat(diskPath: nil, bytes: Array(Self.prometheus(Self.minutes(3), labels: labels).utf8)))
        XCTAssertTrue(MonitoringLoader.sniffOwnFormat(diskPath: nil, bytes: Array(#"{"yourict_monitoring" : 1, "checks": []}"#.utf8)))
        XCTAssertTrue(MonitoringLoader.sniffOwnFormat(diskPath: nil, bytes: Array("{\n  \"yourict_monitoring\"\n: 1}".utf8)))
    }

    /// A series that matches but holds no sample is named as such, not "matches no series".
    func testAMatchedSeriesWithoutSamplesIsNamedAsSuch() throws {
        let (_, diagnostics) = try report(["p.json": Self.prometheus([])], now: "2026-10-01T01:00:00Z")
        XCTAssertEqual(diagnostics.filter { $0.message.contains("the monitor of") }.map(\.message), [
            #"the monitor of `messagerie/webmail` ({instance="https://webmail.example.org/", job="blackbox"}) matches series that hold no sample (content/monitoring/p.json)"#,
        ])
    }

    func testSamplesAfterTheReferenceTimeAreNotCounted() throws {
        let fixture = SiteFixture(["content/monitoring/p.json": Self.prometheus(Self.minutes(120))])
        let (site, diagnostics) = fixture.generate(BuildSettings(now: Timestamp(rfc3339: "2026-10-01T01:00:00Z")))
        XCTAssertNotNil(site)
        XCTAssertTrue(diagnostics.contains { $0.message.hasPrefix("samples after the reference time 2026-10-01T01:00:00Z are not counted") })
        let api = try XCTUnwrap(site?.text("api/services.json"))
        XCTAssertContains(api, #""reference_time": "2026-10-01T01:00:00Z""#)
    }

    /// A rebuild of a past state (`--now`) from exports that go on after it says what the
    /// build at that time said: samples after the reference time set neither the usual
    /// interval (here 15 minutes instead of one, which covered a 10-minute gap as up) nor
    /// how late the data is.
    func testSamplesAfterTheReferenceTimeDoNotChangeTheFiguresAtIt() throws {
        let before = Self.minutes(60) + Self.minutes(from: Self.t0 + 70 * 60, 8)
        let after = (0..<100).map { (Self.t0 + 90 * 60 + Int64($0) * 900, "1") }
        let settings = BuildSettings(now: Timestamp(rfc3339: "2026-10-01T01:20:00Z"))
        let (then, _) = SiteFixture(["content/monitoring/p.json": Self.prometheus(before)]).generate(settings)
        let (now, diagnostics) = SiteFixture(["content/monitoring/p.json": Self.prometheus(before + after)]).generate(settings)
        XCTAssertTrue(diagnostics.contains { $0.message.hasPrefix("samples after the reference time") })
        XCTAssertNotNil(then?.text("api/services.json"))
        for path in ["api/services.json", "api/v2/components.json", "fr/services/messagerie/index.html"] {
            XCTAssertEqual(now?.text(path), then?.text(path), path)
        }
    }

    /// Samples out of order, in a series whose spacing varies, with repeats that are not
    /// next to each other: the same timeline as the samples in order, each time once.
    /// (Runs gave the reordered samples back evenly spaced: times moved by seconds, and
    /// a repeat was counted as one more sample.)
    func testSamplesOutOfOrderWithUnevenSpacingAndRepeatsReadAsInOrder() throws {
        var rng = SplitMix(state: 7)
        for round in 0..<20 {
            var sorted: [(Int64, String)] = []
            var t = Self.t0
            for _ in 0..<300 {
                t += [30, 60, 60, 60, 90, 200][Int.random(in: 0..<6, using: &rng)]
                sorted.append((t, Int.random(in: 0..<10, using: &rng) == 0 ? "0" : "1"))
            }
            var shuffled = sorted
            for _ in 0..<10 { shuffled.append(sorted[Int.random(in: 0..<sorted.count, using: &rng)]) }
            let cut = Int.random(in: 50..<250, using: &rng)
            shuffled = Array(shuffled[cut...]) + shuffled[..<cut].reversed()
            let now = Timestamp(millis: (t + 600) * 1000).description
            let (inOrder, _) = try report(["p.json": Self.prometheus(sorted)], now: now)
            let (outOfOrder, warnings) = try report(["p.json": Self.prometheus(shuffled)], now: now)
            XCTAssertEqual(try webmail(outOfOrder).timeline.segments, try webmail(inOrder).timeline.segments, "round \(round)")
            // The ten repeats are said, counted from the exact reading (the first one read
            // them from runs evenly spaced, where a repeat may not fall on its timestamp).
            XCTAssertEqual(warnings.map(\.message).filter { $0.contains("repeat") },
                           [#"10 samples of {__name__="probe_success", instance="https://webmail.example.org/", job="blackbox"} repeat the timestamps of another; only the first sample of each timestamp counts"#],
                           "round \(round)")
            let own = { (samples: [(Int64, String)]) in
                #"{"yourict_monitoring": 1, "checks": [{"service": "messagerie", "component": "webmail", "samples": ["#
                    + samples.map { "[\($0.0), \($0.1 == "1" ? "\"up\"" : "\"down\"")]" }.joined(separator: ",") + "]}]}"
            }
            let (ownInOrder, _) = try report(["o.json": own(sorted)], now: now)
            let (ownOutOfOrder, _) = try report(["o.json": own(shuffled)], now: now)
            XCTAssertEqual(try webmail(ownOutOfOrder).timeline.segments, try webmail(ownInOrder).timeline.segments, "round \(round)")
        }
    }

    /// A file that cannot be read is one error: the matchers whose series it may hold are
    /// not also each "matching no series" (they are, once every file reads).
    func testAnUnreadableFileIsOneErrorWithoutUnmatchedWarnings() throws {
        var sheet = SiteFixture.mailSheet
        sheet = sheet.replacingOccurrences(of: "  - {id: webmail, name: Webmail, monitor: {job: blackbox, instance: \"https://webmail.example.org/\"}}",
                                           with: "  - {id: webmail, name: Webmail, monitor: {job: blackbox, instance: \"https://webmail.example.org/\"}}\n  - {id: smtp, name: SMTP, monitor: {job: blackbox, instance: \"smtp:587\"}, latency: {__name__: probe_duration_seconds, instance: \"smtp:587\"}}")
        let good = Self.prometheus(Self.minutes(10))
        let (_, broken) = try report(["p.json": good, "smtp.json": String(good.dropLast(5))], now: "2026-10-01T00:10:00Z",
                                     extra: ["content/services/messagerie.md": sheet])
        XCTAssertEqual(broken.map(\.severity), [.error], "\(broken.lines)")
        let (_, read) = try report(["p.json": good], now: "2026-10-01T00:10:00Z", extra: ["content/services/messagerie.md": sheet])
        XCTAssertEqual(read.map(\.message).sorted(), [
            #"the latency matchers of `messagerie/smtp` ({__name__="probe_duration_seconds", instance="smtp:587"}) match no series in content/monitoring/"#,
            #"the monitor of `messagerie/smtp` ({instance="smtp:587", job="blackbox"}) matches no series in content/monitoring/"#,
        ], "\(read.lines)")
    }

    func testUnmatchedMatcherAndDoubleMatchAreWarnings() throws {
        var sheet = SiteFixture.mailSheet
        sheet = sheet.replacingOccurrences(of: "  - {id: webmail, name: Webmail, monitor: {job: blackbox, instance: \"https://webmail.example.org/\"}}",
                                           with: "  - {id: webmail, name: Webmail, monitor: {job: blackbox}}\n  - {id: smtp, name: SMTP, monitor: {job: blackbox, instance: \"smtp:587\"}}\n  - {id: imap, name: IMAP, monitor: {job: blackbox, instance: \"https://webmail.example.org/\"}}")
        let (_, diagnostics) = try report(["p.json": Self.prometheus(Self.minutes(10))], now: "2026-10-01T00:10:00Z",
                                          extra: ["content/services/messagerie.md": sheet])
        let messages = diagnostics.map(\.message)
        XCTAssertTrue(messages.contains(#"the series {__name__="probe_success", instance="https://webmail.example.org/", job="blackbox"} matches several components: messagerie/imap, messagerie/webmail"#), "\(messages)")
        XCTAssertTrue(messages.contains(#"the monitor of `messagerie/smtp` ({instance="smtp:587", job="blackbox"}) matches no series in content/monitoring/"#), "\(messages)")
    }
}
