/// A service of the catalogue, from `content/services/<id>[.<lang>].md`.
public struct ServiceSheet: Sendable {
    public var id: String
    public var lang: String
    public var path: String
    public var title: String
    public var summary: String
    public var category: String
    public var delivery: Delivery
    public var serviceLevel: String
    public var manager: Manager?
    public var packs: [Pack]
    public var options: [Option]
    public var components: [Component]
    public var tags: [String]
    public var draft: Bool
    public var weight: Int
    public var downWhen: DownRule
    public var body: MarkdownSource
    /// The title folded for sorting (`ContentSet.sortKey`), computed once when decoded.
    public var sortKey: String = ""

    public enum Delivery: String, Sendable, CaseIterable {
        case paas = "PaaS"
        case saas = "SaaS"
    }

    /// How component states combine into the service's state.
    public enum DownRule: String, Sendable, CaseIterable {
        /// The service is down when any component is down (the default).
        case any
        /// The service is down only when all its components are down (redundant components).
        case all
    }

    public struct Manager: Sendable {
        public var name: String
        public var email: String?
        public var phone: String?
    }

    public struct Pack: Sendable {
        public var id: String
        public var name: String
        public var description: String?
        public var includes: [String]
        public var serviceLevel: String?
    }

    public struct Option: Sendable {
        public var id: String
        public var name: String
        public var description: String?
    }

    public struct Component: Sendable {
        public var id: String
        public var name: String
        public var description: String?
        /// Label matchers selecting monitoring series, e.g. `job: blackbox`.
        public var monitor: [String: String]
        public var monitorLocation: SourceLocation?
    }
}

/// A Markdown body and where it starts in its file, so that positions found while
/// rendering map back to the original line.
public struct MarkdownSource: Sendable {
    public var text: String
    public var path: String
    public var firstLine: Int

    public init(text: String, path: String, firstLine: Int) {
        self.text = text
        self.path = path
        self.firstLine = firstLine
    }
}
