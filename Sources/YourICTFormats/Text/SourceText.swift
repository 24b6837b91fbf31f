import CYourICTSystem
import YourICTSupport

/// A content file decoded as UTF-8, with helpers to turn offsets into the line and
/// column users see in their editor.
public struct SourceText: Sendable {
    public let path: String
    /// The text without a leading BOM and with CRLF turned into LF.
    public let text: String

    /// Decodes `bytes`, reporting invalid UTF-8 with its line and column.
    public static func decode(_ bytes: [UInt8], path: String) -> Result<SourceText, Diagnostic> {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        // On the contiguous buffer: the generic path validates a byte at a time.
        guard let decoded = body.withUnsafeBufferPointer({ String(validating: $0, as: UTF8.self) }) else {
            let offset = firstInvalidUTF8Offset(body)
            let prefix = body[body.startIndex..<body.startIndex + offset]
            let line = prefix.reduce(1) { $0 + ($1 == 10 ? 1 : 0) }
            let lastNewline = prefix.lastIndex(of: 10).map { $0 + 1 } ?? body.startIndex
            let column = String(decoding: body[lastNewline..<body.startIndex + offset], as: UTF8.self).unicodeScalars.count + 1
            return .failure(.error(
                "the file is not valid UTF-8 (byte \(offset))",
                at: SourceLocation(path: path, line: line, column: column),
                hint: "save the file as UTF-8 in your editor"))
        }
        // Byte checks: Foundation's string search is slow on Linux, and this runs per file.
        let text = body.contains(13) ? String(decoding: body.crlfNormalized(), as: UTF8.self) : decoded
        return .success(SourceText(path: path, text: text))
    }

    private static func firstInvalidUTF8Offset(_ bytes: ArraySlice<UInt8>) -> Int {
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            let length: Int
            switch b {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return i - bytes.startIndex
            }
            guard i + length <= bytes.endIndex,
                  String(validating: bytes[i..<i + length], as: UTF8.self) != nil
            else { return i - bytes.startIndex }
            i += length
        }
        return bytes.count
    }

    /// The text of a 1-based line, for quoting under a diagnostic.
    public func line(_ number: Int) -> String? {
        var current = 1
        var start = text.startIndex
        while current < number {
            guard let nl = text[start...].firstIndex(of: "\n") else { return nil }
            start = text.index(after: nl)
            current += 1
        }
        let end = text[start...].firstIndex(of: "\n") ?? text.endIndex
        return String(text[start..<end])
    }
}

extension Collection where Element == UInt8 {
    /// CRLF line ends as LF; a lone CR is kept.
    func crlfNormalized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        var previousCR = false
        for b in self {
            if previousCR && b != 10 { out.append(13) }
            previousCR = b == 13
            if !previousCR { out.append(b) }
        }
        if previousCR { out.append(13) }
        return out
    }
}

extension Array where Element == UInt8 {
    /// Where `needle` first occurs in these bytes (glibc's memmem), nil if nowhere.
    package func firstOffset(ofBytes needle: [UInt8]) -> Int? {
        withUnsafeBufferPointer { h in needle.withUnsafeBufferPointer { n in String.firstMatch(of: n, in: h, from: 0) } }
    }
}

extension String {
    /// Substring search on UTF-8 bytes (Foundation's `contains` is slow on Linux), on the
    /// contiguous UTF-8 of both strings: it runs over every rendered body.
    package func containsBytes(_ needle: String) -> Bool {
        var haystack = self
        var needle = needle
        return haystack.withUTF8 { h in needle.withUTF8 { n in Self.firstMatch(of: n, in: h, from: 0) != nil } }
    }

    /// Every occurrence of `target` replaced, left to right, comparing UTF-8 bytes (exact,
    /// no locale). Foundation's `replacingOccurrences` bridges through NSString: a hundred
    /// times slower, and called for every figure of every page.
    package func replacingEvery(_ target: String, with replacement: String) -> String {
        var haystack = self
        var target = target
        return haystack.withUTF8 { h in
            target.withUTF8 { t in
                guard !t.isEmpty, var match = Self.firstMatch(of: t, in: h, from: 0) else { return self }
                var out: [UInt8] = []
                out.reserveCapacity(h.count + replacement.utf8.count)
                var start = 0
                while true {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: h[start..<match]))
                    out.append(contentsOf: replacement.utf8)
                    start = match + t.count
                    guard let next = Self.firstMatch(of: t, in: h, from: start) else { break }
                    match = next
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: h[start...]))
                return String(decoding: out, as: UTF8.self)
            }
        }
    }

    /// Where `needle` first occurs in `haystack` at or after `from` (an empty needle: at `from`).
    fileprivate static func firstMatch(of needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard !needle.isEmpty else { return from }
        guard from >= 0, haystack.count - from >= needle.count, let base = haystack.baseAddress else { return nil }
        // glibc's memmem: vectorised, where a byte loop costs a nanosecond per byte.
        guard let found = yourict_memmem(base + from, haystack.count - from, needle.baseAddress!, needle.count) else { return nil }
        return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
    }
}
