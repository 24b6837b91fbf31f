import YourICTSupport
import YourICTFormats
import YourICTContent
import YourICTMonitoring

/// `/<lang>/feed.xml` and `/<lang>/services/<id>/feed.xml`: incidents and maintenance as
/// Atom feeds (RFC 4287), of the whole site and of each service.
struct AtomFeed {
    let content: ContentSet
    let status: StatusReport?
    let urls: URLBuilder
    let theme: Theme
    let calendar: ZonedCalendar

    /// A language's entries, made once for the site's feed and every service's.
    struct Entries: Sendable {
        struct Entry: Sendable {
            var incident: Incident
            var published: Timestamp
            /// Its last change by the reference time (the entry's `<updated>`).
            var updated: Timestamp
            /// The `<entry>` element, as written.
            var xml: [UInt8]
        }

        /// Newest first, by publication.
        var entries: [Entry]
        /// Per service, the indices of the entries of events affecting it (or one of its components).
        var byService: [String: [Int]]
    }

    func entries(lang: String) -> Entries {
        // An event is in the feed once something about it was published by the reference
        // time: its first update, or its start.
        let announced: [(Incident, Timestamp)] = content.incidents.keys.compactMap { id in
            // An incident that starts after the reference time is not news yet, as on the pages.
            guard let incident = content.incident(id, in: lang), incident.start != nil, let published = published(incident),
                  reference.map({ published <= $0 }) ?? true, incident.phase(at: reference) != .notStarted else { return nil }
            return (incident, published)
        }.sorted { ($0.1.millis, $0.0.id) > ($1.1.millis, $1.0.id) }
        var byService: [String: [Int]] = [:]
        let entries = announced.enumerated().map { index, item -> Entries.Entry in
            let (incident, published) = item
            var services: [String] = []
            for ref in incident.affected where !services.contains(ref.service) { services.append(ref.service) }
            for service in services { byService[service, default: []].append(index) }
            let updated = lastChange(incident, published: published)
            return .init(incident: incident, published: published, updated: updated, xml: entryXML(incident, published: published, updated: updated, lang: lang))
        }
        return Entries(entries: entries, byService: byService)
    }

    /// The site's feed.
    func document(lang: String, entries: Entries) -> [UInt8] {
        let title = "\(siteTitle(lang)) — \(theme.i18n.string("incidents_title", lang))"
        return document(lang: lang, id: atomID(urls.absolute(.feed, lang: lang), fallback: "\(lang):feed"), title: title,
                        selfURL: urls.absolute(.feed, lang: lang), alternate: urls.absolute(.incidents, lang: lang),
                        entries: entries.entries[...])
    }

    /// A service's feed: the entries of the events that affect it.
    func document(service id: String, lang: String, entries: Entries) -> [UInt8] {
        let serviceTitle = content.service(id, in: lang)?.title ?? id
        let title = "\(siteTitle(lang)) — \(serviceTitle) — \(theme.i18n.string("incidents_title", lang))"
        let own = (entries.byService[id] ?? []).map { entries.entries[$0] }
        return document(lang: lang, id: atomID(urls.absolute(.serviceFeed(id), lang: lang), fallback: "\(lang):service:\(id):feed"), title: title,
                        selfURL: urls.absolute(.serviceFeed(id), lang: lang), alternate: urls.absolute(.service(id), lang: lang),
                        entries: own[...])
    }

    private func document(lang: String, id: String, title: String, selfURL: String, alternate: String,
                          entries: ArraySlice<Entries.Entry>) -> [UInt8] {
        let d = content.site.defaultLanguage
        // The feed is as new as its newest entry; never later than the reference time.
        let updated = entries.map(\.updated).max() ?? reference ?? Timestamp(millis: 0)
        var xml = Array("""
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="\(lang)">
          <id>\(XML.escape(id))</id>
          <title>\(XML.escape(title))</title>
          <updated>\(updated.iso8601UTC)</updated>
          <link rel="self" type="application/atom+xml" href="\(XML.escape(selfURL))"/>
          <link rel="alternate" type="text/html" href="\(XML.escape(alternate))"/>
          <author><name>\(XML.escape(content.site.organisation.name.resolve(lang, fallback: d)))</name></author>
          <generator uri="https://github.com/yourict/yourict" version="\(YourICTVersion.current)">yourict</generator>

        """.utf8)
        xml.reserveCapacity(xml.count + entries.reduce(16) { $0 + $1.xml.count })
        for entry in entries { xml.append(contentsOf: entry.xml) }
        xml.append(contentsOf: "</feed>\n".utf8)
        return xml
    }

    private func siteTitle(_ lang: String) -> String { content.site.title.resolve(lang, fallback: content.site.defaultLanguage) }

    private func entryXML(_ incident: Incident, published: Timestamp, updated: Timestamp, lang: String) -> [UInt8] {
        let url = urls.absolute(.incident(incident.id), lang: lang)
        let kind = theme.i18n.string(incident.kind == .maintenance ? "kind_maintenance" : "kind_incident", lang)
        // An entry not translated into the feed's language says which parts are in another
        // one: its title (`xml:lang`), and in its content the texts (`lang`); the labels
        // around them are in the feed's language.
        let titleLang = incident.titleLanguage != lang ? " xml:lang=\"\(XML.escape(incident.titleLanguage))\"" : ""
        return Array("""
          <entry>
            <id>\(XML.escape(atomID(url, fallback: "\(lang):\(incident.kind.rawValue):\(incident.id)")))</id>
            <title\(titleLang)>\(XML.escape("\(kind) — \(incident.title)"))</title>
            <link rel="alternate" type="text/html" href="\(XML.escape(url))"/>
            <published>\(published.iso8601UTC)</published>
            <updated>\(updated.iso8601UTC)</updated>
            <category term="\(incident.kind.rawValue)"/>
            <category term="\(incident.severity.rawValue)"/>
            <content type="html">\(XML.escape(summaryHTML(incident, lang: lang)))</content>
          </entry>

        """.utf8)
    }

    private var reference: Timestamp? { status?.referenceTime }

    /// When it was first announced: the first update, or its start.
    private func published(_ incident: Incident) -> Timestamp? {
        [incident.updates.first?.at, incident.start].compactMap { $0 }.min()
    }

    /// The event's last change by the reference time: its latest published update, its
    /// start, or its end (when a maintenance completed, or an incident was resolved) —
    /// whichever is latest without being later than the reference time. A new update
    /// moves it; a planned end still to come does not.
    private func lastChange(_ incident: Incident, published: Timestamp) -> Timestamp {
        let changes = [incident.effectiveStart(asOf: reference), incident.effectiveEnd(asOf: reference)].compactMap { $0 } + incident.updates(asOf: reference).map(\.at)
        return changes.filter { t in reference.map { t <= $0 } ?? true }.max().map { max($0, published) } ?? published
    }

    /// An entry's or the feed's id: its absolute URL, or without `base_url` (when URLs are
    /// root-relative, which Atom ids cannot be) a URN that stays the same across builds.
    private func atomID(_ url: String, fallback: String) -> String {
        url.hasPrefix("http://") || url.hasPrefix("https://") ? url : "urn:yourict:" + fallback
    }

    /// The updates, newest first, then the affected services: what a feed reader shows.
    private func summaryHTML(_ incident: Incident, lang: String) -> String {
        let format = theme.i18n.language(lang).format
        var html = ""
        for update in incident.updates(asOf: reference).reversed() {
            // An update a translation did not translate is in the original's language.
            let written = update.lang ?? incident.lang
            let bodyLang = written != lang ? " lang=\"\(HTML.escape(written))\"" : ""
            let label = theme.i18n.string("update_" + update.status, lang)
            let body = bodyLang.isEmpty ? HTML.escape(update.body) : "<span\(bodyLang)>\(HTML.escape(update.body))</span>"
            html += "<p><strong>\(HTML.escape(label))</strong> (\(HTML.escape(format.dateTime(update.at, calendar: calendar)))): \(body)</p>"
        }
        let affected = incident.affected.map { ref -> String in
            let sheet = content.service(ref.service, in: lang)
            var title = sheet?.title ?? ref.service
            if let component = ref.component.flatMap({ c in sheet?.components.first { $0.id == c } }) { title += " — " + component.name }
            let titleLang = sheet.map { $0.lang(of: .title) } ?? lang
            let marked = titleLang != lang ? " lang=\"\(HTML.escape(titleLang))\"" : ""
            return "<a href=\"\(HTML.escape(urls.absolute(.service(ref.service), lang: lang)))\"\(marked)>\(HTML.escape(title))</a>"
        }
        if !affected.isEmpty {
            html += "<p>\(HTML.escape(theme.i18n.string("affected", lang))) \(affected.joined(separator: ", "))</p>"
        }
        return html
    }
}
