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
        let reader: JSONPullReader
        do {
            reader = try JSONPullReader(contentsOfFile: path, bufferSize: bufferSize)
        } catch {
            throw PrometheusReadError(error)
        }
        try read(from: reader, into: &sink)
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
        try parser.parseResponse(into: &sink)
    }
}

extension PrometheusMatrixReader {
    /// The recursive-descent walk over the response. It owns the token reader
    /// and the little state that crosses levels: the result type (which may
    /// arrive after the result) and the buffer for early `values`.
    private struct Parser: ~Copyable {
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

        mutating func parseResponse<Sink: PrometheusSampleSink>(into sink: inout Sink) throws(PrometheusReadError) {
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
                    sawData = try parseData(into: &sink)
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
        private mutating func parseData<Sink: PrometheusSampleSink>(into sink: inout Sink) throws(PrometheusReadError) -> Bool {
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
                    try parseResult(into: &sink)
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

        private mutating func parseResult<Sink: PrometheusSampleSink>(into sink: inout Sink) throws(PrometheusReadError) {
            let open = try next()
            guard open == .beginArray else { throw shape("expected \"result\" to be an array of series, found \(open)") }
            while true {
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
            case .timestampOutOfRange:
                PrometheusReadError(.invalidSample, "timestamp \(reader.currentNumberText ?? "") is out of range", offset: reader.tokenOffset)
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
