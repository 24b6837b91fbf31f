import Foundation
@testable import YourICTFormats

/// How the YAML tests compare a tree with a reference JSON value, as the project reads it
/// (trees with each other: `YAMLDifferential.same`).
enum YAMLTestSupport {
    /// The values `YAMLReader.node` reads as absent.
    static func isNull(_ s: YAMLNode.Scalar) -> Bool {
        s.isPlain && ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    /// Whether `node` reads, as the project reads scalars, to the JSON value: null as
    /// `YAMLReader` reads null, a string as the scalar's exact text, a number as
    /// `YAMLReader.double` reads it, a boolean as `YAMLReader.bool` does; sequences in
    /// order, mappings with text keys and the same pairs.
    static func matches(_ node: YAMLNode, _ json: JSON) -> Bool {
        switch (node, json) {
        case (.scalar(let s), .null):
            return isNull(s)
        case (.scalar(let s), .string(let text)):
            return !isNull(s) && s.string.utf8.elementsEqual(text.utf8)
        case (.scalar(let s), .number(let n)):
            return !isNull(s) && Double(s.string.trimmingWhitespace) == n
        case (.scalar(let s), .bool(let b)):
            switch s.string.lowercased() {
            case "true", "yes", "on": return b
            case "false", "no", "off": return !b
            default: return false
            }
        case (.sequence(let seq), .array(let items)):
            return seq.items.count == items.count && zip(seq.items, items).allSatisfy { matches($0, $1) }
        case (.mapping(let m), .object(let pairs)):
            guard m.pairs.count == pairs.count else { return false }
            for (key, value) in m.pairs {
                guard case .scalar(let k) = key else { return false }
                let name = isNull(k) ? "" : k.string
                guard let expected = pairs.first(where: { $0.0.utf8.elementsEqual(name.utf8) }), matches(value, expected.1) else { return false }
            }
            return true
        default:
            return false
        }
    }

    /// A JSON value as the test suite writes it, keys in order.
    indirect enum JSON {
        case null, bool(Bool), number(Double), string(String), array([JSON]), object([(String, JSON)])
    }

    /// The JSON values of an `in.json`, one per YAML document (the suite writes a stream).
    static func jsonStream(_ bytes: [UInt8]) -> [JSON]? {
        var reader = JSONReader(bytes: bytes)
        var values: [JSON] = []
        while true {
            reader.skipSpace()
            if reader.atEnd { return values }
            guard let value = reader.value() else { return nil }
            values.append(value)
        }
    }

    /// A small strict JSON reader, enough for the suite's files.
    private struct JSONReader {
        let bytes: [UInt8]
        var i = 0
        init(bytes: [UInt8]) { self.bytes = bytes }
        var atEnd: Bool { i >= bytes.count }

        mutating func skipSpace() {
            while i < bytes.count, [32, 9, 10, 13].contains(bytes[i]) { i += 1 }
        }

        mutating func literal(_ word: String) -> Bool {
            let w = Array(word.utf8)
            guard bytes.count - i >= w.count, Array(bytes[i..<i + w.count]) == w else { return false }
            i += w.count
            return true
        }

        mutating func value() -> JSON? {
            skipSpace()
            guard i < bytes.count else { return nil }
            switch bytes[i] {
            case UInt8(ascii: "n"): return literal("null") ? .null : nil
            case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
            case UInt8(ascii: "\""): return string().map { .string($0) }
            case UInt8(ascii: "["):
                i += 1
                var items: [JSON] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                while true {
                    guard let item = value() else { return nil }
                    items.append(item)
                    skipSpace()
                    guard i < bytes.count else { return nil }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    guard bytes[i] == UInt8(ascii: "]") else { return nil }
                    i += 1
                    return .array(items)
                }
            case UInt8(ascii: "{"):
                i += 1
                var pairs: [(String, JSON)] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(pairs) }
                while true {
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\""), let key = string() else { return nil }
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
                    i += 1
                    guard let item = value() else { return nil }
                    pairs.append((key, item))
                    skipSpace()
                    guard i < bytes.count else { return nil }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    guard bytes[i] == UInt8(ascii: "}") else { return nil }
                    i += 1
                    return .object(pairs)
                }
            default:
                let start = i
                while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
                return Double(String(decoding: bytes[start..<i], as: UTF8.self)).map { .number($0) }
            }
        }

        mutating func string() -> String? {
            i += 1
            var out: [UInt8] = []
            while i < bytes.count {
                let c = bytes[i]
                i += 1
                if c == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
                guard c == UInt8(ascii: "\\") else { out.append(c); continue }
                guard i < bytes.count else { return nil }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "u"):
                    guard let high = hex4() else { return nil }
                    var scalar = high
                    if (0xD800..<0xDC00).contains(high) {
                        guard literal("\\u"), let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                        scalar = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let s = Unicode.Scalar(scalar) else { return nil }
                    out.append(contentsOf: Array(String(Character(s)).utf8))
                default: out.append(e)
                }
            }
            return nil
        }

        mutating func hex4() -> UInt32? {
            guard bytes.count - i >= 4 else { return nil }
            var v: UInt32 = 0
            for _ in 0..<4 {
                guard let d = Character(Unicode.Scalar(bytes[i])).hexDigitValue else { return nil }
                v = v * 16 + UInt32(d)
                i += 1
            }
            return v
        }
    }
}
