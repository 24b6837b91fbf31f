import YourICTContent

/// A dependency in trouble now, through which a service is affected: "affected through
/// Hébergement d'applications". It says where to look; it changes neither the state nor
/// the figures of the service affected, which are what was measured and declared of it.
public struct Impact: Sendable, Equatable {
    /// The dependency in trouble: a service, or one of its components.
    public var service: String
    public var component: String?
    /// Its state now, as `CurrentState` decided it: a major or partial outage, or a
    /// maintenance in progress.
    public var state: CurrentState
    /// The entry of the affected service's own `depends_on` that leads to it: the same
    /// as `text` for a direct dependency, the first step otherwise.
    public var via: String

    /// `service` or `service/component`.
    public var text: String { component.map { "\(service)/\($0)" } ?? service }
    public var isDirect: Bool { via == text }
}

enum DependencyImpact {
    /// What makes a dependency affect what depends on it: it is out of service, wholly or
    /// partly, or in planned maintenance. A slowdown is not (it counts as available), and
    /// neither is missing data (nothing says the dependency is down).
    static func disrupts(_ state: ComponentState) -> Bool {
        state == .down || state == .partial || state == .maintenance
    }

    /// Sets `affectedThrough` of every service in operation: its dependencies, and theirs
    /// in turn, whose state now disrupts them. Breadth first, so direct dependencies
    /// come first; each service's dependencies are followed once, so a cycle (an error
    /// reported by the validator) cannot loop.
    static func apply(to services: inout [String: ServiceStatus], content: ContentSet) {
        let d = content.site.defaultLanguage
        var found: [String: [Impact]] = [:]
        for id in content.serviceIDs {
            guard let sheet = content.services[id]?[d], services[id]?.isInOperation == true, !sheet.dependsOn.isEmpty else { continue }
            var impacts: [Impact] = []
            var queue = sheet.dependsOn.map { ($0, $0.text) }, head = 0
            var followed: Set<String> = [id]
            var seen = Set<String>()
            while head < queue.count {
                let (dependency, via) = queue[head]
                head += 1
                // A retired dependency has no state now; the validator warns about it.
                guard let target = services[dependency.service], target.isInOperation else { continue }
                let current: CurrentState? = if let c = dependency.component { target.component(c)?.current } else { target.overall.current }
                if let current, disrupts(current.state), seen.insert(dependency.text).inserted {
                    impacts.append(Impact(service: dependency.service, component: dependency.component, state: current, via: via))
                }
                if followed.insert(dependency.service).inserted {
                    for next in content.services[dependency.service]?[d]?.dependsOn ?? [] { queue.append((next, via)) }
                }
            }
            if !impacts.isEmpty { found[id] = impacts }
        }
        for (id, impacts) in found { services[id]?.affectedThrough = impacts }
    }
}
