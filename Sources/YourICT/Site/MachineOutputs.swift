/// The site's machine-readable outputs: feeds, APIs and badges.
enum MachineOutputs {
    static func files(content: ContentSet, status: StatusReport?, urls: URLBuilder, theme: Theme, calendar: ZonedCalendar,
                      markdown: MarkdownStage.Output) -> [OutputFile] {
        let statuspage = StatuspageAPI(content: content, status: status, urls: urls, theme: theme)
        let feed = AtomFeed(content: content, status: status, urls: urls, theme: theme, calendar: calendar)
        var files = [
            OutputFile(path: "api/services.json", text: ServicesAPI.document(content: content, status: status, urls: urls).serialized()),
            OutputFile(path: "api/v2/summary.json", text: statuspage.summary().serialized()),
            OutputFile(path: "api/v2/status.json", text: statuspage.statusDocument().serialized()),
            OutputFile(path: "api/catalogue.json", text: CatalogueAPI.document(content: content, urls: urls).serialized()),
        ]
        files += content.site.languages.map { lang in
            OutputFile(path: "search/index.\(lang).json",
                       text: SearchIndex.document(content: content, markdown: markdown, urls: urls, lang: lang).serialized(pretty: false))
        }
        files += content.site.languages.map { OutputFile(path: Route.feed.path(lang: $0), text: feed.document(lang: $0)) }
        files += Badges(content: content, status: status).files()
        return files
    }
}
