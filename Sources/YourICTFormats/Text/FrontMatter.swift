import YourICTSupport

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
    /// What the scan of the lines found: byte offsets into the text.
    private enum Found {
        case noFrontMatter
        case notClosed
        case parts(yaml: Range<Int>, body: Int, bodyLine: Int)
    }

    public static func split(_ source: SourceText) -> Result<FrontMatterDocument, Diagnostic> {
        var text = source.text
        // Bytes, not Characters, and lines found with memchr: a front matter is read for
        // every file of every build. `\n` and `-` are ASCII, so the byte offsets found are
        // character boundaries of the text.
        let found: Found = text.withUTF8 { bytes in
            let count = bytes.count
            func isDelimiter(_ start: Int, _ end: Int) -> Bool {
                guard end - start >= 3, bytes[start] == 45, bytes[start + 1] == 45, bytes[start + 2] == 45 else { return false }
                var i = start + 3
                while i < end {
                    guard bytes[i] == 32 || bytes[i] == 9 else { return false }
                    i += 1
                }
                return true
            }
            var lineStart = 0
            var lineNumber = 1
            var yamlStart: Int? = nil
            while lineStart <= count {
                let lineEnd = bytes.offset(of: 10, from: lineStart) ?? count
                let next = lineEnd == count ? count : lineEnd + 1
                if let yamlStart {
                    if isDelimiter(lineStart, lineEnd) { return .parts(yaml: yamlStart..<lineStart, body: next, bodyLine: lineNumber + 1) }
                } else {
                    // No `---` on the first line: no front matter.
                    guard isDelimiter(lineStart, lineEnd) else { return .noFrontMatter }
                    yamlStart = next
                }
                if lineEnd == count { break }
                lineStart = next
                lineNumber += 1
            }
            return .notClosed
        }
        switch found {
        case .noFrontMatter:
            return .failure(.error(
                "no front matter found",
                at: SourceLocation(path: source.path, line: 1, column: 1),
                hint: "start the file with a line holding only `---`, then the YAML fields (title, …), then another `---` line"))
        case .notClosed:
            return .failure(.error(
                "the front matter is not closed",
                at: SourceLocation(path: source.path, line: 1, column: 1),
                hint: "add a line holding only `---` after the last front-matter field"))
        case .parts(let yaml, let body, let bodyLine):
            let utf8 = text.utf8
            func index(_ offset: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: offset) }
            return .success(FrontMatterDocument(
                yaml: String(text[index(yaml.lowerBound)..<index(yaml.upperBound)]),
                yamlFirstLine: 2,
                body: String(text[index(body)...]),
                bodyFirstLine: bodyLine))
        }
    }
}
