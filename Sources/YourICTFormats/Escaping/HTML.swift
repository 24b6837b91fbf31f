/// Escaping for text written into HTML: the five characters swift-mustache escapes, with
/// the same entities, so that text escaped here and text escaped by a template agree.
public enum HTML {
    public static func escape(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        escape(s, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The same, appended as UTF-8 (templates write pages as bytes).
    package static func escape(_ s: String, into out: inout [UInt8]) {
        out.appendEscaping(s, escapes)
    }

    private static let escapes = ByteEscapes(["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"])
}

/// What an escaper writes instead of some bytes of UTF-8 text: per byte, a replacement
/// (empty: the byte is dropped), or a rule of the escaper's own (`special`, for
/// sequences of several bytes); every other byte is copied as it is.
package struct ByteEscapes: Sendable {
    fileprivate enum Kind: UInt8 { case keep, replace, special }
    fileprivate let kinds: [Kind]
    fileprivate let replacements: [[UInt8]]

    /// `table` maps ASCII characters to their replacements; `bytes` adds any byte.
    package init(_ table: [Character: String], bytes: [UInt8: String] = [:], special: [UInt8] = []) {
        var kinds = [Kind](repeating: .keep, count: 256)
        var replacements = [[UInt8]](repeating: [], count: 256)
        for (character, replacement) in table {
            let byte = Int(character.asciiValue!)
            kinds[byte] = .replace
            replacements[byte] = Array(replacement.utf8)
        }
        for (byte, replacement) in bytes {
            kinds[Int(byte)] = .replace
            replacements[Int(byte)] = Array(replacement.utf8)
        }
        for byte in special { kinds[Int(byte)] = .special }
        self.kinds = kinds
        self.replacements = replacements
    }
}

extension Array where Element == UInt8 {
    /// Appends `text` as UTF-8 with `escapes` applied; runs without an escape are copied
    /// whole. `special`, given the text's bytes and an index, returns the replacement and
    /// how many bytes it stands for, or nil to keep the byte.
    @inline(__always)
    package mutating func appendEscaping(_ text: String, _ escapes: ByteEscapes,
                                 special: (UnsafeBufferPointer<UInt8>, Int) -> (String, width: Int)? = { _, _ in nil }) {
        var text = text
        escapes.kinds.withUnsafeBufferPointer { kinds in
            text.withUTF8 { bytes in
                var start = 0
                var i = 0
                while i < bytes.count {
                    let kind = kinds[Int(bytes[i])]
                    if kind == .keep {
                        i += 1
                        continue
                    }
                    if start < i { append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i])) }
                    if kind == .replace {
                        append(contentsOf: escapes.replacements[Int(bytes[i])])
                        i += 1
                    } else if let (escape, width) = special(bytes, i) {
                        append(contentsOf: escape.utf8)
                        i += width
                    } else {
                        append(bytes[i])
                        i += 1
                    }
                    start = i
                }
                if start < bytes.count { append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...])) }
            }
        }
    }
}
