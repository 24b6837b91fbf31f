/// A content file split into its YAML front matter and its Markdown body.
///
/// The front matter sits between two lines that hold only `---` (trailing blanks
/// allowed), the first of them on the file's first line. Matching whole lines, not
/// `---` anywhere, keeps a thematic break in the body from ending the front matter.
public struct FrontMatterDocument: Sendable {
    public var yaml: String
    /// 1-based line of the first YAML line in the original file.
    public var yamlFirstLine: Int
    public var body: String
    /// 1-based line of the first body line in the original file.
    public var bodyFirstLine: Int
}

public enum FrontMatter {
    public static func split(_ source: SourceText) -> Result<FrontMatterDocument, Diagnostic> {
        let text = source.text
        let isDelimiter: (Substring) -> Bool = { line in
            line.hasPrefix("---") && line.dropFirst(3).allSatisfy { $0 == " " || $0 == "\t" }
        }
        var lineStart = text.startIndex
        var lineNumber = 1
        var opened = false
        var yamlStart = text.startIndex
        while lineStart <= text.endIndex {
            let lineEnd = text[lineStart...].firstIndex(of: "\n") ?? text.endIndex
            let line = text[lineStart..<lineEnd]
            let next = lineEnd == text.endIndex ? text.endIndex : text.index(after: lineEnd)
            if !opened {
                guard isDelimiter(line) else {
                    return .failure(.error(
                        "no front matter found",
                        at: SourceLocation(path: source.path, line: 1, column: 1),
                        hint: "start the file with a line holding only `---`, then the YAML fields (title, …), then another `---` line"))
                }
                opened = true
                yamlStart = next
            } else if isDelimiter(line) {
                return .success(FrontMatterDocument(
                    yaml: String(text[yamlStart..<lineStart]),
                    yamlFirstLine: 2,
                    body: String(text[next...]),
                    bodyFirstLine: lineNumber + 1))
            }
            if lineEnd == text.endIndex { break }
            lineStart = next
            lineNumber += 1
        }
        return .failure(.error(
            "the front matter is not closed",
            at: SourceLocation(path: source.path, line: 1, column: 1),
            hint: "add a line holding only `---` after the last front-matter field"))
    }
}
