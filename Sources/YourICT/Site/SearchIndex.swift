/// Builds an entry of a large JSON document (the closure), or returns a cached one;
/// the `Int?` is the nesting level the entry is written at (nil: compact).
typealias EntryBuilder = (DocumentKey, Int?, () -> JSONValue) -> JSONValue

/// `/search/index.<lang>.json`: what the search box looks through, kept small
/// (titles, summaries, categories, tags, headings; no bodies).
enum SearchIndex {
    /// `entry` builds an entry, or takes it from a cache (`serve`).
    static func document(content: ContentSet, markdown: MarkdownStage.Output, urls: URLBuilder, lang: String,
                         entry: EntryBuilder = { _, _, build in build() }) -> JSONValue {
        let site = content.site
        let d = site.defaultLanguage
        func headings(_ key: DocumentKey) -> JSONValue {
            .array((markdown.rendered(key, lang)?.headings ?? []).filter { $0.level <= 3 }.map { .string($0.text) })
        }
        var entries: [JSONValue] = []
        for id in content.orderedServiceIDs {
            guard let sheet = content.service(id, in: lang) else { continue }
            let key = DocumentKey(.service, id)
            entries.append(entry(key, nil) {
                .object([
                    ("kind", .string("service")),
                    ("title", .string(sheet.title)),
                    ("summary", .string(sheet.summary)),
                    ("url", .string(urls.url(.service(id), lang: lang))),
                    ("category", .string(site.category(sheet.category)?.name.resolve(lang, fallback: d) ?? sheet.category)),
                    ("delivery", .string(sheet.delivery.rawValue)),
                    ("level", .string(site.serviceLevel(sheet.serviceLevel)?.name.resolve(lang, fallback: d) ?? sheet.serviceLevel)),
                    ("tags", .array(sheet.tags.map { .string($0) })),
                    ("headings", headings(key)),
                ])
            })
        }
        for slug in content.orderedPageSlugs {
            guard let page = content.page(slug, in: lang) else { continue }
            let key = DocumentKey(.page, slug)
            entries.append(entry(key, nil) {
                .object([
                    ("kind", .string("page")),
                    ("title", .string(page.title)),
                    ("summary", .optional(page.summary)),
                    ("url", .string(urls.url(.page(slug), lang: lang))),
                    ("headings", headings(key)),
                ])
            })
        }
        return .object([("lang", .string(lang)), ("entries", .array(entries))])
    }
}
