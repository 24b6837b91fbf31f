import YourICTSupport

/// The rolling windows of the availability figures, all ending at the reference time.
public enum WindowKey: String, Sendable, CaseIterable {
    case h24 = "24h"
    case d7 = "7d"
    case d30 = "30d"
    case d90 = "90d"
    /// The current calendar month in the site's time zone, up to the reference time.
    case month
}

/// Where a component's or service's figures come from.
public enum FigureSource: String, Sendable {
    /// Monitoring data, raised by declared incidents (a service measured through some of
    /// its components is `monitoring`).
    case monitoring
    /// Declared incidents alone: nothing monitors it, and time without a declared
    /// incident counts as up.
    case incidents
}

/// Figures for one component, or for a service as a whole.
public struct EntityStatus: Sendable {
    /// The state at the reference time, and why (`CurrentState`).
    public var current: CurrentState
    public var source: FigureSource
    public var state: ComponentState { current.state }
    public var windows: [WindowKey: StateTally]
    /// The last 90 days in the site's time zone, oldest first; the last one ends at the reference time.
    public var days: [(date: CivilDate, tally: StateTally)]
    /// Each calendar month with data, oldest first; the current one ends at the reference time.
    public var months: [(month: YearMonth, tally: StateTally)]
    public var timeline: Timeline
    /// Response times per window and day; nil without any in the last 90 days.
    public var latency: LatencyFigures?
}

public struct ServiceStatus: Sendable {
    public var id: String
    /// Target availability in percent, from the service level.
    public var target: Double
    public var overall: EntityStatus
    public var components: [(id: String, status: EntityStatus)]
    /// The 30-day availability against the target.
    public var verdict: Verdict
    /// Whether the 30-day availability meets the target; nil without a verdict.
    public var met: Bool? { verdict.met }
    /// Error budget over the 30-day window: downtime the target allows, and downtime used.
    public var budgetAllowedMinutes: Double?
    public var budgetUsedMinutes: Double?
    /// Where the figures end: the reference time, or the day a retired service was retired.
    public var figuresEnd: Timestamp? = nil
    /// Pilot, production or deprecated: it has a state now that lists and the overall
    /// banner show (`Lifecycle.isInOperation`).
    public var isInOperation = true
    /// Not open yet (`planned`): measured, not judged against its SLA in the monthly overview.
    public var isPlanned = false
    /// The dependencies in outage now (directly or through others), by which this
    /// service is affected; its own state and figures are not changed by them.
    public var affectedThrough: [Impact] = []

    public func component(_ id: String) -> EntityStatus? { components.first { $0.id == id }?.status }
}

/// Everything the monitoring engine found, for templates and APIs.
public struct StatusReport: Sendable {
    /// The instant all figures end at; nil when there is no monitoring data and no `--now`.
    public var referenceTime: Timestamp?
    public var partialWeight: Double
    /// `availability.min_coverage`, in percent.
    public var minimumCoverage: Double
    public var services: [String: ServiceStatus] {
        didSet { overall = Self.overall(of: services) }
    }
    /// The reference time is site.yaml's `reference_time`: the figures are frozen there,
    /// and pages say so.
    public var isFrozen = false

    /// The worst current state over the services in operation: the overall banner. Kept
    /// with the services (pages and APIs ask for it many times per build and per save).
    public private(set) var overall: CurrentState

    public init(referenceTime: Timestamp?, partialWeight: Double, minimumCoverage: Double, services: [String: ServiceStatus]) {
        self.referenceTime = referenceTime
        self.partialWeight = partialWeight
        self.minimumCoverage = minimumCoverage
        self.services = services
        overall = Self.overall(of: services)
    }

    /// Of services in the same state, the first by id: the same one on every build.
    private static func overall(of services: [String: ServiceStatus]) -> CurrentState {
        var worst: (id: String, state: CurrentState)?
        for (id, status) in services where status.isInOperation {
            let current = status.overall.current
            guard let w = worst else { worst = (id, current); continue }
            if (w.state.displayRank, id) < (current.displayRank, w.id) { worst = (id, current) }
        }
        return worst?.state ?? CurrentState(state: .noData)
    }

    /// The services with a component (or themselves) whose data is late, by id, with the
    /// oldest newest sample among them: the banner says monitoring data is late.
    public var late: (services: [String], since: Timestamp?) {
        let ids = services.keys.sorted().filter { id in
            let s = services[id]!
            return s.isInOperation && (s.overall.current.isLate || s.components.contains { $0.status.current.isLate })
        }
        let since = ids.flatMap { id in
            [services[id]!.overall.current] + services[id]!.components.map(\.status.current)
        }.filter(\.isLate).compactMap(\.lastData).min()
        return (ids, since)
    }
}
