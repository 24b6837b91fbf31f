/// A JSON document built in memory for the site's machine-readable outputs. Objects
/// keep their key order so that the bytes written are the same on every build.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])
    /// Already serialised JSON, inserted as it is (a cached entry of a large document).
    case raw([UInt8])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case let (.raw(a), .raw(b)): return a == b
        default: return false
        }
    }

    /// `nil` becomes JSON `null`.
    public static func optional(_ value: Double?) -> JSONValue {
        value.map { .number($0) } ?? .null
    }

    public static func optional(_ value: String?) -> JSONValue {
        value.map { .string($0) } ?? .null
    }

    /// Serialises with two-space indentation when `pretty`, compactly otherwise.
    public func serialized(pretty: Bool = true) -> String {
        String(decoding: serializedBytes(pretty: pretty), as: UTF8.self)
    }

    /// The document as UTF-8 bytes, as written to a file (no round trip through `String`).
    public func serializedBytes(pretty: Bool = true) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(into: &out, indent: pretty ? 0 : nil)
        if pretty { out.append(10) }
        return out
    }

    /// The document in pieces, for a file: each `.raw` value is a piece of its own, shared
    /// rather than copied, with the text between them in pieces of their own. A document
    /// of thousands of serialised entries is then written without a second copy of it all.
    public func serializedChunks(pretty: Bool = true) -> [[UInt8]] {
        var chunks: [[UInt8]]? = []
        var out: [UInt8] = []
        write(into: &out, indent: pretty ? 0 : nil, chunks: &chunks)
        if pretty { out.append(10) }
        if !out.isEmpty { chunks!.append(out) }
        return chunks!
    }

    /// The bytes of this value as it would be written at nesting level `indent` (nil:
    /// compact), for caching entries of large documents as `.raw`. Exactly as large as
    /// needed: thousands of them may be kept.
    public func fragment(indent: Int?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(into: &out, indent: indent)
        return out.trimmedToSize
    }

    /// Appends UTF-8 bytes: a large API document is built without string reallocations.
    private func write(into out: inout [UInt8], indent: Int?) {
        var noChunks: [[UInt8]]? = nil
        write(into: &out, indent: indent, chunks: &noChunks)
    }

    /// With `chunks`, a `.raw` value ends the current piece of `out` and is a piece of its own.
    private func write(into out: inout [UInt8], indent: Int?, chunks: inout [[UInt8]]?) {
        switch self {
        case .raw(let bytes):
            if chunks == nil {
                out.append(contentsOf: bytes)
            } else {
                if !out.isEmpty { chunks!.append(out); out = [] }
                chunks!.append(bytes)
            }
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .number(let d): out.append(contentsOf: JSONText.number(d).utf8)
        case .string(let s): JSONText.quote(s, into: &out)
        case .array(let items):
            if items.isEmpty { out.append(contentsOf: "[]".utf8); return }
            out.append(91)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(44) }
                Self.newline(&out, indent.map { $0 + 1 })
                item.write(into: &out, indent: indent.map { $0 + 1 }, chunks: &chunks)
            }
            Self.newline(&out, indent)
            out.append(93)
        case .object(let members):
            if members.isEmpty { out.append(contentsOf: "{}".utf8); return }
            out.append(123)
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out.append(44) }
                Self.newline(&out, indent.map { $0 + 1 })
                JSONText.quote(key, into: &out)
                out.append(58)
                if indent != nil { out.append(32) }
                value.write(into: &out, indent: indent.map { $0 + 1 }, chunks: &chunks)
            }
            Self.newline(&out, indent)
            out.append(125)
        }
    }

    private static func newline(_ out: inout [UInt8], _ indent: Int?) {
        guard let indent else { return }
        out.append(10)
        for _ in 0..<indent { out.append(32); out.append(32) }
    }

}

/// JSON text helpers shared by every writer of JSON (API files, diagnostics, search index).
public enum JSONText {
    /// A JSON string literal. Escapes `<`, `>` and `&` too, so that the text is also safe
    /// inside `<script type="application/json">` and HTML attributes.
    public static func quote(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 2)
        quote(s, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The same, appended as UTF-8: one pass over the bytes, runs without an escape
    /// copied whole (titles with a dash or accents take no slower path).
    public static func quote(_ s: String, into out: inout [UInt8]) {
        out.append(34)
        out.appendEscaping(s, escapes) { bytes, i in
            // U+2028 and U+2029 end a line in JavaScript.
            guard i + 2 < bytes.count, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9 else { return nil }
            return (bytes[i + 2] == 0xA8 ? "\\u2028" : "\\u2029", 3)
        }
        out.append(34)
    }

    private static let escapes = ByteEscapes(
        ["\"": "\\\"", "\\": "\\\\", "<": "\\u003c", ">": "\\u003e", "&": "\\u0026"],
        bytes: Dictionary(uniqueKeysWithValues: (0..<0x20).map { byte in
            (UInt8(byte), [9: "\\t", 10: "\\n", 13: "\\r"][byte] ?? "\\u00" + String(byte, radix: 16).leftPadded(to: 2))
        }),
        special: [0xE2])

    /// Numbers without exponent noise: integral values print without a fraction,
    /// others with the shortest digits that read back as the same Double, in positional
    /// notation (Swift writes 0.000017 as `1.7e-05`, which the API's "6 decimals" and a
    /// CSV read as figures do not expect).
    public static func number(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        let text = "\(d)"
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }), let exponent = Int(text[text.index(after: e)...]) else { return text }
        var mantissa = text[..<e]
        let sign = mantissa.first == "-" ? "-" : ""
        if !sign.isEmpty { mantissa.removeFirst() }
        let integer = mantissa.prefix { $0 != "." }
        var digits = String(integer) + mantissa.dropFirst(integer.count + 1)
        // Where the point goes in `digits`, padded with zeros either side.
        var point = integer.count + exponent
        if point <= 0 {
            digits = String(repeating: "0", count: 1 - point) + digits
            point = 1
        }
        if point >= digits.count { return sign + digits + String(repeating: "0", count: point - digits.count) }
        return sign + digits.prefix(point) + "." + digits.dropFirst(point)
    }
}

extension Array where Element == UInt8 {
    /// The bytes in an array of exactly their size when this one has much spare capacity
    /// (converting a whole slice would keep the buffer).
    var trimmedToSize: [UInt8] {
        guard capacity - count > 64 else { return self }
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            _ = buffer.initialize(from: self)
            initialized = count
        }
    }
}

/// Writes JSON straight to UTF-8 bytes, exactly as `JSONValue` serialises the same
/// document (two-space indentation from a nesting level, or compact), without building
/// the tree: the entries of the large API documents are thousands of small objects, and
/// a tree of boxed values costs more to allocate, reference-count and free than to write.
package struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private let pretty: Bool
    private var level: Int
    /// Per open container: an array or an object, and how many members it has so far.
    private var open: [(isArray: Bool, count: Int)] = []

    /// `indent`: the nesting level the value is written at (nil: compact).
    package init(indent: Int?, capacity: Int = 512) {
        pretty = indent != nil
        level = indent ?? 0
        bytes.reserveCapacity(capacity)
        open.reserveCapacity(8)
    }

    /// The bytes, in an array exactly as large as needed (thousands of entries may be kept).
    package var finished: [UInt8] { bytes.trimmedToSize }

    /// A line feed and 64 spaces, made once: a new line at any level up to 32 is one copy.
    nonisolated(unsafe) private static let lineFeedAndSpaces: UnsafeBufferPointer<UInt8> = {
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 65)
        buffer.initialize(repeating: 32)
        buffer[0] = 10
        return UnsafeBufferPointer(buffer)
    }()

    private mutating func newline() {
        guard pretty else { return }
        if level <= 32 {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: Self.lineFeedAndSpaces[0..<(1 + 2 * level)]))
        } else {
            bytes.append(10)
            for _ in 0..<level { bytes.append(32); bytes.append(32) }
        }
    }

    /// What precedes a value: in an array, the separator and the item's line.
    private mutating func beforeValue() {
        guard let last = open.last, last.isArray else { return }
        if last.count > 0 { bytes.append(44) }
        open[open.count - 1].count += 1
        newline()
    }

    /// A member's key, in an object; the member's value follows.
    package mutating func key(_ key: String) {
        if open[open.count - 1].count > 0 { bytes.append(44) }
        open[open.count - 1].count += 1
        newline()
        JSONText.quote(key, into: &bytes)
        bytes.append(58)
        if pretty { bytes.append(32) }
    }

    package mutating func object(_ body: (inout JSONWriter) -> Void) {
        container(isArray: false, 123, 125, body)
    }

    package mutating func array(_ body: (inout JSONWriter) -> Void) {
        container(isArray: true, 91, 93, body)
    }

    private mutating func container(isArray: Bool, _ opening: UInt8, _ closing: UInt8, _ body: (inout JSONWriter) -> Void) {
        beforeValue()
        bytes.append(opening)
        open.append((isArray, 0))
        level += 1
        body(&self)
        level -= 1
        if open.removeLast().count > 0 { newline() }
        bytes.append(closing)
    }

    package mutating func string(_ s: String) {
        beforeValue()
        JSONText.quote(s, into: &bytes)
    }

    package mutating func string(_ s: String?) {
        if let s { string(s) } else { null() }
    }

    package mutating func number(_ d: Double) {
        beforeValue()
        bytes.append(contentsOf: JSONText.number(d).utf8)
    }

    package mutating func number(_ d: Double?) {
        if let d { number(d) } else { null() }
    }

    package mutating func int(_ i: Int) {
        beforeValue()
        bytes.append(contentsOf: String(i).utf8)
    }

    package mutating func bool(_ b: Bool) {
        beforeValue()
        bytes.append(contentsOf: (b ? "true" : "false").utf8)
    }

    package mutating func null() {
        beforeValue()
        bytes.append(contentsOf: "null".utf8)
    }

    /// Already serialised JSON, as it is.
    mutating func raw(_ serialized: [UInt8]) {
        beforeValue()
        bytes.append(contentsOf: serialized)
    }

    /// A tree, written as it would serialise itself.
    mutating func value(_ v: JSONValue) {
        switch v {
        case .null: null()
        case .bool(let b): bool(b)
        case .int(let i): beforeValue(); bytes.append(contentsOf: String(i).utf8)
        case .number(let d): number(d)
        case .string(let s): string(s)
        case .raw(let r): raw(r)
        case .array(let items): array { w in for item in items { w.value(item) } }
        case .object(let members): object { w in for (k, m) in members { w.key(k); w.value(m) } }
        }
    }

    /// `key`, then a string per language of `languages` that `text` gives (a language it
    /// gives nil for is left out): the shape of every translated text in the APIs.
    package mutating func perLanguage(_ key: String, _ languages: [String], _ text: (String) -> String?) {
        self.key(key)
        object { w in
            for lang in languages {
                guard let t = text(lang) else { continue }
                w.key(lang)
                w.string(t)
            }
        }
    }
}
