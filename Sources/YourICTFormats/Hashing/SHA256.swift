import Crypto

/// SHA-256 for asset fingerprints and build-cache keys: collisions there would serve
/// stale files, so the hash is cryptographic. The digest is swift-crypto's (`Crypto`,
/// BoringSSL's code on Linux), proven by its own test vectors and faster than the
/// FIPS 180-4 code of our own this replaced (docs/performance.md); this type only keeps
/// the call sites' shape: bytes and strings in, bytes or lowercase hex out.
public struct SHA256: Sendable {
    private var digest = Crypto.SHA256()

    public init() {}

    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { digest.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        if done == nil { digest.update(data: Array(bytes)) }
    }

    public mutating func update(_ string: String) { update(string.utf8) }

    public mutating func finalize() -> [UInt8] { Array(digest.finalize()) }

    public static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(bytes)
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in hasher.finalize() {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    public static func hex(_ string: String) -> String { hex(string.utf8) }
}
