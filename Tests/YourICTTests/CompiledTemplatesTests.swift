import Foundation
import XCTest
@testable import YourICTSupport
@testable import YourICTFormats
@testable import YourICTTemplates
@testable import YourICTContent
@testable import YourICTMarkdown
@testable import YourICTMonitoring
@testable import YourICTSite
@testable import YourICTPull
@testable import YourICTPreview

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
        // The same values as the views make them: contexts, lists of contexts, and a
        // large context (indexed) on the way to a name.
        var big = ViewContext()
        for i in 0..<100 { big["k\(i)"] = "v\(i)" }
        big["c"] = "deep"
        let views: ViewContext = [
            "items": [["name": "a<b"], ["name": "c&d"], ["name": "'e'"]] as [ViewContext],
            "flag": false, "a": ["b": big] as ViewContext, "raw": "<i>x</i>", "list": [String](),
            "obj": ["x": "1"] as ViewContext, "y": "from-outer", "x": "X", "name": "N\"",
        ]
        let expected = try XCTUnwrap(library.library.render(views, withTemplate: "t"))
        XCTAssertEqual(compiled.render(views, template: "t"), expected)
        XCTAssertTrue(expected.contains("<li>c&amp;d, 1</li>") && expected.contains("deep") && expected.contains("1from-outer"), expected)
    }

    func testViewContextKeepsEveryKey() {
        var c: ViewContext = ["a": 1, "b": "two"]
        XCTAssertEqual(c["a"] as? Int, 1)
        XCTAssertEqual(c["b"] as? String, "two")
        XCTAssertNil(c["c"])
        c["a"] = 3
        XCTAssertEqual(c["a"] as? Int, 3)
        XCTAssertEqual(c.count, 2)
        c["a"] = nil
        XCTAssertNil(c["a"])
        XCTAssertEqual(c.keys, ["b"])
        // Past `indexedFrom` keys the lookups go through the index; removals rebuild it.
        for i in 0..<1_000 { c["key \(i)"] = i }
        for i in stride(from: 0, to: 1_000, by: 3) { c["key \(i)"] = nil }
        for i in 0..<1_000 { XCTAssertEqual(c["key \(i)"] as? Int, i % 3 == 0 ? nil : i) }
        XCTAssertEqual(c["b"] as? String, "two")
        let copy = c
        c["b"] = "changed"
        XCTAssertEqual(copy["b"] as? String, "two", "a copy is a value")
        XCTAssertEqual(ViewContext(["x": "1", "y": "2"]).child(named: "y") as? String, "2")
        XCTAssertTrue(ViewContext.valueIsFirst, "the renderer reads values through pointers to their entries")
        XCTAssertEqual(String(describing: ["a": "x", "b": 1, "c": ["d": true] as ViewContext] as ViewContext), #"["a": "x", "b": 1, "c": ["d": true]]"#)
        XCTAssertEqual(ViewContext().description, "[:]")
        struct Large { var a = 1, b = 2, c = 3, d = 4, e = 5 }
        let values: [Any] = ["text", String(repeating: "long text ", count: 10), 42, true, c, [c], ["a"], Large(), 1.5, [String: Any]()]
        values.withUnsafeBufferPointer { values in
            for i in values.indices {
                XCTAssertTrue(CompiledTemplates.type(at: values.baseAddress! + i) == Swift.type(of: values[i]), "\(Swift.type(of: values[i]))")
            }
        }
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
        // Entries made by the views (contexts): the same rules.
        let memo2 = FragmentMemo(sharedNames: ["t"])
        let va: ViewContext = ["name": "A", FragmentMemo.keyName: "a"]
        let vb: ViewContext = ["name": "B", FragmentMemo.keyName: "b"]
        func viewPage(_ extra: ViewContext) -> ViewContext {
            var c: ViewContext = ["items": [va, vb], "t": ViewContext(["label": "L"])]
            for key in extra.keys { c[key] = extra[key] }
            return c
        }
        XCTAssertEqual(compiled.render(viewPage([:]), template: "list", memo: memo2), "[A L][B L]")
        XCTAssertEqual(compiled.render(viewPage([:]), template: "list", memo: memo2), "[A L][B L]")
        XCTAssertEqual(compiled.render(viewPage(["note": "n"]), template: "list", memo: memo2), "[A L n][B L n]")
        XCTAssertEqual(compiled.render(viewPage(["page": "1"]), template: "page", memo: memo2), "[A 1][B 1]")
        XCTAssertEqual(compiled.render(viewPage(["page": "2"]), template: "page", memo: memo2), "[A 2][B 2]")
        XCTAssertEqual(compiled.render(["items": [vb, va]] as ViewContext, template: "pos", memo: memo2), "[B*][A]")
    }

    /// Pages inherit a layout (`{{<base}}`): entries are kept there too, except an entry
    /// that shows a block, which each inheriting template may fill differently.
    func testFragmentMemoWorksInsideInheritingTemplates() throws {
        var library = MustacheLibraryBuilder()
        try library.add("base", "<{{$main}}default{{/main}}>")
        try library.add("child", "{{<base}}{{$main}}{{#items}}[{{name}}]{{/items}}{{/main}}{{/base}}")
        try library.add("layout", "{{#items}}[{{name}} {{$tag}}plain{{/tag}}]{{/items}}")
        try library.add("fancy", "{{<layout}}{{$tag}}fancy{{/tag}}{{/layout}}")
        try library.add("simple", "{{<layout}}{{/layout}}")
        let compiled = try XCTUnwrap(CompiledTemplates(library: library.library, names: ["base", "child", "layout", "fancy", "simple"]))
        let memo = FragmentMemo(sharedNames: [])
        let a: ViewContext = ["name": "A", FragmentMemo.keyName: "a"]
        XCTAssertEqual(compiled.render(["items": [a]] as ViewContext, template: "child", memo: memo), "<[A]>")
        // The same key means the same entry (the views' promise): the kept bytes are used.
        let renamed: ViewContext = ["name": "Changed", FragmentMemo.keyName: "a"]
        XCTAssertEqual(compiled.render(["items": [renamed]] as ViewContext, template: "child", memo: memo), "<[A]>", "kept inside an inheriting template")
        // An entry showing a block: rendered for each page, never kept.
        XCTAssertEqual(compiled.render(["items": [a]] as ViewContext, template: "fancy", memo: memo), "[A fancy]")
        XCTAssertEqual(compiled.render(["items": [a]] as ViewContext, template: "simple", memo: memo), "[A plain]")
        XCTAssertEqual(compiled.render(["items": [a]] as ViewContext, template: "fancy", memo: memo), "[A fancy]")
    }
}

import Mustache

struct MustacheLibraryBuilder {
    var library = MustacheLibrary()
    mutating func add(_ name: String, _ text: String) throws { try library.register(text, named: name) }
}
