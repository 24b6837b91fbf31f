import YourICTSupport

/// Every kind of page the site writes, and where it lives. The one place that knows
/// the output layout, so links, files and the sitemap always agree.
public enum Route: Sendable, Hashable {
    case dashboard
    case catalogue
    /// The catalogue filtered by one facet, readable without JavaScript.
    case catalogueFilter(CatalogueFacet, String)
    case service(String)
    case slaReport(service: String, month: YearMonth)
    /// Every month with an SLA overview.
    case slaIndex
    /// Every service's figures for one month, for management reports.
    case slaOverview(YearMonth)
    case incidents
    case incident(String)
    case page(String)
    case feed
    /// The Atom feed of the incidents and maintenance affecting one service.
    case serviceFeed(String)
    /// The iCalendar of planned maintenance, and that of one service.
    case calendar
    case serviceCalendar(String)

    /// The path under the base path, e.g. `fr/services/messagerie/`.
    public func path(lang: String) -> String {
        switch self {
        case .dashboard: return "\(lang)/"
        case .catalogue: return "\(lang)/catalogue/"
        case .catalogueFilter(let facet, let value): return "\(lang)/catalogue/\(facet.rawValue)/\(value)/"
        case .service(let id): return "\(lang)/services/\(id)/"
        case .slaReport(let id, let month): return "\(lang)/services/\(id)/sla/\(month)/"
        case .slaIndex: return "\(lang)/sla/"
        case .slaOverview(let month): return "\(lang)/sla/\(month)/"
        case .incidents: return "\(lang)/incidents/"
        case .incident(let id): return "\(lang)/incidents/\(id)/"
        case .page(let slug): return "\(lang)/\(slug)/"
        case .feed: return "\(lang)/feed.xml"
        case .serviceFeed(let id): return "\(lang)/services/\(id)/feed.xml"
        case .calendar: return "\(lang)/maintenance.ics"
        case .serviceCalendar(let id): return "\(lang)/services/\(id)/maintenance.ics"
        }
    }

    /// The file written for the route: folders get an `index.html`.
    public func file(lang: String) -> String {
        let p = path(lang: lang)
        return p.hasSuffix("/") ? p + "index.html" : p
    }
}

/// The facets the catalogue can be filtered by.
public enum CatalogueFacet: String, Sendable, Hashable, CaseIterable {
    case delivery, level, tag
}

/// Builds links for one site: root-relative ones under the base path, and absolute
/// ones (sitemap, feeds, canonical) from the base URL.
public struct URLBuilder: Sendable {
    public let basePath: String
    public let origin: String

    public init(basePath: String, origin: String) {
        self.basePath = basePath
        self.origin = origin
    }

    public func url(_ route: Route, lang: String) -> String { basePath + route.path(lang: lang) }
    public func absolute(_ route: Route, lang: String) -> String { origin + url(route, lang: lang) }
    /// A root-relative URL for an output path such as `assets/site.1a2b.css`.
    public func url(path: String) -> String { basePath + path }
    public func absolute(path: String) -> String { origin + basePath + path }
}
