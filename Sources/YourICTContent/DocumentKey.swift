/// Identifies a content document: its kind and id.
public struct DocumentKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case service = "services"
        case page = "pages"
        case incident = "incidents"
    }

    public var kind: Kind
    public var id: String

    public init(_ kind: Kind, _ id: String) {
        self.kind = kind
        self.id = id
    }

    public var description: String { "\(kind.rawValue)/\(id)" }

    public static func < (a: DocumentKey, b: DocumentKey) -> Bool { (a.kind.rawValue, a.id) < (b.kind.rawValue, b.id) }

    public var route: Route {
        switch kind {
        case .service: return .service(id)
        case .page: return .page(id)
        case .incident: return .incident(id)
        }
    }

    /// The content file of `lang` (`content/services/x.nl.md`), or of the default language.
    public func path(lang: String?) -> String {
        "content/\(kind.rawValue)/\(id)\(lang.map { ".\($0)" } ?? "").md"
    }
}
