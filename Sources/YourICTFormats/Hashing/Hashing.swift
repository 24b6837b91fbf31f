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
