import YourICTFormats
import YourICTContent
import YourICTMarkdown

/// Builds an entry of a large JSON document (the closure), or returns a cached one;
/// the `Int?` is the nesting level the entry is written at (nil: compact), which the
/// closure is given to serialise the entry at.
typealias EntryBuilder = @Sendable (DocumentKey, Int?, (Int?) -> [UInt8]) -> JSONValue

/// `/search/index.<lang>.json`: what the search box looks through, kept small
/// (titles, summaries, categories, tags, headings; no bodies).
enum SearchIndex {
    /// `entry` builds an entry, or takes it from a cache (`serve`).
    package static func document(content: ContentSet, markdown: MarkdownStage.Output, urls: URLBuilder, lang: String, parallel: Bool = false,
                         entry: EntryBuilder = { _, indent, build in .raw(build(indent)) }) -> JSONValue {
        let site = content.site
        let d = site.defaultLanguage
        @Sendable func headings(_ w: inout JSONWriter, _ key: DocumentKey) {
            w.key("headings")
            w.array { w in
                for heading in markdown.rendered(key, lang)?.headings ?? [] where heading.level <= 3 { w.string(heading.text) }
            }
        }
        var entries: [JSONValue] = content.listedServiceIDs.mapEntries(parallel: parallel) { id -> JSONValue? in
            guard let sheet = content.service(id, in: lang) else { return nil }
            let key = DocumentKey(.service, id)
            return entry(key, nil) { indent in
                var w = JSONWriter(indent: indent)
                w.object { w in
                    w.key("kind"); w.string("service")
                    w.key("title"); w.string(sheet.title)
                    w.key("summary"); w.string(sheet.summary)
                    w.key("url"); w.string(urls.url(.service(id), lang: lang))
                    w.key("category"); w.string(site.category(sheet.category)?.name.resolve(lang, fallback: d) ?? sheet.category)
                    w.key("delivery"); w.string(sheet.delivery)
                    w.key("level"); w.string(site.serviceLevel(sheet.serviceLevel)?.name.resolve(lang, fallback: d) ?? sheet.serviceLevel)
                    w.key("tags"); w.array { w in for tag in sheet.tags { w.string(tag) } }
                    headings(&w, key)
                }
                return w.finished
            }
        }
        for slug in content.orderedPageSlugs {
            guard let page = content.page(slug, in: lang) else { continue }
            let key = DocumentKey(.page, slug)
            entries.append(entry(key, nil) { indent in
                var w = JSONWriter(indent: indent)
                w.object { w in
                    w.key("kind"); w.string("page")
                    w.key("title"); w.string(page.title)
                    w.key("summary"); w.string(page.summary)
                    w.key("url"); w.string(urls.url(.page(slug), lang: lang))
                    headings(&w, key)
                }
                return w.finished
            })
        }
        return .object([("lang", .string(lang)), ("entries", .array(entries))])
    }
}
