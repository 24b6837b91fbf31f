/// The values of each catalogue facet (delivery model, service level, tag), the
/// services under each and their labels: computed once per build, then read by
/// every catalogue page and filter.
struct CatalogueFacets: Sendable {
    /// Tags become URL segments through their slug; tags with the same slug are one facet value.
    static func tagSlug(_ tag: String) -> String { Slugger.slugify(tag) }

    private let values: [CatalogueFacet: [String]]
    /// Per facet and value, the ids of the services it holds.
    private let members: [CatalogueFacet: [String: Set<String>]]
    /// Per language and tag slug, the tag as written in that language.
    private let tagLabels: [String: [String: String]]

    init(content: ContentSet) {
        let d = content.site.defaultLanguage
        var members: [CatalogueFacet: [String: Set<String>]] = [:]
        for id in content.orderedServiceIDs {
            guard let sheet = content.services[id]?[d] else { continue }
            members[.delivery, default: [:]][sheet.delivery.rawValue.lowercased(), default: []].insert(id)
            members[.level, default: [:]][sheet.serviceLevel, default: []].insert(id)
            for tag in sheet.tags {
                let slug = Self.tagSlug(tag)
                if !slug.isEmpty { members[.tag, default: [:]][slug, default: []].insert(id) }
            }
        }
        var labels: [String: [String: String]] = [:]
        for lang in content.site.languages {
            for id in content.orderedServiceIDs {
                for tag in content.service(id, in: lang)?.tags ?? [] {
                    let slug = Self.tagSlug(tag)
                    if labels[lang, default: [:]][slug] == nil { labels[lang, default: [:]][slug] = tag }
                }
            }
        }
        self.members = members
        self.tagLabels = labels
        self.values = [
            .delivery: ServiceSheet.Delivery.allCases.map { $0.rawValue.lowercased() }.filter { members[.delivery]?[$0] != nil },
            .level: content.site.serviceLevels.map(\.id).filter { members[.level]?[$0] != nil },
            .tag: (members[.tag] ?? [:]).keys.sorted(),
        ]
    }

    /// Every (facet, value) with at least one service, in a stable order.
    var all: [(CatalogueFacet, String)] {
        CatalogueFacet.allCases.flatMap { facet in values(facet).map { (facet, $0) } }
    }

    func values(_ facet: CatalogueFacet) -> [String] { values[facet] ?? [] }

    func count(_ facet: CatalogueFacet, _ value: String) -> Int { members[facet]?[value]?.count ?? 0 }

    func contains(_ id: String, _ facet: CatalogueFacet, _ value: String) -> Bool { members[facet]?[value]?.contains(id) ?? false }

    func tagLabel(_ slug: String, lang: String, fallback: String) -> String {
        tagLabels[lang]?[slug] ?? tagLabels[fallback]?[slug] ?? slug
    }
}
