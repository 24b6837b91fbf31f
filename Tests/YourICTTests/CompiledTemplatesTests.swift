import Foundation
import XCTest
@testable import YourICT

/// The compiled renderer must give exactly what swift-mustache gives.
final class CompiledTemplatesTests: XCTestCase {
    /// Every file of the example site, rendered both ways.
    func testExampleSiteIsByteIdenticalToSwiftMustache() throws {
        let tree = DiskSourceTree(root: SiteFixture.repositoryRoot)
        let fast = try XCTUnwrap(SiteGenerator.generate(tree: tree, settings: BuildSettings(), diagnostics: DiagnosticBag()))
        var settings = BuildSettings()
        settings.referenceRenderer = true
        let reference = try XCTUnwrap(SiteGenerator.generate(tree: tree, settings: settings, diagnostics: DiagnosticBag()))
        XCTAssertEqual(fast.files.map(\.path), reference.files.map(\.path))
        for (a, b) in zip(fast.files, reference.files) where a.bytes != b.bytes {
            XCTFail("\(a.path) differs from swift-mustache's rendering")
        }
    }

    func testMustacheRulesMatch() throws {
        let templates = [
            "t": """
            {{#items}}
              <li>{{name}}{{^last()}},{{/last()}} {{index()}}</li>
            {{/items}}
            {{^items}}none{{/items}}
            {{#flag}}yes{{/flag}}{{^flag}}no{{/flag}}
            {{a.b.c}} {{.}} {{{raw}}} {{&raw}} {{missing}} {{#obj}}{{x}}{{y}}{{/obj}}
            {{#empty(list)}}empty{{/empty(list)}}{{count(items)}} {{#first(items)}}{{name}}{{/first(items)}}
            {{! a comment }}
              {{> p}}
            {{<base}}{{$main}}overridden {{x}}{{/main}}{{/base}}
            {{% CONTENT_TYPE: TEXT }}{{raw}}
            """,
            "p": "partial line 1\n{{name}}\npartial line 3\n",
            "base": "<main>{{$main}}default{{/main}}</main>\n",
        ]
        var library = MustacheLibraryBuilder()
        for (name, text) in templates { try library.add(name, text) }
        let context: [String: Any] = [
            "items": [["name": "a<b"], ["name": "c&d"], ["name": "'e'"]] as [[String: Any]],
            "flag": false, "a": ["b": ["c": "deep"]] as [String: Any], "raw": "<i>x</i>", "list": [String](),
            "obj": ["x": "1"] as [String: Any], "y": "from-outer", "x": "X", "name": "N\"",
        ]
        let compiled = try XCTUnwrap(CompiledTemplates(library: library.library, names: Set(templates.keys)))
        XCTAssertEqual(compiled.render(context, template: "t"), library.library.render(context, withTemplate: "t"))
    }

    /// A memoized entry is reused only where it would render the same.
    func testFragmentMemoNeverServesAStaleEntry() throws {
        var library = MustacheLibraryBuilder()
        try library.add("list", "{{#items}}[{{name}} {{t.label}}{{#note}} {{note}}{{/note}}]{{/items}}")
        try library.add("page", "{{#items}}[{{name}} {{page}}]{{/items}}")
        try library.add("pos", "{{#items}}[{{name}}{{#first()}}*{{/first()}}]{{/items}}")
        let compiled = try XCTUnwrap(CompiledTemplates(library: library.library, names: ["list", "page", "pos"]))
        let memo = FragmentMemo(sharedNames: ["t"])
        let a: [String: Any] = ["name": "A", FragmentMemo.keyName: "a"]
        let b: [String: Any] = ["name": "B", FragmentMemo.keyName: "b"]
        func page(_ extra: [String: Any]) -> [String: Any] {
            ["items": [a, b] as [[String: Any]], "t": ["label": "L"]].merging(extra) { _, new in new }
        }
        // Shared names only: rendered once, reused.
        XCTAssertEqual(compiled.render(page([:]), template: "list", memo: memo), "[A L][B L]")
        XCTAssertEqual(compiled.render(page([:]), template: "list", memo: memo), "[A L][B L]")
        // `note` was looked up in vain; a page that has one must not get the kept entry.
        XCTAssertEqual(compiled.render(page(["note": "n"]), template: "list", memo: memo), "[A L n][B L n]")
        // A page-specific name read from outside the entry: never kept.
        XCTAssertEqual(compiled.render(page(["page": "1"]), template: "page", memo: memo), "[A 1][B 1]")
        XCTAssertEqual(compiled.render(page(["page": "2"]), template: "page", memo: memo), "[A 2][B 2]")
        // A list position: never kept.
        XCTAssertEqual(compiled.render(["items": [a, b] as [[String: Any]]], template: "pos", memo: memo), "[A*][B]")
        XCTAssertEqual(compiled.render(["items": [b, a] as [[String: Any]]], template: "pos", memo: memo), "[B*][A]")
    }
}

import Mustache

struct MustacheLibraryBuilder {
    var library = MustacheLibrary()
    mutating func add(_ name: String, _ text: String) throws { try library.register(text, named: name) }
}
