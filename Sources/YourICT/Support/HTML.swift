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
    static func escape(_ s: String, into out: inout [UInt8]) {
        out.appendEscaping(s, candidates: candidates) { bytes, i in
            switch bytes[i] {
            case 38: return ("&amp;", 1)
            case 60: return ("&lt;", 1)
            case 62: return ("&gt;", 1)
            case 34: return ("&quot;", 1)
            case 39: return ("&#39;", 1)
            default: return nil
            }
        }
    }

    private static let candidates = EscapeCandidates("&<>\"'".utf8)
}

/// The bytes an escaper may replace: the others are copied without asking it.
struct EscapeCandidates: Sendable {
    let table: [Bool]
    init<S: Sequence>(_ bytes: S, also: ClosedRange<UInt8>? = nil) where S.Element == UInt8 {
        var table = [Bool](repeating: false, count: 256)
        for b in bytes { table[Int(b)] = true }
        if let also { for b in also { table[Int(b)] = true } }
        self.table = table
    }
}

extension Array where Element == UInt8 {
    /// Appends `text` as UTF-8, with what `replacement` names written instead: given the
    /// text's bytes and an index, it returns the replacement and how many bytes it stands
    /// for, or nil to keep the byte. Runs without a replacement are copied whole.
    /// `replacement` is asked only about the `candidates`.
    @inline(__always)
    mutating func appendEscaping(_ text: String, candidates: EscapeCandidates,
                                 _ replacement: (UnsafeBufferPointer<UInt8>, Int) -> (String, width: Int)?) {
        var text = text
        candidates.table.withUnsafeBufferPointer { candidates in
        text.withUTF8 { bytes in
            var start = 0
            var i = 0
            while i < bytes.count {
                if !candidates[Int(bytes[i])] {
                    i += 1
                    continue
                }
                guard let (escape, width) = replacement(bytes, i) else {
                    i += 1
                    continue
                }
                if start < i { append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i])) }
                append(contentsOf: escape.utf8)
                i += width
                start = i
            }
            if start < bytes.count { append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...])) }
        }
        }
    }
}
