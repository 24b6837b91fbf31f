/// The site's machine-readable outputs: feeds, APIs, search indexes and badges. Each is
/// independent of the others, so they are produced in parallel; with a generation
/// cache (`serve`), a group whose inputs did not change is reused.
enum MachineOutputs {
    struct Group {
        var name: String
        var signature: Int
        var produce: @Sendable () -> [OutputFile]
    }

    static func files(content: ContentSet, status: StatusReport?, urls: URLBuilder, theme: Theme, calendar: ZonedCalendar,
                      markdown: MarkdownStage.Output, signatures: OutputSignatures?, cache: GenerationCache?) -> [OutputFile] {
        let statuspage = StatuspageAPI(content: content, status: status, urls: urls, theme: theme)
        let feed = AtomFeed(content: content, status: status, urls: urls, theme: theme, calendar: calendar)
        let s = signatures
        func sig(_ name: String, _ parts: Int...) -> Int {
            guard let s else { return 0 }
            var h = Hasher()
            h.combine(s.signature(name))
            for p in parts { h.combine(p) }
            return h.finalize()
        }
        // Entries of the big documents, cached one by one when serving.
        @Sendable func cached(_ name: String, _ key: @escaping (DocumentKey) -> Int) -> EntryBuilder {
            guard let cache, signatures != nil else { return { _, _, build in build() } }
            return { doc, indent, build in
                var h = Hasher()
                h.combine(name)
                h.combine(key(doc))
                let k = h.finalize()
                if let bytes = cache.fragment(k) { return .raw(bytes) }
                let bytes = build().fragment(indent: indent)
                cache.store(fragment: bytes, key: k)
                return .raw(bytes)
            }
        }
        let all = (s?.servicesAll ?? 0, s?.statusAll ?? 0, s?.incidentsAll ?? 0, s?.summariesAll ?? 0, s?.pagesAll ?? 0, s?.markdownAll ?? 0)
        var groups: [Group] = [
            Group(name: "services", signature: sig("services", all.3, all.1)) {
                [OutputFile(path: "api/services.json", bytes: ServicesAPI.document(content: content, status: status, urls: urls).serializedBytes())]
            },
            Group(name: "statuspage", signature: sig("statuspage", all.3, all.1, all.2)) {
                [OutputFile(path: "api/v2/summary.json", bytes: statuspage.summary().serializedBytes()),
                 OutputFile(path: "api/v2/status.json", bytes: statuspage.statusDocument().serializedBytes())]
            },
            Group(name: "catalogue", signature: sig("catalogue", all.0)) {
                let entry = cached("catalogue") { s?.catalogueEntryKey($0.id) ?? 0 }
                return [OutputFile(path: "api/catalogue.json", bytes: CatalogueAPI.document(content: content, urls: urls, entry: entry).serializedBytes())]
            },
            Group(name: "badges", signature: sig("badges", all.1, all.3)) { Badges(content: content, status: status).files() },
        ]
        for lang in content.site.languages {
            groups.append(Group(name: "feed-\(lang)", signature: sig("feed-\(lang)", all.3, all.2)) {
                [OutputFile(path: Route.feed.path(lang: lang), text: feed.document(lang: lang))]
            })
            groups.append(Group(name: "search-\(lang)", signature: sig("search-\(lang)", all.3, all.4, all.5)) {
                let entry = cached("search-\(lang)") { s?.searchEntryKey($0, lang: lang) ?? 0 }
                return [OutputFile(path: "search/index.\(lang).json",
                                   bytes: SearchIndex.document(content: content, markdown: markdown, urls: urls, lang: lang, entry: entry).serializedBytes(pretty: false))]
            })
        }
        return groups.parallelMap { group -> [OutputFile] in
            if let cache, signatures != nil, let files = cache.group(group.name, signature: group.signature) { return files }
            let files = group.produce()
            cache?.store(group: files, name: group.name, signature: group.signature)
            return files
        }.flatMap { $0 }
    }
}
