
/// One Prometheus sample value.
///
/// The HTTP API sends sample values as JSON strings (`"1"`, `"0.25"`, `"NaN"`,
/// `"+Inf"`) because JSON numbers cannot express NaN or the infinities.
/// Equality treats NaN as equal to NaN, because here NaN is a data value
/// (e.g. a failed computation in a recording rule) and not an error.
public struct PrometheusValue: Sendable, Equatable, CustomStringConvertible {
    public var doubleValue: Double

    public init(_ doubleValue: Double) {
        self.doubleValue = doubleValue
    }

    /// Parses the text of a sample value. `"1"` and `"0"` are checked first:
    /// they are all that `up` and `probe_success` ever report. Other values
    /// accept the decimal forms Go's `strconv.FormatFloat` produces plus
    /// `NaN`, `+Inf`, `-Inf` and `Inf`. Returns nil for anything else.
    public init?(text: UnsafeBufferPointer<UInt8>) {
        if text.count == 1 {
            if text[0] == UInt8(ascii: "1") { self.init(1); return }
            if text[0] == UInt8(ascii: "0") { self.init(0); return }
        }
        if let value = JSONNumberParsing.double(text) {
            self.init(value)
        } else if text.elementsEqual("NaN".utf8) {
            self.init(.nan)
        } else if text.elementsEqual("+Inf".utf8) || text.elementsEqual("Inf".utf8) {
            self.init(.infinity)
        } else if text.elementsEqual("-Inf".utf8) {
            self.init(-.infinity)
        } else {
            return nil
        }
    }

    public static func == (lhs: PrometheusValue, rhs: PrometheusValue) -> Bool {
        lhs.doubleValue == rhs.doubleValue || (lhs.doubleValue.isNaN && rhs.doubleValue.isNaN)
    }

    public var description: String { doubleValue.description }
}

/// Why `JSONPullReader.readPrometheusValues` stopped before the end of the array. The
/// reader is left on the token at fault: its `tokenOffset`, `currentNumberText` and
/// `currentString()` tell the rest.
public enum PrometheusValuesError: Error, Sendable {
    /// The JSON itself is malformed.
    case syntax(JSONError)
    /// `values` is not an array.
    case notAnArray(found: JSONToken)
    /// An element of `values` is not an array.
    case notAPair(found: JSONToken)
    case timestampNotANumber(found: JSONToken)
    case valueNotAString(found: JSONToken)
    /// The value is a string that is not a sample value (`PrometheusValue(text:)`).
    case valueNotANumber
    /// A third element, or anything else where the pair's `]` should be.
    case pairNotClosed(found: JSONToken)
}

extension JSONPullReader {
    /// Reads the `values` array of a Prometheus `query_range` series, the reader being
    /// on the key `values`: `[[1732579200, "1"], …]`, calling `sample` with each
    /// pair's time in Unix milliseconds, its value and the byte offset of its `[`.
    ///
    /// This is the hot loop of monitoring ingestion, hundreds of millions of tokens. It
    /// lives here so that the tokens are read and compared inside this module, where
    /// the compiler inlines the reader: from another module, each token and accessor is
    /// a call that copies the reader.
    public mutating func readPrometheusValues(
        _ sample: (_ timestampMillis: Int64, _ value: PrometheusValue, _ byteOffset: Int) -> Void
    ) throws(PrometheusValuesError) {
        let open = try nextToken()
        guard case .beginArray = open else { throw .notAnArray(found: open) }
        while true {
            let pairStart = try nextToken()
            if case .endArray = pairStart { return }
            guard case .beginArray = pairStart else { throw .notAPair(found: pairStart) }
            let byteOffset = tokenOffset
            let time = try nextToken()
            guard case .number = time else { throw .timestampNotANumber(found: time) }
            // A time beyond what milliseconds hold in `Int64` (1e400, year 300 million) is
            // passed on at the end of the range, outside every supported date: the caller
            // ignores it with the other out-of-range samples, as the format's docs say.
            let timestampMillis = currentTimestampMillis() ?? ((currentNumberText ?? "").hasPrefix("-") ? Int64.min : Int64.max)
            let text = try nextToken()
            guard case .string = text else { throw .valueNotAString(found: text) }
            // Read in place when unescaped (a value always is, in practice): a call
            // to a non-mutating accessor that is not inlined copies the reader.
            guard let value = stringHasEscapes ? currentPrometheusValue() : PrometheusValue(text: rawContent) else {
                throw .valueNotANumber
            }
            let pairEnd = try nextToken()
            guard case .endArray = pairEnd else { throw .pairNotClosed(found: pairEnd) }
            sample(timestampMillis, value, byteOffset)
        }
    }

    private mutating func nextToken() throws(PrometheusValuesError) -> JSONToken {
        do {
            return try next()
        } catch {
            throw .syntax(error)
        }
    }
}
