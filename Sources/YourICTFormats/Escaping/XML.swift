/// Escaping for XML 1.0 text and attributes (Atom feeds, badges, the sitemap).
package enum XML {
    package static func escape(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        out.appendEscaping(s, escapes) { bytes, i in
            // U+FFFE and U+FFFF (EF BF BE, EF BF BF) are no XML characters either
            // (XML 1.0 §2.2 `Char`): a document holding one is not well-formed, and a
            // feed reader refuses the whole feed. Dropped, as the controls.
            guard i + 2 < bytes.count, bytes[i + 1] == 0xBF, bytes[i + 2] == 0xBE || bytes[i + 2] == 0xBF else { return nil }
            return ("", 3)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Control characters other than tab and line ends are not allowed in XML 1.0: dropped.
    private static let escapes = ByteEscapes(["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&apos;"],
                                             bytes: Dictionary(uniqueKeysWithValues: (0..<0x20).filter { ![9, 10, 13].contains($0) }.map { (UInt8($0), "") }),
                                             special: [0xEF])
}
