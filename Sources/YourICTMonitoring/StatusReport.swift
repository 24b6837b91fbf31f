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

/// Figures for one component, or for a service as a whole.
public struct EntityStatus: Sendable {
    /// The state at the reference time.
    public var state: ComponentState
    public var windows: [WindowKey: StateTally]
    /// The last 90 days in the site's time zone, oldest first; the last one ends at the reference time.
    public var days: [(date: CivilDate, tally: StateTally)]
    /// Each calendar month with data, oldest first; the current one ends at the reference time.
    public var months: [(month: YearMonth, tally: StateTally)]
    public var timeline: Timeline
}

public struct ServiceStatus: Sendable {
    public var id: String
    /// Target availability in percent, from the service level.
    public var target: Double
    public var overall: EntityStatus
    public var components: [(id: String, status: EntityStatus)]
    /// Whether the 30-day availability meets the target; nil without data.
    public var met: Bool?
    /// Error budget over the 30-day window: downtime the target allows, and downtime used.
    public var budgetAllowedMinutes: Double?
    public var budgetUsedMinutes: Double?

    public func component(_ id: String) -> EntityStatus? { components.first { $0.id == id }?.status }
}

/// Everything the monitoring engine found, for templates and APIs.
public struct StatusReport: Sendable {
    /// The instant all figures end at; nil when there is no monitoring data and no `--now`.
    public var referenceTime: Timestamp?
    public var partialWeight: Double
    public var services: [String: ServiceStatus]

    /// The worst current state over all services: the overall banner.
    public var overallState: ComponentState {
        services.values.map(\.overall.state).max { $0.displayRank < $1.displayRank } ?? .noData
    }
}
