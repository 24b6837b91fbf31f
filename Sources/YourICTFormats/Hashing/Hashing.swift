extension Hasher {
    /// Hashes a string's UTF-8 bytes. `String`'s own hashing normalises to NFC first,
    /// which is slow on accented text; signatures only need byte equality.
    package mutating func combineBytes(_ s: String) {
        var copy = s
        copy.withUTF8 { bytes in
            combine(bytes.count)
            combine(bytes: UnsafeRawBufferPointer(bytes))
        }
    }
}

/// FNV-1a over bytes, its high bits folded into the low ones: a hash fixed across
/// processes and dictionaries (unlike `Hasher`), for tables indexed by its low bits and
/// keys hashed once (template names, `ViewContext` keys, a body's search words).
package enum TableHash {
    /// Inlinable, so that each caller's module specializes it: across a module boundary an
    /// unspecialized call walked the bytes through the sequence's witness table, and hashing
    /// view keys took about a tenth of the realistic benchmark's CPU.
    @inlinable @inline(__always)
    package static func of<Bytes: Sequence>(_ bytes: Bytes) -> Int where Bytes.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int(bitPattern: UInt(h ^ (h >> 29)))
    }

    /// A string's hash: its UTF-8 bytes in place (a native string's are contiguous).
    @inlinable @inline(__always)
    package static func of(_ string: String) -> Int {
        string.utf8.withContiguousStorageIfAvailable { of($0) } ?? of(string.utf8)
    }
}
