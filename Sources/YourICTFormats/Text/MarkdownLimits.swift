/// Bounds on the shapes of Markdown that cmark-gfm (0.29.0.gfm.6, the Debian package
/// this project builds with) parses in more than linear time. A few tens of kilobytes of
/// them would stall a build for minutes: many brackets (`![[]()` repeated: cubic), many
/// `www.` autolinks in one paragraph (cubic), e-mail autolinks on long lines (each
/// address copies the rest of its line), and wide tables (each row costs its width
/// squared, and short rows are padded to the header's width). Real pages stay far
/// below every limit; a file beyond one is refused with a diagnostic instead.
///
/// The scan is one pass over the bytes and counts conservatively: text in code blocks
/// counts too, which only matters for files already absurd.
package enum MarkdownLimits {
    static let maxBrackets = 20_000
    static let maxWWW = 2_000
    /// Sum over lines of (`@` on the line × the line's length in bytes).
    static let maxEmailWork = 100_000_000
    static let maxPipesPerLine = 1_000
    /// Rows × columns over all tables, rows counted to the next blank line.
    static let maxTableCells = 200_000

    package struct Problem: Equatable {
        package var message: String
        /// 1-based, in the Markdown text.
        package var line: Int
        package var column: Int
        package var hint: String
    }

    package static func problem(in text: String) -> Problem? {
        var text = text
        return text.withUTF8 { problem(inBytes: $0) }
    }

    /// Bytes that change nothing but "this line has text": runs of them are skipped.
    private static let plain: [Bool] = (0..<256).map { byte in
        !"\n \t\r|-:@[wW.".utf8.contains(UInt8(byte))
    }

    private static func problem(inBytes bytes: UnsafeBufferPointer<UInt8>) -> Problem? {
        plain.withUnsafeBufferPointer { plain in problem(inBytes: bytes, plain: plain) }
    }

    private static func problem(inBytes bytes: UnsafeBufferPointer<UInt8>, plain: UnsafeBufferPointer<Bool>) -> Problem? {
        var line = 1
        var lineStart = 0
        var lineLength = 0
        var ats = 0, pipes = 0
        var brackets = 0, www = 0
        var emailWork = 0
        var tableCells = 0
        var tableColumns: Int? = nil
        // The current line: whether it is blank, and whether it looks like a table's
        // delimiter row (`|---|:--:|`): only `|`, `-`, `:`, blanks, with a `-` and a `|`.
        var blank = true
        var delimiterShape = true, hasDash = false
        var dashRuns = 0
        var previous: UInt8 = 0
        var wwwMatch = 0

        /// The 1-based column (in characters) of the byte at `index`, counted only when
        /// a problem is reported.
        func column(_ index: Int) -> Int {
            var column = 0
            for k in lineStart...index where bytes[k] & 0xC0 != 0x80 { column += 1 }
            return column
        }

        func endLine() -> Problem? {
            emailWork += ats * lineLength
            if emailWork > maxEmailWork {
                return Problem(message: "too many e-mail addresses on long lines for the Markdown renderer",
                               line: line, column: 1, hint: "put addresses on lines of their own, or write them as `code`")
            }
            if let columns = tableColumns {
                if blank { tableColumns = nil } else { tableCells += columns }
            } else if !blank, delimiterShape, hasDash, pipes > 0 {
                tableColumns = dashRuns
                tableCells += dashRuns * 2
            }
            if tableCells > maxTableCells {
                return Problem(message: "the tables hold more than \(maxTableCells) cells", line: line, column: 1,
                               hint: "split the data over several pages, or link to a file in static/")
            }
            return nil
        }

        let count = bytes.count
        var i = 0
        while i < count {
            let byte = bytes[i]
            if plain[Int(byte)] {
                blank = false
                delimiterShape = false
                wwwMatch = 0
                previous = 0
                i += 1
                while i < count, plain[Int(bytes[i])] { i += 1 }
                continue
            }
            if byte == 10 {
                lineLength = i - lineStart
                if let problem = endLine() { return problem }
                line += 1
                lineStart = i + 1
                ats = 0; pipes = 0
                blank = true; delimiterShape = true; hasDash = false; dashRuns = 0
                previous = byte
                wwwMatch = 0
                i += 1
                continue
            }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), 13:
                break
            case UInt8(ascii: "|"):
                blank = false
                pipes += 1
                if pipes > maxPipesPerLine {
                    return Problem(message: "a line has more than \(maxPipesPerLine) `|`: a table this wide cannot be read",
                                   line: line, column: column(i), hint: "split the table, or escape `|` that is text as `\\|`")
                }
            case UInt8(ascii: "-"):
                blank = false
                hasDash = true
                if previous != UInt8(ascii: "-") { dashRuns += 1 }
            case UInt8(ascii: ":"):
                blank = false
            default:
                blank = false
                delimiterShape = false
                if byte == UInt8(ascii: "@") { ats += 1 }
                if byte == UInt8(ascii: "[") {
                    brackets += 1
                    if brackets > maxBrackets {
                        return Problem(message: "more than \(maxBrackets) `[` (links, images, footnotes) in one file",
                                       line: line, column: column(i), hint: "split the page; the Markdown renderer slows down sharply on so many brackets")
                    }
                }
            }
            // `www.` in any case, as the autolink extension matches it.
            if byte | 0x20 == UInt8(ascii: "w") {
                wwwMatch = min(wwwMatch + 1, 3)
            } else if byte == UInt8(ascii: "."), wwwMatch == 3 {
                wwwMatch = 0
                www += 1
                if www > maxWWW {
                    return Problem(message: "more than \(maxWWW) `www.` addresses in one file", line: line, column: column(i) - 3,
                                   hint: "split the page; the Markdown renderer slows down sharply on so many autolinks")
                }
            } else {
                wwwMatch = 0
            }
            previous = byte
            i += 1
        }
        lineLength = count - lineStart
        return endLine()
    }
}
