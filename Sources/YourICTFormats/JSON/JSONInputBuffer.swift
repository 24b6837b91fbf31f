#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The byte window `JSONPullReader` scans: either a whole in-memory document or
/// a sliding chunk of a file.
///
/// File input keeps memory flat: only `chunkSize` bytes are resident, plus
/// whatever a single token needs. When the scanner runs off the end of the
/// window, `refill(keepingFrom:)` moves the unfinished token to the front and
/// reads more behind it, growing the buffer only if that one token is larger
/// than the buffer. Positions are indices into `base`; `windowOffset` maps
/// them back to absolute offsets for error reporting.
///
/// It is non-copyable because it owns the buffer and the file descriptor and
/// releases both in `deinit`.
struct JSONInputBuffer: ~Copyable, @unchecked Sendable {
    /// 1 MiB: large enough that `read` calls are rare, small enough to stay in L2/L3.
    static let defaultChunkSize = 1 << 20

    /// First byte of the window. Stable between `refill` calls.
    private(set) var base: UnsafePointer<UInt8>
    /// Number of valid bytes at `base`.
    private(set) var end: Int
    /// Index of the next unscanned byte; owned by the scanner, shifted by `refill`.
    var position = 0
    /// Absolute input offset of `base[0]`.
    private(set) var windowOffset = 0
    /// True once no further bytes can arrive: always for memory input, after EOF for files.
    private(set) var isExhausted: Bool

    /// Buffer to free in `deinit`; nil when borrowing caller memory.
    private var owned: UnsafeMutablePointer<UInt8>?
    private var capacity: Int
    private let fileDescriptor: Int32
    private let path: String

    /// Copies `bytes` once so the reader never depends on the caller's storage.
    init(copying bytes: some Collection<UInt8>) {
        let count = bytes.count
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(count, 1))
        _ = buffer.initialize(from: bytes)
        owned = buffer.baseAddress!
        base = UnsafePointer(buffer.baseAddress!)
        end = count
        capacity = max(count, 1)
        isExhausted = true
        fileDescriptor = -1
        path = ""
    }

    /// Uses caller memory without copying; the caller keeps it alive and unchanged.
    init(borrowing bytes: UnsafeRawBufferPointer) {
        if let address = bytes.baseAddress, bytes.count > 0 {
            base = address.assumingMemoryBound(to: UInt8.self)
            owned = nil
        } else {
            let empty = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
            base = UnsafePointer(empty)
            owned = empty
        }
        end = bytes.count
        capacity = bytes.count
        isExhausted = true
        fileDescriptor = -1
        path = ""
    }

    /// Opens `path` for chunked reading; nothing is read until the scanner asks.
    init(contentsOfFile path: String, chunkSize: Int) throws(JSONError) {
        precondition(chunkSize > 0, "chunkSize must be positive")
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            throw JSONError(.io(errno: code), "cannot open \(path): \(String(cString: strerror(code)))", offset: 0)
        }
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
        owned = buffer
        base = UnsafePointer(buffer)
        end = 0
        capacity = chunkSize
        isExhausted = false
        fileDescriptor = fd
        self.path = path
    }

    /// Moves the window to `offset`, an absolute input offset: the next byte scanned is
    /// the one there. File input drops its window and reads on from `offset`; memory
    /// input holds every byte, so `offset` must be within it.
    mutating func seek(to offset: Int) throws(JSONError) {
        if fileDescriptor < 0 {
            precondition(offset >= 0 && offset <= end, "seek outside the document")
            position = offset
            return
        }
        guard lseek(fileDescriptor, off_t(offset), SEEK_SET) >= 0 else {
            let code = errno
            throw JSONError(.io(errno: code), "cannot read \(path): \(String(cString: strerror(code)))", offset: offset)
        }
        windowOffset = offset
        end = 0
        position = 0
        isExhausted = false
    }

    deinit {
        owned?.deallocate()
        if fileDescriptor >= 0 { close(fileDescriptor) }
    }

    /// Makes more bytes available after `end`, preserving `base[keepFrom..<end]`
    /// by moving it to index 0. Returns false when no bytes were added because
    /// the input is exhausted. Either way the window may have moved:
    /// `position` is shifted accordingly, and callers recompute every other
    /// index from it rather than keep indices across the call.
    @inline(never)
    mutating func refill(keepingFrom keepFrom: Int) throws(JSONError) -> Bool {
        guard !isExhausted, let buffer = owned else { return false }
        let kept = end - keepFrom
        if keepFrom > 0 {
            if kept > 0 { memmove(buffer, buffer + keepFrom, kept) }
            windowOffset += keepFrom
            position -= keepFrom
            end = kept
        }
        if end == capacity { grow() }
        while true {
            let count = read(fileDescriptor, owned! + end, capacity - end)
            if count > 0 {
                end += count
                return true
            }
            if count == 0 {
                isExhausted = true
                return false
            }
            let code = errno
            if code == EINTR { continue }
            throw JSONError(.io(errno: code), "cannot read \(path): \(String(cString: strerror(code)))",
                            offset: windowOffset + end)
        }
    }

    /// Doubles the buffer because one token is larger than the whole window.
    private mutating func grow() {
        let newCapacity = capacity * 2
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.initialize(from: owned!, count: end)
        owned!.deallocate()
        owned = bigger
        base = UnsafePointer(bigger)
        capacity = newCapacity
    }
}
