import Foundation
import XCTest
import YourICTTestSupport
@testable import YourICTFormats
@testable import yourict_fuzz

/// The fast front-matter parser must read YAML exactly as Yams does, or step aside.
final class FastYAMLTests: XCTestCase {
    /// The fast path agrees with Yams on `text` (same tree, positions of nulls included), or
    /// leaves it to Yams.
    private func assertSame(_ text: String, mustBeFast: Bool = false, file: StaticString = #filePath, line: UInt = #line) {
        switch YAMLDifferential.check(text) {
        case .agreed: break
        case .deferred: XCTAssertFalse(mustBeFast, "fell back to Yams: \(text)", file: file, line: line)
        case .disagreed(let difference): XCTFail("\(text.debugDescription): \(difference)", file: file, line: line)
        }
    }

    func testEveryExampleFileParsesFastAndTheSame() throws {
        let tree = DiskSourceTree(root: SiteFixture.repositoryRoot)
        var files = 0
        for path in tree.allFiles(under: "content") + tree.allFiles(under: "templates/i18n") {
            let text = String(decoding: try tree.read(path), as: UTF8.self)
            let yaml: String
            if path.hasSuffix(".md") {
                guard case .success(let source) = SourceText.decode(Array(text.utf8), path: path),
                      case .success(let doc) = FrontMatter.split(source) else { continue }
                yaml = doc.yaml
            } else if path.hasSuffix(".yaml") {
                yaml = text
            } else {
                continue
            }
            assertSame(yaml, mustBeFast: true)
            files += 1
        }
        XCTAssertGreaterThanOrEqual(files, 30)
    }

    func testConstructs() {
        let cases = [
            "a: b\nc: d\n",
            "a: b # comment\n# line comment\nc:   d  \n",
            "title: \"Quoted: with \\\"escapes\\\" \\u00e9 \\n end\"\n",
            "title: 'single ''quoted'' # not a comment'\n",
            "url: https://example.org/a#b\nc: C# and F#\n",
            "list: [a, \"b, c\", 'd', 1.5, https://x.y/z]\n",
            "map: {job: blackbox, instance: \"https://a/\"}\n",
            "nested: {a: [1, 2], b: {c: d}}\n",
            "empty: []\nalso: {}\nnull1:\nnull2: ~\nnext: x\n",
            "items:\n  - one\n  - two\n",
            "items:\n- one\n- two\nafter: x\n",
            "packs:\n  - id: standard\n    name: Pack\n    includes:\n      - a\n      - b\n  - id: plus\n    name: Plus\n",
            "packs:\n- id: a\n  name: A\n- {id: b, name: B}\n",
            "long: this is a long\n  plain scalar over\n  three lines\nnext: y\n",
            "block: |\n  line one\n  line two\n\nnext: x\n",
            "block: |-\n  line one\n    indented\nnext: x\n",
            "block: >\n  folded one\n  folded two\n\n  new paragraph\nnext: x\n",
            "block: >-\n  folded\n  text\nnext: x\n",
            "keep: |+\n  kept\n\n\nnext: x\n",
            "é: accents à gauche\nclé: \"valeur\"\n",
            "  indented: top\n  level: map\n",
            "a:\n  b:\n    c: deep\n  d: e\n",
            "weird: -5\nq: ?x\nc: :y\n",
            "trailing: value   \n",
            "- top\n- level\n- list\n",
            "a: [x, [y, z], {k: v}]\n",
            "a: \"\"\nb: ''\n",
            "date: 2026-11-03T09:12:00+01:00\n",
            "key with spaces: value with spaces\n",
            "\"quoted key\": v\n",
            "a: b\n\n\n\nc: d\n",
            "# only a comment\n",
            "",
        ]
        for text in cases { assertSame(text) }
        // The common front-matter shapes must not fall back.
        for text in cases.prefix(20) { assertSame(text, mustBeFast: true) }
    }

    func testInvalidOrExoticYAMLIsLeftToYams() {
        for text in [
            "a: b\na: c\n",               // duplicate key
            "a: &x 1\nb: *x\n",            // anchors and aliases
            "a: !!str 1\n",                // tags
            "? complex\n: key\n",          // complex key
            "a: b: c\n",                   // invalid
            "a:\n\tb: c\n",                // tab indentation
            "---\na: b\n",                 // document marker
            "a: [1, 2\n",                  // unclosed flow
            "a: \"multi\n  line\"\n",       // multi-line quoted
            "a: b\n  c: d\n",              // bad indentation
            "a: |2\n  x\n",                // indentation indicator
            "a: {k: 1, k: 2}\n",           // duplicate key in a flow mapping
            // duplicate keys among many (past the short list of keys seen)
            (0..<40).map { "k\($0): x\n" }.joined() + "k3: y\n",
            "a: {" + (0..<40).map { "k\($0): x" }.joined(separator: ", ") + ", k39: y}\n",
        ] {
            if case .node = FastYAML.parse(text) { XCTFail("should fall back: \(text)") }
        }
    }

    func testManyDistinctKeysStayFast() {
        let text = (0..<40).map { "k\($0): x\n" }.joined()
        guard case .node(let node) = FastYAML.parse(text), case .mapping(let m) = node else { return XCTFail("should be parsed") }
        XCTAssertEqual(m.pairs.count, 40)
    }

    func testRandomMutationsNeverDisagree() {
        var rng = SplitMix(state: UInt64(ProcessInfo.processInfo.environment["FUZZ_SEED"] ?? "99") ?? 99)
        let base = Array("title: Messagerie\nsummary: \"Boîtes, agendas\"\npacks:\n  - {id: a, name: 'A'}\n  - id: b\n    includes: [x, y]\ntags: [c, d]\nblock: |\n  text\n".utf8)
        let alphabet = Array(" :-#\"'[]{},|>\n\tabé".utf8)
        for _ in 0..<3000 {
            var bytes = base
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes.remove(at: at)
                case 1: bytes.insert(alphabet.randomElement(using: &rng)!, at: at)
                default: bytes[at] = alphabet.randomElement(using: &rng)!
                }
            }
            guard let text = String(validating: bytes, as: UTF8.self) else { continue }
            assertSame(text)
        }
    }
}

