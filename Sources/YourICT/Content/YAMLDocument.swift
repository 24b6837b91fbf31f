import Yams

/// Parses YAML (front matter or `site.yaml`) into a Yams node tree, turning every
/// parser error into a diagnostic located in the original file.
enum YAMLDocument {
    /// Limits that keep hostile YAML from exhausting the stack: Yams composes nodes
    /// recursively, so nesting is bounded before parsing.
    static let maxFlowDepth = 64
    static let maxIndentation = 200
    static let maxBytes = 1 << 20

    /// Yams nodes a document may expand to (aliases included) before it is refused.
    static let maxNodes = 200_000

    static func parse(_ yaml: String, path: String, firstLine: Int) -> Result<YAMLNode?, Diagnostic> {
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
            return .success(converted)
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
            return .error(message, at: at(mark), hint: hint(for: problem))
        case let .duplicatedKeysInMapping(duplicates, context):
            return .error("duplicate key \(duplicates.map { "`\($0)`" }.joined(separator: ", ")) in the same mapping",
                          at: at(context.mark), hint: "keep one of them")
        case let .reader(problem, offset, _, _):
            let prefix = yaml.utf8.prefix(offset ?? 0)
            let line = prefix.reduce(1) { $0 + ($1 == 10 ? 1 : 0) }
            return .error("invalid YAML: \(problem)", at: SourceLocation(path: path, line: line + lineOffset))
        default:
            return .error("invalid YAML: \(error)", at: SourceLocation(path: path, line: lineOffset + 1))
        }
    }

    private static func hint(for problem: String) -> String? {
        if problem.contains("mapping values are not allowed") {
            return "a value containing `: ` must be quoted, e.g. title: \"Note: …\""
        }
        if problem.contains("found character that cannot start any token") {
            return "a value starting with `@`, `` ` `` or `%` must be quoted; YAML indents with spaces, not tabs"
        }
        if problem.contains("did not find expected key") || problem.contains("did not find expected '-'") {
            return "check the indentation of this line against the previous ones"
        }
        return nil
    }

    /// Finds nesting deeper than the limits with a cheap scan that skips quoted
    /// scalars and comments.
    static func nestingProblem(_ yaml: String) -> (message: String, line: Int, column: Int)? {
        var depth = 0
        var line = 1, column = 0
        var atLineStart = true
        var indentation = 0
        var leadingIndicators = 0
        var quote: UInt8? = nil
        var inComment = false
        var previous: UInt8 = 10
        for byte in yaml.utf8 {
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
