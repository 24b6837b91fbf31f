import Foundation

/// Turns heading text into HTML ids, unique within a page: the first "Support" is
/// `support`, the next `support-1`, then `support-2`. Latin accents are folded so
/// that French and German headings give readable ASCII anchors.
public struct Slugger: Sendable {
    private var used: Set<String>
    /// Per base slug, the suffix its last heading took: the search for a free id resumes
    /// there, so a page of thousands of same-named headings costs linear time, not
    /// quadratic. (Ids below it are all taken: `used` only grows.)
    private var lastSuffix: [String: Int] = [:]

    /// `reserved` holds ids the page layout uses itself (`main`, …), so a heading
    /// never takes them.
    public init(reserved: Set<String> = []) { used = reserved }

    public mutating func slug(for text: String) -> String {
        var base = Self.slugify(text)
        if base.isEmpty { base = "section" }
        // cmark-gfm names footnotes `fn-<label>` and their references `fnref-<label>…`:
        // a heading "fn-1" would take a footnote's id, and a link to one land on the other.
        if base.hasPrefix("fn-") || base.hasPrefix("fnref-") { base = "section-" + base }
        var n = lastSuffix[base] ?? 0
        var candidate = n == 0 ? base : "\(base)-\(n)"
        while used.contains(candidate) {
            n += 1
            candidate = "\(base)-\(n)"
        }
        used.insert(candidate)
        lastSuffix[base] = n
        return candidate
    }

    /// Lowercase; accents folded; letters and digits kept (non-Latin letters too);
    /// every other run of characters becomes one `-`. ASCII takes a fast path: slugs
    /// are computed for every heading, tag and title of a build.
    public static func slugify(_ text: String) -> String {
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        var pendingDash = false
        var lastWasASCII = false
        func emit(_ bytes: some Sequence<UInt8>) {
            if pendingDash && !out.isEmpty { out.append(45) }
            pendingDash = false
            out.append(contentsOf: bytes)
        }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                switch v {
                case 0x30...0x39, 0x61...0x7A: emit(CollectionOfOne(UInt8(v))); lastWasASCII = true
                case 0x41...0x5A: emit(CollectionOfOne(UInt8(v + 32))); lastWasASCII = true
                default: pendingDash = true
                }
            } else if v < 0x180, let folded = latinFold[Int(v) - 0x80] {
                if folded.isEmpty { pendingDash = true } else { emit(folded); lastWasASCII = true }
            } else if Self.isCombiningMark(scalar) {
                // Decomposed text (`e` + U+0301, as macOS file names and some editors
                // write it): the accent of a Latin letter is folded away like `é`.
                if !lastWasASCII { emit(String(scalar).utf8) }
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                // Other Latin letters with diacritics (ș, ạ, ố): their base letter.
                if let base = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars.first,
                   base.isASCII, base.properties.isAlphabetic {
                    emit(CollectionOfOne(UInt8(base.value | 0x20)))
                    lastWasASCII = true
                } else {
                    emit(String(scalar).lowercased().utf8)
                    lastWasASCII = false
                }
            } else {
                pendingDash = true
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isCombiningMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    /// Latin-1 Supplement and Latin Extended-A letters to ASCII; other symbols of those
    /// blocks to "" (a separator). Indexed by scalar - 0x80 (U+0080 to U+017F): a slug is
    /// made for every heading, tag and title, and a dictionary would hash each accent.
    private static let latinFold: [[UInt8]?] = {
        let table = latinFoldTable
        return (0x80..<0x180).map { v in table[UInt32(v)].map { Array($0.utf8) } }
    }()

    private static let latinFoldTable: [UInt32: String] = {
        var table: [UInt32: String] = [:]
        let groups: [(String, String)] = [
            ("àáâãäåāăą", "a"), ("ÀÁÂÃÄÅĀĂĄ", "a"), ("çćĉċč", "c"), ("ÇĆĈĊČ", "c"), ("ďđ", "d"), ("ĎĐ", "d"),
            ("èéêëēĕėęě", "e"), ("ÈÉÊËĒĔĖĘĚ", "e"), ("ĝğġģ", "g"), ("ĜĞĠĢ", "g"), ("ĥħ", "h"), ("ĤĦ", "h"),
            ("ìíîïĩīĭįı", "i"), ("ÌÍÎÏĨĪĬĮİ", "i"), ("ĵ", "j"), ("Ĵ", "j"), ("ķ", "k"), ("Ķ", "k"),
            ("ĺļľŀł", "l"), ("ĹĻĽĿŁ", "l"), ("ñńņňŉ", "n"), ("ÑŃŅŇ", "n"), ("òóôõöøōŏő", "o"), ("ÒÓÔÕÖØŌŎŐ", "o"),
            ("ŕŗř", "r"), ("ŔŖŘ", "r"), ("śŝşš", "s"), ("ŚŜŞŠ", "s"), ("ţťŧ", "t"), ("ŢŤŦ", "t"),
            ("ùúûüũūŭůűų", "u"), ("ÙÚÛÜŨŪŬŮŰŲ", "u"), ("ŵ", "w"), ("Ŵ", "w"), ("ýÿŷ", "y"), ("ÝŶŸ", "y"),
            ("źżž", "z"), ("ŹŻŽ", "z"), ("ß", "ss"), ("æÆ", "ae"), ("œŒ", "oe"), ("ðÐ", "d"), ("þÞ", "th"),
            ("ĳĲ", "ij"), ("ºª", ""),
        ]
        for (letters, ascii) in groups {
            for s in letters.unicodeScalars { table[s.value] = ascii }
        }
        // Everything else of U+0080–U+00BF and the two signs inside the letter block.
        for v in UInt32(0x80)...0xBF where table[v] == nil { table[v] = "" }
        table[0xD7] = ""  // ×
        table[0xF7] = ""  // ÷
        return table
    }()
}
