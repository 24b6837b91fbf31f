import XCTest
import YourICTTestSupport
@testable import YourICTFormats

final class JSONPullReaderTests: XCTestCase {
    // MARK: Tokens and structure

    func testTokenSequenceOfANestedDocument() throws {
        var reader = JSONPullReader(bytes: bytes(#" {"a": [1, -2.5e3, "x", true, false, null, {}], "b": {"c": []}} "#))
        let expected: [JSONToken] = [
            .beginObject, .key, .beginArray, .number, .number, .string, .bool(true), .bool(false), .null,
            .beginObject, .endObject, .endArray, .key, .beginObject, .key, .beginArray, .endArray, .endObject,
            .endObject, .end,
        ]
        var actual: [JSONToken] = []
        repeat {
            actual.append(try reader.next())
            XCTAssertEqual(reader.currentToken, actual.last)
        } while actual.last != .end && actual.count < 50
        XCTAssertEqual(actual, expected)
        XCTAssertEqual(try reader.next(), .end, "end is sticky")
        XCTAssertEqual(reader.depth, 0)
    }

    func testTokenOffsetsPointAtTheFirstByteOfEachToken() throws {
        var reader = JSONPullReader(bytes: bytes(#"{ "k" : [ 12 , "s" ] }"#))
        var offsets: [Int] = []
        while try reader.next() != .end { offsets.append(reader.tokenOffset) }
        XCTAssertEqual(offsets, [0, 2, 8, 10, 15, 19, 21])
    }

    func testDepthTracksOpenContainers() throws {
        var reader = JSONPullReader(bytes: bytes("[[{}]]"))
        var depths: [Int] = []
        while try reader.next() != .end { depths.append(reader.depth) }
        XCTAssertEqual(depths, [1, 2, 3, 2, 1, 0])
    }

    // MARK: Strings

    func testStringsAreDecodedWithAllEscapes() throws {
        var reader = JSONPullReader(bytes: bytes(#"["plain", "q\"b\\s\/ \b\f\n\r\t", "\u00e9\u20AC", "\ud83d\ude00!", "é😀", ""]"#))
        XCTAssertEqual(try reader.next(), .beginArray)
        var strings: [String] = []
        while try reader.next() == .string { strings.append(reader.currentString()) }
        XCTAssertEqual(strings, ["plain", "q\"b\\s/ \u{8}\u{C}\n\r\t", "é€", "😀!", "é😀", ""])
    }

    func testStringComparisonsWorkWithAndWithoutEscapes() throws {
        var reader = JSONPullReader(bytes: bytes(#"{"status": "a\u0062c", "": 1}"#))
        XCTAssertEqual(try reader.next(), .beginObject)
        XCTAssertEqual(try reader.next(), .key)
        XCTAssertTrue(reader.currentStringEquals("status"))
        XCTAssertFalse(reader.currentStringEquals("statu"))
        XCTAssertFalse(reader.currentStringEquals("statusx"))
        XCTAssertTrue(reader.currentStringEquals(bytes("status")))
        XCTAssertEqual(try reader.next(), .string)
        XCTAssertTrue(reader.currentStringEquals("abc"), "compares the unescaped text")
        XCTAssertFalse(reader.currentStringEquals(#"a\u0062c"#))
        XCTAssertFalse(reader.currentStringEquals("abd"))
        reader.withCurrentStringBytes { XCTAssertEqual(Array($0), bytes("abc")) }
        XCTAssertEqual(try reader.next(), .key)
        XCTAssertTrue(reader.currentStringEquals(""))
        XCTAssertTrue(reader.currentStringEquals([]))
        XCTAssertEqual(try reader.next(), .number)
        XCTAssertFalse(reader.currentStringEquals("1"), "a number is not a string")
    }

    func testAHugeStringGrowsTheFileBufferAndSurvivesBoundaries() throws {
        let long = String(repeating: "abcdéfgh\\u20ac", count: 20_000)
        let document = bytes("[\"\(long)\", 1]")
        let expected = String(repeating: "abcdéfgh€", count: 20_000)
        try JSONTestSupport.withTemporaryFile(document) { path in
            var reader = try JSONPullReader(contentsOfFile: path, bufferSize: 7)
            XCTAssertEqual(try reader.next(), .beginArray)
            XCTAssertEqual(try reader.next(), .string)
            XCTAssertEqual(reader.currentString(), expected)
            XCTAssertEqual(try reader.next(), .number)
            XCTAssertEqual(reader.currentDouble(), 1)
            XCTAssertEqual(try reader.next(), .endArray)
            XCTAssertEqual(try reader.next(), .end)
        }
    }

    func testGeneratedDocumentsMatchAcrossBufferSizes() throws {
        var generator = SystemRandomNumberGenerator()
        let pieces = [#"{"k\u00e9y":"v\"al"}"#, "[1,-2.5e-3,0]", #""😀é\n""#, "true", "null", "[]", "{}", "1732579200.123"]
        for _ in 0..<20 {
            var parts: [String] = []
            for _ in 0..<Int.random(in: 1...12, using: &generator) {
                parts.append(pieces.randomElement(using: &generator)!)
            }
            let document = bytes(" [ " + parts.joined(separator: " ,\n") + " ] ")
            let expected = try JSONTestSupport.memoryTranscript(document).get()
            let sizes = [1, 2, 3, 5, 7, 64]
            for (size, result) in zip(sizes, try JSONTestSupport.fileTranscripts(document, bufferSizes: sizes)) {
                XCTAssertEqual(try result.get(), expected, "\(size)-byte buffer")
            }
        }
    }

    // MARK: Numbers

    func testDoublesIncludingExponents() throws {
        let cases: [(String, Double)] = [
            ("0", 0), ("-0", -0.0), ("1", 1), ("-17", -17), ("0.5", 0.5), ("1e3", 1000), ("2.5E-3", 0.0025),
            ("123456789012345678", 1.2345678901234568e17), ("0.1", 0.1), ("1.7976931348623157e308", .greatestFiniteMagnitude),
            ("12345678901234567890123", 1.2345678901234568e22), ("4.9e-324", .leastNonzeroMagnitude), ("0.30000000000000004", 0.30000000000000004),
        ]
        for (text, expected) in cases {
            var reader = JSONPullReader(bytes: bytes(text))
            XCTAssertEqual(try reader.next(), .number)
            XCTAssertEqual(reader.currentDouble()?.bitPattern, expected.bitPattern, text)
            XCTAssertEqual(reader.currentNumberText, text)
            XCTAssertEqual(try reader.next(), .end)
        }
        var reader = JSONPullReader(bytes: bytes("[\"1\"]"))
        _ = try reader.next()
        _ = try reader.next()
        XCTAssertNil(reader.currentDouble(), "a string is not a number")
        XCTAssertNil(reader.currentNumberText)
        XCTAssertNil(reader.currentTimestampMillis())
    }

    /// Seeded random numbers of every shape (long mantissas, leading zeros, huge and tiny
    /// exponents, subnormals) against the standard library's correctly rounded
    /// `Double(_:)` and `Int64(_:)`: the fast path, the fallback and the digit scanner.
    func testNumbersMatchTheStandardLibrary() throws {
        var generator = SplitMix(state: 0x4A53_4F4E)
        func digits(_ count: Int, into text: inout [UInt8]) {
            for _ in 0..<count { text.append(UInt8(ascii: "0") + UInt8.random(in: 0...9, using: &generator)) }
        }
        var mismatches: [String] = []
        for _ in 0..<20_000 {
            var text: [UInt8] = Bool.random(using: &generator) ? [UInt8(ascii: "-")] : []
            if Int.random(in: 0..<5, using: &generator) == 0 {
                text.append(UInt8(ascii: "0"))
            } else {
                text.append(UInt8(ascii: "0") + UInt8.random(in: 1...9, using: &generator))
                digits(Int.random(in: 0...24, using: &generator), into: &text)
            }
            let isInteger = Bool.random(using: &generator)
            if !isInteger {
                text.append(UInt8(ascii: "."))
                digits(Int.random(in: 1...24, using: &generator), into: &text)
            }
            let hasExponent = Int.random(in: 0..<5, using: &generator) < 2
            if hasExponent {
                text += bytes(["e", "E", "e+", "e-", "E-"].randomElement(using: &generator)!)
                text += bytes(String(Int.random(in: 0...400, using: &generator)))
            }
            let string = String(decoding: text, as: UTF8.self)
            var reader = JSONPullReader(bytes: text)
            guard try reader.next() == .number else {
                mismatches.append("\(string): not a number")
                continue
            }
            let reference = Double(string)!
            if reader.currentDouble()?.bitPattern != (reference.isFinite ? reference.bitPattern : nil) {
                mismatches.append("\(string): \(String(describing: reader.currentDouble())), Double(_:) \(reference)")
            }
            let isShortInteger = isInteger && !hasExponent && text.count - (text[0] == UInt8(ascii: "-") ? 1 : 0) <= 18
            if reader.exactInteger != (isShortInteger ? Int64(string) : nil) {
                mismatches.append("\(string): exact integer \(String(describing: reader.exactInteger))")
            }
        }
        XCTAssertEqual(mismatches, [])
    }

    func testTimestampFastPath() throws {
        let cases: [(String, Int64?)] = [
            ("1732579200", 1_732_579_200_000),
            ("1732579200.5", 1_732_579_200_500),
            ("1732579200.123", 1_732_579_200_123),
            ("1732579200.1234", 1_732_579_200_123),
            ("1732579200.1235", 1_732_579_200_124),
            ("1732579200.9996", 1_732_579_201_000),
            ("1732579200.000000000000000000001", 1_732_579_200_000),
            ("0", 0),
            ("0.0004", 0),
            ("0.0005", 1),
            ("-1", -1000),
            ("-1.5", -1500),
            ("-1.0005", -1001),
            ("1.7325792001e9", 1_732_579_200_100),
            ("17325792001234e-4", 1_732_579_200_123),
            ("1e-9999", 0),
            ("0e99999", 0),
            ("9223372036854775", 9_223_372_036_854_775_000),
            ("9223372036854776", nil),
            ("-9223372036854775.808", Int64.min),
            ("99999999999999999999", nil),
            ("1e100", nil),
        ]
        for (text, expected) in cases {
            var reader = JSONPullReader(bytes: bytes("[\(text)]"))
            XCTAssertEqual(try reader.next(), .beginArray)
            XCTAssertEqual(try reader.next(), .number)
            XCTAssertEqual(reader.currentTimestampMillis(), expected, text)
        }
    }

    // MARK: Skipping

    func testSkipValueSkipsWholeValuesAndValidatesThem() throws {
        var reader = JSONPullReader(bytes: bytes(#"{"skip": {"a": [1, {"b": [[]]}], "c": "d"}, "keep": 7, "tail": [1, 2]}"#))
        XCTAssertEqual(try reader.next(), .beginObject)
        XCTAssertEqual(try reader.next(), .key)
        try reader.skipValue()
        XCTAssertEqual(try reader.next(), .key)
        XCTAssertTrue(reader.currentStringEquals("keep"))
        XCTAssertEqual(try reader.next(), .number)
        XCTAssertEqual(try reader.next(), .key)
        try reader.skipValue()
        XCTAssertEqual(try reader.next(), .endObject)
        XCTAssertEqual(try reader.next(), .end)

        var broken = JSONPullReader(bytes: bytes(#"{"skip": [1, 2,], "keep": 7}"#))
        _ = try broken.next()
        _ = try broken.next()
        XCTAssertThrowsError(try broken.skipValue()) { error in
            XCTAssertEqual((error as? JSONError)?.kind, .unexpectedCharacter)
        }
    }

    func testSkipValueWhereNoValueStartsIsAnError() throws {
        var reader = JSONPullReader(bytes: bytes("[]"))
        _ = try reader.next()
        XCTAssertThrowsError(try reader.skipValue()) { error in
            XCTAssertEqual((error as? JSONError)?.kind, .invalidUse)
        }
        var scalar = JSONPullReader(bytes: bytes("1"))
        try scalar.skipValue()
        XCTAssertEqual(try scalar.next(), .end)
    }

    // MARK: Errors

    func testErrorMessagesNameTheProblem() {
        let cases: [(String, String)] = [
            ("['a']", "strings need double quotes"),
            ("[NaN]", "NaN and Infinity are not JSON"),
            ("[\"a\tb\"]", "control character 0x09 must be escaped"),
            ("[1,]", "trailing comma"),
            ("{\"a\":1 // note\n}", "comments are not allowed"),
            ("[1] [2]", "after the top-level value"),
            (#"["\x"]"#, "invalid escape \\x"),
        ]
        for (text, fragment) in cases {
            guard case .failure(let error) = JSONTestSupport.memoryTranscript(bytes(text)) else {
                XCTFail("\(text) must be rejected")
                continue
            }
            XCTAssertTrue(error.message.contains(fragment), "\(text): \(error.message)")
            XCTAssertTrue(error.description.hasSuffix("(at byte \(error.offset))"))
        }
    }

    // MARK: Input sources and locations

    func testBorrowedBytesAreReadWithoutCopying() throws {
        let document = bytes(#"{"a":[true]}"#)
        try document.withUnsafeBytes { buffer in
            var reader = JSONPullReader(unsafeBytes: buffer)
            var tokens: [JSONToken] = []
            while tokens.last != .end { tokens.append(try reader.next()) }
            XCTAssertEqual(tokens, [.beginObject, .key, .beginArray, .bool(true), .endArray, .endObject, .end])
        }
        var empty = JSONPullReader(unsafeBytes: UnsafeRawBufferPointer(start: nil, count: 0))
        XCTAssertThrowsError(try empty.next())
    }

    func testMissingFileIsAnIOError() {
        do {
            _ = try JSONPullReader(contentsOfFile: "/nonexistent/yourict/file.json")
            XCTFail("opening a missing file must fail")
        } catch {
            guard case .io(let code) = error.kind else { return XCTFail("expected an I/O error, got \(error)") }
            XCTAssertNotEqual(code, 0)
        }
    }

    func testSourceLocationCountsLinesAndScalarColumns() throws {
        let document = bytes("{\n  \"é😀\": [1,\r\n  2,,]\n}")
        guard case .failure(let error) = JSONTestSupport.memoryTranscript(document) else {
            return XCTFail("the double comma must be rejected")
        }
        let location = JSONSourceLocation(offset: error.offset, in: document)
        XCTAssertEqual(location, JSONSourceLocation(line: 3, column: 5))
        XCTAssertEqual(JSONSourceLocation(offset: 0, in: document), JSONSourceLocation(line: 1, column: 1))
        // `"é😀": [` on line 2: the `[` is column 11 counting scalars, byte 13 of the line.
        XCTAssertEqual(JSONSourceLocation(offset: 2 + 14, in: document).description, "2:11")
        XCTAssertEqual(JSONSourceLocation(offset: 999, in: document), JSONSourceLocation(line: 4, column: 2))
        XCTAssertEqual(JSONSourceLocation(offset: 2, in: bytes("a\rb")), JSONSourceLocation(line: 2, column: 1))

        try JSONTestSupport.withTemporaryFile(document) { path in
            XCTAssertEqual(try JSONSourceLocation(offset: error.offset, inFile: path), location)
        }
    }

    /// Many offsets located in one pass (a file with thousands of warnings is read once):
    /// each the same as when located alone, whatever their order, repeats or range, in
    /// memory and in a file larger than one read chunk.
    func testManyOffsetsInOnePassMatchEachAlone() throws {
        var generator = SplitMix(state: 7)
        let pieces: [[UInt8]] = [bytes("a"), bytes("é"), bytes("😀"), [0x0A], [0x0D], [0x0D, 0x0A], bytes(" ")]
        var document: [UInt8] = []
        while document.count < 200_000 { document += pieces[Int(generator.next() % UInt64(pieces.count))] }
        var offsets = (0..<500).map { _ in Int(generator.next() % UInt64(document.count + 100)) - 50 }
        offsets += [offsets[3], offsets[3], 0, document.count, 1 << 20]
        let alone = offsets.map { JSONSourceLocation(offset: $0, in: document) }
        XCTAssertEqual(JSONSourceLocation.locations(of: offsets, in: document), alone)
        XCTAssertEqual(Set(alone).count > 400, true, "the offsets must fall on many different positions")
        try JSONTestSupport.withTemporaryFile(document) { path in
            XCTAssertEqual(try JSONSourceLocation.locations(of: offsets, inFile: path), alone)
            XCTAssertEqual(try JSONSourceLocation.locations(of: [], inFile: path), [])
        }
    }
}

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
