import Yams
import YourICTFormats
import YourICTMonitoring

/// Differential testing of the YAML fast path (`FastYAML`) against Yams, shared by the
/// tests (`YAMLDifferentialTests`) and the long run of `yourict-fuzz --yaml-differential`
/// (docs/fuzzing.md). `package`, not `public`: it exists for them, not for users.
///
/// The property: whenever the fast path accepts a text, Yams accepts it too and reads the
/// same tree (same kinds, scalar bytes, styles and positions).
package enum YAMLDifferential {
    package enum Verdict: Equatable {
        /// The fast path left the text to Yams.
        case deferred
        /// Both read the text, to the same tree.
        case agreed
        /// The fast path accepted what Yams refuses, or read something else.
        case disagreed(String)
    }

    package static func check(_ text: String) -> Verdict {
        let fast: YAMLNode?
        switch FastYAML.parse(text) {
        case .unsupported: return .deferred
        case .empty: fast = nil
        case .node(let node): fast = node
        }
        switch yams(text) {
        case .failure(let error):
            return .disagreed("the fast path reads \(describe(fast)), Yams refuses: \(error)")
        case .success(let expected):
            guard same(fast, expected) else { return .disagreed("the fast path reads \(describe(fast)), Yams \(describe(expected))") }
            // Nor would the checks on Yams' way refuse it, or read a scalar as `!!str` text.
            let strict = YAMLStrictChecks.check(text)
            if let problem = strict.problem { return .disagreed("the fast path reads \(describe(fast)), the strict checks refuse: \(problem)") }
            return strict.textTags.isEmpty ? .agreed : .disagreed("the fast path reads \(describe(fast)), with `!!str` tags")
        }
    }

    /// Yams alone, as `YAMLDocument` calls it.
    package static func yams(_ text: String) -> Result<YAMLNode?, Error> {
        do {
            guard let node = try Yams.compose(yaml: text, .basic) else { return .success(nil) }
            var budget = Int.max
            return .success(YAMLNode.from(node, budget: &budget))
        } catch {
            return .failure(error)
        }
    }

    /// Same shape, same marks, same style, same UTF-8 bytes in every scalar (not Swift's
    /// canonical equivalence: `é` and `e` + U+0301 differ).
    package static func same(_ a: YAMLNode?, _ b: YAMLNode?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (.scalar(x)?, .scalar(y)?):
            return x.isPlain == y.isPlain && x.mark == y.mark && x.string.utf8.elementsEqual(y.string.utf8)
        case let (.sequence(x)?, .sequence(y)?):
            return x.mark == y.mark && x.items.count == y.items.count && zip(x.items, y.items).allSatisfy { same($0, $1) }
        case let (.mapping(x)?, .mapping(y)?):
            return x.mark == y.mark && x.pairs.count == y.pairs.count
                && zip(x.pairs, y.pairs).allSatisfy { same($0.key, $1.key) && same($0.value, $1.value) }
        default:
            return false
        }
    }

    /// An exact rendering of a tree for messages: scalars escaped scalar by scalar, `q`
    /// before a quoted or block one, `@line:column` after each node.
    package static func describe(_ node: YAMLNode?) -> String {
        guard let node else { return "∅" }
        switch node {
        case .scalar(let s):
            let text = s.string.unicodeScalars.map { $0.escaped(asASCII: true) }.joined()
            return "\(s.isPlain ? "" : "q")\"\(text)\"@\(s.mark.line):\(s.mark.column)"
        case .sequence(let seq):
            return "[@\(seq.mark.line):\(seq.mark.column) " + seq.map { describe($0) }.joined(separator: ", ") + "]"
        case .mapping(let m):
            return "{@\(m.mark.line):\(m.mark.column) " + m.map { "\(describe($0.key)): \(describe($0.value))" }.joined(separator: ", ") + "}"
        }
    }
}

/// Seeded YAML documents for the differential check: generated from a grammar of front
/// matter (keys, plain, quoted and block values, flow collections, lists, nesting,
/// comments) with odd characters sprinkled in, or realistic documents mutated. The same
/// seed gives the same documents on every machine.
package struct YAMLFuzzCases {
    private var state: UInt64
    /// Whether the grammar may pick what YAML or the fast path refuses (odd words, bad
    /// escapes, misplaced indentation, empty flow entries…); else the document is written
    /// as people write front matter, so that both sides of the subset's border get cases.
    private var wild = false

    package init(seed: UInt64) { state = seed }

    /// SplitMix64.
    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    private mutating func chance(_ percent: Int) -> Bool { int(100) < percent }
    private mutating func pick<T>(_ items: [T]) -> T { items[int(items.count)] }

    package mutating func document() -> String {
        if chance(20) { return mutated(pick(Self.realistic)) }
        wild = chance(35)
        var out = ""
        var keys: [String] = []
        for _ in 0..<(1 + int(5)) { pair(into: &out, indent: 0, depth: 0, keys: &keys) }
        if chance(10) { out = "# " + word() + "\n" + out }
        if chance(10) { out.removeLast() }
        switch int(100) {
        case 0..<30: out = sprinkled(out)
        case 30..<42: out = tabbed(out)
        default: break
        }
        return out
    }

    // MARK: The grammar

    static let words = [
        "Messagerie", "Niveau", "pour", "tous", "et", "plus", "99.9", "-5", "10", "true", "null", "~", "yes",
        "https://webmail.example.be/", "smtp.example.be:587", "C#", "a#b", "50%", "2026-11-03T09:12:00+01:00",
        "é", "e\u{301}", "Boîte", "日本", "😀", "a,b", "x[y]", "{z}", "a:b", "a:?b", "x:", "-", "-x", "?x", ":y",
        "@x", "`x`", "!x", "&a", "*a", "%x", "'a'", "\"a\"", "a\\b", "\u{A0}", "...", "---", "a b", "|", ">",
    ]

    static let keyWords = ["title", "summary", "id", "name", "é", "clé", "key with spaces", "a-b", "a.b", "a/b", "x_1", "null", "1"]

    /// Words that are plain scalars in a block and in a flow collection.
    static let safeWords = Array(words.prefix(24))

    private mutating func word() -> String {
        if chance(60) { return pick(Array(Self.words.prefix(12))) }
        return wild ? pick(Self.words) : pick(Self.safeWords)
    }

    private mutating func words() -> String {
        var s = word()
        for _ in 0..<int(4) { s += (chance(90) ? " " : "  ") + word() }
        return s
    }

    private mutating func key(_ keys: inout [String]) -> String {
        if !keys.isEmpty, chance(wild ? 5 : 1) { return pick(keys) }
        var k: String
        switch int(wild ? 10 : 12) {
        case 0: k = "\"" + words() + "\""
        case 1: k = "'" + pick(Self.keyWords) + "'"
        case 2: k = word()
        default: k = pick(Self.keyWords) + (chance(50) ? String(int(20)) : "")
        }
        keys.append(k)
        return k
    }

    private static let escapes = ["\\\\", "\\\"", "\\/", "\\n", "\\t", "\\r", "\\0", "\\x41", "\\xe9", "\\x85", "\\u00e9", "\\u2028",
                                  "\\U0001F600", "\\x+1", "\\u+041", "\\x-1", "\\uD800", "\\U00110000", "\\e", "\\ ", "\\N", "\\q", "\\"]

    private mutating func quoted() -> String {
        if chance(40) {
            var s = words().replacingEvery("'", with: chance(50) ? "''" : "'")
            if chance(20) { s += "''" }
            return "'" + s + "'"
        }
        var s = words().replacingEvery("\"", with: "\\\"")
        for _ in 0..<int(3) { s += pick(wild ? Self.escapes : Array(Self.escapes.prefix(13))) + (chance(50) ? word() : "") }
        return "\"" + s + "\""
    }

    private mutating func flow(_ depth: Int) -> String {
        let isMap = chance(50)
        var parts: [String] = []
        for _ in 0..<int(4) {
            var item: String
            switch int(8) {
            case 0 where depth < 3: item = flow(depth + 1)
            case 1: item = quoted()
            case 2 where wild: item = pick(["", " ", "-", "?", ":", "#", "a:", ":a", "a :b", "[", "}"])
            default: item = chance(60) ? word() : words()
            }
            if isMap {
                let k = chance(80) ? pick(Self.keyWords) : (chance(50) ? quoted() : word())
                item = k + (wild ? pick([": ", ": ", ":", " : ", ":  "]) : ": ") + item
            }
            parts.append(item)
        }
        let sep = pick([", ", ", ", ",", " , ", ",  "])
        var body = parts.joined(separator: sep)
        if wild, chance(10) { body += "," }
        if wild, chance(10) { body += " # c" }
        let pad = chance(80) ? "" : " "
        return (isMap ? "{" : "[") + pad + body + pad + (isMap ? "}" : "]")
    }

    private mutating func indentation(_ n: Int) -> String {
        var k = n
        if wild, chance(8) { k += pick([-1, 1, -2, 2]) }
        return String(repeating: " ", count: max(0, k))
    }

    private mutating func blockScalar(into out: inout String, indent: Int) {
        out += " " + pick(wild ? ["|", ">", "|-", ">-", "|+", ">+", "|2", ">1", "|#", "| # c", "|-+"] : ["|", ">", "|-", ">-", "|+", ">+", "| # c"]) + "\n"
        let inner = indent + pick([1, 2, 2, 4])
        for _ in 0..<int(5) {
            switch int(10) {
            case 1 where !wild: out += "\n"
            case 0: out += "\n"
            case 1: out += String(repeating: " ", count: int(inner + 3)) + "\n"
            case 2: out += String(repeating: " ", count: inner + 2) + words() + "\n"
            case 3: out += String(repeating: " ", count: inner) + "# " + word() + "\n"
            default: out += String(repeating: " ", count: inner) + words() + "\n"
            }
        }
        if chance(20) { out += "\n" }
    }

    private mutating func pair(into out: inout String, indent: Int, depth: Int, keys: inout [String]) {
        out += indentation(indent) + key(&keys) + (wild ? pick([":", ":", ":", " :", ":  "]) : ":")
        value(into: &out, indent: indent, depth: depth)
    }

    private mutating func value(into out: inout String, indent: Int, depth: Int) {
        switch int(depth < 3 ? 13 : 9) {
        case 0: out += " " + quoted() + (chance(15) ? " # c" : "") + "\n"
        case 1: out += " " + flow(0) + "\n"
        case 2: blockScalar(into: &out, indent: indent)
        case 3:  // continued over more-indented lines, a comment here and there
            out += " " + words() + (chance(25) ? " # " + word() : "") + "\n"
            for _ in 0..<(1 + int(2)) {
                if chance(15) { out += pick(["\n", "# c\n", indentation(indent + 2) + "# c\n"]) }
                out += indentation(indent + 2) + words() + (chance(20) ? " # c" : "") + "\n"
            }
        case 4: out += pick(wild ? ["", " ", " # c", " #c"] : ["", " # c"]) + "\n"
        case 5, 6, 7, 8: out += " " + words() + (chance(15) ? " # " + word() : "") + "\n"
        case 9, 10:
            out += (chance(20) ? " # c" : "") + "\n"
            var keys: [String] = []
            let inner = indent + pick([1, 2, 2, 4])
            for _ in 0..<(1 + int(3)) { pair(into: &out, indent: inner, depth: depth + 1, keys: &keys) }
        default:
            out += "\n"
            sequence(into: &out, indent: indent + (chance(30) ? 0 : 2), depth: depth + 1)
        }
    }

    private mutating func sequence(into out: inout String, indent: Int, depth: Int) {
        for _ in 0..<(1 + int(3)) {
            out += indentation(indent) + pick(["- ", "- ", "-  ", "-"])
            switch int(8) {
            case 0, 1:  // a mapping opened on the entry's line
                var keys: [String] = []
                out += key(&keys) + ":"
                value(into: &out, indent: indent + 2, depth: depth + 1)
                for _ in 0..<int(3) { pair(into: &out, indent: indent + 2, depth: depth + 1, keys: &keys) }
            case 2: out += "\n"
            case 3 where depth < 3:
                out += "\n"
                var keys: [String] = []
                pair(into: &out, indent: indent + 2, depth: depth + 1, keys: &keys)
            default:
                out.removeLast()  // the entry's value goes after `- ` or `-`
                out += " "
                value(into: &out, indent: indent, depth: depth + 1)
            }
        }
    }

    // MARK: Odd characters and mutations

    /// CR, CRLF, NEL, LS, PS, BOM, C0 and C1 controls, DEL, tabs, and YAML's indicators.
    private static let odd: [String] = [
        "\t", "\t", "\t", "\r", "\r\n", "\u{85}", "\u{2028}", "\u{2029}", "\u{FEFF}", "\u{7F}", "\u{0}", "\u{1}", "\u{8}",
        "\u{B}", "\u{C}", "\u{1B}", "\u{1F}", "\u{80}", "\u{9F}", "\u{A0}", "\u{FFFE}", "\u{FFFF}", "\u{E000}", "\u{10FFFF}",
        " #", "#", " # ", "\\x+1", "\\u+041", " ", ":", ": ", "-", "- ", "\n", "\n  ", "\"", "'", "[", "]", "{", "}", ",",
        "?", "|", ">", "&", "*", "!", "%", "@", "`", "\\", "---", "...",
    ]

    private mutating func sprinkled(_ text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        for _ in 0..<(1 + int(3)) {
            let at = int(scalars.count + 1)
            let piece = Array(pick(Self.odd).unicodeScalars)
            if at < scalars.count, chance(30) {
                scalars.replaceSubrange(at..<(at + 1), with: piece)
            } else {
                scalars.insert(contentsOf: piece, at: at)
            }
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars)
        return String(out)
    }

    /// Tabs where YAML's rules about them differ: in indentation, before and after `:`,
    /// after `-`, at a line's end, alone on a line, inside flow and quoted text.
    private mutating func tabbed(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for _ in 0..<(1 + int(2)) {
            let k = int(lines.count)
            var line = lines[k]
            switch int(7) {
            case 0: line = "\t" + line
            case 1: line = line.replacingEvery(": ", with: pick(["\t: ", ":\t", ": \t"]))
            case 2: line = line.replacingEvery("- ", with: "-\t")
            case 3: line += pick(["\t", " \t", "\t# c"])
            case 4: line = pick(["\t", " \t", "\t\t", "  \t  "])
            case 5: line = line.replacingEvery(", ", with: ",\t")
            default:
                let chars = Array(line)
                let at = chars.isEmpty ? 0 : int(chars.count)
                line = String(chars[..<at]) + "\t" + String(chars[at...])
            }
            lines[k] = line
        }
        return lines.joined(separator: "\n")
    }

    private mutating func mutated(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for _ in 0..<(1 + int(3)) {
            let k = int(lines.count)
            switch int(6) {
            case 0: lines.insert(lines[k], at: k)
            case 1: if lines.count > 1 { lines.remove(at: k) }
            case 2: lines[k] = pick(["", " ", "  "]) + lines[k]
            case 3: if lines[k].hasPrefix(" ") { lines[k].removeFirst() }
            case 4: lines.insert(indentation(int(4)) + pick(["# c", "- x", "x", "k: v", "  more text", ""]), at: k)
            default: lines[k] = sprinkled(lines[k])
            }
        }
        var out = lines.joined(separator: "\n")
        if chance(40) { out = sprinkled(out) }
        return out
    }

    /// Front matter and site.yaml as people write them.
    static let realistic = [
        """
        title: Messagerie électronique
        summary: Boîtes aux lettres, agendas et carnets d'adresses pour vos collaborateurs, accessibles
          depuis le poste de travail et le smartphone.
        category: communication
        delivery: SaaS
        service_level: critical
        manager:
          name: Sophie Lambert
          email: spoc.messagerie@example.be
          phone: "+32 2 000 00 10"
        packs:
          - id: standard
            name: Pack standard
            description: La boîte aux lettres personnelle de chaque collaborateur.
            includes:
              - Boîte aux lettres de 50 Go
              - Webmail et synchronisation mobile
        components:
          - {id: webmail, name: Webmail, monitor: {job: blackbox, instance: "https://webmail.example.be/"}}
          - id: smtp
            monitor: {job: blackbox, instance: smtp.example.be:587}
        tags: [courriel, agenda, mobile]
        weight: 10

        """,
        """
        title: Webmail inaccessible # pour une partie des utilisateurs
        kind: incident
        severity: partial_outage
        affected: [messagerie/webmail]
        started_at: 2026-11-03T09:12:00+01:00
        updates:
          - at: 2026-11-03T09:20:00+01:00
            status: investigating
            body: "Le webmail est très lent.\\nLes clients fonctionnent normalement."
          - at: 2026-11-03T10:40:00+01:00
            status: resolved
            body: |
              La version précédente a été réinstallée.

              Le webmail est à nouveau accessible.
        draft: false

        """,
        """
        # Example site
        title:
          fr: "Catalogue de services ICT"
          nl: 'ICT-dienstencatalogus'
        languages: [fr, nl]
        service_levels:
          critical: {name: {fr: Critique, nl: Kritiek}, target: 99.9, hours: "24h/24, 7j/7"}
          standard:
            target: 99.7 %
            description: >-
              Pour les services importants dont une
              courte interruption peut être contournée.
        support:
          escalation:
          - role: {fr: "Responsable", nl: "Verantwoordelijke"}
            contact: partner-relations
        summary: Niveau #2 pour tous
          et plus.

        """,
        """
        language_name: Français
        locale:
          decimal_separator: ","
          percent: "{n}\u{202F}%"
          months: [janvier, février, mars, avril]
        strings:
          colon: " : "
          skip_to_content: Aller au contenu
          breadcrumb: Fil d'Ariane
        """,
    ]
}
