/// The list of pages a build writes, decided once from the content and the report.
struct SitePlan {
    enum Kind: Sendable {
        case dashboard, catalogue, incidents, notFound, languages
        case catalogueFilter(CatalogueFacet, String)
        case service(String)
        case sla(String, YearMonth)
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

    init(content: ContentSet, status: StatusReport?) {
        self.content = content
        var jobs: [PageJob] = []
        let facets = CatalogueFacets(content: content)
        self.facets = facets
        func add(_ kind: Kind, _ route: Route, _ lang: String, _ template: String) {
            jobs.append(PageJob(kind: kind, lang: lang, route: route, path: route.file(lang: lang), template: template))
        }
        for lang in content.site.languages {
            add(.dashboard, .dashboard, lang, "dashboard")
            add(.catalogue, .catalogue, lang, "catalogue")
            for (facet, value) in facets.all(lang: lang) {
                add(.catalogueFilter(facet, value), .catalogueFilter(facet, value), lang, "catalogue")
            }
            add(.incidents, .incidents, lang, "incidents")
            for id in content.orderedServiceIDs {
                add(.service(id), .service(id), lang, "service")
                for entry in status?.services[id]?.overall.months ?? [] {
                    add(.sla(id, entry.month), .slaReport(service: id, month: entry.month), lang, "sla")
                }
            }
            for id in content.incidents.keys.sorted() { add(.incident(id), .incident(id), lang, "incident") }
            for slug in content.orderedPageSlugs { add(.page(slug), .page(slug), lang, "page") }
        }
        jobs.append(PageJob(kind: .languages, lang: content.site.defaultLanguage, route: nil, path: "index.html", template: "languages"))
        jobs.append(PageJob(kind: .notFound, lang: content.site.defaultLanguage, route: nil, path: "404.html", template: "404"))
        pages = jobs
    }

    /// Every path a root-relative link may point to (`fr/catalogue/`, `api/services.json`, …).
    func sitePaths(theme: Theme, staticFiles: [String]) -> Set<String> {
        let input = SitePathsInput(pages: pages.map(\.path), staticFiles: staticFiles, languages: content.site.languages,
                                   assets: theme.assets.map(\.outputPath), services: content.serviceIDs)
        return Self.sitePathsMemo.value(for: input) { input in
            var set = Set(input.staticFiles)
            for path in input.pages {
                set.insert(path)
                if path.hasSuffix("index.html") { set.insert(String(path.dropLast("index.html".count))) }
            }
            for lang in input.languages { set.insert(Route.feed.path(lang: lang)) }
            set.formUnion(input.assets)
            for id in input.services { set.insert("badges/\(id).svg"); set.insert("badges/\(id).json") }
            for lang in input.languages { set.insert("search/index.\(lang).json") }
            set.formUnion(["sitemap.xml", "robots.txt", "api/services.json", "api/catalogue.json", "api/v2/summary.json", "api/v2/status.json"])
            return set
        }
    }

    private struct SitePathsInput: Equatable {
        var pages: [String], staticFiles: [String], languages: [String], assets: [String], services: [String]
    }
    private static let sitePathsMemo = LastValueMemo<SitePathsInput, Set<String>>()
}
