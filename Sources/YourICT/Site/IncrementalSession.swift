/// Successive builds of one source tree in one process (`serve`), reusing what has
/// not changed between them (see `GenerationCache`).
public final class IncrementalSession: @unchecked Sendable {
    let tree: SourceTree
    public let cache = GenerationCache()

    public init(tree: SourceTree) { self.tree = tree }

    public func generate(settings: BuildSettings, diagnostics: DiagnosticBag) -> GeneratedSite? {
        SiteGenerator.generate(tree: tree, settings: settings, diagnostics: diagnostics, cache: cache)
    }
}
