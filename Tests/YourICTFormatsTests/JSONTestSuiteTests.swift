import Foundation
import XCTest
import YourICTTestSupport
@testable import YourICTFormats

/// nst/JSONTestSuite `test_parsing`, read from the suite's own files under
/// `Tests/Conformance/JSONTestSuite/` (all 318 of them): `y_` must parse, `n_`
/// must fail, and `i_` (implementation defined) are pinned to this reader's
/// documented choices. Every case also runs through the chunked file path with
/// tiny buffers, which must produce the identical transcript or the identical
/// error, and every `y_` case must read to the value Foundation's
/// `JSONSerialization` reads.
final class JSONTestSuiteTests: XCTestCase {
    private static let folder = SiteFixture.repositoryRoot
        .appendingPathComponent("Tests/Conformance/JSONTestSuite/test_parsing")

    /// Every case of the suite by file name without `.json`, sorted.
    private static let suite: [(name: String, bytes: [UInt8])] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { file in
            let bytes = FileManager.default.contents(atPath: folder.appendingPathComponent(file).path) ?? Data()
            return (String(file.dropLast(".json".count)), [UInt8](bytes))
        }
    }()

    private static func cases(_ prefix: String) -> [(name: String, bytes: [UInt8])] {
        suite.filter { $0.name.hasPrefix(prefix) }
    }

    /// Cases proposed upstream (pull requests #105 and #137 of nst/JSONTestSuite,
    /// not merged there): leading zeros before a fraction or an exponent, and a C
    /// octal escape. They must be refused all the same.
    private static let proposedRejected: [(name: String, bytes: [UInt8])] = [
        ("n_number_-00.0", bytes("[-00.0]")),
        ("n_number_-00e0", bytes("[-00e0]")),
        ("n_number_00.0", bytes("[00.0]")),
        ("n_number_00e0", bytes("[00e0]")),
        ("n_string_octal_escape", bytes("[\"\\012\"]\n")),
    ]

    /// Implementation-defined cases this reader accepts: huge or tiny numbers
    /// are syntactically valid (`currentDouble()` reports overflow as nil, see
    /// `testImplementationDefinedNumbersConvertAsDocumented`) and 500 levels of
    /// nesting are within the default limit of 512.
    private static let implementationDefinedAccepted: Set<String> = [
        "i_number_double_huge_neg_exp", "i_number_huge_exp", "i_number_neg_int_huge_exp",
        "i_number_pos_double_huge_exp", "i_number_real_neg_overflow", "i_number_real_pos_overflow",
        "i_number_real_underflow", "i_number_too_big_neg_int", "i_number_too_big_pos_int",
        "i_number_very_big_negative_int", "i_structure_500_nested_arrays",
    ]

    /// Implementation-defined cases this reader rejects: unpaired surrogate
    /// escapes (never replaced), any ill-formed UTF-8 (overlong, surrogate code
    /// points, out of range, truncated), non-UTF-8 encodings and a byte order mark.
    private static let implementationDefinedRejected: Set<String> = [
        "i_object_key_lone_2nd_surrogate", "i_string_1st_surrogate_but_2nd_missing",
        "i_string_1st_valid_surrogate_2nd_invalid", "i_string_UTF-16LE_with_BOM",
        "i_string_UTF-8_invalid_sequence", "i_string_UTF8_surrogate_U+D800",
        "i_string_incomplete_surrogate_and_escape_valid", "i_string_incomplete_surrogate_pair",
        "i_string_incomplete_surrogates_escape_valid", "i_string_invalid_lonely_surrogate",
        "i_string_invalid_surrogate", "i_string_invalid_utf-8", "i_string_inverted_surrogates_U+1D11E",
        "i_string_iso_latin_1", "i_string_lone_second_surrogate", "i_string_lone_utf8_continuation_byte",
        "i_string_not_in_unicode_range", "i_string_overlong_sequence_2_bytes",
        "i_string_overlong_sequence_6_bytes", "i_string_overlong_sequence_6_bytes_null",
        "i_string_truncated-utf-8", "i_string_utf16BE_no_BOM", "i_string_utf16LE_no_BOM",
        "i_structure_UTF-8_BOM_empty_object",
    ]

    private static let tinyBufferSizes = [1, 2, 3, 7]

    func testTheWholeSuiteIsPresent() {
        XCTAssertEqual(Self.cases("y_").count, 95, "y_ cases in \(Self.folder.path)")
        XCTAssertEqual(Self.cases("n_").count, 188, "n_ cases in \(Self.folder.path)")
        XCTAssertEqual(Self.cases("i_").count, 35, "i_ cases in \(Self.folder.path)")
        XCTAssertEqual(Self.suite.count, 318, "nothing but y_, n_ and i_ cases")
    }

    func testEveryImplementationDefinedCaseHasADocumentedOutcome() {
        let names = Set(Self.cases("i_").map(\.name))
        XCTAssertEqual(names, Self.implementationDefinedAccepted.union(Self.implementationDefinedRejected))
        XCTAssertTrue(Self.implementationDefinedAccepted.isDisjoint(with: Self.implementationDefinedRejected))
    }

    func testAcceptedCasesParseIdenticallyInMemoryAndInChunks() throws {
        let accepted = Self.cases("y_") + Self.cases("i_").filter { Self.implementationDefinedAccepted.contains($0.name) }
        XCTAssertEqual(accepted.count, 95 + 11)
        for (name, document) in accepted {
            let expected: [String]
            switch JSONTestSupport.memoryTranscript(document) {
            case .success(let tokens): expected = tokens
            case .failure(let error):
                XCTFail("\(name) must parse, failed: \(error)")
                continue
            }
            XCTAssertEqual(expected.last?.hasSuffix(" end"), true, name)
            XCTAssertFalse(expected.contains { $0.hasSuffix("(equals mismatch)") }, "\(name): \(expected)")
            let chunked = try JSONTestSupport.fileTranscripts(document, bufferSizes: Self.tinyBufferSizes)
            for (size, result) in zip(Self.tinyBufferSizes, chunked) {
                XCTAssertEqual(try result.get(), expected, "\(name) with a \(size)-byte buffer")
            }
        }
    }

    func testRejectedCasesFailIdenticallyInMemoryAndInChunks() throws {
        let rejected = Self.cases("n_") + Self.proposedRejected
            + Self.cases("i_").filter { Self.implementationDefinedRejected.contains($0.name) }
        XCTAssertEqual(rejected.count, 188 + 5 + 24)
        for (name, document) in rejected {
            guard case .failure(let expected) = JSONTestSupport.memoryTranscript(document) else {
                XCTFail("\(name) must be rejected")
                continue
            }
            XCTAssertLessThanOrEqual(expected.offset, document.count, name)
            let chunked = try JSONTestSupport.fileTranscripts(document, bufferSizes: Self.tinyBufferSizes)
            for (size, result) in zip(Self.tinyBufferSizes, chunked) {
                guard case .failure(let error) = result else {
                    XCTFail("\(name) must be rejected with a \(size)-byte buffer")
                    continue
                }
                XCTAssertEqual(error, expected, "\(name) with a \(size)-byte buffer")
            }
        }
    }

    /// The reader's values against Foundation's `JSONSerialization`, case by
    /// case: strings byte for byte, objects with the last of duplicate keys (as
    /// Foundation keeps), numbers as the reader promises them — `currentDouble()`
    /// is the correctly rounded double and an integer of at most 18 digits is
    /// also exact. Foundation keeps long numbers as `NSDecimalNumber`, whose
    /// `doubleValue` is not correctly rounded, so the reference double is then
    /// its exact decimal text converted by `Double(_:)`.
    func testAcceptedCasesReadToTheValuesFoundationReads() throws {
        for (name, document) in Self.cases("y_") {
            let reference = try JSONSerialization.jsonObject(with: Data(document), options: [.fragmentsAllowed])
            var reader = JSONPullReader(bytes: document)
            let value = try ReaderValue.read(&reader)
            XCTAssertEqual(try reader.next(), .end, name)
            if let difference = value.difference(from: reference) {
                XCTFail("\(name): \(difference)")
            }
        }
    }

    func testNegativeZeroIsTheNegativeDouble() throws {
        for name in ["y_number_negative_zero", "y_number_minus_zero"] {
            let document = try XCTUnwrap(Self.suite.first { $0.name == name }?.bytes, name)
            var reader = JSONPullReader(bytes: document)
            XCTAssertEqual(try reader.next(), .beginArray)
            XCTAssertEqual(try reader.next(), .number)
            XCTAssertEqual(reader.currentDouble()?.bitPattern, (-0.0 as Double).bitPattern, name)
            XCTAssertEqual(reader.exactInteger, 0, name)
            XCTAssertEqual(reader.currentTimestampMillis(), 0, name)
        }
    }

    func testRejectionsReportTheRightKindAndPlace() {
        let cases: [([UInt8], JSONError.Kind, Int)] = [
            (bytes(""), .unexpectedEndOfInput, 0),
            (bytes("[1,]"), .unexpectedCharacter, 3),
            (bytes("[01]"), .invalidNumber, 2),
            (bytes("[1.]"), .invalidNumber, 3),
            (bytes("[+1]"), .unexpectedCharacter, 1),
            (bytes("[1] x"), .trailingData, 4),
            (bytes(#"["a\qb"]"#), .invalidString, 3),
            (bytes("[\"a\tb\"]"), .invalidString, 3),
            (bytes(#"["\uD800x"]"#), .invalidString, 2),
            (bytes("{\"a\" 1}"), .unexpectedCharacter, 5),
            (bytes("[nul"), .unexpectedEndOfInput, 4),
            (bytes("[\"abc"), .unexpectedEndOfInput, 1),
            (bytes("[tru3]"), .unexpectedCharacter, 4),
            (bytes("[\"a") + [0xC3, 0x28] + bytes("\"]"), .invalidUTF8, 3),
            // n_number_invalid-utf-8-in-*: the number ends before the stray byte.
            (bytes("[123") + [0xE5] + bytes("]"), .unexpectedCharacter, 4),
            (bytes("[1e") + [0xE5] + bytes("]"), .invalidNumber, 3),
            // n_object_lone_continuation_byte_in_key_and_trailing_comma
            (bytes("{\"") + [0xB9] + bytes("\":\"0\",}"), .invalidUTF8, 2),
            // n_structure_single_eacute
            ([0xE9], .unexpectedCharacter, 0),
        ]
        for (document, kind, offset) in cases {
            guard case .failure(let error) = JSONTestSupport.memoryTranscript(document) else {
                XCTFail("\(document) must be rejected")
                continue
            }
            XCTAssertEqual(error.kind, kind, "\(document): \(error)")
            XCTAssertEqual(error.offset, offset, "\(document): \(error)")
        }
    }

    func testImplementationDefinedNumbersConvertAsDocumented() throws {
        func firstNumber(_ text: String) throws -> (Double?, String?) {
            var reader = JSONPullReader(bytes: Array(text.utf8))
            XCTAssertEqual(try reader.next(), .beginArray)
            XCTAssertEqual(try reader.next(), .number)
            return (reader.currentDouble(), reader.currentNumberText)
        }
        XCTAssertEqual(try firstNumber("[123.456e-789]").0, 0)
        XCTAssertNil(try firstNumber("[1.5e+9999]").0, "overflow is reported as nil")
        XCTAssertNil(try firstNumber("[-123123e100000]").0)
        XCTAssertNil(try firstNumber("[0.4e00669999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999969999999006]").0)
        XCTAssertEqual(try firstNumber("[123e-10000000]").0, 0)
        XCTAssertEqual(try firstNumber("[100000000000000000000]").0, 1e20)
        XCTAssertEqual(try firstNumber("[-123123123123123123123123123123]").0, -1.2312312312312312e29)
        XCTAssertEqual(try firstNumber("[-123123123123123123123123123123]").1, "-123123123123123123123123123123")
    }

    func testNestingLimitIsEnforcedWithoutRecursion() {
        let deep = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        guard case .failure(let error) = JSONTestSupport.memoryTranscript(deep) else {
            return XCTFail("100,000 open brackets must be rejected")
        }
        XCTAssertEqual(error.kind, .depthLimitExceeded)
        XCTAssertEqual(error.offset, JSONPullReader.defaultMaxDepth)

        var shallow = JSONPullReader(bytes: Array("[[[1]]]".utf8), maxDepth: 2)
        XCTAssertEqual(try shallow.next(), .beginArray)
        XCTAssertEqual(try shallow.next(), .beginArray)
        XCTAssertThrowsError(try shallow.next()) { error in
            XCTAssertEqual((error as? JSONError)?.kind, .depthLimitExceeded)
        }
    }
}

/// A document as the reader hands it out, to compare with Foundation's.
private indirect enum ReaderValue {
    case null
    case bool(Bool)
    case number(double: Double?, exactInteger: Int64?, text: String)
    case string([UInt8])
    case array([ReaderValue])
    case object([(key: [UInt8], value: ReaderValue)])

    /// Reads the next value whole, iteratively (the reader's nesting limit bounds the stack).
    static func read(_ reader: inout JSONPullReader) throws -> ReaderValue {
        var stack: [(key: [UInt8]?, items: [ReaderValue], pairs: [(key: [UInt8], value: ReaderValue)], isObject: Bool)] = []
        var pendingKey: [UInt8]?
        while true {
            let token = try reader.next()
            var finished: ReaderValue
            switch token {
            case .beginArray, .beginObject:
                stack.append((pendingKey, [], [], token == .beginObject))
                pendingKey = nil
                continue
            case .key:
                pendingKey = reader.withCurrentStringBytes { Array($0) }
                continue
            case .endArray, .endObject:
                let frame = stack.removeLast()
                finished = frame.isObject ? .object(frame.pairs) : .array(frame.items)
                pendingKey = frame.key
            case .string: finished = .string(reader.withCurrentStringBytes { Array($0) })
            case .number:
                finished = .number(double: reader.currentDouble(), exactInteger: reader.exactInteger,
                                   text: reader.currentNumberText ?? "")
            case .bool(let value): finished = .bool(value)
            case .null: finished = .null
            case .end: throw JSONError(.unexpectedEndOfInput, "no value", offset: reader.tokenOffset)
            }
            guard !stack.isEmpty else { return finished }
            if stack[stack.count - 1].isObject {
                stack[stack.count - 1].pairs.append((pendingKey!, finished))
                pendingKey = nil
            } else {
                stack[stack.count - 1].items.append(finished)
            }
        }
    }

    /// Nil when `reference` (a `JSONSerialization` result) is the same value,
    /// otherwise where and how it differs.
    func difference(from reference: Any, at path: String = "$") -> String? {
        switch self {
        case .null:
            return reference is NSNull ? nil : "\(path): null, Foundation \(reference)"
        case .bool(let value):
            guard let number = reference as? NSNumber, String(cString: number.objCType) == "c",
                  number.boolValue == value else { return "\(path): \(value), Foundation \(reference)" }
            return nil
        case .number(let double, let exactInteger, let text):
            guard let number = reference as? NSNumber, String(cString: number.objCType) != "c" else {
                return "\(path): number \(text), Foundation \(reference)"
            }
            let referenceDouble = number is NSDecimalNumber ? Double(number.stringValue) : number.doubleValue
            guard let double, double == referenceDouble else {
                return "\(path): \(text) read as \(String(describing: double)), Foundation \(number) (\(String(describing: referenceDouble)))"
            }
            if let exactInteger {
                guard !(number is NSDecimalNumber), "iqlsQ".contains(String(cString: number.objCType)),
                      number.int64Value == exactInteger else {
                    return "\(path): \(text) read as the integer \(exactInteger), Foundation \(number)"
                }
            }
            return nil
        case .string(let bytes):
            guard let string = reference as? String, Array(string.utf8) == bytes else {
                return "\(path): string \(bytes), Foundation \(reference)"
            }
            return nil
        case .array(let items):
            guard let array = reference as? [Any], array.count == items.count else {
                return "\(path): array of \(items.count), Foundation \(reference)"
            }
            for (index, (item, other)) in zip(items, array).enumerated() {
                if let difference = item.difference(from: other, at: "\(path)[\(index)]") { return difference }
            }
            return nil
        case .object(let pairs):
            guard let dictionary = reference as? [String: Any] else { return "\(path): object, Foundation \(reference)" }
            var lastByKey: [[UInt8]: ReaderValue] = [:]
            for (key, value) in pairs { lastByKey[key] = value }
            let referenceKeys = Set(dictionary.keys.map { Array($0.utf8) })
            guard referenceKeys == Set(lastByKey.keys) else {
                return "\(path): keys \(lastByKey.keys.sorted { $0.lexicographicallyPrecedes($1) }), Foundation \(dictionary.keys.sorted())"
            }
            for (key, other) in dictionary {
                let value = lastByKey[Array(key.utf8)]!
                if let difference = value.difference(from: other, at: "\(path).\(key)") { return difference }
            }
            return nil
        }
    }
}

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
