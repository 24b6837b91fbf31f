/// Turns heading text into HTML ids, unique within a page: the first "Support" is
/// `support`, the next `support-1`, then `support-2`. Latin accents are folded so
/// that French and German headings give readable ASCII anchors.
public struct Slugger: Sendable {
    private var used: Set<String>

    /// `reserved` holds ids the page layout uses itself (`main`, …), so a heading
    /// never takes them.
    public init(reserved: Set<String> = []) { used = reserved }

    public mutating func slug(for text: String) -> String {
        var base = Self.slugify(text)
        if base.isEmpty { base = "section" }
        var candidate = base
        var n = 0
        while used.contains(candidate) {
            n += 1
            candidate = "\(base)-\(n)"
        }
        used.insert(candidate)
        return candidate
    }

    /// Lowercase; accents folded; letters and digits kept (non-Latin letters too);
    /// every other run of characters becomes one `-`.
    public static func slugify(_ text: String) -> String {
        var out = ""
        var pendingDash = false
        for scalar in text.unicodeScalars {
            let folded = fold(scalar)
            for c in folded.lowercased().unicodeScalars {
                if c.properties.isAlphabetic || (c.value >= 48 && c.value <= 57) {
                    if pendingDash && !out.isEmpty { out.append("-") }
                    pendingDash = false
                    out.unicodeScalars.append(c)
                } else {
                    pendingDash = true
                }
            }
        }
        return out
    }

    private static func fold(_ s: Unicode.Scalar) -> String {
        if s.isASCII { return String(s) }
        if let mapped = foldTable[s] { return mapped }
        // Decompose and drop combining marks (é → e); other letters pass through.
        let decomposed = String(s).decomposedStringWithCanonicalMapping.unicodeScalars
        let base = decomposed.filter { !(0x300...0x36F).contains($0.value) }
        return String(String.UnicodeScalarView(base))
    }

    private static let foldTable: [Unicode.Scalar: String] = [
        "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
        "ł": "l", "Ł": "L", "þ": "th", "Þ": "Th", "ð": "d",
    ]
}
