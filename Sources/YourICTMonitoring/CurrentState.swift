import YourICTSupport
import YourICTFormats
import YourICTContent

/// What a component or a service is at the reference time, and why. `CurrentState.decide`
/// and `CurrentState.combine` are the one place that decides it: the dashboard, the
/// service pages, the catalogue, `/api/services.json`, the Statuspage JSON, the badges and
/// the feeds all show `name`.
public struct CurrentState: Sendable, Equatable {
    /// The state now. `.noData` both when nothing was ever measured and when the data is
    /// late (`isLate`): `name` tells them apart.
    public var state: ComponentState
    /// The newest sample is older than the site's threshold. Set even when a declared
    /// incident or maintenance decides the state: the data is late all the same.
    public var isLate: Bool
    /// The newest sample at or before the reference time; for a service, the oldest such
    /// time among its components (its data is complete up to there).
    public var lastData: Timestamp?
    /// An incident or maintenance in progress decided the state.
    public var isDeclared: Bool
    /// Nothing monitors it: its state comes from declared incidents alone.
    public var isUnmonitored: Bool

    public init(state: ComponentState, isLate: Bool = false, lastData: Timestamp? = nil, isDeclared: Bool = false, isUnmonitored: Bool = false) {
        self.state = state
        self.isLate = isLate
        self.lastData = lastData
        self.isDeclared = isDeclared
        self.isUnmonitored = isUnmonitored
    }

    public static let noRecentDataName = "no_recent_data"

    /// The status name of every output: the Statuspage names, `no_data`, and
    /// `no_recent_data` when data stopped arriving and nothing declared a state.
    public var name: String { state == .noData && isLate ? Self.noRecentDataName : state.statusName }

    /// Severity for the overall banner: operational < no data < no recent data <
    /// maintenance < degraded < partial < major.
    public var displayRank: Int {
        switch state {
        case .up: return 0
        case .noData: return isLate ? 2 : 1
        case .maintenance: return 3
        case .degraded: return 4
        case .partial: return 5
        case .down: return 6
        }
    }

    /// What the monitoring data says now, before declared events.
    public struct Measured: Sendable, Equatable {
        /// The state of the newest sample at or before the reference time; nil when there
        /// is none.
        public var state: ComponentState?
        public var lastData: Timestamp?
        /// The newest sample is older than the threshold.
        public var isLate: Bool

        public init(state: ComponentState?, lastData: Timestamp?, isLate: Bool) {
            self.state = state
            self.lastData = lastData
            self.isLate = isLate
        }
    }

    /// A component's state, or that of a service without components. `declared` are
    /// the events in progress that affect it (see `EventPhase.isActive`); `measured` is
    /// nil when nothing monitors it.
    ///
    /// 1. A maintenance in progress: maintenance, whatever was measured, unless people
    ///    declared an outage (partial or major) during it.
    /// 2. Incidents in progress: the worst declared severity, or the measured state when
    ///    fresh and worse (the rules of the timeline: incidents raise, never lower; a
    ///    declared outage beats a maintenance, a declared slowdown does not).
    /// 3. Unmonitored: operational, as declared incidents measure it (callers pass an
    ///    empty measurement instead before the site's first record: no data).
    /// 4. A fresh measurement: its state.
    /// 5. Data that stopped arriving: no recent data; never any data: no data.
    public static func decide(measured: Measured?, declared: [Incident]) -> CurrentState {
        let late = measured?.isLate ?? false
        var current = CurrentState(state: .noData, isLate: late, lastData: measured?.lastData, isUnmonitored: measured == nil)
        let fresh = late ? nil : measured?.state
        let states = declared.map(\.declaredState)
        let worst = states.filter { $0 != .maintenance }.max(by: { $0.rawValue < $1.rawValue })
        let outage = worst == .partial || worst == .down
        if states.contains(.maintenance), !outage {
            current.state = .maintenance
            current.isDeclared = true
        } else if let worst {
            // During a maintenance, what was measured does not count (the timeline lays the
            // maintenance first): the declared outage is the state, as in the figures.
            let measuredCounts = !states.contains(.maintenance)
            if let fresh, measuredCounts, fresh == .maintenance ? !outage : fresh != .noData && fresh.rawValue > worst.rawValue {
                current.state = fresh
            } else {
                current.state = worst
            }
            current.isDeclared = true
        } else if measured == nil {
            current.state = .up
        } else if let fresh {
            current.state = fresh
        }
        return current
    }

    /// A service's state from its components' (in the order of the sheet), by its
    /// `down_when` rule. A component whose state is unknown (no data, late) never
    /// makes a service look better than it is: with `any`, a service is operational
    /// only when every component is known to be up.
    public static func combine(_ components: [CurrentState], rule: ServiceSheet.DownRule) -> CurrentState {
        let known = components.map(\.state).filter { $0 != .noData }
        let unknown = components.filter { $0.state == .noData }
        let late = components.filter(\.isLate)
        var out = CurrentState(state: .noData, isLate: !late.isEmpty, lastData: components.compactMap(\.lastData).min(),
                               isDeclared: components.contains(where: \.isDeclared),
                               isUnmonitored: !components.isEmpty && components.allSatisfy(\.isUnmonitored))
        // Unknown components make the service unknown; late beats never measured.
        func unknownState() {
            out.state = .noData
            out.isLate = unknown.contains(where: \.isLate)
        }
        switch rule {
        case .any:
            for state in [ComponentState.down, .partial, .maintenance, .degraded] where known.contains(state) {
                out.state = state
                return out
            }
            if unknown.isEmpty, !known.isEmpty { out.state = .up } else { unknownState() }
        case .all:
            let measured = known.filter { $0 != .maintenance }
            if let best = measured.min(by: { $0.rawValue < $1.rawValue }) {
                out.state = best == .up && measured.contains(where: { $0 != .up }) ? .degraded : best
            } else if known.contains(.maintenance) {
                out.state = .maintenance
            } else {
                unknownState()
            }
        }
        return out
    }
}
