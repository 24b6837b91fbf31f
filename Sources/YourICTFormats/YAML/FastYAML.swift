/// A parser for a small, fixed subset of YAML: the YAML that front matter, `site.yaml` and
/// a theme's interface strings are written in. It is many times faster than Yams (libyaml
/// events plus node construction), which matters at thousands of files.
///
/// It never reports errors and never guesses. A document outside the subset gives
/// `.unsupported`, and the caller gives it to Yams, which reads it or writes the diagnostic.
/// Inside the subset it reads what libyaml reads through Yams: the same values, styles and
/// positions. The subset is chosen so that this holds by construction rather than by
/// imitating libyaml's corners; the YAML test suite (`YAMLConformanceTests`) and
/// differential fuzzing against Yams (`YAMLDifferentialTests`, docs/fuzzing.md) check it.
///
/// The subset:
/// - Characters: line feeds, printable ASCII, and the non-ASCII characters libyaml takes as
///   text, less U+FEFF (BOM), U+2028 and U+2029 (line separators). No tab, CR, NEL, other
///   C0 or C1 control, or DEL anywhere.
/// - No `%` directive and no line starting with `---` or `...`.
/// - The document is a block mapping whose keys start at the first column, or only
///   comments and blank lines.
/// - Block mapping: `key: value` lines at one indentation, each key once. A key is plain
///   (letters, digits, non-ASCII, `_`, then also `-`, `.`, `/` and spaces) or quoted on its
///   line, at most `maxKeyBytes` long, followed by `:` and a space or the end of the line.
/// - Block sequence: `- ` entries at one indentation (a mapping's value may have them at
///   the key's indentation). An entry holds a value, or `key: value` opening a mapping at
///   the key's column, or nothing on its line and a nested block or nothing below.
/// - Values: a plain scalar that starts with a letter, a digit, non-ASCII or one of
///   `_ . / ( ) + = ~ $ ^ ; < \`, or `-` before a letter, digit or `.`; holds no `: ` and
///   no ` #` (a comment after a space ends it); and continues on more-indented lines (not
///   starting with `-` or an indicator) with no blank or comment line between and no
///   more-indented line after a comment. A quoted scalar on one line, with the escapes
///   `\\ \" \/ \n \t \r \0 \xHH \uHHHH \UHHHHHHHH`. A flow sequence or mapping on one line,
///   of scalars and flow collections, with `key: value` pairs (a value in each), no empty
///   entry and no comma before the closing bracket. `|` or `>` block text, with `-` or `+`
///   and no indentation indicator, whose blank lines are empty (no spaces), and a folded
///   one's lines not more indented than its first. Nothing (null). A nested block below.
/// - Comments after a space, and comment lines.
package struct FastYAML {
    package enum Outcome {
        case node(YAMLNode)
        /// Only blank lines and comments.
        case empty
        case unsupported
    }

    /// libyaml refuses a simple key longer than 1,024 characters; a key of the subset stays
    /// far below that, in bytes.
    static let maxKeyBytes = 200
    /// Flow collections nested deeper are left to Yams (and to `YAMLDocument`'s limits).
    static let maxFlowDepth = 32

    private struct Unsupported: Error {}

    private let b: [UInt8]
    private var lineStart: [Int] = []
    private var lineEnd: [Int] = []
    private var indent: [Int] = []
    /// Lines holding only spaces, or spaces then a comment.
    private var blank: [Bool] = []
    /// Whether the text's last line ends with a line feed.
    private let endsWithBreak: Bool
    private var i = 0

    package static func parse(_ text: String) -> Outcome {
        guard var parser = FastYAML(Array(text.utf8)) else { return .unsupported }
        do {
            return try parser.document()
        } catch {
            return .unsupported
        }
    }

    /// Splits the lines and checks the characters in one pass; nil when a character is
    /// outside the subset.
    private init?(_ bytes: [UInt8]) {
        b = bytes
        endsWithBreak = bytes.last == 10
        var start = 0
        var k = 0
        let count = bytes.count
        while k < count {
            let c = bytes[k]
            if c >= 0x20 && c < 0x7F { k += 1; continue }
            if c == 10 {
                addLine(start, k)
                k += 1
                start = k
                continue
            }
            // Valid UTF-8 (a String's): a lead byte has its continuation bytes.
            switch c {
            case 0xC2:
                if bytes[k + 1] < 0xA0 { return nil }  // C1 controls, NEL among them
            case 0xE2:
                if bytes[k + 1] == 0x80 && (bytes[k + 2] == 0xA8 || bytes[k + 2] == 0xA9) { return nil }  // LS, PS
            case 0xEF:
                if bytes[k + 1] == 0xBB && bytes[k + 2] == 0xBF { return nil }  // BOM
                if bytes[k + 1] == 0xBF && bytes[k + 2] >= 0xBE { return nil }  // U+FFFE, U+FFFF
            default:
                if c < 0x80 { return nil }  // tab, CR, other C0 controls, DEL
            }
            k += 1
        }
        if start < count { addLine(start, count) }
    }

    private mutating func addLine(_ start: Int, _ end: Int) {
        var p = start
        while p < end, b[p] == 32 { p += 1 }
        lineStart.append(start)
        lineEnd.append(end)
        indent.append(p - start)
        blank.append(p == end || b[p] == 35)
    }

    // MARK: Structure

    private mutating func document() throws -> Outcome {
        for k in lineStart.indices where !blank[k] && indent[k] == 0 {
            let s = lineStart[k]
            if b[s] == 37 { throw Unsupported() }  // %
            if lineEnd[k] - s >= 3, (b[s] == 45 && b[s + 1] == 45 && b[s + 2] == 45) || (b[s] == 46 && b[s + 1] == 46 && b[s + 2] == 46) {
                throw Unsupported()
            }
        }
        skipBlank()
        guard i < lineStart.count else { return .empty }
        guard indent[i] == 0, !isSequenceEntry(i) else { throw Unsupported() }
        let node = try mapping(indent: 0, firstKeyAt: lineStart[i])
        skipBlank()
        guard i == lineStart.count else { throw Unsupported() }
        return .node(node)
    }

    private mutating func skipBlank() {
        while i < lineStart.count, blank[i] { i += 1 }
    }

    private func isSequenceEntry(_ k: Int) -> Bool {
        let p = lineStart[k] + indent[k]
        return b[p] == 45 && (p + 1 == lineEnd[k] || b[p + 1] == 32)
    }

    /// A block mapping whose keys sit at column `n`; the first key may start mid-line
    /// (`- id: x` opens a mapping at the column of `id`).
    private mutating func mapping(indent n: Int, firstKeyAt first: Int) throws -> YAMLNode {
        var pairs: [(key: YAMLNode, value: YAMLNode)] = []
        var seen = SeenKeys()
        var keyAt: Int? = first
        let mark = self.mark(first, line: i)
        while true {
            let p: Int
            if let at = keyAt {
                p = at
                keyAt = nil
            } else {
                skipBlank()
                guard i < lineStart.count, indent[i] >= n else { break }
                guard indent[i] == n, !isSequenceEntry(i) else { throw Unsupported() }
                p = lineStart[i] + n
            }
            guard let found = try self.key(at: p) else { throw Unsupported() }
            let (key, colon) = found
            guard seen.insert(key.string ?? "") else { throw Unsupported() }
            var q = colon + 1
            while q < lineEnd[i], b[q] == 32 { q += 1 }
            let value: YAMLNode
            if q == lineEnd[i] || b[q] == 35 {
                value = try nestedOrNull(markAt: colon + 1, parentIndent: n, sequenceAtSameIndent: true)
            } else {
                value = try inlineValue(at: q, parentIndent: n)
            }
            pairs.append((key, value))
        }
        return .mapping(YAMLNode.Mapping(pairs: pairs, mark: mark))
    }

    private mutating func sequence(indent n: Int) throws -> YAMLNode {
        var items: [YAMLNode] = []
        let mark = self.mark(lineStart[i] + n, line: i)
        while true {
            skipBlank()
            guard i < lineStart.count, indent[i] == n, isSequenceEntry(i) else {
                if i < lineStart.count, indent[i] > n { throw Unsupported() }
                break
            }
            let dash = lineStart[i] + n
            var p = dash + 1
            while p < lineEnd[i], b[p] == 32 { p += 1 }
            if p == lineEnd[i] || b[p] == 35 {
                items.append(try nestedOrNull(markAt: dash + 1, parentIndent: n, sequenceAtSameIndent: false))
            } else if b[p] == 45, p + 1 == lineEnd[i] || b[p + 1] == 32 {
                throw Unsupported()  // `- - x`
            } else if try key(at: p) != nil {
                items.append(try mapping(indent: p - lineStart[i], firstKeyAt: p))
            } else {
                items.append(try inlineValue(at: p, parentIndent: n))
            }
        }
        return .sequence(YAMLNode.SequenceNode(items: items, mark: mark))
    }

    /// What follows a line that ends after `key:` or `-`: a block indented more, a
    /// sequence at the key's own indentation (`key:` then `- item`, for a mapping's value),
    /// or null, placed where libyaml places it: just after the `:` or `-`.
    private mutating func nestedOrNull(markAt p: Int, parentIndent n: Int, sequenceAtSameIndent: Bool) throws -> YAMLNode {
        let here = i
        i += 1
        skipBlank()
        if i < lineStart.count {
            if indent[i] > n {
                if isSequenceEntry(i) { return try sequence(indent: indent[i]) }
                return try mapping(indent: indent[i], firstKeyAt: lineStart[i] + indent[i])
            }
            if sequenceAtSameIndent, indent[i] == n, isSequenceEntry(i) { return try sequence(indent: n) }
        }
        i = here + 1
        return .scalar(YAMLNode.Scalar(string: "", isPlain: true, mark: mark(p, line: here)))
    }

    /// The key starting at `p` on the current line and the offset of its `:`, or nil when
    /// the text there is not a key of the subset.
    private func key(at p: Int) throws -> (YAMLNode, colon: Int)? {
        let end = lineEnd[i]
        if b[p] == 34 || b[p] == 39 {
            guard let close = closingQuote(from: p), close + 1 - p <= Self.maxKeyBytes else { return nil }
            var q = close + 1
            while q < end, b[q] == 32 { q += 1 }
            guard q < end, b[q] == 58, q + 1 == end || b[q + 1] == 32 else { return nil }
            let text = try quoted(p, close)
            return (.scalar(YAMLNode.Scalar(string: text, isPlain: false, mark: mark(p, line: i))), q)
        }
        let c = b[p]
        guard c >= 0x80 || Self.isAlphanumeric(c) || c == 95 else { return nil }
        var q = p + 1
        while true {
            guard q < end else { return nil }
            let c = b[q]
            if c == 58 {
                guard q + 1 == end || b[q + 1] == 32 else { return nil }
                break
            }
            // Letters, digits, non-ASCII, `_ - . /` and spaces.
            guard c >= 0x80 || Self.isAlphanumeric(c) || c == 95 || c == 45 || c == 46 || c == 47 || c == 32 else { return nil }
            q += 1
        }
        var e = q
        while b[e - 1] == 32 { e -= 1 }
        guard e - p <= Self.maxKeyBytes else { return nil }
        let text = String(decoding: b[p..<e], as: UTF8.self)
        return (.scalar(YAMLNode.Scalar(string: text, isPlain: true, mark: mark(p, line: i))), q)
    }

    // MARK: Values

    private mutating func inlineValue(at p: Int, parentIndent n: Int) throws -> YAMLNode {
        let end = lineEnd[i]
        switch b[p] {
        case 91, 123:  // [ {
            var q = p
            let node = try flow(&q, end, depth: 1)
            try expectLineEnd(q)
            i += 1
            return node
        case 34, 39:  // " '
            guard let close = closingQuote(from: p) else { throw Unsupported() }
            let text = try quoted(p, close)
            try expectLineEnd(close + 1)
            let node = YAMLNode.scalar(YAMLNode.Scalar(string: text, isPlain: false, mark: mark(p, line: i)))
            i += 1
            return node
        case 124, 62:  // | >
            return try blockScalar(at: p, parentIndent: n)
        default:
            guard canStartPlain(p, end) else { throw Unsupported() }
            return try plain(at: p, parentIndent: n)
        }
    }

    /// Only spaces, then the end of the line or a comment after at least one space.
    private func expectLineEnd(_ from: Int) throws {
        var q = from
        while q < lineEnd[i], b[q] == 32 { q += 1 }
        if q == lineEnd[i] { return }
        guard b[q] == 35, q > from else { throw Unsupported() }
    }

    private static func isAlphanumeric(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
    }

    /// Whether a plain scalar of the subset may start at `p`: see the type's comment.
    private func canStartPlain(_ p: Int, _ end: Int) -> Bool {
        let c = b[p]
        if c >= 0x80 || Self.isAlphanumeric(c) { return true }
        switch c {
        case 95, 46, 47, 40, 41, 43, 61, 126, 36, 94, 59, 60, 92:  // _ . / ( ) + = ~ $ ^ ; < \
            return true
        case 45:  // -
            return p + 1 < end && (Self.isAlphanumeric(b[p + 1]) || b[p + 1] == 46)
        default:
            return false
        }
    }

    /// A plain scalar in a block, folded over more-indented continuation lines.
    private mutating func plain(at p: Int, parentIndent n: Int) throws -> YAMLNode {
        let mark = self.mark(p, line: i)
        let first = try plainLine(from: p, lineEnd[i])
        var commented = first.commented
        var bytes: [UInt8]? = nil
        i += 1
        while !commented, i < lineStart.count, !blank[i], indent[i] > n {
            let s = lineStart[i] + indent[i]
            guard b[s] != 45, canStartPlain(s, lineEnd[i]) else { throw Unsupported() }
            let next = try plainLine(from: s, lineEnd[i])
            commented = next.commented
            if bytes == nil { bytes = Array(b[first.text]) }
            bytes!.append(32)
            bytes!.append(contentsOf: b[next.text])
            i += 1
        }
        // A line more indented after a blank or comment line, or after a comment, would be
        // a line break in the scalar or an error: left to Yams.
        var k = i
        while k < lineStart.count, blank[k] { k += 1 }
        if k < lineStart.count, indent[k] > n { throw Unsupported() }
        let text = bytes.map { String(decoding: $0, as: UTF8.self) } ?? String(decoding: b[first.text], as: UTF8.self)
        return .scalar(YAMLNode.Scalar(string: text, isPlain: true, mark: mark))
    }

    /// One line of a plain scalar in a block: its text without trailing spaces, and
    /// whether a comment ends it.
    private func plainLine(from p: Int, _ end: Int) throws -> (text: Range<Int>, commented: Bool) {
        var q = p
        var last = p
        while q < end {
            let c = b[q]
            if c == 32 {
                if q + 1 < end, b[q + 1] == 35 { return (p..<last, true) }
            } else {
                if c == 58, q + 1 == end || b[q + 1] == 32 { throw Unsupported() }
                last = q + 1
            }
            q += 1
        }
        return (p..<last, false)
    }

    /// `|` and `>` with optional chomping.
    private mutating func blockScalar(at p: Int, parentIndent n: Int) throws -> YAMLNode {
        let literal = b[p] == 124
        var chomp: UInt8 = 0
        var q = p + 1
        if q < lineEnd[i], b[q] == 45 || b[q] == 43 { chomp = b[q]; q += 1 }
        guard q == lineEnd[i] || b[q] == 32 else { throw Unsupported() }
        try expectLineEnd(q)
        let mark = self.mark(p, line: i)
        i += 1
        var contentIndent: Int? = nil
        var lines: [Range<Int>] = []
        var trailingEmpty = 0
        while i < lineStart.count {
            if lineEnd[i] == lineStart[i] {
                lines.append(lineStart[i]..<lineStart[i])
                trailingEmpty += 1
                i += 1
                continue
            }
            let ind = indent[i]
            // Spaces on an otherwise empty line may be content or an error in YAML.
            if lineStart[i] + ind == lineEnd[i] { throw Unsupported() }
            if contentIndent == nil {
                guard ind > n else { break }
                contentIndent = ind
            }
            guard let ci = contentIndent, ind >= ci else { break }
            if ind > ci, !literal { throw Unsupported() }
            lines.append((lineStart[i] + ci)..<lineEnd[i])
            trailingEmpty = 0
            i += 1
        }
        let content = lines.dropLast(trailingEmpty)
        // The last content line's break, which clipping keeps, is missing when that line
        // ends the text without one.
        let lastHasBreak = !(trailingEmpty == 0 && i == lineStart.count && !endsWithBreak)
        var out: [UInt8] = []
        if literal {
            for (k, range) in content.enumerated() {
                if k > 0 { out.append(10) }
                out.append(contentsOf: b[range])
            }
        } else {
            var previousEmpty = true
            for range in content {
                if range.isEmpty {
                    out.append(10)
                    previousEmpty = true
                } else {
                    if !previousEmpty && out.last != 10 { out.append(32) }
                    out.append(contentsOf: b[range])
                    previousEmpty = false
                }
            }
        }
        if !content.isEmpty {
            switch chomp {
            case 45: break
            case 43:
                if lastHasBreak { out.append(10) }
                out.append(contentsOf: repeatElement(10, count: trailingEmpty))
            default:
                if lastHasBreak { out.append(10) }
            }
        } else if chomp == 43 {
            out = Array(repeating: 10, count: trailingEmpty)
        }
        return .scalar(YAMLNode.Scalar(string: String(decoding: out, as: UTF8.self), isPlain: false, mark: mark))
    }

    // MARK: Flow collections (on one line)

    private func flow(_ q: inout Int, _ end: Int, depth: Int) throws -> YAMLNode {
        guard depth <= Self.maxFlowDepth else { throw Unsupported() }
        let open = b[q]
        let mark = self.mark(q, line: i)
        q += 1
        let close: UInt8 = open == 91 ? 93 : 125
        var items: [YAMLNode] = []
        var pairs: [(key: YAMLNode, value: YAMLNode)] = []
        var seen = SeenKeys()
        skipSpaces(&q, end)
        if q < end, b[q] == close {
            q += 1
            return open == 91 ? .sequence(YAMLNode.SequenceNode(items: [], mark: mark)) : .mapping(YAMLNode.Mapping(pairs: [], mark: mark))
        }
        while true {
            skipSpaces(&q, end)
            guard q < end else { throw Unsupported() }
            if open == 91 {
                items.append(try flowNode(&q, end, depth: depth))
            } else {
                let key = try flowScalar(&q, end, isKey: true)
                guard seen.insert(key.string ?? "") else { throw Unsupported() }
                skipSpaces(&q, end)
                guard q + 1 < end, b[q] == 58, b[q + 1] == 32 else { throw Unsupported() }
                q += 2
                skipSpaces(&q, end)
                guard q < end else { throw Unsupported() }
                pairs.append((key, try flowNode(&q, end, depth: depth)))
            }
            skipSpaces(&q, end)
            guard q < end else { throw Unsupported() }
            if b[q] == 44 {
                q += 1
                continue
            }
            guard b[q] == close else { throw Unsupported() }
            q += 1
            break
        }
        return open == 91 ? .sequence(YAMLNode.SequenceNode(items: items, mark: mark)) : .mapping(YAMLNode.Mapping(pairs: pairs, mark: mark))
    }

    private func skipSpaces(_ q: inout Int, _ end: Int) {
        while q < end, b[q] == 32 { q += 1 }
    }

    private func flowNode(_ q: inout Int, _ end: Int, depth: Int) throws -> YAMLNode {
        if b[q] == 91 || b[q] == 123 { return try flow(&q, end, depth: depth + 1) }
        return try flowScalar(&q, end, isKey: false)
    }

    /// A quoted or plain scalar inside a flow collection. A key's plain text ends at `: `;
    /// in other scalars `: ` is left to Yams (a pair in a sequence, or an error).
    private func flowScalar(_ q: inout Int, _ end: Int, isKey: Bool) throws -> YAMLNode {
        let start = q
        if b[q] == 34 || b[q] == 39 {
            guard let close = closingQuote(from: q), !isKey || close + 1 - start <= Self.maxKeyBytes else { throw Unsupported() }
            let text = try quoted(q, close)
            q = close + 1
            return .scalar(YAMLNode.Scalar(string: text, isPlain: false, mark: mark(start, line: i)))
        }
        guard canStartPlain(q, end) else { throw Unsupported() }
        var last = q
        while q < end {
            let c = b[q]
            if c == 44 || c == 91 || c == 93 || c == 123 || c == 125 { break }  // , [ ] { }
            if c == 58 {
                let next = q + 1 < end ? b[q + 1] : 32
                if next == 32 {
                    guard isKey else { throw Unsupported() }
                    break
                }
                // `:` inside the text only before a letter, a digit or `/` (as in a URL).
                guard Self.isAlphanumeric(next) || next == 47 else { throw Unsupported() }
            }
            if c == 32 {
                if q + 1 < end, b[q + 1] == 35 { throw Unsupported() }
            } else {
                last = q + 1
            }
            q += 1
        }
        if isKey, last - start > Self.maxKeyBytes { throw Unsupported() }
        return .scalar(YAMLNode.Scalar(string: String(decoding: b[start..<last], as: UTF8.self), isPlain: true, mark: mark(start, line: i)))
    }

    // MARK: Quoted scalars (on one line)

    private func closingQuote(from p: Int) -> Int? {
        let end = lineEnd[i]
        let quote = b[p]
        var q = p + 1
        while q < end {
            let c = b[q]
            if c == quote {
                if quote == 39, q + 1 < end, b[q + 1] == 39 { q += 2; continue }
                return q
            }
            q += quote == 34 && c == 92 ? 2 : 1
        }
        return nil
    }

    private func quoted(_ open: Int, _ close: Int) throws -> String {
        let inner = b[(open + 1)..<close]
        if b[open] == 39 {
            guard inner.contains(39) else { return String(decoding: inner, as: UTF8.self) }
            var out: [UInt8] = []
            var k = inner.startIndex
            while k < inner.endIndex {
                out.append(inner[k])
                k += inner[k] == 39 ? 2 : 1
            }
            return String(decoding: out, as: UTF8.self)
        }
        guard inner.contains(92) else { return String(decoding: inner, as: UTF8.self) }
        var out = ""
        var k = inner.startIndex
        var run = k
        func flush(_ to: Int) { out += String(decoding: inner[run..<to], as: UTF8.self) }
        while k < inner.endIndex {
            guard inner[k] == 92 else { k += 1; continue }
            flush(k)
            guard k + 1 < inner.endIndex else { throw Unsupported() }
            let e = inner[k + 1]
            k += 2
            switch e {
            case 34: out += "\""
            case 92: out += "\\"
            case 47: out += "/"
            case 110: out += "\n"
            case 116: out += "\t"
            case 114: out += "\r"
            case 48: out += "\0"
            case 117, 120, 85:  // u x U
                let digits = e == 120 ? 2 : e == 117 ? 4 : 8
                guard k + digits <= inner.endIndex else { throw Unsupported() }
                var value: UInt32 = 0
                for d in inner[k..<(k + digits)] {
                    // Hex digits only: `UInt32(_:radix:)` would take a sign (`\x+1`).
                    let v: UInt8
                    switch d {
                    case 48...57: v = d - 48
                    case 65...70: v = d - 55
                    case 97...102: v = d - 87
                    default: throw Unsupported()
                    }
                    value = value << 4 | UInt32(v)
                }
                guard let scalar = Unicode.Scalar(value) else { throw Unsupported() }
                out.unicodeScalars.append(scalar)
                k += digits
            default:
                // \a \b \e \f \v \N \_ \L \P, an escaped space or tab, and invalid escapes.
                throw Unsupported()
            }
            run = k
        }
        flush(inner.endIndex)
        return out
    }

    // MARK: Positions

    /// Where the last mark was taken. Marks are asked left to right along a line, so each
    /// counts on from the previous one rather than from the line's start: a flow
    /// collection puts a dozen nodes on one long line.
    private final class MarkCursor {
        var line = -1
        var byte = 0
        var column = 1
    }

    private let cursor = MarkCursor()

    /// The mark of byte `p` on line `k`: column counted in Unicode scalars, as libyaml does.
    private func mark(_ p: Int, line k: Int) -> YAMLNode.Mark {
        var q = lineStart[k], column = 1
        if cursor.line == k, cursor.byte <= p, cursor.byte >= q {
            q = cursor.byte
            column = cursor.column
        }
        while q < p {
            if b[q] & 0xC0 != 0x80 { column += 1 }
            q += 1
        }
        cursor.line = k
        cursor.byte = p
        cursor.column = column
        return YAMLNode.Mark(line: k + 1, column: column)
    }
}

/// The keys of one mapping so far, to refuse a duplicate: a list while there are few
/// (front matter mappings have a handful, and hashing each costs more than comparing),
/// a set beyond. Keys compare as Swift strings compare, canonically, as Yams compares them.
private struct SeenKeys {
    private var list: [String] = []
    private var set: Set<String>? = nil

    /// False when `key` was seen before.
    mutating func insert(_ key: String) -> Bool {
        if set != nil { return set!.insert(key).inserted }
        if list.contains(key) { return false }
        list.append(key)
        if list.count == 16 {
            set = Set(list)
            list = []
        }
        return true
    }
}
