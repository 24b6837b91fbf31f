/// A general page, from `content/pages/<slug>[.<lang>].md`.
public struct Page: Sendable {
    public var slug: String
    public var lang: String
    public var path: String
    public var title: String
    public var summary: String?
    public var weight: Int
    public var draft: Bool
    public var body: MarkdownSource
    /// The title folded for sorting, computed once when decoded.
    public var sortKey: String = ""
}
