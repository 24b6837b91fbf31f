import YourICTSupport
import YourICTFormats
import YourICTContent

/// The values of each catalogue facet (delivery model, service level, tag), the
/// services under each and their labels: computed once per build, then read by
/// every catalogue page and filter. Tags are per language: a translation has its own
/// words, and its tag pages are built from them.
struct CatalogueFacets: Sendable {
    /// Tags become URL segments through their slug; tags with the same slug are one facet value.
    static func tagSlug(_ tag: String) -> String { Slugger.slugify(tag) }

    private let shared: [CatalogueFacet: [String]]
    private let sharedMembers: [CatalogueFacet: [String: Set<String>]]
    /// Per language: tag slugs, the services under each, and the tag as written.
    private let tags: [String: [String]]
    private let tagMembers: [String: [String: Set<String>]]
    private let tagLabels: [String: [String: String]]
    /// Per language: the language each tag label is written in (a sheet without a
    /// translation lends its original's tags).
    private let tagLabelLangs: [String: [String: String]]
    /// A hash of what the facets are made of (`serve`: a catalogue page whose members and
    /// facets did not change is reused).
    let fingerprint: Int

    /// What the facets are made of: per service in catalogue order, its delivery, level
    /// and tags in each language.
    struct Input: Hashable {
        var languages: [String]
        var levels: [String]
        /// The delivery models' keys (lower case), in site.yaml order.
        var deliveryModels: [String]
        var services: [Service]
        struct Service: Hashable {
            var id: String
            var delivery: String
            var level: String
            var tags: [[String]]
            /// Per site language, the language of `tags` (the original's without a translation).
            var tagLangs: [String]
        }
    }
    /// With `memo` (`serve`), the facets of the last generation stand while their input is the same.
    init(content: ContentSet, memo: LastValueMemo<Input, CatalogueFacets>? = nil) {
        let d = content.site.defaultLanguage
        let languages = content.site.languages
        // Retired services have left the catalogue, and so its filters.
        let input = Input(languages: languages, levels: content.site.serviceLevels.map(\.id), deliveryModels: content.site.deliveryModels.map(\.key),
                          services: content.listedServiceIDs.compactMap { id in
            guard let byLang = content.services[id], let sheet = byLang[d] else { return nil }
            return .init(id: id, delivery: sheet.delivery, level: sheet.serviceLevel, tags: languages.map { (byLang[$0] ?? sheet).tags },
                         tagLangs: languages.map { (byLang[$0] ?? sheet).lang(of: .tags) })
        })
        self = memo?.value(for: input) { CatalogueFacets(input: $0) } ?? CatalogueFacets(input: input)
    }

    private init(input: Input) {
        fingerprint = input.hashValue
        // Local dictionaries, one per facet and language (not nested ones looked up for
        // every service), and the delivery names lowercased once: tens of thousands of
        // services go through here while the other core waits.
        var deliveryKeys: [String: String] = [:]
        var byDelivery: [String: Set<String>] = [:], byLevel: [String: Set<String>] = [:]
        for service in input.services {
            let key: String
            if let known = deliveryKeys[service.delivery] { key = known } else { key = service.delivery.lowercased(); deliveryKeys[service.delivery] = key }
            byDelivery[key, default: []].insert(service.id)
            byLevel[service.level, default: []].insert(service.id)
        }
        let members: [CatalogueFacet: [String: Set<String>]] = [.delivery: byDelivery, .level: byLevel]
        var tagMembers: [String: [String: Set<String>]] = [:]
        var labels: [String: [String: String]] = [:], labelLangs: [String: [String: String]] = [:]
        var slugs: [String: String] = [:]  // a few tags, on thousands of sheets
        for (index, lang) in input.languages.enumerated() {
            var members: [String: Set<String>] = [:], names: [String: String] = [:], nameLangs: [String: String] = [:]
            for service in input.services {
                for tag in service.tags[index] {
                    let slug: String
                    if let known = slugs[tag] { slug = known } else { slug = Self.tagSlug(tag); slugs[tag] = slug }
                    guard !slug.isEmpty else { continue }
                    members[slug, default: []].insert(service.id)
                    if names[slug] == nil {
                        names[slug] = tag
                        if service.tagLangs[index] != lang { nameLangs[slug] = service.tagLangs[index] }
                    }
                }
            }
            if !members.isEmpty {
                tagMembers[lang] = members
                labels[lang] = names
                labelLangs[lang] = nameLangs
            }
        }
        sharedMembers = members
        self.tagMembers = tagMembers
        tagLabels = labels
        tagLabelLangs = labelLangs
        tags = tagMembers.mapValues { $0.keys.sorted() }
        shared = [
            .delivery: input.deliveryModels.filter { members[.delivery]?[$0] != nil },
            .level: input.levels.filter { members[.level]?[$0] != nil },
        ]
    }

    /// Every (facet, value) of `lang` with at least one service, in a stable order.
    func all(lang: String) -> [(CatalogueFacet, String)] {
        CatalogueFacet.allCases.flatMap { facet in values(facet, lang: lang).map { (facet, $0) } }
    }

    func values(_ facet: CatalogueFacet, lang: String) -> [String] {
        facet == .tag ? tags[lang] ?? [] : shared[facet] ?? []
    }

    /// The services under a facet value.
    func members(_ facet: CatalogueFacet, _ value: String, lang: String) -> Set<String>? {
        facet == .tag ? tagMembers[lang]?[value] : sharedMembers[facet]?[value]
    }

    func count(_ facet: CatalogueFacet, _ value: String, lang: String) -> Int { members(facet, value, lang: lang)?.count ?? 0 }

    func tagLabel(_ slug: String, lang: String) -> String { tagLabels[lang]?[slug] ?? slug }

    /// The language `tagLabel(slug, lang:)` is written in.
    func tagLabelLang(_ slug: String, lang: String) -> String { tagLabelLangs[lang]?[slug] ?? lang }

    /// Whether `route` is built in `lang`: every page is, except a tag no sheet of that
    /// language uses. Language switchers and alternates link elsewhere then.
    func exists(_ route: Route, lang: String) -> Bool {
        if case .catalogueFilter(.tag, let value) = route { return tagMembers[lang]?[value] != nil }
        return true
    }
}
