import YourICTFormats

/// Why a Prometheus response could not be read, with the byte offset of the
/// offending input so `JSONSourceLocation` can turn it into a line and column.
public struct PrometheusReadError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Not valid JSON, or the input could not be read; see `JSONError`.
        case json(JSONError.Kind)
        /// Prometheus answered `"status":"error"`.
        case apiError(errorType: String, error: String)
        /// A valid response to a different kind of query.
        case wrongResultType(String)
        /// Valid JSON that does not have the shape of a `query_range` response.
        case unexpectedShape
        /// A sample whose timestamp or value cannot be represented.
        case invalidSample
    }

    public var kind: Kind
    public var message: String
    /// Zero-based byte offset into the input.
    public var offset: Int

    public init(_ kind: Kind, _ message: String, offset: Int) {
        self.kind = kind
        self.message = message
        self.offset = offset
    }

    init(_ error: JSONError) {
        self.init(.json(error.kind), error.message, offset: error.offset)
    }

    public var description: String { "\(message) (at byte \(offset))" }
}
