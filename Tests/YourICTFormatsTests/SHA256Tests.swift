import Foundation
import XCTest
import YourICTTestSupport
@testable import YourICTFormats

/// The FIPS 180-4 examples (NIST's "Example Algorithms" for SHA-256) through the
/// project's `SHA256`: the digest is swift-crypto's, these prove the layer around it —
/// bytes, strings, pieces and the hex form of fingerprints.
final class SHA256Tests: XCTestCase {
    private static let vectors: [(message: String, digest: String)] = [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ]
    private static let millionA = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"

    func testFIPSExamplesAsStringsAndAsBytes() {
        for (message, digest) in Self.vectors {
            XCTAssertEqual(SHA256.hex(message), digest, message)
            XCTAssertEqual(SHA256.hex(Array(message.utf8)), digest, message)
        }
    }

    func testOneMillionAInPiecesOfEveryShape() {
        let piece = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        var whole = SHA256()
        for _ in 0..<1000 { whole.update(piece) }
        XCTAssertEqual(whole.finalize().map { String(format: "%02x", $0) }.joined(), Self.millionA)
        // 63 and 65 bytes straddle the 64-byte block; the lazy sequence has no contiguous storage.
        var uneven = SHA256()
        var left = 1_000_000
        while left > 0 {
            let count = min(left, left % 2 == 0 ? 63 : 65)
            uneven.update(repeatElement(UInt8(ascii: "a"), count: count))
            left -= count
        }
        XCTAssertEqual(uneven.finalize().map { String(format: "%02x", $0) }.joined(), Self.millionA)
    }

    func testAStringAndItsBytesHashAlike() {
        var text = SHA256()
        text.update("templates/assets/style.css")
        text.update("é€𝄞")
        var bytes = SHA256()
        bytes.update(Array("templates/assets/style.css".utf8))
        bytes.update(Array("é€𝄞".utf8))
        XCTAssertEqual(text.finalize(), bytes.finalize())
    }
}
