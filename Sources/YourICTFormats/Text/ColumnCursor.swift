/// cmark counts columns in bytes; editors and diagnostics count characters. Links come
/// in document order, so the cursor moves forward through the lines: no copy of the text
/// and no table of every line start per document.
package struct ColumnCursor {
    package init() {}

    private var line = 1
    private var lineStart = 0
    /// Where the last count on `line` stopped, and the column there: the next link further
    /// on the same line counts on from it (20,000 links on one line counted from the
    /// line's start each: 48 s).
    private var countedTo = 0
    private var countedColumn = 1

    /// The 1-based character column of a 1-based byte column on a 1-based line of `text`.
    package mutating func column(in text: inout String, line target: Int, byteColumn: Int) -> Int {
        text.withUTF8 { column(in: $0, line: target, byteColumn: byteColumn) }
    }

    /// The same, on the text's bytes (valid for the call only).
    package mutating func column(in bytes: UnsafeBufferPointer<UInt8>, line target: Int, byteColumn: Int) -> Int {
        guard target >= 1, byteColumn > 1 else { return max(byteColumn, 1) }
        if target < line {
            line = 1
            lineStart = 0
            countedTo = 0
            countedColumn = 1
        }
        while line < target {
            guard let newline = bytes.offset(of: 10, from: lineStart) else { return max(byteColumn, 1) }
            lineStart = newline + 1
            line += 1
            countedTo = lineStart
            countedColumn = 1
        }
        let end = min(lineStart + byteColumn - 1, bytes.count)
        // Count the bytes that start a character (not UTF-8 continuation bytes), on from
        // the last count when it is before `end`.
        var column = 1
        var k = lineStart
        if countedTo >= lineStart, countedTo <= end {
            column = countedColumn
            k = countedTo
        }
        while k < end {
            if bytes[k] & 0xC0 != 0x80 { column += 1 }
            k += 1
        }
        countedTo = end
        countedColumn = column
        return column
    }
}
