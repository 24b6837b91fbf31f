/// A strict (RFC 8259) streaming JSON reader that hands out one token per
/// `next()` call and never builds a document tree.
///
/// Why a pull reader: monitoring exports are hundreds of megabytes of
/// `[timestamp, "value"]` pairs, and the consumer only wants to fold them into
/// aggregates. Pulling tokens keeps memory flat (see `JSONInputBuffer`) and
/// lets the consumer skip what it does not need.
///
/// Validation happens while scanning, so every token returned is known to be
/// well-formed: structure (commas, colons, nesting, exactly one top-level
/// value), the number grammar, string escapes, surrogate pairing and UTF-8.
/// Unpaired surrogate escapes (`"\uD800"`) are rejected, not replaced, so a
/// decoded string always round-trips. A leading byte order mark is rejected.
///
/// The text of the current key, string or number stays in the input buffer
/// and is only valid until the next call to `next()` or `skipValue()`; read it
/// with the `current…` accessors. After any thrown error the reader is in an
/// unspecified state and must be discarded.
///
/// The reader is iterative and keeps container kinds in a fixed array of
/// `maxDepth` entries, so hostile nesting ends in `.depthLimitExceeded`, never
/// in a stack overflow. It is non-copyable because it owns its buffers and,
/// for file input, the file descriptor.
public struct JSONPullReader: ~Copyable, @unchecked Sendable {
    /// Deep enough for any real document, shallow enough that the container
    /// stack is tiny.
    public static let defaultMaxDepth = 512

    private enum State: UInt8 {
        case topLevel
        case firstKeyOrEnd
        case firstElementOrEnd
        case colon
        case afterValue
        case finished
    }

    /// Read by the accessors in `JSONPullReader+Values.swift`.
    private(set) var input: JSONInputBuffer
    private var state = State.topLevel
    /// `isObject` flag per open container; `maxDepth` entries.
    private let containerIsObject: UnsafeMutablePointer<Bool>
    /// Number of containers currently open.
    public private(set) var depth = 0
    public let maxDepth: Int

    /// The token most recently returned by `next()`, nil before the first call.
    public private(set) var currentToken: JSONToken?
    /// Absolute byte offset of the first byte of `currentToken` (the opening
    /// quote for keys and strings).
    public private(set) var tokenOffset = 0
    /// Buffer indices of the current string's contents (between the quotes)
    /// or of the current number's text.
    private(set) var contentStart = 0
    private(set) var contentEnd = 0
    /// Whether the current string contains backslash escapes; when false its
    /// raw bytes are already the decoded UTF-8.
    private(set) var stringHasEscapes = false
    /// The current number's value when it is an integer of at most 18 digits
    /// without fraction or exponent, computed while scanning.
    private(set) var exactInteger: Int64?

    // MARK: - Creating a reader

    /// Reads an in-memory document. The bytes are copied once, so the reader
    /// does not depend on the lifetime of `bytes`; for large documents prefer
    /// `init(contentsOfFile:)`, which keeps memory flat.
    public init(bytes: some Collection<UInt8>, maxDepth: Int = JSONPullReader.defaultMaxDepth) {
        self.init(input: JSONInputBuffer(copying: bytes), maxDepth: maxDepth)
    }

    /// Reads caller memory without copying. The memory must stay valid and
    /// unchanged for as long as the reader is used, typically by creating and
    /// using the reader inside `withUnsafeBytes`.
    public init(unsafeBytes bytes: UnsafeRawBufferPointer, maxDepth: Int = JSONPullReader.defaultMaxDepth) {
        self.init(input: JSONInputBuffer(borrowing: bytes), maxDepth: maxDepth)
    }

    /// Reads a file in chunks of `bufferSize` bytes with POSIX `read`, so only
    /// about one chunk is resident however big the file is. A single token
    /// larger than the chunk grows the buffer to fit it.
    public init(
        contentsOfFile path: String,
        bufferSize: Int = 1 << 20,
        maxDepth: Int = JSONPullReader.defaultMaxDepth
    ) throws(JSONError) {
        self.init(input: try JSONInputBuffer(contentsOfFile: path, chunkSize: bufferSize), maxDepth: maxDepth)
    }

    private init(input: consuming JSONInputBuffer, maxDepth: Int) {
        precondition(maxDepth > 0, "maxDepth must be positive")
        self.input = input
        self.maxDepth = maxDepth
        containerIsObject = .allocate(capacity: maxDepth)
    }

    deinit {
        containerIsObject.deallocate()
    }

    // MARK: - Reading a file in parts

    /// A reader for the part of a document that begins at `offset` inside an array
    /// whose elements are being read, right after one of them (at the `,` or
    /// whitespace before the next): what a reader of the whole document would see
    /// there, `enclosingDepth` containers deep counting the array. It reads the
    /// elements from there; its `.endArray` is the array's end, after which it must
    /// not be asked for more. Offsets are absolute, so messages point into the file.
    ///
    /// With `resume(at:)` this lets several readers share one large file: each reads
    /// a part, and the reader of the whole document skips the parts the others read.
    /// Its nesting limit counts the enclosing containers, so it refuses exactly what
    /// the reader of the whole document would.
    public init(
        contentsOfFile path: String,
        elementsFrom offset: Int,
        enclosingDepth: Int,
        bufferSize: Int = 1 << 20,
        maxDepth: Int = JSONPullReader.defaultMaxDepth
    ) throws(JSONError) {
        precondition(enclosingDepth >= 1 && enclosingDepth < maxDepth, "enclosingDepth out of range")
        var input = try JSONInputBuffer(contentsOfFile: path, chunkSize: bufferSize)
        try input.seek(to: offset)
        self.init(input: input, maxDepth: maxDepth - enclosingDepth + 1)
        enterArray()
    }

    private mutating func enterArray() {
        containerIsObject[0] = false
        depth = 1
        state = .afterValue
    }

    /// The absolute offset of the next byte the reader will scan: right after the
    /// current token (or after the whitespace before it, at the start).
    public var offset: Int { absolutePosition }

    /// Goes on at `offset` in the current array, as if every byte from `self.offset`
    /// up to there had been read: for a reader whose next part another reader
    /// (`init(contentsOfFile:elementsFrom:enclosingDepth:)`) has read and validated,
    /// `offset` being where that one found the array's `]`. Only right after an
    /// element of an array.
    public mutating func resume(at offset: Int) throws(JSONError) {
        precondition(state == .afterValue && depth > 0 && !containerIsObject[depth - 1], "resume(at:) outside an array")
        precondition(offset >= absolutePosition, "resume(at:) goes back")
        try input.seek(to: offset)
    }

    // MARK: - Reading tokens

    /// Returns the next token, validating it and its position in the
    /// structure. After `.end` every further call returns `.end` again.
    public mutating func next() throws(JSONError) -> JSONToken {
        let token: JSONToken
        switch state {
        case .afterValue: token = try readAfterValue()
        case .firstElementOrEnd: token = try readFirstElement()
        case .colon: token = try readAfterKey()
        case .firstKeyOrEnd: token = try readFirstKey()
        case .topLevel: token = try readTopLevel()
        case .finished: token = .end
        }
        currentToken = token
        return token
    }

    /// Consumes the next value whole, whatever its nesting, validating it as
    /// it goes. Call it where a value is expected: after a `.key`, in place of
    /// an array element, or at the top level. Anywhere else (the next token
    /// would be a key or close a container) it throws `.invalidUse`.
    public mutating func skipValue() throws(JSONError) {
        var open = 0
        repeat {
            switch try next() {
            case .beginObject, .beginArray:
                open += 1
            case .endObject, .endArray:
                guard open > 0 else { throw misuse("skipValue() found no value: the container ends here") }
                open -= 1
            case .key:
                guard open > 0 else { throw misuse("skipValue() found a key where a value was expected") }
            case .end:
                throw misuse("skipValue() found no value: the document has ended")
            case .string, .number, .bool, .null:
                break
            }
        } while open > 0
    }

    // MARK: - State handlers

    private mutating func readTopLevel() throws(JSONError) -> JSONToken {
        guard let byte = try skipWhitespace() else {
            throw JSONError(.unexpectedEndOfInput, "empty document: expected a JSON value", offset: absolutePosition)
        }
        if byte == 0xEF {
            throw JSONError(.unexpectedCharacter, "a byte order mark is not allowed", offset: absolutePosition)
        }
        return try readValue(startingWith: byte)
    }

    private mutating func readFirstElement() throws(JSONError) -> JSONToken {
        guard let byte = try skipWhitespace() else { throw endOfInput("expected a value or ']'") }
        if byte == UInt8(ascii: "]") { return closeContainer(.endArray) }
        return try readValue(startingWith: byte)
    }

    private mutating func readFirstKey() throws(JSONError) -> JSONToken {
        guard let byte = try skipWhitespace() else { throw endOfInput("expected a string key or '}'") }
        if byte == UInt8(ascii: "}") { return closeContainer(.endObject) }
        guard byte == UInt8(ascii: "\"") else { throw unexpected(byte, expected: "a string key or '}'") }
        return try readKey()
    }

    private mutating func readAfterKey() throws(JSONError) -> JSONToken {
        guard let colon = try skipWhitespace() else { throw endOfInput("expected ':' after the key") }
        guard colon == UInt8(ascii: ":") else { throw unexpected(colon, expected: "':' after the key") }
        input.position += 1
        guard let byte = try skipWhitespace() else { throw endOfInput("expected a value after ':'") }
        return try readValue(startingWith: byte)
    }

    private mutating func readAfterValue() throws(JSONError) -> JSONToken {
        guard depth > 0 else {
            guard let byte = try skipWhitespace() else {
                state = .finished
                tokenOffset = absolutePosition
                return .end
            }
            throw JSONError(.trailingData, "unexpected \(describe(byte)) after the top-level value",
                            offset: absolutePosition)
        }
        let inObject = containerIsObject[depth - 1]
        guard let byte = try skipWhitespace() else {
            throw endOfInput(inObject ? "expected ',' or '}'" : "expected ',' or ']'")
        }
        if byte == UInt8(ascii: ",") {
            input.position += 1
            guard let next = try skipWhitespace() else {
                throw endOfInput(inObject ? "expected a string key after ','" : "expected a value after ','")
            }
            if inObject {
                guard next == UInt8(ascii: "\"") else {
                    if next == UInt8(ascii: "}") { throw trailingComma() }
                    throw unexpected(next, expected: "a string key after ','")
                }
                return try readKey()
            }
            if next == UInt8(ascii: "]") { throw trailingComma() }
            return try readValue(startingWith: next)
        }
        if inObject {
            guard byte == UInt8(ascii: "}") else { throw unexpected(byte, expected: "',' or '}' after an object member") }
            return closeContainer(.endObject)
        }
        guard byte == UInt8(ascii: "]") else { throw unexpected(byte, expected: "',' or ']' after an array element") }
        return closeContainer(.endArray)
    }

    @inline(__always)
    private mutating func readKey() throws(JSONError) -> JSONToken {
        tokenOffset = absolutePosition
        try scanString()
        state = .colon
        return .key
    }

    @inline(__always)
    private mutating func readValue(startingWith byte: UInt8) throws(JSONError) -> JSONToken {
        tokenOffset = absolutePosition
        switch byte {
        case UInt8(ascii: "\""):
            try scanString()
            state = .afterValue
            return .string
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
            try scanNumber()
            state = .afterValue
            return .number
        case UInt8(ascii: "["):
            try openContainer(isObject: false)
            state = .firstElementOrEnd
            return .beginArray
        case UInt8(ascii: "{"):
            try openContainer(isObject: true)
            state = .firstKeyOrEnd
            return .beginObject
        case UInt8(ascii: "t"):
            try scanLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try scanLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try scanLiteral("null")
            return .null
        default:
            throw unexpected(byte, expected: "a value")
        }
    }

    @inline(__always)
    private mutating func openContainer(isObject: Bool) throws(JSONError) {
        guard depth < maxDepth else {
            throw JSONError(.depthLimitExceeded, "nesting deeper than \(maxDepth) levels", offset: absolutePosition)
        }
        containerIsObject[depth] = isObject
        depth += 1
        input.position += 1
    }

    @inline(__always)
    private mutating func closeContainer(_ token: JSONToken) -> JSONToken {
        tokenOffset = absolutePosition
        depth -= 1
        input.position += 1
        state = .afterValue
        return token
    }

    // MARK: - Scanning

    /// Advances past whitespace and returns the next byte without consuming
    /// it, or nil at the end of the input.
    @inline(__always)
    private mutating func skipWhitespace() throws(JSONError) -> UInt8? {
        while true {
            let base = input.base
            let end = input.end
            var index = input.position
            while index < end {
                let byte = base[index]
                if byte > 0x20 || !(byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09) {
                    input.position = index
                    return byte
                }
                index += 1
            }
            input.position = index
            guard try input.refill(keepingFrom: index) else { return nil }
        }
    }

    /// Scans the string whose opening quote is at `input.position`, leaving
    /// its contents in `contentStart..<contentEnd`. Plain ASCII is handled
    /// inline; escapes, control characters and multi-byte UTF-8 go through
    /// `checkSpecialStringByte`. When the buffer runs out the scan resumes
    /// after a refill where it stopped, so a long string is scanned once;
    /// once the input is exhausted the rescan turns "need more" into errors.
    @inline(__always)
    private mutating func scanString() throws(JSONError) {
        var resumeOffset = 1
        var hasEscapes = false
        while true {
            let base = input.base
            let start = input.position
            let end = input.end
            var index = start + resumeOffset
            while index < end {
                let byte = base[index]
                if byte == UInt8(ascii: "\"") {
                    contentStart = start + 1
                    contentEnd = index
                    stringHasEscapes = hasEscapes
                    input.position = index + 1
                    return
                }
                if byte >= 0x20 && byte < 0x80 && byte != UInt8(ascii: "\\") {
                    index += 1
                    continue
                }
                let length = try checkSpecialStringByte(at: index)
                if length == 0 { break }
                hasEscapes = hasEscapes || byte == UInt8(ascii: "\\")
                index += length
            }
            // With the input exhausted the scan can only stop at its end:
            // a cut-off sequence has already been diagnosed.
            if input.isExhausted {
                throw JSONError(.unexpectedEndOfInput, "unterminated string", offset: input.windowOffset + start)
            }
            resumeOffset = index - start
            _ = try input.refill(keepingFrom: start)
        }
    }

    /// Validates the escape, control character or UTF-8 sequence at `index`
    /// inside a string and returns its length in bytes, or 0 when it may
    /// continue past the end of the buffer and more input could still come.
    @inline(never)
    private func checkSpecialStringByte(at index: Int) throws(JSONError) -> Int {
        let base = input.base
        let end = input.end
        let exhausted = input.isExhausted
        func byte(_ at: Int) -> UInt8 { at < end ? base[at] : 0 }
        /// Whether a sequence of `length` bytes at `index` is cut off by the buffer.
        func truncated(_ length: Int) -> Bool { !exhausted && index + length > end }
        func hex4(_ at: Int) -> UInt32? {
            var value: UInt32 = 0
            for offset in 0..<4 {
                let digit = byte(at + offset)
                switch digit {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | UInt32(digit &- 48)
                case UInt8(ascii: "a")...UInt8(ascii: "f"): value = value << 4 | UInt32(digit &- 87)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): value = value << 4 | UInt32(digit &- 55)
                default: return nil
                }
            }
            return value
        }
        let offset = input.windowOffset + index
        let lead = base[index]
        if lead == UInt8(ascii: "\\") {
            switch byte(index + 1) {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                 UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                return 2
            case UInt8(ascii: "u"):
                guard let unit = hex4(index + 2) else {
                    if truncated(6) { return 0 }
                    throw JSONError(.invalidString, "invalid \\u escape: expected four hex digits", offset: offset)
                }
                if (0xDC00...0xDFFF).contains(unit) {
                    throw JSONError(.invalidString, "unpaired low surrogate escape", offset: offset)
                }
                guard (0xD800...0xDBFF).contains(unit) else { return 6 }
                guard byte(index + 6) == UInt8(ascii: "\\"), byte(index + 7) == UInt8(ascii: "u"),
                      let low = hex4(index + 8), (0xDC00...0xDFFF).contains(low) else {
                    if truncated(12) { return 0 }
                    throw JSONError(.invalidString, "high surrogate escape not followed by a low surrogate escape",
                                    offset: offset)
                }
                return 12
            default:
                if truncated(2) { return 0 }
                throw JSONError(.invalidString, "invalid escape \\\(describeRaw(byte(index + 1)))", offset: offset)
            }
        }
        if lead < 0x20 {
            throw JSONError(.invalidString, "control character \(describeRaw(lead)) must be escaped in a string",
                            offset: offset)
        }
        func continuation(_ at: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool { range.contains(byte(at)) }
        let length: Int
        let valid: Bool
        switch lead {
        case 0xC2...0xDF:
            length = 2
            valid = continuation(index + 1)
        case 0xE0:
            length = 3
            valid = continuation(index + 1, 0xA0...0xBF) && continuation(index + 2)
        case 0xE1...0xEC, 0xEE...0xEF:
            length = 3
            valid = continuation(index + 1) && continuation(index + 2)
        case 0xED:
            length = 3
            valid = continuation(index + 1, 0x80...0x9F) && continuation(index + 2)
        case 0xF0:
            length = 4
            valid = continuation(index + 1, 0x90...0xBF) && continuation(index + 2) && continuation(index + 3)
        case 0xF1...0xF3:
            length = 4
            valid = continuation(index + 1) && continuation(index + 2) && continuation(index + 3)
        case 0xF4:
            length = 4
            valid = continuation(index + 1, 0x80...0x8F) && continuation(index + 2) && continuation(index + 3)
        default:
            length = 1
            valid = false
        }
        if valid { return length }
        if truncated(length) { return 0 }
        throw JSONError(.invalidUTF8, "invalid UTF-8 sequence starting with byte \(describeRaw(lead))", offset: offset)
    }

    /// Scans the number starting at `input.position`, leaving its text in
    /// `contentStart..<contentEnd`. A number touching the end of the buffer
    /// might continue in the next chunk, so it is rescanned after a refill.
    @inline(__always)
    private mutating func scanNumber() throws(JSONError) {
        while true {
            let start = input.position
            let scan = scanNumberGrammar(from: start)
            if scan.stop >= input.end, !input.isExhausted {
                _ = try input.refill(keepingFrom: start)
                continue
            }
            if let problem = scan.problem {
                throw JSONError(.invalidNumber, problem, offset: input.windowOffset + scan.stop)
            }
            contentStart = start
            contentEnd = scan.stop
            exactInteger = scan.exactInteger
            input.position = scan.stop
            return
        }
    }

    /// Matches `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` from `start`.
    /// Returns where the match stopped and, if the grammar was broken there,
    /// why. Bytes past the buffer read as 0, which ends any number.
    ///
    /// The integer value is accumulated in the same pass because the digit
    /// loop is latency-bound anyway, and it makes integer timestamps (the
    /// bulk of a Prometheus export) free to convert.
    @inline(__always)
    private func scanNumberGrammar(from start: Int) -> (stop: Int, problem: String?, exactInteger: Int64?) {
        let base = input.base
        let end = input.end
        func byte(_ at: Int) -> UInt8 { at < end ? base[at] : 0 }
        func digit(_ at: Int) -> UInt8 { byte(at) &- UInt8(ascii: "0") }
        var index = start
        let negative = byte(index) == UInt8(ascii: "-")
        if negative { index += 1 }
        let integerStart = index
        var magnitude: Int64 = 0
        let first = digit(index)
        if first == 0 {
            index += 1
            if digit(index) < 10 { return (index, "leading zeros are not allowed", nil) }
        } else if first < 10 {
            (index, magnitude) = Self.scanDigits(base, from: index, end: end)
        } else {
            return (index, "expected a digit", nil)
        }
        // 18 digits always fit in Int64; longer integers wrapped above.
        var exact: Int64? = index - integerStart <= 18 ? (negative ? -magnitude : magnitude) : nil
        if byte(index) == UInt8(ascii: ".") {
            exact = nil
            index += 1
            guard digit(index) < 10 else { return (index, "expected a digit after the decimal point", nil) }
            index += 1
            while digit(index) < 10 { index += 1 }
        }
        if byte(index) | 0x20 == UInt8(ascii: "e") {
            exact = nil
            index += 1
            if byte(index) == UInt8(ascii: "+") || byte(index) == UInt8(ascii: "-") { index += 1 }
            guard digit(index) < 10 else { return (index, "expected a digit in the exponent", nil) }
            index += 1
            while digit(index) < 10 { index += 1 }
        }
        return (index, nil, exact)
    }

    /// Consumes the run of decimal digits at `start` and returns where it
    /// ends with its value (wrapping past 18 digits). Eight bytes are
    /// classified and converted at once (SWAR) while they fit in the buffer:
    /// a 10-digit timestamp takes two steps instead of ten dependent ones.
    @inline(__always)
    private static func scanDigits(_ base: UnsafePointer<UInt8>, from start: Int, end: Int) -> (Int, Int64) {
        let ones: UInt64 = 0x0101_0101_0101_0101
        var index = start
        var value: Int64 = 0
        while end - index >= 8 {
            let chunk = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            // A byte is a digit iff its high nibble is 3 and adding 6 keeps it
            // 3. Carries only start at non-digits and only spoil later bytes.
            let nonDigits = ((chunk & (0xF0 &* ones)) ^ (0x30 &* ones))
                | (((chunk &+ (0x06 &* ones)) & (0xF0 &* ones)) ^ (0x30 &* ones))
            let count = nonDigits == 0 ? 8 : nonDigits.trailingZeroBitCount >> 3
            if count == 0 { break }
            // Shift the digits to the high end: the vacated low bytes read as
            // leading zeros. Then combine pairs, quads and octets of digits
            // (the first character is the least significant byte).
            var digits = (chunk &- (0x30 &* ones)) << UInt64(64 - 8 * count)
            digits = (digits &* 10 &+ (digits >> 8)) & 0x00FF_00FF_00FF_00FF
            digits = (digits &* 100 &+ (digits >> 16)) & 0x0000_FFFF_0000_FFFF
            digits = (digits &* 10_000 &+ (digits >> 32)) & 0x0000_0000_FFFF_FFFF
            value = value &* powersOfTen[count] &+ Int64(digits)
            index += count
            if count < 8 { return (index, value) }
        }
        while index < end {
            let digit = base[index] &- UInt8(ascii: "0")
            if digit >= 10 { break }
            value = value &* 10 &+ Int64(digit)
            index += 1
        }
        return (index, value)
    }

    /// 10^0 through 10^8, for appending a SWAR chunk of digits.
    private static let powersOfTen: [Int64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000]

    private mutating func scanLiteral(_ literal: StaticString) throws(JSONError) {
        let length = literal.utf8CodeUnitCount
        while input.end - input.position < length {
            guard try input.refill(keepingFrom: input.position) else { break }
        }
        let base = input.base
        let start = input.position
        let available = min(length, input.end - start)
        let expected = literal.utf8Start
        for index in 0..<available where base[start + index] != expected[index] {
            throw JSONError(.unexpectedCharacter, "invalid literal: expected \(literal)",
                            offset: input.windowOffset + start + index)
        }
        guard available == length else {
            throw JSONError(.unexpectedEndOfInput, "input ends inside \(literal)", offset: input.windowOffset + input.end)
        }
        input.position += length
        state = .afterValue
    }

    // MARK: - Errors

    private var absolutePosition: Int { input.windowOffset + input.position }

    private func endOfInput(_ expected: String) -> JSONError {
        JSONError(.unexpectedEndOfInput, "unexpected end of input: \(expected)", offset: absolutePosition)
    }

    private func trailingComma() -> JSONError {
        JSONError(.unexpectedCharacter, "trailing comma", offset: absolutePosition)
    }

    private func misuse(_ message: String) -> JSONError {
        JSONError(.invalidUse, message, offset: tokenOffset)
    }

    /// Names common non-JSON habits so the message says what to fix.
    private func unexpected(_ byte: UInt8, expected: String) -> JSONError {
        let hint: String
        switch byte {
        case UInt8(ascii: "'"): hint = " (strings need double quotes)"
        case UInt8(ascii: "/"), UInt8(ascii: "#"): hint = " (comments are not allowed)"
        case UInt8(ascii: "N"), UInt8(ascii: "I"): hint = " (NaN and Infinity are not JSON)"
        case UInt8(ascii: "+"), UInt8(ascii: "."): hint = " (numbers start with '-' or a digit)"
        default: hint = ""
        }
        return JSONError(.unexpectedCharacter, "expected \(expected), found \(describe(byte))\(hint)",
                         offset: absolutePosition)
    }

    private func describe(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte \(describeRaw(byte))"
    }

    private func describeRaw(_ byte: UInt8) -> String {
        guard !(0x21..<0x7F).contains(byte) else { return String(Character(Unicode.Scalar(byte))) }
        return "0x" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0x0F, radix: 16, uppercase: true)
    }
}
