/// The site's machine-readable outputs: feeds, APIs, search indexes and badges. Each is
/// independent of the others, so they are produced in parallel.
enum MachineOutputs {
    static func files(content: ContentSet, status: StatusReport?, urls: URLBuilder, theme: Theme, calendar: ZonedCalendar,
                      markdown: MarkdownStage.Output) -> [OutputFile] {
        let statuspage = StatuspageAPI(content: content, status: status, urls: urls, theme: theme)
        let feed = AtomFeed(content: content, status: status, urls: urls, theme: theme, calendar: calendar)
        var jobs: [@Sendable () -> [OutputFile]] = [
            { [OutputFile(path: "api/services.json", text: ServicesAPI.document(content: content, status: status, urls: urls).serialized())] },
            { [OutputFile(path: "api/v2/summary.json", text: statuspage.summary().serialized())] },
            { [OutputFile(path: "api/v2/status.json", text: statuspage.statusDocument().serialized())] },
            { [OutputFile(path: "api/catalogue.json", text: CatalogueAPI.document(content: content, urls: urls).serialized())] },
            { Badges(content: content, status: status).files() },
        ]
        for lang in content.site.languages {
            jobs.append { [OutputFile(path: Route.feed.path(lang: lang), text: feed.document(lang: lang))] }
            jobs.append {
                [OutputFile(path: "search/index.\(lang).json",
                            text: SearchIndex.document(content: content, markdown: markdown, urls: urls, lang: lang).serialized(pretty: false))]
            }
        }
        return jobs.parallelMap { $0() }.flatMap { $0 }
    }
}
