import Synchronization
import Foundation
import YourICTSupport

/// A service of the catalogue, from `content/services/<id>[.<lang>].md`.
public struct ServiceSheet: Sendable {
    // The fields live in one shared, copy-on-write box: a sheet is passed around and
    // copied out of dictionaries thousands of times per build, and copying one reference
    // is much cheaper than copying twenty strings and arrays.
    struct Fields: Sendable {
        var id: String
        package var lang: String
        package var path: String
        var title: String
        var summary: String
        var category: String
        var delivery: String
        var serviceLevel: String
        var manager: Manager?
        var packs: [Pack]
        var options: [Option]
        var components: [Component]
        var tags: [String]
        var draft: Bool
        var weight: Int
        var downWhen: DownRule
        var lifecycle: Lifecycle
        var dependsOn: [Dependency]
        package var body: MarkdownSource
        var sortKey: String
        /// The title with case and runs of spaces folded (`ContentSet.titleKey`), which
        /// tells two cards apart; kept with the title.
        var titleKey: String
        /// The texts a translation left out and took from its original, with the
        /// original's language.
        var inherited: [TextField: String] = [:]
        /// Where `title` is written (this file's own title only).
        var titleLocation: SourceLocation? = nil
    }

    /// Texts of a sheet that a translation may leave to its original.
    public enum TextField: Hashable, Sendable { case title, summary, tags, packs, options, components }

    /// The language `field` is written in: the sheet's, or its original's where a
    /// translation did not give it (pages mark such text with `lang`).
    public func lang(of field: TextField) -> String { box.fields.inherited[field] ?? box.fields.lang }

    package mutating func inherit(_ field: TextField, from lang: String) {
        makeUnique()
        box.fields.inherited[field] = lang
    }

    /// `fields` changes only while the box is uniquely referenced (copy on write).
    final class Box: @unchecked Sendable {
        var fields: Fields
        /// Hashes computed from the fields (`derived(_:_:)`).
        let derived = Mutex<[Derived: Int]>([:])
        init(_ fields: Fields) { self.fields = fields }
    }

    private var box: Box

    /// Before a change: a box of its own, and nothing derived from the old fields.
    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) } else { box.derived.withLock { $0 = [:] } }
    }

    /// Values computed from a sheet and kept with it: `serve` hashes what each output is
    /// made from on every rebuild, and a sheet that did not change is the same box.
    package enum Derived: Hashable, Sendable { case listing, frontMatter, monitoring }

    package func derived(_ key: Derived, _ compute: (ServiceSheet) -> Int) -> Int {
        if let known = box.derived.withLock({ $0[key] }) { return known }
        let value = compute(self)
        box.derived.withLock { $0[key] = value }
        return value
    }

    public init(id: String, lang: String, path: String, title: String, summary: String, category: String, delivery: String, serviceLevel: String, manager: Manager?, packs: [Pack], options: [Option], components: [Component], tags: [String], draft: Bool, weight: Int, downWhen: DownRule, lifecycle: Lifecycle = Lifecycle(), dependsOn: [Dependency] = [], body: MarkdownSource, sortKey: String = "") {
        box = Box(Fields(id: id, lang: lang, path: path, title: title, summary: summary, category: category, delivery: delivery, serviceLevel: serviceLevel, manager: manager, packs: packs, options: options, components: components, tags: tags, draft: draft, weight: weight, downWhen: downWhen, lifecycle: lifecycle, dependsOn: dependsOn, body: body, sortKey: sortKey, titleKey: ContentSet.titleKey(title)))
    }

    public var id: String {
        get { box.fields.id }
        _modify { makeUnique(); yield &box.fields.id }
    }
    public var lang: String {
        get { box.fields.lang }
        _modify { makeUnique(); yield &box.fields.lang }
    }
    public var path: String {
        get { box.fields.path }
        _modify { makeUnique(); yield &box.fields.path }
    }
    /// Where this file writes its title; nil when it inherits it.
    public var titleLocation: SourceLocation? {
        get { box.fields.titleLocation }
        _modify { makeUnique(); yield &box.fields.titleLocation }
    }
    public var title: String {
        get { box.fields.title }
        _modify {
            makeUnique()
            yield &box.fields.title
            box.fields.titleKey = ContentSet.titleKey(box.fields.title)
        }
    }
    public var summary: String {
        get { box.fields.summary }
        _modify { makeUnique(); yield &box.fields.summary }
    }
    public var category: String {
        get { box.fields.category }
        _modify { makeUnique(); yield &box.fields.category }
    }
    /// The delivery model as written, one of site.yaml's `delivery_models` (`PaaS`).
    public var delivery: String {
        get { box.fields.delivery }
        _modify { makeUnique(); yield &box.fields.delivery }
    }
    public var serviceLevel: String {
        get { box.fields.serviceLevel }
        _modify { makeUnique(); yield &box.fields.serviceLevel }
    }
    public var manager: Manager? {
        get { box.fields.manager }
        _modify { makeUnique(); yield &box.fields.manager }
    }
    public var packs: [Pack] {
        get { box.fields.packs }
        _modify { makeUnique(); yield &box.fields.packs }
    }
    public var options: [Option] {
        get { box.fields.options }
        _modify { makeUnique(); yield &box.fields.options }
    }
    public var components: [Component] {
        get { box.fields.components }
        _modify { makeUnique(); yield &box.fields.components }
    }
    public var tags: [String] {
        get { box.fields.tags }
        _modify { makeUnique(); yield &box.fields.tags }
    }
    public var draft: Bool {
        get { box.fields.draft }
        _modify { makeUnique(); yield &box.fields.draft }
    }
    public var weight: Int {
        get { box.fields.weight }
        _modify { makeUnique(); yield &box.fields.weight }
    }
    public var downWhen: DownRule {
        get { box.fields.downWhen }
        _modify { makeUnique(); yield &box.fields.downWhen }
    }
    public var lifecycle: Lifecycle {
        get { box.fields.lifecycle }
        _modify { makeUnique(); yield &box.fields.lifecycle }
    }
    /// What the service needs to work: other services, or components of them.
    public var dependsOn: [Dependency] {
        get { box.fields.dependsOn }
        _modify { makeUnique(); yield &box.fields.dependsOn }
    }
    public var body: MarkdownSource {
        get { box.fields.body }
        _modify { makeUnique(); yield &box.fields.body }
    }
    /// The title folded for sorting (`ContentSet.sortKey`), computed once when decoded.
    public var sortKey: String {
        get { box.fields.sortKey }
        _modify { makeUnique(); yield &box.fields.sortKey }
    }

    /// The title with case and runs of spaces folded (`ContentSet.titleKey`), computed
    /// once per title: `serve` checks every title at each save.
    public var titleKey: String { box.fields.titleKey }

    /// The hint of a diagnostic that names a component this service lacks: its
    /// components, or (it has none) `alone`, what to write instead.
    package func componentsHint(alone: String = "it has no components: name the service alone") -> String {
        components.isEmpty ? alone : "its components: \(components.map(\.id).joined(separator: ", "))"
    }

    /// An entry of `depends_on`: a service, or one of its components.
    public struct Dependency: Sendable, Hashable {
        public var service: String
        public var component: String?
        /// Where the entry is written, for diagnostics (unknown ids, cycles).
        public var location: SourceLocation

        public init(service: String, component: String?, location: SourceLocation) {
            self.service = service
            self.component = component
            self.location = location
        }

        /// `service` or `service/component`, as written.
        public var text: String { component.map { "\(service)/\($0)" } ?? service }
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
        /// The language of `description` and `includes` when a translation that gives the
        /// pack's name lent them from its original; nil: the packs' own.
        public var descriptionLang: String? = nil
        public var includesLang: String? = nil
    }

    public struct Option: Sendable {
        public var id: String
        public var name: String
        public var description: String?
        /// As a pack's: the original's language when a translation lent the description.
        public var descriptionLang: String? = nil
    }

    public struct Component: Sendable {
        public var id: String
        public var name: String
        public var description: String?
        /// Label matchers selecting monitoring series, e.g. `job: blackbox`.
        public var monitor: [String: String]
        public var monitorLocation: SourceLocation?
        /// Label matchers selecting the series of its response times (seconds), with
        /// `__name__`; empty: `monitor` with `__name__: probe_duration_seconds`.
        public var latency: [String: String] = [:]
        public var latencyLocation: SourceLocation?
    }
}

/// A Markdown body and where it starts in its file, so that positions found while
/// rendering map back to the original line.
public struct MarkdownSource: Sendable {
    public var text: String { storage.text }
    public var path: String
    public var firstLine: Int
    private let storage: ReleasableText

    public init(text: String, path: String, firstLine: Int) {
        self.storage = ReleasableText(text)
        self.path = path
        self.firstLine = firstLine
    }

    /// Empties the text, for this source and every copy of it. `build` does so once
    /// the Markdown stage has rendered every body (nothing reads them later): on a site
    /// of tens of thousands of sheets they are hundreds of megabytes.
    package func release() { storage.release() }
}

/// Text that a build may drop once its last reader is done, in every copy of the value
/// holding it. Released only between the reads that need it and any later read, never
/// concurrently with one (the stage that reads it is over, or the same job released it).
package final class ReleasableText: @unchecked Sendable {
    package private(set) var text: String
    package init(_ text: String) { self.text = text }
    package func release() { text = "" }
}
