import YourICTFormats
import YourICTContent
import YourICTMarkdown
import YourICTMonitoring

/// For `serve`: a signature of everything each output is made from, so that an output
/// whose inputs did not change is reused instead of rendered. Signatures are
/// deliberately generous (a page depends on the whole site configuration and theme)
/// and are only compared within one process. A test checks that incremental
/// generations give the same bytes as generations from scratch.
struct OutputSignatures {
    /// What each service's outputs are made from, by service id.
    struct ServiceKeys: Sendable {
        /// Its files (path and stamp per language).
        var files: Int
        /// What lists show of it.
        var summary: Int
        /// Its figures and state.
        var status: Int
        /// Its sheets' fields but the body (what the JSON catalogue shows).
        var frontMatter: Int
    }

    /// What every output is made from (the theme, site.yaml, settings, the reference
    /// time, the pages' titles…), but the order of the services.
    private let global: Int
    /// `global` and the services' order: for what lists all services (the dashboard, the
    /// SLA overview, incident lists, the machine outputs). A title that moves a service in
    /// the order leaves the other services' pages as they are.
    private let globalOrdered: Int
    private let services: [String: ServiceKeys]
    private let incident: [String: Int]
    private let page: [String: Int]
    private let markdown: [DocumentKey: [String: MarkdownStage.Digest]]
    private let affecting: [String: [String]]
    /// Per service, the other services its page names: dependencies, dependants, replacement.
    private let related: [String: [String]]
    /// Per service, the services its entry in lists names: those through which it is
    /// affected now ("affected via X by Y": both) and its replacement.
    private let impacted: [String: [String]]
    /// Per incident, the services it affects: its card names them all.
    private let incidentServices: [String: [String]]
    /// The services the catalogue lists, in its order, and its facets: what a catalogue
    /// page shows besides the site's global inputs and the entries of its services.
    private let listedInOrder: [String]
    /// Each listed service's `summaryKey`, in that order, and its position there.
    private var listedKeys: [Int] = []
    private let listedPosition: [String: Int]
    private let facets: CatalogueFacets
    /// Every service's fields but the body.
    let servicesAll: Int
    let summariesAll: Int
    let statusAll: Int
    let incidentsAll: Int
    let pagesAll: Int
    /// The words and headings of every rendered body (what the search indexes hold of them).
    let markdownAll: Int

    init(content: ContentSet, theme: Theme, status report: StatusReport?, markdown rendered: MarkdownStage.Output,
         settings: BuildSettings, tree: SourceTree, staticFiles: [OutputFile], facets: CatalogueFacets) {
        @Sendable func stamps(_ paths: [String]) -> Int {
            var h = Hasher()
            for path in paths.sorted() {
                h.combine(path)
                h.combine(tree.stamp(path))
            }
            return h.finalize()
        }
        // Sums of per-entry hashes: independent of dictionary order without sorting keys.
        func combined(_ values: [String: Int]) -> Int {
            var sum = 0
            for (key, value) in values {
                var h = Hasher()
                h.combine(key); h.combine(value)
                sum &+= h.finalize()
            }
            return sum
        }
        // Per service, on all cores: its files, what lists show of it, its figures, its
        // languages, its front matter, the services its page names; and each key's hash
        // with the id, summed below into the site-wide values (sums do not depend on order).
        let ids = content.serviceIDs
        let d = content.site.defaultLanguage
        let statuses = report?.services
        struct PerService: Sendable {
            var keys: ServiceKeys
            var languages: Int
            var related: [String]
            var sums: (summary: Int, status: Int, frontMatter: Int)
        }
        let perService: [PerService] = ids.parallelMap { id in
            let byLang = content.services[id] ?? [:]
            let langs = byLang.keys.sorted()
            var h = Hasher()
            for lang in langs {
                h.combine(lang)
                h.combine(byLang[lang]!.derived(.listing) { s in
                    var h = Hasher()
                    h.combine(s.title); h.combine(s.summary); h.combine(s.category); h.combine(s.delivery)
                    h.combine(s.serviceLevel); h.combine(s.tags); h.combine(s.weight)
                    Self.combine(s.lifecycle, into: &h)
                    h.combine(s.dependsOn.map(\.text))
                    for c in s.components { h.combine(c.id); h.combine(c.name) }
                    return h.finalize()
                })
            }
            var st = Hasher()
            if let s = statuses?[id] {
                st.combine(s.target)
                Self.combine(s.overall.timeline, into: &st)
                Self.combine(s.overall, into: &st)
                st.combine(s.verdict.met)
                st.combine(s.figuresEnd?.millis)
                for impact in s.affectedThrough {
                    st.combine(impact.text); st.combine(impact.via); st.combine(impact.state.state.rawValue)
                }
                for c in s.components {
                    st.combine(c.id)
                    Self.combine(c.status, into: &st)
                    Self.combine(c.status.timeline, into: &st)
                }
            }
            var l = Hasher()
            l.combine(id); l.combine(langs)
            var f = Hasher()
            for lang in langs {
                f.combine(lang)
                f.combine(byLang[lang]!.derived(.frontMatter) { s in
                    var h = Hasher()
                    Self.combineFrontMatter(s, into: &h)
                    return h.finalize()
                })
            }
            let keys = ServiceKeys(files: stamps(langs.map { byLang[$0]!.path }), summary: h.finalize(), status: st.finalize(), frontMatter: f.finalize())
            var related: [String] = []
            if let sheet = byLang[d] {
                related = sheet.dependsOn.map(\.service) + (content.dependants[id] ?? []) + (sheet.lifecycle.replacedBy.map { [$0] } ?? [])
            }
            func entry(_ value: Int) -> Int {
                var h = Hasher()
                h.combine(id); h.combine(value)
                return h.finalize()
            }
            return PerService(keys: keys, languages: l.finalize(), related: related,
                              sums: (entry(keys.summary), entry(keys.status), entry(keys.frontMatter)))
        }
        var services: [String: ServiceKeys] = [:]
        services.reserveCapacity(ids.count)
        var related: [String: [String]] = [:]
        var sums = (summary: 0, status: 0, frontMatter: 0)
        for (id, v) in zip(ids, perService) {
            services[id] = v.keys
            if !v.related.isEmpty { related[id] = v.related }
            sums.summary &+= v.sums.summary; sums.status &+= v.sums.status; sums.frontMatter &+= v.sums.frontMatter
        }
        var incident: [String: Int] = [:]
        var affecting: [String: [String]] = [:]
        var incidentServices: [String: [String]] = [:]
        for (id, byLang) in content.incidents {
            incident[id] = stamps(byLang.values.map(\.path))
            for ref in byLang[content.site.defaultLanguage]?.affected ?? [] {
                affecting[ref.service, default: []].append(id)
                incidentServices[id, default: []].append(ref.service)
            }
        }
        self.incidentServices = incidentServices
        self.related = related
        var impacted: [String: [String]] = [:]
        for (id, s) in report?.services ?? [:] where !s.affectedThrough.isEmpty {
            impacted[id] = s.affectedThrough.flatMap { impact in
                [impact.service] + (impact.isDirect ? [] : [String(impact.via.prefix { $0 != "/" })])
            }
        }
        for id in ids {
            if let replacement = content.services[id]?[d]?.lifecycle.replacedBy { impacted[id, default: []].append(replacement) }
        }
        self.impacted = impacted
        // `listedServiceIDs` is in catalogue order.
        listedInOrder = content.listedServiceIDs
        listedPosition = Dictionary(uniqueKeysWithValues: listedInOrder.enumerated().map { ($1, $0) })
        self.facets = facets
        var page: [String: Int] = [:]
        for (slug, byLang) in content.pages { page[slug] = stamps(byLang.values.map(\.path)) }
        let markdown = rendered.digests
        var mdAll = 0
        for (key, byLang) in markdown {
            for (lang, value) in byLang {
                var h = Hasher()
                h.combine(key); h.combine(lang); h.combine(value.words)
                mdAll &+= h.finalize()
            }
        }

        var g = Hasher()
        g.combine(theme.fingerprint)
        g.combine(tree.stamp(SiteConfigLoader.path))
        g.combine(settings.baseURL); g.combine(settings.devHead); g.combine(settings.includeDrafts)
        g.combine(report?.referenceTime?.millis)
        g.combine(content.orderedPageSlugs); g.combine(content.incidents.keys.sorted())
        for v in perService { g.combine(v.languages) }
        for (slug, byLang) in content.pages.sorted(by: { $0.key < $1.key }) {
            g.combine(slug)
            for lang in byLang.keys.sorted() { g.combine(lang); g.combine(byLang[lang]!.title); g.combine(byLang[lang]!.summary) }
        }
        for file in staticFiles { g.combine(file.path) }
        global = g.finalize()
        var o = Hasher()
        o.combine(global); o.combine(content.orderedServiceIDs)
        globalOrdered = o.finalize()

        self.services = services
        self.incident = incident
        self.page = page
        self.markdown = markdown
        // Dictionary order changes from run to run; a signature must not.
        self.affecting = affecting.mapValues { $0.sorted() }
        servicesAll = sums.frontMatter
        summariesAll = sums.summary
        statusAll = sums.status
        incidentsAll = combined(incident)
        pagesAll = combined(page)
        markdownAll = mdAll
        // Once per generation, not once per catalogue page that lists the service.
        listedKeys = listedInOrder.parallelMap { [self] in summaryKey($0) }
    }

    private static func combineFrontMatter(_ s: ServiceSheet, into h: inout Hasher) {
        h.combine(s.title); h.combine(s.summary); h.combine(s.category); h.combine(s.delivery)
        h.combine(s.serviceLevel); h.combine(s.tags); h.combine(s.weight); h.combine(s.draft); h.combine(s.downWhen.rawValue)
        combine(s.lifecycle, into: &h)
        h.combine(s.dependsOn.map(\.text))
        h.combine(s.manager?.name); h.combine(s.manager?.email); h.combine(s.manager?.phone)
        h.combine(s.packs.count)
        for p in s.packs { h.combine(p.id); h.combine(p.name); h.combine(p.description); h.combine(p.includes); h.combine(p.serviceLevel) }
        h.combine(s.options.count)
        for o in s.options { h.combine(o.id); h.combine(o.name); h.combine(o.description) }
        h.combine(s.components.count)
        for c in s.components { h.combine(c.id); h.combine(c.name); h.combine(c.description); h.combine(c.monitor); h.combine(c.latency) }
    }

    private static func combine(_ lifecycle: Lifecycle, into h: inout Hasher) {
        h.combine(lifecycle.stage.rawValue); h.combine(lifecycle.since); h.combine(lifecycle.until); h.combine(lifecycle.replacedBy)
    }

    /// What a page shows of an entity besides its timeline: its state now and its source.
    private static func combine(_ entity: EntityStatus, into h: inout Hasher) {
        let c = entity.current
        h.combine(c.state.rawValue); h.combine(c.isLate); h.combine(c.lastData?.millis); h.combine(c.isDeclared); h.combine(c.isUnmonitored)
        h.combine(entity.source.rawValue)
        if let latency = entity.latency {
            for key in WindowKey.allCases { h.combine(latency.windows[key]) }
            h.combine(latency.days)
        }
    }

    private static func combine(_ timeline: Timeline, into h: inout Hasher) {
        h.combine(timeline.segments.count)
        for s in timeline.segments { h.combine(s.start); h.combine(s.end); h.combine(s.state.rawValue) }
    }

    /// The signature of a page: global inputs plus what this page shows.
    func signature(for job: SitePlan.PageJob) -> Int {
        var h = Hasher()
        h.combine(global)
        h.combine(job.path)
        h.combine(job.template)
        switch job.kind {
        case .service(let id), .sla(let id, _):
            h.combine(services[id]?.files); h.combine(services[id]?.status)
            // Each incident's card names every service it affects.
            for incidentID in affecting[id] ?? [] {
                h.combine(incident[incidentID])
                for other in incidentServices[incidentID] ?? [] { h.combine(other); h.combine(services[other]?.summary) }
            }
            h.combine(markdown[DocumentKey(.service, id)]?[job.lang])
            // It names the services it depends on, those depending on it and its replacement,
            // each with its state now.
            for other in (related[id] ?? []) + (impacted[id] ?? []) {
                h.combine(other); h.combine(services[other]?.summary); h.combine(services[other]?.status)
            }
        case .slaIndex, .slaOverview:
            h.combine(globalOrdered); h.combine(summariesAll); h.combine(statusAll); h.combine(incidentsAll)
        case .catalogue:
            combineCatalogue(members: nil, into: &h)
        case .catalogueFilter(let facet, let value):
            combineCatalogue(members: facets.members(facet, value, lang: job.lang) ?? [], into: &h)
        case .dashboard:
            h.combine(globalOrdered); h.combine(summariesAll); h.combine(statusAll); h.combine(incidentsAll)
        case .incidents:
            h.combine(globalOrdered); h.combine(incidentsAll); h.combine(summariesAll)
        case .incident(let id):
            h.combine(globalOrdered); h.combine(incident[id]); h.combine(summariesAll)
            h.combine(markdown[DocumentKey(.incident, id)]?[job.lang])
        case .page(let slug):
            h.combine(page[slug])
            h.combine(markdown[DocumentKey(.page, slug)]?[job.lang])
        case .notFound:
            break
        case .languages:
            // The language chooser shows the overall state.
            h.combine(statusAll)
        }
        return h.finalize()
    }

    /// A catalogue page (`members`: a filter's services) shows the entries of its
    /// services, in order, and the facets; not the other services: a title edit remakes
    /// the pages that list the service, not every filter page.
    private func combineCatalogue(members: Set<String>?, into h: inout Hasher) {
        h.combine(statusAll)
        h.combine(facets.fingerprint)
        guard let members else {
            for key in listedKeys { h.combine(key) }
            return
        }
        // In the catalogue's order; a member the catalogue does not list is not shown.
        for position in members.compactMap({ listedPosition[$0] }).sorted() { h.combine(listedKeys[position]) }
    }

    /// Keys of the entries of the search index and the JSON catalogue, cached one by one.
    func searchEntryKey(_ doc: DocumentKey, lang: String) -> Int {
        var h = Hasher()
        h.combine(global); h.combine("search"); h.combine(doc); h.combine(lang)
        h.combine(markdown[doc]?[lang]?.words)
        switch doc.kind {
        // Packs, options and components are indexed too: all of the front matter.
        case .service: h.combine(services[doc.id]?.frontMatter)
        case .page: h.combine(page[doc.id])
        case .incident: h.combine(incident[doc.id])
        }
        return h.finalize()
    }

    /// What a service's entry in lists (catalogue, dashboard) is made from.
    func summaryKey(_ id: String) -> Int {
        // "Affected through …" names the dependencies in trouble.
        entryKey("summary", id, services[id]?.summary, services[id]?.status, others: impacted[id] ?? [], \.summary)
    }

    /// What the files of each of `ids` (badges, feeds, calendars) are made from: its
    /// listing, with `state` its figures and state; with `incidents`, the incidents, and
    /// when one affects any of `ids` every service's listing too (an entry names all the
    /// services it affects). So a title edit remakes the files of one part, not all.
    func servicesKey(_ ids: ArraySlice<String>, state: Bool, incidents: Bool) -> Int {
        var h = Hasher()
        for id in ids {
            h.combine(id); h.combine(services[id]?.summary)
            if state { h.combine(services[id]?.status) }
        }
        if incidents {
            h.combine(incidentsAll)
            if ids.contains(where: { affecting[$0] != nil }) { h.combine(summariesAll) }
        }
        return h.finalize()
    }

    /// What a service's entry in `/api/services.json` is made from: its front matter as
    /// lists show it, its figures and state, and those of the dependencies that affect
    /// it (the site's levels and URLs are global).
    func servicesEntryKey(_ id: String) -> Int {
        // `affected_through` gives the state of the dependencies in trouble.
        entryKey("services", id, services[id]?.summary, services[id]?.status, others: impacted[id] ?? [], \.status)
    }

    /// What a service's Statuspage components are made from besides their position:
    /// its front matter (title, summary, components and their descriptions) and its
    /// states now.
    func statuspageEntryKey(_ id: String) -> Int {
        entryKey("statuspage", id, services[id]?.frontMatter, services[id]?.status)
    }

    func catalogueEntryKey(_ id: String) -> Int {
        entryKey("catalogue", id, services[id]?.frontMatter)
    }

    /// The key of a service's entry in the document `name`: the global inputs, the
    /// service's `parts`, and for each of `others` its value in `table`.
    private func entryKey(_ name: String, _ id: String, _ parts: Int?..., others: [String] = [],
                          _ key: KeyPath<ServiceKeys, Int> = \.summary) -> Int {
        var h = Hasher()
        h.combine(global); h.combine(name); h.combine(id)
        for part in parts { h.combine(part) }
        for other in others { h.combine(other); h.combine(services[other]?[keyPath: key]) }
        return h.finalize()
    }

    /// The signature of a group of machine outputs.
    /// The signature of a group whose files do not depend on the services' order.
    func unorderedSignature(_ name: String) -> Int {
        var h = Hasher()
        h.combine(global)
        h.combine(name)
        return h.finalize()
    }

    func signature(_ name: String, _ parts: Int...) -> Int {
        var h = Hasher()
        h.combine(globalOrdered)
        h.combine(name)
        for p in parts { h.combine(p) }
        return h.finalize()
    }
}
