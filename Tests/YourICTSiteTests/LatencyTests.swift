import Foundation
import XCTest
import YourICTTestSupport
@testable import YourICTSupport
import YourICTFormats
@testable import YourICTContent
@testable import YourICTMonitoring
@testable import YourICTSite

/// Response times: buckets, percentiles from known samples, windows and days, the
/// readers, and what pages, the API and badges show.
///
/// The known answers: with α = 1 % the buckets grow by γ = 1.01/0.99, and the bucket of
/// a value v stands for 2γ^k/(γ+1), k = ⌈ln v / ln γ⌉. Computed independently (Python):
/// 30 ms → 30.267, 50 → 49.903, 57 → 57.402, 80 → 80.648, 95 → 94.642, 98 → 98.505; to
/// three significant digits 30.3, 49.9, 57.4, 80.6, 94.6, 98.5.
final class LatencyTests: XCTestCase {
    static let durationLabels = #"{"__name__":"probe_duration_seconds","job":"blackbox","instance":"https://webmail.example.org/"}"#
    static let reference = "2026-10-31T00:00:00Z"

    /// 100 probe durations a minute apart from 2026-10-30T22:00Z, of 1, 2 … 100 ms: in
    /// Brussels (UTC+1 then) the first 60 fall on 30 October, the last 40 on 31 October.
    static func durations(from start: String = "2026-10-30T22:00:00Z", count: Int = 100, ms: (Int) -> Double = { Double($0 + 1) }) -> [(Int64, String)] {
        let t0 = Timestamp(rfc3339: start)!.millis / 1000
        return (0..<count).map { (t0 + Int64($0) * 60, String(ms($0) / 1000)) }
    }

    /// The fixture site: webmail up every minute through October, and its durations.
    static func fixture(_ durations: [(Int64, String)] = durations(), extra: [String: String] = [:]) -> SiteFixture {
        var files = [
            "content/monitoring/p.json": MonitoringTests.prometheus(MonitoringTests.minutes(30 * 1440)),
            "content/monitoring/d.json": MonitoringTests.prometheus(durations, labels: durationLabels),
        ]
        files.merge(extra) { _, new in new }
        return SiteFixture(files)
    }

    private func report(_ fixture: SiteFixture, now: String = reference) throws -> (StatusReport, [Diagnostic]) {
        let bag = DiagnosticBag()
        let content = try XCTUnwrap(ContentLoader.load(from: fixture.tree, includeDrafts: false, diagnostics: bag))
        let loader = MonitoringLoader.load(tree: fixture.tree, content: content, diagnostics: bag)
        let engine = AvailabilityEngine(content: content, calendar: ZonedCalendar(timeZone: content.site.timeZone), reference: Timestamp(rfc3339: now)!)
        return (engine.report(monitoring: loader), bag.all.sortedForDisplay())
    }

    private func webmail(_ report: StatusReport) throws -> LatencyFigures {
        try XCTUnwrap(report.services["messagerie"]?.component("webmail")?.latency)
    }

    private func rounded(_ s: LatencySummary?) -> [Double] {
        guard let s else { return [] }
        return [LatencySummary.rounded(s.p50), LatencySummary.rounded(s.p95), Double(s.samples)]
    }

    static func generate(_ fixture: SiteFixture) throws -> GeneratedSite {
        let (site, diagnostics) = fixture.generate(BuildSettings(now: Timestamp(rfc3339: Self.reference)))
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.lines, [])
        return try XCTUnwrap(site)
    }

    // MARK: Buckets and percentiles

    func testABucketStandsForItsValuesWithinOnePercent() {
        var v = 1e-4
        while v < 1e8 {
            let back = LatencyBuckets.value(of: LatencyBuckets.bucket(milliseconds: v))
            XCTAssertLessThanOrEqual(abs(back - v) / v, LatencyBuckets.relativeError + 1e-12, "\(v) ms read back as \(back)")
            v *= 1.0137
        }
        XCTAssertEqual(LatencyBuckets.value(of: LatencyBuckets.bucket(milliseconds: 0)), 0)
    }

    func testPercentilesAreTheNearestRankSamplesBucket() {
        var fold = LatencyFold()
        for i in 0..<100 { fold.add(1_790_000_000_000 + Int64(i) * 1000, milliseconds: Double(100 - i)) }
        let hours = fold.take()
        var accumulator = LatencyAccumulator()
        accumulator.add(hours, from: .min / 2, to: .max / 2, reference: .max)
        let summary = accumulator.take()
        XCTAssertEqual(summary?.samples, 100)
        XCTAssertEqual(summary?.p50 ?? 0, 49.90296, accuracy: 1e-4)
        XCTAssertEqual(summary?.p95 ?? 0, 94.64203, accuracy: 1e-4)
    }

    func testOneSampleIsItsOwnMedianAndP95() {
        var fold = LatencyFold()
        fold.add(1_790_000_000_000, milliseconds: 212)
        var accumulator = LatencyAccumulator()
        accumulator.add(fold.take(), from: .min / 2, to: .max / 2, reference: .max)
        let summary = accumulator.take()
        XCTAssertEqual(summary.map { LatencySummary.rounded($0.p50) }, 211)
        XCTAssertEqual(summary.map { LatencySummary.rounded($0.p95) }, 211)
    }

    func testCountsAboveSixtyFiveThousandInOneHourAreKept() {
        var fold = LatencyFold()
        for i in 0..<70_000 { fold.add(1_790_000_000_000 + Int64(i) * 50, milliseconds: 10) }
        XCTAssertEqual(fold.take().sampleCount, 70_000)
    }

    func testOutOfOrderSamplesAreMergedIntoTheirHours() {
        var fold = LatencyFold()
        let t = Int64(1_790_000_000_000) / LatencyHours.hourMillis * LatencyHours.hourMillis
        for offset in [0, 7_200_000, 60_000, 3_600_000, 120_000] { fold.add(t + Int64(offset), milliseconds: 5) }
        let hours = fold.take()
        XCTAssertEqual(hours.hours.map(\.index), [t / LatencyHours.hourMillis, t / LatencyHours.hourMillis + 1, t / LatencyHours.hourMillis + 2])
        XCTAssertEqual(hours.sampleCount, 5)
    }

    /// A repeat that is not next to its sample, in a series out of order, counted twice.
    func testARepeatOutOfOrderIsCountedOnce() throws {
        let sorted = Self.durations()
        let shuffled = Array(sorted[50...]) + [sorted[70], sorted[10]] + sorted[..<50].reversed()
        let (inOrder, _) = try report(Self.fixture(sorted))
        let (outOfOrder, _) = try report(Self.fixture(shuffled))
        for window in [WindowKey.h24, .d7, .month] {
            XCTAssertEqual(rounded(try webmail(outOfOrder).windows[window]), rounded(try webmail(inOrder).windows[window]))
        }
        XCTAssertEqual(rounded(try webmail(outOfOrder).days[89]), [80.6, 98.5, 40])
        XCTAssertEqual(rounded(try webmail(outOfOrder).days[88]), [30.3, 57.4, 60])
    }

    func testThreeSignificantDigits() {
        XCTAssertEqual([210.635, 48.349, 4.2731, 1234.5, 0.42349, 999.6].map(LatencySummary.rounded), [211, 48.3, 4.27, 1230, 0.423, 1000])
    }

    // MARK: Windows and days

    func testWindowsAndLocalDaysFromPrometheusDurations() throws {
        let (report, diagnostics) = try report(Self.fixture())
        XCTAssertEqual(diagnostics.lines, [])
        let latency = try webmail(report)
        XCTAssertEqual(rounded(latency.windows[.h24]), [49.9, 94.6, 100])
        XCTAssertEqual(rounded(latency.windows[.month]), [49.9, 94.6, 100])
        // 30 October (local): 1…60 ms; 31 October: 61…100 ms.
        XCTAssertEqual(rounded(latency.days[88]), [30.3, 57.4, 60])
        XCTAssertEqual(rounded(latency.days[89]), [80.6, 98.5, 40])
        XCTAssertEqual(latency.days.prefix(88).compactMap { $0 }, [])
    }

    func testAWindowCountsTheHoursThatBeginInIt() throws {
        // At 12:30, the 24 hours begin at 12:30 the day before: its 12:00 hour is out,
        // its 13:00 hour and today's 12:00 hour (samples up to 12:10) are in.
        let samples = [("2026-10-29T12:10:00Z", "0.1"), ("2026-10-29T13:05:00Z", "0.2"), ("2026-10-30T12:10:00Z", "0.3")]
            .map { (Timestamp(rfc3339: $0.0)!.millis / 1000, $0.1) }
        let (report, _) = try report(Self.fixture(samples), now: "2026-10-30T12:30:00Z")
        XCTAssertEqual(try webmail(report).windows[.h24]?.samples, 2)
        XCTAssertEqual(try webmail(report).windows[.d7]?.samples, 3)
    }

    func testAnHourWithSamplesAfterTheReferenceTimeIsLeftOut() throws {
        let samples = [("2026-10-30T11:10:00Z", "0.1"), ("2026-10-30T12:10:00Z", "0.3"), ("2026-10-30T12:40:00Z", "0.3")]
            .map { (Timestamp(rfc3339: $0.0)!.millis / 1000, $0.1) }
        let (report, _) = try report(Self.fixture(samples), now: "2026-10-30T12:30:00Z")
        XCTAssertEqual(rounded(try webmail(report).windows[.h24]), [100, 100, 1])
    }

    func testOverlappingChunksCountEachSampleOnce() throws {
        // Minutes 0–59 in one file, 30–99 in the other: 100 distinct samples, 1…100 ms.
        let all = Self.durations()
        let fixture = Self.fixture(Array(all[0..<60]), extra: [
            "content/monitoring/e.json": MonitoringTests.prometheus(Array(all[30..<100]), labels: Self.durationLabels),
        ])
        let (report, _) = try report(fixture)
        XCTAssertEqual(rounded(try webmail(report).windows[.h24]), [49.9, 94.6, 100])
    }

    func testAChunkInsideAnotherAddsNothing() throws {
        let all = Self.durations()
        let fixture = Self.fixture(all, extra: [
            "content/monitoring/e.json": MonitoringTests.prometheus(Array(all[10..<20]), labels: Self.durationLabels),
        ])
        let (report, _) = try report(fixture)
        XCTAssertEqual(try webmail(report).windows[.h24]?.samples, 100)
    }

    // MARK: Which series, and bad values

    func testDurationSeriesAreNotStates() throws {
        let (report, diagnostics) = try report(Self.fixture())
        XCTAssertEqual(diagnostics.lines, [])
        let tally = try XCTUnwrap(report.services["messagerie"]?.component("webmail")?.windows[.d30])
        XCTAssertEqual(tally.down, 0)
        XCTAssertEqual(tally.measured, 30 * 86_400_000)
    }

    func testALatencyMatcherNamesAnotherMetric() throws {
        let sheet = SiteFixture.mailSheet.replacingOccurrences(
            of: #"monitor: {job: blackbox, instance: "https://webmail.example.org/"}}"#,
            with: #"monitor: {job: blackbox, instance: "https://webmail.example.org/"}, latency: {__name__: http_duration_seconds, app: webmail}}"#)
        let custom = #"{"__name__":"http_duration_seconds","app":"webmail"}"#
        let fixture = Self.fixture(extra: [
            "content/services/messagerie.md": sheet,
            "content/monitoring/d.json": MonitoringTests.prometheus(Self.durations(), labels: custom),
        ])
        let (report, diagnostics) = try report(fixture)
        XCTAssertEqual(diagnostics.lines, [])
        XCTAssertEqual(rounded(try webmail(report).windows[.h24]), [49.9, 94.6, 100])
    }

    func testALatencyMatcherThatSelectsNothingIsAWarning() throws {
        let sheet = SiteFixture.mailSheet.replacingOccurrences(
            of: #"monitor: {job: blackbox, instance: "https://webmail.example.org/"}}"#,
            with: #"monitor: {job: blackbox, instance: "https://webmail.example.org/"}, latency: {__name__: http_duration_seconds, app: webmale}}"#)
        let (_, diagnostics) = try report(Self.fixture(extra: ["content/services/messagerie.md": sheet]))
        XCTAssertEqual(diagnostics.lines, [
            #"content/services/messagerie.md:14:111: warning: the latency matchers of `messagerie/webmail` ({__name__="http_duration_seconds", app="webmale"}) match no series in content/monitoring/"#,
        ])
    }

    func testALatencyMatcherWithoutMetricNameIsAnError() {
        let sheet = SiteFixture.mailSheet.replacingOccurrences(
            of: #"monitor: {job: blackbox, instance: "https://webmail.example.org/"}}"#,
            with: #"monitor: {job: blackbox, instance: "https://webmail.example.org/"}, latency: {app: webmail}}"#)
        let (_, diagnostics) = SiteFixture(["content/services/messagerie.md": sheet]).generate()
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.lines, [
            "content/services/messagerie.md:14:111: error: `latency` must name the metric with `__name__`",
        ])
    }

    /// `latency: {__name__: probe_success}` made every probe_success series of the site
    /// response times: every service's outages read as no data, with no warning (an
    /// audit's finding). Naming an up/down metric is an error.
    func testALatencyMatcherNamingAnUpDownMetricIsAnError() {
        for (name, what) in [("probe_success", "the blackbox exporter's up/down metric"), ("up", "Prometheus' up/down metric")] {
            let sheet = SiteFixture.mailSheet.replacingOccurrences(
                of: #"monitor: {job: blackbox, instance: "https://webmail.example.org/"}}"#,
                with: #"monitor: {job: blackbox, instance: "https://webmail.example.org/"}, latency: {__name__: \#(name), instance: b}}"#)
            let (_, diagnostics) = SiteFixture(["content/services/messagerie.md": sheet]).generate()
            XCTAssertEqual(diagnostics.filter { $0.severity == .error }.lines, [
                "content/services/messagerie.md:14:111: error: `latency` names `\(name)`, \(what): every series of it would be read as response times, and no state",
            ])
        }
        let sheet = SiteFixture.mailSheet.replacingOccurrences(
            of: #"monitor: {job: blackbox, instance: "https://webmail.example.org/"}}"#,
            with: #"monitor: {__name__: http_ok, job: blackbox}, latency: {__name__: http_ok, job: b}}"#)
        let (_, diagnostics) = SiteFixture(["content/services/messagerie.md": sheet]).generate()
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.map(\.message), [
            "`latency` names `http_ok`, the up/down metric of `messagerie/webmail`'s `monitor`: every series of it would be read as response times, and no state",
        ])
    }

    func testNegativeDurationsAreIgnoredWithAWarning() throws {
        let samples = Self.durations(count: 3) { $0 == 1 ? -1000 : 10 }
        let (report, diagnostics) = try report(Self.fixture(samples))
        XCTAssertEqual(diagnostics.lines, [
            #"content/monitoring/d.json:1:198: warning: 1 sample of {__name__="probe_duration_seconds", instance="https://webmail.example.org/", job="blackbox"} is not a response time (first: -1.0); ignored"#,
        ])
        XCTAssertEqual(try webmail(report).windows[.h24]?.samples, 2)
    }

    /// `1e19` seconds trapped the build (`Int64` of the formatted figure): a duration
    /// longer than a day is no response time. Below a nanosecond, one is 0 (a subnormal
    /// was shown as `0,000000000 ms`).
    func testDurationsBeyondADayAreIgnoredAndBelowANanosecondAreZero() throws {
        let samples = Self.durations(count: 4) { [10, 1e22, 86_400_001, 1e-320][$0] }
        let (report, diagnostics) = try report(Self.fixture(samples))
        XCTAssertEqual(diagnostics.lines, [
            #"content/monitoring/d.json:1:198: warning: 2 samples of {__name__="probe_duration_seconds", instance="https://webmail.example.org/", job="blackbox"} are not a response time (first: 1e+19); ignored"#,
        ])
        XCTAssertEqual(rounded(try webmail(report).windows[.h24]), [0, 10.1, 2])
        let site = try Self.generate(Self.fixture(samples))
        XCTAssertContains(site.text("fr/services/messagerie/index.html"), "0\u{A0}ms")
        XCTAssertEqual(LocaleFormat().number(1e19, decimals: 2), "1e+19")
    }

    /// A retired service's probes may still answer: its page showed "24 hours 198 ms" and
    /// its latency badge current figures after its retirement (an audit's finding).
    func testARetiredServiceHasNoResponseTimes() throws {
        let sheet = SiteFixture.mailSheet.replacingOccurrences(of: "delivery: SaaS", with: "delivery: SaaS\nlifecycle: {stage: retired, since: 2026-10-15}")
        let site = try Self.generate(Self.fixture(extra: ["content/services/messagerie.md": sheet]))
        XCTAssertNotContains(site.text("fr/services/messagerie/index.html"), "latency-chart")
        XCTAssertNil(site.text("badges/messagerie-latency.json"))
        XCTAssertNotNil(site.text("badges/messagerie.json"))
        // In production, the same samples give figures.
        let live = try Self.generate(Self.fixture())
        XCTAssertContains(live.text("fr/services/messagerie/index.html"), "latency-chart")
        XCTAssertNotNil(live.text("badges/messagerie-latency.json"))
    }

    /// Samples inside the 90-day window but before the history's first day: the window
    /// has its figure, and no chart says "measured on 0 days, median from 0 ms to 0 ms".
    func testSamplesBeforeTheFirstDayGiveAWindowAndNoChart() throws {
        let site = try Self.generate(Self.fixture(Self.durations(from: "2026-08-02T10:00:00Z", count: 3) { _ in 300 }))
        let page = try XCTUnwrap(site.text("fr/services/messagerie/index.html"))
        XCTAssertContains(page, "302\u{A0}ms")
        XCTAssertNotContains(page, "latency-chart")
        XCTAssertNotContains(page, "0\u{A0}ms")
    }

    /// A planned service measured only for its response times: the API and a badge gave
    /// them, its page (which shows figures of a service not open only from the months it
    /// was measured in) did not (an audit's finding). None publishes them now.
    func testAPlannedServiceWithoutMonthsPublishesNoResponseTimesAlone() throws {
        let sheet = SiteFixture.mailSheet.replacingOccurrences(of: "delivery: SaaS", with: "delivery: SaaS\nlifecycle: {stage: planned, until: 2027-01-15}")
        let fixture = SiteFixture(["content/services/messagerie.md": sheet,
                                   "content/monitoring/d.json": MonitoringTests.prometheus(Self.durations(), labels: Self.durationLabels)])
        let site = try Self.generate(fixture)
        XCTAssertNil(site.text("badges/messagerie-latency.json"))
        XCTAssertNotContains(site.text("api/services.json"), "\"p50\"")
        XCTAssertNotContains(site.text("fr/services/messagerie/index.html"), "latency-chart")
    }

    func testOwnFormatLatencyMs() throws {
        let t0 = Timestamp(rfc3339: "2026-10-30T22:00:00Z")!.millis / 1000
        let samples = (0..<100).map { "[\(t0 + Int64($0) * 60), \"up\", \($0 == 99 ? "null" : String($0 + 1))]" }.joined(separator: ",")
        let own = #"{"yourict_monitoring": 1, "checks": [{"service": "messagerie", "component": "webmail", "samples": [\#(samples)]}]}"#
        let fixture = SiteFixture(["content/monitoring/own.json": own])
        let (report, diagnostics) = try report(fixture)
        XCTAssertEqual(diagnostics.lines, [])
        // 99 samples of 1…99 ms (the last has none): ranks 50 and 95.
        XCTAssertEqual(rounded(try webmail(report).windows[.h24]), [49.9, 94.6, 99])
    }

    func testOwnFormatNegativeLatencyIsAnError() throws {
        let own = #"{"yourict_monitoring": 1, "checks": [{"service": "messagerie", "component": "webmail", "samples": [[1793397600, "up", -5]]}]}"#
        let (_, diagnostics) = try report(SiteFixture(["content/monitoring/own.json": own]))
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.lines, [
            "content/monitoring/own.json:1:119: error: `latency_ms` must be a number of milliseconds from 0 to a day (86400000), or null",
        ])
    }

    /// A probe that answers within the millisecond records 0 ms: the chart's scale had a
    /// top of 0, its coordinates were NaN, and the build trapped (SIGILL) writing them.
    func testResponseTimesOfZeroMillisecondsChartOnAScale() throws {
        let site = try Self.generate(Self.fixture(Self.durations { _ in 0 }))
        let page = try XCTUnwrap(site.text("fr/services/messagerie/index.html"))
        let chart = try XCTUnwrap(page.section(after: "<div class=\"latency-chart\">", until: "</svg>"))
        XCTAssertNotContains(chart, "nan")
        // The last day's two figures lie on the axis (y 188 of 220), and a 1 ms top is labelled.
        XCTAssertContains(chart, "<path class=\"rt-p95\" d=\"M")
        XCTAssertContains(chart, " 188")
        XCTAssertContains(chart, "<text x=\"58\" y=\"16\" text-anchor=\"end\">1")
    }

    func testNoDurationsNoFigures() throws {
        let (report, _) = try report(SiteFixture(["content/monitoring/p.json": MonitoringTests.prometheus(MonitoringTests.minutes(30 * 1440))]))
        XCTAssertNil(report.services["messagerie"]?.component("webmail")?.latency)
        XCTAssertNil(report.services["messagerie"]?.overall.latency)
    }
}
