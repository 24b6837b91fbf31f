import YourICTSupport
import YourICTContent
import YourICTMonitoring

/// The list of pages a build writes, decided once from the content and the report.
struct SitePlan {
    enum Kind: Sendable {
        case dashboard, catalogue, incidents, languages
        /// The "page not found" of a language, or (`root`) of the whole site.
        case notFound(root: Bool)
        case catalogueFilter(CatalogueFacet, String)
        case service(String)
        case sla(String, YearMonth)
        case slaIndex
        case slaOverview(YearMonth)
        case incident(String)
        case page(String)
    }

    struct PageJob: Sendable {
        var kind: Kind
        var lang: String
        var route: Route?
        var path: String
        var template: String
    }

    let pages: [PageJob]
    let content: ContentSet
    /// The catalogue's facets, computed once for the plan, the pages and the sitemap.
    let facets: CatalogueFacets
    /// The months with an SLA overview, oldest first.
    let slaMonths: [YearMonth]

    /// What `serve` keeps of the plan between generations: the last inputs and results,
    /// since a save mostly plans the same pages again.
    final class Memory: Sendable {
        fileprivate let jobs = LastValueMemo<Input, [PageJob]>()
        fileprivate let sitePaths = LastValueMemo<SitePathsInput, Set<String>>()
        let facets = LastValueMemo<CatalogueFacets.Input, CatalogueFacets>()
        /// The order of the output paths.
        let outputOrder = LastValueMemo<[String], [Int]>()
    }

    /// Kept for `sitePaths`.
    private let memory: Memory?

    init(content: ContentSet, status: StatusReport?, memory: Memory? = nil) {
        self.content = content
        self.memory = memory
        let facets = CatalogueFacets(content: content, memo: memory?.facets)
        self.facets = facets
        let languages = content.site.languages
        let slaMonths = SLAOverview.months(status)
        self.slaMonths = slaMonths
        let input = Input(
            languages: languages, defaultLanguage: content.site.defaultLanguage,
            facetValues: languages.map { facets.all(lang: $0).map { Input.FacetValue(facet: $0.0, value: $0.1) } },
            services: content.orderedServiceIDs,
            months: content.orderedServiceIDs.map { status?.services[$0]?.overall.months.map(\.month) ?? [] },
            hasStatus: status?.referenceTime != nil, slaMonths: slaMonths,
            incidents: content.incidents.keys.sorted(), pages: content.orderedPageSlugs)
        pages = memory?.jobs.value(for: input, Self.jobs) ?? Self.jobs(input)
    }

    /// All the plan depends on; `serve` mostly plans the same pages again.
    fileprivate struct Input: Equatable {
        struct FacetValue: Equatable { var facet: CatalogueFacet; var value: String }
        var languages: [String]
        var defaultLanguage: String
        var facetValues: [[FacetValue]]
        var services: [String]
        var months: [[YearMonth]]
        var hasStatus: Bool
        var slaMonths: [YearMonth]
        var incidents: [String]
        var pages: [String]
    }

    private static func jobs(_ input: Input) -> [PageJob] {
        var jobs: [PageJob] = []
        func add(_ kind: Kind, _ route: Route, _ lang: String, _ template: String) {
            jobs.append(PageJob(kind: kind, lang: lang, route: route, path: route.file(lang: lang), template: template))
        }
        for (index, lang) in input.languages.enumerated() {
            add(.dashboard, .dashboard, lang, "dashboard")
            add(.catalogue, .catalogue, lang, "catalogue")
            for fv in input.facetValues[index] {
                add(.catalogueFilter(fv.facet, fv.value), .catalogueFilter(fv.facet, fv.value), lang, "catalogue")
            }
            add(.incidents, .incidents, lang, "incidents")
            // The overview of each month any service has a report for; the index even
            // when there is none yet (the menu links to it), whenever there are figures.
            if input.hasStatus {
                add(.slaIndex, .slaIndex, lang, "sla-index")
                for month in input.slaMonths { add(.slaOverview(month), .slaOverview(month), lang, "sla-overview") }
            }
            for (id, months) in zip(input.services, input.months) {
                add(.service(id), .service(id), lang, "service")
                for month in months {
                    add(.sla(id, month), .slaReport(service: id, month: month), lang, "sla")
                }
            }
            for id in input.incidents { add(.incident(id), .incident(id), lang, "incident") }
            for slug in input.pages { add(.page(slug), .page(slug), lang, "page") }
            jobs.append(PageJob(kind: .notFound(root: false), lang: lang, route: nil, path: "\(lang)/404.html", template: "404"))
        }
        jobs.append(PageJob(kind: .languages, lang: input.defaultLanguage, route: nil, path: "index.html", template: "languages"))
        jobs.append(PageJob(kind: .notFound(root: true), lang: input.defaultLanguage, route: nil, path: "404.html", template: "404"))
        return jobs
    }

    /// Every path a root-relative link may point to (`fr/catalogue/`, `api/services.json`, …).
    func sitePaths(theme: Theme, staticFiles: [String]) -> Set<String> {
        let input = SitePathsInput(pages: pages.map(\.path), staticFiles: staticFiles, languages: content.site.languages,
                                   assets: theme.assets.map(\.outputPath), services: content.serviceIDs, slaMonths: slaMonths)
        let make = { (input: SitePathsInput) -> Set<String> in
            var set = Set(input.staticFiles)
            for path in input.pages {
                set.insert(path)
                if path.hasSuffix("index.html") { set.insert(String(path.dropLast("index.html".count))) }
            }
            for lang in input.languages {
                set.insert(Route.feed.path(lang: lang))
                set.insert(Route.calendar.path(lang: lang))
                for id in input.services {
                    set.insert(Route.serviceFeed(id).path(lang: lang))
                    set.insert(Route.serviceCalendar(id).path(lang: lang))
                }
            }
            set.formUnion(input.assets)
            for id in input.services { set.insert("badges/\(id).svg"); set.insert("badges/\(id).json") }
            for lang in input.languages { set.insert("search/index.\(lang).json") }
            set.formUnion(["sitemap.xml", "robots.txt", "api/services.json", "api/catalogue.json"])
            set.formUnion(StatuspageAPI.paths)
            for month in input.slaMonths { set.insert(SLAOverview.jsonPath(month)); set.insert(SLAOverview.csvPath(month)) }
            return set
        }
        return memory?.sitePaths.value(for: input, make) ?? make(input)
    }

    fileprivate struct SitePathsInput: Equatable {
        var pages: [String], staticFiles: [String], languages: [String], assets: [String], services: [String], slaMonths: [YearMonth]
    }
}
