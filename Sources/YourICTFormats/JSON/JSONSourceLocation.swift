#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A 1-based line and column for a byte offset, for showing errors to people.
///
/// The reader only tracks byte offsets, because counting lines on the hot
/// path would cost every document for the benefit of the broken ones. This
/// type recomputes the position from the input when an error is reported.
/// Lines end at `\n`, `\r\n` or a lone `\r`; columns count Unicode scalars
/// (UTF-8 lead bytes), so `é` is one column.
public struct JSONSourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The location of `offset` in `bytes`; offsets past the end are clamped.
    public init(offset: Int, in bytes: some Collection<UInt8>) {
        self = Self.locations(of: [offset], in: bytes)[0]
    }

    /// The location of `offset` in the file at `path`, re-read in chunks so
    /// large files stay out of memory.
    public init(offset: Int, inFile path: String) throws(JSONError) {
        self = try Self.locations(of: [offset], inFile: path)[0]
    }

    /// The locations of several offsets, in the order given, from one pass over
    /// `bytes`: a document with many warnings is not read once per warning.
    public static func locations(of offsets: [Int], in bytes: some Collection<UInt8>) -> [JSONSourceLocation] {
        var counter = Counter()
        var position = bytes.startIndex
        var consumed = 0
        return inOrder(offsets) { target in
            let end = bytes.index(position, offsetBy: target - consumed, limitedBy: bytes.endIndex) ?? bytes.endIndex
            counter.consume(bytes[position..<end])
            position = end
            consumed = target
            return counter.location
        }
    }

    /// The locations of several offsets in the file at `path`, in the order given,
    /// from one pass over its start, read in chunks so large files stay out of memory.
    public static func locations(of offsets: [Int], inFile path: String) throws(JSONError) -> [JSONSourceLocation] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            throw JSONError(.io(errno: code), "cannot open \(path): \(String(cString: strerror(code)))", offset: 0)
        }
        defer { close(descriptor) }
        var counter = Counter()
        var consumed = 0
        var atEnd = false
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
        defer { chunk.deallocate() }
        return try inOrder(offsets) { target throws(JSONError) in
            var remaining = target - consumed
            consumed = target
            while remaining > 0, !atEnd {
                let count = read(descriptor, chunk.baseAddress, min(chunk.count, remaining))
                if count == 0 { atEnd = true; break }
                if count < 0 {
                    let code = errno
                    if code == EINTR { continue }
                    throw JSONError(.io(errno: code), "cannot read \(path): \(String(cString: strerror(code)))", offset: 0)
                }
                counter.consume(UnsafeRawBufferPointer(rebasing: chunk[..<count]))
                remaining -= count
            }
            return counter.location
        }
    }

    /// Calls `locate` once per distinct offset (negative ones as 0), in increasing
    /// order, and answers in the order of `offsets`.
    private static func inOrder<E: Error>(_ offsets: [Int], _ locate: (Int) throws(E) -> JSONSourceLocation) throws(E) -> [JSONSourceLocation] {
        var result = [JSONSourceLocation](repeating: JSONSourceLocation(line: 1, column: 1), count: offsets.count)
        var previous: (offset: Int, location: JSONSourceLocation)?
        for i in offsets.indices.sorted(by: { offsets[$0] < offsets[$1] }) {
            let target = max(offsets[i], 0)
            if let previous, previous.offset == target { result[i] = previous.location; continue }
            let location = try locate(target)
            result[i] = location
            previous = (target, location)
        }
        return result
    }

    public var description: String { "\(line):\(column)" }

    /// Line/column state that can be fed the input in pieces.
    private struct Counter {
        package var location = JSONSourceLocation(line: 1, column: 1)
        var previousWasCarriageReturn = false

        mutating func consume(_ bytes: some Sequence<UInt8>) {
            for byte in bytes {
                switch byte {
                case 0x0A:
                    if !previousWasCarriageReturn { newLine() }
                case 0x0D:
                    newLine()
                case 0x80...0xBF:
                    break  // UTF-8 continuation byte: same scalar
                default:
                    location.column += 1
                }
                previousWasCarriageReturn = byte == 0x0D
            }
        }

        private mutating func newLine() {
            location.line += 1
            location.column = 1
        }
    }
}
