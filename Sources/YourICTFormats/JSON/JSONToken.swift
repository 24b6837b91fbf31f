/// One event produced by `JSONPullReader.next()`.
///
/// Tokens carry no payload except for booleans: the text of keys, strings and
/// numbers stays in the reader's buffer and is read through the reader's
/// `current…` accessors, so producing a token never allocates.
public enum JSONToken: Sendable, Hashable {
    case beginObject
    case endObject
    case beginArray
    case endArray
    /// An object member name; the reader's string accessors apply to it.
    case key
    case string
    case number
    case bool(Bool)
    case null
    /// The single top-level value is complete and only whitespace followed it.
    case end

    /// Written out and inlinable rather than derived: readers in other modules compare
    /// tokens several times per sample, and the derived `==` is a call there.
    @inlinable
    public static func == (lhs: JSONToken, rhs: JSONToken) -> Bool {
        switch (lhs, rhs) {
        case (.beginObject, .beginObject), (.endObject, .endObject), (.beginArray, .beginArray), (.endArray, .endArray),
             (.key, .key), (.string, .string), (.number, .number), (.null, .null), (.end, .end):
            return true
        case (.bool(let a), .bool(let b)):
            return a == b
        default:
            return false
        }
    }
}

extension JSONToken: CustomStringConvertible {
    /// Phrased for error messages ("expected X, found a number").
    public var description: String {
        switch self {
        case .beginObject: "'{'"
        case .endObject: "'}'"
        case .beginArray: "'['"
        case .endArray: "']'"
        case .key: "an object key"
        case .string: "a string"
        case .number: "a number"
        case .bool(let value): value ? "true" : "false"
        case .null: "null"
        case .end: "the end of the document"
        }
    }
}
