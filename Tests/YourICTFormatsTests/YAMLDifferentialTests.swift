import Foundation
import XCTest
import YourICTTestSupport
@testable import YourICTFormats
@testable import yourict_fuzz

/// The YAML fast path against Yams on seeded documents (`YAMLFuzzCases`): whenever the
/// fast path accepts one, Yams accepts it too and reads the same tree. `FUZZ_SEED` picks
/// another seed; `yourict-fuzz --yaml-differential` runs millions (docs/fuzzing.md).
final class YAMLDifferentialTests: XCTestCase {
    func testFastPathAgreesWithYamsOnSeededDocuments() {
        let seed = UInt64(ProcessInfo.processInfo.environment["FUZZ_SEED"] ?? "1") ?? 1
        var generator = YAMLFuzzCases(seed: seed)
        let cases = 100_000
        var accepted = 0
        var disagreements: [String] = []
        for n in 0..<cases {
            let text = generator.document()
            switch YAMLDifferential.check(text) {
            case .agreed: accepted += 1
            case .deferred: break
            case .disagreed(let difference):
                if disagreements.count < 20 { disagreements.append("case \(n) (seed \(seed)): \(text.debugDescription)\n  \(difference)") }
            }
        }
        print("YAML differential: \(cases) cases (seed \(seed)), the fast path accepted \(accepted), deferred \(cases - accepted - disagreements.count)")
        XCTAssertEqual(disagreements, [])
        // Both sides of the subset's border are exercised.
        XCTAssertGreaterThan(accepted, cases / 5)
        XCTAssertLessThan(accepted, cases * 4 / 5)
    }

    func testSameGeneratorSeedGivesSameDocuments() {
        var a = YAMLFuzzCases(seed: 7), b = YAMLFuzzCases(seed: 7), c = YAMLFuzzCases(seed: 8)
        let first = (0..<50).map { _ in a.document() }
        XCTAssertEqual(first, (0..<50).map { _ in b.document() })
        XCTAssertNotEqual(first, (0..<50).map { _ in c.document() })
    }

    func testTheCheckReportsADisagreement() {
        // A fast-path tree compared with a different one: the comparison can fail.
        guard case .node(let node) = FastYAML.parse("a: b\n"), case .success(let other) = YAMLDifferential.yams("a: c\n") else {
            return XCTFail("both should read")
        }
        XCTAssertFalse(YAMLDifferential.same(node, other))
        XCTAssertTrue(YAMLDifferential.same(node, node))
    }
}
