/// `/search/index.<lang>.json`: what the search box looks through, kept small
/// (titles, summaries, categories, tags, headings; no bodies).
enum SearchIndex {
    static func document(content: ContentSet, markdown: MarkdownStage.Output, urls: URLBuilder, lang: String) -> JSONValue {
        let site = content.site
        let d = site.defaultLanguage
        var entries: [JSONValue] = []
        for id in content.orderedServiceIDs {
            guard let sheet = content.service(id, in: lang) else { continue }
            let headings = markdown.rendered(DocumentKey(.service, id), lang)?.headings.filter { $0.level <= 3 }.map(\.text) ?? []
            entries.append(.object([
                ("kind", .string("service")),
                ("title", .string(sheet.title)),
                ("summary", .string(sheet.summary)),
                ("url", .string(urls.url(.service(id), lang: lang))),
                ("category", .string(site.category(sheet.category)?.name.resolve(lang, fallback: d) ?? sheet.category)),
                ("delivery", .string(sheet.delivery.rawValue)),
                ("level", .string(site.serviceLevel(sheet.serviceLevel)?.name.resolve(lang, fallback: d) ?? sheet.serviceLevel)),
                ("tags", .array(sheet.tags.map { .string($0) })),
                ("headings", .array(headings.map { .string($0) })),
            ]))
        }
        for slug in content.orderedPageSlugs {
            guard let page = content.page(slug, in: lang) else { continue }
            let headings = markdown.rendered(DocumentKey(.page, slug), lang)?.headings.filter { $0.level <= 3 }.map(\.text) ?? []
            entries.append(.object([
                ("kind", .string("page")),
                ("title", .string(page.title)),
                ("summary", .optional(page.summary)),
                ("url", .string(urls.url(.page(slug), lang: lang))),
                ("headings", .array(headings.map { .string($0) })),
            ]))
        }
        return .object([("lang", .string(lang)), ("entries", .array(entries))])
    }
}
