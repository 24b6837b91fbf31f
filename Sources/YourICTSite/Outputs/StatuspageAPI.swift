import YourICTFormats
import YourICTContent
import YourICTMonitoring

/// `/api/v2/summary.json` and `/api/v2/status.json` in the shape of the Statuspage
/// public API v2, so that existing clients and widgets can read this site.
///
/// Services are component groups, their components the group's children. No data and
/// late data have no Statuspage status; they are published as `degraded_performance`
/// (never as operational) with a description saying which (docs/api.md explains why).
struct StatuspageAPI {
    let content: ContentSet
    let status: StatusReport?
    let urls: URLBuilder
    let theme: Theme
    /// The components are made on all cores (nothing else runs beside this document).
    var parallel = false

    private var lang: String { content.site.defaultLanguage }
    /// The reference time; null when there is none (no monitoring data and no `--now`).
    private var referenceText: JSONValue { .optional(status?.referenceTime?.iso8601UTC) }
    private let pageID = "yourict"

    func summary() -> JSONValue {
        .object([
            ("page", page()),
            ("components", .array(components())),
            ("incidents", .array(incidents(kind: .incident))),
            ("scheduled_maintenances", .array(incidents(kind: .maintenance))),
            ("status", statusObject()),
        ])
    }

    func statusDocument() -> JSONValue {
        .object([("page", page()), ("status", statusObject())])
    }

    private func page() -> JSONValue {
        .object([
            ("id", .string(pageID)),
            ("name", .string(content.site.title.resolve(lang, fallback: lang))),
            ("url", .string(urls.absolute(.dashboard, lang: lang))),
            ("time_zone", .string(content.site.timeZone.identifier)),
            ("updated_at", referenceText),
        ])
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

    /// Each component is serialised as soon as it is made (at the nesting level of the
    /// `components` list): on a large site the trees of every component would otherwise
    /// exist at once, several times the size of the file.
    private func components() -> [JSONValue] {
        // Formatted once, not for each of thousands of components.
        let reference = status?.referenceTime?.iso8601UTC
        // Each service's position first (a group, then its components), so that the
        // services can then be written on all cores.
        var groups: [(id: String, sheet: ServiceSheet, position: Int)] = []
        var position = 1
        // Only services in operation have a state now (no planned or retired ones).
        for id in content.operatingServiceIDs {
            guard let sheet = content.services[id]?[lang] else { continue }
            groups.append((id, sheet, position))
            position += 1 + sheet.components.count
        }
        return groups.mapEntries(parallel: parallel) { group -> [JSONValue]? in
            let (id, sheet, position) = group
            let s = status?.services[id]
            let childIDs = sheet.components.map { "\(id)/\($0.id)" }
            var out: [JSONValue] = [.raw(component(id: id, name: sheet.title, current: s?.overall.current ?? CurrentState(state: .noData), description: sheet.summary,
                                                   position: position, groupID: nil, children: childIDs, reference: reference))]
            for (offset, c) in sheet.components.enumerated() {
                out.append(.raw(component(id: "\(id)/\(c.id)", name: c.name, current: s?.component(c.id)?.current ?? CurrentState(state: .noData),
                                          description: c.description, position: position + 1 + offset, groupID: id, children: nil, reference: reference)))
            }
            return out
        }.flatMap { $0 }
    }

    /// A component at the nesting level of the `components` list (2), written directly.
    private func component(id: String, name: String, current: CurrentState, description: String?, position: Int,
                           groupID: String?, children: [String]?, reference: String?) -> [UInt8] {
        var w = JSONWriter(indent: 2, capacity: 1024)
        w.object { w in
            w.key("id"); w.string(id)
            w.key("name"); w.string(name)
            w.key("status"); w.string(Self.statuspageStatus(current.state))
            w.key("created_at"); w.string(reference)
            w.key("updated_at"); w.string(reference)
            w.key("position"); w.int(position)
            w.key("description"); w.string(Self.unknownDescription(current) ?? description)
            w.key("showcase"); w.bool(true)
            w.key("start_date"); w.null()
            w.key("group_id"); w.string(groupID)
            w.key("page_id"); w.string(pageID)
            w.key("group"); w.bool(children != nil)
            w.key("only_show_if_degraded"); w.bool(false)
            if let children {
                w.key("components")
                w.array { w in for child in children { w.string(child) } }
            }
        }
        return w.finished
    }

    /// Unresolved incidents, or maintenance in progress and upcoming.
    private func incidents(kind: Incident.Kind) -> [JSONValue] {
        let ref = status?.referenceTime
        return content.incidents.keys.sorted().compactMap { content.incidents[$0]?[lang] }
            .filter { $0.kind == kind }
            .filter { incident in
                switch incident.phase(at: ref) {
                case .open, .scheduled, .inProgress, .verifying: return true
                case .resolved, .completed, .notStarted: return false
                }
            }
            .sorted { ($0.start?.millis ?? 0, $0.id) > ($1.start?.millis ?? 0, $1.id) }
            .map { incident(for: $0) }
    }

    private func incident(for incident: Incident) -> JSONValue {
        let id = incident.id
        let ref = status?.referenceTime
        let updates = incident.updates(asOf: ref)
        let created = (updates.first?.at ?? incident.start)?.iso8601UTC
        let updated = (updates.last?.at ?? incident.start)?.iso8601UTC
        // The components' states now, as the components list gives them.
        let affected: [JSONValue] = incident.affected.map { ref in
            let name = content.service(ref.service, in: lang).map { sheet in
                ref.component.flatMap { c in sheet.components.first { $0.id == c }?.name } ?? sheet.title
            } ?? ref.text
            let service = status?.services[ref.service]
            let current = (ref.component.map { service?.component($0)?.current } ?? service?.overall.current) ?? CurrentState(state: .noData)
            return .object([("id", .string(ref.text)), ("name", .string(name)), ("status", .string(Self.statuspageStatus(current.state)))])
        }
        var fields: [(String, JSONValue)] = [
            ("id", .string(id)),
            ("name", .string(incident.title)),
            ("status", .string(incident.statuspageStatus(at: ref))),
            ("created_at", .optional(created)),
            ("updated_at", .optional(updated)),
            ("monitoring_at", .optional(updates.last { $0.status == "monitoring" }?.at.iso8601UTC)),
            ("resolved_at", .optional(incident.kind == .incident ? incident.resolvedAt?.iso8601UTC : nil)),
            ("impact", .string(impact(incident))),
            ("shortlink", .string(urls.absolute(.incident(id), lang: lang))),
            ("started_at", .optional(incident.start?.iso8601UTC)),
            ("page_id", .string(pageID)),
            ("incident_updates", .array(updates.reversed().enumerated().map { index, update in
                .object([
                    ("id", .string("\(id)-\(updates.count - index)")),
                    ("status", .string(update.status)),
                    ("body", .string(update.body)),
                    ("incident_id", .string(id)),
                    ("created_at", .string(update.at.iso8601UTC)),
                    ("updated_at", .string(update.at.iso8601UTC)),
                    ("display_at", .string(update.at.iso8601UTC)),
                    ("affected_components", .array(affected)),
                ])
            })),
            ("components", .array(affected)),
        ]
        if incident.kind == .maintenance {
            fields.append(("scheduled_for", .optional(incident.scheduledFor?.iso8601UTC)))
            fields.append(("scheduled_until", .optional(incident.scheduledUntil?.iso8601UTC)))
        }
        return .object(fields)
    }

    private func impact(_ incident: Incident) -> String {
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
