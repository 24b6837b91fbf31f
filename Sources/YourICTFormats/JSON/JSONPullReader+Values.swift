#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Accessors for the text of the current token. They read straight from the
/// input buffer, so they are only meaningful until the next `next()` call.
extension JSONPullReader {
    private var isOnString: Bool { currentToken == .key || currentToken == .string }

    /// The current string's contents before unescaping, or the number's text.
    var rawContent: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: input.base + contentStart, count: contentEnd - contentStart)
    }

    // MARK: Strings and keys

    /// Whether the current key or string, after unescaping, equals `expected`.
    /// Allocation-free; false when the current token is not a key or string.
    public func currentStringEquals(_ expected: StaticString) -> Bool {
        expected.withUTF8Buffer { currentStringEquals(utf8: $0) }
    }

    /// Whether the current key or string, after unescaping, equals the UTF-8 `expected`.
    public func currentStringEquals(_ expected: [UInt8]) -> Bool {
        expected.withUnsafeBufferPointer { currentStringEquals(utf8: $0) }
    }

    private func currentStringEquals(utf8 expected: UnsafeBufferPointer<UInt8>) -> Bool {
        guard isOnString else { return false }
        let raw = rawContent
        guard stringHasEscapes else {
            return raw.count == expected.count
                && (raw.isEmpty || memcmp(raw.baseAddress!, expected.baseAddress!, raw.count) == 0)
        }
        return withCurrentStringBytes { $0.elementsEqual(expected) }
    }

    /// The current key or string, fully unescaped (surrogate pairs combined).
    /// Precondition: the current token is `.key` or `.string`.
    public func currentString() -> String {
        precondition(isOnString, "currentString() needs a key or string token, not \(String(describing: currentToken))")
        let raw = rawContent
        guard stringHasEscapes else { return String(decoding: raw, as: UTF8.self) }
        // Every escape is at least as long as the UTF-8 it stands for.
        return String(unsafeUninitializedCapacity: raw.count) { Self.unescape(raw, into: $0.baseAddress!) }
    }

    /// Calls `body` with the unescaped UTF-8 bytes of the current key or
    /// string: the buffer itself when there are no escapes, otherwise a
    /// temporary decoded copy. The bytes must not escape `body`.
    /// Precondition: the current token is `.key` or `.string`.
    public func withCurrentStringBytes<Result>(
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result {
        precondition(isOnString, "withCurrentStringBytes needs a key or string token, not \(String(describing: currentToken))")
        let raw = rawContent
        guard stringHasEscapes else { return try body(raw) }
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: raw.count) { scratch in
            let count = Self.unescape(raw, into: scratch.baseAddress!)
            return try body(UnsafeBufferPointer(rebasing: scratch[..<count]))
        }
    }

    /// The current key or string read as a Prometheus sample value (`"1"`, `"0.25"`,
    /// `"NaN"`, `"+Inf"`), nil if it is not one; `readPrometheusValues` reads values
    /// without escapes in place and calls it for the others.
    func currentPrometheusValue() -> PrometheusValue? {
        withCurrentStringBytes(PrometheusValue.init(text:))
    }

    /// Decodes string contents the scanner has already validated, so every
    /// escape is known to be well-formed and surrogates are known to pair.
    private static func unescape(_ raw: UnsafeBufferPointer<UInt8>, into output: UnsafeMutablePointer<UInt8>) -> Int {
        func hex4(_ at: Int) -> UInt32 {
            var value: UInt32 = 0
            for byte in raw[at..<at + 4] {
                let digit = byte <= UInt8(ascii: "9") ? byte &- 48 : (byte | 0x20) &- 87
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        var index = 0
        var written = 0
        while index < raw.count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\") else {
                output[written] = byte
                written += 1
                index += 1
                continue
            }
            let escape = raw[index + 1]
            let decoded: UInt8
            switch escape {
            case UInt8(ascii: "b"): decoded = 0x08
            case UInt8(ascii: "f"): decoded = 0x0C
            case UInt8(ascii: "n"): decoded = 0x0A
            case UInt8(ascii: "r"): decoded = 0x0D
            case UInt8(ascii: "t"): decoded = 0x09
            case UInt8(ascii: "u"):
                var scalar = hex4(index + 2)
                index += 6
                if (0xD800...0xDBFF).contains(scalar) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (hex4(index + 2) - 0xDC00)
                    index += 6
                }
                for unit in Unicode.Scalar(scalar)!.utf8 {
                    output[written] = unit
                    written += 1
                }
                continue
            default: decoded = escape  // '"', '\\' or '/'
            }
            output[written] = decoded
            written += 1
            index += 2
        }
        return written
    }

    // MARK: Numbers

    /// The current number's text exactly as written, or nil if the current
    /// token is not a number.
    public var currentNumberText: String? {
        currentToken == .number ? String(decoding: rawContent, as: UTF8.self) : nil
    }

    /// The current number as the nearest `Double` (exponents included), or nil
    /// if the current token is not a number or its magnitude overflows `Double`.
    public func currentDouble() -> Double? {
        guard currentToken == .number else { return nil }
        if let exactInteger, exactInteger.magnitude <= 1 << 53 {
            // `-0` is the integer 0 but the double -0.0.
            if exactInteger == 0, rawContent[0] == UInt8(ascii: "-") { return -0.0 }
            return Double(exactInteger)
        }
        guard let value = JSONNumberParsing.double(rawContent), value.isFinite else {
            return nil
        }
        return value
    }

    /// The current number read as seconds and converted to milliseconds with
    /// integer arithmetic, the fast path for Prometheus timestamps such as
    /// `1732579200` or `1732579200.123`. Sub-millisecond digits are rounded
    /// half away from zero, negative values and exponents are exact. Nil if
    /// the current token is not a number or the result does not fit in `Int64`.
    public func currentTimestampMillis() -> Int64? {
        guard currentToken == .number else { return nil }
        if let exactInteger {
            let (millis, overflow) = exactInteger.multipliedReportingOverflow(by: 1000)
            return overflow ? nil : millis
        }
        return JSONNumberParsing.timestampMillis(rawContent)
    }
}
