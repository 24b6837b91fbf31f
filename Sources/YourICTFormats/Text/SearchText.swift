import Foundation

/// Words as the search compares them. A word is a run of letters, marks and digits
/// (Unicode categories L, M, N); folding lowercases it, decomposes it canonically (NFD)
/// and drops the combining diacritics U+0300–U+036F, so "Hébergement", "HEBERGEMENT"
/// and "hébergement" are one word. The theme's `app.js` splits and folds a query the
/// same way, in the same order (split, then fold each word); a test compares the two.
package enum SearchText {
    /// Calls `body` with each word of `text`, folded, in order (repeats included).
    ///
    /// Words are gathered as UTF-8 bytes, and folded as they are gathered while their
    /// scalars are below `latinEnd` (from a table: ASCII lowercased, the others as
    /// `foldLatin` does), so such a word makes one String, folded. Any other word is
    /// folded from its bytes once per distinct spelling in `text`, since folding
    /// (Foundation's NFD) costs far more than scanning. `SearchTests` compares the
    /// result with splitting by `isWordScalar` and folding each word with `fold`.
    package static func forEachWord(in text: String, _ body: (String) -> Void) {
        forEachWordBytes(in: text) { body(String(decoding: $0, as: UTF8.self)) }
    }

    /// As `forEachWord`, each word given as its UTF-8 bytes (valid UTF-8, not empty),
    /// so that a caller that keeps only some words makes Strings of those alone.
    package static func forEachWordBytes(in text: String, _ body: ([UInt8]) -> Void) {
        var folds: [String: [UInt8]] = [:]
        var raw: [UInt8] = []
        var folded: [UInt8] = []
        var latin = true
        func flush() {
            guard !raw.isEmpty else { return }
            if latin {
                if !folded.isEmpty { body(folded) }
            } else {
                let spelling = String(decoding: raw, as: UTF8.self)
                let word: [UInt8]
                if let known = folds[spelling] {
                    word = known
                } else {
                    word = Array(fold(spelling).utf8)
                    folds[spelling] = word
                }
                if !word.isEmpty { body(word) }
            }
            raw.removeAll(keepingCapacity: true)
            folded.removeAll(keepingCapacity: true)
            latin = true
        }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                let b = UInt8(truncatingIfNeeded: v)
                if b >= 0x41 && b <= 0x5A {
                    raw.append(b)
                    folded.append(b | 0x20)
                } else if (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7A) {
                    raw.append(b)
                    folded.append(b)
                } else {
                    flush()
                }
            } else if v < latinEnd {
                let i = Int(v) - 0x80
                guard latinIsWord[i] else { flush(); continue }
                UTF8.encode(scalar) { raw.append($0) }
                if latin { folded.append(contentsOf: latinFoldBytes[i]) }
            } else if isWordScalar(scalar) {
                UTF8.encode(scalar) { raw.append($0) }
                latin = false
            } else {
                flush()
            }
        }
        flush()
    }

    /// The folded words of `text`, each kept once (its first time), separated by single
    /// spaces: `words(in:)` without repeats, joined. Most words of a body repeat, so a
    /// repeat is recognised from its bytes (`TableHash` and a byte comparison against
    /// the words kept so far) and makes no String; `SearchTests` compares the two.
    package static func distinctWords(in text: String) -> String {
        var out: [UInt8] = []
        // Open addressing: each slot holds 1 + the index in `kept`, 0 when free.
        var slots = [Int32](repeating: 0, count: 256)
        var kept: [(hash: Int, start: Int, count: Int)] = []
        forEachWordBytes(in: text) { word in
            let hash = TableHash.of(word)
            var mask = slots.count - 1
            var slot = hash & mask
            while slots[slot] != 0 {
                let k = kept[Int(slots[slot]) - 1]
                if k.hash == hash, k.count == word.count, out[k.start ..< k.start + k.count].elementsEqual(word) { return }
                slot = (slot + 1) & mask
            }
            if !out.isEmpty { out.append(0x20) }
            kept.append((hash, out.count, word.count))
            out.append(contentsOf: word)
            if kept.count * 2 > slots.count {
                slots = [Int32](repeating: 0, count: slots.count * 2)
                mask = slots.count - 1
                for (i, k) in kept.enumerated() {
                    var s = k.hash & mask
                    while slots[s] != 0 { s = (s + 1) & mask }
                    slots[s] = Int32(i + 1)
                }
            } else {
                slots[slot] = Int32(kept.count)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The folded words of `text`, in order.
    package static func words(in text: String) -> [String] {
        var out: [String] = []
        forEachWord(in: text) { out.append($0) }
        return out
    }

    /// Words whose scalars are all below U+0250 (ASCII and the Latin letters of Western,
    /// Central and Northern European languages) are folded scalar by scalar from a
    /// table, as Foundation's decomposition costs far more. It is the same: below
    /// U+0250 lowercasing needs no context, and every mark a decomposition adds is in
    /// U+0300–U+036F, which folding drops, so no reordering of marks can tell the two
    /// apart. `SearchTests` checks every scalar of the table and random words against
    /// `fold`.
    static let latinEnd: UInt32 = 0x250

    /// `fold` of each scalar from U+0080 to U+024F alone, as text and as UTF-8 bytes, and
    /// whether it is a word scalar (`isWordScalar`, which asks for its Unicode category).
    private static let latinFolds: [String] = (0x80..<latinEnd).map { fold(String(Unicode.Scalar($0)!)) }
    private static let latinFoldBytes: [[UInt8]] = latinFolds.map { Array($0.utf8) }
    private static let latinIsWord: [Bool] = (0x80..<latinEnd).map { isWordScalar(Unicode.Scalar($0)!) }

    /// `fold` of a word whose scalars are all below `latinEnd`.
    package static func foldLatin(_ word: String) -> String {
        var out = ""
        out.reserveCapacity(word.utf8.count)
        for scalar in word.unicodeScalars {
            let v = scalar.value
            precondition(v < latinEnd, "foldLatin needs scalars below U+0250")
            if v < 0x80 {
                out.unicodeScalars.append(v >= 0x41 && v <= 0x5A ? Unicode.Scalar(v | 0x20)! : scalar)
            } else {
                out += latinFolds[Int(v) - 0x80]
            }
        }
        return out
    }

    /// Lowercase, NFD, without U+0300–U+036F; a final sigma is a sigma.
    package static func fold(_ word: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in word.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.value {
            case 0x300...0x36F: continue
            case 0x3C2: out.append("\u{3C3}")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// Letters, marks and digits: `[\p{L}\p{M}\p{N}]` in JavaScript.
    package static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let v = scalar.value
            return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }
}

/// A document's words for the search index, by field in the order they rank (title,
/// then tags, then headings, then body): each word is kept once, in the first field
/// that has it, so a word of the title is not repeated with the body's.
package struct SearchWords: Sendable {
    package enum Field: Int, CaseIterable, Sendable {
        case title, tags, headings, body
    }

    private var seen: Set<String> = []
    private var fields: [[String]] = Array(repeating: [], count: Field.allCases.count)

    package init() {}

    /// Adds the words of `text` (folded here) to `field`.
    package mutating func add(_ text: String, to field: Field) {
        SearchText.forEachWord(in: text) { addFolded($0, to: field) }
    }

    /// Adds a word folded already (a rendered body's `words`).
    package mutating func addFolded(_ word: String, to field: Field) {
        if seen.insert(word).inserted { fields[field.rawValue].append(word) }
    }

    /// Per field, its words separated by single spaces.
    package var joined: [String] { fields.map { $0.joined(separator: " ") } }
}
