import YourICTSupport
import YourICTFormats
import YourICTContent
import YourICTMonitoring

/// `/<lang>/feed.xml`: incidents and maintenance as an Atom feed (RFC 4287).
struct AtomFeed {
    let content: ContentSet
    let status: StatusReport?
    let urls: URLBuilder
    let theme: Theme
    let calendar: ZonedCalendar

    package func document(lang: String) -> String {
        let site = content.site
        let d = site.defaultLanguage
        let title = "\(site.title.resolve(lang, fallback: d)) — \(theme.i18n.string("incidents_title", lang))"
        // An event is in the feed once something about it was published by the reference
        // time: its first update, or its start.
        let entries: [(incident: Incident, published: Timestamp)] = content.incidents.keys.compactMap { id in
            guard let incident = content.incident(id, in: lang), incident.start != nil, let published = published(incident),
                  reference.map({ published <= $0 }) ?? true else { return nil }
            return (incident, published)
        }.sorted { ($0.published.millis, $0.incident.id) > ($1.published.millis, $1.incident.id) }
        // The feed is as new as its newest entry; never later than the reference time.
        let feedUpdated = entries.map { lastChange($0.incident, published: $0.published) }.max() ?? reference ?? Timestamp(millis: 0)
        let selfURL = urls.absolute(.feed, lang: lang)
        var xml = """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="\(lang)">
          <id>\(XML.escape(atomID(selfURL, fallback: "\(lang):feed")))</id>
          <title>\(XML.escape(title))</title>
          <updated>\(feedUpdated.iso8601UTC)</updated>
          <link rel="self" type="application/atom+xml" href="\(XML.escape(selfURL))"/>
          <link rel="alternate" type="text/html" href="\(XML.escape(urls.absolute(.incidents, lang: lang)))"/>
          <author><name>\(XML.escape(site.organisation.name.resolve(lang, fallback: d)))</name></author>
          <generator uri="https://github.com/yourict/yourict" version="\(YourICTVersion.current)">yourict</generator>

        """
        for (incident, published) in entries {
            let url = urls.absolute(.incident(incident.id), lang: lang)
            let kind = theme.i18n.string(incident.kind == .maintenance ? "kind_maintenance" : "kind_incident", lang)
            xml += """
              <entry>
                <id>\(XML.escape(atomID(url, fallback: "\(lang):\(incident.kind.rawValue):\(incident.id)")))</id>
                <title>\(XML.escape("\(kind) — \(incident.title)"))</title>
                <link rel="alternate" type="text/html" href="\(XML.escape(url))"/>
                <published>\(published.iso8601UTC)</published>
                <updated>\(lastChange(incident, published: published).iso8601UTC)</updated>
                <category term="\(incident.kind.rawValue)"/>
                <category term="\(incident.severity.rawValue)"/>
                <content type="html">\(XML.escape(summaryHTML(incident, lang: lang)))</content>
              </entry>

            """
        }
        xml += "</feed>\n"
        return xml
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
        let changes = [incident.start, incident.effectiveEnd(asOf: reference)].compactMap { $0 } + incident.updates(asOf: reference).map(\.at)
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
            let label = theme.i18n.string("update_" + update.status, lang)
            html += "<p><strong>\(HTML.escape(label))</strong> (\(HTML.escape(format.dateTime(update.at, calendar: calendar)))): \(HTML.escape(update.body))</p>"
        }
        let affected = incident.affected.map { ref -> String in
            let sheet = content.service(ref.service, in: lang)
            var title = sheet?.title ?? ref.service
            if let component = ref.component.flatMap({ c in sheet?.components.first { $0.id == c } }) { title += " — " + component.name }
            return "<a href=\"\(HTML.escape(urls.absolute(.service(ref.service), lang: lang)))\">\(HTML.escape(title))</a>"
        }
        if !affected.isEmpty {
            html += "<p>\(HTML.escape(theme.i18n.string("affected", lang))) \(affected.joined(separator: ", "))</p>"
        }
        return html
    }
}
