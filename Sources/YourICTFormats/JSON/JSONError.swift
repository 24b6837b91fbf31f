/// A syntax, limit or I/O error from `JSONPullReader`.
///
/// Errors are plain values carrying the absolute byte offset where the problem
/// was detected; turning that into a line and column is deferred to
/// `JSONSourceLocation` because it needs the input again and is only wanted
/// when the error is shown to a person.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The input ended inside a value, or contained no value at all.
        case unexpectedEndOfInput
        /// A byte that cannot start or continue the expected piece of syntax.
        case unexpectedCharacter
        /// A number that breaks the RFC 8259 grammar (leading zero, `1.`, `-`, …).
        case invalidNumber
        /// A raw control character, a bad escape or an unpaired surrogate escape in a string.
        case invalidString
        /// A byte sequence inside a string that is not well-formed UTF-8.
        case invalidUTF8
        /// Containers nested deeper than the reader's `maxDepth`.
        case depthLimitExceeded
        /// Something other than whitespace after the top-level value.
        case trailingData
        /// The caller asked for something the current position cannot provide,
        /// such as `skipValue()` where the next token closes a container.
        case invalidUse
        /// `open` or `read` failed with this `errno`.
        case io(errno: Int32)
    }

    public var kind: Kind
    /// Human-readable explanation, phrased as what was expected and what was found.
    public var message: String
    /// Zero-based byte offset into the whole input (not into the current buffer).
    public var offset: Int

    public init(_ kind: Kind, _ message: String, offset: Int) {
        self.kind = kind
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) (at byte \(offset))" }
}
