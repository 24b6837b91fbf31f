/// User-visible text from `site.yaml` or front matter: one string for every language,
/// or one per language (`{fr: …, nl: …}`).
public struct LocalizedText: Sendable, Hashable {
    public var values: [String: String]
    public var universal: String?

    public init(_ text: String) {
        universal = text
        values = [:]
    }

    public init(values: [String: String]) {
        self.values = values
        universal = nil
    }

    /// The text in `lang`, else in `fallback`, else any text (in a stable order).
    public func resolve(_ lang: String, fallback: String) -> String {
        resolved(lang, fallback: fallback).text
    }

    /// The text and the language it is actually in, so a page can mark text that fell
    /// back to another language with `lang`.
    public func resolved(_ lang: String, fallback: String) -> (text: String, lang: String?) {
        if let u = universal { return (u, nil) }
        if let v = values[lang] { return (v, lang) }
        if let v = values[fallback] { return (v, fallback) }
        if let key = values.keys.sorted().first { return (values[key]!, key) }
        return ("", nil)
    }

    public var isEmpty: Bool { (universal ?? "").isEmpty && values.values.allSatisfy(\.isEmpty) }
}
