import Foundation
import XCTest
import YourICTTestSupport
@testable import YourICTFormats
@testable import yourict_fuzz

/// The YAML test suite (Tests/Conformance/yaml-test-suite, MIT, copied from its data
/// release: `in.yaml`, and `in.json` or `error`, for each case) through the layer that
/// reads front matter and site.yaml: `SourceText.decode` then `YAMLDocument.parse`.
final class YAMLConformanceTests: XCTestCase {
    struct Case {
        var id: String
        var yaml: [UInt8]
        var json: [UInt8]?
        var isError: Bool
    }

    static let folder = SiteFixture.repositoryRoot.appendingPathComponent("Tests/Conformance/yaml-test-suite")

    static func cases() throws -> [Case] {
        let fm = FileManager.default
        var out: [Case] = []
        for id in try fm.contentsOfDirectory(atPath: folder.path).sorted() {
            let dir = folder.appendingPathComponent(id)
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else { continue }
            let subs = fm.fileExists(atPath: dir.appendingPathComponent("in.yaml").path)
                ? [""] : try fm.contentsOfDirectory(atPath: dir.path).sorted()
            for sub in subs {
                let caseDir = sub.isEmpty ? dir : dir.appendingPathComponent(sub)
                guard let yaml = fm.contents(atPath: caseDir.appendingPathComponent("in.yaml").path) else { continue }
                out.append(Case(id: sub.isEmpty ? id : "\(id)/\(sub)", yaml: Array(yaml),
                                json: fm.contents(atPath: caseDir.appendingPathComponent("in.json").path).map(Array.init),
                                isError: fm.fileExists(atPath: caseDir.appendingPathComponent("error").path)))
            }
        }
        return out
    }

    /// The layer as a build runs it on site.yaml.
    static func layer(_ bytes: [UInt8]) -> YAMLNode?? {
        guard case .success(let source) = SourceText.decode(bytes, path: "in.yaml"),
              case .success(let node) = YAMLDocument.parse(source.text, path: "in.yaml", firstLine: 1) else { return nil }
        return .some(node)
    }

    /// What the suite gives, computed once for the tests below.
    struct Summary {
        var cases = 0, refusedErrors = 0, acceptedEqual = 0, refusedValid = 0, noJSON = 0, fastAccepted = 0
        var acceptedErrors: [String] = []
        var wrongValues: [String] = []
        var fastDisagreements: [String] = []
    }

    static let summary: Summary = {
        var s = Summary()
        let cases = try! YAMLConformanceTests.cases()
        s.cases = cases.count
        for c in cases {
            // The fast path on the bytes as they are, and as a build gives them (BOM and CRLF removed).
            var texts = [String(decoding: c.yaml, as: UTF8.self)]
            if case .success(let source) = SourceText.decode(c.yaml, path: "in.yaml") { texts.append(source.text) }
            var fast = false
            for text in texts {
                switch YAMLDifferential.check(text) {
                case .deferred: break
                case .agreed: fast = true
                case .disagreed(let difference):
                    fast = true
                    s.fastDisagreements.append("\(c.id): \(difference)")
                }
            }
            if fast { s.fastAccepted += 1 }
            let result = YAMLConformanceTests.layer(c.yaml)
            if c.isError {
                if let accepted = result { s.acceptedErrors.append("\(c.id): \(YAMLDifferential.describe(accepted))") } else { s.refusedErrors += 1 }
                continue
            }
            guard let json = c.json else { s.noJSON += 1; continue }
            guard let accepted = result else { s.refusedValid += 1; continue }
            let values = YAMLTestSupport.jsonStream(json)
            let ok: Bool
            switch (accepted, values?.count) {
            case (nil, 0): ok = true
            case (let node?, 1): ok = YAMLTestSupport.matches(node, values![0])
            default: ok = false
            }
            if ok { s.acceptedEqual += 1 } else { s.wrongValues.append("\(c.id): reads \(YAMLDifferential.describe(accepted)), in.json \(String(describing: values))") }
        }
        print("YAML test suite: \(s)")
        return s
    }()

    func testEveryErrorCaseIsRefused() {
        XCTAssertEqual(Self.summary.acceptedErrors, [])
    }

    func testEveryAcceptedCaseReadsToItsJSONValue() {
        XCTAssertEqual(Self.summary.wrongValues, [])
    }

    func testFastPathAcceptsOnlyWhatYamsReadsTheSame() {
        XCTAssertEqual(Self.summary.fastDisagreements, [])
    }

    func testCountsAreThoseOfTheDocs() {
        let s = Self.summary
        // docs/content.md gives these.
        XCTAssertEqual([s.cases, s.refusedErrors, s.acceptedEqual, s.refusedValid, s.noJSON, s.fastAccepted], [402, 94, 220, 59, 29, 25])
    }
}
