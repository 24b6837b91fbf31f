import XCTest
import YourICTTestSupport
@testable import YourICTFormats
@testable import YourICTMonitoring

/// A large Prometheus file is read by several readers at once
/// (`PrometheusMatrixReader.read(contentsOfFile:into:parts:)`). These tests hold it to
/// what it promises: the same calls, offsets and errors as one reader, whatever the
/// file, and parts really taken where the file allows it.
final class PrometheusPartsTests: XCTestCase {
    /// Every sink call, and how many parts were taken.
    private struct RecordingSink: PrometheusPartSink {
        enum Event: Equatable, Sendable {
            case begin([String: String])
            case sample(Int64, PrometheusValue, Int)
            case end
        }

        var events: [Event] = []
        var partsTaken = 0

        func emptyPart() -> RecordingSink { RecordingSink() }

        mutating func append(part: consuming RecordingSink) {
            events += part.events
            partsTaken += 1 + part.partsTaken
        }

        mutating func beginSeries(labels: [String: String]) { events.append(.begin(labels)) }
        mutating func sample(timestampMillis: Int64, value: PrometheusValue, byteOffset: Int) {
            events.append(.sample(timestampMillis, value, byteOffset))
        }
        mutating func endSeries() { events.append(.end) }
    }

    private func read(_ path: String, parts: Int, bufferSize: Int = 1 << 20) -> Result<RecordingSink, PrometheusReadError> {
        var sink = RecordingSink()
        do {
            if parts == 1 {
                try PrometheusMatrixReader(bufferSize: bufferSize).read(contentsOfFile: path, into: &sink)
            } else {
                try PrometheusMatrixReader(bufferSize: bufferSize).read(contentsOfFile: path, into: &sink, parts: parts, minimumPartSize: 64)
            }
            return .success(sink)
        } catch {
            return .failure(error)
        }
    }

    /// Series as Prometheus writes them: `},{"metric":{` between them.
    private func export(series: Int, samples: Int, random: inout SplitMix) -> String {
        var text = #"{"status":"success","data":{"resultType":"matrix","result":["#
        for s in 0..<series {
            if s > 0 { text += "," }
            let latency = s % 3 == 2
            text += #"{"metric":{"__name__":"\#(latency ? "probe_duration_seconds" : "probe_success")","instance":"https://s\#(s).example.org/"},"values":["#
            for k in 0..<samples {
                let value = latency ? String(Double(random.next() % 900_000) / 1_000_000) : String(random.next() % 7 == 0 ? 0 : 1)
                text += (k > 0 ? "," : "") + "[\(1_790_812_800 + k * 60),\"\(value)\"]"
            }
            text += "]}"
        }
        return text + "]}}"
    }

    func testPartsAreTakenAndReadAsOneReaderReads() throws {
        var random = SplitMix(state: 1)
        let text = export(series: 60, samples: 40, random: &random)
        try JSONTestSupport.withTemporaryFile(Array(text.utf8)) { path in
            let alone = try read(path, parts: 1).get()
            XCTAssertEqual(alone.events.filter { $0 == .end }.count, 60)
            for parts in [2, 3, 4, 7] {
                XCTAssertEqual(PrometheusMatrixReader.seriesStarts(inFile: path, size: text.utf8.count, parts: parts).count, parts - 1)
                for bufferSize in [5, 1 << 20] {
                    let inParts = try read(path, parts: parts, bufferSize: bufferSize).get()
                    XCTAssertTrue(inParts.events == alone.events, "\(parts) parts, \(bufferSize)-byte buffer: not what one reader reads")
                    XCTAssertEqual(inParts.partsTaken, parts - 1, "\(parts) parts: every part is taken")
                }
            }
        }
    }

    /// Documents where a split can land on something that is not a series boundary, or
    /// where a part holds something else than series: the result is still exactly one
    /// reader's, values and errors alike.
    func testRandomDocumentsReadAsOneReaderReads() throws {
        var random = SplitMix(state: 2026_12_03)
        var partsUsed = 0, failures = 0
        for round in 0..<300 {
            var text = export(series: 2 + Int(random.next() % 12), samples: 1 + Int(random.next() % 6), random: &random)
            var bytes = Array(text.utf8)
            switch random.next() % 8 {
            case 0:
                // A look-alike of a boundary inside a series: an unknown member.
                text = text.replacingOccurrences(of: #""values":"#, with: #""x":[{"a":1},{"metric":{"b":"c"}}],"values":"#)
                bytes = Array(text.utf8)
            case 1:
                // Values before the labels, and an escaped look-alike in a label.
                text = text.replacingOccurrences(of: #"{"metric":{"__name__":"probe_success","#, with: #"{"values":[[1790812800,"1"]],"metric":{"__name__":"probe_success","note":"},{\"metric\":{","#)
                bytes = Array(text.utf8)
            case 2:
                // A byte that breaks the JSON somewhere.
                bytes[Int(random.next() % UInt64(bytes.count))] = [UInt8(ascii: "x"), UInt8(ascii: "}"), 0x01, 0xFF][Int(random.next() % 4)]
            case 3:
                // Cut off.
                bytes.removeLast(Int(random.next() % UInt64(bytes.count - 1)) + 1)
            case 4:
                // Something else than a series in `result`, and a late result type.
                text = text.replacingOccurrences(of: #"]}]}}"#, with: #"]},[1,2]]}}"#)
                    .replacingOccurrences(of: #""resultType":"matrix","#, with: "") .replacingOccurrences(of: "]}}", with: #"],"resultType":"matrix"}}"#)
                bytes = Array(text.utf8)
            case 5:
                // A second result member after the first.
                text = String(text.dropLast(2)) + #","result":[{"metric":{"i":"2"},"values":[[1790812800,"0"]]}]}}"#
                bytes = Array(text.utf8)
            default:
                break
            }
            try JSONTestSupport.withTemporaryFile(bytes) { path in
                let alone = read(path, parts: 1)
                for parts in [2, 3, 5] {
                    let inParts = read(path, parts: parts, bufferSize: [3, 64, 1 << 20][round % 3])
                    switch (alone, inParts) {
                    case (.success(let a), .success(let b)):
                        XCTAssertTrue(a.events == b.events, "round \(round), \(parts) parts: not what one reader reads")
                        partsUsed += b.partsTaken
                    case (.failure(let a), .failure(let b)):
                        XCTAssertEqual(a, b, "round \(round), \(parts) parts")
                        failures += 1
                    default:
                        XCTFail("round \(round), \(parts) parts: one reader \(alone.map { _ in "succeeds" }), in parts \(inParts.map { _ in "succeeds" })")
                    }
                }
            }
        }
        // The rounds did exercise both: parts taken, and errors found.
        XCTAssertGreaterThan(partsUsed, 300)
        XCTAssertGreaterThan(failures, 100)
    }

    /// A build reads a large file with both readers and gets the same figures.
    func testTheCollectorJoinsPartsInOrder() throws {
        var random = SplitMix(state: 3)
        let text = export(series: 30, samples: 200, random: &random)
        try JSONTestSupport.withTemporaryFile(Array(text.utf8)) { path in
            var alone = PrometheusCollector()
            try PrometheusMatrixReader().read(contentsOfFile: path, into: &alone)
            var inParts = PrometheusCollector()
            try PrometheusMatrixReader().read(contentsOfFile: path, into: &inParts, parts: 2, minimumPartSize: 64)
            XCTAssertEqual(alone.series.map(\.key), inParts.series.map(\.key))
            XCTAssertEqual(alone.series.map(\.runs.runs), inParts.series.map(\.runs.runs))
            XCTAssertEqual(alone.latencySeries.map(\.key), inParts.latencySeries.map(\.key))
            XCTAssertEqual(alone.latencySeries.map(\.hours), inParts.latencySeries.map(\.hours))
            XCTAssertEqual(alone.latencySeries.count, 10)
        }
    }
}
