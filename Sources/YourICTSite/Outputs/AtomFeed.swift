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
        let incidents = content.incidents.keys.compactMap { content.incident($0, in: lang) }
            .filter { $0.start != nil }
            .sorted { (published($0).millis, $0.id) > (published($1).millis, $1.id) }
        // Deterministic: the feed is as new as its newest entry, never the build's clock.
        let feedUpdated = incidents.map(lastChange).max() ?? status?.referenceTime ?? Timestamp(millis: 0)
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
        for incident in incidents {
            let url = urls.absolute(.incident(incident.id), lang: lang)
            let kind = theme.i18n.string(incident.kind == .maintenance ? "kind_maintenance" : "kind_incident", lang)
            xml += """
              <entry>
                <id>\(XML.escape(atomID(url, fallback: "\(lang):\(incident.kind.rawValue):\(incident.id)")))</id>
                <title>\(XML.escape("\(kind) — \(incident.title)"))</title>
                <link rel="alternate" type="text/html" href="\(XML.escape(url))"/>
                <published>\(published(incident).iso8601UTC)</published>
                <updated>\(lastChange(incident).iso8601UTC)</updated>
                <category term="\(incident.kind.rawValue)"/>
                <category term="\(incident.severity.rawValue)"/>
                <content type="html">\(XML.escape(summaryHTML(incident, lang: lang)))</content>
              </entry>

            """
        }
        xml += "</feed>\n"
        return xml
    }

    /// When it was first announced: the first update, or its start.
    private func published(_ incident: Incident) -> Timestamp {
        [incident.updates.first?.at, incident.start].compactMap { $0 }.min()!
    }

    /// The incident's last change: its newest update, start or end. Updates are published
    /// as written, like on the pages (an update written after the newest monitoring sample
    /// is news, not a mistake), so the feed's dates match the entries' content.
    private func lastChange(_ incident: Incident) -> Timestamp {
        ([incident.start, incident.end].compactMap { $0 } + incident.updates.map(\.at)).max() ?? incident.start!
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
        for update in incident.updates.reversed() {
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
