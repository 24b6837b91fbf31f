import YourICTSupport
import YourICTFormats

/// Successive builds of one source tree in one process (`serve`), reusing what has
/// not changed between them (see `GenerationCache`).
public final class IncrementalSession: Sendable {
    let tree: SourceTree
    public let cache = GenerationCache()

    public init(tree: SourceTree) { self.tree = tree }

    /// Tells the session what changed on disk since the last generation (paths relative
    /// to the source folder; nil when unknown), for a tree that keeps stamps and listings.
    public func invalidate(_ paths: [String]?) {
        (tree as? WatchedSourceTree)?.invalidate(paths)
    }

    public func generate(settings: BuildSettings, diagnostics: DiagnosticBag) -> GeneratedSite? {
        SiteGenerator.generate(tree: tree, settings: settings, diagnostics: diagnostics, cache: cache)
    }
}
