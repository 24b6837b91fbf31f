import YourICTContent

/// Which Prometheus series hold response times rather than up/down states, and which
/// components they belong to (docs/monitoring-format.md#response-times).
///
/// A series is one of response times when its metric name is `probe_duration_seconds`
/// (the blackbox exporter's) or the `__name__` of some component's `latency` matchers;
/// it then counts for response times only, never as a state.
package struct LatencySelector: Sendable, Hashable {
    package static let blackboxMetric = "probe_duration_seconds"

    /// Metric names of response-time series.
    let names: Set<String>
    /// Which hours the figures need one by one: each series' hours are compacted to it
    /// as soon as it is read, so that memory does not grow with its history. Nil: all
    /// are kept.
    let horizon: LatencyHorizon?

    package init(extraNames: Set<String> = [], horizon: LatencyHorizon? = nil) {
        names = extraNames.union([Self.blackboxMetric])
        self.horizon = horizon
    }

    package init(content: ContentSet, horizon: LatencyHorizon? = nil) {
        let d = content.site.defaultLanguage
        var names = Set<String>()
        for id in content.serviceIDs {
            for component in content.services[id]?[d]?.components ?? [] {
                if let name = component.latency["__name__"] { names.insert(name) }
            }
        }
        self.init(extraNames: names, horizon: horizon)
    }

    /// What a source's hours are kept as (`horizon`).
    func kept(_ hours: LatencyHours) -> LatencyHours {
        guard let horizon else { return hours }
        return hours.compacted(to: horizon)
    }

    @inline(__always)
    func isLatency(_ labels: [String: String]) -> Bool {
        guard let name = labels["__name__"] else { return false }
        return names.contains(name)
    }

    /// The matchers selecting a component's response times: its `latency` matchers, else
    /// its `monitor` matchers with the blackbox exporter's metric name; nil when neither.
    static func matchers(for component: ServiceSheet.Component) -> [String: String]? {
        if !component.latency.isEmpty { return component.latency }
        guard !component.monitor.isEmpty else { return nil }
        var matchers = component.monitor
        matchers["__name__"] = blackboxMetric
        return matchers
    }
}
