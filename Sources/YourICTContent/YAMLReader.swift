import Foundation
import YourICTSupport
import YourICTFormats

/// Reads typed fields out of a YAML mapping, reporting each problem (missing field,
/// wrong type, unknown key) as a diagnostic at the exact place in the original file.
///
/// Every key asked for is remembered, so `finish()` can warn about the keys nobody
/// asked for and suggest the closest known one.
package final class YAMLReader {
    package let path: String
    let lineOffset: Int
    let diagnostics: DiagnosticBag
    let languages: [String]
    /// The site's time zone, when known: a date written without an offset is told the
    /// offset it has there.
    var timeZone: TimeZone?
    private let pairs: [(key: String, keyNode: YAMLNode, value: YAMLNode)]
    private let node: YAMLNode
    /// Every key asked for, in order (repeats included: they are removed only when an
    /// unknown key needs the known fields for a suggestion, which is rare).
    private var asked: [String] = []
    /// Which pairs' keys were asked for: a bit each for the first 64 (a mapping of
    /// front matter has a handful: no array allocated per reader), a set beyond.
    private var usedBits: UInt64 = 0
    private var usedBeyond = Set<Int>()

    private func isUsed(_ index: Int) -> Bool { index < 64 ? usedBits & (1 << UInt64(index)) != 0 : usedBeyond.contains(index) }

    /// `nil` (with an error) when `node` is not a mapping.
    package init?(_ node: YAMLNode, what: String, path: String, lineOffset: Int, languages: [String], diagnostics: DiagnosticBag) {
        self.path = path
        self.lineOffset = lineOffset
        self.diagnostics = diagnostics
        self.languages = languages
        self.node = node
        guard case .mapping(let mapping) = node else {
            diagnostics.error("\(what) must be a mapping of `key: value` fields, found \(Self.describe(node))",
                              at: Self.location(of: node, path: path, lineOffset: lineOffset))
            return nil
        }
        var pairs: [(String, YAMLNode, YAMLNode)] = []
        pairs.reserveCapacity(mapping.pairs.count)
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                diagnostics.error("a key must be plain text", at: Self.location(of: key, path: path, lineOffset: lineOffset))
                continue
            }
            pairs.append((scalar.string, key, value))
        }
        self.pairs = pairs
    }

    /// A reader for a nested mapping, sharing this reader's file and diagnostics.
    func nested(_ node: YAMLNode, what: String) -> YAMLReader? {
        let r = YAMLReader(node, what: what, path: path, lineOffset: lineOffset, languages: languages, diagnostics: diagnostics)
        r?.timeZone = timeZone
        return r
    }

    package var location: SourceLocation { location(of: node) }

    package func location(of node: YAMLNode) -> SourceLocation { Self.location(of: node, path: path, lineOffset: lineOffset) }

    package static func location(of node: YAMLNode, path: String, lineOffset: Int) -> SourceLocation {
        guard let mark = node.mark else { return SourceLocation(path: path, line: lineOffset + 1) }
        return SourceLocation(path: path, line: mark.line + lineOffset, column: mark.column)
    }

    var keys: [String] { pairs.map(\.key) }

    /// The value node of `key`, remembering that the key is known.
    package func node(_ key: String) -> YAMLNode? {
        asked.append(key)
        guard let index = pairs.firstIndex(where: { $0.key == key }) else { return nil }
        if index < 64 { usedBits |= 1 << UInt64(index) } else { usedBeyond.insert(index) }
        let value = pairs[index].value
        if case .scalar(let s) = value, s.isPlain {
            switch s.string {
            case "", "~", "null", "Null", "NULL": return nil
            default: break
            }
        }
        return value
    }

    package func keyLocation(_ key: String) -> SourceLocation {
        pairs.first(where: { $0.key == key }).map { location(of: $0.keyNode) } ?? location
    }

    private func missing(_ key: String, hint: String?) {
        diagnostics.error("missing required field `\(key)`", at: location, hint: hint)
    }

    private func wrongType(_ key: String, expected: String, found node: YAMLNode) {
        diagnostics.error("`\(key)` must be \(expected), found \(Self.describe(node))", at: location(of: node))
    }

    package func string(_ key: String, required: Bool = false, hint: String? = nil) -> String? {
        guard let value = node(key) else {
            if required { missing(key, hint: hint) }
            return nil
        }
        guard case .scalar(let scalar) = value else {
            wrongType(key, expected: "text", found: value)
            return nil
        }
        let text = scalar.string.trimmingWhitespace
        if required && text.isEmpty {
            diagnostics.error("`\(key)` must not be empty", at: location(of: value), hint: hint)
            return nil
        }
        return text
    }

    /// Text that may be one string for every language, or a mapping `lang: text`.
    func localized(_ key: String, required: Bool = false, hint: String? = nil) -> LocalizedText? {
        guard let value = node(key) else {
            if required { missing(key, hint: hint) }
            return nil
        }
        return localizedValue(value, key: key)
    }

    func localizedValue(_ value: YAMLNode, key: String) -> LocalizedText? {
        switch value {
        case .scalar(let scalar):
            return LocalizedText(scalar.string.trimmingWhitespace)
        case .mapping(let mapping):
            var values: [String: String] = [:]
            for (k, v) in mapping {
                guard let lang = k.string else { continue }
                if !languages.isEmpty, !languages.contains(lang) {
                    diagnostics.warning("`\(key)` has text for `\(lang)`, which is not one of the site's languages (\(languages.joined(separator: ", ")))",
                                        at: location(of: k))
                }
                guard case .scalar(let s) = v else {
                    wrongType("\(key).\(lang)", expected: "text", found: v)
                    continue
                }
                values[lang] = s.string.trimmingWhitespace
            }
            // A language of the site without its text shows another's, unmarked in mid-page.
            let missing = languages.filter { values[$0] == nil }
            if !values.isEmpty, !missing.isEmpty, let shown = LocalizedText(values: values).resolved(missing[0], fallback: languages[0]).lang {
                diagnostics.warning("`\(key)` has no text for \(missing.joined(separator: ", ")): those pages show the `\(shown)` one",
                                    at: location(of: value), hint: "add \(missing.map { "\($0): …" }.joined(separator: ", ")), or write one text for every language")
            }
            return LocalizedText(values: values)
        default:
            wrongType(key, expected: "text or a mapping of language to text", found: value)
            return nil
        }
    }

    package func double(_ key: String, required: Bool = false) -> Double? {
        guard let value = node(key) else {
            if required { missing(key, hint: nil) }
            return nil
        }
        guard case .scalar(let scalar) = value,
              let number = Double(scalar.string.trimmingWhitespace.replacingOccurrences(of: "%", with: "").trimmingWhitespace),
              number.isFinite
        else {
            wrongType(key, expected: "a number", found: value)
            return nil
        }
        return number
    }

    package func int(_ key: String) -> Int? {
        guard let value = node(key) else { return nil }
        guard case .scalar(let scalar) = value, let number = Int(scalar.string.trimmingWhitespace) else {
            wrongType(key, expected: "a whole number", found: value)
            return nil
        }
        return number
    }

    package func bool(_ key: String) -> Bool? {
        guard let value = node(key) else { return nil }
        guard case .scalar(let scalar) = value else {
            wrongType(key, expected: "true or false", found: value)
            return nil
        }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            wrongType(key, expected: "true or false", found: value)
            return nil
        }
    }

    /// What to add to a local date and time: the offset the site's time zone has then.
    private func offsetHint(_ text: String) -> String {
        // The wall time read as if in UTC (with a `T` and seconds, which the shape may lack).
        var wall = text.replacingOccurrences(of: " ", with: "T")
        if wall.count == 16 { wall += ":00" }
        guard let timeZone, let asUTC = Timestamp(rfc3339: wall + "Z") else {
            return "add the offset from UTC, as in \(text)+01:00, or Z for UTC"
        }
        let calendar = ZonedCalendar(timeZone: timeZone)
        let guess = calendar.offsetSeconds(at: asUTC)
        let seconds = calendar.offsetSeconds(at: Timestamp(millis: asUTC.millis - Int64(guess) * 1000))
        let sign = seconds < 0 ? "-" : "+"
        let offset = "\(sign)\(twoDigits(abs(seconds) / 3600)):\(twoDigits(abs(seconds) / 60 % 60))"
        return "add the offset from UTC: \(text)\(offset) in the site's time zone (\(timeZone.identifier)) on that day, or Z for UTC"
    }

    func timestamp(_ key: String, required: Bool = false) -> Timestamp? {
        guard let value = node(key) else {
            if required { missing(key, hint: "an RFC 3339 date with its offset, e.g. 2026-11-03T09:12:00+01:00") }
            return nil
        }
        guard case .scalar(let scalar) = value, let t = Timestamp(rfc3339: scalar.string.trimmingWhitespace) else {
            // Say which part is wrong when the shape is right: a missing offset, or a day or
            // time that does not exist (month 13, 30 February).
            let text = { if case .scalar(let s) = value { return s.string.trimmingWhitespace } else { return "" } }()
            if text.wholeMatch(of: Self.dateTimeShape) != nil {
                diagnostics.error("`\(key)` names a day or time that does not exist, found \(Self.describe(value))", at: location(of: value),
                                  hint: "check the month (01–12), the day (that month has no such day) and the time (00:00–23:59)")
            } else if text.wholeMatch(of: Self.localDateTimeShape) != nil {
                diagnostics.error("`\(key)` has no offset, found \(Self.describe(value))", at: location(of: value),
                                  hint: offsetHint(text))
            } else {
                diagnostics.error("`\(key)` must be a date and time with an offset, found \(Self.describe(value))",
                                  at: location(of: value), hint: "write it as 2026-11-03T09:12:00+01:00 (or …Z for UTC)")
            }
            return nil
        }
        // Early years are kept, with a warning where they matter (a mistyped `0026`); past
        // 9999-12-30, a local date may be of the year 10000, which nothing can write.
        guard t.millis <= Timestamp.localRange.upperBound else {
            diagnostics.error("`\(key)` is after 9999-12-30, found \(Self.describe(value))", at: location(of: value),
                              hint: "check the year: its local date could be of the year 10000")
            return nil
        }
        return t
    }

    /// An RFC 3339 date and time by its shape only, with and without its offset (made
    /// only on the error path).
    private static var dateTimeShape: Regex<AnyRegexOutput> { try! Regex(localDateTime + #"([Zz]|[+-]\d{2}:\d{2})"#) }
    private static var localDateTimeShape: Regex<AnyRegexOutput> { try! Regex(localDateTime) }
    private static let localDateTime = #"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?"#

    /// One of `allowed`, with a did-you-mean on a near miss.
    func choice(_ key: String, _ allowed: [String], required: Bool = false) -> String? {
        guard let text = string(key, required: required, hint: required ? "one of: \(allowed.joined(separator: ", "))" : nil) else { return nil }
        if allowed.contains(text) { return text }
        let node = self.node(key)!
        let suggestion = Spelling.closest(to: text, in: allowed)
        diagnostics.error("`\(key)` must be one of \(allowed.map { "`\($0)`" }.joined(separator: ", ")), found `\(text)`",
                          at: location(of: node), hint: suggestion.map { "did you mean `\($0)`?" })
        return nil
    }

    func sequence(_ key: String) -> [YAMLNode]? {
        guard let value = node(key) else { return nil }
        guard case .sequence(let seq) = value else {
            wrongType(key, expected: "a list", found: value)
            return nil
        }
        return seq.items
    }

    /// A list of strings; a single string is accepted as a list of one.
    package func strings(_ key: String) -> [String] {
        stringsWithLocations(key).map(\.0)
    }

    /// Like `strings`, with where each item is written (for precise diagnostics). An empty
    /// or null item (`-` alone, `~`, `null`, `""`) is a warning and left out: it was
    /// published as an empty bullet, a "~" keyword or a filter page `/tag/null/`. `key:`
    /// alone is no item. One plain text with commas is one item, with a warning: `tags: a,
    /// b` is the keyword "a, b", not two.
    func stringsWithLocations(_ key: String) -> [(String, SourceLocation)] {
        guard let value = node(key) else { return [] }
        let items: [YAMLNode]
        switch value {
        case .sequence(let seq): items = Array(seq)
        case .scalar(let s):
            if Self.isNull(value) { return [] }
            if s.isPlain, s.string.contains(", ") {
                diagnostics.warning("`\(key)` is one item, `\(s.string.trimmingWhitespace)`", at: location(of: value),
                                    hint: "a list is written in brackets: \(key): [\(s.string.trimmingWhitespace)]; to keep one item with a comma, quote it")
            }
            items = [value]
        default: items = [value]
        }
        return items.compactMap { item in
            guard case .scalar(let s) = item else {
                wrongType(key, expected: "a list of text", found: item)
                return nil
            }
            let text = s.string.trimmingWhitespace
            if text.isEmpty || Self.isNull(item) {
                diagnostics.warning("an empty item of `\(key)` is left out", at: location(of: item),
                                    hint: s.isPlain && !text.isEmpty ? "`\(text)` is YAML's null; quote it to mean the text" : "remove it, or write its text")
                return nil
            }
            return (text, location(of: item))
        }
    }

    /// `key:` with nothing, `~` or `null` after it.
    package static func isNull(_ node: YAMLNode) -> Bool {
        guard case .scalar(let s) = node, s.isPlain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    /// A list of localized texts.
    func localizedList(_ key: String) -> [LocalizedText] {
        guard let value = node(key) else { return [] }
        guard case .sequence(let seq) = value else {
            return localizedValue(value, key: key).map { [$0] } ?? []
        }
        return seq.compactMap { localizedValue($0, key: key) }
    }

    package func mapping(_ key: String, required: Bool = false) -> YAMLReader? {
        guard let value = node(key) else {
            if required { missing(key, hint: nil) }
            return nil
        }
        return nested(value, what: "`\(key)`")
    }

    /// Warns about keys that no reader asked for, with the closest known key.
    package func finish() {
        guard pairs.indices.contains(where: { !isUsed($0) }) else { return }
        var seen = Set<String>()
        let askedOrder = asked.filter { seen.insert($0).inserted }
        for (index, pair) in pairs.enumerated() where !isUsed(index) {
            let suggestion = Spelling.closest(to: pair.key, in: askedOrder)
            diagnostics.warning("unknown field `\(pair.key)`; it is ignored", at: location(of: pair.keyNode),
                                hint: suggestion.map { "did you mean `\($0)`?" } ?? "known fields: \(askedOrder.joined(separator: ", "))")
        }
    }

    static func describe(_ node: YAMLNode) -> String {
        switch node {
        case .scalar(let s):
            let text = s.string.count > 40 ? String(s.string.prefix(40)) + "…" : s.string
            return text.isEmpty ? "nothing" : "`\(text)`"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}

extension StringProtocol {
    package var trimmingWhitespace: String {
        // Most values start and end with a visible ASCII character: nothing to trim, and
        // no Unicode property lookups.
        var s = Substring(self)
        if let f = s.utf8.first, let l = s.utf8.last, (33...126).contains(f), (33...126).contains(l) { return String(s) }
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}

/// Suggestions for near misses ("did you mean …?").
package enum Spelling {
    package static func closest(to word: String, in candidates: [String]) -> String? {
        let lower = word.lowercased()
        var best: (String, Int)? = nil
        for candidate in candidates {
            let d = distance(lower, candidate.lowercased())
            if d <= max(1, min(3, candidate.count / 3)), d < (best?.1 ?? Int.max) { best = (candidate, d) }
        }
        if let best { return best.0 }
        // An id written short (`hebergement` for `hebergement-applications`): the one
        // candidate it begins, at a word's end.
        guard lower.count >= 4 else { return nil }
        let extended = candidates.filter { $0.lowercased().hasPrefix(lower + "-") || $0.lowercased().hasPrefix(lower + "_") }
        return extended.count == 1 ? extended[0] : nil
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
