import Foundation
import Mustache
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

    public var library: MustacheLibrary
    /// The same templates compiled for speed; nil when one needs swift-mustache itself.
    var compiled: CompiledTemplates?
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

    /// Renders `context` with the template `name`: compiled when possible, else with swift-mustache.
    func render(_ context: Any, template name: String, memo: FragmentMemo? = nil) -> String? {
        if let compiled { return compiled.render(context, template: name, memo: memo) }
        return library.render(context, withTemplate: name)
    }

    /// The same, as the UTF-8 bytes of a file.
    func renderBytes(_ context: Any, template name: String, memo: FragmentMemo? = nil) -> [UInt8]? {
        if let compiled { return compiled.renderBytes(context, template: name, memo: memo) }
        return library.render(context, withTemplate: name).map { Array($0.utf8) }
    }

    /// URL of an asset by its name (`style.css`), for templates.
    public func assetURLs(_ urls: URLBuilder) -> [String: String] {
        var out: [String: String] = [:]
        for asset in assets {
            out[asset.name.replacingOccurrences(of: ".", with: "_").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "-", with: "_")] = urls.url(path: asset.outputPath)
        }
        return out
    }

    package static func load(tree: SourceTree, siteLanguages: [String], diagnostics: DiagnosticBag) -> Theme? {
        var library = MustacheLibrary()
        var names = Set<String>()
        var texts: [(name: String, path: String, text: String)] = []
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
            do {
                let template = try MustacheTemplate(string: source.text)
                library.register(template, named: name)
                names.insert(name)
                texts.append((name, path, source.text))
            } catch let error as MustacheTemplate.ParserError {
                diagnostics.error("template syntax: \(describe(error.error))",
                                  at: SourceLocation(path: path, line: error.context.lineNumber, column: error.context.columnNumber))
            } catch {
                diagnostics.error("template syntax: \(error)", at: SourceLocation(path: path))
            }
        }
        for required in requiredTemplates where !names.contains(required) {
            diagnostics.error("the theme has no `\(required)` template", at: SourceLocation(path: "\(folder)/\(required).mustache"),
                              hint: "every page kind needs its template; copy it from the default theme")
        }
        // swift-mustache renders a missing partial as nothing; a theme with a typo would
        // silently lose part of every page, so references are checked here.
        for (_, path, text) in texts {
            for reference in partialReferences(in: text) where !names.contains(reference.name) {
                diagnostics.error("the template includes `\(reference.name)`, which does not exist",
                                  at: SourceLocation(path: path, line: reference.line, column: reference.column),
                                  hint: Spelling.closest(to: reference.name, in: Array(names)).map { "did you mean `\($0)`?" }
                                      ?? "templates are named by their path under templates/ without .mustache, e.g. partials/header")
            }
        }
        // A template that includes itself, directly or through others, would render until
        // the stack overflows: every such cycle is an error, reported once.
        var references: [String: [(name: String, line: Int, column: Int)]] = [:]
        var paths: [String: String] = [:]
        for (name, path, text) in texts {
            references[name] = partialReferences(in: text).filter { names.contains($0.name) }
            paths[name] = path
        }
        var reported = Set<[String]>()
        for start in references.keys.sorted() {
            guard let cycle = inclusionCycle(from: start, references), reported.insert(Set(cycle).sorted()).inserted,
                  let first = references[start]?.first(where: { $0.name == cycle[1] }) else { continue }
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
        let fingerprint = hasher.finalize().map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        var ids = Set<String>()
        for (_, _, text) in texts { ids.formUnion(staticIDs(in: text)) }
        let compiled = CompiledTemplates(library: library, names: names)
        return Theme(library: library, compiled: compiled, templateNames: names, assets: assets, i18n: i18n, reservedIDs: ids, fingerprint: fingerprint)
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

    /// `{{> name}}` and `{{< name}}` tags with their positions.
    static func partialReferences(in text: String) -> [(name: String, line: Int, column: Int)] {
        var out: [(String, Int, Int)] = []
        var line = 1
        var column = 1
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            if scalars[i] == "{", i + 2 < scalars.count, scalars[i + 1] == "{", scalars[i + 2] == ">" || scalars[i + 2] == "<" {
                var j = i + 3
                while j < scalars.count, scalars[j] == " " { j += 1 }
                var name = ""
                while j < scalars.count, scalars[j] != "}", scalars[j] != " " {
                    name.unicodeScalars.append(scalars[j])
                    j += 1
                }
                if !name.isEmpty, !name.hasPrefix("*") { out.append((name, line, column)) }
            }
            if scalars[i] == "\n" { line += 1; column = 1 } else { column += 1 }
            i += 1
        }
        return out
    }

    private static func describe(_ error: Error) -> String {
        guard let e = error as? MustacheTemplate.Error else { return "\(error)" }
        switch e {
        case .sectionCloseNameIncorrect: return "a section is closed with a different name than it was opened with"
        case .unfinishedName: return "a tag is not closed (missing `}}`)"
        case .expectedSectionEnd: return "a section is never closed (missing `{{/…}}`)"
        case .invalidSetDelimiter: return "invalid set-delimiter tag"
        case .transformAppliedToInheritanceSection: return "a transform cannot apply to an inheritance section"
        case .illegalTokenInsideInheritSection, .textInsideInheritSection: return "only `{{$block}}` overrides may appear inside `{{<parent}}`"
        case .invalidConfigVariableSyntax, .unrecognisedConfigVariable: return "invalid `{{% … }}` pragma"
        }
    }
}
