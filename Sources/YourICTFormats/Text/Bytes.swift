import Glibc

extension Array where Element == UInt8 {
    /// Bytewise order: `memcmp` over the common length, then the shorter first — how
    /// file systems name files, with no Unicode comparison per pair.
    package func precedesBytewise(_ other: [UInt8]) -> Bool {
        withUnsafeBytes { x in
            other.withUnsafeBytes { y in
                let common = Swift.min(x.count, y.count)
                let c = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
                return c != 0 ? c < 0 : x.count < y.count
            }
        }
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// The offset of the first `byte` at or after `start` (memchr: vectorised), or nil.
    package func offset(of byte: UInt8, from start: Int) -> Int? {
        guard start >= 0, start < count, let base = baseAddress,
              let found = memchr(base + start, Int32(byte), count - start) else { return nil }
        return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
    }
}
