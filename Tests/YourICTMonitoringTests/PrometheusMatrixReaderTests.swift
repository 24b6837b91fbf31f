import XCTest
import YourICTTestSupport
@testable import YourICTFormats
@testable import YourICTMonitoring

final class PrometheusMatrixReaderTests: XCTestCase {
    /// Records every sink call so tests can compare whole streams.
    private struct RecordingSink: PrometheusSampleSink {
        enum Event: Equatable {
            case begin([String: String])
            case sample(Int64, PrometheusValue)
            case end
        }

        var events: [Event] = []
        var offsets: [Int] = []

        mutating func beginSeries(labels: [String: String]) { events.append(.begin(labels)) }

        mutating func sample(timestampMillis: Int64, value: PrometheusValue, byteOffset: Int) {
            events.append(.sample(timestampMillis, value))
            offsets.append(byteOffset)
        }

        mutating func endSeries() { events.append(.end) }
    }

    private static let canonical = #"""
    {"status":"success","data":{"resultType":"matrix","result":[
      {"metric":{"__name__":"probe_success","job":"blackbox","instance":"https://x"},"values":[[1732579200,"1"],[1732579260,"0"]]},
      {"metric":{"__name__":"probe_success","job":"blackbox","instance":"https://y"},"values":[[1732579200.5,"1"]]}
    ]}}
    """#

    private static let canonicalEvents: [RecordingSink.Event] = [
        .begin(["__name__": "probe_success", "job": "blackbox", "instance": "https://x"]),
        .sample(1_732_579_200_000, PrometheusValue(1)),
        .sample(1_732_579_260_000, PrometheusValue(0)),
        .end,
        .begin(["__name__": "probe_success", "job": "blackbox", "instance": "https://y"]),
        .sample(1_732_579_200_500, PrometheusValue(1)),
        .end,
    ]

    private func read(_ text: String) throws(PrometheusReadError) -> RecordingSink {
        var sink = RecordingSink()
        try PrometheusMatrixReader().read(bytes: Array(text.utf8), into: &sink)
        return sink
    }

    private func readError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> PrometheusReadError? {
        do {
            let sink = try read(text)
            XCTFail("expected an error, got \(sink.events)", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Accepted shapes

    func testCanonicalResponse() throws {
        let sink = try read(Self.canonical)
        XCTAssertEqual(sink.events, Self.canonicalEvents)
        let bytes = Array(Self.canonical.utf8)
        let pairs = sink.offsets.map { String(decoding: bytes[$0..<$0 + 14], as: UTF8.self) }
        XCTAssertEqual(pairs, ["[1732579200,\"1", "[1732579260,\"0", "[1732579200.5,"])
    }

    func testMembersInAnyOrderAndUnknownMembersSkipped() throws {
        let shuffled = #"""
        {"warnings":["w"],"data":{"result":[
          {"values":[[1732579200,"1"],[1732579260,"0"]],"histograms":[[1,{"count":"1"}]],
           "metric":{"instance":"https://x","job":"blackbox","__name__":"probe_success"}},
          {"metric":{"job":"blackbox","instance":"https://y","__name__":"probe_success"},"extra":{"a":[1,{"b":null}]},
           "values":[[1732579200.5,"1"]]}
        ],"stats":{"timings":{"evalTotalTime":0.1}},"resultType":"matrix"},"infos":[],"status":"success"}
        """#
        XCTAssertEqual(try read(shuffled).events, Self.canonicalEvents)
    }

    func testEscapedAndUnicodeLabels() throws {
        let text = #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"instance":"https:\/\/a\u00e9","__name\u005f_":"up","note":"q\"😀"},"values":[]}]}}"#
        XCTAssertEqual(try read(text).events, [.begin(["instance": "https://aé", "__name__": "up", "note": "q\"😀"]), .end])
    }

    func testEmptyResult() throws {
        XCTAssertEqual(try read(#"{"status":"success","data":{"resultType":"matrix","result":[]}}"#).events, [])
    }

    func testSeriesWithoutValuesIsEmpty() throws {
        let text = #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{}}]}}"#
        XCTAssertEqual(try read(text).events, [.begin([:]), .end])
    }

    func testSampleValueForms() throws {
        let text = #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"0.5"],[2,"NaN"],[3,"+Inf"],[4,"-Inf"],[5,"1e-05"],[6,"-0"],[7,"12345.678"],[8,"0.000017"]]}]}}"#
        let values = try read(text).events.compactMap { event -> Double? in
            if case .sample(_, let value) = event { return value.doubleValue }
            return nil
        }
        XCTAssertEqual(values.count, 8)
        XCTAssertEqual(values[0], 0.5)
        XCTAssertTrue(values[1].isNaN)
        XCTAssertEqual(values[2], .infinity)
        XCTAssertEqual(values[3], -.infinity)
        XCTAssertEqual(values[4], 1e-05)
        XCTAssertEqual(values[5], 0)
        XCTAssertEqual(values[6], 12345.678)
        XCTAssertEqual(values[7], 0.000017)
        XCTAssertEqual(PrometheusValue(.nan), PrometheusValue(.nan), "NaN samples compare equal")
    }

    func testManySeriesFromMemoryAndFromFileWithTinyBuffers() throws {
        var text = #"{"status":"success","data":{"resultType":"matrix","result":["#
        var expected: [RecordingSink.Event] = []
        for series in 0..<300 {
            if series > 0 { text += "," }
            text += #"{"metric":{"__name__":"up","instance":"host-\#(series)"},"values":["#
            expected.append(.begin(["__name__": "up", "instance": "host-\(series)"]))
            for sample in 0..<5 {
                let timestamp = 1_732_579_200 + sample * 60
                text += (sample > 0 ? "," : "") + #"[\#(timestamp),"\#((series + sample) % 2)"]"#
                expected.append(.sample(Int64(timestamp) * 1000, PrometheusValue(Double((series + sample) % 2))))
            }
            text += "]}"
            expected.append(.end)
        }
        text += "]}}"
        let fromMemory = try read(text)
        XCTAssertEqual(fromMemory.events, expected)

        try JSONTestSupport.withTemporaryFile(Array(text.utf8)) { path in
            for size in [1, 7, 4096] {
                var sink = RecordingSink()
                try PrometheusMatrixReader(bufferSize: size).read(contentsOfFile: path, into: &sink)
                XCTAssertEqual(sink.events, expected, "\(size)-byte buffer")
                XCTAssertEqual(sink.offsets, fromMemory.offsets, "\(size)-byte buffer")
            }
        }
    }

    // MARK: Errors

    func testErrorStatusCarriesErrorTypeAndText() {
        let error = readError(#"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:1: parse error"}"#)
        XCTAssertEqual(error?.kind, .apiError(errorType: "bad_data", error: #"invalid parameter "query": 1:1: parse error"#))
        XCTAssertEqual(error?.message.contains("bad_data"), true)
        XCTAssertEqual(error?.message.contains("parse error"), true)

        let late = readError(#"{"error":"timeout","data":null,"errorType":"timeout","status":"error"}"#)
        XCTAssertEqual(late?.kind, .apiError(errorType: "timeout", error: "timeout"))
    }

    func testOtherResultTypesAreRejectedWithAHint() {
        let message = "expected resultType matrix (a query_range result), got vector: export with /api/v1/query_range"
        let vector = readError(#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"1"]}]}}"#)
        XCTAssertEqual(vector?.kind, .wrongResultType("vector"))
        XCTAssertEqual(vector?.message, message)
        XCTAssertEqual(vector?.offset, 28)

        let vectorResultFirst = readError(#"{"status":"success","data":{"result":[{"metric":{},"value":[1,"1"]}],"resultType":"vector"}}"#)
        XCTAssertEqual(vectorResultFirst?.kind, .wrongResultType("vector"))
        XCTAssertEqual(vectorResultFirst?.message, message)

        let scalarResultFirst = readError(#"{"status":"success","data":{"result":[1435781451.781,"1"],"resultType":"scalar"}}"#)
        XCTAssertEqual(scalarResultFirst?.kind, .wrongResultType("scalar"))

        let string = readError(#"{"status":"success","data":{"resultType":"string","result":[1,"x"]}}"#)
        XCTAssertEqual(string?.kind, .wrongResultType("string"))
    }

    func testUnexpectedShapesSayWhatWasExpectedAndWhere() {
        let cases: [(String, String, Int)] = [
            ("[]", "expected a JSON object", 0),
            (#"{"status":"success"}"#, #"no "data" member"#, 19),
            (#"{"data":{"resultType":"matrix","result":[]}}"#, #"no "status" member"#, 43),
            (#"{"status":"maybe","data":{"resultType":"matrix","result":[]}}"#, #""status" to be "success" or "error""#, 0),
            (#"{"status":"success","data":[]}"#, #"expected "data" to be an object, found '['"#, 27),
            (#"{"status":"success","data":{"resultType":"matrix"}}"#, #"no "result" member"#, 49),
            (#"{"status":"success","data":{"result":[]}}"#, #"no "resultType" member"#, 39),
            (#"{"status":"success","data":{"resultType":"matrix","result":{}}}"#, #"expected "result" to be an array of series, found '{'"#, 59),
            (#"{"status":"success","data":{"resultType":"matrix","result":[1]}}"#, "expected a series object", 60),
            (#"{"status":"success","data":{"result":[[1,"1"]],"resultType":"matrix"}}"#, "expected a series object", 38),
            (#"{"status":"success","data":{"resultType":"matrix","result":[{"values":[]}]}}"#, #"a series has no "metric" member"#, 60),
            (#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":1}}]}}"#, #"expected label "a" to have a string value, found a number"#, 75),
            (#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":{}}]}}"#, #"expected "values" to be an array"#, 82),
            (#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[1]}]}}"#, "expected a [timestamp, \"value\"] pair", 83),
            (#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[["1","1"]]}]}}"#, "expected a numeric timestamp", 84),
            (#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,1]]}]}}"#, "expected the sample value as a string", 86),
            (#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1]]}]}}"#, "expected the sample value as a string", 85),
            (#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1",2]]}]}}"#, "a sample is a 2-element", 90),
        ]
        for (text, fragment, offset) in cases {
            guard let error = readError(text) else { continue }
            XCTAssertEqual(error.kind, .unexpectedShape, "\(text): \(error)")
            XCTAssertTrue(error.message.contains(fragment), "\(text): \(error.message)")
            XCTAssertEqual(error.offset, offset, "\(text): \(error)")
        }
    }

    func testUnrepresentableSamples() throws {
        // A time beyond Int64 milliseconds reads as one outside every supported date (the
        // loader ignores it with a warning), not an error.
        let huge = try read(#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1e300,"1"],[-1e300,"1"]]}]}}"#)
        XCTAssertEqual(huge.events, [.begin([:]), .sample(.max, PrometheusValue(1)), .sample(.min, PrometheusValue(1)), .end])
        let value = readError(#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"up"]]}]}}"#)
        XCTAssertEqual(value?.kind, .invalidSample)
        XCTAssertEqual(value?.message.contains("\"up\""), true)
    }

    func testSyntaxAndIOErrorsKeepTheirJSONKind() {
        let syntax = readError(#"{"status":"success","data":{"resultType":"matrix","result":[,]}}"#)
        XCTAssertEqual(syntax?.kind, .json(.unexpectedCharacter))
        XCTAssertEqual(syntax?.offset, 60)
        let trailing = readError(#"{"status":"success","data":{"resultType":"matrix","result":[]}} x"#)
        XCTAssertEqual(trailing?.kind, .json(.trailingData))

        var sink = RecordingSink()
        XCTAssertThrowsError(try PrometheusMatrixReader().read(contentsOfFile: "/nonexistent/yourict/prometheus.json", into: &sink)) { error in
            guard case .json(.io)? = (error as? PrometheusReadError)?.kind else {
                return XCTFail("expected an I/O error, got \(error)")
            }
        }
    }
}
