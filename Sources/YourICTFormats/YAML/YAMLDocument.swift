import CYaml
import Yams
import YourICTSupport

/// Parses YAML (front matter or `site.yaml`) into a Yams node tree, turning every
/// parser error into a diagnostic located in the original file.
package enum YAMLDocument {
    /// Limits that keep hostile YAML from exhausting the stack: Yams composes nodes
    /// recursively, so nesting is bounded before parsing.
    static let maxFlowDepth = 64
    static let maxIndentation = 200
    static let maxBytes = 1 << 20
    /// How many values aliases may add to a document. Yams copies an anchored node for
    /// each alias and hashes mapping keys whole, so nested aliases ("billion laughs")
    /// cost time exponential in their number; real files repeat a few small values.
    static let maxAliasExpansion = 10_000

    /// Yams nodes a document may expand to (aliases included) before it is refused.
    static let maxNodes = 200_000

    package static func parse(_ yaml: String, path: String, firstLine: Int) -> Result<YAMLNode?, Diagnostic> {
        let lineOffset = firstLine - 1
        if yaml.utf8.count > maxBytes {
            return .failure(.error("the YAML is larger than 1 MiB", at: SourceLocation(path: path, line: firstLine),
                                   hint: "front matter holds fields; move long text into the Markdown body"))
        }
        if let problem = nestingProblem(yaml) {
            return .failure(.error(problem.message, at: SourceLocation(path: path, line: problem.line + lineOffset, column: problem.column),
                                   hint: "flatten the structure; fields here never need deep nesting"))
        }
        switch FastYAML.parse(yaml) {
        case .node(let node): return .success(node)
        case .empty: return .success(nil)
        case .unsupported: break
        }
        if let alias = aliasExpansionProblem(yaml) {
            return .failure(.error("the YAML aliases expand to more than \(maxAliasExpansion) values (an alias bomb?)",
                                   at: SourceLocation(path: path, line: alias.line + lineOffset, column: alias.column),
                                   hint: "write the values out instead of repeating `*aliases` of large anchors"))
        }
        do {
            // The basic resolver: scalars stay text (YAMLReader interprets them); the default
            // resolver matches every plain scalar against regular expressions, which is slow.
            guard let node = try Yams.compose(yaml: yaml, .basic) else { return .success(nil) }
            var budget = maxNodes
            guard let converted = YAMLNode.from(node, budget: &budget) else {
                return .failure(.error("the YAML expands to more than \(maxNodes) values (through aliases?)",
                                       at: SourceLocation(path: path, line: firstLine),
                                       hint: "front matter and site.yaml need no aliases; write the values out"))
            }
            // What libyaml accepts but YAML refuses or reads otherwise (the YAML test suite).
            let checked = YAMLStrictChecks.check(yaml)
            if let problem = checked.problem {
                return .failure(.error(problem.message, at: SourceLocation(path: path, line: problem.line + lineOffset, column: problem.column),
                                       hint: problem.hint))
            }
            return .success(checked.textTags.isEmpty ? converted : converted.textTagged(checked.textTags))
        } catch let error as YamlError {
            return .failure(diagnostic(for: error, yaml: yaml, path: path, lineOffset: lineOffset))
        } catch {
            return .failure(.error("invalid YAML: \(error)", at: SourceLocation(path: path, line: firstLine)))
        }
    }

    private static func diagnostic(for error: YamlError, yaml: String, path: String, lineOffset: Int) -> Diagnostic {
        func at(_ mark: Mark) -> SourceLocation {
            SourceLocation(path: path, line: mark.line + lineOffset, column: mark.column)
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            var message = "invalid YAML: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line + lineOffset))" }
            let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
            let line = mark.line >= 1 && mark.line <= lines.count ? String(lines[mark.line - 1]) : ""
            // A quote left open runs on until libyaml trips lines later: point at the quote.
            if !problem.contains("escape"), let open = openQuote(before: mark.line, in: lines), open.line < mark.line {
                return .error("invalid YAML: this quoted value is not closed (libyaml: \(problem) at line \(mark.line + lineOffset))",
                              at: SourceLocation(path: path, line: open.line + lineOffset, column: open.column),
                              hint: "end it with \(open.quote) on the same line")
            }
            return .error(message, at: at(mark), hint: hint(for: problem, line: line))
        case let .duplicatedKeysInMapping(duplicates, context):
            // libyaml marks the first of the two; the one just added is the other: point at it.
            let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let names = duplicates.map { "`\($0)`" }.joined(separator: ", ")
            if duplicates.count == 1, let again = repeatedKey(duplicates[0], after: context.mark, in: lines) {
                return .error("duplicate key \(names) in the same mapping (first at line \(context.mark.line + lineOffset))",
                              at: SourceLocation(path: path, line: again.line + lineOffset, column: again.column), hint: "keep one of them")
            }
            return .error("duplicate key \(names) in the same mapping", at: at(context.mark), hint: "keep one of them")
        case let .reader(problem, offset, value, _):
            // libyaml's offset counts bytes; the column counts characters, as its marks do.
            let prefix = yaml.utf8.prefix(offset ?? 0)
            let line = prefix.reduce(1) { $0 + ($1 == 10 ? 1 : 0) }
            let lineStart = prefix.lastIndex(of: 10).map { prefix.index(after: $0) } ?? prefix.startIndex
            let column = String(decoding: prefix[lineStart...], as: UTF8.self).unicodeScalars.count + 1
            let hex = String(value, radix: 16, uppercase: true)
            let hint = "remove the invisible character U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex), or write it as an escape in a double-quoted value"
            return .error("invalid YAML: \(problem)", at: SourceLocation(path: path, line: line + lineOffset, column: column), hint: hint)
        default:
            return .error("invalid YAML: \(error)", at: SourceLocation(path: path, line: lineOffset + 1))
        }
    }

    /// Where `key` (a plain key, first at `first`: 1-based line and column) is written
    /// again in the same mapping: later on that line in a flow mapping (`{a: 1, a: 2}`), or
    /// on a later line at the same indentation of a block mapping, before the mapping
    /// ends (a line indented less). Nil when not found so simply (a quoted key…).
    static func repeatedKey(_ key: String, after first: Mark, in lines: [String]) -> (line: Int, column: Int)? {
        guard !key.isEmpty, first.line >= 1, first.line <= lines.count, first.column >= 1 else { return nil }
        let k = Array(key)
        func keyAt(_ line: [Character], _ i: Int) -> Bool {
            guard i + k.count <= line.count, Array(line[i..<i + k.count]) == k else { return false }
            var j = i + k.count
            while j < line.count, line[j] == " " { j += 1 }
            return j < line.count && line[j] == ":" && (j + 1 == line.count || line[j + 1] == " ")
        }
        let firstLine = Array(lines[first.line - 1])
        // The same line: after a `,` or `{` and spaces.
        var i = first.column - 1 + k.count
        while i < firstLine.count {
            if firstLine[i] == "," || firstLine[i] == "{" {
                var j = i + 1
                while j < firstLine.count, firstLine[j] == " " { j += 1 }
                if keyAt(firstLine, j) { return (first.line, j + 1) }
            }
            i += 1
        }
        let indent = first.column - 1
        guard firstLine.prefix(indent).allSatisfy({ $0 == " " || $0 == "-" }) else { return nil }
        for n in first.line..<lines.count {
            let line = Array(lines[n])
            let spaces = line.prefix { $0 == " " }.count
            if spaces == line.count || line[spaces] == "#" { continue }
            if spaces < indent { return nil }
            if spaces == indent, keyAt(line, indent) { return (n + 1, indent + 1) }
        }
        return nil
    }

    /// The quote (line, column, character) still open at the start of 1-based line `end`,
    /// reading the lines before it as YAML would: a value or list item that starts with
    /// `"` or `'` is quoted until its closing quote (`\"` escapes in double quotes, `''`
    /// in single ones); outside quotes, ` #` starts a comment. Nil when none is open.
    static func openQuote(before end: Int, in lines: [Substring]) -> (line: Int, column: Int, quote: Character)? {
        var open: (line: Int, column: Int, quote: Character)?
        for (index, text) in lines.prefix(max(0, end - 1)).enumerated() {
            let chars = Array(text)
            // Whether a value may start here: at the line's start, after `- ` or `: `.
            var valueStart = true
            var i = 0
            while i < chars.count {
                let c = chars[i]
                if let quote = open?.quote {
                    if quote == "\"", c == "\\" { i += 2; continue }
                    if c == quote {
                        if quote == "'", i + 1 < chars.count, chars[i + 1] == "'" { i += 2; continue }
                        open = nil
                        valueStart = false
                    }
                    i += 1
                    continue
                }
                let spaceAfter = i + 1 == chars.count || chars[i + 1] == " "
                switch c {
                case " ", "\r": break
                case "\"", "'" where valueStart: open = (index + 1, i + 1, c)
                case "-" where valueStart && spaceAfter: break
                case ":" where spaceAfter: valueStart = true
                case "#" where i == 0 || chars[i - 1] == " ": i = chars.count; continue
                default: valueStart = false
                }
                i += 1
            }
        }
        return open
    }

    private static func hint(for problem: String, line: String) -> String? {
        if problem.contains("mapping values are not allowed") {
            return quoted(line).map { "a value containing `: ` must be quoted: \($0)" }
                ?? "a value containing `: ` must be quoted, e.g. title: \"Note: …\""
        }
        if problem.contains("found character that cannot start any token") {
            return "a value starting with `@`, `` ` `` or `%` must be quoted; YAML indents with spaces, not tabs"
        }
        if problem.contains("did not find expected key") || problem.contains("did not find expected '-'") {
            return "check the indentation of this line against the previous ones"
        }
        return nil
    }

    /// `key: value: more` as it should be written, `key: "value: more"`; nil when the
    /// line is not a plain `key: value` (already quoted, a list item, a flow).
    static func quoted(_ line: String) -> String? {
        guard let colon = line.firstRange(of: ": ") else { return nil }
        let key = line[..<colon.lowerBound].drop { $0 == " " }
        var value = line[colon.upperBound...].drop { $0 == " " }
        while value.last == " " || value.last == "\r" { value = value.dropLast() }
        guard !key.isEmpty, !value.isEmpty, !key.hasPrefix("-"), !key.contains(where: { "[{\"'#".contains($0) }),
              !"\"'[{".contains(value.first!) else { return nil }
        let escaped = String(value).replacingEvery("\\", with: "\\\\").replacingEvery("\"", with: "\\\"")
        return "\(key): \"\(escaped)\""
    }

    /// Where aliases make the document grow past `maxAliasExpansion` values, found from
    /// libyaml's events before Yams composes anything (Yams has no event API, and its
    /// composer is where the time would go). Each node counts 1 plus its children, an
    /// alias counts what its anchor holds. Syntax errors are left to Yams to report.
    /// Returns the 1-based line and column of the alias that crosses the limit.
    static func aliasExpansionProblem(_ yaml: String) -> (line: Int, column: Int)? {
        // Without `*` there is no alias: the common case costs one byte scan.
        guard yaml.utf8.contains(UInt8(ascii: "*")) else { return nil }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(yaml.utf8)
        return bytes.withUnsafeBufferPointer { buffer -> (line: Int, column: Int)? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var anchors: [String: Int] = [:]
            /// Open collections: their anchor and the values counted in them so far.
            var open: [(anchor: String?, size: Int)] = []
            var added = 0
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_SCALAR_EVENT:
                    if let anchor = event.data.scalar.anchor { anchors[String(cString: anchor)] = 1 }
                    if !open.isEmpty { open[open.count - 1].size += 1 }
                case YAML_SEQUENCE_START_EVENT:
                    open.append((event.data.sequence_start.anchor.map { String(cString: $0) }, 1))
                case YAML_MAPPING_START_EVENT:
                    open.append((event.data.mapping_start.anchor.map { String(cString: $0) }, 1))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let collection = open.popLast() else { return nil }
                    if let anchor = collection.anchor { anchors[anchor] = collection.size }
                    if !open.isEmpty { open[open.count - 1].size += collection.size }
                case YAML_ALIAS_EVENT:
                    let size = event.data.alias.anchor.flatMap { anchors[String(cString: $0)] } ?? 1
                    added += size
                    if added > maxAliasExpansion {
                        return (Int(event.start_mark.line) + 1, Int(event.start_mark.column) + 1)
                    }
                    if !open.isEmpty { open[open.count - 1].size += size }
                default:
                    break
                }
            }
        }
    }

    /// True when the scan below cannot find a problem, from bounds on what it counts:
    /// its flow depth only grows at `[` and `{`, and its indentation and leading
    /// indicators only along a run of spaces, `-` and `?` (at a line's start, or after
    /// a quote that closes on a later line). Front matter holds a few brackets and
    /// short runs: one tight pass instead of the scan's state machine.
    static func withinLimits(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var brackets = 0, spaces = 0, indicators = 0
        for byte in bytes {
            switch byte {
            case 32: spaces += 1
            case UInt8(ascii: "-"), UInt8(ascii: "?"): indicators += 1
            default:
                if spaces > maxIndentation || indicators > maxFlowDepth { return false }
                spaces = 0
                indicators = 0
                if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") { brackets += 1 }
            }
        }
        return brackets <= maxFlowDepth && spaces <= maxIndentation && indicators <= maxFlowDepth
    }

    /// Finds nesting deeper than the limits with a cheap scan that skips quoted
    /// scalars and comments.
    static func nestingProblem(_ yaml: String) -> (message: String, line: Int, column: Int)? {
        var yaml = yaml
        return yaml.withUTF8 { nestingProblem(bytes: $0) }
    }

    private static func nestingProblem(bytes: UnsafeBufferPointer<UInt8>) -> (message: String, line: Int, column: Int)? {
        withinLimits(bytes) ? nil : scanNesting(bytes)
    }

    static func scanNesting(_ bytes: UnsafeBufferPointer<UInt8>) -> (message: String, line: Int, column: Int)? {
        var depth = 0
        var line = 1, column = 0
        var atLineStart = true
        var indentation = 0
        var leadingIndicators = 0
        var quote: UInt8? = nil
        var inComment = false
        var previous: UInt8 = 10
        for byte in bytes {
            column += 1
            if byte == 10 {
                line += 1
                column = 0
                atLineStart = true
                indentation = 0
                leadingIndicators = 0
                inComment = false
                previous = byte
                continue
            }
            if inComment { previous = byte; continue }
            if let q = quote {
                if byte == q && !(q == UInt8(ascii: "\"") && previous == UInt8(ascii: "\\")) { quote = nil }
                previous = byte
                continue
            }
            if atLineStart {
                if byte == 32 {
                    indentation += 1
                    if indentation > maxIndentation {
                        return ("the YAML is indented more than \(maxIndentation) columns", line, column)
                    }
                    previous = byte
                    continue
                }
                if (byte == UInt8(ascii: "-") || byte == UInt8(ascii: "?")) {
                    leadingIndicators += 1
                    if leadingIndicators > maxFlowDepth {
                        return ("the YAML nests more than \(maxFlowDepth) levels", line, column)
                    }
                    previous = byte
                    continue
                }
                atLineStart = false
            }
            switch byte {
            case UInt8(ascii: "#") where previous == 32 || previous == 9 || previous == 10:
                inComment = true
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                if previous == 32 || previous == 10 || previous == UInt8(ascii: "[") || previous == UInt8(ascii: "{")
                    || previous == UInt8(ascii: ",") || previous == UInt8(ascii: ":") || previous == UInt8(ascii: "-") {
                    quote = byte
                }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maxFlowDepth {
                    return ("the YAML nests more than \(maxFlowDepth) levels", line, column)
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth = max(0, depth - 1)
            default:
                break
            }
            previous = byte
        }
        return nil
    }
}
