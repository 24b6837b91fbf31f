import YourICTSupport
import YourICTContent

/// Turns monitoring timelines, incidents and maintenance into availability figures,
/// exactly as `docs/availability.md` defines them.
package struct AvailabilityEngine {
    let content: ContentSet
    let calendar: ZonedCalendar
    let reference: Timestamp
    let partialWeight: Double

    package init(content: ContentSet, calendar: ZonedCalendar, reference: Timestamp, partialWeight: Double) {
        self.content = content
        self.calendar = calendar
        self.reference = reference
        self.partialWeight = partialWeight
    }

    /// `monitoring` holds one timeline per `service/component` id found in the data.
    package func report(monitoring: [String: Timeline]) -> StatusReport {
        let d = content.site.defaultLanguage
        var services: [String: ServiceStatus] = [:]
        for id in content.serviceIDs {
            guard let sheet = content.services[id]?[d] else { continue }
            var componentTimelines: [(String, Timeline)] = []
            for component in sheet.components {
                var timeline = monitoring["\(id)/\(component.id)"] ?? Timeline()
                apply(incidentsFor: id, component: component.id, to: &timeline)
                componentTimelines.append((component.id, clipped(timeline)))
            }
            var serviceTimeline: Timeline
            if componentTimelines.isEmpty {
                // A service without components is measured by its incidents alone.
                serviceTimeline = monitoring["\(id)"] ?? Timeline()
                apply(incidentsFor: id, component: nil, to: &serviceTimeline)
                serviceTimeline = clipped(serviceTimeline)
            } else {
                let rule = sheet.downWhen
                serviceTimeline = Timeline.combine(componentTimelines.map(\.1)) { Self.combine($0, rule: rule) }
            }
            let overall = entity(serviceTimeline)
            let target = content.site.serviceLevel(sheet.serviceLevel)?.target ?? 100
            let tally30 = overall.windows[.d30]!
            let measuredMinutes = Double(tally30.measured) / 60_000
            let usedMinutes = tally30.downtime(partialWeight: partialWeight) / 60_000
            let availability = tally30.availability(partialWeight: partialWeight)
            services[id] = ServiceStatus(
                id: id, target: target, overall: overall,
                components: componentTimelines.map { ($0.0, entity($0.1)) },
                met: availability.map { $0 + 1e-9 >= target },
                budgetAllowedMinutes: tally30.measured > 0 ? measuredMinutes * (100 - target) / 100 : nil,
                budgetUsedMinutes: tally30.measured > 0 ? usedMinutes : nil)
        }
        return StatusReport(referenceTime: reference, partialWeight: partialWeight, services: services)
    }

    /// Incidents raise the measured state (an outage declared by people counts even when
    /// probes saw nothing); maintenance windows replace it and leave the denominator.
    private func apply(incidentsFor service: String, component: String?, to timeline: inout Timeline) {
        let ref = reference.millis
        for byLang in content.incidents.values {
            guard let incident = byLang[content.site.defaultLanguage] else { continue }
            let concerned = incident.affected.contains { $0.service == service && ($0.component == nil || component == nil || $0.component == component) }
            guard concerned, let start = incident.start?.millis else { continue }
            let end = min(incident.end?.millis ?? ref, ref)
            guard end > start else { continue }
            let declared = ComponentState(severity: incident.severity)
            if incident.kind == .maintenance || declared == .maintenance {
                timeline.overlay(start, end) { _ in .maintenance }
            } else {
                timeline.overlay(start, end) { measured in
                    guard let measured, measured != .noData else {
                        // Without measurements, a declared outage is still downtime; a
                        // slowdown says nothing about availability.
                        return declared == .degraded ? nil : declared
                    }
                    if measured == .maintenance { return .maintenance }
                    return measured.rawValue >= declared.rawValue ? measured : declared
                }
            }
        }
    }

    /// Drops everything after the reference time: figures end there.
    private func clipped(_ timeline: Timeline) -> Timeline {
        guard let end = timeline.end, end > reference.millis else { return timeline }
        var t = timeline
        t.overlay(reference.millis, end) { _ in nil }
        return t
    }

    /// A service's state from its components' states at one instant.
    static func combine(_ states: [ComponentState], rule: ServiceSheet.DownRule) -> ComponentState {
        let measured = states.filter { $0 != .noData && $0 != .maintenance }
        switch rule {
        case .any:
            if states.contains(.down) { return .down }
            if states.contains(.partial) { return .partial }
            if states.contains(.maintenance) { return .maintenance }
            if states.contains(.degraded) { return .degraded }
            if states.contains(.up) { return .up }
            return .noData
        case .all:
            if let best = measured.min(by: { $0.rawValue < $1.rawValue }) {
                // Redundant components: the service is only as down as its best one,
                // and a single failed component degrades it.
                if best == .up, measured.contains(where: { $0 != .up }) { return .degraded }
                return best
            }
            return states.contains(.maintenance) ? .maintenance : .noData
        }
    }

    /// SLA reports go back at most this many months, the current one included. Each
    /// month is a page per service and language: without a bound, one sample or
    /// incident dated decades ago (a typo) would add thousands of pages to the build.
    static let maxReportMonths = 120

    private func earliestReportMonth(_ current: YearMonth) -> YearMonth {
        var month = current
        for _ in 1..<Self.maxReportMonths { month = month.previous }
        return month
    }

    private func entity(_ timeline: Timeline) -> EntityStatus {
        let ref = reference.millis
        var windows: [WindowKey: StateTally] = [:]
        windows[.h24] = timeline.tally(from: ref - Duration.hours(24).millis, to: ref)
        windows[.d7] = timeline.tally(from: ref - Duration.days(7).millis, to: ref)
        windows[.d30] = timeline.tally(from: ref - Duration.days(30).millis, to: ref)
        windows[.d90] = timeline.tally(from: ref - Duration.days(90).millis, to: ref)
        let today = calendar.localDate(of: reference)
        windows[.month] = timeline.tally(from: calendar.startOfMonth(today.yearMonth).millis, to: ref)

        var days: [(CivilDate, StateTally)] = []
        for offset in stride(from: 89, through: 0, by: -1) {
            let date = today.adding(days: -offset)
            let start = calendar.startOfDay(date).millis
            let end = min(calendar.startOfDay(date.adding(days: 1)).millis, ref)
            days.append((date, timeline.tally(from: start, to: max(start, end))))
        }

        var months: [(YearMonth, StateTally)] = []
        if let first = timeline.start {
            var month = max(calendar.localDate(of: Timestamp(millis: first)).yearMonth, earliestReportMonth(today.yearMonth))
            while month <= today.yearMonth {
                let start = calendar.startOfMonth(month).millis
                let end = min(calendar.startOfMonth(month.next).millis, ref)
                months.append((month, timeline.tally(from: start, to: end)))
                month = month.next
            }
        }
        // The state now: the segment covering the reference instant, else the one just before.
        var state = timeline.state(at: ref)
        if state == .noData { state = timeline.state(at: ref - 1) }
        return EntityStatus(state: state, windows: windows, days: days, months: months, timeline: timeline)
    }
}
