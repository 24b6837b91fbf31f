import YourICTSupport
import YourICTFormats

/// A content file after the generic steps every kind shares: named, decoded,
/// split into front matter and body, the YAML parsed.
/// A class: thousands are passed around on every generation of `serve`, and sharing one
/// reference is cheaper than copying eight strings.
package final class ContentFile: Sendable {
    package let path: String
    /// The id or slug, from the file name.
    let id: String
    /// The language of the file: its suffix (`x.nl.md`), else the site's default.
    package let lang: String
    let isDefaultLanguage: Bool
    /// The body and where things start; the front matter's text is dropped once parsed
    /// (the YAML tree holds it), and so is the whole file's: on a large site they are
    /// hundreds of megabytes held for nothing.
    package let document: FrontMatterDocument

    init(path: String, id: String, lang: String, isDefaultLanguage: Bool, document: FrontMatterDocument) {
        self.path = path
        self.id = id
        self.lang = lang
        self.isDefaultLanguage = isDefaultLanguage
        var document = document
        document.yaml = ""
        self.document = document
    }

    /// Reads and splits every `.md` file of `folder`, reporting problems with names,
    /// encoding, delimiters and YAML. With `decodeOriginal`, each default-language file
    /// is decoded as soon as it is parsed and its YAML tree dropped, so that the trees of
    /// thousands of files never exist at once (`build`; `serve` keeps them to decode only
    /// what changed).
    static func loadAll<T: Sendable>(in folder: String, tree: SourceTree, languages: [String], diagnostics: DiagnosticBag,
                                     cache: ContentReuse? = nil,
                                     decodeOriginal: (@Sendable (ContentFile, YAMLNode) -> (T?, [Diagnostic]))? = nil) -> [Loaded<T>] {
        let paths = tree.files(in: folder)
        if let problem = tree.unreadableFolder(folder) {
            diagnostics.error("\(folder) cannot be read (\(problem)): none of its files would be published", at: SourceLocation(path: folder),
                              hint: "give the build read and search access to the folder (chmod a+rx \(folder))")
        }
        for path in paths where !path.hasSuffix(".md") {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            if name.lowercased().hasSuffix(".markdown") || name.lowercased().hasSuffix(".md") {
                diagnostics.warning("`\(name)` is ignored: content files end in `.md` (lowercase)", at: SourceLocation(path: path))
            }
        }
        let results: [Loaded<T>?] = paths.filter { $0.hasSuffix(".md") }.parallelMap { path in
            guard let cache, let stamp = tree.stamp(path) else {
                guard let (file, node) = load(path: path, tree: tree, languages: languages, diagnostics: diagnostics) else { return nil }
                if let decodeOriginal, file.isDefaultLanguage { return Loaded(file: file, node: nil, decoded: decodeOriginal(file, node)) }
                return Loaded(file: file, node: node)
            }
            if let hit = cache.parsedFile(path, stamp: stamp, languages: languages) {
                diagnostics.add(contentsOf: hit.diagnostics)
                return hit.result.map { Loaded(file: $0.0, node: $0.1) }
            }
            let local = DiagnosticBag()
            let result = load(path: path, tree: tree, languages: languages, diagnostics: local)
            diagnostics.add(contentsOf: local.all)
            cache.store(.init(stamp: stamp, languages: languages, result: result, diagnostics: local.all), for: path)
            return result.map { Loaded(file: $0.0, node: $0.1) }
        }
        return results.compactMap { $0 }
    }

    /// A file parsed; or, for an original read by `build`, decoded already (`node` is then nil).
    struct Loaded<T: Sendable>: Sendable {
        let file: ContentFile
        package let node: YAMLNode?
        var decoded: (value: T?, diagnostics: [Diagnostic])? = nil
    }

    /// The file name of `path` without its `.md` (`messagerie.nl`), found on the bytes.
    static func baseName(_ path: String) -> Substring {
        let utf8 = path.utf8
        let start = utf8.lastIndex(of: UInt8(ascii: "/")).map(utf8.index(after:)) ?? utf8.startIndex
        return Substring(utf8[start...].dropLast(3))
    }

    package static func load(path: String, tree: SourceTree, languages: [String], diagnostics: DiagnosticBag) -> (ContentFile, YAMLNode)? {
        let name = String(baseName(path))
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var id = name
        var lang = languages[0]
        var isDefault = true
        if parts.count == 2 {
            id = parts[0]
            lang = parts[1]
            if !languages.contains(lang) {
                diagnostics.error("`\(lang)` in the file name is not one of the site's languages (\(languages.joined(separator: ", ")))",
                                  at: SourceLocation(path: path),
                                  hint: "translations are named <id>.<lang>.md with a language of site.yaml; add `\(lang)` to `languages` or rename the file")
                return nil
            }
            isDefault = lang == languages[0]
        } else if parts.count > 2 {
            diagnostics.error("`\(name).md` is not a valid content file name", at: SourceLocation(path: path),
                              hint: "name files <id>.md, or <id>.<lang>.md for a translation")
            return nil
        }
        guard Validation.isSafeID(id) else {
            diagnostics.error("`\(id)` is not a valid id (it comes from the file name)", at: SourceLocation(path: path), hint: Validation.idHint)
            return nil
        }
        let bytes: [UInt8]
        do {
            bytes = try tree.read(path)
        } catch {
            diagnostics.error("\(error)", at: SourceLocation(path: path))
            return nil
        }
        if bytes.count > 8 << 20 {
            diagnostics.error("the file is larger than 8 MiB", at: SourceLocation(path: path), hint: "split it; a page this large is not readable anyway")
            return nil
        }
        let source: SourceText
        switch SourceText.decode(bytes, path: path) {
        case .success(let s): source = s
        case .failure(let d): diagnostics.add(d); return nil
        }
        var document: FrontMatterDocument
        switch FrontMatter.split(source) {
        case .success(let d): document = d
        case .failure(let d): diagnostics.add(d); return nil
        }
        if let problem = MarkdownLimits.problem(in: document.body) {
            diagnostics.error(problem.message, at: SourceLocation(path: path, line: problem.line + document.bodyFirstLine - 1, column: problem.column),
                              hint: problem.hint)
            // The fields are still read, so that links and incidents naming the file do
            // not add errors of their own; the body is not rendered.
            document.body = ""
        }
        switch YAMLDocument.parse(document.yaml, path: path, firstLine: document.yamlFirstLine) {
        case .failure(let d):
            diagnostics.add(d)
            return nil
        case .success(nil):
            diagnostics.error("the front matter is empty", at: SourceLocation(path: path, line: 2),
                              hint: "add at least `title:` between the `---` lines")
            return nil
        case .success(let node?):
            let file = ContentFile(path: path, id: id, lang: lang, isDefaultLanguage: isDefault, document: document)
            return (file, node)
        }
    }

    package func reader(_ node: YAMLNode, languages: [String], diagnostics: DiagnosticBag) -> YAMLReader? {
        YAMLReader(node, what: "the front matter", path: path, lineOffset: document.yamlFirstLine - 1, languages: languages, diagnostics: diagnostics)
    }

    package var body: MarkdownSource { MarkdownSource(text: document.body, path: path, firstLine: document.bodyFirstLine) }
}
