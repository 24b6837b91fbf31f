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
        // Bytes, not Characters: a front matter is read for every file of every build,
        // and `\n` and `-` are ASCII, so UTF-8 indices are valid String indices here.
        let utf8 = text.utf8
        func isDelimiter(_ start: String.Index, _ end: String.Index) -> Bool {
            var i = start
            for _ in 0..<3 {
                guard i < end, utf8[i] == 45 else { return false }
                i = utf8.index(after: i)
            }
            while i < end {
                guard utf8[i] == 32 || utf8[i] == 9 else { return false }
                i = utf8.index(after: i)
            }
            return true
        }
        var lineStart = utf8.startIndex
        var lineNumber = 1
        var opened = false
        var yamlStart = utf8.startIndex
        while lineStart <= utf8.endIndex {
            let lineEnd = utf8[lineStart...].firstIndex(of: 10) ?? utf8.endIndex
            let next = lineEnd == utf8.endIndex ? utf8.endIndex : utf8.index(after: lineEnd)
            if !opened {
                guard isDelimiter(lineStart, lineEnd) else {
                    return .failure(.error(
                        "no front matter found",
                        at: SourceLocation(path: source.path, line: 1, column: 1),
                        hint: "start the file with a line holding only `---`, then the YAML fields (title, …), then another `---` line"))
                }
                opened = true
                yamlStart = next
            } else if isDelimiter(lineStart, lineEnd) {
                return .success(FrontMatterDocument(
                    yaml: String(text[yamlStart..<lineStart]),
                    yamlFirstLine: 2,
                    body: String(text[next...]),
                    bodyFirstLine: lineNumber + 1))
            }
            if lineEnd == utf8.endIndex { break }
            lineStart = next
            lineNumber += 1
        }
        return .failure(.error(
            "the front matter is not closed",
            at: SourceLocation(path: source.path, line: 1, column: 1),
            hint: "add a line holding only `---` after the last front-matter field"))
    }
}
