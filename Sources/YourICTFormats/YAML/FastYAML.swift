/// A parser for the YAML that front matter and `site.yaml` use in practice: block
/// mappings and sequences, single-line flow collections, plain, quoted and block
/// scalars, comments. It is about twenty times faster than Yams (libyaml events plus
/// node construction), which matters at thousands of files.
///
/// It never reports errors and never guesses: anything outside that subset, or not
/// valid, gives `.unsupported`, and the caller parses the text with Yams, which then
/// also produces the diagnostics. A test compares both parsers on every content file
/// of the example site and on many variants.
struct FastYAML {
    enum Outcome {
        case node(YAMLNode)
        /// Only blank lines and comments.
        case empty
        case unsupported
    }

    private struct Unsupported: Error {}

    private let b: [UInt8]
    private var lineStart: [Int] = []
    private var lineEnd: [Int] = []
    private var indent: [Int] = []
    /// Blank or comment-only lines.
    private var blank: [Bool] = []
    private var i = 0

    package static func parse(_ text: String) -> Outcome {
        var parser = FastYAML(Array(text.utf8))
        do {
            return try parser.document()
        } catch {
            return .unsupported
        }
    }

    private init(_ bytes: [UInt8]) {
        b = bytes
        var start = 0
        for (k, byte) in bytes.enumerated() where byte == 10 {
            addLine(start, k)
            start = k + 1
        }
        if start < bytes.count { addLine(start, bytes.count) }
    }

    private mutating func addLine(_ start: Int, _ end0: Int) {
        var end = end0
        if end > start, b[end - 1] == 13 { end -= 1 }
        var p = start
        while p < end, b[p] == 32 { p += 1 }
        lineStart.append(start)
        lineEnd.append(end)
        indent.append(p - start)
        blank.append(p == end || b[p] == 35 || (p < end && b[p] == 9 && Self.onlyWhitespace(b, p, end)))
    }

    private static func onlyWhitespace(_ b: [UInt8], _ from: Int, _ to: Int) -> Bool {
        var p = from
        while p < to { if b[p] != 32 && b[p] != 9 { return false }; p += 1 }
        return true
    }

    // MARK: Structure

    private mutating func document() throws -> Outcome {
        // Directives, document markers and tabs in indentation are left to Yams.
        for k in lineStart.indices where !blank[k] {
            let s = lineStart[k]
            if b[s] == 37 { throw Unsupported() }
            if lineEnd[k] - s >= 3, (b[s] == 45 && b[s + 1] == 45 && b[s + 2] == 45) || (b[s] == 46 && b[s + 1] == 46 && b[s + 2] == 46) {
                throw Unsupported()
            }
            if b[s + indent[k]] == 9 { throw Unsupported() }
        }
        skipBlank()
        guard i < lineStart.count else { return .empty }
        let node = try block(minIndent: 0, parentIndent: -1)
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

    /// A block node starting on the current line (after blank lines).
    private mutating func block(minIndent: Int, parentIndent: Int) throws -> YAMLNode {
        skipBlank()
        guard i < lineStart.count, indent[i] >= minIndent else { throw Unsupported() }
        if isSequenceEntry(i) { return try sequence(indent: indent[i]) }
        return try mapping(indent: indent[i], firstKeyAt: lineStart[i] + indent[i])
    }

    /// A block mapping whose keys sit at `indent`; the first key may start mid-line
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
                guard i < lineStart.count else { break }
                if indent[i] < n { break }
                guard indent[i] == n, !isSequenceEntry(i) else { throw Unsupported() }
                p = lineStart[i] + n
            }
            let (key, colon) = try self.key(at: p)
            guard seen.insert(key.string ?? "") else { throw Unsupported() }
            let value = try valueAfterColon(colon + 1, parentIndent: n)
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
            var p = lineStart[i] + n + 1
            while p < lineEnd[i], b[p] == 32 { p += 1 }
            if p == lineEnd[i] || b[p] == 35 {
                items.append(try nestedOrNull(after: p, parentIndent: n, sameIndentSequence: false))
            } else if b[p] == 45, p + 1 == lineEnd[i] || b[p + 1] == 32 {
                throw Unsupported()
            } else if looksLikeKey(at: p) {
                let column = p - lineStart[i]
                items.append(try mapping(indent: column, firstKeyAt: p))
            } else {
                items.append(try inlineValue(at: p, parentIndent: n))
            }
        }
        return .sequence(YAMLNode.SequenceNode(items: items, mark: mark))
    }

    /// After `key:`: a value on the same line, a nested block below, or null.
    private mutating func valueAfterColon(_ after: Int, parentIndent n: Int) throws -> YAMLNode {
        var p = after
        while p < lineEnd[i], b[p] == 32 { p += 1 }
        if p == lineEnd[i] || b[p] == 35 { return try nestedOrNull(after: after, parentIndent: n, sameIndentSequence: true) }
        return try inlineValue(at: p, parentIndent: n)
    }

    /// The block below a line that ends after `key:` or `-`, or null. A mapping key may
    /// have its sequence at its own indentation (`key:` then `- item`); a sequence entry may not.
    private mutating func nestedOrNull(after p: Int, parentIndent n: Int, sameIndentSequence: Bool) throws -> YAMLNode {
        let here = i
        i += 1
        skipBlank()
        if i < lineStart.count, indent[i] > n || (sameIndentSequence && indent[i] == n && isSequenceEntry(i)) {
            return try block(minIndent: indent[i], parentIndent: n)
        }
        i = here + 1
        return .scalar(YAMLNode.Scalar(string: "", isPlain: true, mark: mark(p, line: here)))
    }

    /// A key followed by `:` and a space or the end of the line.
    private func looksLikeKey(at p: Int) -> Bool {
        let end = lineEnd[i]
        if b[p] == 91 || b[p] == 123 { return false }
        if b[p] == 34 || b[p] == 39 {
            guard let close = closingQuote(from: p) else { return false }
            var q = close + 1
            while q < end, b[q] == 32 { q += 1 }
            return q < end && b[q] == 58 && (q + 1 == end || b[q + 1] == 32)
        }
        var q = p
        while q < end {
            if b[q] == 58 && (q + 1 == end || b[q + 1] == 32) { return true }
            if b[q] == 35 && q > p && b[q - 1] == 32 { return false }
            q += 1
        }
        return false
    }

    private func key(at p: Int) throws -> (YAMLNode, colon: Int) {
        let end = lineEnd[i]
        if b[p] == 34 || b[p] == 39 {
            guard let close = closingQuote(from: p) else { throw Unsupported() }
            let text = try quoted(p, close)
            var q = close + 1
            while q < end, b[q] == 32 { q += 1 }
            guard q < end, b[q] == 58, q + 1 == end || b[q + 1] == 32 else { throw Unsupported() }
            return (.scalar(YAMLNode.Scalar(string: text, isPlain: false, mark: mark(p, line: i))), q)
        }
        guard Self.canStartPlain(b, p, end) else { throw Unsupported() }
        var q = p
        while q < end {
            if b[q] == 58 && (q + 1 == end || b[q + 1] == 32) { break }
            if b[q] == 35 && b[q - 1] == 32 { throw Unsupported() }
            q += 1
        }
        guard q < end else { throw Unsupported() }
        var e = q
        while e > p, b[e - 1] == 32 { e -= 1 }
        let text = String(decoding: b[p..<e], as: UTF8.self)
        return (.scalar(YAMLNode.Scalar(string: text, isPlain: true, mark: mark(p, line: i))), q)
    }

    // MARK: Values

    private mutating func inlineValue(at p: Int, parentIndent n: Int) throws -> YAMLNode {
        let end = lineEnd[i]
        switch b[p] {
        case 91, 123:  // [ {
            var q = p
            let node = try flow(&q, end)
            try expectLineEnd(q)
            i += 1
            return node
        case 34, 39:  // " '
            guard let close = closingQuote(from: p) else { throw Unsupported() }
            let text = try quoted(p, close)
            try expectLineEnd(close + 1)
            i += 1
            return .scalar(YAMLNode.Scalar(string: text, isPlain: false, mark: mark(p, line: i - 1)))
        case 124, 62:  // | >
            return try blockScalar(at: p, parentIndent: n)
        default:
            guard Self.canStartPlain(b, p, end) else { throw Unsupported() }
            return try plain(at: p, parentIndent: n)
        }
    }

    /// Only spaces, then the end of the line or a comment (after at least one space).
    private func expectLineEnd(_ from: Int) throws {
        var q = from
        while q < lineEnd[i], b[q] == 32 { q += 1 }
        if q == lineEnd[i] { return }
        guard b[q] == 35, q > from else { throw Unsupported() }
    }

    /// A plain scalar, folded over more-indented continuation lines.
    private mutating func plain(at p: Int, parentIndent n: Int) throws -> YAMLNode {
        let line = i
        var text = try plainLine(from: p, lineEnd[i])
        i += 1
        while i < lineStart.count, !blank[i], indent[i] > n {
            let s = lineStart[i] + indent[i]
            guard Self.canStartPlain(b, s, lineEnd[i]) else { throw Unsupported() }
            text += " " + (try plainLine(from: s, lineEnd[i]))
            i += 1
        }
        // A blank line followed by more continuation would be a line break in the
        // scalar (or an error after a comment): left to Yams.
        var k = i
        while k < lineStart.count, blank[k] { k += 1 }
        if k > i, k < lineStart.count, indent[k] > n { throw Unsupported() }
        return .scalar(YAMLNode.Scalar(string: text, isPlain: true, mark: mark(p, line: line)))
    }

    private func plainLine(from p: Int, _ end: Int) throws -> String {
        var q = p
        var last = p
        while q < end {
            let c = b[q]
            if c == 35 && q > p && b[q - 1] == 32 { break }
            if c == 58 && (q + 1 == end || b[q + 1] == 32) { throw Unsupported() }
            if c == 9 { throw Unsupported() }
            if c != 32 { last = q + 1 }
            q += 1
        }
        return String(decoding: b[p..<last], as: UTF8.self)
    }

    private static func canStartPlain(_ b: [UInt8], _ p: Int, _ end: Int) -> Bool {
        switch b[p] {
        case 91, 93, 123, 125, 35, 38, 42, 33, 124, 62, 39, 34, 37, 64, 96, 44:  // [ ] { } # & * ! | > ' " % @ ` ,
            return false
        case 45, 63, 58:  // - ? :
            return p + 1 < end && b[p + 1] != 32
        default:
            return true
        }
    }

    /// `|` and `>` with optional chomping; an explicit indentation digit is left to Yams.
    private mutating func blockScalar(at p: Int, parentIndent n: Int) throws -> YAMLNode {
        let literal = b[p] == 124
        var chomp: UInt8 = 0
        var q = p + 1
        if q < lineEnd[i], b[q] == 45 || b[q] == 43 { chomp = b[q]; q += 1 }
        guard q == lineEnd[i] || b[q] == 32 else { throw Unsupported() }
        try expectLineEnd(q)
        let headerLine = i
        i += 1
        var contentIndent: Int? = nil
        var lines: [String] = []
        var trailingBlank = 0
        while i < lineStart.count {
            let isEmpty = Self.onlyWhitespace(b, lineStart[i], lineEnd[i])
            // Spaces on an otherwise empty line may be content in YAML: left to Yams.
            if isEmpty && lineEnd[i] > lineStart[i] { throw Unsupported() }
            if isEmpty {
                lines.append("")
                trailingBlank += 1
                i += 1
                continue
            }
            let ind = indent[i]
            if contentIndent == nil {
                guard ind > n else { break }
                contentIndent = ind
            }
            guard let ci = contentIndent, ind >= ci else { break }
            if ind > ci, !literal { throw Unsupported() }
            lines.append(String(decoding: b[(lineStart[i] + ci)..<lineEnd[i]], as: UTF8.self))
            if lines.last!.utf8.contains(9) { throw Unsupported() }
            trailingBlank = 0
            i += 1
        }
        // libyaml chomps a block scalar that ends the input differently: left to Yams.
        if i == lineStart.count { throw Unsupported() }
        // Trailing blank lines belong to the scalar only for keep chomping; they are not
        // part of the following content either way.
        let content = lines.dropLast(trailingBlank)
        var text: String
        if literal {
            text = content.joined(separator: "\n")
        } else {
            text = ""
            var previousEmpty = true
            for line in content {
                if line.isEmpty {
                    text += "\n"
                    previousEmpty = true
                } else {
                    if !previousEmpty && !text.hasSuffix("\n") { text += " " }
                    text += line
                    previousEmpty = false
                }
            }
        }
        if !content.isEmpty {
            switch chomp {
            case 45: break
            case 43: text += "\n" + String(repeating: "\n", count: trailingBlank)
            default: text += "\n"
            }
        } else if chomp == 43 {
            text = String(repeating: "\n", count: trailingBlank)
        }
        return .scalar(YAMLNode.Scalar(string: text, isPlain: false, mark: mark(p, line: headerLine)))
    }

    // MARK: Flow collections (on one line)

    private func flow(_ q: inout Int, _ end: Int) throws -> YAMLNode {
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
                items.append(try flowItem(&q, end, inMapping: false))
            } else {
                let key = try flowItem(&q, end, inMapping: true)
                guard case .scalar(let k) = key, seen.insert(k.string) else { throw Unsupported() }
                skipSpaces(&q, end)
                guard q < end, b[q] == 58 else { throw Unsupported() }
                q += 1
                skipSpaces(&q, end)
                guard q < end else { throw Unsupported() }
                let value: YAMLNode
                if b[q] == 44 || b[q] == 125 {
                    value = .scalar(YAMLNode.Scalar(string: "", isPlain: true, mark: self.mark(q, line: i)))
                } else {
                    value = try flowItem(&q, end, inMapping: false)
                }
                pairs.append((key, value))
            }
            skipSpaces(&q, end)
            guard q < end else { throw Unsupported() }
            if b[q] == 44 {
                q += 1
                skipSpaces(&q, end)
                if q < end, b[q] == close { q += 1; break }
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

    private func flowItem(_ q: inout Int, _ end: Int, inMapping: Bool) throws -> YAMLNode {
        let start = q
        switch b[q] {
        case 91, 123:
            guard !inMapping else { throw Unsupported() }
            return try flow(&q, end)
        case 34, 39:
            guard let close = closingQuote(from: q) else { throw Unsupported() }
            let text = try quoted(q, close)
            q = close + 1
            return .scalar(YAMLNode.Scalar(string: text, isPlain: false, mark: mark(start, line: i)))
        default:
            // `-`, `?` and `:` starting a flow scalar are ambiguous in YAML: left to Yams.
            guard Self.canStartPlain(b, q, end), b[q] != 45, b[q] != 63, b[q] != 58 else { throw Unsupported() }
            var last = q
            while q < end {
                let c = b[q]
                if c == 44 || c == 91 || c == 93 || c == 123 || c == 125 { break }
                if c == 58 && (q + 1 == end || b[q + 1] == 32 || b[q + 1] == 44 || b[q + 1] == 125 || b[q + 1] == 93) {
                    // `a: b` inside a sequence would be an implicit mapping: left to Yams.
                    guard inMapping else { throw Unsupported() }
                    break
                }
                if c == 35 && b[q - 1] == 32 { throw Unsupported() }
                if c == 9 { throw Unsupported() }
                if c != 32 { last = q + 1 }
                q += 1
            }
            guard last > start else { throw Unsupported() }
            return .scalar(YAMLNode.Scalar(string: String(decoding: b[start..<last], as: UTF8.self), isPlain: true, mark: mark(start, line: i)))
        }
    }

    // MARK: Quoted scalars (on one line)

    private func closingQuote(from p: Int) -> Int? {
        let end = lineEnd[i]
        return b.withUnsafeBufferPointer { bytes -> Int? in
            let quote = bytes[p]
            var q = p + 1
            while q < end {
                let c = bytes[q]
                if c == quote {
                    if quote == 39, q + 1 < end, bytes[q + 1] == 39 { q += 2; continue }
                    return q
                }
                q += quote == 34 && c == 92 ? 2 : 1
            }
            return nil
        }
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
            case 116, 9: out += "\t"
            case 114: out += "\r"
            case 48: out += "\0"
            case 32: out += " "
            case 117, 120, 85:
                let digits = e == 120 ? 2 : e == 117 ? 4 : 8
                guard k + digits <= inner.endIndex,
                      let v = UInt32(String(decoding: inner[k..<(k + digits)], as: UTF8.self), radix: 16),
                      let scalar = Unicode.Scalar(v) else { throw Unsupported() }
                out.unicodeScalars.append(scalar)
                k += digits
            default:
                // \a \b \e \f \v \N \_ \L \P and anything invalid: left to Yams.
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
        package var line = -1
        var byte = 0
        package var column = 1
    }

    private let cursor = MarkCursor()

    /// The mark of byte `p` on line `k`: column counted in Unicode scalars, as libyaml does.
    private func mark(_ p: Int, line k: Int) -> YAMLNode.Mark {
        var q = lineStart[k], column = 1
        if cursor.line == k, cursor.byte <= p, cursor.byte >= q {
            q = cursor.byte
            column = cursor.column
        }
        b.withUnsafeBufferPointer { bytes in
            while q < p {
                if bytes[q] & 0xC0 != 0x80 { column += 1 }
                q += 1
            }
        }
        cursor.line = k
        cursor.byte = p
        cursor.column = column
        return YAMLNode.Mark(line: k + 1, column: column)
    }
}

/// The keys of one mapping so far, to refuse a duplicate: a list while there are few
/// (front matter mappings have a handful, and hashing each costs more than comparing),
/// a set beyond.
private struct SeenKeys {
    private var list: [String] = []
    private var set: Set<String>? = nil

    /// False when `key` was seen before.
    package mutating func insert(_ key: String) -> Bool {
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
