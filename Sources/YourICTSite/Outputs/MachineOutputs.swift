import YourICTSupport
import YourICTFormats
import YourICTContent
import YourICTMarkdown
import YourICTMonitoring

/// The site's machine-readable outputs: feeds, APIs, search indexes and badges. Each is
/// independent of the others, so they are produced in parallel; with a generation
/// cache (`serve`), a group whose inputs did not change is reused.
enum MachineOutputs {
    struct Group {
        var name: String
        var signature: Int
        /// Makes the group's files, handing each to `emit` as soon as it is made.
        var produce: @Sendable (_ emit: (OutputFile) -> OutputFile) -> [OutputFile]
        /// Makes its entries on all cores (in a build): run on its own, not beside the others.
        var large: Bool

        init(name: String, signature: Int, large: Bool = false, each: @escaping @Sendable (_ emit: (OutputFile) -> OutputFile) -> [OutputFile]) {
            self.name = name
            self.signature = signature
            self.large = large
            self.produce = each
        }

        /// A group whose files are made together (one document or two).
        init(name: String, signature: Int, large: Bool = false, files: @escaping @Sendable () -> [OutputFile]) {
            self.init(name: name, signature: signature, large: large) { emit in files().map(emit) }
        }
    }

    /// `includeServiceSubscriptions`: every service's feed and calendar too (a build
    /// makes them on a thread of its own: `Subscriptions.allServiceFiles`).
    static func files(content: ContentSet, status: StatusReport?, urls: URLBuilder, theme: Theme, calendar: ZonedCalendar, subscriptions: Subscriptions,
                      markdown: MarkdownStage.Output, reuse: Reuse, includeBadges: Bool = true, includeServiceSubscriptions: Bool = true,
                      emit: @Sendable (OutputFile) -> OutputFile = { $0 }) -> [OutputFile] {
        // A build makes each large document on all cores, one after the other: run side by
        // side, each one's entries on one core, the longest kept a core busy alone at the
        // end. (`serve` reuses most of them: it runs the groups side by side.)
        let cache = reuse.cache
        let parallel = cache == nil
        let s = reuse.signatures
        var statuspageAPI = StatuspageAPI(content: content, status: status, urls: urls, theme: theme, parallel: parallel)
        if let cache, let s {
            // The components in runs of services, each cached whole when serving (a title
            // edit changes one run, not the other thousands of components). A run's key is
            // its services' (which include how many components each has) and its position.
            statuspageAPI.componentParts = { ids, position, count, build in
                var h = Hasher()
                h.combine(position)
                for id in ids { h.combine(s.statuspageEntryKey(id)) }
                let base = h.finalize()
                let keys = (0..<count).map { i -> Int in
                    var h = Hasher()
                    h.combine(base); h.combine(i)
                    return h.finalize()
                }
                return cache.fragments(keys, make: build)
            }
        }
        let statuspage = statuspageAPI
        func sig(_ name: String, ordered: Bool = true, _ parts: Int...) -> Int {
            guard let s else { return 0 }
            var h = Hasher()
            h.combine(ordered ? s.signature(name) : s.unorderedSignature(name))
            for p in parts { h.combine(p) }
            return h.finalize()
        }
        // Entries of the big documents, cached one by one when serving; always serialised
        // as soon as they are made, so that thousands of entry trees never exist at once.
        @Sendable func cached(_ name: String, _ key: @escaping @Sendable (DocumentKey) -> Int) -> EntryBuilder {
            guard let cache, s != nil else { return { _, indent, build in .raw(build(indent)) } }
            return { doc, indent, build in
                var h = Hasher()
                h.combine(name)
                h.combine(key(doc))
                return .raw(cache.fragments([h.finalize()]) { [build(indent)] }[0])
            }
        }
        // The big documents are kept in pieces, their entries' bytes as made (or as cached
        // by `serve`): a build writes them one after the other, `serve` sends them so;
        // neither copies the whole.
        @Sendable func file(_ path: String, _ document: JSONValue, pretty: Bool = true) -> OutputFile {
            OutputFile(path: path, chunks: document.serializedChunks(pretty: pretty))
        }
        let all = (s?.servicesAll ?? 0, s?.statusAll ?? 0, s?.incidentsAll ?? 0, s?.summariesAll ?? 0, s?.pagesAll ?? 0, s?.markdownAll ?? 0)
        // The groups start in this order, each on the first free core: the longest
        // first, so that the short ones fill the other core rather than leave it idle
        // at the end.
        var groups: [Group] = [
            Group(name: "catalogue", signature: sig("catalogue", all.0), large: parallel) {
                let entry = cached("catalogue") { s?.catalogueEntryKey($0.id) ?? 0 }
                return [file("api/catalogue.json", CatalogueAPI.document(content: content, urls: urls, theme: theme, parallel: parallel, entry: entry))]
            },
            Group(name: "services", signature: sig("services", all.3, all.1), large: parallel) {
                let entry = cached("services") { s?.servicesEntryKey($0.id) ?? 0 }
                return [file("api/services.json", ServicesAPI.document(content: content, status: status, urls: urls, parallel: parallel, entry: entry))]
            },
            // Component descriptions are front matter (`all.0`); a body edit changes none of it.
            Group(name: "statuspage", signature: sig("statuspage", all.0, all.3, all.1, all.2), large: parallel) {
                statuspage.documents().map { file($0.path, $0.document) }
            },
        ]
        groups.append(Group(name: "sla", signature: sig("sla", all.3, all.1, all.2)) {
            SLAOverviewAPI.files(content: content, status: status, urls: urls, calendar: calendar)
        })
        for lang in content.site.languages {
            groups.append(Group(name: "search-\(lang)", signature: sig("search-\(lang)", all.0, all.4, all.5), large: parallel) {
                let entry = cached("search-\(lang)") { s?.searchEntryKey($0, lang: lang) ?? 0 }
                return [file("search/index.\(lang).json",
                             SearchIndex.document(content: content, markdown: markdown, urls: urls, lang: lang, parallel: parallel, entry: entry),
                             pretty: false)]
            })
            groups.append(Group(name: "subscriptions-\(lang)", signature: sig("subscriptions-\(lang)", all.3, all.2)) {
                subscriptions.siteFiles(lang: lang)
            })
        }
        // Each service's feed and calendar, in parts, as the badges below. Parts of the
        // services by id: a title that moves a service in the catalogue's order leaves
        // them as they are (none of these files depends on that order).
        let ids = content.serviceIDs
        // When serving, small parts: an edit remakes the part of the service it changed.
        let partCount = cache == nil ? 8 : 32
        let serviceParts = includeServiceSubscriptions ? partCount : 0
        for part in 0..<serviceParts {
            let range = (ids.count * part / serviceParts)..<(ids.count * (part + 1) / serviceParts)
            let key = s?.servicesKey(ids[range], state: false, incidents: true) ?? 0
            groups.append(Group(name: "service-subscriptions-\(part)", signature: sig("service-subscriptions-\(part)", ordered: false, key, range.lowerBound, range.upperBound)) { emit in
                ids[range].flatMap { subscriptions.serviceFiles($0).map(emit) }
            })
        }
        // Two files per service: in parts, so that both cores make them; last, as the
        // small parts fill in. (A build makes them with `badges` below, earlier.)
        let badges = Badges(content: content, status: status)
        let parts = includeBadges ? partCount : 0
        for part in 0..<parts {
            let range = (ids.count * part / parts)..<(ids.count * (part + 1) / parts)
            let key = s?.servicesKey(ids[range], state: true, incidents: false) ?? 0
            groups.append(Group(name: "badges-\(part)", signature: sig("badges-\(part)", ordered: false, key, range.lowerBound, range.upperBound)) { emit in
                ids[range].flatMap { badges.files(for: $0).map(emit) }
            })
        }
        let large = groups.filter(\.large).map { $0.produce(emit) }
        // One group at a time to the next free core: the costly ones (the large documents
        // in `serve`, which come first) would otherwise share one core's chunk.
        return large.flatMap { $0 } + groups.filter { !$0.large }.parallelMapEach { group -> [OutputFile] in
            guard reuse.isOn else { return group.produce(emit) }
            // `serve` keeps each group whole, to reuse it while its signature holds.
            return reuse.group(group.name, signature: s == nil ? nil : group.signature) { group.produce { $0 } }.map(emit)
        }.flatMap { $0 }
    }

    /// Every service's two badges, made on the calling thread, each handed to `emit`.
    /// A build makes them while the pages render (see `SiteGenerator`): they are ten
    /// thousand small files in one folder, which the kernel creates one at a time, and
    /// made last they kept one core idle for a third of a second.
    static func badges(content: ContentSet, status: StatusReport?, emit: (OutputFile) -> OutputFile) -> [OutputFile] {
        let badges = Badges(content: content, status: status)
        return content.orderedServiceIDs.flatMap { badges.files(for: $0).map(emit) }
    }
}
