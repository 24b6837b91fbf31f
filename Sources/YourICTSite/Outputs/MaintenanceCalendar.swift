import YourICTSupport
import YourICTFormats
import YourICTContent
import YourICTMonitoring

/// `/<lang>/maintenance.ics` and `/<lang>/services/<id>/maintenance.ics`: planned
/// maintenance as iCalendar (RFC 5545), for calendar applications that subscribe to it.
///
/// Each maintenance is one `VEVENT` whose `UID` stays the same across builds and
/// languages; `SEQUENCE` is the number of its updates published by the reference time,
/// so it grows with each new update (a cancellation, a completion, a new announcement),
/// and `DTSTAMP` is the time of the latest of them. Times are in UTC.
struct MaintenanceCalendar {
    let content: ContentSet
    let status: StatusReport?
    let urls: URLBuilder
    let theme: Theme
    let calendar: ZonedCalendar

    /// A language's events, made once for the site's calendar and every service's.
    struct Events: Sendable {
        /// Each `VEVENT` as written, by start (then id).
        var events: [[UInt8]]
        /// Per service, the indices of the events affecting it (or one of its components).
        var byService: [String: [Int]]
    }

    private var reference: Timestamp? { status?.referenceTime }

    func events(lang: String) -> Events {
        let maintenance = content.incidents.keys.compactMap { content.incident($0, in: lang) }
            .filter { $0.kind == .maintenance && $0.scheduledFor != nil && $0.scheduledUntil != nil }
            .sorted { ($0.scheduledFor!.millis, $0.id) < ($1.scheduledFor!.millis, $1.id) }
        var byService: [String: [Int]] = [:]
        let events = maintenance.enumerated().map { index, incident -> [UInt8] in
            var services: [String] = []
            for ref in incident.affected where !services.contains(ref.service) { services.append(ref.service) }
            for service in services { byService[service, default: []].append(index) }
            return event(incident, lang: lang)
        }
        return Events(events: events, byService: byService)
    }

    /// The site's calendar.
    func document(lang: String, events: Events) -> [UInt8] {
        document(lang: lang, name: "\(siteTitle(lang)) — \(theme.i18n.string("calendar_title", lang))",
                 source: urls.absolute(.calendar, lang: lang), page: urls.absolute(.dashboard, lang: lang), events: events.events[...])
    }

    /// A service's calendar: the maintenance that affects it.
    func document(service id: String, lang: String, events: Events) -> [UInt8] {
        let serviceTitle = content.service(id, in: lang)?.title ?? id
        let own = (events.byService[id] ?? []).map { events.events[$0] }
        return document(lang: lang, name: "\(siteTitle(lang)) — \(serviceTitle) — \(theme.i18n.string("calendar_title", lang))",
                        source: urls.absolute(.serviceCalendar(id), lang: lang), page: urls.absolute(.service(id), lang: lang), events: own[...])
    }

    private func document(lang: String, name: String, source: String, page: String, events: ArraySlice<[UInt8]>) -> [UInt8] {
        var w = ICalendarWriter(capacity: 512 + events.reduce(0) { $0 + $1.count })
        w.property("BEGIN", "VCALENDAR")
        w.property("VERSION", "2.0")
        w.property("PRODID", "-//yourict//yourict \(YourICTVersion.current)//\(lang.uppercased())")
        w.property("CALSCALE", "GREGORIAN")
        // The calendar's name and how often to look again (RFC 7986, and the older
        // X- properties that Outlook and Apple Calendar read).
        w.text("NAME", name)
        w.text("X-WR-CALNAME", name)
        if Self.isAbsolute(source) {
            w.property("SOURCE", source)
            w.property("URL", page)
        }
        w.property("REFRESH-INTERVAL;VALUE=DURATION", "PT1H")
        w.property("X-PUBLISHED-TTL", "PT1H")
        var bytes = w.finished
        for event in events { bytes.append(contentsOf: event) }
        var end = ICalendarWriter(capacity: 256)
        if events.isEmpty {
            // RFC 5545 (3.6) wants at least one component in a calendar: with no
            // maintenance to list, a time zone for UTC, the zone every event is written in.
            for (name, value) in [("BEGIN", "VTIMEZONE"), ("TZID", "UTC"), ("BEGIN", "STANDARD"), ("DTSTART", "19700101T000000"),
                                  ("TZOFFSETFROM", "+0000"), ("TZOFFSETTO", "+0000"), ("TZNAME", "UTC"), ("END", "STANDARD"), ("END", "VTIMEZONE")] {
                end.property(name, value)
            }
        }
        end.property("END", "VCALENDAR")
        bytes.append(contentsOf: end.finished)
        return bytes
    }

    private func siteTitle(_ lang: String) -> String { content.site.title.resolve(lang, fallback: content.site.defaultLanguage) }

    private static func isAbsolute(_ url: String) -> Bool { url.hasPrefix("http://") || url.hasPrefix("https://") }

    /// One maintenance as a `VEVENT`.
    private func event(_ incident: Incident, lang: String) -> [UInt8] {
        let updates = incident.updates(asOf: reference)
        let phase = incident.phase(at: reference)
        // A maintenance begun ahead of its window starts when it did, and one completed
        // early ends when it did; one called off keeps the window it had, marked
        // cancelled. DTEND must come after DTSTART.
        let start = phase == .cancelled ? incident.scheduledFor! : incident.effectiveStart(asOf: reference) ?? incident.scheduledFor!
        let planned = incident.scheduledUntil!
        var end = phase == .cancelled ? planned : incident.effectiveEnd(asOf: reference).flatMap { $0 > start ? $0 : nil } ?? planned
        // Work that overruns has no end yet: it lasts up to the reference time so far.
        if phase.isActive, let reference, reference > end { end = reference }
        // Last revised with its latest update; never announced by an update: when it
        // became known as a maintenance at the latest, its start (or the reference time
        // before its start).
        let stamp = updates.last?.at ?? reference.map { min(start, $0) } ?? start
        var w = ICalendarWriter(capacity: 1024)
        w.property("BEGIN", "VEVENT")
        w.text("UID", uid(incident.id))
        w.dateTime("DTSTAMP", stamp)
        w.property("SEQUENCE", String(updates.count))
        w.dateTime("DTSTART", start)
        w.dateTime("DTEND", end)
        w.text("SUMMARY", incident.title, parameters: "LANGUAGE=\(incident.titleLanguage)")
        // The description's words are the calendar's language, its texts the incident's or
        // (left untranslated) the original's: a language is named only when they are one.
        let oneLanguage = incident.lang == lang && updates.allSatisfy { ($0.lang ?? lang) == lang }
        w.text("DESCRIPTION", description(incident, updates: updates, lang: lang), parameters: oneLanguage ? "LANGUAGE=\(lang)" : nil)
        let url = urls.absolute(.incident(incident.id), lang: lang)
        if Self.isAbsolute(url) { w.property("URL", url) }
        w.property("STATUS", phase == .cancelled ? "CANCELLED" : "CONFIRMED")
        // Planned work on a service is not time the subscriber is busy.
        w.property("TRANSP", "TRANSPARENT")
        w.property("END", "VEVENT")
        return w.finished
    }

    /// `<id>@<host>`, the same in every build and language: the site's host from
    /// `base_url` (with its path, when the site lives under one), else `yourict.invalid`.
    private func uid(_ id: String) -> String {
        let origin = urls.origin
        guard let host = origin.split(separator: "/").last.map(String.init), !host.isEmpty, origin.contains("://") else { return "\(id)@yourict.invalid" }
        let path = urls.basePath == "/" ? "" : String(urls.basePath.dropLast())
        return "\(id)@\(host)\(path)"
    }

    /// The updates, newest first, each with its status and local time; then what it
    /// affects and the page's address: what a calendar shows under the event.
    private func description(_ incident: Incident, updates: ArraySlice<Incident.Update>, lang: String) -> String {
        let format = theme.i18n.language(lang).format
        var parts = updates.reversed().map { update in
            "\(theme.i18n.string("update_" + update.status, lang)) (\(format.dateTime(update.at, calendar: calendar))): \(update.body)"
        }
        let affected = incident.affected.map { ref -> String in
            let sheet = content.service(ref.service, in: lang)
            var title = sheet?.title ?? ref.service
            if let component = ref.component.flatMap({ c in sheet?.components.first { $0.id == c } }) { title += " — " + component.name }
            return title
        }
        if !affected.isEmpty { parts.append("\(theme.i18n.string("affected", lang)) \(affected.joined(separator: ", "))") }
        parts.append(urls.absolute(.incident(incident.id), lang: lang))
        return parts.joined(separator: "\n\n")
    }
}
