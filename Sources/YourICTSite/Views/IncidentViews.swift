import YourICTSupport
import YourICTTemplates
import YourICTContent
import YourICTMonitoring

/// Contexts of incidents and maintenance.
extension ViewBuilder {
    /// Incidents and maintenance affecting a service, newest first.
    func incidentsAffecting(_ serviceID: String, lang: String) -> [Incident] {
        sortedIncidents(lang: lang).filter { $0.affected.contains { $0.service == serviceID } }
    }

    /// Newest first, by start (scheduled start for maintenance), then id. An incident that
    /// starts after the reference time is not news yet: it is left out of every list.
    func sortedIncidents(lang: String) -> [Incident] {
        content.incidents.keys.compactMap { content.incident($0, in: lang) }.filter { phase($0) != .notStarted }.sorted {
            let a = $0.start?.millis ?? 0, b = $1.start?.millis ?? 0
            return a != b ? a > b : $0.id < $1.id
        }
    }

    func phase(_ incident: Incident) -> EventPhase { incident.phase(at: status?.referenceTime) }

    /// An incident that has started and is not resolved.
    func isOpen(_ incident: Incident) -> Bool { incident.kind == .incident && phase(incident) == .open }

    /// A maintenance under way.
    func isInProgress(_ incident: Incident) -> Bool {
        incident.kind == .maintenance && status?.referenceTime != nil && phase(incident).isActive
    }

    /// A maintenance that has not started (never an incident: an incident dated later is
    /// not listed at all).
    func isUpcoming(_ incident: Incident) -> Bool {
        incident.kind == .maintenance && status?.referenceTime != nil && phase(incident) == .scheduled
    }

    func incidentSummary(_ incident: Incident, lang: String) -> ViewContext {
        let strings = self.strings(lang)
        let format = self.format(lang)
        let isMaintenance = incident.kind == .maintenance
        let phase = self.phase(incident)
        var c: ViewContext = [
            "id": incident.id,
            "title": incident.title,
            "url": urls.url(.incident(incident.id), lang: lang),
            "kind": incident.kind.rawValue,
            "kind_label": strings[isMaintenance ? "kind_maintenance" : "kind_incident"] ?? incident.kind.rawValue,
            "is_maintenance": isMaintenance,
            "is_open": isOpen(incident) || isInProgress(incident),
            "is_upcoming": isUpcoming(incident),
        ]
        if status?.referenceTime != nil || !isMaintenance {
            c["phase"] = ["key": phase.rawValue, "label": strings["phase_" + phase.rawValue] ?? phase.rawValue] as ViewContext
        }
        // A maintenance is "under maintenance" only while it is under way: a card for one
        // to come, or one that is over, never says so.
        if !isMaintenance {
            c["severity"] = stateContext(ComponentState(severity: incident.severity), lang: lang)
        } else if phase.isActive, status?.referenceTime != nil {
            c["severity"] = stateContext(.maintenance, lang: lang)
        }
        c["content_lang"] = Self.contentLang(incident.titleLanguage, page: lang)
        // `range_text`: the ends as written with " – " between them, a same-day range
        // saying its date and offset once.
        // An incident still open at the reference time has no end yet, even when its file
        // already says when it was resolved: its duration runs to the reference time. One
        // that has not started has neither end nor duration.
        // A maintenance that is over ended when it did: its `completed` update or its
        // cancellation, if earlier than planned. One called off before it began keeps its
        // planned window for reference, and has no duration: it did not happen.
        // A maintenance begun ahead of its window started when its work did.
        var shownStart = incident.start
        if isMaintenance, phase != .cancelled, let actual = incident.effectiveStart(asOf: status?.referenceTime) { shownStart = actual }
        var shownEnd = isMaintenance || phase == .resolved ? incident.end : nil
        var happened = true
        if isMaintenance, phase == .completed || phase == .cancelled, let start = shownStart,
           let actual = incident.effectiveEnd(asOf: status?.referenceTime) {
            if actual > start { shownEnd = actual } else { happened = false }
        }
        let range = shownStart.flatMap { start in shownEnd.map { format.dateTimeRange(start, $0, calendar: calendar) } }
        if let start = shownStart {
            let text = format.dateTime(start, calendar: calendar)
            c["start"] = ["text": text, "range_text": range?.start ?? text, "iso": start.iso8601UTC] as ViewContext
            // A start other than the planned one is labelled as what it is, and the planned
            // start is given beside it.
            if isMaintenance {
                var key = "scheduled_for"
                if let planned = incident.scheduledFor, planned != start {
                    key = "maintenance_started"
                    c["planned_start"] = ["text": format.dateTime(planned, calendar: calendar), "iso": planned.iso8601UTC] as ViewContext
                }
                c["start_label"] = strings[key] ?? key
            }
        }
        if let end = shownEnd {
            let text = format.dateTime(end, calendar: calendar)
            c["end"] = ["text": text, "range_text": range?.end ?? text, "iso": end.iso8601UTC] as ViewContext
            // An end other than the planned one is labelled as what it is (completed, or
            // called off), and the planned end is given beside it.
            if isMaintenance {
                var key = "scheduled_until"
                if let planned = incident.scheduledUntil, planned != end {
                    key = phase == .cancelled ? "maintenance_cancelled_at" : "maintenance_ended"
                    c["planned_end"] = ["text": format.dateTime(planned, calendar: calendar), "iso": planned.iso8601UTC] as ViewContext
                }
                c["end_label"] = strings[key] ?? key
            }
            if let start = shownStart, happened {
                // Work that overruns its planned end has lasted, so far, up to the reference time.
                var until = end
                if isMaintenance, phase.isActive, let ref = status?.referenceTime, ref > end { until = ref }
                c["duration"] = format.duration(until - start)
            }
        } else if let start = shownStart, let ref = status?.referenceTime, ref > start {
            c["duration"] = format.duration(ref - start)
        }
        c["affected"] = incident.affected.map { ref -> ViewContext in
            let sheet = content.service(ref.service, in: lang)
            var a: ViewContext = ["title": sheet?.title ?? ref.service, "url": urls.url(.service(ref.service), lang: lang),
                                  "content_lang": Self.contentLang(sheet?.lang(of: .title) ?? lang, page: lang)]
            if let componentID = ref.component, let component = sheet?.components.first(where: { $0.id == componentID }) {
                a["component"] = component.name
            }
            return a
        }
        c["has_affected"] = !incident.affected.isEmpty
        if let last = incident.updates(asOf: status?.referenceTime).last {
            c["last_update"] = updateContext(last, of: incident, lang: lang)
        }
        return c
    }

    func updateContext(_ update: Incident.Update, of incident: Incident, lang: String) -> ViewContext {
        let strings = self.strings(lang)
        return [
            "status": update.status,
            "status_label": strings["update_" + update.status] ?? update.status,
            "at": format(lang).dateTime(update.at, calendar: calendar),
            "iso": update.at.iso8601UTC,
            "body": update.body,
            // An update a translation did not translate is in the original's language.
            "content_lang": Self.contentLang(update.lang ?? incident.lang, page: lang),
        ]
    }

    func incident(_ id: String, lang: String) -> ViewContext? {
        guard let incident = content.incident(id, in: lang) else { return nil }
        let updates = incident.updates(asOf: status?.referenceTime)
        var c = frame(route: .incident(id), lang: lang, title: incident.title,
                      description: updates.last?.body, kind: "incident")
        if let fb = fallback(contentLang: incident.lang, pageLang: lang) { c["fallback"] = fb }
        var i = incidentSummary(incident, lang: lang)
        i["updates"] = updates.map { updateContext($0, of: incident, lang: lang) }
        i["has_updates"] = !updates.isEmpty
        let (html, _) = body(.init(.incident, id), lang: lang)
        if !html.isEmpty { i["body"] = html }
        c["incident"] = i
        return c
    }

    func incidents(lang: String) -> ViewContext {
        let strings = self.strings(lang)
        var c = frame(route: .incidents, lang: lang, title: strings["incidents_title"] ?? "Incidents", description: nil, kind: "incidents")
        let all = sortedIncidents(lang: lang)
        addCurrentEvents(all, to: &c, lang: lang)
        let past = all.filter { !isOpen($0) && !isInProgress($0) && !isUpcoming($0) }
        var groups: [(YearMonth, [Incident])] = []
        for incident in past {
            let month = incident.start.map { calendar.localDate(of: $0).yearMonth } ?? YearMonth(year: 1970, month: 1)
            if groups.last?.0 == month { groups[groups.count - 1].1.append(incident) } else { groups.append((month, [incident])) }
        }
        c["months"] = groups.map { month, items -> ViewContext in
            ["month": format(lang).month(month), "id": "m_\(month)", "incidents": items.map { incidentSummary($0, lang: lang) }]
        }
        c["has_history"] = !groups.isEmpty
        return c
    }

    /// Open incidents, maintenance under way, and maintenance to come (soonest first).
    func addCurrentEvents(_ all: [Incident], to c: inout ViewContext, lang: String) {
        let open = all.filter(isOpen), inProgress = all.filter(isInProgress), upcoming = all.filter(isUpcoming).reversed()
        c["open"] = open.map { incidentSummary($0, lang: lang) }
        c["has_open"] = !open.isEmpty
        c["in_progress"] = inProgress.map { incidentSummary($0, lang: lang) }
        c["has_in_progress"] = !inProgress.isEmpty
        c["upcoming"] = upcoming.map { incidentSummary($0, lang: lang) }
        c["has_upcoming"] = !upcoming.isEmpty
    }
}
