import YourICTSupport
import YourICTContent
import YourICTMonitoring

/// One month of every service's SLA, for management reports: the page
/// `/<lang>/sla/<yyyy-mm>/` and the files `/api/sla/<yyyy-mm>.json` and `.csv` show the
/// same rows, computed once here from the figures of the services' monthly reports.
struct SLAOverview {
    struct Row {
        var id: String
        var stage: Lifecycle.Stage
        var serviceLevel: String
        var target: Double
        var source: FigureSource
        var tally: StateTally
        var availability: Double?
        var coverage: Double?
        var verdict: Verdict
        /// Major outage plus partial outage × weight, in minutes (0 when nothing was measured).
        var downtimeMinutes: Double
        var maintenanceMinutes: Double
        var noDataMinutes: Double
        /// Incidents (not maintenance) affecting the service that overlap the month.
        var incidents: [String]
        /// Maintenance windows affecting the service that overlap the month.
        var maintenances: [String]
    }

    let month: YearMonth
    let start: Timestamp
    /// The end of the month, or the reference time while the month is in progress.
    let end: Timestamp
    let isComplete: Bool
    /// Every service with a report for the month, in catalogue order (retired services
    /// included: the month was theirs).
    let rows: [Row]

    static func jsonPath(_ month: YearMonth) -> String { "api/sla/\(month).json" }
    static func csvPath(_ month: YearMonth) -> String { "api/sla/\(month).csv" }

    /// The months some service has a report for, oldest first (planned services left out,
    /// as from the rows: a month only they were measured in has no overview).
    static func months(_ status: StatusReport?) -> [YearMonth] {
        guard let status, status.referenceTime != nil else { return [] }
        var months = Set<YearMonth>()
        for service in status.services.values where !service.isPlanned { for entry in service.overall.months { months.insert(entry.month) } }
        return months.sorted()
    }

    init?(month: YearMonth, content: ContentSet, status: StatusReport?, calendar: ZonedCalendar) {
        guard let status, let reference = status.referenceTime else { return nil }
        self.month = month
        start = calendar.startOfMonth(month)
        let monthEnd = calendar.startOfMonth(month.next)
        end = min(monthEnd, reference)
        let isComplete = monthEnd <= reference
        self.isComplete = isComplete
        let d = content.site.defaultLanguage
        let weight = status.partialWeight
        // The events affecting each service, then those overlapping its report's period.
        var affecting: [String: [(id: String, incident: Incident)]] = [:]
        for id in content.incidents.keys.sorted() {
            guard let incident = content.incidents[id]?[d] else { continue }
            for service in Set(incident.affected.map(\.service)) { affecting[service, default: []].append((id, incident)) }
        }
        let (from, until) = (start, end)
        rows = content.orderedServiceIDs.compactMap { id -> Row? in
            // A service not open yet is measured, not judged: its row counted as "missed" in a
            // month's summary for management while the service had never been in service.
            guard let sheet = content.services[id]?[d], sheet.lifecycle.stage != .planned, let s = status.services[id],
                  let tally = s.overall.months.first(where: { $0.month == month })?.tally else { return nil }
            // A retired service's last report ends the day it was retired.
            let to = min(until, s.figuresEnd ?? until)
            var incidents: [String] = [], maintenances: [String] = []
            for (eventID, incident) in affecting[id] ?? [] where Self.overlaps(incident, from: from, to: to, reference: reference) {
                if incident.kind == .maintenance { maintenances.append(eventID) } else { incidents.append(eventID) }
            }
            return Row(id: id, stage: sheet.lifecycle.stage, serviceLevel: sheet.serviceLevel, target: s.target, source: s.overall.source,
                       tally: tally, availability: tally.availability(partialWeight: weight), coverage: tally.coverage,
                       verdict: tally.verdict(target: s.target, partialWeight: weight, minimumCoverage: status.minimumCoverage, inProgress: !isComplete),
                       downtimeMinutes: tally.downtime(partialWeight: weight) / 60_000,
                       maintenanceMinutes: Double(tally.maintenance) / 60_000, noDataMinutes: Double(tally.noData) / 60_000,
                       incidents: incidents, maintenances: maintenances)
        }
    }

    /// Whether an incident or maintenance belongs to a report of `from`..<`to`, as known at
    /// `reference`: it has started by then, and its stretch (up to the reference time while
    /// it is not over) overlaps the period. The overview and each service's report both ask
    /// this, so they count the same events.
    /// A maintenance called off before it began belongs to no period: it did not happen.
    static func overlaps(_ incident: Incident, from: Timestamp, to: Timestamp, reference: Timestamp) -> Bool {
        guard let eventStart = incident.effectiveStart(asOf: reference), eventStart <= reference else { return false }
        let eventEnd = incident.effectiveEnd(asOf: reference) ?? reference
        if incident.kind == .maintenance, incident.cancellation(asOf: reference) != nil, eventEnd <= eventStart { return false }
        return eventStart < to && (eventEnd > from || eventStart >= from)
    }

    /// How many rows have each verdict: met, missed, and without one.
    var counts: (met: Int, missed: Int, none: Int) {
        var met = 0, missed = 0
        for row in rows {
            if row.verdict == .met { met += 1 } else if row.verdict == .missed { missed += 1 }
        }
        return (met, missed, rows.count - met - missed)
    }

    /// The machine name of a verdict, in the JSON and CSV files.
    static func verdictKey(_ verdict: Verdict) -> String {
        switch verdict {
        case .met: return "met"
        case .missed: return "missed"
        case .insufficient: return "insufficient_data"
        case .noData: return "no_data"
        case .inProgress: return "in_progress"
        }
    }
}
