import YourICTFormats
import YourICTContent
import YourICTMarkdown

/// Builds an entry of a large JSON document (the closure), or returns a cached one;
/// the `Int?` is the nesting level the entry is written at (nil: compact), which the
/// closure is given to serialise the entry at.
package typealias EntryBuilder = @Sendable (DocumentKey, Int?, (Int?) -> [UInt8]) -> JSONValue

/// `/search/index.<lang>.json`: what the search looks through. Each entry shows its
/// title, summary and URL, and holds its words in four fields, in the order they rank:
/// the title; the tags, category, level and delivery model; the headings and the names of
/// packs, options and components; then the rest (summary, body, descriptions, what packs
/// include). Words are folded (`SearchText`) and each is kept once per entry, in the
/// first field that has it: a body's text costs its distinct words, not its length.
enum SearchIndex {
    /// `entry` builds an entry, or takes it from a cache (`serve`).
    package static func document(content: ContentSet, markdown: MarkdownStage.Output, urls: URLBuilder, lang: String, parallel: Bool = false,
                         entry: EntryBuilder = { _, indent, build in .raw(build(indent)) }) -> JSONValue {
        let site = content.site
        let d = site.defaultLanguage
        @Sendable func addBody(_ words: inout SearchWords, _ key: DocumentKey) {
            guard let rendered = markdown.rendered(key, lang) else { return }
            for heading in rendered.headings where heading.level <= 3 { words.add(heading.text, to: .headings) }
            for word in rendered.words.split(separator: " ") { words.addFolded(String(word), to: .body) }
        }
        @Sendable func write(_ w: inout JSONWriter, _ words: SearchWords) {
            w.key("words")
            w.array { w in for field in words.joined { w.string(field) } }
        }
        var entries: [JSONValue] = content.listedServiceIDs.mapEntries(parallel: parallel) { id -> JSONValue? in
            guard let sheet = content.service(id, in: lang) else { return nil }
            let key = DocumentKey(.service, id)
            return entry(key, nil) { indent in
                var words = SearchWords()
                words.add(sheet.title, to: .title)
                for tag in sheet.tags { words.add(tag, to: .tags) }
                words.add(site.category(sheet.category)?.name.resolve(lang, fallback: d) ?? sheet.category, to: .tags)
                words.add(site.serviceLevel(sheet.serviceLevel)?.name.resolve(lang, fallback: d) ?? sheet.serviceLevel, to: .tags)
                words.add(sheet.delivery, to: .tags)
                for pack in sheet.packs { words.add(pack.name, to: .headings) }
                for option in sheet.options { words.add(option.name, to: .headings) }
                for component in sheet.components { words.add(component.name, to: .headings) }
                addBody(&words, key)
                words.add(sheet.summary, to: .body)
                for pack in sheet.packs {
                    words.add(pack.description ?? "", to: .body)
                    for item in pack.includes { words.add(item, to: .body) }
                }
                for option in sheet.options { words.add(option.description ?? "", to: .body) }
                for component in sheet.components { words.add(component.description ?? "", to: .body) }
                var w = JSONWriter(indent: indent)
                w.object { w in
                    w.key("kind"); w.string("service")
                    if sheet.lang(of: .title) != lang { w.key("lang"); w.string(sheet.lang(of: .title)) }
                    w.key("title"); w.string(sheet.title)
                    w.key("summary"); w.string(sheet.summary)
                    // A translation may give the title and lend the summary, or the reverse.
                    if sheet.lang(of: .summary) != sheet.lang(of: .title) { w.key("summary_lang"); w.string(sheet.lang(of: .summary)) }
                    w.key("url"); w.string(urls.url(.service(id), lang: lang))
                    write(&w, words)
                }
                return w.finished
            }
        }
        for slug in content.orderedPageSlugs {
            guard let page = content.page(slug, in: lang) else { continue }
            let key = DocumentKey(.page, slug)
            entries.append(entry(key, nil) { indent in
                var words = SearchWords()
                words.add(page.title, to: .title)
                addBody(&words, key)
                words.add(page.summary ?? "", to: .body)
                var w = JSONWriter(indent: indent)
                w.object { w in
                    w.key("kind"); w.string("page")
                    if page.lang != lang { w.key("lang"); w.string(page.lang) }
                    w.key("title"); w.string(page.title)
                    w.key("summary"); w.string(page.summary)
                    w.key("url"); w.string(urls.url(.page(slug), lang: lang))
                    write(&w, words)
                }
                return w.finished
            })
        }
        return .object([("lang", .string(lang)), ("entries", .array(entries))])
    }
}
