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
    @inline(__always)
    package static func of<Bytes: Sequence>(_ bytes: Bytes) -> Int where Bytes.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int(bitPattern: UInt(h ^ (h >> 29)))
    }
}
