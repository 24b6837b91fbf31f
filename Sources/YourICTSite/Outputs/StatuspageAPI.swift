import YourICTSupport
import YourICTFormats
import YourICTContent
import YourICTMonitoring

/// The Statuspage public API v2 under `/api/v2/`: summary, status, components,
/// incidents (all, unresolved) and scheduled maintenances (all, upcoming, active), in
/// Statuspage's shapes, so that existing clients and widgets can read this site.
///
/// Services are component groups, their components the group's children (a service
/// without components is a component of its own). No data and late data have no
/// Statuspage status; they are published as `degraded_performance` (never as
/// operational) with a description saying which (docs/api.md explains why). States come
/// from `CurrentState`, phases from `EventPhase`: nothing is decided here.
struct StatuspageAPI {
    let content: ContentSet
    let status: StatusReport?
    let urls: URLBuilder
    let theme: Theme
    /// The components are made on all cores (nothing else runs beside this document).
    var parallel = false
    /// Takes the serialised components of a run of services (each group, then its
    /// children), which begins at `position` and has `count` components, from a cache,
    /// or makes them with `build` (`serve`; nil in a build).
    var componentParts: ComponentParts?

    typealias ComponentParts = @Sendable (_ services: [String], _ position: Int, _ count: Int, _ build: () -> [[UInt8]]) -> [[UInt8]]

    /// Runs of services cached together in `serve`: a title edit makes one run again.
    static let componentPartCount = 32

    /// Statuspage's lists of all incidents and all maintenance hold the 50 most recent.
    static let recentLimit = 50

    /// Every document, by its path under the site's root.
    func documents() -> [(path: String, document: JSONValue)] {
        let page = page()
        let components = JSONValue.array(components())
        let statusObject = statusObject()
        let events = Events(api: self)
        func list(_ key: String, _ items: [Incident]) -> JSONValue {
            .object([("page", page), (key, .array(items.map { .raw(events.entry($0)) }))])
        }
        return [
            ("api/v2/summary.json", .object([
                ("page", page),
                ("components", components),
                ("incidents", .array(events.unresolved.map { .raw(events.entry($0)) })),
                ("scheduled_maintenances", .array(events.current.map { .raw(events.entry($0)) })),
                ("status", statusObject),
            ])),
            ("api/v2/status.json", .object([("page", page), ("status", statusObject)])),
            ("api/v2/components.json", .object([("page", page), ("components", components)])),
            ("api/v2/incidents.json", list("incidents", Array(events.incidents.prefix(Self.recentLimit)))),
            ("api/v2/incidents/unresolved.json", list("incidents", events.unresolved)),
            ("api/v2/scheduled-maintenances.json", list("scheduled_maintenances", Array(events.maintenance.prefix(Self.recentLimit)))),
            ("api/v2/scheduled-maintenances/upcoming.json", list("scheduled_maintenances", events.upcoming)),
            ("api/v2/scheduled-maintenances/active.json", list("scheduled_maintenances", events.active)),
        ]
    }

    /// The paths of `documents()`, for link checking.
    static let paths = [
        "api/v2/summary.json", "api/v2/status.json", "api/v2/components.json", "api/v2/incidents.json",
        "api/v2/incidents/unresolved.json", "api/v2/scheduled-maintenances.json",
        "api/v2/scheduled-maintenances/upcoming.json", "api/v2/scheduled-maintenances/active.json",
    ]

    private var lang: String { content.site.defaultLanguage }
    private var reference: Timestamp? { status?.referenceTime }
    private let pageID = "yourict"

    private func page() -> JSONValue {
        .object([
            ("id", .string(pageID)),
            ("name", .string(content.site.title.resolve(lang, fallback: lang))),
            ("url", .string(urls.absolute(.dashboard, lang: lang))),
            ("time_zone", .string(content.site.timeZone.identifier)),
            // The reference time; null when there is none (no monitoring data and no `--now`).
            ("updated_at", .optional(reference?.iso8601UTC)),
        ])
    }

    // MARK: - Components

    /// A service (a group, or a component of its own without components) or a component.
    private struct Component {
        var id: String
        var name: String
        var current: CurrentState
        var description: String?
        var position: Int
        var groupID: String?
        /// A group's components' ids; nil for a component.
        var children: [String]?
    }

    /// Each service with its position (a group, then its components), in catalogue order.
    private func services() -> [(id: String, sheet: ServiceSheet, position: Int)] {
        var services: [(id: String, sheet: ServiceSheet, position: Int)] = []
        var position = 1
        // Only services in operation have a state now (no planned or retired ones).
        for id in content.operatingServiceIDs {
            guard let sheet = content.services[id]?[lang] else { continue }
            services.append((id, sheet, position))
            position += 1 + sheet.components.count
        }
        return services
    }

    /// A service and its components, as the components list has them.
    private func components(of service: (id: String, sheet: ServiceSheet, position: Int)) -> [Component] {
        let (id, sheet, position) = service
        let s = status?.services[id]
        let children = sheet.components.map { "\(id)/\($0.id)" }
        var out = [Component(id: id, name: sheet.title, current: s?.overall.current ?? CurrentState(state: .noData), description: sheet.summary,
                             position: position, groupID: nil, children: children.isEmpty ? nil : children)]
        for (offset, c) in sheet.components.enumerated() {
            out.append(Component(id: "\(id)/\(c.id)", name: c.name, current: s?.component(c.id)?.current ?? CurrentState(state: .noData),
                                 description: c.description, position: position + 1 + offset, groupID: id, children: nil))
        }
        return out
    }

    /// Each component is serialised as soon as it is made (at the nesting level of the
    /// `components` list): on a large site the trees of every component would otherwise
    /// exist at once, several times the size of the file.
    private func components() -> [JSONValue] {
        // Formatted once, not for each of thousands of components.
        let reference = self.reference?.iso8601UTC
        // Each service's position first, so that the services can then be written on all cores.
        @Sendable func build(_ service: (id: String, sheet: ServiceSheet, position: Int)) -> [[UInt8]] {
            components(of: service).map { c in
                var w = JSONWriter(indent: 2, capacity: 1024)
                write(c, into: &w, reference: reference)
                return w.finished
            }
        }
        let all = services()
        guard let componentParts else {
            return all.mapEntries(parallel: parallel) { build($0).map { JSONValue.raw($0) } }.flatMap { $0 }
        }
        let parts = Self.componentPartCount
        return (0..<parts).flatMap { part -> [JSONValue] in
            let run = all[(all.count * part / parts)..<(all.count * (part + 1) / parts)]
            guard let first = run.first else { return [] }
            let count = run.reduce(0) { $0 + 1 + $1.sheet.components.count }
            return componentParts(run.map(\.id), first.position, count) { run.flatMap(build) }.map { .raw($0) }
        }
    }

    private static func statuspageStatus(_ state: ComponentState) -> String {
        state == .noData ? "degraded_performance" : state.statusName
    }

    /// What a component's description says instead of its own when its state is unknown.
    private static func unknownDescription(_ current: CurrentState) -> String? {
        guard current.state == .noData else { return nil }
        guard current.isLate else { return "No monitoring data" }
        return "No recent monitoring data" + (current.lastData.map { " (last sample \($0.iso8601UTC))" } ?? "")
    }

    /// A component object, written directly.
    private func write(_ c: Component, into w: inout JSONWriter, reference: String?) {
        w.object { w in
            w.key("id"); w.string(c.id)
            w.key("name"); w.string(c.name)
            w.key("status"); w.string(Self.statuspageStatus(c.current.state))
            w.key("created_at"); w.string(reference)
            w.key("updated_at"); w.string(reference)
            w.key("position"); w.int(c.position)
            w.key("description"); w.string(Self.unknownDescription(c.current) ?? c.description)
            w.key("showcase"); w.bool(true)
            w.key("start_date"); w.null()
            w.key("group_id"); w.string(c.groupID)
            w.key("page_id"); w.string(pageID)
            w.key("group"); w.bool(c.children != nil)
            w.key("only_show_if_degraded"); w.bool(false)
            if let children = c.children {
                w.key("components")
                w.array { w in for child in children { w.string(child) } }
            }
        }
    }

    // MARK: - Incidents and maintenance

    /// The events of the lists, each written once (at the nesting level of a list, 2)
    /// however many documents list it.
    private struct Events {
        /// Incidents that have started, newest first; open ones.
        var incidents: [Incident] = []
        var unresolved: [Incident] = []
        /// Maintenance, newest first; not started, under way, and both (the summary's).
        var maintenance: [Incident] = []
        var upcoming: [Incident] = []
        var active: [Incident] = []
        var current: [Incident] = []
        private var entries: [String: [UInt8]] = [:]

        init(api: StatuspageAPI) {
            let reference = api.reference
            let all = api.content.incidents.keys.compactMap { api.content.incidents[$0]?[api.lang] }
                .sorted { ($0.start?.millis ?? 0, $0.id) > ($1.start?.millis ?? 0, $1.id) }
            for incident in all {
                let phase = incident.phase(at: reference)
                switch phase {
                case .open: incidents.append(incident); unresolved.append(incident)
                case .resolved: incidents.append(incident)
                case .notStarted: continue
                case .scheduled: maintenance.append(incident); upcoming.append(incident); current.append(incident)
                case .inProgress, .verifying: maintenance.append(incident); active.append(incident); current.append(incident)
                case .completed, .cancelled: maintenance.append(incident)
                }
            }
            let listed = Array(incidents.prefix(StatuspageAPI.recentLimit)) + unresolved + Array(maintenance.prefix(StatuspageAPI.recentLimit)) + current
            guard !listed.isEmpty else { return }
            let leaves = Leaves(api: api)
            for incident in listed where entries[incident.id] == nil {
                entries[incident.id] = api.write(incident, leaves: leaves)
            }
        }

        func entry(_ incident: Incident) -> [UInt8] { entries[incident.id]! }
    }

    /// The components an event names, as Statuspage lists them: a component, or every
    /// component of a service (the service itself when it has none).
    private struct Leaves {
        private let services: [String: (sheet: ServiceSheet, position: Int)]
        private let api: StatuspageAPI

        init(api: StatuspageAPI) {
            self.api = api
            var services: [String: (sheet: ServiceSheet, position: Int)] = [:]
            for s in api.services() { services[s.id] = (s.sheet, s.position) }
            self.services = services
        }

        /// With `label`, the name updates give it: the service's title, then the
        /// component's name (`Messagerie - Webmail`), as Statuspage names a grouped component.
        func of(_ incident: Incident) -> [(component: Component, label: String)] {
            var out: [(component: Component, label: String)] = []
            for ref in incident.affected {
                guard let (sheet, position) = services[ref.service] else { continue }
                let all = api.components(of: (ref.service, sheet, position))
                let chosen = all.count == 1 ? all : all.dropFirst().filter { ref.component == nil || $0.id == ref.text }
                for c in chosen where !out.contains(where: { $0.component.id == c.id }) {
                    out.append((c, c.groupID == nil ? c.name : "\(sheet.title) - \(c.name)"))
                }
            }
            return out
        }
    }

    /// An incident or a maintenance at the nesting level of a list (2).
    private func write(_ incident: Incident, leaves: Leaves) -> [UInt8] {
        let id = incident.id
        let updates = incident.updates(asOf: reference)
        let phase = incident.phase(at: reference)
        let affected = leaves.of(incident)
        let isMaintenance = incident.kind == .maintenance
        let resolved: Timestamp? = switch phase {
        case .resolved: incident.resolvedAt
        case .completed: incident.effectiveEnd(asOf: reference)
        case .cancelled: incident.cancellation(asOf: reference)
        default: nil
        }
        let referenceText = reference?.iso8601UTC
        var w = JSONWriter(indent: 2, capacity: 2048)
        w.object { w in
            w.key("id"); w.string(id)
            w.key("name"); w.string(incident.title)
            w.key("status"); w.string(incident.statuspageStatus(at: reference))
            // Never after the reference time (an unannounced maintenance is known by its
            // start at the latest), and never before the event's own end: a client that
            // watches `updated_at` sees an incident resolved by its `resolved_at` alone.
            let known = [incident.start, reference].compactMap { $0 }.min()
            w.key("created_at"); w.string((updates.first?.at ?? known)?.iso8601UTC)
            w.key("updated_at"); w.string([updates.last?.at ?? known, resolved].compactMap { $0 }.max()?.iso8601UTC)
            w.key("monitoring_at"); w.string(updates.last { $0.status == (isMaintenance ? "verifying" : "monitoring") }?.at.iso8601UTC)
            w.key("resolved_at"); w.string(resolved?.iso8601UTC)
            w.key("impact"); w.string(Self.impact(incident))
            w.key("shortlink"); w.string(urls.absolute(.incident(id), lang: lang))
            w.key("started_at"); w.string(incident.effectiveStart(asOf: reference)?.iso8601UTC)
            w.key("page_id"); w.string(pageID)
            w.key("incident_updates")
            // Newest first. Each says what the event declared for what it affects, before
            // and after the update (its phase then, from `EventPhase`).
            let declared = updates.map { incident.declaredState(at: $0.at).statusName }
            w.array { w in
                for index in updates.indices.reversed() {
                    let update = updates[index]
                    let n = index - updates.startIndex
                    let at = update.at.iso8601UTC
                    w.object { w in
                        w.key("id"); w.string("\(id)-\(n + 1)")
                        w.key("status"); w.string(update.status == Incident.cancelledStatus ? EventPhase.completed.rawValue : update.status)
                        w.key("body"); w.string(update.body)
                        w.key("incident_id"); w.string(id)
                        w.key("created_at"); w.string(at)
                        w.key("updated_at"); w.string(at)
                        w.key("display_at"); w.string(at)
                        w.key("affected_components")
                        w.array { w in
                            for leaf in affected {
                                w.object { w in
                                    w.key("code"); w.string(leaf.component.id)
                                    w.key("name"); w.string(leaf.label)
                                    w.key("old_status"); w.string(n == 0 ? ComponentState.up.statusName : declared[n - 1])
                                    w.key("new_status"); w.string(declared[n])
                                }
                            }
                        }
                        w.key("deliver_notifications"); w.bool(true)
                        w.key("custom_tweet"); w.null()
                        w.key("tweet_id"); w.null()
                    }
                }
            }
            w.key("components")
            w.array { w in
                for leaf in affected { write(leaf.component, into: &w, reference: referenceText) }
            }
            if isMaintenance {
                w.key("scheduled_for"); w.string(incident.scheduledFor?.iso8601UTC)
                w.key("scheduled_until"); w.string(incident.scheduledUntil?.iso8601UTC)
            }
        }
        return w.finished
    }

    /// A maintenance's impact is `maintenance`, as on Statuspage, whatever its severity:
    /// it declares its components under maintenance (`Incident.declaredState`).
    private static func impact(_ incident: Incident) -> String {
        if incident.kind == .maintenance { return "maintenance" }
        switch incident.severity {
        case .underMaintenance: return "maintenance"
        case .degradedPerformance: return "minor"
        case .partialOutage: return "major"
        case .majorOutage: return "critical"
        }
    }

    private func statusObject() -> JSONValue {
        let overall = status?.overall ?? CurrentState(state: .noData)
        let (indicator, description): (String, String) = {
            switch overall.state {
            case .up: return ("none", "All Systems Operational")
            case .noData: return ("minor", overall.isLate ? "Monitoring Data Delayed" : "Monitoring Data Unavailable")
            case .degraded: return ("minor", "Minor Service Outage")
            case .partial: return ("major", "Partial System Outage")
            case .down: return ("critical", "Major Service Outage")
            case .maintenance: return ("maintenance", "Service Under Maintenance")
            }
        }()
        return .object([("indicator", .string(indicator)), ("description", .string(description))])
    }
}
