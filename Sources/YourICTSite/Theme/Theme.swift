import Foundation
import YourICTSupport
import YourICTFormats
import YourICTTemplates
import YourICTContent

/// The templates, interface strings and assets of `templates/`, loaded once per build.
public struct Theme: Sendable {
    public struct Asset: Sendable {
        /// Path under `templates/assets/`, e.g. `style.css`.
        public var name: String
        /// Fingerprinted output path, e.g. `assets/style.3f9a1c2b.css`.
        public var outputPath: String
        public var bytes: [UInt8]
    }

    /// The templates, parsed and compiled (docs/theme.md, "How templates are rendered").
    var compiled: CompiledTemplates
    public var templateNames: Set<String>
    public var assets: [Asset]
    public var i18n: I18n
    /// Fixed `id`s the templates write (`main`, `toc-title`…): a heading of the content
    /// must not take one of them.
    public var reservedIDs: Set<String>
    /// A hash of every template, string and asset: part of the build-cache key.
    public var fingerprint: String

    static let folder = "templates"
    /// Templates every site needs; each page kind renders with one of them.
    public static let requiredTemplates = ["base", "dashboard", "catalogue", "service", "sla", "sla-index", "sla-overview", "incidents", "incident", "page", "404", "languages"]

    /// Renders `context` with the template `name`.
    func render(_ context: Any, template name: String, memo: FragmentMemo? = nil) -> String? {
        compiled.render(context, template: name, memo: memo)
    }

    /// The same, as the UTF-8 bytes of a file, or why the render stopped; nil when there
    /// is no such template.
    func renderResult(_ context: Any, template name: String, memo: FragmentMemo? = nil) -> Result<[UInt8], CompiledTemplates.RenderFailure>? {
        compiled.renderResult(context, template: name, memo: memo)
    }

    /// URL of an asset by its name (`style.css`), for templates.
    public func assetURLs(_ urls: URLBuilder) -> [String: String] {
        var out: [String: String] = [:]
        for asset in assets {
            out[Self.assetKey(asset.name)] = urls.url(path: asset.outputPath)
        }
        return out
    }

    /// How templates name an asset: `assets/style.css` is `{{assets.style_css}}`.
    static func assetKey(_ name: String) -> String {
        name.replacingOccurrences(of: ".", with: "_").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "-", with: "_")
    }

    package static func load(tree: SourceTree, siteLanguages: [String], diagnostics: DiagnosticBag) -> Theme? {
        var parsed: [String: [TemplateNode]] = [:]
        var names = Set<String>()
        var texts: [(name: String, path: String, text: String)] = []
        var references: [String: [PartialReference]] = [:]
        var hasher = SHA256()
        let listed = tree.allFiles(under: folder)
        if listed.isEmpty {
            diagnostics.error("the templates folder is missing or empty", at: SourceLocation(path: folder),
                              hint: "copy the default theme's templates/ next to content/, or start a site with `yourict init DIR`")
            return nil
        }
        // A link out of the source folder is reported here, once, and never followed.
        var refused = Set<String>()
        for path in listed {
            do {
                _ = try tree.diskPath(path)
            } catch {
                diagnostics.error("\(error)", at: SourceLocation(path: path), hint: "copy the theme's files into the source folder instead of linking to them")
                refused.insert(path)
            }
        }
        let files = listed.filter { !refused.contains($0) }
        var unparsed = Set<String>()
        for path in files where path.hasSuffix(".mustache") {
            let name = String(path.dropFirst(folder.count + 1).dropLast(".mustache".count))
            let bytes: [UInt8]
            do {
                bytes = try tree.read(path)
            } catch {
                diagnostics.error("\(error)", at: SourceLocation(path: path))
                continue
            }
            let source: SourceText
            switch SourceText.decode(bytes, path: path) {
            case .success(let s): source = s
            case .failure(let d): diagnostics.add(d); continue
            }
            hasher.update(path)
            hasher.update(bytes)
            switch TemplateParser.parse(source.text) {
            case .success(let nodes):
                parsed[name] = nodes
                names.insert(name)
                texts.append((name, path, source.text))
                references[name] = partialReferences(in: nodes)
            case .failure(let error):
                unparsed.insert(name)
                diagnostics.error("template syntax: \(error.message)", at: SourceLocation(path: path, line: error.line, column: error.column), hint: error.hint)
            }
        }
        // A template with a syntax error has its error; "the theme has no …" would contradict it.
        for required in requiredTemplates where !names.contains(required) && !unparsed.contains(required) {
            diagnostics.error("the theme has no `\(required)` template", at: SourceLocation(path: "\(folder)/\(required).mustache"),
                              hint: "every page kind needs its template; copy it from the default theme")
        }
        // An empty page template (a file truncated, or saved blank) would publish pages of
        // nothing: every page of its kind, or every page for `base`.
        for (name, path, text) in texts where requiredTemplates.contains(name) && text.allSatisfy(\.isWhitespace) {
            diagnostics.error("the `\(name)` template is empty: its pages would be blank", at: SourceLocation(path: path),
                              hint: "restore it: the default theme's is templates/\(name).mustache in yourict's repository")
        }
        // A missing partial renders as nothing; a theme with a typo would silently lose
        // part of every page, so references are checked here. (A dynamic name,
        // `{{>*name}}`, is known only when a page renders.) A partial with a syntax error
        // has its own error; "does not exist" at each of its includes would contradict it.
        var paths: [String: String] = [:]
        for (name, path, _) in texts {
            paths[name] = path
            for reference in references[name] ?? []
            where !reference.dynamic && !names.contains(reference.name) && !unparsed.contains(reference.name) {
                diagnostics.error("the template includes `\(reference.name)`, which does not exist",
                                  at: SourceLocation(path: path, line: reference.line, column: reference.column),
                                  hint: Spelling.closest(to: reference.name, in: Array(names)).map { "did you mean `\($0)`?" }
                                      ?? "templates are named by their path under templates/ without .mustache, e.g. partials/header")
            }
        }
        // A template that includes itself, directly or through others, would render until
        // the stack overflows: every such cycle is an error, reported once.
        var graph: [String: [(name: String, line: Int, column: Int)]] = [:]
        for (name, refs) in references {
            graph[name] = refs.filter { !$0.dynamic && names.contains($0.name) }.map { ($0.name, $0.line, $0.column) }
        }
        var reported = Set<[String]>()
        for start in graph.keys.sorted() {
            guard let cycle = inclusionCycle(from: start, graph), reported.insert(Set(cycle).sorted()).inserted,
                  let first = graph[start]?.first(where: { $0.name == cycle[1] }) else { continue }
            diagnostics.error("the template includes itself (\(cycle.map { "`\($0)`" }.joined(separator: " → "))): it would never finish rendering",
                              at: SourceLocation(path: paths[start]!, line: first.line, column: first.column),
                              hint: "a partial may not include itself, directly or through other partials")
        }

        var assets: [Asset] = []
        for path in files where path.hasPrefix(folder + "/assets/") {
            let bytes: [UInt8]
            do {
                bytes = try tree.read(path)
            } catch {
                diagnostics.error("\(error)", at: SourceLocation(path: path))
                continue
            }
            hasher.update(path)
            hasher.update(bytes)
            let name = String(path.dropFirst(folder.count + "/assets/".count))
            let hash = String(SHA256.hex(bytes).prefix(10))
            let dot = name.lastIndex(of: ".")
            let fingerprinted = dot.map { "\(name[..<$0]).\(hash)\(name[$0...])" } ?? "\(name).\(hash)"
            assets.append(Asset(name: name, outputPath: "assets/" + fingerprinted, bytes: bytes))
        }
        for path in files where path.hasPrefix(folder + "/i18n/") {
            if let bytes = try? tree.read(path) { hasher.update(path); hasher.update(bytes) }
        }
        let i18n = I18n.load(tree: tree, folder: folder, siteLanguages: siteLanguages, diagnostics: diagnostics)
        // A `{{t.key}}` whose key no i18n file has prints nothing: a typo would silently
        // blank a heading on every page.
        // (With no strings for the first language, its one error says it all.)
        let known = Set(i18n.languages.values.flatMap(\.strings.keys))
        for (_, path, text) in texts where siteLanguages.first.map({ i18n.languages[$0] != nil }) ?? true {
            for use in stringKeyUses(in: text) where !known.contains(use.key) {
                diagnostics.warning("`t.\(use.key)` is in no file of i18n/: it prints nothing",
                                    at: SourceLocation(path: path, line: use.line, column: use.column),
                                    hint: Spelling.closest(to: use.key, in: Array(known)).map { "did you mean `t.\($0)`?" }
                                        ?? "add `\(use.key):` under `strings:` in i18n/<language>.yaml")
            }
        }
        // `{{assets.style_cs}}` prints nothing: every page would lose its stylesheet or
        // script without a word. (A section, `{{#assets.logo_svg}}`, may test for one.)
        let assetKeys = assets.map { assetKey($0.name) }
        for (name, path, _) in texts {
            for use in assetUses(in: parsed[name] ?? []) where !assetKeys.contains(use.key) {
                diagnostics.error("`assets.\(use.key)` names no file of templates/assets/: it prints nothing",
                                  at: SourceLocation(path: path, line: use.line, column: use.column),
                                  hint: Spelling.closest(to: use.key, in: assetKeys).map { "did you mean `assets.\($0)`?" }
                                      ?? "an asset `assets/a-b/c.css` is written `{{assets.a_b_c_css}}`")
            }
        }
        let fingerprint = hasher.finalize().map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        var ids = Set<String>()
        for (_, _, text) in texts { ids.formUnion(staticIDs(in: text)) }
        let compiled = CompiledTemplates(templates: parsed)
        return Theme(compiled: compiled, templateNames: names, assets: assets, i18n: i18n, reservedIDs: ids, fingerprint: fingerprint)
    }

    /// Values of `id="…"` attributes that hold no Mustache tag.
    static func staticIDs(in text: String) -> Set<String> {
        var out = Set<String>()
        var rest = text[...]
        while let r = rest.range(of: "id=\"") {
            rest = rest[r.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            let value = rest[..<end]
            if !value.contains("{{") && !value.isEmpty { out.insert(String(value)) }
        }
        return out
    }

    /// A chain of partial references from `start` back to itself (`[start, …, start]`), if any.
    static func inclusionCycle(from start: String, _ references: [String: [(name: String, line: Int, column: Int)]]) -> [String]? {
        var visited: Set<String> = [start]
        func visit(_ name: String, _ chain: [String]) -> [String]? {
            for reference in references[name] ?? [] {
                if reference.name == start { return chain + [start] }
                if visited.insert(reference.name).inserted, let found = visit(reference.name, chain + [reference.name]) { return found }
            }
            return nil
        }
        return visit(start, [start])
    }

    /// The keys of `{{t.key}}`, `{{#t.key}}`, `{{^t.key}}`, `{{/t.key}}`, `{{&t.key}}` and
    /// `{{{t.key}}}` tags (default delimiters), with the line and column of the key.
    static func stringKeyUses(in text: String) -> [(key: String, line: Int, column: Int)] {
        var out: [(key: String, line: Int, column: Int)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let bytes = Array(line.utf8)
            var i = 0
            while i + 1 < bytes.count {
                guard bytes[i] == UInt8(ascii: "{"), bytes[i + 1] == UInt8(ascii: "{") else { i += 1; continue }
                var j = i + 2
                while j < bytes.count, bytes[j] == UInt8(ascii: "{") || bytes[j] == UInt8(ascii: "#") || bytes[j] == UInt8(ascii: "^")
                        || bytes[j] == UInt8(ascii: "&") || bytes[j] == UInt8(ascii: "/") || bytes[j] == UInt8(ascii: " ") { j += 1 }
                if j + 2 < bytes.count, bytes[j] == UInt8(ascii: "t"), bytes[j + 1] == UInt8(ascii: ".") {
                    var k = j + 2
                    while k < bytes.count, bytes[k] == UInt8(ascii: "_") || bytes[k] == UInt8(ascii: "-")
                            || (bytes[k] | 0x20 >= UInt8(ascii: "a") && bytes[k] | 0x20 <= UInt8(ascii: "z"))
                            || (bytes[k] >= UInt8(ascii: "0") && bytes[k] <= UInt8(ascii: "9")) { k += 1 }
                    if k > j + 2 {
                        // Columns count characters, as every diagnostic does.
                        let column = String(decoding: bytes[..<(j + 2)], as: UTF8.self).count + 1
                        out.append((String(decoding: bytes[(j + 2)..<k], as: UTF8.self), index + 1, column))
                    }
                }
                i = j
            }
        }
        return out
    }

    /// The `{{assets.key}}` variables of a parsed template, with their positions.
    static func assetUses(in nodes: [TemplateNode]) -> [(key: String, line: Int, column: Int)] {
        var out: [(key: String, line: Int, column: Int)] = []
        // `tested`: the assets of the sections around, inside which their variables may be used.
        walk(nodes, Set<String>()) { node, tested in
            switch node {
            case .variable(let tag, _):
                if tag.name.hasPrefix("assets."), tag.transforms.isEmpty, !tested.contains(tag.name) {
                    out.append((String(tag.name.dropFirst("assets.".count)), tag.line, tag.column))
                }
            case .section(let tag, let inverted, _, _) where !inverted && tag.name.hasPrefix("assets."):
                return tested.union([tag.name])
            default: break
            }
            return tested
        }
        return out
    }

    /// Every node of a parsed template, depth first in order (a partial's overrides by
    /// name): `visit` gets each node with the state of the sections around it, and gives
    /// the state for the nodes inside it.
    static func walk<State>(_ nodes: [TemplateNode], _ state: State, _ visit: (TemplateNode, State) -> State) {
        for node in nodes {
            let inner = visit(node, state)
            switch node {
            case .partial(_, _, let overrides):
                for (_, body) in (overrides ?? [:]).sorted(by: { $0.key < $1.key }) { walk(body, inner, visit) }
            case .section(_, _, let body, _), .block(_, let body, _, _, _), .blockDefinition(_, let body): walk(body, inner, visit)
            case .text, .variable, .contentType: break
            }
        }
    }

    /// The `{{> name}}` and `{{< name}}` tags of a parsed template, with their positions.
    static func partialReferences(in nodes: [TemplateNode]) -> [PartialReference] {
        var out: [PartialReference] = []
        walk(nodes, ()) { node, _ in
            if case .partial(let reference, _, _) = node { out.append(reference) }
        }
        return out.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }
}
