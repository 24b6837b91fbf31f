
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
