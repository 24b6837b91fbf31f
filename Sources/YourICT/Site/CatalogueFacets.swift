/// The values of each catalogue facet (delivery model, service level, tag) and the
/// services under each, in the default language.
struct CatalogueFacets {
    let content: ContentSet

    /// Tags become URL segments through their slug; tags with the same slug are one facet value.
    static func tagSlug(_ tag: String) -> String { Slugger.slugify(tag) }

    /// Every (facet, value) with at least one service, in a stable order.
    var all: [(CatalogueFacet, String)] {
        CatalogueFacet.allCases.flatMap { facet in values(facet).map { (facet, $0) } }
    }

    func values(_ facet: CatalogueFacet) -> [String] {
        let sheets = content.orderedServiceIDs.compactMap { content.services[$0]?[content.site.defaultLanguage] }
        switch facet {
        case .delivery:
            return ServiceSheet.Delivery.allCases.filter { d in sheets.contains { $0.delivery == d } }.map { $0.rawValue.lowercased() }
        case .level:
            return content.site.serviceLevels.map(\.id).filter { id in sheets.contains { $0.serviceLevel == id } }
        case .tag:
            return Array(Set(sheets.flatMap { $0.tags.map(Self.tagSlug) }.filter { !$0.isEmpty })).sorted()
        }
    }

    func matches(_ sheet: ServiceSheet, _ facet: CatalogueFacet, _ value: String) -> Bool {
        switch facet {
        case .delivery: return sheet.delivery.rawValue.lowercased() == value
        case .level: return sheet.serviceLevel == value
        case .tag: return sheet.tags.contains { Self.tagSlug($0) == value }
        }
    }
}
