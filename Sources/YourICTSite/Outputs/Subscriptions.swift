import YourICTSupport
import YourICTFormats
import YourICTContent
import YourICTMonitoring

/// What readers subscribe to: per language, the site's Atom feed and maintenance
/// calendar, and every service's. Each language's entries and events are made once, on
/// first use, and shared by the site's files and the thousands of services'.
final class Subscriptions: Sendable {
    private let feed: AtomFeed
    private let calendar: MaintenanceCalendar
    private let content: ContentSet
    private let made: Lazy<[String: (feed: AtomFeed.Entries, calendar: MaintenanceCalendar.Events)]>

    init(content: ContentSet, status: StatusReport?, urls: URLBuilder, theme: Theme, calendar: ZonedCalendar) {
        let feed = AtomFeed(content: content, status: status, urls: urls, theme: theme, calendar: calendar)
        let maintenance = MaintenanceCalendar(content: content, status: status, urls: urls, theme: theme, calendar: calendar)
        self.feed = feed
        self.calendar = maintenance
        self.content = content
        made = Lazy {
            Dictionary(uniqueKeysWithValues: content.site.languages.map { lang in
                (lang, (feed.entries(lang: lang), maintenance.events(lang: lang)))
            })
        }
    }

    /// `/<lang>/feed.xml` and `/<lang>/maintenance.ics`.
    func siteFiles(lang: String) -> [OutputFile] {
        guard let made = made.value[lang] else { return [] }
        return [
            OutputFile(path: Route.feed.path(lang: lang), bytes: feed.document(lang: lang, entries: made.feed)),
            OutputFile(path: Route.calendar.path(lang: lang), bytes: calendar.document(lang: lang, events: made.calendar)),
        ]
    }

    /// A service's feed and calendar in every language.
    func serviceFiles(_ id: String) -> [OutputFile] {
        content.site.languages.flatMap { lang -> [OutputFile] in
            guard let made = made.value[lang] else { return [] }
            return [
                OutputFile(path: Route.serviceFeed(id).path(lang: lang), bytes: feed.document(service: id, lang: lang, entries: made.feed)),
                OutputFile(path: Route.serviceCalendar(id).path(lang: lang), bytes: calendar.document(service: id, lang: lang, events: made.calendar)),
            ]
        }
    }

    /// Every service's files, made on the calling thread, each handed to `emit`. A build
    /// makes them on a thread of its own beside the other machine outputs (see
    /// `SiteGenerator`): they are thousands of small files in the language folders,
    /// whose writing thread is idle by then.
    func allServiceFiles(emit: (OutputFile) -> OutputFile) -> [OutputFile] {
        content.orderedServiceIDs.flatMap { serviceFiles($0).map(emit) }
    }
}
