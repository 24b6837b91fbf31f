import Foundation
import XCTest
import YourICTTestSupport
@testable import YourICTFormats
@testable import YourICTSite

/// The big API documents are built from entries serialised one by one (`.raw`) and
/// written in pieces; both must give exactly the bytes of the document built whole.
final class JSONValueTests: XCTestCase {
    private func entry(_ i: Int) -> JSONValue {
        .object([
            ("id", .string("service-\(i)")),
            ("title", .string("Messagerie <\(i)> & \"co\"")),
            ("tags", .array(i.isMultiple(of: 2) ? [] : [.string("a"), .string("b")])),
            ("empty", .object([])),
            ("target", .number(99.9)),
            ("met", i.isMultiple(of: 3) ? .null : .bool(true)),
            ("components", .array([.object([("id", .string("web")), ("availability", .object([("d30", .number(0.999123))]))])])),
        ])
    }

    private func document(_ entries: [JSONValue]) -> JSONValue {
        .object([("languages", .array([.string("fr"), .string("nl")])), ("services", .array(entries)), ("count", .int(Int64(entries.count)))])
    }

    /// Integers and deep indentation, written without intermediate strings, as before.
    func testIntegersAndIndentationAreWrittenAsStringsWouldBe() {
        for value: Int64 in [0, 1, -1, 9, 10, 99, 100, 12_345, -98_765, Int64.max, Int64.min, 1_000_000_000_000] {
            XCTAssertEqual(JSONValue.int(value).serialized(pretty: false), String(value))
        }
        var deep = JSONValue.int(7)
        for _ in 0..<20 { deep = .array([deep]) }
        let text = deep.serialized()
        XCTAssertTrue(text.contains("\n" + String(repeating: " ", count: 40) + "7\n"), text)
        XCTAssertEqual(try JSONSerialization.jsonObject(with: Data(text.utf8)) is [Any], true)
    }

    /// Every escape, next to plain runs, accents and dashes (a dash starts with the same
    /// byte as U+2028); the text reads back as itself.
    func testStringsAreEscapedByteForByte() throws {
        let cases: [(String, String)] = [
            ("plain", #""plain""#),
            ("", #""""#),
            ("Service 1 — hébergement", "\"Service 1 — hébergement\""),
            ("a\"b\\c", #""a\"b\\c""#),
            ("<b>&amp;</b>", #""\u003cb\u003e\u0026amp;\u003c/b\u003e""#),
            ("line\nnext\r\ttab\u{01}\u{1f}", #""line\nnext\r\ttab\u0001\u001f""#),
            ("x\u{2028}y\u{2029}z\u{2027}", "\"x\\u2028y\\u2029z\u{2027}\""),
            ("—", "\"—\""),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(JSONText.quote(text), expected, "quoting \(text.debugDescription)")
            var bytes: [UInt8] = [65]
            JSONText.quote(text, into: &bytes)
            XCTAssertEqual(bytes, [65] + Array(expected.utf8))
            let back = try JSONSerialization.jsonObject(with: Data(expected.utf8), options: .fragmentsAllowed) as? String
            XCTAssertEqual(back, text)
        }
    }

    /// The writer gives the bytes of the tree, pretty at any level and compact: empty
    /// containers, nesting, every value kind, and entries written with the writer's own
    /// calls next to trees.
    func testWriterWritesWhatTheTreeSerialisesTo() {
        let trees: [JSONValue] = [document((0..<5).map(entry)), .object([]), .array([]), .array([.array([]), .object([("a", .array([]))])]),
                                  .string("x"), .int(-3), .number(0.5), .null, .bool(false), .raw(Array("[1, 2]".utf8))]
        for tree in trees {
            for indent in [nil, 0, 1, 2, 5, 31, 32, 40] as [Int?] {
                var w = JSONWriter(indent: indent)
                w.value(tree)
                XCTAssertEqual(String(decoding: w.finished, as: UTF8.self), String(decoding: tree.fragment(indent: indent), as: UTF8.self),
                               "indent \(String(describing: indent))")
            }
        }
        // Calls instead of a tree.
        for indent in [nil, 2] as [Int?] {
            var w = JSONWriter(indent: indent)
            w.object { w in
                w.key("id"); w.string("s")
                w.perLanguage("title", ["fr", "nl", "de"]) { $0 == "de" ? nil : "T \($0)" }
                w.key("none"); w.string(nil as String?)
                w.key("n"); w.number(nil as Double?)
                w.key("list"); w.array { w in w.int(1); w.object { _ in }; w.array { w in w.bool(true) } }
            }
            let tree = JSONValue.object([
                ("id", .string("s")), ("title", .object([("fr", .string("T fr")), ("nl", .string("T nl"))])), ("none", .null), ("n", .null),
                ("list", .array([.int(1), .object([]), .array([.bool(true)])])),
            ])
            XCTAssertEqual(w.finished, tree.fragment(indent: indent))
        }
    }

    func testEntriesSerialisedAheadGiveTheSameDocument() {
        let whole = document((0..<7).map(entry))
        for pretty in [true, false] {
            // Entries sit at nesting level 2: the document, then its `services` list.
            let raw = document((0..<7).map { JSONValue.raw(entry($0).fragment(indent: pretty ? 2 : nil)) })
            XCTAssertEqual(raw.serializedBytes(pretty: pretty), whole.serializedBytes(pretty: pretty), "pretty: \(pretty)")
        }
        // A fragment at the wrong level does not: the check above can fail.
        let wrong = document((0..<7).map { JSONValue.raw(entry($0).fragment(indent: 1)) })
        XCTAssertNotEqual(wrong.serializedBytes(), whole.serializedBytes())
    }

    func testPiecesJoinToTheWholeDocument() {
        for pretty in [true, false] {
            let entries = (0..<5).map { JSONValue.raw(entry($0).fragment(indent: pretty ? 2 : nil)) }
            for value in [document(entries), document([]), .array([]), .raw(Array("[1]".utf8)), .string("x"), document((0..<3).map(entry))] {
                let chunks = value.serializedChunks(pretty: pretty)
                XCTAssertEqual(chunks.flatMap { $0 }, value.serializedBytes(pretty: pretty))
                XCTAssertEqual(OutputFile(path: "a.json", chunks: chunks).bytes, value.serializedBytes(pretty: pretty))
            }
            // Each entry is a piece of its own, shared rather than copied into one buffer.
            let chunks = document(entries).serializedChunks(pretty: pretty)
            XCTAssertGreaterThanOrEqual(chunks.count, entries.count)
        }
    }

    func testFragmentsKeepNoSpareCapacity() {
        let bytes = entry(1).fragment(indent: 2)
        XCTAssertLessThanOrEqual(bytes.capacity - bytes.count, 64)
    }

    /// Swift writes 0.000017 as `1.7e-05`: the API promised 6 decimals and a CSV of
    /// figures (an audit found `1.7e-05` minutes of downtime). Positional always, and
    /// read back as the same Double, over values of every magnitude.
    func testNumbersAreWrittenWithoutExponentAndReadBackExactly() {
        XCTAssertEqual(JSONText.number(0.000017), "0.000017")
        XCTAssertEqual(JSONText.number(-1.6e-05), "-0.000016")
        XCTAssertEqual(JSONText.number(1.5e-10), "0.00000000015")
        XCTAssertEqual(JSONText.number(99.900046), "99.900046")
        XCTAssertEqual(JSONText.number(1e20), "100000000000000000000")
        XCTAssertEqual(JSONText.number(1.25e17), "125000000000000000")
        XCTAssertEqual(JSONText.number(Double.nan), "null")
        var rng = SplitMix(state: 11)
        for _ in 0..<20_000 {
            let d = Double(sign: Bool.random(using: &rng) ? .minus : .plus, exponent: Int.random(in: -60...60, using: &rng),
                           significand: Double.random(in: 1..<2, using: &rng))
            let text = JSONText.number(d)
            XCTAssertFalse(text.contains("e"), text)
            XCTAssertEqual(Double(text), d, text)
        }
    }
}
