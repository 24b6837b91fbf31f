import Foundation
import Synchronization
import YourICTFormats

/// Streams the series of a Prometheus `/api/v1/query_range` response into a
/// `PrometheusSampleSink`:
///
///     {"status":"success","data":{"resultType":"matrix","result":[
///       {"metric":{"__name__":"probe_success","instance":"https://x"},
///        "values":[[1732579200,"1"],[1732579260,"0"]]}]}}
///
/// Members may come in any order at every level and unknown members
/// (`warnings`, `infos`, `stats`, native-histogram `histograms`, …) are
/// skipped, because the JSON object model promises no order and Prometheus
/// versions differ in what they add.
///
/// Memory stays flat: samples go straight to the sink. The one exception is a
/// series whose `values` precede its `metric`; the sink needs the labels
/// first, so that series' samples are buffered until `metric` arrives.
///
/// Errors: `"status":"error"` bodies become `.apiError` carrying Prometheus'
/// `errorType` and `error`; instant-query results (`vector`, `scalar`,
/// `string`) become `.wrongResultType`; any other unexpected shape becomes
/// `.unexpectedShape` with a message saying what was expected and the byte
/// offset where it was not found. Because the status may come last, series
/// can reach the sink before an error is thrown, and a malformed `data`
/// member before a late `"status":"error"` is reported as a shape error.
public struct PrometheusMatrixReader: Sendable {
    /// Chunk size for file input.
    public var bufferSize: Int

    public init(bufferSize: Int = 1 << 20) {
        self.bufferSize = bufferSize
    }

    /// Reads a response body from a file without loading it into memory.
    public func read<Sink: PrometheusSampleSink>(
        contentsOfFile path: String,
        into sink: inout Sink
    ) throws(PrometheusReadError) {
        try read(from: openFile(path), into: &sink)
    }

    private func openFile(_ path: String) throws(PrometheusReadError) -> JSONPullReader {
        do {
            return try JSONPullReader(contentsOfFile: path, bufferSize: bufferSize)
        } catch {
            throw PrometheusReadError(error)
        }
    }

    /// Reads a response body held in memory.
    public func read<Sink: PrometheusSampleSink>(
        bytes: some Collection<UInt8>,
        into sink: inout Sink
    ) throws(PrometheusReadError) {
        try read(from: JSONPullReader(bytes: bytes), into: &sink)
    }

    /// Reads a response body from a reader the caller configured (for example
    /// over borrowed memory); the reader must not have been advanced yet.
    public func read<Sink: PrometheusSampleSink>(
        from reader: consuming JSONPullReader,
        into sink: inout Sink
    ) throws(PrometheusReadError) {
        var parser = Parser(reader: reader)
        try parser.parseResponse(into: &sink, split: nil)
    }
}

/// A sink that can take the series of a file read in parts, by several readers at
/// once, each into a sink of its own.
public protocol PrometheusPartSink: PrometheusSampleSink, Sendable {
    /// An empty sink that treats series as this one does.
    func emptyPart() -> Self
    /// Takes `part`'s series after this one's: the sink is then what one sink would
    /// be after reading both parts in order.
    mutating func append(part: consuming Self)
}

extension PrometheusMatrixReader {
    /// Reads a file on up to `parts` cores: the first reader reads the document as
    /// `read(contentsOfFile:into:)` does while the others each read a run of series
    /// further on, beginning where a series begins (`},{"metric":{`, as Prometheus
    /// and VictoriaMetrics write it). Where the first reader reaches the second
    /// part, it takes the others' series and goes on after them.
    ///
    /// The result is the same as reading alone, by construction: a part is used only
    /// if the first reader arrives exactly at its start right after a series of
    /// `result` (so the part starts as that reader would go on), and only if it held
    /// nothing but series objects up to the next part or the end of `result`; in
    /// every other case (a split that was not a series boundary, any error or
    /// unusual shape in a part) the first reader reads that part itself, and its
    /// messages are the usual ones. A file smaller than `minimumPartSize` per part is
    /// read by one reader.
    public func read<Sink: PrometheusPartSink>(
        contentsOfFile path: String,
        into sink: inout Sink,
        parts: Int,
        minimumPartSize: Int = 4 << 20
    ) throws(PrometheusReadError) {
        let size = Self.fileSize(path)
        let count = Swift.min(parts, size / Swift.max(1, minimumPartSize))
        let starts = count > 1 ? Self.seriesStarts(inFile: path, size: size, parts: count) : []
        if starts.isEmpty { return try read(contentsOfFile: path, into: &sink) }

        let readers = starts.indices.map { i in
            PartReader(path: path, start: starts[i], nextStart: i + 1 < starts.count ? starts[i + 1] : nil,
                       bufferSize: bufferSize, sink: sink.emptyPart())
        }
        // Every part is waited for whatever happens: none outlives the call.
        defer { for reader in readers { reader.wait() } }
        let split = PartSplit<Sink>(offset: starts[0]) { sink in
            var taken: [Sink] = []
            for reader in readers {
                guard let (part, end) = reader.result() else { return nil }
                taken.append(part)
                if case .endOfResult(let offset) = end {
                    for part in taken { sink.append(part: part) }
                    return offset
                }
            }
            return nil
        }
        var parser = Parser(reader: try openFile(path))
        try parser.parseResponse(into: &sink, split: split)
    }

    /// Where the parts begin, about `size / parts` apart: the `,` of a
    /// `},{"metric":{`, found by looking a few megabytes ahead of each even split.
    static func seriesStarts(inFile path: String, size: Int, parts: Int) -> [Int] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        let pattern = Array(#"},{"metric":{"#.utf8)
        let window = 4 << 20
        var starts: [Int] = []
        for i in 1..<parts {
            let from = Swift.max(size * i / parts, (starts.last ?? 0) + 1)
            guard (try? handle.seek(toOffset: UInt64(from))) != nil,
                  let data = try? handle.read(upToCount: window) else { break }
            guard let at = [UInt8](data).firstOffset(ofBytes: pattern) else { continue }
            starts.append(from + at + 1)
        }
        return starts
    }

    private static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }
}

/// How a part read by another reader ended.
enum PartEnd: Sendable {
    /// At the start of the next part.
    case nextPart
    /// At the `]` that ends `result`, at this offset.
    case endOfResult(Int)
}

/// Where the first of the other readers' parts begins, and how to take their series
/// into the first reader's sink: the offset of the `]` to go on at, or nil if the
/// first reader must read on itself.
struct PartSplit<Sink> {
    var offset: Int
    var take: (inout Sink) -> Int?
}

/// One part of a file, read on a thread of its own (a dedicated thread, so that
/// waiting for it can never starve a shared pool).
private final class PartReader<Sink: PrometheusPartSink>: Sendable {
    private let outcome = Mutex<(Sink, PartEnd)?>(nil)
    private let done = DispatchGroup()

    init(path: String, start: Int, nextStart: Int?, bufferSize: Int, sink: Sink) {
        done.enter()
        let thread = Thread { [self] in
            var sink = sink
            do {
                let reader = try JSONPullReader(contentsOfFile: path, elementsFrom: start, enclosingDepth: 3, bufferSize: bufferSize)
                var parser = PrometheusMatrixReader.Parser(reader: reader)
                let end = try parser.parsePart(into: &sink, nextPart: nextStart)
                self.outcome.withLock { $0 = (sink, end) }
            } catch {
                // The first reader reads this part itself and reports the problem.
            }
            self.done.leave()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    func wait() { done.wait() }

    /// What the part held, once it is read; nil if it could not be used.
    func result() -> (Sink, PartEnd)? {
        done.wait()
        return outcome.withLock { $0 }
    }
}

extension PrometheusMatrixReader {
    /// The recursive-descent walk over the response. It owns the token reader
    /// and the little state that crosses levels: the result type (which may
    /// arrive after the result) and the buffer for early `values`.
    fileprivate struct Parser: ~Copyable {
        package var reader: JSONPullReader
        /// `"matrix"` once `data.resultType` has been read; other types throw at once.
        var resultType: String?
        /// A `result` element that was not a series object, seen while the
        /// result type was still unknown. Thrown only if the type turns out to
        /// be `matrix`; otherwise the wrong-type error explains it better.
        var deferredShapeError: PrometheusReadError?
        /// Samples of the current series seen before its `metric`; reused.
        var earlySamples: [(timestampMillis: Int64, value: PrometheusValue, byteOffset: Int)] = []

        init(reader: consuming JSONPullReader) {
            self.reader = reader
        }

        // MARK: Levels of the response

        /// `split`: where the other readers of a file read in parts begin, and how to
        /// take what they read (see `read(contentsOfFile:into:parts:)`).
        mutating func parseResponse<Sink: PrometheusSampleSink>(into sink: inout Sink, split: PartSplit<Sink>?) throws(PrometheusReadError) {
            let first = try next()
            guard first == .beginObject else {
                throw shape("expected a JSON object (a Prometheus API response), found \(first)")
            }
            var status: String?
            var errorType = ""
            var errorText = ""
            var sawData = false
            while try nextKeyOrEndObject() {
                if reader.currentStringEquals("status") {
                    status = try stringValue(of: "status")
                } else if reader.currentStringEquals("data"), status != "error" {
                    sawData = try parseData(into: &sink, split: split)
                } else if reader.currentStringEquals("errorType") {
                    errorType = try stringValue(of: "errorType")
                } else if reader.currentStringEquals("error") {
                    errorText = try stringValue(of: "error")
                } else {
                    try skipValue()
                }
            }
            let endOffset = reader.tokenOffset
            _ = try next()  // `.end`; the reader throws on anything after the object
            switch status {
            case "success":
                guard sawData else { throw shape("the response has no \"data\" member", offset: endOffset) }
            case "error":
                throw PrometheusReadError(
                    .apiError(errorType: errorType, error: errorText),
                    "Prometheus returned an error (\(errorType.isEmpty ? "no errorType" : errorType)): \(errorText)",
                    offset: 0)
            case let other?:
                throw shape("expected \"status\" to be \"success\" or \"error\", found \"\(other)\"", offset: 0)
            case nil:
                throw shape("the response has no \"status\" member", offset: endOffset)
            }
        }

        /// Streams the `data` member; false if it is `null`, which error
        /// responses may send instead of omitting it.
        private mutating func parseData<Sink: PrometheusSampleSink>(into sink: inout Sink, split: PartSplit<Sink>?) throws(PrometheusReadError) -> Bool {
            let open = try next()
            if open == .null { return false }
            guard open == .beginObject else { throw shape("expected \"data\" to be an object, found \(open)") }
            var sawResult = false
            while try nextKeyOrEndObject() {
                if reader.currentStringEquals("resultType") {
                    let offset = reader.tokenOffset
                    let type = try stringValue(of: "resultType")
                    guard type == "matrix" else { throw wrongResultType(type, offset: offset) }
                    resultType = type
                    if let deferredShapeError { throw deferredShapeError }
                } else if reader.currentStringEquals("result") {
                    sawResult = true
                    try parseResult(into: &sink, split: split)
                } else {
                    try skipValue()
                }
            }
            if resultType == nil {
                throw deferredShapeError ?? shape("\"data\" has no \"resultType\" member")
            }
            guard sawResult else { throw shape("\"data\" has no \"result\" member") }
            return true
        }

        private mutating func parseResult<Sink: PrometheusSampleSink>(into sink: inout Sink, split: PartSplit<Sink>?) throws(PrometheusReadError) {
            let open = try next()
            guard open == .beginArray else { throw shape("expected \"result\" to be an array of series, found \(open)") }
            // The other readers' parts are taken once, where the first of them begins;
            // a reader that never lands there reads on alone.
            var split = reader.depth == 3 ? split : nil
            while true {
                if let part = split, reader.offset >= part.offset {
                    split = nil
                    if reader.offset == part.offset, let end = part.take(&sink) {
                        do { try reader.resume(at: end) } catch { throw PrometheusReadError(error) }
                    }
                }
                let token = try next()
                if token == .endArray { return }
                guard token == .beginObject else {
                    let error = shape("expected a series object {\"metric\":{…},\"values\":[…]} in \"result\", found \(token)")
                    guard resultType == nil else { throw error }
                    deferredShapeError = error
                    try skipRestOfArray(after: token)
                    return
                }
                try parseSeries(into: &sink)
            }
        }

        /// For a reader of one part of a file: the series from its start up to where
        /// the next part begins (`nextPart`) or, in the last part, to the `]` that ends
        /// `result`. Anything but series objects throws: the reader of the whole
        /// document then reads that part itself and says what is wrong.
        mutating func parsePart<Sink: PrometheusSampleSink>(into sink: inout Sink, nextPart: Int?) throws(PrometheusReadError) -> PartEnd {
            var nextPart = nextPart
            while true {
                if let next = nextPart, reader.offset >= next {
                    if reader.offset == next { return .nextPart }
                    nextPart = nil
                }
                let token = try next()
                if token == .endArray { return .endOfResult(reader.tokenOffset) }
                guard token == .beginObject else { throw shape("expected a series object in \"result\", found \(token)") }
                try parseSeries(into: &sink)
            }
        }

        private mutating func parseSeries<Sink: PrometheusSampleSink>(into sink: inout Sink) throws(PrometheusReadError) {
            let seriesOffset = reader.tokenOffset
            var began = false
            while try nextKeyOrEndObject() {
                if reader.currentStringEquals("values") {
                    try parseSamples(into: &sink, buffering: !began)
                } else if reader.currentStringEquals("metric") {
                    guard !began else { throw shape("a series has a second \"metric\" member") }
                    sink.beginSeries(labels: try parseLabels())
                    began = true
                    for sample in earlySamples {
                        sink.sample(timestampMillis: sample.timestampMillis, value: sample.value, byteOffset: sample.byteOffset)
                    }
                    earlySamples.removeAll(keepingCapacity: true)
                } else if reader.currentStringEquals("value"), resultType == nil {
                    throw wrongResultType("vector", offset: reader.tokenOffset)
                } else {
                    try skipValue()
                }
            }
            guard began else { throw shape("a series has no \"metric\" member", offset: seriesOffset) }
            sink.endSeries()
        }

        private mutating func parseLabels() throws(PrometheusReadError) -> [String: String] {
            let open = try next()
            guard open == .beginObject else {
                throw shape("expected \"metric\" to be an object of label names and values, found \(open)")
            }
            var labels: [String: String] = [:]
            while try nextKeyOrEndObject() {
                let name = reader.currentString()
                let value = try next()
                guard value == .string else { throw shape("expected label \"\(name)\" to have a string value, found \(value)") }
                labels[name] = reader.currentString()
            }
            return labels
        }

        /// The hot loop, one `[timestamp, "value"]` pair per sample, is the reader's
        /// (`JSONPullReader.readPrometheusValues`); here its problems become messages.
        private mutating func parseSamples<Sink: PrometheusSampleSink>(
            into sink: inout Sink,
            buffering: Bool
        ) throws(PrometheusReadError) {
            do {
                if buffering {
                    var early: [(timestampMillis: Int64, value: PrometheusValue, byteOffset: Int)] = []
                    try reader.readPrometheusValues { early.append(($0, $1, $2)) }
                    earlySamples.append(contentsOf: early)
                } else {
                    try reader.readPrometheusValues { sink.sample(timestampMillis: $0, value: $1, byteOffset: $2) }
                }
            } catch {
                throw describe(error)
            }
        }

        private func describe(_ error: PrometheusValuesError) -> PrometheusReadError {
            switch error {
            case .syntax(let error):
                PrometheusReadError(error)
            case .notAnArray(let found):
                shape("expected \"values\" to be an array of [timestamp, \"value\"] pairs, found \(found)")
            case .notAPair(let found):
                shape("expected a [timestamp, \"value\"] pair in \"values\", found \(found)")
            case .timestampNotANumber(let found):
                shape("expected a numeric timestamp (seconds) as the first element of a sample, found \(found)")
            case .valueNotAString(let found):
                shape("expected the sample value as a string such as \"1\" as the second element of a sample, found \(found)")
            case .valueNotANumber:
                PrometheusReadError(.invalidSample, "sample value \"\(reader.currentString())\" is not a number", offset: reader.tokenOffset)
            case .pairNotClosed(let found):
                shape("expected ']' after the value: a sample is a 2-element [timestamp, \"value\"] array, found \(found)")
            }
        }

        // MARK: Token helpers

        private mutating func next() throws(PrometheusReadError) -> JSONToken {
            do {
                return try reader.next()
            } catch {
                throw PrometheusReadError(error)
            }
        }

        private mutating func skipValue() throws(PrometheusReadError) {
            do {
                try reader.skipValue()
            } catch {
                throw PrometheusReadError(error)
            }
        }

        /// Inside an object: true on a key, false on the closing brace (the
        /// reader guarantees nothing else can come).
        private mutating func nextKeyOrEndObject() throws(PrometheusReadError) -> Bool {
            try next() == .key
        }

        private mutating func stringValue(of member: String) throws(PrometheusReadError) -> String {
            let token = try next()
            guard token == .string else { throw shape("expected \"\(member)\" to be a string, found \(token)") }
            return reader.currentString()
        }

        /// Skips to the `]` that closes the array `token` was an element of.
        private mutating func skipRestOfArray(after token: JSONToken) throws(PrometheusReadError) {
            var open = token == .beginArray || token == .beginObject ? 1 : 0
            while true {
                switch try next() {
                case .beginArray, .beginObject:
                    open += 1
                case .endArray, .endObject:
                    if open == 0 { return }
                    open -= 1
                default:
                    break
                }
            }
        }

        // MARK: Errors

        private func shape(_ message: String, offset: Int? = nil) -> PrometheusReadError {
            PrometheusReadError(.unexpectedShape, message, offset: offset ?? reader.tokenOffset)
        }

        private func wrongResultType(_ type: String, offset: Int) -> PrometheusReadError {
            PrometheusReadError(
                .wrongResultType(type),
                "expected resultType matrix (a query_range result), got \(type): export with /api/v1/query_range",
                offset: offset)
        }
    }
}
