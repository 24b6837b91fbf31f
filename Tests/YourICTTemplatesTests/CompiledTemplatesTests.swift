import Foundation
import XCTest
import YourICTTestSupport
@testable import YourICTTemplates
@testable import yourict_fuzz

/// The compiled engine: its rules on the values views make, and the fragment memo.
/// (The spec is in MustacheSpecTests, the comparison with swift-mustache in
/// MustacheDifferentialTests.)
final class CompiledTemplatesTests: XCTestCase {
    private func compile(_ sources: [String: String]) throws -> CompiledTemplates {
        try CompiledTemplates.compile(sources).get()
    }

    /// The rules on contexts, lists of contexts, a large (indexed) context, tables of
    /// strings and dictionaries: the value types views hold.
    func testMustacheRulesOnViewValues() throws {
        let compiled = try compile([
            "t": """
            {{#items}}
              <li>{{name}}{{^last()}},{{/last()}} {{index()}}</li>
            {{/items}}
            {{^items}}none{{/items}}
            {{#flag}}yes{{/flag}}{{^flag}}no{{/flag}}
            {{a.b.c}} {{{raw}}} {{&raw}} {{missing}} {{#obj}}{{x}}{{y}}{{/obj}} {{assets.style_css}} {{n}} {{plusone(n)}}
            {{#empty(list)}}empty{{/empty(list)}}{{count(items)}} {{#first(items)}}{{name}}{{/first(items)}} {{#tags}}{{.}};{{/tags}}
            {{! a comment }}
              {{> p}}
            {{<base}}{{$main}}overridden {{x}}{{/main}}{{/base}}
            {{% CONTENT_TYPE: TEXT }}{{raw}}
            """,
            "p": "partial line 1\n{{name}}\npartial line 3\n",
            "base": "<main>{{$main}}default{{/main}}</main>\n",
        ])
        var big = ViewContext()
        for i in 0..<100 { big["k\(i)"] = "v\(i)" }
        big["c"] = "deep"
        let views: ViewContext = [
            "items": [["name": "a<b"], ["name": "c&d"], ["name": "'e'"]] as [ViewContext],
            "flag": false, "a": ["b": big] as ViewContext, "raw": "<i>x</i>", "list": [String](),
            "obj": ["x": "1"] as ViewContext, "y": "from-outer", "x": "X", "name": "N\"",
            "assets": ["style_css": "/s.css"], "n": 41, "tags": ["t1", "t2"],
        ]
        // Standalone lines vanish, a partial's lines take its indentation, the text after
        // `{{/base}}` keeps its line break (the closing tag shares its line).
        XCTAssertEqual(compiled.render(views, template: "t"), """
          <li>a&lt;b, 0</li>
          <li>c&amp;d, 1</li>
          <li>&#39;e&#39; 2</li>

        no
        deep <i>x</i> <i>x</i>  1from-outer /s.css 41 42
        empty3 a&lt;b t1;t2;
          partial line 1
          N&quot;
          partial line 3
        <main>overridden X</main>

        <i>x</i>
        """)
    }

    /// A template that includes itself through a dynamic name (which the theme's check of
    /// static names cannot see) nests until the depth limit: not rendered, no crash.
    func testSelfInclusionThroughADynamicNameStopsAtTheDepthLimit() throws {
        let compiled = try compile(["t": "a{{>*name}}", "u": "{{#items}}{{>*name}}{{/items}}"])
        XCTAssertNil(compiled.renderBytes(["name": "t"] as ViewContext, template: "t"))
        XCTAssertEqual(compiled.render(["name": "none"] as ViewContext, template: "t"), "a")
        XCTAssertNil(compiled.renderBytes(["name": "u", "items": [ViewContext()]] as ViewContext, template: "u"))
        // So does a lambda that returns itself.
        let lambda = TemplateLambda { "{{lambda}}" }
        XCTAssertNil(try compile(["l": "{{lambda}}"]).renderBytes(["lambda": lambda] as ViewContext, template: "l"))
    }

    /// A list shown inside itself four deep is 1.6 billion elements: the render stops at
    /// `maximumSteps` (here lowered to a million; 200 million by default, a few seconds of
    /// a release build) instead of looping for hours, with text to write or none; and at
    /// `maximumOutput` (here 100 kB; 256 MB by default) when a page grows too large.
    func testAListInsideItselfStopsAtTheSizeLimit() throws {
        XCTAssertEqual(CompiledTemplates.maximumSteps, 200_000_000)
        XCTAssertEqual(CompiledTemplates.maximumOutput, 256 << 20)
        let items = [ViewContext](repeating: ViewContext(), count: 200)
        let open = String(repeating: "{{#items}}", count: 4), close = String(repeating: "{{/items}}", count: 4)
        for (body, limits) in [("x", (output: 100_000_000, steps: 1_000_000)), ("", (output: 100_000_000, steps: 1_000_000)),
                               ("xxxxxxxxxxxxxxxxxxxxxxxx", (output: 100_000, steps: 200_000_000))] {
            var compiled = try compile(["t": open + body + close, "once": "{{#items}}x{{/items}}"])
            compiled.limits = limits
            guard case .failure(let why)? = compiled.renderResult(["items": items] as ViewContext, template: "t") else {
                return XCTFail("rendered, with body \(body)")
            }
            XCTAssertEqual(why, .tooLarge)
            XCTAssertEqual(try compiled.renderResult(["items": items] as ViewContext, template: "once")?.get().count, 200)
        }
    }

    /// The fuzzer's template stage runs its seeds (and a self-including one) to the end.
    func testFuzzTemplateStageRunsItsSeeds() throws {
        for seed in ["template-service", "template-dialect"] {
            let bytes = try [UInt8](Data(contentsOf: SiteFixture.repositoryRoot.appendingPathComponent("Fuzz/corpus/" + seed)))
            XCTAssertEqual(bytes.first, UInt8(ascii: "T"))
            FuzzEntryPoints.run(bytes)
        }
        FuzzEntryPoints.run(Array("T{{>*name}}{{#items}}{{>*name}}{{/items}}".utf8))
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
        XCTAssertEqual(String(describing: ["a": "x", "b": 1, "c": ["d": true] as ViewContext] as ViewContext), #"["a": "x", "b": 1, "c": ["d": true]]"#)
        XCTAssertEqual(ViewContext().description, "[:]")
        // An absent optional in a literal is no value.
        let none: String? = nil
        XCTAssertEqual(([ "a": none as Any, "b": "x"] as ViewContext).keys, ["b"])
    }

    /// A memoized entry is reused only where it would render the same.
    func testFragmentMemoNeverServesAStaleEntry() throws {
        let compiled = try compile([
            "list": "{{#items}}[{{name}} {{t.label}}{{#note}} {{note}}{{/note}}]{{/items}}",
            "page": "{{#items}}[{{name}} {{page}}]{{/items}}",
            "pos": "{{#items}}[{{name}}{{#first()}}*{{/first()}}]{{/items}}",
        ])
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
        let compiled = try compile([
            "base": "<{{$main}}default{{/main}}>",
            "child": "{{<base}}{{$main}}{{#items}}[{{name}}]{{/items}}{{/main}}{{/base}}",
            "layout": "{{#items}}[{{name}} {{$tag}}plain{{/tag}}]{{/items}}",
            "fancy": "{{<layout}}{{$tag}}fancy{{/tag}}{{/layout}}",
            "simple": "{{<layout}}{{/layout}}",
        ])
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

