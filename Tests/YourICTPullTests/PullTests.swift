import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest
import YourICTTestSupport
@testable import YourICTSupport
@testable import YourICTFormats
@testable import YourICTMonitoring
@testable import YourICTPull

/// `pull prometheus`: the pure planning rules, the chunk files, the client's error
/// handling and the atomic replacement, against an in-process fake of the HTTP API.
/// The real server is exercised end to end by tests/prometheus/run.sh.
final class PullTests: XCTestCase {
    static let minute: Int64 = 60_000
    static let day: Int64 = 86_400_000
    static func t(_ s: String) -> Int64 { Timestamp(rfc3339: s)!.millis }

    // MARK: Step syntax

    func testStepSyntaxAsPrometheus() {
        let good: [(String, Int64)] = [("60s", 60_000), ("5m", 300_000), ("1h", 3_600_000), ("60", 60_000), ("1.5", 1500),
                                       ("1m30s", 90_000), ("1500ms", 1500), ("1d", Self.day), ("2w", 14 * Self.day),
                                       ("1h0m5s", 3_605_000), (" 15s ", 15_000), ("0.25", 250)]
        for (text, millis) in good { XCTAssertEqual(PullPlanning.parseStep(text), millis, text) }
        for bad in ["", "s", "abc", "1x", "30s1m", "5m5m", "-5s", "1.2345", "1.5s", "1e3", "60 s", "1..5", "."] {
            XCTAssertNil(PullPlanning.parseStep(bad), bad)
        }
        XCTAssertEqual(PullPlanning.formatStep(60_000), "1m")
        XCTAssertEqual(PullPlanning.formatStep(90_000), "1m30s")
        XCTAssertEqual(PullPlanning.formatStep(1500), "1.5s")
        XCTAssertEqual(PullPlanning.formatStep(Self.day + 1000), "1d1s")
    }

    func testOptionsAreValidated() throws {
        let cwd = URL(fileURLWithPath: "/tmp/site", isDirectory: true)
        func validate(url: String = "http://prom:9090", query: String = "up", days: Int = 90, step: String = "60s",
                      end: String? = nil, out: String? = nil) throws -> PrometheusPull.Options {
            try PrometheusPull.Options.validated(url: url, query: query, days: days, step: step, end: end, out: out,
                                                 currentDirectory: cwd, now: Self.t("2026-11-26T00:00:30Z"), full: false)
        }
        func code(_ body: () throws -> PrometheusPull.Options) -> Int32? {
            do { _ = try body(); return nil } catch let e as PullError { return e.exitCode } catch { return -1 }
        }
        for url in ["ftp://prom", "prom:9090", "http://", "http://u:p@prom", "http://prom/?x=1", ""] {
            XCTAssertEqual(code { try validate(url: url) }, 2, url)
        }
        XCTAssertEqual(code { try validate(query: "  ") }, 2)
        XCTAssertEqual(code { try validate(days: 0) }, 2)
        XCTAssertEqual(code { try validate(days: 3651) }, 2)
        XCTAssertEqual(code { try validate(step: "999ms") }, 2)
        XCTAssertEqual(code { try validate(step: "fast") }, 2)
        XCTAssertEqual(code { try validate(end: "yesterday") }, 2)
        XCTAssertEqual(code { try validate(out: "content/monitoring/bad name") }, 2)

        let o = try validate(url: "https://metrics.example.org/prometheus/api/v1/query_range", days: 3650, step: "1s",
                             end: "2026-11-26T00:00:00Z", out: "content/monitoring/webmail.json")
        XCTAssertEqual(o.url.absoluteString, "https://metrics.example.org/prometheus")
        XCTAssertEqual(o.folder.path, "/tmp/site/content/monitoring")
        XCTAssertEqual(o.name, "webmail")
        XCTAssertEqual(o.end, Self.t("2026-11-26T00:00:00Z"))
        let d = try validate(query: #"probe_success{job="blackbox"}"#)
        XCTAssertEqual(d.folder.path, "/tmp/site/content/monitoring")
        XCTAssertTrue(d.name.hasPrefix("prometheus-probe_success-job-blackbox-"), d.name)
        XCTAssertEqual(d.end, Self.t("2026-11-26T00:00:30Z"))
        XCTAssertEqual(try validate(out: "data/").folder.path, "/tmp/site/data")
    }

    func testCredentialsComeFromTheEnvironment() throws {
        XCTAssertNil(try PrometheusCredentials.fromEnvironment([:]))
        XCTAssertNil(try PrometheusCredentials.fromEnvironment(["YOURICT_PROMETHEUS_TOKEN": ""]))
        XCTAssertEqual(try PrometheusCredentials.fromEnvironment(["YOURICT_PROMETHEUS_TOKEN": "t0k"]), .bearer("t0k"))
        XCTAssertEqual(try PrometheusCredentials.fromEnvironment(["YOURICT_PROMETHEUS_USER": "u", "YOURICT_PROMETHEUS_PASSWORD": "p"]),
                       .basic(user: "u", password: "p"))
        XCTAssertEqual(PrometheusCredentials.basic(user: "u", password: "p").headerValue, "Basic dTpw")
        XCTAssertThrowsError(try PrometheusCredentials.fromEnvironment(["YOURICT_PROMETHEUS_USER": "u"]))
        XCTAssertThrowsError(try PrometheusCredentials.fromEnvironment(["YOURICT_PROMETHEUS_PASSWORD": "p"]))
        XCTAssertThrowsError(try PrometheusCredentials.fromEnvironment(["YOURICT_PROMETHEUS_TOKEN": "t", "YOURICT_PROMETHEUS_USER": "u"]))
    }

    // MARK: Chunk planning

    func testGridKeepsEveryChunkUnderTheLimit() {
        let cases: [(String, Int64, Int64)] = [  // step, expected span, points per chunk
            ("60s", 7 * Self.day, 10_080), ("15s", Self.day, 5760), ("1s", 3 * 3_600_000, 10_800),
            ("5m", 35 * Self.day, 10_080), ("1h", 455 * Self.day, 10_920), ("7s", 77_000_000, 11_000), ("1d", 10_997 * Self.day, 10_997),
        ]
        for (step, span, points) in cases {
            let grid = PullPlanning.Grid(step: PullPlanning.parseStep(step)!)
            XCTAssertEqual(grid.span, span, step)
            XCTAssertEqual(grid.pointsPerChunk, points, step)
            XCTAssertLessThanOrEqual(grid.pointsPerChunk, 11_000, step)
        }
        // Weekly chunks start on Mondays.
        let week = PullPlanning.Grid(step: Self.minute)
        XCTAssertEqual(Timestamp(millis: week.chunkStart(containing: Self.t("2026-11-26T12:00:00Z"))).iso8601UTC, "2026-11-23T00:00:00Z")
    }

    func testChunksCoverTheRangeExactlyOnceUnderTheLimit() {
        // Many steps and ranges: every instant exactly once, every request ≤ 11,000 points,
        // (end - start) / step ≤ 11,000 as Prometheus checks, boundaries on the step.
        var rng = SystemRandomNumberGenerator()
        for step: Int64 in [1000, 7000, 15_000, 60_000, 90_000, 300_000, 3_600_000, 86_400_000] {
            let grid = PullPlanning.Grid(step: step)
            for _ in 0..<20 {
                let days = Int.random(in: 1...400, using: &rng)
                let end = Self.t("2026-11-26T00:00:00Z") + Int64.random(in: 0..<Self.day, using: &rng)
                let window = PullPlanning.window(end: end, days: days, step: step)
                let chunks = PullPlanning.chunks(from: window.start, to: window.end, grid: grid)
                XCTAssertEqual(chunks.first?.start, window.start)
                XCTAssertEqual(chunks.last?.end, window.end)
                var expected = window.start
                for c in chunks {
                    XCTAssertEqual(c.start, expected, "step \(step)")
                    XCTAssertEqual(c.start % step, 0)
                    XCTAssertLessThanOrEqual(c.points, Int64(PullPlanning.prometheusMaxPoints))
                    XCTAssertLessThanOrEqual((c.end - c.start) / step, 11_000)
                    XCTAssertEqual(grid.chunkStart(containing: c.start), c.gridStart)
                    XCTAssertEqual(grid.chunkStart(containing: c.end), c.gridStart)
                    expected = c.end + step
                }
                XCTAssertEqual(chunks.reduce(0) { $0 + $1.points }, (window.end - window.start) / step + 1)
            }
        }
    }

    /// Every whole-second step up to 15 minutes, and the ones a helper found looping: a
    /// step that divides a week but not the epoch's four days to the first Monday (70 s,
    /// 56 s, 63 s) cut no chunk at all and filled memory. Each covers its window once.
    func testEveryStepCutsItsWindowOnTheStepsInstants() {
        for seconds in Array(1...900) + [1260, 2520, 3600, 5040, 86_400] {
            let step = Int64(seconds) * 1000
            let grid = PullPlanning.Grid(step: step)
            XCTAssertEqual(grid.origin % step, 0, "\(seconds) s")
            let window = PullPlanning.window(end: Self.t("2026-11-26T11:00:00Z"), days: 10, step: step)
            let chunks = PullPlanning.chunks(from: window.start, to: window.end, grid: grid)
            var expected = window.start
            for c in chunks {
                XCTAssertEqual(c.start, expected, "\(seconds) s")
                XCTAssertLessThanOrEqual(c.start, c.end)
                XCTAssertLessThanOrEqual(c.points, Int64(PullPlanning.prometheusMaxPoints))
                XCTAssertEqual(grid.chunkStart(containing: c.end), c.gridStart, "\(seconds) s")
                expected = c.end + step
            }
            XCTAssertEqual(expected, window.end + step, "\(seconds) s")
        }
    }

    /// Two series with one label set in one answer keep both halves, in time order, the
    /// first value at a shared instant (as `build`'s loader); a helper's server sent the
    /// later half first and the earlier half was lost (21,603 of 43,203 samples).
    func testSeriesWithOneLabelSetInOneAnswerAreMerged() {
        var collector = PulledSeriesCollector()
        for (times, value) in [([300, 360, 420], 1.0), ([0, 60, 120, 180, 240, 300], 0.0)] {
            collector.beginSeries(labels: ["job": "blackbox"])
            for t in times { collector.sample(timestampMillis: Int64(t) * 1000, value: PrometheusValue(value), byteOffset: 0) }
            collector.endSeries()
        }
        let merged = collector.series.values.first
        XCTAssertEqual(collector.series.count, 1)
        XCTAssertEqual(merged?.timestamps, [0, 60, 120, 180, 240, 300, 360, 420].map { Int64($0) * 1000 })
        XCTAssertEqual(merged?.values.map(\.doubleValue), [0, 0, 0, 0, 0, 1, 1, 1])
        // Samples outside the instants asked for are not the chunk's.
        XCTAssertEqual(merged?.within(60_000, 300_000).timestamps, [60, 120, 180, 240, 300].map { Int64($0) * 1000 })
    }

    func testFortyDaysAtOneMinuteNeedSevenWeeklyChunks() {
        let window = PullPlanning.window(end: Self.t("2026-11-26T00:00:00Z"), days: 40, step: Self.minute)
        XCTAssertEqual(window.start, Self.t("2026-10-17T00:00:00Z"))
        let chunks = PullPlanning.chunks(from: window.start, to: window.end, grid: .init(step: Self.minute))
        XCTAssertEqual(chunks.map { Timestamp(millis: $0.gridStart).iso8601UTC },
                       ["2026-10-12T00:00:00Z", "2026-10-19T00:00:00Z", "2026-10-26T00:00:00Z", "2026-11-02T00:00:00Z",
                        "2026-11-09T00:00:00Z", "2026-11-16T00:00:00Z", "2026-11-23T00:00:00Z"])
        XCTAssertEqual(chunks.map(\.points), [2880, 10_080, 10_080, 10_080, 10_080, 10_080, 4321])
        // The end is rounded down to the step, the start up.
        let odd = PullPlanning.window(end: Self.t("2026-11-26T00:00:59Z"), days: 1, step: Self.minute)
        XCTAssertEqual(odd.end, Self.t("2026-11-26T00:00:00Z"))
        XCTAssertEqual(odd.start, Self.t("2026-11-25T00:00:00Z"))
    }

    func testIncrementalPullStartsAfterTheNewestSample() {
        let grid = PullPlanning.Grid(step: Self.minute)
        let window = PullPlanning.window(end: Self.t("2026-11-26T00:00:00Z"), days: 40, step: Self.minute)
        let files = ["2026-10-12", "2026-10-19", "2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"]
            .map { Self.t($0 + "T00:00:00Z") }
        let plan = PullPlanning.plan(window: window, grid: grid,
                                     existing: .init(chunkStarts: files, newestSample: Self.t("2026-11-25T00:00:00Z")), full: false)
        XCTAssertEqual(plan.continuesAfter, Self.t("2026-11-25T00:00:00Z"))
        XCTAssertEqual(plan.chunks, [.init(gridStart: Self.t("2026-11-23T00:00:00Z"), start: Self.t("2026-11-25T00:01:00Z"),
                                           end: Self.t("2026-11-26T00:00:00Z"), step: Self.minute)])
        XCTAssertEqual(plan.merges, [Self.t("2026-11-23T00:00:00Z")])
        XCTAssertEqual(plan.stale, [])

        // Weeks later: the rest of the old chunk, new chunks, and the files now wholly
        // before the window are stale.
        let later = PullPlanning.window(end: Self.t("2026-12-20T00:00:00Z"), days: 40, step: Self.minute)
        let p2 = PullPlanning.plan(window: later, grid: grid, existing: .init(chunkStarts: files, newestSample: Self.t("2026-11-26T00:00:00Z")), full: false)
        XCTAssertEqual(p2.chunks.first?.start, Self.t("2026-11-26T00:01:00Z"))
        XCTAssertEqual(p2.chunks.count, 4)
        // The window starts on 2026-11-10: the chunks of weeks ending by then go.
        XCTAssertEqual(p2.stale, ["2026-10-12", "2026-10-19", "2026-10-26", "2026-11-02"].map { Self.t($0 + "T00:00:00Z") })

        // A newest sample off the step grid: the next instant on the grid.
        XCTAssertEqual(PullPlanning.incrementalStart(newestSample: Self.t("2026-11-25T00:00:30Z"), step: Self.minute), Self.t("2026-11-25T00:01:00Z"))
        // Up to date: nothing to fetch.
        XCTAssertEqual(PullPlanning.plan(window: window, grid: grid, existing: .init(chunkStarts: files, newestSample: window.end), full: false).chunks, [])
        // A newest sample older than the window: from the window's start.
        let old = PullPlanning.plan(window: window, grid: grid, existing: .init(chunkStarts: [0], newestSample: 1000), full: false)
        XCTAssertEqual(old.chunks.first?.start, window.start)
        XCTAssertEqual(old.stale, [0])
        // --full, or files without samples: the whole window; other files are stale.
        let full = PullPlanning.plan(window: window, grid: grid, existing: .init(chunkStarts: files + [0], newestSample: window.end), full: true)
        XCTAssertEqual(full.chunks.count, 7)
        XCTAssertEqual(full.stale, [0])
        XCTAssertEqual(PullPlanning.plan(window: window, grid: grid, existing: .init(chunkStarts: files, newestSample: nil), full: false).chunks.count, 7)
    }

    func testFileNamesAreDeterministic() {
        let start = Self.t("2026-11-23T00:00:00Z")
        XCTAssertEqual(PullPlanning.fileName(name: "webmail", gridStart: start), "webmail-20261123T000000Z.json")
        XCTAssertEqual(PullPlanning.gridStart(fileName: "webmail-20261123T000000Z.json", name: "webmail"), start)
        XCTAssertEqual(PullPlanning.gridStart(fileName: PullPlanning.fileName(name: "w", gridStart: start + 500), name: "w"), start + 500)
        for other in ["webmail-20261123T000000Z.json.tmp", "webmail-x-20261123T000000Z.json", "webmail2-20261123T000000Z.json",
                      "webmail-20261323T000000Z.json", "webmail-20261123T000000.json", "webmail.json", "other-20261123T000000Z.json"] {
            XCTAssertNil(PullPlanning.gridStart(fileName: other, name: "webmail"), other)
        }
    }

    // MARK: Chunk files

    func testChunkFilesRoundTripThroughTheReader() throws {
        var a = PulledSeries(labels: ["__name__": "probe_success", "instance": "https://x/\"quoted\"", "job": "blackbox"])
        a.timestamps = [1_795_392_000_000, 1_795_392_060_000, 1_795_392_120_500]
        a.values = [PrometheusValue(1), PrometheusValue(0), PrometheusValue(.nan)]
        var b = PulledSeries(labels: ["job": "b<&>"])
        b.timestamps = [1_795_392_000_000]
        b.values = [PrometheusValue(0.25)]
        let meta = ChunkFile.Meta(query: "up + 0 > 0.5", stepMillis: 60_000, start: 1_795_392_000_000, end: 1_795_392_120_000)
        let bytes = ChunkFile.serialize(meta: meta, series: [b, a])
        XCTAssertEqual(bytes, ChunkFile.serialize(meta: meta, series: [a, b]), "series order does not change the bytes")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("yourict-chunk-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let read = try ChunkFile.read(path: path)
        XCTAssertEqual(read.meta, meta)
        XCTAssertEqual(read.samples, 4)
        XCTAssertEqual(read.series, [a, b].sorted { $0.key < $1.key })
        // build reads it as an ordinary query_range result.
        var collector = PrometheusCollector()
        try PrometheusMatrixReader().read(contentsOfFile: path, into: &collector)
        XCTAssertEqual(collector.series.count, 2)
    }

    // MARK: The client

    func testQueryIsFullyPercentEncoded() {
        let client = PrometheusClient(baseURL: URL(string: "http://prom:9090/p")!, credentials: .bearer("s3cret"), timeout: 30, retries: 0,
                                      transport: FakePrometheus())
        let r = client.request(query: #"up{job="a b"} + 1"#, chunk: .init(gridStart: 0, start: 1_795_392_000_000, end: 1_795_392_060_000, step: 60_000))
        XCTAssertEqual(r.url?.absoluteString,
                       "http://prom:9090/p/api/v1/query_range?query=up%7Bjob%3D%22a%20b%22%7D%20%2B%201&start=1795392000&end=1795392060&step=60&timeout=30s")
        XCTAssertEqual(r.value(forHTTPHeaderField: "Authorization"), "Bearer s3cret")
    }

    func testRetriesServerErrorsThenSucceeds() async throws {
        let fake = FakePrometheus()
        fake.failures = [.status(503, "upstream down"), .network, .status(500, #"{"status":"error","errorType":"internal","error":"boom"}"#)]
        let client = PrometheusClient(baseURL: URL(string: "http://prom")!, credentials: nil, timeout: 5, retries: 3, retryDelay: 0.001, transport: fake)
        let result = try await client.fetch(query: "up", chunk: .init(gridStart: 0, start: 0, end: 120_000, step: 60_000))
        XCTAssertEqual(result.attempts, 4)
        XCTAssertEqual(result.series.first?.timestamps, [0, 60_000, 120_000])
    }

    func testErrorsAreClearAndMapToExitCodes() async {
        func fetchError(_ failure: FakePrometheus.Failure, retries: Int = 0, credentials: PrometheusCredentials? = nil) async -> PullError? {
            let fake = FakePrometheus()
            fake.failures = Array(repeating: failure, count: retries + 1)
            let client = PrometheusClient(baseURL: URL(string: "http://prom")!, credentials: credentials, timeout: 5, retries: retries,
                                          retryDelay: 0.001, transport: fake)
            do {
                _ = try await client.fetch(query: "up", chunk: .init(gridStart: 0, start: 0, end: 60_000, step: 60_000))
                return nil
            } catch {
                return error
            }
        }
        let bad = await fetchError(.status(400, #"{"status":"error","errorType":"bad_data","error":"1:4: parse error: unexpected end of input"}"#))
        XCTAssertEqual(bad?.exitCode, 1)
        XCTAssertEqual(bad?.message, "Prometheus answered with an error (HTTP 400, bad_data): 1:4: parse error: unexpected end of input")
        XCTAssertNotNil(bad?.hint)
        let inBody = await fetchError(.status(200, #"{"status":"error","errorType":"execution","error":"too many samples"}"#))
        XCTAssertEqual(inBody?.exitCode, 1)
        XCTAssertTrue(inBody?.message.contains("execution") == true)
        let unauthorized = await fetchError(.status(401, "Unauthorized"))
        XCTAssertEqual(unauthorized?.exitCode, 1)
        XCTAssertTrue(unauthorized?.hint?.contains("YOURICT_PROMETHEUS_TOKEN") == true)
        let refused = await fetchError(.status(403, "Forbidden"), credentials: .bearer("x"))
        XCTAssertTrue(refused?.hint?.contains("bearer token") == true)
        let unavailable = await fetchError(.status(503, "no"), retries: 2)
        XCTAssertEqual(unavailable?.exitCode, 1)
        XCTAssertTrue(unavailable?.message.contains("after 3 attempts") == true, unavailable?.message ?? "")
        let network = await fetchError(.network, retries: 1)
        XCTAssertEqual(network?.exitCode, 2)
        let notJSON = await fetchError(.status(200, "<html>login</html>"))
        XCTAssertEqual(notJSON?.exitCode, 1)
        let vector = await fetchError(.status(200, #"{"status":"success","data":{"resultType":"vector","result":[]}}"#))
        XCTAssertEqual(vector?.kind, .data)
        let redirect = await fetchError(.status(302, ""))
        XCTAssertTrue(redirect?.hint?.contains("redirect") == true)
        // A partial answer (Thanos, a remote read down) is not taken for a whole one; PromQL's
        // `infos` are no warning.
        let matrix = #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"job":"x"},"values":[[0,"1"],[60,"1"]]}]}}"#
        let partial = await fetchError(.status(200, String(matrix.dropLast()) + #","warnings":["partial response: store unavailable"]}"#))
        XCTAssertEqual(partial?.exitCode, 1)
        XCTAssertEqual(partial?.message, "Prometheus answered with warnings, so the answer may miss data: partial response: store unavailable")
        let informed = await fetchError(.status(200, String(matrix.dropLast()) + #","infos":["PromQL info: metric might not be a counter"]}"#))
        XCTAssertNil(informed)
        // A body cut short is retried, and says so; every error has a hint.
        let cut = await fetchError(.status(200, String(matrix.prefix(90))), retries: 1)
        XCTAssertEqual(cut?.message.hasPrefix("the answer was cut short: unexpected end of input"), true, cut?.message ?? "")
        XCTAssertEqual(cut?.message.hasSuffix("(after 2 attempts)"), true, cut?.message ?? "")
        XCTAssertEqual(cut?.hint, "a proxy or the network closed it early; nothing was changed: try again, or raise --retries")
        let capped = await fetchError(.status(400, #"{"status":"error","errorType":"bad_data","error":"exceeded maximum resolution of 5,000 points per timeseries. Try decreasing the query resolution (?step=XX)"}"#))
        XCTAssertEqual(capped?.hint, "this server allows fewer points per request than Prometheus' 11,000: a larger --step (fewer points) passes")
        let failed = await fetchError(.status(500, "boom"))
        XCTAssertEqual(failed?.hint, "the server failed: see its log; --retries tries again after a 5xx")
    }

    // MARK: Whole pulls

    func testPullIsIncrementalAndMatchesAFullPull() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fake = FakePrometheus()
        let client = PrometheusClient(baseURL: URL(string: "http://prom")!, credentials: nil, timeout: 5, retries: 0, transport: fake)
        func options(end: String, full: Bool = false, name: String = "w") -> PrometheusPull.Options {
            .init(url: URL(string: "http://prom")!, query: "probe_success", days: 20, step: Self.minute, end: Self.t(end),
                  folder: folder, name: name, full: full)
        }
        let first = try await PrometheusPull.run(options(end: "2026-11-25T00:00:00Z"), client: client)
        XCTAssertEqual(first.requests, 4)
        XCTAssertEqual(first.samples, 20 * 1440 + 1)
        XCTAssertEqual(first.written.count, 4)
        XCTAssertNil(first.continuesAfter)

        fake.requests = []
        let second = try await PrometheusPull.run(options(end: "2026-11-26T00:00:00Z"), client: client)
        XCTAssertEqual(second.continuesAfter, Self.t("2026-11-25T00:00:00Z"))
        XCTAssertEqual(second.requests, 1)
        XCTAssertEqual(second.samples, 1440)
        XCTAssertEqual(fake.requests.map { "\($0.start)…\($0.end)" }, ["\(Self.t("2026-11-25T00:01:00Z") / 1000)…\(Self.t("2026-11-26T00:00:00Z") / 1000)"])
        XCTAssertEqual(second.written, ["w-20261123T000000Z.json"])
        XCTAssertEqual(second.removed, [])

        // The same files as a full pull of the same window, bar the first file's recorded start.
        let fresh = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: fresh) }
        var o = options(end: "2026-11-26T00:00:00Z")
        o.folder = fresh
        _ = try await PrometheusPull.run(o, client: client)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }.sorted()
        XCTAssertEqual(names, try FileManager.default.contentsOfDirectory(atPath: fresh.path).filter { !$0.hasPrefix(".") }.sorted())
        for name in names.dropFirst() {
            XCTAssertEqual(FileManager.default.contents(atPath: folder.appendingPathComponent(name).path),
                           FileManager.default.contents(atPath: fresh.appendingPathComponent(name).path), name)
        }
        // Days later the first week is wholly before the window (2026-11-10): removed.
        let later = try await PrometheusPull.run(options(end: "2026-11-30T00:00:00Z"), client: client)
        XCTAssertEqual(later.written, ["w-20261123T000000Z.json", "w-20261130T000000Z.json"])
        XCTAssertEqual(later.removed, ["w-20261102T000000Z.json"])
        let upToDate = try await PrometheusPull.run(options(end: "2026-11-30T00:00:30Z"), client: client)
        XCTAssertNil(upToDate.range)
        XCTAssertEqual(upToDate.requests, 0)
        XCTAssertEqual(upToDate.files, 4)

        // Another query in the same files is refused (exit 2) unless --full.
        var other = options(end: "2026-11-26T00:00:00Z")
        other.query = "up"
        await XCTAssertThrowsPullError(try await PrometheusPull.run(other, client: client), exitCode: 2)
    }

    /// Two pulls of one name at once: the second stops before it reads anything (a
    /// helper's pulls, overlapping, left an hour missing for good).
    func testASecondPullOfOneNameAtOnceStops() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let held = open(folder.appendingPathComponent(".w.pull.lock").path, O_CREAT | O_RDONLY, 0o644)
        XCTAssertEqual(flock(held, LOCK_EX | LOCK_NB), 0)
        let fake = FakePrometheus()
        let client = PrometheusClient(baseURL: URL(string: "http://prom")!, credentials: nil, timeout: 5, retries: 0, transport: fake)
        let options = PrometheusPull.Options(url: URL(string: "http://prom")!, query: "probe_success", days: 2, step: Self.minute,
                                             end: Self.t("2026-11-25T00:00:00Z"), folder: folder, name: "w")
        await XCTAssertThrowsPullError(try await PrometheusPull.run(options, client: client), exitCode: 2)
        XCTAssertEqual(fake.requests.count, 0)
        close(held)
        let summary = try await PrometheusPull.run(options, client: client)
        XCTAssertGreaterThan(summary.written.count, 0)
    }

    /// `--timeout` bounds the whole exchange: FoundationNetworking on Linux bounds only the
    /// time between two reads, and a server trickling its body kept a pull for minutes.
    func testTheTimeoutBoundsATrickledAnswer() async throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(listener, 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && listen(listener, 1) == 0 && getsockname(listener, $0, &length) == 0 }
        }
        XCTAssertTrue(bound)
        let port = UInt16(bigEndian: address.sin_port)
        let server = Thread {
            let connection = accept(listener, nil, nil)
            var request = [UInt8](repeating: 0, count: 4096)
            _ = recv(connection, &request, request.count, 0)
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
            _ = head.withCString { send(connection, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            // Ten bytes every 0.2 s, for at most 20 s.
            for _ in 0..<100 where send(connection, "{\"status\":", 10, Int32(MSG_NOSIGNAL)) == 10 { usleep(200_000) }
            close(connection)
            close(listener)
        }
        server.start()
        let transport = URLSessionTransport(timeout: 1)
        defer { transport.close() }
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try await transport.send(URLRequest(url: URL(string: "http://127.0.0.1:\(port)/api/v1/query_range")!))
            XCTFail("a trickled answer was taken")
        } catch {
            XCTAssertEqual((error as? URLError)?.code, .timedOut, "\(error)")
        }
        XCTAssertLessThan(clock.now - start, .seconds(10))
    }

    /// A series behind the others at pull time (remote write, a slow scrape) is fetched
    /// again from where it stopped, so no gap stays (a helper's left smtp 23.5 hours short).
    func testASeriesThatLaggedIsCaughtUp() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fake = FakePrometheus()
        let client = PrometheusClient(baseURL: URL(string: "http://prom")!, credentials: nil, timeout: 5, retries: 0, transport: fake)
        func options(end: String) -> PrometheusPull.Options {
            .init(url: URL(string: "http://prom")!, query: "probe_success", days: 3, step: Self.minute, end: Self.t(end), folder: folder, name: "w")
        }
        fake.laggingUntil = Self.t("2026-11-24T20:00:00Z") / 1000
        _ = try await PrometheusPull.run(options(end: "2026-11-25T00:00:00Z"), client: client)
        fake.laggingUntil = .max
        let second = try await PrometheusPull.run(options(end: "2026-11-25T01:00:00Z"), client: client)
        XCTAssertEqual(second.continuesAfter, Self.t("2026-11-24T20:00:00Z"))
        var slow: [Int64] = []
        for name in try snapshot(folder).keys.sorted() {
            let read = try ChunkFile.read(path: folder.appendingPathComponent(name).path)
            slow += read.series.first { $0.labels["job"] == "slow" }?.timestamps ?? []
        }
        XCTAssertEqual(slow.first, Self.t("2026-11-22T00:00:00Z"))
        XCTAssertEqual(slow.last, Self.t("2026-11-25T01:00:00Z"))
        XCTAssertEqual(slow.count, 73 * 60 + 1, "no gap")
        // A series with nothing in the last day is gone: not waited for.
        fake.laggingUntil = Self.t("2026-11-25T01:00:00Z") / 1000
        _ = try await PrometheusPull.run(options(end: "2026-11-26T02:00:00Z"), client: client)
        fake.laggingUntil = nil
        let gone = try await PrometheusPull.run(options(end: "2026-11-26T02:30:00Z"), client: client)
        XCTAssertEqual(gone.continuesAfter, Self.t("2026-11-26T02:00:00Z"))
    }

    func testAFailedPullLeavesThePreviousFilesIntact() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fake = FakePrometheus()
        let client = PrometheusClient(baseURL: URL(string: "http://prom")!, credentials: nil, timeout: 5, retries: 0, transport: fake)
        var o = PrometheusPull.Options(url: URL(string: "http://prom")!, query: "probe_success", days: 20, step: Self.minute,
                                       end: Self.t("2026-11-25T00:00:00Z"), folder: folder, name: "w")
        _ = try await PrometheusPull.run(o, client: client)
        let before = try snapshot(folder)
        XCTAssertEqual(before.count, 4)

        // A full pull whose third chunk is refused: nothing replaced, nothing removed, no leftovers.
        o.full = true
        o.end = Self.t("2026-12-01T00:00:00Z")
        fake.failOnRequest = [3: .status(422, #"{"status":"error","errorType":"execution","error":"query processing would load too many samples"}"#)]
        await XCTAssertThrowsPullError(try await PrometheusPull.run(o, client: client), exitCode: 1)
        XCTAssertEqual(try snapshot(folder), before)

        // A chunk that is not a matrix fails the same way.
        fake.failOnRequest = [2: .status(200, #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"x"]]}]}}"#)]
        await XCTAssertThrowsPullError(try await PrometheusPull.run(o, client: client), exitCode: 1)
        XCTAssertEqual(try snapshot(folder), before)

        // An incremental pull that cannot reach Prometheus: exit 2, files unchanged.
        o.full = false
        fake.failOnRequest = [1: .network]
        await XCTAssertThrowsPullError(try await PrometheusPull.run(o, client: client), exitCode: 2)
        XCTAssertEqual(try snapshot(folder), before)

        // A query without data: exit 1, nothing written.
        let empty = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: empty) }
        fake.failOnRequest = [:]
        fake.empty = true
        var e = o
        e.folder = empty
        await XCTAssertThrowsPullError(try await PrometheusPull.run(e, client: client), exitCode: 1)
        XCTAssertEqual(try snapshot(empty), [:])
    }

    // MARK: Helpers

    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("yourict-pull-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Every entry of the folder (hidden ones too) with its bytes.
    /// The chunk files (the pull's hidden lock file aside, which `build` ignores as it does
    /// every hidden file).
    func snapshot(_ folder: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where !name.hasPrefix(".") {
            out[name] = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) ?? Data()
        }
        return out
    }
}

func XCTAssertThrowsPullError<T>(_ body: @autoclosure () async throws -> T, exitCode: Int32,
                                 file: StaticString = #filePath, line: UInt = #line) async {
    do {
        _ = try await body()
        XCTFail("no error", file: file, line: line)
    } catch let error as PullError {
        XCTAssertEqual(error.exitCode, exitCode, error.message, file: file, line: line)
    } catch {
        XCTFail("unexpected \(error)", file: file, line: line)
    }
}

/// Answers `query_range` in process: one series, `probe_success` = 1 at every step,
/// or scripted failures.
final class FakePrometheus: HTTPTransport, @unchecked Sendable {
    enum Failure { case status(Int, String), network }
    private let lock = NSLock()
    private var _failures: [Failure] = []
    private var _failOnRequest: [Int: Failure] = [:]
    private var _requests: [(start: Int64, end: Int64)] = []
    private var _empty = false
    private var _laggingUntil: Int64?
    private var count = 0

    /// Consumed one per request, before any data is served.
    var failures: [Failure] { get { lock.withLock { _failures } } set { lock.withLock { _failures = newValue } } }
    /// By 1-based request number, counted from when it is set.
    var failOnRequest: [Int: Failure] { get { lock.withLock { _failOnRequest } } set { lock.withLock { _failOnRequest = newValue; count = 0 } } }
    var requests: [(start: Int64, end: Int64)] { get { lock.withLock { _requests } } set { lock.withLock { _requests = newValue } } }
    var empty: Bool { get { lock.withLock { _empty } } set { lock.withLock { _empty = newValue } } }
    /// With a value (seconds): a second series, `job="slow"`, whose samples stop there
    /// (`Int64.max`: it has them all).
    var laggingUntil: Int64? { get { lock.withLock { _laggingUntil } } set { lock.withLock { _laggingUntil = newValue } } }

    func send(_ request: URLRequest) async throws -> HTTPResult {
        let items = URLComponents(url: request.url!, resolvingAgainstBaseURL: false)?.queryItems ?? []
        func param(_ name: String) -> Int64 { Int64(items.first { $0.name == name }?.value ?? "0") ?? 0 }
        let (start, end, step) = (param("start"), param("end"), param("step"))
        let failure: Failure? = lock.withLock {
            count += 1
            if !_failures.isEmpty { return _failures.removeFirst() }
            return _failOnRequest[count]
        }
        switch failure {
        case .network?: throw URLError(.cannotConnectToHost)
        case .status(let code, let body)?: return HTTPResult(status: code, body: Data(body.utf8))
        case nil: break
        }
        lock.withLock { _requests.append((start, end)) }
        if empty { return HTTPResult(status: 200, body: Data(#"{"status":"success","data":{"resultType":"matrix","result":[]}}"#.utf8)) }
        let values = stride(from: start, through: end, by: Int(step)).map { "[\($0),\"1\"]" }.joined(separator: ",")
        var body = #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"probe_success","job":"blackbox"},"values":["#
            + values + "]}"
        let slow = laggingUntil.map { until in stride(from: start, through: min(end, until), by: Int(step)).map { "[\($0),\"1\"]" }.joined(separator: ",") } ?? ""
        if !slow.isEmpty { body += #",{"metric":{"__name__":"probe_success","job":"slow"},"values":["# + slow + "]}" }
        body += "]}}"
        return HTTPResult(status: 200, body: Data(body.utf8))
    }
}
