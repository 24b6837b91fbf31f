import YourICTContent

/// The state of a component or service over a stretch of time.
///
/// Ordered by how bad it is for a reader; `maintenance` and `noData` are outside that
/// scale because they leave the availability denominator.
public enum ComponentState: UInt8, Sendable, Hashable, CaseIterable {
    case up = 0
    case degraded = 1
    case partial = 2
    case down = 3
    case maintenance = 4
    case noData = 5

    /// The status names of the Statuspage API, with `no_data` for time nobody measured.
    public var statusName: String {
        switch self {
        case .up: return "operational"
        case .degraded: return "degraded_performance"
        case .partial: return "partial_outage"
        case .down: return "major_outage"
        case .maintenance: return "under_maintenance"
        case .noData: return "no_data"
        }
    }

    /// Severity for display ordering: the worst state of a group is shown for the group.
    public var displayRank: Int {
        switch self {
        case .up: return 0
        case .noData: return 1
        case .maintenance: return 2
        case .degraded: return 3
        case .partial: return 4
        case .down: return 5
        }
    }

    package init(severity: Incident.Severity) {
        switch severity {
        case .degradedPerformance: self = .degraded
        case .partialOutage: self = .partial
        case .majorOutage: self = .down
        case .underMaintenance: self = .maintenance
        }
    }
}

/// Time spent in each state within a window, in milliseconds.
public struct StateTally: Sendable, Equatable {
    public var up: Int64 = 0
    public var degraded: Int64 = 0
    public var partial: Int64 = 0
    public var down: Int64 = 0
    public var maintenance: Int64 = 0
    public var noData: Int64 = 0

    public init() {}

    public mutating func add(_ state: ComponentState, _ millis: Int64) {
        switch state {
        case .up: up += millis
        case .degraded: degraded += millis
        case .partial: partial += millis
        case .down: down += millis
        case .maintenance: maintenance += millis
        case .noData: noData += millis
        }
    }

    /// Time that counts: measured, outside maintenance.
    public var measured: Int64 { up + degraded + partial + down }

    /// Downtime: major outage fully, partial outage by its weight, degraded not at all.
    public func downtime(partialWeight: Double) -> Double { Double(down) + Double(partial) * partialWeight }

    /// Availability in percent, or nil when nothing was measured.
    public func availability(partialWeight: Double) -> Double? {
        let m = measured
        guard m > 0 else { return nil }
        return (1 - downtime(partialWeight: partialWeight) / Double(m)) * 100
    }

    /// The whole time tallied.
    public var total: Int64 { measured + maintenance + noData }

    /// The share of the time, in percent, whose state is known: measured, or in a
    /// declared maintenance (a maintenance is not a gap in the records). Nil for an
    /// empty window.
    public var coverage: Double? {
        let t = total
        guard t > 0 else { return nil }
        return Double(t - noData) / Double(t) * 100
    }

    /// The verdict against `target`: none without a figure, and none when less than
    /// `minimumCoverage` percent of the window has a known state. `inProgress`: a month
    /// not over at the reference time, which is not judged yet (`Verdict.inProgress`,
    /// whatever its coverage so far).
    public func verdict(target: Double, partialWeight: Double, minimumCoverage: Double, inProgress: Bool = false) -> Verdict {
        guard let value = availability(partialWeight: partialWeight), let coverage else { return .noData }
        // A month not over is not judged, however much of it is measured so far: "données
        // insuffisantes" would read as a fault of the data in a month that simply goes on.
        if inProgress { return .inProgress }
        // Compared before any rounding: 89.99 % is not 90 %.
        guard coverage + 1e-9 >= minimumCoverage else { return .insufficient(coverage: coverage) }
        return value + 1e-9 >= target ? .met : .missed
    }

    /// The worst state that occurred (for a day of the history strip).
    public var worst: ComponentState {
        if down > 0 { return .down }
        if partial > 0 { return .partial }
        if degraded > 0 { return .degraded }
        if maintenance > 0 { return .maintenance }
        if up > 0 { return .up }
        return .noData
    }
}

/// A window's figure judged against a target.
public enum Verdict: Sendable, Equatable {
    case met
    case missed
    /// Too little of the window has a known state to judge; `coverage` in percent.
    case insufficient(coverage: Double)
    /// Nothing measured.
    case noData
    /// A month not over at the reference time: its figure so far is shown, but the SLA is
    /// judged on the whole month (minutes into it, "met" would say what is not known).
    case inProgress

    /// `met` of the API: true, false, or nil when there is no verdict.
    public var met: Bool? {
        switch self {
        case .met: return true
        case .missed: return false
        case .insufficient, .noData, .inProgress: return nil
        }
    }
}
