import CYaml

/// What YAML refuses, or reads otherwise, that libyaml 0.2.5 (inside Yams) accepts. The
/// YAML test suite finds these (`YAMLConformanceTests`); a document Yams has read is
/// refused here when it has one of them, so that no file means one thing to yourict and
/// another to every other YAML reader. The checks work on libyaml's own tokens (its public
/// scanner API), and only refuse: a document they pass is read by Yams as before.
///
/// - a comment glued to what precedes it (`]#`, `"x"#`, `,#`, `>#`, `1.1#`): YAML needs
///   a space before `#`;
/// - a line of a flow collection or a multi-line scalar indented no more than the block
///   around it (tabs do not count as indentation);
/// - a line holding only spaces, more of them than the text, in `|` or `>` block text;
/// - an anchor or alias name followed by a character that YAML reads as part of the name
///   (`&a:b`: libyaml stops at `:`);
/// - `-`, `?` or `:` alone as a plain scalar (`[-]`), and `?x` in a flow collection, which
///   libyaml reads as an explicit key where YAML reads the text `?x`.
///
/// They also find the plain scalars tagged `!!str`, which are text (`a: !!str` is the empty
/// text, not null): Yams' tree keeps a tag only until it is resolved.
package enum YAMLStrictChecks {
    package struct Problem: Equatable {
        var message: String
        var hint: String
        /// 1-based, in Unicode scalars, as libyaml counts.
        var line: Int
        var column: Int
    }

    private struct Token {
        var type: yaml_token_type_t
        var start: yaml_mark_t
        var end: yaml_mark_t
        var style: yaml_scalar_style_t
        /// A tag token's `!!str` (or its verbatim form).
        var isStrTag = false
    }

    package struct Result {
        /// The first problem, or nil; nil too when libyaml cannot scan the text (Yams
        /// then reports the error).
        package var problem: Problem?
        /// Where the plain scalars tagged `!!str` start (their tag or anchor), as Yams marks them.
        package var textTags: Set<YAMLNode.Mark> = []
    }

    package static func check(_ yaml: String) -> Result {
        let text = Array(yaml.unicodeScalars)
        // libyaml's marks count characters after a byte-order mark; none reaches here
        // (`SourceText` removes it), but a leading one would shift every index.
        guard !text.isEmpty, text[0] != "\u{FEFF}", let tokens = tokens(yaml) else { return Result() }
        return Result(problem: Checker(text: text, tokens: tokens).firstProblem(), textTags: textTags(tokens))
    }

    private static func textTags(_ tokens: [Token]) -> Set<YAMLNode.Mark> {
        var marks: Set<YAMLNode.Mark> = []
        var properties: (start: yaml_mark_t, isStr: Bool)? = nil
        for token in tokens {
            switch token.type {
            case YAML_TAG_TOKEN, YAML_ANCHOR_TOKEN:
                let isStr = (properties?.isStr ?? false) || token.isStrTag
                properties = (properties?.start ?? token.start, isStr)
            case YAML_SCALAR_TOKEN:
                if let p = properties, p.isStr, token.style == YAML_PLAIN_SCALAR_STYLE {
                    marks.insert(YAMLNode.Mark(line: Int(p.start.line) + 1, column: Int(p.start.column) + 1))
                }
                properties = nil
            case YAML_FLOW_SEQUENCE_START_TOKEN, YAML_FLOW_MAPPING_START_TOKEN, YAML_BLOCK_SEQUENCE_START_TOKEN, YAML_BLOCK_MAPPING_START_TOKEN:
                properties = nil  // the properties of a collection
            default:
                // Properties followed by no content: an empty plain scalar, placed at them.
                if let p = properties, p.isStr {
                    marks.insert(YAMLNode.Mark(line: Int(p.start.line) + 1, column: Int(p.start.column) + 1))
                }
                properties = nil
            }
        }
        return marks
    }

    private static func tokens(_ yaml: String) -> [Token]? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(yaml.utf8)
        return bytes.withUnsafeBufferPointer { buffer -> [Token]? in
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var tokens: [Token] = []
            while true {
                var token = yaml_token_t()
                guard yaml_parser_scan(&parser, &token) == 1 else { return nil }
                defer { yaml_token_delete(&token) }
                let style = token.type == YAML_SCALAR_TOKEN ? token.data.scalar.style : YAML_ANY_SCALAR_STYLE
                var isStrTag = false
                if token.type == YAML_TAG_TOKEN, let handle = token.data.tag.handle, let suffix = token.data.tag.suffix {
                    let h = String(cString: handle), s = String(cString: suffix)
                    isStrTag = (h == "!!" && s == "str") || (h.isEmpty && s == "tag:yaml.org,2002:str")
                }
                tokens.append(Token(type: token.type, start: token.start_mark, end: token.end_mark, style: style, isStrTag: isStrTag))
                if token.type == YAML_STREAM_END_TOKEN { return tokens }
            }
        }
    }

    private struct Checker {
        let text: [Unicode.Scalar]
        let tokens: [Token]

        private static func isBreak(_ c: Unicode.Scalar) -> Bool {
            c == "\n" || c == "\r" || c == "\u{85}" || c == "\u{2028}" || c == "\u{2029}"
        }

        private static func isBlank(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" }

        private func at(_ index: Int) -> Unicode.Scalar? { index >= 0 && index < text.count ? text[index] : nil }

        private func problem(_ message: String, _ hint: String, at index: Int) -> Problem {
            var line = 1, column = 1, k = 0
            while k < index && k < text.count {
                if Self.isBreak(text[k]) && !(text[k] == "\r" && at(k + 1) == "\n") {
                    line += 1
                    column = 1
                } else if !Self.isBreak(text[k]) {
                    column += 1
                }
                k += 1
            }
            return Problem(message: "invalid YAML: " + message, hint: hint, line: line, column: column)
        }

        /// Spaces at the start of the line that begins at `start`.
        private func leadingSpaces(from start: Int) -> Int {
            var k = start
            while at(k) == " " { k += 1 }
            return k - start
        }

        func firstProblem() -> Problem? {
            if let p = gluedComment() { return p }
            var indents: [Int] = []
            var flowLevel = 0
            var flowLine = 0
            for token in tokens {
                let start = Int(token.start.index), end = Int(token.end.index)
                let blockIndent = indents.last ?? -1
                switch token.type {
                case YAML_BLOCK_SEQUENCE_START_TOKEN, YAML_BLOCK_MAPPING_START_TOKEN:
                    indents.append(Int(token.start.column))
                case YAML_BLOCK_END_TOKEN:
                    _ = indents.popLast()
                default:
                    break
                }
                // Flow content on a later line than its collection's start.
                if flowLevel > 0, end > start, Int(token.start.line) != flowLine, firstOnLine(token.start),
                   leadingSpaces(from: start - Int(token.start.column)) <= blockIndent {
                    return problem("this line of a flow collection is not indented more than the block around it",
                                   "indent the lines of `[…]` or `{…}` with spaces, more than the key or `-` they belong to", at: start)
                }
                switch token.type {
                case YAML_FLOW_SEQUENCE_START_TOKEN, YAML_FLOW_MAPPING_START_TOKEN:
                    if flowLevel == 0 { flowLine = Int(token.start.line) }
                    flowLevel += 1
                case YAML_FLOW_SEQUENCE_END_TOKEN, YAML_FLOW_MAPPING_END_TOKEN:
                    flowLevel = max(0, flowLevel - 1)
                case YAML_KEY_TOKEN where flowLevel > 0 && end > start:
                    if let next = at(end), !Self.isBlank(next), !Self.isBreak(next) {
                        return problem("`?` followed by text in a flow collection",
                                       "quote the text (\"?x\"), or put a space after `?` for an explicit key", at: start)
                    }
                case YAML_ANCHOR_TOKEN, YAML_ALIAS_TOKEN:
                    if let next = at(end), !Self.isBlank(next), !Self.isBreak(next), !",[]{}".unicodeScalars.contains(next) {
                        return problem("this anchor or alias name goes on past what libyaml reads as its end",
                                       "use only letters, digits, `-` and `_` in anchor names", at: end)
                    }
                case YAML_SCALAR_TOKEN:
                    if let p = scalarProblem(token, blockIndent: blockIndent, inFlow: flowLevel > 0) { return p }
                default:
                    break
                }
            }
            return nil
        }

        private func firstOnLine(_ mark: yaml_mark_t) -> Bool {
            let index = Int(mark.index)
            return (index - Int(mark.column)..<index).allSatisfy { at($0).map(Self.isBlank) ?? false }
        }

        /// A `#` outside every token (a comment) right after something other than a blank
        /// or a line break.
        private func gluedComment() -> Problem? {
            var covered: [Range<Int>] = tokens.compactMap { t in
                let s = Int(t.start.index), e = Int(t.end.index)
                return e > s ? s..<e : nil
            }
            covered.sort { $0.lowerBound < $1.lowerBound }
            var k = 0, next = 0
            while k < text.count {
                while next < covered.count, covered[next].upperBound <= k { next += 1 }
                if next < covered.count, covered[next].contains(k) {
                    k = covered[next].upperBound
                    continue
                }
                if text[k] == "#" {
                    if k > 0, !Self.isBlank(text[k - 1]), !Self.isBreak(text[k - 1]) {
                        return problem("a comment must be separated from what precedes it by a space",
                                       "put a space before `#`, or quote the value if `#` belongs to it", at: k)
                    }
                    while k < text.count, !Self.isBreak(text[k]) { k += 1 }
                    continue
                }
                k += 1
            }
            return nil
        }

        private func scalarProblem(_ token: Token, blockIndent n: Int, inFlow: Bool) -> Problem? {
            let start = Int(token.start.index), end = Int(token.end.index)
            switch token.style {
            case YAML_LITERAL_SCALAR_STYLE, YAML_FOLDED_SCALAR_STYLE:
                return blockScalarProblem(start, end, blockIndent: n)
            case YAML_PLAIN_SCALAR_STYLE:
                if let first = at(start), first == "-" || first == "?" || first == ":" {
                    let second = at(start + 1)
                    if second == nil || Self.isBlank(second!) || Self.isBreak(second!) || (inFlow && ",[]{}".unicodeScalars.contains(second!)) {
                        return problem("`\(first)` alone cannot start a plain value here", "quote it: \"\(first)\"", at: start)
                    }
                }
            default:
                break
            }
            // Each later line of a multi-line scalar must be indented more than the block.
            var k = start
            while k < end {
                if Self.isBreak(text[k]) {
                    let lineStart = text[k] == "\r" && at(k + 1) == "\n" ? k + 2 : k + 1
                    var q = lineStart
                    while let c = at(q), Self.isBlank(c) { q += 1 }
                    if q < end, let c = at(q), !Self.isBreak(c), leadingSpaces(from: lineStart) <= n {
                        return problem("this line of a multi-line value is not indented more than the block around it",
                                       "indent the value's later lines with spaces, more than its key or `-`", at: q)
                    }
                    k = lineStart
                    continue
                }
                k += 1
            }
            return nil
        }

        /// `|` or `>` text: a comment glued to the header; leading lines of only spaces with
        /// more of them than the first line of text (an error in YAML); or a last line of
        /// only spaces, more than the text's indentation, that ends the input without a line
        /// break (which libyaml reads otherwise).
        private func blockScalarProblem(_ start: Int, _ end: Int, blockIndent n: Int) -> Problem? {
            var k = start + 1
            var explicitIndentation = false
            while let c = at(k), c == "+" || c == "-" || ("1"..."9").contains(c) {
                if c != "+" && c != "-" { explicitIndentation = true }
                k += 1
            }
            if at(k) == "#" {
                return problem("a comment must be separated from what precedes it by a space", "put a space between `|` or `>` and `#`", at: k)
            }
            guard !explicitIndentation else { return nil }
            while k < text.count, !Self.isBreak(text[k]) { k += 1 }
            var leading: (index: Int, count: Int)? = nil
            var contentIndent: Int? = nil
            // Lines after the header: those of the token, and the first one after it.
            while k < text.count {
                let lineStart = text[k] == "\r" && at(k + 1) == "\n" ? k + 2 : k + 1
                var q = lineStart
                while at(q) == " " { q += 1 }
                let spaces = q - lineStart
                if let c = at(q), !Self.isBreak(c) {
                    if contentIndent == nil {
                        guard spaces > n else { break }
                        contentIndent = spaces
                    }
                    if lineStart >= end { break }
                } else {
                    if contentIndent == nil, spaces > (leading?.count ?? 0) { leading = (lineStart, spaces) }
                    if q == text.count, spaces > (contentIndent ?? 0), lineStart <= end {
                        return problem("a last line of only spaces in block text, without a line break",
                                       "remove the spaces at the end of the file, or end it with a line break", at: lineStart)
                    }
                    if lineStart >= end { break }
                }
                k = q
                while k < text.count, !Self.isBreak(text[k]) { k += 1 }
            }
            if let ci = contentIndent, let line = leading, line.count > ci {
                return problem("a line of only spaces before block text is indented more than the text",
                               "remove the spaces on the blank lines at the start of this `|` or `>` text", at: line.index)
            }
            return nil
        }
    }
}
