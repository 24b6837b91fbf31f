import Foundation
import XCTest
import YourICTTestSupport
@testable import YourICTTemplates

/// The official Mustache spec (Tests/Conformance/mustache-spec, MIT), every case of the
/// modules the engine implements, run through `TemplateParser` and `CompiledTemplates`.
/// The counts are in docs/theme.md.
final class MustacheSpecTests: XCTestCase {
    static let folder = SiteFixture.repositoryRoot.appendingPathComponent("Tests/Conformance/mustache-spec/specs")

    /// A spec file's JSON value, as templates see data: objects are string-keyed
    /// dictionaries, `null` is no value.
    private enum JSON: Decodable {
        case value(Any?)

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .value(nil) }
            else if let b = try? c.decode(Bool.self) { self = .value(b) }
            else if let i = try? c.decode(Int.self) { self = .value(i) }
            else if let d = try? c.decode(Double.self) { self = .value(d) }
            else if let s = try? c.decode(String.self) { self = .value(s) }
            else if let a = try? c.decode([JSON].self) { self = .value(a.map { $0.any as Any }) }
            else {
                let o = try c.decode([String: JSON].self)
                var d: [String: Any] = [:]
                for (k, v) in o { if let v = v.any { d[k] = v } }
                self = .value(d)
            }
        }

        var any: Any? { if case .value(let v) = self { return v }; return nil }
    }

    private struct Spec: Decodable {
        struct Test: Decodable {
            var name: String
            var data: JSON
            var template: String
            var partials: [String: String]?
            var expected: String
        }
        var tests: [Test]
    }

    /// The spec's lambdas, in Swift, by test name: all ten of `~lambdas`.
    private static func lambda(for test: String) -> TemplateLambda? {
        switch test {
        case "Interpolation": return TemplateLambda { "world" }
        case "Interpolation - Expansion": return TemplateLambda { "{{planet}}" }
        case "Interpolation - Alternate Delimiters": return TemplateLambda { "|planet| => {{planet}}" }
        case "Interpolation - Multiple Calls":
            final class Counter { var calls = 0 }
            let counter = Counter()
            return TemplateLambda { counter.calls += 1; return String(counter.calls) }
        case "Escaping": return TemplateLambda { ">" }
        case "Section": return TemplateLambda { (text: String) in text == "{{x}}" ? "yes" : "no" }
        case "Section - Expansion": return TemplateLambda { (text: String) in text + "{{planet}}" + text }
        case "Section - Alternate Delimiters": return TemplateLambda { (text: String) in text + "{{planet}} => |planet|" + text }
        case "Section - Multiple Calls": return TemplateLambda { (text: String) in "__" + text + "__" }
        case "Inverted Section": return TemplateLambda { (_: String) in nil }
        default: return nil
        }
    }

    /// Runs one spec file; its failures, and the number of cases that passed.
    private func run(_ file: String) throws -> (passed: Int, total: Int) {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent(file + ".json"))
        let spec = try JSONDecoder().decode(Spec.self, from: data)
        var passed = 0
        for test in spec.tests {
            var sources = test.partials ?? [:]
            sources["__spec__"] = test.template
            var root = test.data.any ?? [String: Any]()
            if var object = root as? [String: Any], object["lambda"] != nil {
                object["lambda"] = Self.lambda(for: test.name)
                root = object
            }
            switch CompiledTemplates.compile(sources) {
            case .failure(let errors):
                XCTFail("\(file) · \(test.name): \(errors)")
            case .success(let compiled):
                let output = compiled.render(root, template: "__spec__")
                if output == test.expected {
                    passed += 1
                } else {
                    XCTFail("\(file) · \(test.name): expected \(String(reflecting: test.expected)), got \(String(reflecting: output))")
                }
            }
        }
        print("mustache spec \(file): \(passed)/\(spec.tests.count) passed")
        return (passed, spec.tests.count)
    }

    func testComments() throws { XCTAssertEqual(try run("comments").passed, 12) }
    func testDelimiters() throws { XCTAssertEqual(try run("delimiters").passed, 14) }
    func testInterpolation() throws { XCTAssertEqual(try run("interpolation").passed, 42) }
    func testInverted() throws { XCTAssertEqual(try run("inverted").passed, 22) }
    func testPartials() throws { XCTAssertEqual(try run("partials").passed, 12) }
    func testSections() throws { XCTAssertEqual(try run("sections").passed, 34) }
    func testInheritance() throws { XCTAssertEqual(try run("~inheritance").passed, 27) }
    func testDynamicNames() throws { XCTAssertEqual(try run("~dynamic-names").passed, 21) }
    func testLambdas() throws { XCTAssertEqual(try run("~lambdas").passed, 10) }
}
