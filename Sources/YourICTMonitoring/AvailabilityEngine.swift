import YourICTSupport
import YourICTContent

/// Turns monitoring timelines, incidents and maintenance into states and availability
/// figures, exactly as `docs/availability.md` defines them.
package struct AvailabilityEngine: Sendable {
    let content: ContentSet
    let calendar: ZonedCalendar
    let reference: Timestamp

    private var partialWeight: Double { content.site.partialOutageWeight }

    package init(content: ContentSet, calendar: ZonedCalendar, reference: Timestamp) {
        self.content = content
        self.calendar = calendar
        self.reference = reference
    }

    package func report(monitoring: MonitoringLoader) -> StatusReport {
        let d = content.site.defaultLanguage
        // Each event once, in the original language, with its stretch and phase now.
        let events: [Event] = content.incidents.keys.sorted().compactMap { id in
            guard let incident = content.incidents[id]?[d] else { return nil }
            return Event(incident: incident, start: incident.effectiveStart(asOf: reference), end: incident.effectiveEnd(asOf: reference),
                         phase: incident.phase(at: reference))
        }
        let origin = declaredOrigin(monitoring: monitoring, events: events)
        let frame = Frame(reference: reference, calendar: calendar, earliestMonth: earliestReportMonth(calendar.localDate(of: reference).yearMonth))
        // Services are independent until their dependencies are applied: on all cores.
        let made: [ServiceStatus?] = content.serviceIDs.parallelMap { id in
            guard let sheet = content.services[id]?[d] else { return nil }
            let target = content.site.serviceLevel(sheet.serviceLevel)?.target ?? 100
            // A retired service's figures end the day it was retired; a planned one has
            // figures and a state only where monitoring measures it (declared incidents
            // and the time between them say nothing of a service not yet open).
            var end = reference
            if sheet.lifecycle.stage == .retired, let since = sheet.lifecycle.since { end = min(end, calendar.startOfDay(since)) }
            let planned = sheet.lifecycle.stage == .planned
            // Before a pilot or a service in production began (`since`), the time no
            // incident was declared is not "up": it did not run. What monitoring measured counts.
            var origin = origin
            if sheet.lifecycle.stage == .pilot || sheet.lifecycle.stage == .production, let since = sheet.lifecycle.since {
                origin = origin.map { max($0, calendar.startOfDay(since)) }
            }
            var components: [(String, EntityStatus)] = []
            var forService: [Timeline] = []
            // Each monitored component's timeline, from its first sample (a maintenance or an
            // incident declared before its probe existed does not make it measured).
            var measured: [(timeline: Timeline, first: Int64)] = []
            let monitored = sheet.components.map { isMonitored("\(id)/\($0.id)", matchers: !$0.monitor.isEmpty, monitoring) }
            let anyMonitored = monitored.contains(true)
            for (component, isMonitored) in zip(sheet.components, monitored) {
                let key = "\(id)/\(component.id)"
                let entity = self.entity(key: key, service: id, component: component.id, monitored: isMonitored, planned: planned,
                                         monitoring: monitoring, events: events, origin: origin, end: end, frame: frame)
                components.append((component.id, entity))
                // A service measured through some of its components counts the declared
                // incidents of the others, not the time they were merely not declared down
                // (nor what was declared before the origin, as for any component).
                forService.append(isMonitored || !anyMonitored || planned ? entity.timeline
                                  : declaredTimeline(service: id, component: component.id, events: events, origin: origin, upFromOrigin: false, end: end))
                if isMonitored, let first = monitoring.timelines[key]?.start { measured.append((entity.timeline, first)) }
            }
            var overall: EntityStatus
            if sheet.components.isEmpty {
                overall = entity(key: id, service: id, component: nil, monitored: isMonitored(id, matchers: false, monitoring), planned: planned,
                                 monitoring: monitoring, events: events, origin: origin, end: end, frame: frame)
            } else {
                let rule = sheet.downWhen
                var timeline = Timeline.combine(forService) { Self.combine($0, rule: rule) }
                if rule == .any { timeline = Self.unknown(in: timeline, where: Self.gaps(of: measured, end: end.millis)) }
                // Beside measured components, one nothing monitors is "up" now only because no
                // incident says otherwise; as in its timeline (declared incidents only), that
                // says nothing of now. Under `all` it would stand for the best component and
                // hide a measured outage or late data: there it counts only when declared.
                let currents = zip(components, monitored).map { component, isMonitored -> CurrentState in
                    var current = component.1.current
                    if rule == .all, anyMonitored, !isMonitored, !current.isDeclared { current.state = .noData; current.isLate = false }
                    return current
                }
                let current = CurrentState.combine(currents, rule: rule)
                // A service's response times are those of all its components' probes together.
                let latency = LatencyHours.merged(sheet.components.compactMap { monitoring.latency["\(id)/\($0.id)"] })
                overall = entity(timeline, current: current, source: anyMonitored ? .monitoring : .incidents, end: end, latency: latency, frame: frame)
            }
            // A service not open yet shows figures only from months it was measured in (its
            // page has no section otherwise): its response times are not published elsewhere
            // alone, in the API and on a badge that its page does not back.
            if !sheet.lifecycle.isInOperation, overall.months.isEmpty {
                overall.latency = nil
                for i in components.indices { components[i].1.latency = nil }
            }
            let tally30 = overall.windows[.d30]!
            let measuredMinutes = Double(tally30.measured) / 60_000
            return ServiceStatus(
                id: id, target: target, overall: overall, components: components,
                verdict: tally30.verdict(target: target, partialWeight: partialWeight, minimumCoverage: content.site.minimumCoverage),
                budgetAllowedMinutes: tally30.measured > 0 ? measuredMinutes * (100 - target) / 100 : nil,
                budgetUsedMinutes: tally30.measured > 0 ? tally30.downtime(partialWeight: partialWeight) / 60_000 : nil,
                figuresEnd: end, isInOperation: sheet.lifecycle.isInOperation, isPlanned: sheet.lifecycle.stage == .planned)
        }
        var services: [String: ServiceStatus] = [:]
        services.reserveCapacity(made.count)
        for case let status? in made { services[status.id] = status }
        DependencyImpact.apply(to: &services, content: content)
        return StatusReport(referenceTime: reference, partialWeight: partialWeight, minimumCoverage: content.site.minimumCoverage,
                            services: services)
    }

    /// An incident or maintenance as the engine uses it.
    private struct Event: Sendable {
        var incident: Incident
        /// `Incident.effectiveStart` at the reference time.
        var start: Timestamp?
        /// `Incident.effectiveEnd` at the reference time.
        var end: Timestamp?
        var phase: EventPhase

        func affects(service: String, component: String?) -> Bool {
            incident.affected.contains { $0.service == service && ($0.component == nil || component == nil || $0.component == component) }
        }
    }

    /// Something watches it: label matchers on the sheet, or data in the monitoring files.
    private func isMonitored(_ key: String, matchers: Bool, _ monitoring: MonitoringLoader) -> Bool {
        matchers || monitoring.timelines[key] != nil || monitoring.samples[key] != nil
    }

    /// From when the absence of a declared incident counts as up for what nothing
    /// monitors: `availability.incidents_since`, else the site's first record (its oldest
    /// sample, or its first event).
    private func declaredOrigin(monitoring: MonitoringLoader, events: [Event]) -> Timestamp? {
        if let since = content.site.incidentsSince { return since }
        return ([monitoring.oldestSample] + events.map(\.start)).compactMap { $0 }.min()
    }

    /// The figures and state of a component (or of a service without components).
    /// `planned`: of a planned service, which has figures and a state only where
    /// monitoring measures it.
    private func entity(key: String, service: String, component: String?, monitored: Bool, planned: Bool, monitoring: MonitoringLoader,
                        events: [Event], origin: Timestamp?, end: Timestamp, frame: Frame) -> EntityStatus {
        // A planned service is not open: what is declared of it sets neither its state nor
        // its figures (the build warns of an incident naming it), only monitoring does.
        let declared = planned ? [] : events.filter { $0.phase.isActive && $0.affects(service: service, component: component) }.map(\.incident)
        if !monitored, planned {
            var current = CurrentState.decide(measured: .init(state: nil, lastData: nil, isLate: false), declared: [])
            current.isUnmonitored = true
            // Its figures come from nothing: not from declared incidents (which do not
            // count for a service not open), and no monitoring measured it.
            return entity(Timeline(), current: current, source: .monitoring, end: end, latency: monitoring.latency[key], frame: frame)
        }
        guard monitored else {
            let timeline = declaredTimeline(service: service, component: component, events: events, origin: origin, end: end)
            // Before the site's first record nothing was declared either: no data, not "up".
            let since = origin.map { $0 <= reference } ?? false
            var current = CurrentState.decide(measured: since ? nil : .init(state: nil, lastData: nil, isLate: false), declared: declared)
            current.isUnmonitored = true
            return entity(timeline, current: current, source: .incidents, end: end, latency: monitoring.latency[key], frame: frame)
        }
        let measuredTimeline = monitoring.timelines[key] ?? Timeline()
        var timeline = measuredTimeline
        if !planned { apply(events, service: service, component: component, to: &timeline) }
        let current = CurrentState.decide(measured: measuredNow(monitoring.samples[key] ?? [], timeline: measuredTimeline), declared: declared)
        return entity(clipped(timeline, at: end), current: current, source: .monitoring, end: end, latency: monitoring.latency[key], frame: frame)
    }

    /// What nothing monitors is up from `origin` (none: never) to the reference time,
    /// except where declared incidents and maintenance say otherwise; without
    /// `upFromOrigin`, only what they say (nothing is up), still from `origin` on.
    private func declaredTimeline(service: String, component: String?, events: [Event], origin: Timestamp?, upFromOrigin: Bool = true,
                                  end: Timestamp) -> Timeline {
        var timeline = Timeline()
        if upFromOrigin, let origin, origin < end { timeline.append(origin.millis, end.millis, .up) }
        apply(events, service: service, component: component, to: &timeline)
        // Before the origin nothing was declared, outages included: no data, as the
        // time around them (a day would read 0 % from one declared hour).
        if let first = timeline.start, let origin, first < origin.millis {
            timeline.overlay(first, origin.millis) { _ in nil }
        }
        return clipped(timeline, at: end)
    }

    /// The newest sample at or before the reference time, whether it is late, and its
    /// state when it is not.
    private func measuredNow(_ sources: [SampleSpans], timeline: Timeline) -> CurrentState.Measured {
        let ref = reference.millis
        var newest: Int64?
        var fresh = false
        for source in sources {
            guard let n = source.newest(atOrBefore: ref) else { continue }
            newest = max(newest ?? n, n)
            if ref - n <= source.lateAfter(minimum: content.site.staleAfter.millis) { fresh = true }
        }
        guard let newest else { return .init(state: nil, lastData: nil, isLate: false) }
        var state: ComponentState? = nil
        if fresh {
            // A run of the yourict format ends where its data ends: its state is just before.
            let at = timeline.state(at: newest)
            let found = at != .noData ? at : timeline.state(at: newest - 1)
            state = found == .noData ? nil : found
        }
        return .init(state: state, lastData: Timestamp(millis: newest), isLate: !fresh)
    }

    /// Incidents raise the measured state (an outage declared by people counts even when
    /// probes saw nothing); maintenance windows replace it and leave the denominator, but
    /// for an outage declared during one: maintenances first, then incidents over them.
    private func apply(_ events: [Event], service: String, component: String?, to timeline: inout Timeline) {
        let ref = reference.millis
        let maintenances = events.filter { $0.incident.declaredState == .maintenance }
        for event in maintenances + events.filter({ $0.incident.declaredState != .maintenance })
        where event.affects(service: service, component: component) {
            let incident = event.incident
            guard let start = event.start?.millis else { continue }
            let end = min(event.end?.millis ?? ref, ref)
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
                    // People who declare an outage during a maintenance say it went wrong.
                    if measured == .maintenance { return declared == .partial || declared == .down ? declared : .maintenance }
                    return measured.rawValue >= declared.rawValue ? measured : declared
                }
            }
        }
    }

    /// Drops everything after `end` (the reference time, or a retired service's end):
    /// figures end there.
    private func clipped(_ timeline: Timeline, at end: Timestamp) -> Timeline {
        guard let last = timeline.end, last > end.millis else { return timeline }
        var t = timeline
        t.overlay(end.millis, last) { _ in nil }
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

    /// Where a measured component has no data after its first measurement (`first`, the
    /// start of what monitoring measured), up to `end`: sorted, disjoint stretches. Before it
    /// a component is not part of the service's figures yet (a probe added later does not
    /// void the months before it).
    static func gaps(of components: [(timeline: Timeline, first: Int64)], end: Int64) -> [(start: Int64, end: Int64)] {
        var all: [(start: Int64, end: Int64)] = []
        for (timeline, first) in components {
            var cursor = first
            for segment in timeline.segments where segment.end > cursor {
                if segment.start > cursor { all.append((cursor, segment.start)) }
                cursor = max(cursor, segment.end)
            }
            if cursor < end { all.append((cursor, end)) }
        }
        all.sort { $0.start < $1.start }
        var merged: [(start: Int64, end: Int64)] = []
        for gap in all {
            if let last = merged.last, gap.start <= last.end {
                merged[merged.count - 1].end = max(last.end, gap.end)
            } else {
                merged.append(gap)
            }
        }
        return merged
    }

    /// `service` (combined under `down_when: any`) with its state unknown over `gaps`, where
    /// a measured component has no data: the service is as bad as its worst component,
    /// and that one could be down. Only a major outage there is known (nothing is worse).
    static func unknown(in service: Timeline, where gaps: [(start: Int64, end: Int64)]) -> Timeline {
        guard !gaps.isEmpty else { return service }
        var out = Timeline()
        var g = 0
        for segment in service.segments {
            var s = segment.start
            while s < segment.end {
                while g < gaps.count, gaps[g].end <= s { g += 1 }
                if g < gaps.count, gaps[g].start <= s {
                    let e = min(gaps[g].end, segment.end)
                    if segment.state == .down { out.append(s, e, .down) }
                    s = e
                } else {
                    let e = g < gaps.count ? min(gaps[g].start, segment.end) : segment.end
                    out.append(s, e, segment.state)
                    s = e
                }
            }
        }
        return out
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

    /// The instants every entity's figures are cut at, computed once per report: the
    /// site's time zone is asked for each local midnight once, not once per entity.
    struct Frame: Sendable {
        var windowStarts: [(WindowKey, Int64)]
        /// The last 90 local dates, oldest first, each cut at the reference time (less any
        /// the zone skipped).
        var days: [(date: CivilDate, start: Int64, end: Int64)]
        /// The last day with time before the reference time: the reference time's day, or
        /// the day before when it is exactly midnight (a day of no time yet is no day of
        /// the history, and a month of no time yet gets no report).
        var today: CivilDate
        /// Local month starts from the earliest reported month to the month after the
        /// reference time's.
        var monthStarts: [YearMonth: Int64]
        var earliestMonth: YearMonth

        init(reference: Timestamp, calendar: ZonedCalendar, earliestMonth: YearMonth) {
            let ref = reference.millis
            let today = calendar.localDate(of: Timestamp(millis: ref - 1))
            self.today = today
            self.earliestMonth = earliestMonth
            windowStarts = Self.rollingWindowStarts(reference: ref) + [(.month, calendar.startOfMonth(calendar.localDate(of: reference).yearMonth).millis)]
            let starts = (0...90).map { calendar.startOfDay(today.adding(days: $0 - 89)).millis }
            // A date the zone skipped (Pacific/Apia's 30 December 2011) has no instant: no
            // day of the history, rather than a day of "no data".
            days = (0..<90).filter { starts[$0 + 1] > starts[$0] }
                .map { i in (date: today.adding(days: i - 89), start: starts[i], end: max(starts[i], min(starts[i + 1], ref))) }
            monthStarts = [:]
            var month = earliestMonth
            while month <= today.yearMonth.next {
                monthStarts[month] = calendar.startOfMonth(month).millis
                month = month.next
            }
        }

        /// The windows of a fixed length, oldest start last; `LatencyHorizon` keeps the
        /// hours of the days they begin in.
        static func rollingWindowStarts(reference ref: Int64) -> [(WindowKey, Int64)] {
            [(.h24, ref - Duration.hours(24).millis), (.d7, ref - Duration.days(7).millis), (.d30, ref - Duration.days(30).millis),
             (.d90, ref - Duration.days(90).millis)]
        }

        func startOfMonth(_ month: YearMonth, _ calendar: ZonedCalendar) -> Int64 {
            monthStarts[month] ?? calendar.startOfMonth(month).millis
        }
    }

    /// `end`: where the figures end (a retired service's months stop there).
    private func entity(_ timeline: Timeline, current: CurrentState, source: FigureSource, end: Timestamp, latency: LatencyHours?,
                        frame: Frame) -> EntityStatus {
        let ref = reference.millis
        var windows: [WindowKey: StateTally] = [:]
        for (key, start) in frame.windowStarts { windows[key] = timeline.tally(from: start, to: ref) }

        let days: [(CivilDate, StateTally)] = frame.days.map { ($0.date, timeline.tally(from: $0.start, to: $0.end)) }

        var months: [(YearMonth, StateTally)] = []
        if let first = timeline.start {
            // A retired service's last month is that of its last instant in service.
            let last = end < reference ? calendar.localDate(of: Timestamp(millis: end.millis - 1)).yearMonth : frame.today.yearMonth
            var month = max(calendar.localDate(of: Timestamp(millis: first)).yearMonth, frame.earliestMonth)
            while month <= last {
                let start = frame.startOfMonth(month, calendar)
                let monthEnd = min(frame.startOfMonth(month.next, calendar), end.millis)
                months.append((month, timeline.tally(from: start, to: max(start, monthEnd))))
                month = month.next
            }
        }
        // Response times are current figures: a retired service has none (its probes may
        // still answer, as a page's "24 hours 198 ms" and a badge said after retirement).
        return EntityStatus(current: current, source: source, windows: windows, days: days, months: months, timeline: timeline,
                            latency: end < reference ? nil : latencyFigures(latency, frame: frame))
    }

    /// p50 and p95 per window and day, over the hours that begin in each
    /// (`LatencyAccumulator`); nil when none of them has a sample.
    private func latencyFigures(_ hours: LatencyHours?, frame: Frame) -> LatencyFigures? {
        guard let hours, !hours.isEmpty else { return nil }
        let ref = reference.millis
        var accumulator = LatencyAccumulator()
        var windows: [WindowKey: LatencySummary] = [:]
        for (key, start) in frame.windowStarts {
            accumulator.add(hours, from: start, to: ref, reference: ref)
            windows[key] = accumulator.take()
        }
        let days = frame.days.map { day in
            accumulator.add(hours, from: day.start, to: day.end, reference: ref)
            return accumulator.take()
        }
        let figures = LatencyFigures(windows: windows, days: days)
        return figures.hasFigures ? figures : nil
    }
}
